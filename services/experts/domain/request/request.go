// Package request holds the Request aggregate: an institution's request for expertise,
// from its draft to its close, and the matches proposed for it. The matches live in the
// request's stream, so one lock and one version guard everything the invariants span:
// an expert is proposed once per request, only a proposed expert accepts, only an
// accepted one is confirmed, and never more are confirmed than the mission needs.
package request

import (
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/text/language"

	"passerelle.dev/events"
	"passerelle.dev/events/expertevents"
	"passerelle.dev/experts/domain/expert"
	"passerelle.dev/experts/domain/expertise"
	"passerelle.dev/experts/domain/matching"
	"passerelle.dev/kernel/countries"
	"passerelle.dev/kernel/fault"
)

// Errors of requests and matches.
var (
	ErrNotFound          = fault.Because(fault.NotFound, "REQUEST_NOT_FOUND", "request for expertise not found")
	ErrNeedsSignIn       = fault.Because(fault.Unauthenticated, "TOKEN_NEEDED", "this needs a token")
	ErrInstitutionOnly   = fault.Because(fault.Forbidden, "INSTITUTION_ONLY", "only the institution that posted the request can do this")
	ErrNotVerified       = fault.Because(fault.Conflict, "INSTITUTION_NOT_VERIFIED", "the institution is not verified yet")
	ErrModeratorsOnly    = fault.Because(fault.Forbidden, "COORDINATORS_ONLY", "only a coordinator or an admin proposes experts")
	ErrNotDraft          = fault.Because(fault.Conflict, "REQUEST_NOT_DRAFT", "the request is no longer a draft")
	ErrNotOpen           = fault.Because(fault.Conflict, "REQUEST_NOT_OPEN", "the request is not open")
	ErrNotMatched        = fault.Because(fault.Conflict, "REQUEST_NOT_MATCHED", "the request has no confirmed experts to close its mission with")
	ErrFinished          = fault.Because(fault.Conflict, "REQUEST_FINISHED", "the request is closed or cancelled")
	ErrAlreadyProposed   = fault.Because(fault.Conflict, "ALREADY_PROPOSED", "this expert has already been proposed for this request")
	ErrNoMatch           = fault.Because(fault.NotFound, "MATCH_NOT_FOUND", "this expert was not proposed for this request")
	ErrNotProposed       = fault.Because(fault.Conflict, "MATCH_NOT_PROPOSED", "the match is not awaiting the expert's answer")
	ErrNotAccepted       = fault.Because(fault.Conflict, "MATCH_NOT_ACCEPTED", "the expert has not accepted this match")
	ErrNotCandidate      = fault.Because(fault.Conflict, "NOT_A_CANDIDATE", "the expert is not verified, does not consent to be matched, or shares no field with the request")
	ErrTooManyProposals  = fault.Because(fault.Conflict, "TOO_MANY_PROPOSALS", "the request has as many proposals awaiting answers as it may")
	ErrExpertOrOwnerOnly = fault.Because(fault.Forbidden, "EXPERT_OR_INSTITUTION_ONLY", "only the expert or the institution can decline this match")
)

// Status is where a request stands.
type Status string

// The statuses: draft → open → matched → closed, or cancelled from any but closed.
const (
	Draft     Status = "DRAFT"
	Open      Status = "OPEN"
	Matched   Status = "MATCHED"
	Closed    Status = "CLOSED"
	Cancelled Status = "CANCELLED"
)

// MatchStatus is where a match stands.
type MatchStatus string

// The match statuses: proposed → accepted → confirmed, or declined.
const (
	Proposed  MatchStatus = "PROPOSED"
	Accepted  MatchStatus = "ACCEPTED"
	Declined  MatchStatus = "DECLINED"
	Confirmed MatchStatus = "CONFIRMED"
)

// Limits of a request.
const (
	MaxTitleLength = 200
	MaxToRLength   = 10000
	MaxFields      = 5
	MaxLanguages   = 5
	MaxExperts     = 10
	// MaxAwaiting is how many proposals may await an answer at once: enough choice for
	// the institution, not a mass mailing of the roster.
	MaxAwaiting     = 20
	MaxReasonLength = 1000
)

// Match is one expert proposed for the request.
type Match struct {
	ExpertID   string
	Status     MatchStatus
	Score      int
	DeclinedBy string
	ProposedAt time.Time
	UpdatedAt  time.Time
}

// Request is the aggregate.
type Request struct {
	id, institutionID string
	status            Status
	terms             expertevents.Terms
	reason            string
	matches           []Match
	createdAt         time.Time
	openedAt          time.Time
	version           int64
	pending           []any
}

// Institution is what a request needs to know of the institution posting it.
type Institution struct {
	ID       string
	Verified bool
}

// New drafts a new request of an institution: the institution itself, verified.
func New(by events.Actor, id string, inst Institution, t expertevents.Terms, now time.Time) (*Request, error) {
	switch {
	case !by.IsAuthenticated():
		return nil, ErrNeedsSignIn
	case !by.IsInstitution(inst.ID):
		return nil, ErrInstitutionOnly
	case !inst.Verified:
		return nil, ErrNotVerified
	}
	t, err := CheckTerms(t, now)
	if err != nil {
		return nil, err
	}
	r := &Request{}
	r.record(expertevents.RequestDrafted{RequestID: id, InstitutionID: inst.ID, Terms: t, At: now.UTC()})
	return r, nil
}

func bad(field, reason string) error { return &expert.InvalidInputError{Field: field, Reason: reason} }

// CheckTerms checks and tidies a request's terms; the mission may not start before now.
func CheckTerms(t expertevents.Terms, now time.Time) (expertevents.Terms, error) {
	t.Title = strings.Join(strings.Fields(t.Title), " ")
	if n := utf8.RuneCountInString(t.Title); n < 5 || n > MaxTitleLength {
		return t, bad("title", fmt.Sprintf("a title of 5 to %d characters", MaxTitleLength))
	}
	t.TermsOfReference = strings.TrimSpace(t.TermsOfReference)
	if n := utf8.RuneCountInString(t.TermsOfReference); n < 20 || n > MaxToRLength {
		return t, bad("termsOfReference", fmt.Sprintf("terms of reference of 20 to %d characters", MaxToRLength))
	}
	if len(t.Fields) == 0 || len(t.Fields) > MaxFields {
		return t, bad("fields", fmt.Sprintf("1 to %d fields of expertise", MaxFields))
	}
	fields := t.Fields
	t.Fields = nil
	for _, f := range fields {
		if !expertise.Known(f) {
			return t, bad("fields", "fields of expertise of the list")
		}
		if !slices.Contains(t.Fields, f) {
			t.Fields = append(t.Fields, f)
		}
	}
	if len(t.Languages) > MaxLanguages {
		return t, bad("languages", fmt.Sprintf("at most %d languages", MaxLanguages))
	}
	langs := t.Languages
	t.Languages = []string{}
	for _, l := range langs {
		tag, err := language.Parse(strings.TrimSpace(l))
		if err != nil || tag == language.Und {
			return t, bad("languages", "BCP 47 language tags, such as fr, wo, pt-BR")
		}
		if s := tag.String(); !slices.Contains(t.Languages, s) {
			t.Languages = append(t.Languages, s)
		}
	}
	if !slices.Contains([]string{matching.OnSite, matching.Remote, matching.Either}, t.Mode) {
		return t, bad("mode", "ON_SITE, REMOTE or EITHER")
	}
	from, err := time.Parse(time.DateOnly, t.From)
	if err != nil {
		return t, bad("from", "a date such as 2027-03-01")
	}
	to, err := time.Parse(time.DateOnly, t.To)
	if err != nil {
		return t, bad("to", "a date such as 2027-06-30")
	}
	today, _ := time.Parse(time.DateOnly, now.UTC().Format(time.DateOnly))
	switch {
	case from.Before(today):
		return t, bad("from", "the mission cannot start in the past")
	case to.Before(from):
		return t, bad("to", "not before the start")
	case to.Sub(from) > 3*366*24*time.Hour:
		return t, bad("to", "a mission of at most three years")
	}
	code, ok := countries.Normalize(t.Country)
	if !ok {
		return t, bad("country", "an ISO 3166-1 alpha-2 country code")
	}
	t.Country = code
	if t.Experts < 1 || t.Experts > MaxExperts {
		return t, bad("experts", fmt.Sprintf("1 to %d experts", MaxExperts))
	}
	return t, nil
}

// FromHistory rebuilds a request from its events.
func FromHistory(history []any) (*Request, error) {
	if len(history) == 0 {
		return nil, ErrNotFound
	}
	r := &Request{}
	for i, ev := range history {
		if err := r.apply(ev); err != nil {
			return nil, fmt.Errorf("request history, event %d: %w", i+1, err)
		}
		r.version++
	}
	return r, nil
}

func (r *Request) owner(by events.Actor) error {
	switch {
	case !by.IsAuthenticated():
		return ErrNeedsSignIn
	case !by.IsInstitution(r.institutionID):
		return ErrInstitutionOnly
	}
	return nil
}

// ownerOrAdmin lets the institution, or an admin, act.
func (r *Request) ownerOrAdmin(by events.Actor) error {
	if by.IsAdmin() {
		return nil
	}
	return r.owner(by)
}

// Revise replaces the terms of a draft: the institution.
func (r *Request) Revise(by events.Actor, t expertevents.Terms, now time.Time) error {
	if err := r.owner(by); err != nil {
		return err
	}
	if r.status != Draft {
		return ErrNotDraft
	}
	t, err := CheckTerms(t, now)
	if err != nil {
		return err
	}
	r.record(expertevents.RequestRevised{RequestID: r.id, Terms: t, At: now.UTC()})
	return nil
}

// Open publishes a draft: the institution. A draft whose mission would start in the
// past must be revised first.
func (r *Request) Open(by events.Actor, now time.Time) error {
	if err := r.owner(by); err != nil {
		return err
	}
	if r.status != Draft {
		return ErrNotDraft
	}
	if _, err := CheckTerms(r.terms, now); err != nil {
		return err
	}
	r.record(expertevents.RequestOpened{RequestID: r.id, At: now.UTC()})
	return nil
}

// Candidate is an expert as the matching rated them for this request now; Eligible is
// false when they may not be proposed (not verified, no consent to processing, erased,
// or no field in common).
type Candidate struct {
	ExpertID string
	Eligible bool
	Score    int
}

// Propose puts an expert forward for the request: coordinators and admins.
func (r *Request) Propose(by events.Actor, c Candidate, now time.Time) error {
	switch {
	case !by.IsAuthenticated():
		return ErrNeedsSignIn
	case !by.IsAdmin() && by.Role != events.RoleCoordinator:
		return ErrModeratorsOnly
	case r.status != Open:
		return ErrNotOpen
	case slices.ContainsFunc(r.matches, func(m Match) bool { return m.ExpertID == c.ExpertID }):
		return ErrAlreadyProposed
	case !c.Eligible:
		return ErrNotCandidate
	case r.count(Proposed)+r.count(Accepted) >= MaxAwaiting:
		return ErrTooManyProposals
	}
	r.record(expertevents.MatchProposed{RequestID: r.id, ExpertID: c.ExpertID, Score: c.Score, At: now.UTC()})
	return nil
}

func (r *Request) match(expertID string) (*Match, error) {
	i := slices.IndexFunc(r.matches, func(m Match) bool { return m.ExpertID == expertID })
	if i < 0 {
		return nil, ErrNoMatch
	}
	return &r.matches[i], nil
}

// Accept says yes to a proposal: the expert themselves, while the request is open.
func (r *Request) Accept(by events.Actor, now time.Time) error {
	if !by.IsAuthenticated() {
		return ErrNeedsSignIn
	}
	if by.Role != events.RoleExpert {
		return expert.ErrSelfOnly
	}
	m, err := r.match(by.Subject)
	switch {
	case err != nil:
		return err
	case r.status != Open:
		return ErrNotOpen
	case m.Status != Proposed:
		return ErrNotProposed
	}
	r.record(expertevents.MatchAccepted{RequestID: r.id, ExpertID: m.ExpertID, At: now.UTC()})
	return nil
}

// Decline says no: the expert to a proposal (or to a match they accepted, until it is
// confirmed), or the institution to an expert who accepted.
func (r *Request) Decline(by events.Actor, expertID string, now time.Time) error {
	if !by.IsAuthenticated() {
		return ErrNeedsSignIn
	}
	m, err := r.match(expertID)
	if err != nil {
		if by.IsExpert(expertID) || by.IsInstitution(r.institutionID) {
			return err
		}
		return ErrExpertOrOwnerOnly
	}
	var who string
	switch {
	case by.IsExpert(expertID):
		if m.Status != Proposed && m.Status != Accepted {
			return ErrNotProposed
		}
		who = expertevents.DeclinedByExpert
	case by.IsInstitution(r.institutionID):
		if m.Status != Accepted {
			return ErrNotAccepted
		}
		who = expertevents.DeclinedByInstitution
	default:
		return ErrExpertOrOwnerOnly
	}
	if r.status != Open {
		return ErrNotOpen
	}
	r.record(expertevents.MatchDeclined{RequestID: r.id, ExpertID: expertID, By: who, At: now.UTC()})
	return nil
}

// Confirm takes an accepted expert on for the mission: the institution. Once as many
// experts as the mission needs are confirmed, the request is matched.
func (r *Request) Confirm(by events.Actor, expertID string, now time.Time) error {
	if err := r.owner(by); err != nil {
		return err
	}
	m, err := r.match(expertID)
	switch {
	case err != nil:
		return err
	case r.status != Open:
		return ErrNotOpen
	case m.Status != Accepted:
		return ErrNotAccepted
	}
	r.record(expertevents.MatchConfirmed{RequestID: r.id, ExpertID: expertID, At: now.UTC()})
	if r.count(Confirmed) >= r.terms.Experts {
		r.record(expertevents.RequestMatched{RequestID: r.id, At: now.UTC()})
	}
	return nil
}

// Close ends a matched request once its mission took place: the institution or an admin.
func (r *Request) Close(by events.Actor, now time.Time) error {
	if err := r.ownerOrAdmin(by); err != nil {
		return err
	}
	if r.status != Matched {
		if r.status == Closed || r.status == Cancelled {
			return ErrFinished
		}
		return ErrNotMatched
	}
	r.record(expertevents.RequestClosed{RequestID: r.id, At: now.UTC()})
	return nil
}

// Cancel withdraws the request, with a reason: the institution or an admin.
func (r *Request) Cancel(by events.Actor, reason string, now time.Time) error {
	if err := r.ownerOrAdmin(by); err != nil {
		return err
	}
	reason = strings.TrimSpace(reason)
	if n := utf8.RuneCountInString(reason); n < 3 || n > MaxReasonLength {
		return bad("reason", fmt.Sprintf("a reason of 3 to %d characters", MaxReasonLength))
	}
	if r.status == Closed || r.status == Cancelled {
		return ErrFinished
	}
	r.record(expertevents.RequestCancelled{RequestID: r.id, Reason: reason, At: now.UTC()})
	return nil
}

func (r *Request) count(s MatchStatus) int {
	n := 0
	for _, m := range r.matches {
		if m.Status == s {
			n++
		}
	}
	return n
}

func (r *Request) record(ev any) {
	if err := r.apply(ev); err != nil {
		panic(fmt.Sprintf("request: recording an event it cannot apply: %v", err))
	}
	r.pending = append(r.pending, ev)
}

func (r *Request) setMatch(expertID string, s MatchStatus, at time.Time) error {
	m, err := r.match(expertID)
	if err != nil {
		return err
	}
	m.Status, m.UpdatedAt = s, at
	return nil
}

func (r *Request) apply(ev any) error {
	switch e := ev.(type) {
	case expertevents.RequestDrafted:
		r.id, r.institutionID, r.terms, r.status, r.createdAt = e.RequestID, e.InstitutionID, e.Terms, Draft, e.At
	case expertevents.RequestRevised:
		r.terms = e.Terms
	case expertevents.RequestOpened:
		r.status, r.openedAt = Open, e.At
	case expertevents.RequestMatched:
		r.status = Matched
	case expertevents.RequestClosed:
		r.status = Closed
	case expertevents.RequestCancelled:
		r.status, r.reason = Cancelled, e.Reason
	case expertevents.MatchProposed:
		r.matches = append(r.matches, Match{ExpertID: e.ExpertID, Status: Proposed, Score: e.Score, ProposedAt: e.At, UpdatedAt: e.At})
	case expertevents.MatchAccepted:
		return r.setMatch(e.ExpertID, Accepted, e.At)
	case expertevents.MatchDeclined:
		if err := r.setMatch(e.ExpertID, Declined, e.At); err != nil {
			return err
		}
		m, _ := r.match(e.ExpertID)
		m.DeclinedBy = e.By
	case expertevents.MatchConfirmed:
		return r.setMatch(e.ExpertID, Confirmed, e.At)
	default:
		return fmt.Errorf("unknown event %T", ev)
	}
	return nil
}

// ID returns the request's id.
func (r *Request) ID() string { return r.id }

// InstitutionID returns the id of the institution that posted it.
func (r *Request) InstitutionID() string { return r.institutionID }

// Status returns where the request stands.
func (r *Request) Status() Status { return r.status }

// Terms returns what the request asks.
func (r *Request) Terms() expertevents.Terms { return r.terms }

// Needs are the request's terms as the matching reads them.
func (r *Request) Needs() matching.Needs { return matching.NeedsOf(r.terms) }

// CancellationReason is why the request was cancelled.
func (r *Request) CancellationReason() string { return r.reason }

// Matches returns the experts proposed, in the order they were.
func (r *Request) Matches() []Match { return slices.Clone(r.matches) }

// CreatedAt is when the request was drafted; OpenedAt when it was published.
func (r *Request) CreatedAt() time.Time { return r.createdAt }

// OpenedAt is when the request was published, zero for a draft.
func (r *Request) OpenedAt() time.Time { return r.openedAt }

// Version is the stream version as loaded.
func (r *Request) Version() int64 { return r.version }

// PendingEvents are the events recorded since the request was loaded.
func (r *Request) PendingEvents() []any { return slices.Clone(r.pending) }
