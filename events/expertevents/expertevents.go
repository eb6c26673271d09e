// Package expertevents is the published contract of the experts service: individual
// diaspora professionals who offer their skills (temporary or virtual return), their
// consents, and their erasure; institutions of countries of origin, their requests for
// expertise, and the matches between the two. Everything personal about an expert travels sealed
// (Sealed): readable only with the expert's data key, which erasure destroys, so the
// events stay and nothing personal can be read from them again. Changing a field's
// meaning needs a new schema version and an upcaster.
package expertevents

import (
	"strings"
	"time"

	"passerelle.dev/events"
)

// Event type names. They are stored with every event and must never change.
const (
	ExpertRegisteredType     = "experts.ExpertRegistered"
	ExpertProfileUpdatedType = "experts.ExpertProfileUpdated"
	ExpertVerifiedType       = "experts.ExpertVerified"
	ExpertRejectedType       = "experts.ExpertRejected"
	ConsentGivenType         = "experts.ConsentGiven"
	ConsentWithdrawnType     = "experts.ConsentWithdrawn"
	ExpertRemindedType       = "experts.ExpertReminded"
	ExpertErasedType         = "experts.ExpertErased"
)

// StreamPrefix starts each expert's stream.
const StreamPrefix = "expert-"

// StreamID is the stream of an expert.
func StreamID(id string) string { return StreamPrefix + id }

// ExpertIDFromStream returns the expert id of a stream, ok false for other streams.
func ExpertIDFromStream(stream string) (string, bool) { return strings.CutPrefix(stream, StreamPrefix) }

// Purposes an expert consents to, each on its own and withdrawable at any time.
const (
	// Processing: keeping the profile at all, to be verified and matched by
	// coordinators. Required to register; withdrawing it erases the expert.
	Processing = "PROCESSING"
	// Roster: being shown in the public roster.
	Roster = "ROSTER"
	// Contact: institutions whose request the expert accepted may see their contact.
	Contact = "CONTACT"
)

// Purposes lists the purposes, Processing first.
var Purposes = []string{Processing, Roster, Contact}

// Text is a text in the languages of the platform.
type Text struct {
	EN string `json:"en,omitempty"`
	FR string `json:"fr,omitempty"`
	ES string `json:"es,omitempty"`
}

// Availability is how and when an expert can give their time.
type Availability struct {
	OnSite bool `json:"onSite"`
	Remote bool `json:"remote"`
	// From and To are dates ("2027-03-01"); either may be empty (open-ended).
	From string `json:"from,omitempty"`
	To   string `json:"to,omitempty"`
	// DaysPerYear is how many days a year they can give.
	DaysPerYear int `json:"daysPerYear"`
}

// Profile is everything an expert says about themselves: personal data, all of it,
// sealed in the events (see Sealed).
type Profile struct {
	Name string `json:"name"`
	// Fields are codes of the fields of expertise (package expertise of the service).
	Fields []string `json:"fields"`
	// Languages are canonical BCP 47 tags.
	Languages []string `json:"languages"`
	// OriginCountries and ResidenceCountry are ISO 3166-1 alpha-2 codes.
	OriginCountries  []string     `json:"originCountries"`
	ResidenceCountry string       `json:"residenceCountry"`
	Availability     Availability `json:"availability"`
	Bio              Text         `json:"bio"`
	// AssociationID is the association the expert is a member of, if any.
	AssociationID string `json:"associationId,omitempty"`
	Email         string `json:"email"`
	Phone         string `json:"phone,omitempty"`
}

// Sealed is a Profile encrypted with the expert's data key (AES-256-GCM, bound to the
// expert's id).
type Sealed struct {
	Ciphertext []byte `json:"ciphertext"`
}

// ExpertRegistered: someone registered as an expert; they await verification.
type ExpertRegistered struct {
	ExpertID string    `json:"expertId"`
	Profile  Sealed    `json:"profile"`
	At       time.Time `json:"at"`
}

// ExpertProfileUpdated: the expert changed their profile; Profile is the whole new one.
type ExpertProfileUpdated struct {
	ExpertID string    `json:"expertId"`
	Profile  Sealed    `json:"profile"`
	At       time.Time `json:"at"`
}

// ExpertVerified: a coordinator or an admin checked who the expert is.
type ExpertVerified struct {
	ExpertID string    `json:"expertId"`
	At       time.Time `json:"at"`
}

// ExpertRejected: a coordinator or an admin did not accept the registration. Reason is
// written for the expert: it is sealed, as it may name them.
type ExpertRejected struct {
	ExpertID string    `json:"expertId"`
	Reason   Sealed    `json:"reason"`
	At       time.Time `json:"at"`
}

// ConsentGiven: the expert consented to Purpose, in the wording of WordingVersion.
type ConsentGiven struct {
	ExpertID       string    `json:"expertId"`
	Purpose        string    `json:"purpose"`
	WordingVersion string    `json:"wordingVersion"`
	At             time.Time `json:"at"`
}

// ConsentWithdrawn: the consent to Purpose ends, at once.
type ConsentWithdrawn struct {
	ExpertID string    `json:"expertId"`
	Purpose  string    `json:"purpose"`
	At       time.Time `json:"at"`
}

// ExpertReminded: the expert had been inactive for the retention period and was asked
// to confirm they stay; without an answer they are erased.
type ExpertReminded struct {
	ExpertID string    `json:"expertId"`
	At       time.Time `json:"at"`
}

// ExpertErased: the expert's data key is destroyed (in the same transaction): every
// sealed part of their events is unreadable from now on. Why says who asked: SELF,
// ADMIN or RETENTION.
type ExpertErased struct {
	ExpertID string    `json:"expertId"`
	Why      string    `json:"why"`
	At       time.Time `json:"at"`
}

// Register adds the experts service's events to a registry.
func Register(r *events.Registry) error {
	regs := []func() error{
		func() error { return events.Register[ExpertRegistered](r, ExpertRegisteredType, 1) },
		func() error { return events.Register[ExpertProfileUpdated](r, ExpertProfileUpdatedType, 1) },
		func() error { return events.Register[ExpertVerified](r, ExpertVerifiedType, 1) },
		func() error { return events.Register[ExpertRejected](r, ExpertRejectedType, 1) },
		func() error { return events.Register[ConsentGiven](r, ConsentGivenType, 1) },
		func() error { return events.Register[ConsentWithdrawn](r, ConsentWithdrawnType, 1) },
		func() error { return events.Register[ExpertReminded](r, ExpertRemindedType, 1) },
		func() error { return events.Register[ExpertErased](r, ExpertErasedType, 1) },
		func() error { return events.Register[InstitutionRegistered](r, InstitutionRegisteredType, 1) },
		func() error { return events.Register[InstitutionVerified](r, InstitutionVerifiedType, 1) },
		func() error { return events.Register[InstitutionRejected](r, InstitutionRejectedType, 1) },
		func() error { return events.Register[RequestDrafted](r, RequestDraftedType, 1) },
		func() error { return events.Register[RequestRevised](r, RequestRevisedType, 1) },
		func() error { return events.Register[RequestOpened](r, RequestOpenedType, 1) },
		func() error { return events.Register[RequestMatched](r, RequestMatchedType, 1) },
		func() error { return events.Register[RequestClosed](r, RequestClosedType, 1) },
		func() error { return events.Register[RequestCancelled](r, RequestCancelledType, 1) },
		func() error { return events.Register[MatchProposed](r, MatchProposedType, 1) },
		func() error { return events.Register[MatchAccepted](r, MatchAcceptedType, 1) },
		func() error { return events.Register[MatchDeclined](r, MatchDeclinedType, 1) },
		func() error { return events.Register[MatchConfirmed](r, MatchConfirmedType, 1) },
	}
	for _, reg := range regs {
		if err := reg(); err != nil {
			return err
		}
	}
	return nil
}
