package expertevents

import (
	"strings"
	"time"
)

// Event type names of institutions and their requests for expertise. They are stored
// with every event and must never change.
const (
	InstitutionRegisteredType = "experts.InstitutionRegistered"
	InstitutionVerifiedType   = "experts.InstitutionVerified"
	InstitutionRejectedType   = "experts.InstitutionRejected"
	RequestDraftedType        = "experts.RequestDrafted"
	RequestRevisedType        = "experts.RequestRevised"
	RequestOpenedType         = "experts.RequestOpened"
	RequestMatchedType        = "experts.RequestMatched"
	RequestClosedType         = "experts.RequestClosed"
	RequestCancelledType      = "experts.RequestCancelled"
	MatchProposedType         = "experts.MatchProposed"
	MatchAcceptedType         = "experts.MatchAccepted"
	MatchDeclinedType         = "experts.MatchDeclined"
	MatchConfirmedType        = "experts.MatchConfirmed"
)

// Stream prefixes of institutions and requests.
const (
	InstitutionStreamPrefix = "institution-"
	RequestStreamPrefix     = "expertise-request-"
)

// InstitutionStreamID is the stream of an institution.
func InstitutionStreamID(id string) string { return InstitutionStreamPrefix + id }

// RequestStreamID is the stream of a request for expertise, with its matches.
func RequestStreamID(id string) string { return RequestStreamPrefix + id }

// RequestIDFromStream returns the request id of a stream, ok false for other streams.
func RequestIDFromStream(stream string) (string, bool) {
	return strings.CutPrefix(stream, RequestStreamPrefix)
}

// InstitutionIDFromStream returns the institution id of a stream, ok false for others.
func InstitutionIDFromStream(stream string) (string, bool) {
	return strings.CutPrefix(stream, InstitutionStreamPrefix)
}

// Kinds of institutions.
var InstitutionKinds = []string{"MINISTRY", "PUBLIC_AGENCY", "UNIVERSITY", "HOSPITAL", "COMPANY"}

// Institution is what an institution of a country of origin says about itself. It is an
// organisation's data, not a person's: the email is the institution's desk, kept in
// clear, shown to admins and to the institution only.
type Institution struct {
	Name string `json:"name"`
	// Kind is one of InstitutionKinds.
	Kind string `json:"kind"`
	// Country is the ISO 3166-1 alpha-2 code of the country it belongs to.
	Country     string `json:"country"`
	Website     string `json:"website,omitempty"`
	Email       string `json:"email"`
	Description Text   `json:"description"`
	// Language is the one the platform writes to it in: en, fr or es (empty in events
	// recorded before it was asked: English).
	Language string `json:"language,omitempty"`
}

// InstitutionRegistered: an institution registered; it awaits an admin's verification.
type InstitutionRegistered struct {
	InstitutionID string      `json:"institutionId"`
	Institution   Institution `json:"institution"`
	At            time.Time   `json:"at"`
}

// InstitutionVerified: an admin checked the institution is who it says.
type InstitutionVerified struct {
	InstitutionID string    `json:"institutionId"`
	At            time.Time `json:"at"`
}

// InstitutionRejected: an admin refused the registration, saying why.
type InstitutionRejected struct {
	InstitutionID string    `json:"institutionId"`
	Reason        string    `json:"reason"`
	At            time.Time `json:"at"`
}

// Terms are what a request for expertise asks: its terms of reference, and what the
// matching reads (fields, languages, mode, dates, country).
type Terms struct {
	Title            string `json:"title"`
	TermsOfReference string `json:"termsOfReference"`
	// Fields are codes of fields of expertise; Languages BCP 47 tags.
	Fields    []string `json:"fields"`
	Languages []string `json:"languages"`
	// Mode is ON_SITE, REMOTE or EITHER.
	Mode string `json:"mode"`
	// From and To are the mission's dates ("2027-03-01").
	From string `json:"from"`
	To   string `json:"to"`
	// Country is where the mission is for (ISO 3166-1 alpha-2).
	Country string `json:"country"`
	// Experts is how many experts the mission needs; the request is matched once that
	// many are confirmed.
	Experts int `json:"experts"`
}

// RequestDrafted: an institution wrote a request, not yet seen by anyone else.
type RequestDrafted struct {
	RequestID     string    `json:"requestId"`
	InstitutionID string    `json:"institutionId"`
	Terms         Terms     `json:"terms"`
	At            time.Time `json:"at"`
}

// RequestRevised: the institution changed its draft; Terms is the whole new version.
type RequestRevised struct {
	RequestID string    `json:"requestId"`
	Terms     Terms     `json:"terms"`
	At        time.Time `json:"at"`
}

// RequestOpened: the request is published; coordinators may propose experts.
type RequestOpened struct {
	RequestID string    `json:"requestId"`
	At        time.Time `json:"at"`
}

// RequestMatched: as many experts as the request needs are confirmed.
type RequestMatched struct {
	RequestID string    `json:"requestId"`
	At        time.Time `json:"at"`
}

// RequestClosed: the mission took place; the request is done.
type RequestClosed struct {
	RequestID string    `json:"requestId"`
	At        time.Time `json:"at"`
}

// RequestCancelled: the institution or an admin withdrew the request, saying why.
type RequestCancelled struct {
	RequestID string    `json:"requestId"`
	Reason    string    `json:"reason"`
	At        time.Time `json:"at"`
}

// MatchProposed: a coordinator or an admin proposed an expert for the request, with the
// score the matching gave them then.
type MatchProposed struct {
	RequestID string    `json:"requestId"`
	ExpertID  string    `json:"expertId"`
	Score     int       `json:"score"`
	At        time.Time `json:"at"`
}

// MatchAccepted: the expert accepted to be put forward to the institution.
type MatchAccepted struct {
	RequestID string    `json:"requestId"`
	ExpertID  string    `json:"expertId"`
	At        time.Time `json:"at"`
}

// Who declined a match.
const (
	DeclinedByExpert      = "EXPERT"
	DeclinedByInstitution = "INSTITUTION"
)

// MatchDeclined: the expert declined the proposal, or the institution an accepted match.
type MatchDeclined struct {
	RequestID string    `json:"requestId"`
	ExpertID  string    `json:"expertId"`
	By        string    `json:"by"`
	At        time.Time `json:"at"`
}

// MatchConfirmed: the institution confirmed an accepted expert: a mission.
type MatchConfirmed struct {
	RequestID string    `json:"requestId"`
	ExpertID  string    `json:"expertId"`
	At        time.Time `json:"at"`
}
