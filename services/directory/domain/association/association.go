// Package association holds the Association aggregate: a diaspora association's
// registration on the platform and its lifecycle. It knows nothing of SQL, HTTP or
// encryption; it decides, from the events of its past, whether a change is allowed and
// which events it produces.
//
//	PENDING ──verify──▶ VERIFIED ──suspend──▶ SUSPENDED
//	   │                   ▲                      │
//	   └─reject─▶ REJECTED └──────reinstate───────┘
//	any status ──dissolve──▶ DISSOLVED
package association

import (
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"passerelle.dev/events"
	"passerelle.dev/events/directoryevents"
)

// Status is where an association stands in its lifecycle.
type Status struct{ name string }

// The statuses.
var (
	StatusPending   = Status{"PENDING"}
	StatusVerified  = Status{"VERIFIED"}
	StatusRejected  = Status{"REJECTED"}
	StatusSuspended = Status{"SUSPENDED"}
	StatusDissolved = Status{"DISSOLVED"}
)

// Statuses lists every status.
var Statuses = []Status{StatusPending, StatusVerified, StatusRejected, StatusSuspended, StatusDissolved}

// String returns the status as GraphQL and the projections show it.
func (s Status) String() string { return s.name }

// Limits of the lifecycle.
const (
	MaxOriginCountries = 30
	MaxReasonLength    = 1000
)

// Association is the aggregate. Its fields are unexported: it changes only through its
// methods, which check the rules and record the resulting events.
type Association struct {
	id      string
	profile Profile
	contact *SealedContact
	status  Status
	reason  string // of the last rejection, suspension or dissolution
	// keyGeneration counts the renewals of its key (see RenewKey).
	keyGeneration int

	registeredAt time.Time
	verifiedAt   time.Time

	version int64 // of the last stored event applied
	pending []any
}

// Register creates a pending association. contact may be nil.
func Register(id uuid.UUID, p Profile, contact *SealedContact, now time.Time) (*Association, error) {
	if id == uuid.Nil {
		return nil, fmt.Errorf("register association: nil id")
	}
	a := &Association{}
	a.record(directoryevents.AssociationRegistered{
		AssociationID: id.String(),
		Profile:       profileContract(p, contact),
		RegisteredAt:  now.UTC(),
	})
	return a, nil
}

func parseOrigins(in []string) ([]CountryCode, error) {
	if len(in) == 0 {
		return nil, &InvalidInputError{Field: "originCountries", Reason: "name at least one country of origin"}
	}
	if len(in) > MaxOriginCountries {
		return nil, &InvalidInputError{Field: "originCountries", Reason: fmt.Sprintf("at most %d countries of origin", MaxOriginCountries)}
	}
	var out []CountryCode
	for _, s := range in {
		c, err := ParseCountryCode(s)
		if err != nil {
			return nil, withField(err, "originCountries")
		}
		if !slices.Contains(out, c) {
			out = append(out, c)
		}
	}
	return out, nil
}

// FromHistory rebuilds an association from its stored events (decoded payloads, in
// stream order).
func FromHistory(history []any) (*Association, error) {
	if len(history) == 0 {
		return nil, ErrNotFound
	}
	a := &Association{}
	for i, ev := range history {
		if err := a.apply(ev); err != nil {
			return nil, fmt.Errorf("association history, event %d: %w", i+1, err)
		}
		a.version++
	}
	return a, nil
}

// ProfileUpdate is what an update changes: the profile as the association wants it now,
// and its contact when Contact.Set.
type ProfileUpdate struct {
	Profile ProfileInput
	Contact ContactUpdate
	// Cities are the cities open now; the association's own city is always accepted.
	Cities Cities
}

// ContactUpdate replaces the contact person (Sealed nil removes it) when Set.
type ContactUpdate struct {
	Set    bool
	Sealed *SealedContact
}

// UpdateProfile changes the profile. Only the association itself and admins may; a
// dissolved association is closed. It returns the changed fields: none means nothing
// was recorded.
func (a *Association) UpdateProfile(by events.Actor, u ProfileUpdate, now time.Time) ([]string, error) {
	if err := a.mayManage(by); err != nil {
		return nil, err
	}
	if a.status == StatusDissolved {
		return nil, ErrDissolved
	}
	next, err := NewProfile(u.Profile, now, append(append(Cities(nil), u.Cities...), a.profile.City))
	if err != nil {
		return nil, err
	}
	fields := a.profile.diff(next)
	contactChanged := u.Contact.Set && !sameContact(a.contact, u.Contact.Sealed)
	if contactChanged {
		fields = append(fields, "contact")
	}
	if len(fields) == 0 {
		return nil, nil
	}
	a.record(directoryevents.AssociationProfileUpdated{
		AssociationID: a.id,
		Fields:        fields,
		Changes:       profileContract(next, u.Contact.Sealed).ChangesIn(fields),
		UpdatedAt:     now.UTC(),
	})
	return fields, nil
}

func sameContact(a, b *SealedContact) bool {
	if a == nil || b == nil {
		return a == b
	}
	return string(a.Digest) == string(b.Digest)
}

// Verify records that a coordinator of the association's city, or an admin, checked a
// pending association.
func (a *Association) Verify(by events.Actor, now time.Time) error {
	if err := a.mayModerate(by); err != nil {
		return err
	}
	if a.status != StatusPending {
		return a.transitionError("verified", StatusPending)
	}
	a.record(directoryevents.AssociationVerified{AssociationID: a.id, VerifiedAt: now.UTC()})
	return nil
}

// Reject refuses a pending registration, with a reason.
func (a *Association) Reject(by events.Actor, reason string, now time.Time) error {
	if err := a.mayModerate(by); err != nil {
		return err
	}
	r, err := requiredReason(reason)
	if err != nil {
		return err
	}
	if a.status != StatusPending {
		return a.transitionError("rejected", StatusPending)
	}
	a.record(directoryevents.AssociationRejected{AssociationID: a.id, Reason: r, RejectedAt: now.UTC()})
	return nil
}

// Suspend suspends a verified association, with a reason.
func (a *Association) Suspend(by events.Actor, reason string, now time.Time) error {
	if err := a.mayModerate(by); err != nil {
		return err
	}
	r, err := requiredReason(reason)
	if err != nil {
		return err
	}
	if a.status != StatusVerified {
		return a.transitionError("suspended", StatusVerified)
	}
	a.record(directoryevents.AssociationSuspended{AssociationID: a.id, Reason: r, SuspendedAt: now.UTC()})
	return nil
}

// Reinstate makes a suspended association verified again.
func (a *Association) Reinstate(by events.Actor, now time.Time) error {
	if err := a.mayModerate(by); err != nil {
		return err
	}
	if a.status != StatusSuspended {
		return a.transitionError("reinstated", StatusSuspended)
	}
	a.record(directoryevents.AssociationReinstated{AssociationID: a.id, ReinstatedAt: now.UTC()})
	return nil
}

// Dissolve ends the association, whatever its status; the association itself or an
// admin decides. The reason is optional.
func (a *Association) Dissolve(by events.Actor, reason string, now time.Time) error {
	if err := a.mayManage(by); err != nil {
		return err
	}
	r := strings.TrimSpace(reason)
	if utf8.RuneCountInString(r) > MaxReasonLength {
		return &InvalidInputError{Field: "reason", Reason: fmt.Sprintf("at most %d characters", MaxReasonLength)}
	}
	if a.status == StatusDissolved {
		return ErrDissolved
	}
	a.record(directoryevents.AssociationDissolved{AssociationID: a.id, Reason: r, DissolvedAt: now.UTC()})
	return nil
}

// ForgetContact erases the contact person: the association itself or an admin asks.
// Forgetting twice is harmless and records nothing the second time.
func (a *Association) ForgetContact(by events.Actor, now time.Time) error {
	if err := a.mayManage(by); err != nil {
		return err
	}
	if a.contact == nil {
		return nil
	}
	a.record(directoryevents.AssociationContactForgotten{AssociationID: a.id, ForgottenAt: now.UTC()})
	return nil
}

// RenewKey gives the association a new key: the association itself (its key leaked, or
// was shared with someone who left) or an admin (the key was lost). Tokens of earlier
// keys stop working. A dissolved association has no use for one.
func (a *Association) RenewKey(by events.Actor, now time.Time) error {
	if err := a.mayManage(by); err != nil {
		return err
	}
	if a.status == StatusDissolved {
		return ErrDissolved
	}
	a.record(directoryevents.AssociationKeyRenewed{AssociationID: a.id, Generation: a.keyGeneration + 1, RenewedAt: now.UTC()})
	return nil
}

// ReissueKey gives the association a new key, ending every earlier one, for a repeat of
// the request that gave it its key (its registration, a renewal) with the same
// idempotency key and body: whoever sent the first request may never have received its
// answer, or the key leaked — either way, only the newest key works from now on. The
// repeat proves its right with the request itself, not with a token.
func (a *Association) ReissueKey(now time.Time) error {
	if a.status == StatusDissolved {
		return ErrDissolved
	}
	a.record(directoryevents.AssociationKeyRenewed{AssociationID: a.id, Generation: a.keyGeneration + 1, RenewedAt: now.UTC()})
	return nil
}

// KeyGeneration is which of its keys is the association's current one (0 for the key of
// its registration).
func (a *Association) KeyGeneration() int { return a.keyGeneration }

func requiredReason(reason string) (string, error) {
	r := strings.TrimSpace(reason)
	if utf8.RuneCountInString(r) < 3 || utf8.RuneCountInString(r) > MaxReasonLength {
		return "", &InvalidInputError{Field: "reason", Reason: fmt.Sprintf("a reason of 3 to %d characters is required", MaxReasonLength)}
	}
	return r, nil
}

// MayModerate tells whether by may verify, reject, suspend and reinstate the
// association: coordinators of its city and admins may.
func (a *Association) MayModerate(by events.Actor) error { return a.mayModerate(by) }

func (a *Association) mayModerate(by events.Actor) error {
	switch {
	case !by.IsAuthenticated():
		return ErrModerationNeedsSignIn
	case by.IsAdmin() || by.CoordinatesCity(a.profile.City.String()):
		return nil
	}
	return ErrModerationForbidden
}

// MayManage tells whether by may change the association's profile, dissolve it and
// forget its contact: the association itself and admins may.
func (a *Association) MayManage(by events.Actor) error { return a.mayManage(by) }

func (a *Association) mayManage(by events.Actor) error {
	switch {
	case !by.IsAuthenticated():
		return ErrManagementNeedsSignIn
	case by.IsAdmin() || by.SpeaksFor(a.id):
		return nil
	}
	return ErrManagementForbidden
}

func (a *Association) transitionError(verb string, from Status) error {
	return &TransitionError{Status: a.status, Verb: verb, From: from}
}

func (a *Association) record(ev any) {
	if err := a.apply(ev); err != nil {
		panic(fmt.Sprintf("association: recording an event it cannot apply: %v", err))
	}
	a.pending = append(a.pending, ev)
}

func (a *Association) apply(ev any) error {
	switch e := ev.(type) {
	case directoryevents.AssociationRegistered:
		if a.id != "" {
			return fmt.Errorf("registered twice")
		}
		a.id = e.AssociationID
		a.profile, a.contact = profileOf(e.Profile)
		a.status = StatusPending
		a.registeredAt = e.RegisteredAt
	case directoryevents.AssociationProfileUpdated:
		a.applyChanges(e)
	case directoryevents.AssociationVerified:
		a.status, a.reason, a.verifiedAt = StatusVerified, "", e.VerifiedAt
	case directoryevents.AssociationRejected:
		a.status, a.reason = StatusRejected, e.Reason
	case directoryevents.AssociationSuspended:
		a.status, a.reason = StatusSuspended, e.Reason
	case directoryevents.AssociationReinstated:
		a.status, a.reason = StatusVerified, ""
	case directoryevents.AssociationDissolved:
		a.status, a.reason = StatusDissolved, e.Reason
	case directoryevents.AssociationContactForgotten:
		a.contact = nil
	case directoryevents.AssociationKeyRenewed:
		a.keyGeneration = e.Generation
	default:
		return fmt.Errorf("unknown event %T", ev)
	}
	return nil
}

func (a *Association) applyChanges(e directoryevents.AssociationProfileUpdated) {
	a.profile, a.contact = profileOf(profileContract(a.profile, a.contact).Apply(e))
}

// profileContract is a profile as events store it.
func profileContract(p Profile, contact *SealedContact) directoryevents.Profile {
	out := directoryevents.Profile{ProfileDetails: p.Input()}
	if contact != nil {
		out.Contact = &directoryevents.SealedContact{Ciphertext: contact.Ciphertext, Digest: contact.Digest}
	}
	return out
}

// profileOf restores a profile from an event: it was checked when it was recorded.
func profileOf(p directoryevents.Profile) (Profile, *SealedContact) {
	out := Profile{
		Name: Name{p.Name}, Acronym: p.Acronym, Kind: Kind{p.Kind}, City: cityOf(p.City),
		CountryOfResidence: CountryCode{p.CountryOfResidence}, Languages: slices.Clone(p.Languages),
		Description: p.Description, Website: p.Website, MemberCount: p.MemberCount, YearFounded: p.YearFounded,
	}
	for _, c := range p.OriginCountries {
		out.OriginCountries = append(out.OriginCountries, CountryCode{c})
	}
	for _, s := range p.Sectors {
		out.Sectors = append(out.Sectors, Sector{s})
	}
	var contact *SealedContact
	if p.Contact != nil {
		contact = &SealedContact{Ciphertext: p.Contact.Ciphertext, Digest: p.Contact.Digest}
	}
	return out, contact
}

// PendingEvents are the events recorded since the association was loaded, to append.
func (a *Association) PendingEvents() []any { return append([]any(nil), a.pending...) }

// Version is the stream version the association was loaded at: the version its pending
// events must be appended after.
func (a *Association) Version() int64 { return a.version }

// ID returns the association's id.
func (a *Association) ID() string { return a.id }

// Profile returns the association's profile.
func (a *Association) Profile() Profile { return a.profile }

// Name returns the association's name.
func (a *Association) Name() Name { return a.profile.Name }

// City returns the city the association registered in.
func (a *Association) City() City { return a.profile.City }

// Contact returns the sealed contact person, nil if there is none (or it was forgotten).
func (a *Association) Contact() *SealedContact { return a.contact }

// Status returns the association's status.
func (a *Association) Status() Status { return a.status }

// StatusReason returns the reason given for the current status, if any.
func (a *Association) StatusReason() string { return a.reason }

// RegisteredAt returns when the association registered.
func (a *Association) RegisteredAt() time.Time { return a.registeredAt }

// VerifiedAt returns when the association was last verified (zero if never).
func (a *Association) VerifiedAt() time.Time { return a.verifiedAt }
