// Package expert holds the Expert aggregate: an individual diaspora professional who
// offers their skills, the consents they gave for each use of their data, and their
// erasure. It decides from its own events; it never sees a key or a ciphertext — the
// repository seals what it records and opens what it loads, and an erased expert's
// events come back unreadable.
package expert

import (
	"errors"
	"fmt"
	"net/mail"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/language"

	"passerelle.dev/events"
	"passerelle.dev/events/expertevents"
	"passerelle.dev/experts/domain/expertise"
	"passerelle.dev/kernel/countries"
	"passerelle.dev/kernel/fault"
)

// Profile is what an expert says about themselves.
type Profile = expertevents.Profile

// Limits of a profile.
const (
	MaxFields       = 5
	MaxLanguages    = 10
	MaxCountries    = 5
	MaxBioLength    = 2000
	MaxNameLength   = 120
	MaxReasonLength = 1000
)

// InvalidInputError says which field is wrong and why. It never repeats the value:
// error messages reach logs and other people's screens.
type InvalidInputError struct{ Field, Reason string }

func (e *InvalidInputError) Error() string { return e.Field + ": " + e.Reason }

// Code implements fault.Coded.
func (e *InvalidInputError) Code() fault.Code { return fault.BadUserInput }

// Details implements fault.Detailed.
func (e *InvalidInputError) Details() map[string]any { return map[string]any{"field": e.Field} }

// Errors of the expert's life.
var (
	ErrNotFound       = fault.Because(fault.NotFound, "EXPERT_NOT_FOUND", "expert not found")
	ErrErased         = fault.Because(fault.Conflict, "EXPERT_ERASED", "the expert erased their data")
	ErrNeedsSignIn    = fault.Because(fault.Unauthenticated, "TOKEN_NEEDED", "this needs a token")
	ErrSelfOnly       = fault.Because(fault.Forbidden, "EXPERT_ONLY", "only the expert themselves can do this")
	ErrModeratorsOnly = fault.Because(fault.Forbidden, "COORDINATORS_ONLY", "only a coordinator or an admin can do this")
	ErrNotPending     = fault.Because(fault.Conflict, "NOT_PENDING", "the expert is not awaiting verification")
	ErrNoConsent      = fault.Because(fault.BadUserInput, "CONSENT_TO_PROCESSING_NEEDED", "registering needs consent to the processing of the profile")
	ErrOldWording     = fault.Because(fault.Conflict, "OUTDATED_WORDING", "the consent's wording has changed: read it again")
)

// Status is where an expert stands.
type Status string

// The statuses.
const (
	Pending  Status = "PENDING"
	Verified Status = "VERIFIED"
	Rejected Status = "REJECTED"
	Erased   Status = "ERASED"
)

// Domain events: what the aggregate records, in clear. The repository turns them into
// the published contract's events, sealing the personal parts.
type (
	Registered     struct{ Profile Profile }
	ProfileUpdated struct{ Profile Profile }
	VerifiedEvent  struct{}
	RejectedEvent  struct{ Reason string }
	ConsentGiven   struct{ Purpose, WordingVersion string }
	ConsentEnded   struct{ Purpose string }
	Reminded       struct{}
	ErasedEvent    struct{ Why string }
)

// Recorded is a domain event with its time.
type Recorded struct {
	Event any
	At    time.Time
}

// Expert is the aggregate.
type Expert struct {
	id       string
	status   Status
	profile  Profile
	consents map[string]Consent
	// lastActive is the last time the expert did anything; reminded when they were asked
	// to confirm they stay.
	lastActive, reminded time.Time
	version              int64
	pending              []Recorded
}

// Register records a new expert, who awaits verification. consents must include
// Processing, in its current wording.
func Register(id string, p Profile, consents []Consent, now time.Time) (*Expert, error) {
	profile, err := CheckProfile(p)
	if err != nil {
		return nil, err
	}
	if !slices.ContainsFunc(consents, func(c Consent) bool { return c.Purpose == expertevents.Processing }) {
		return nil, ErrNoConsent
	}
	for _, c := range consents {
		if err := checkConsent(c); err != nil {
			return nil, err
		}
	}
	e := &Expert{id: id, consents: map[string]Consent{}}
	e.record(Registered{Profile: profile}, now)
	for _, c := range consents {
		e.record(ConsentGiven(c), now)
	}
	return e, nil
}

func checkConsent(c Consent) error {
	current, ok := Wording[c.Purpose]
	switch {
	case !ok:
		return &InvalidInputError{Field: "consents.purpose", Reason: "PROCESSING, ROSTER or CONTACT"}
	case c.WordingVersion != current:
		return ErrOldWording
	}
	return nil
}

// CheckProfile checks and tidies a profile.
func CheckProfile(p Profile) (Profile, error) {
	out := p
	out.Name = strings.Join(strings.Fields(p.Name), " ")
	if n := utf8.RuneCountInString(out.Name); n < 2 || n > MaxNameLength {
		return Profile{}, &InvalidInputError{"name", fmt.Sprintf("a name of 2 to %d characters", MaxNameLength)}
	}
	if len(p.Fields) == 0 || len(p.Fields) > MaxFields {
		return Profile{}, &InvalidInputError{"fields", fmt.Sprintf("1 to %d fields of expertise", MaxFields)}
	}
	out.Fields = nil
	for _, f := range p.Fields {
		if !expertise.Known(f) {
			return Profile{}, &InvalidInputError{"fields", "a field of expertise of the list"}
		}
		if !slices.Contains(out.Fields, f) {
			out.Fields = append(out.Fields, f)
		}
	}
	if len(p.Languages) == 0 || len(p.Languages) > MaxLanguages {
		return Profile{}, &InvalidInputError{"languages", fmt.Sprintf("1 to %d languages", MaxLanguages)}
	}
	out.Languages = nil
	for _, l := range p.Languages {
		tag, err := language.Parse(strings.TrimSpace(l))
		if err != nil || tag == language.Und {
			return Profile{}, &InvalidInputError{"languages", "BCP 47 language tags, such as fr, wo, pt-BR"}
		}
		if t := tag.String(); !slices.Contains(out.Languages, t) {
			out.Languages = append(out.Languages, t)
		}
	}
	if len(p.OriginCountries) == 0 || len(p.OriginCountries) > MaxCountries {
		return Profile{}, &InvalidInputError{"originCountries", fmt.Sprintf("1 to %d countries of origin", MaxCountries)}
	}
	out.OriginCountries = nil
	for _, c := range p.OriginCountries {
		code, ok := countries.Normalize(c)
		if !ok {
			return Profile{}, &InvalidInputError{"originCountries", "ISO 3166-1 alpha-2 country codes"}
		}
		if !slices.Contains(out.OriginCountries, code) {
			out.OriginCountries = append(out.OriginCountries, code)
		}
	}
	code, ok := countries.Normalize(p.ResidenceCountry)
	if !ok {
		return Profile{}, &InvalidInputError{"residenceCountry", "an ISO 3166-1 alpha-2 country code"}
	}
	out.ResidenceCountry = code
	if err := checkAvailability(p.Availability); err != nil {
		return Profile{}, err
	}
	out.Bio = expertevents.Text{EN: strings.TrimSpace(p.Bio.EN), FR: strings.TrimSpace(p.Bio.FR), ES: strings.TrimSpace(p.Bio.ES)}
	for lang, text := range map[string]string{"en": out.Bio.EN, "fr": out.Bio.FR, "es": out.Bio.ES} {
		if utf8.RuneCountInString(text) > MaxBioLength || strings.IndexFunc(text, func(r rune) bool { return unicode.IsControl(r) && r != '\n' }) >= 0 {
			return Profile{}, &InvalidInputError{"bio." + lang, fmt.Sprintf("at most %d characters, no control characters", MaxBioLength)}
		}
	}
	addr, err := mail.ParseAddress(strings.TrimSpace(p.Email))
	if err != nil || addr.Name != "" {
		return Profile{}, &InvalidInputError{"email", "a mail address, such as name@example.org"}
	}
	out.Email = addr.Address
	out.Phone = strings.TrimSpace(p.Phone)
	if len(out.Phone) > 30 || strings.IndexFunc(out.Phone, func(r rune) bool { return !strings.ContainsRune("+0123456789 ()-.", r) }) >= 0 {
		return Profile{}, &InvalidInputError{"phone", "a phone number, such as +41 22 555 01 02"}
	}
	return out, nil
}

func checkAvailability(a expertevents.Availability) error {
	if !a.OnSite && !a.Remote {
		return &InvalidInputError{"availability", "on site, remote, or both"}
	}
	if a.DaysPerYear < 1 || a.DaysPerYear > 365 {
		return &InvalidInputError{"availability.daysPerYear", "1 to 365 days a year"}
	}
	var from, to time.Time
	var err error
	if a.From != "" {
		if from, err = time.Parse(time.DateOnly, a.From); err != nil {
			return &InvalidInputError{"availability.from", "a date such as 2027-03-01"}
		}
	}
	if a.To != "" {
		if to, err = time.Parse(time.DateOnly, a.To); err != nil {
			return &InvalidInputError{"availability.to", "a date such as 2027-12-31"}
		}
	}
	if !from.IsZero() && !to.IsZero() && to.Before(from) {
		return &InvalidInputError{"availability.to", "not before the start"}
	}
	return nil
}

// FromHistory rebuilds an expert from its domain events (the repository opened them).
func FromHistory(history []Recorded) (*Expert, error) {
	if len(history) == 0 {
		return nil, ErrNotFound
	}
	e := &Expert{consents: map[string]Consent{}}
	for i, r := range history {
		if err := e.apply(r); err != nil {
			return nil, fmt.Errorf("expert history, event %d: %w", i+1, err)
		}
		e.version++
	}
	return e, nil
}

func (e *Expert) alive() error {
	if e.status == Erased {
		return ErrErased
	}
	return nil
}

func mayModerate(by events.Actor) error {
	switch {
	case !by.IsAuthenticated():
		return ErrNeedsSignIn
	case by.IsAdmin() || by.Role == events.RoleCoordinator:
		return nil
	}
	return ErrModeratorsOnly
}

func (e *Expert) maySelf(by events.Actor) error {
	switch {
	case !by.IsAuthenticated():
		return ErrNeedsSignIn
	case by.IsExpert(e.id):
		return nil
	}
	return ErrSelfOnly
}

// UpdateProfile replaces the profile: the expert themselves.
func (e *Expert) UpdateProfile(by events.Actor, p Profile, now time.Time) error {
	if err := e.alive(); err != nil {
		return err
	}
	if err := e.maySelf(by); err != nil {
		return err
	}
	profile, err := CheckProfile(p)
	if err != nil {
		return err
	}
	e.record(ProfileUpdated{Profile: profile}, now)
	return nil
}

// Verify accepts a pending expert: a coordinator or an admin.
func (e *Expert) Verify(by events.Actor, now time.Time) error {
	if err := e.alive(); err != nil {
		return err
	}
	if err := mayModerate(by); err != nil {
		return err
	}
	if e.status != Pending {
		return ErrNotPending
	}
	e.record(VerifiedEvent{}, now)
	return nil
}

// Reject refuses a pending expert, with a reason for them: a coordinator or an admin.
func (e *Expert) Reject(by events.Actor, reason string, now time.Time) error {
	if err := e.alive(); err != nil {
		return err
	}
	if err := mayModerate(by); err != nil {
		return err
	}
	if e.status != Pending {
		return ErrNotPending
	}
	reason = strings.TrimSpace(reason)
	if n := utf8.RuneCountInString(reason); n < 3 || n > MaxReasonLength {
		return &InvalidInputError{"reason", fmt.Sprintf("a reason of 3 to %d characters", MaxReasonLength)}
	}
	e.record(RejectedEvent{Reason: reason}, now)
	return nil
}

// GiveConsent records the expert's consent to a purpose, in the wording they were
// shown: the expert themselves. The same consent again records nothing.
func (e *Expert) GiveConsent(by events.Actor, c Consent, now time.Time) error {
	if err := e.alive(); err != nil {
		return err
	}
	if err := e.maySelf(by); err != nil {
		return err
	}
	if err := checkConsent(c); err != nil {
		return err
	}
	if e.consents[c.Purpose] == c {
		return nil
	}
	e.record(ConsentGiven(c), now)
	return nil
}

// WithdrawConsent ends a consent at once: the expert themselves. Withdrawing the consent
// to processing erases the expert.
func (e *Expert) WithdrawConsent(by events.Actor, purpose string, now time.Time) error {
	if err := e.alive(); err != nil {
		return err
	}
	if err := e.maySelf(by); err != nil {
		return err
	}
	if _, ok := e.consents[purpose]; !ok {
		if _, known := Wording[purpose]; !known {
			return &InvalidInputError{Field: "purpose", Reason: "PROCESSING, ROSTER or CONTACT"}
		}
		return nil
	}
	e.record(ConsentEnded{Purpose: purpose}, now)
	if purpose == expertevents.Processing {
		e.record(ErasedEvent{Why: "SELF"}, now)
	}
	return nil
}

// Erase destroys the expert's data: the expert themselves or an admin.
func (e *Expert) Erase(by events.Actor, now time.Time) error {
	if err := e.alive(); err != nil {
		return err
	}
	why := "SELF"
	if err := e.maySelf(by); err != nil {
		if !by.IsAdmin() {
			return err
		}
		why = "ADMIN"
	}
	e.record(ErasedEvent{Why: why}, now)
	return nil
}

// Retention is how long an inactive expert is kept: reminded after InactiveFor without
// any action of theirs, erased GraceFor after the reminder if they still did nothing.
type Retention struct{ InactiveFor, GraceFor time.Duration }

// ApplyRetention reminds or erases the expert as the retention asks at now; it returns
// what it did ("", "REMINDED", "ERASED"). Run by the retention clock: idempotent.
func (e *Expert) ApplyRetention(r Retention, now time.Time) string {
	if e.status == Erased || r.InactiveFor <= 0 {
		return ""
	}
	switch {
	case e.reminded.After(e.lastActive) && !now.Before(e.reminded.Add(r.GraceFor)):
		e.record(ErasedEvent{Why: "RETENTION"}, now)
		return "ERASED"
	case !e.reminded.After(e.lastActive) && !now.Before(e.lastActive.Add(r.InactiveFor)):
		e.record(Reminded{}, now)
		return "REMINDED"
	}
	return ""
}

func (e *Expert) record(ev any, at time.Time) {
	r := Recorded{Event: ev, At: at.UTC()}
	if err := e.apply(r); err != nil {
		panic(fmt.Sprintf("expert: recording an event it cannot apply: %v", err))
	}
	e.pending = append(e.pending, r)
}

func (e *Expert) apply(r Recorded) error {
	if _, first := r.Event.(Registered); !first && e.status == "" {
		return errors.New("the first event is not the registration")
	}
	active := true
	switch ev := r.Event.(type) {
	case Registered:
		if e.status != "" {
			return errors.New("registered twice")
		}
		e.status, e.profile = Pending, ev.Profile
	case ProfileUpdated:
		e.profile = ev.Profile
	case VerifiedEvent:
		e.status, active = Verified, false
	case RejectedEvent:
		e.status, active = Rejected, false
	case ConsentGiven:
		e.consents[ev.Purpose] = Consent(ev)
	case ConsentEnded:
		delete(e.consents, ev.Purpose)
	case Reminded:
		e.reminded, active = r.At, false
	case ErasedEvent:
		e.status, e.profile, e.consents, active = Erased, Profile{}, map[string]Consent{}, false
	default:
		return fmt.Errorf("unknown event %T", r.Event)
	}
	if active {
		e.lastActive = r.At
	}
	return nil
}

// ID returns the expert's id.
func (e *Expert) ID() string { return e.id }

// SetID gives a rebuilt expert its id (the stream tells it).
func (e *Expert) SetID(id string) { e.id = id }

// Status returns where the expert stands.
func (e *Expert) Status() Status { return e.status }

// Profile returns the profile; empty once erased.
func (e *Expert) Profile() Profile { return e.profile }

// Consents are the consents in force, by purpose.
func (e *Expert) Consents() []Consent {
	out := make([]Consent, 0, len(e.consents))
	for _, p := range expertevents.Purposes {
		if c, ok := e.consents[p]; ok {
			out = append(out, c)
		}
	}
	return out
}

// LastActive is the last time the expert did anything; RemindedAt when the retention
// last asked them to confirm they stay (zero if never).
func (e *Expert) LastActive() time.Time { return e.lastActive }

// RemindedAt is when the retention last reminded the expert.
func (e *Expert) RemindedAt() time.Time { return e.reminded }

// ConsentsTo tells whether the consent to purpose is in force.
func (e *Expert) ConsentsTo(purpose string) bool {
	_, ok := e.consents[purpose]
	return ok && e.status != Erased
}

// InRoster tells whether the public roster shows the expert: verified, and consenting.
func (e *Expert) InRoster() bool { return e.status == Verified && e.ConsentsTo(expertevents.Roster) }

// PendingEvents are the events recorded since the expert was loaded.
func (e *Expert) PendingEvents() []Recorded { return append([]Recorded(nil), e.pending...) }

// Version is the stream version the expert was loaded at.
func (e *Expert) Version() int64 { return e.version }
