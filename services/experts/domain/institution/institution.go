// Package institution holds the Institution aggregate: a ministry, public agency,
// university, hospital or company of a country of origin that asks the diaspora for
// expertise. Anyone may register one; only an admin's verification lets it post
// requests, since experts accept to be put forward to it.
package institution

import (
	"fmt"
	"net/mail"
	"net/url"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"passerelle.dev/events"
	"passerelle.dev/events/expertevents"
	"passerelle.dev/experts/domain/expert"
	"passerelle.dev/kernel/countries"
	"passerelle.dev/kernel/fault"
)

// Errors of institutions.
var (
	ErrNotFound    = fault.Because(fault.NotFound, "INSTITUTION_NOT_FOUND", "institution not found")
	ErrNeedsSignIn = fault.Because(fault.Unauthenticated, "ADMIN_TOKEN_NEEDED", "this needs an admin's token")
	ErrAdminsOnly  = fault.Because(fault.Forbidden, "ADMINS_ONLY", "only an admin verifies institutions")
	ErrNotPending  = fault.Because(fault.Conflict, "NOT_PENDING", "the institution is not awaiting verification")
)

// Status is where an institution stands.
type Status string

// The statuses.
const (
	Pending  Status = "PENDING"
	Verified Status = "VERIFIED"
	Rejected Status = "REJECTED"
)

// Limits of an institution's profile.
const (
	MaxNameLength        = 200
	MaxDescriptionLength = 2000
	MaxReasonLength      = 1000
)

// Institution is the aggregate.
type Institution struct {
	id      string
	status  Status
	profile expertevents.Institution
	version int64
	pending []any
}

// Register records a new institution, awaiting verification.
func Register(id string, p expertevents.Institution, now time.Time) (*Institution, error) {
	p, err := CheckProfile(p)
	if err != nil {
		return nil, err
	}
	i := &Institution{}
	i.record(expertevents.InstitutionRegistered{InstitutionID: id, Institution: p, At: now.UTC()})
	return i, nil
}

// CheckProfile checks and tidies an institution's profile.
func CheckProfile(p expertevents.Institution) (expertevents.Institution, error) {
	bad := func(field, reason string) (expertevents.Institution, error) {
		return expertevents.Institution{}, &expert.InvalidInputError{Field: field, Reason: reason}
	}
	p.Name = strings.Join(strings.Fields(p.Name), " ")
	if n := utf8.RuneCountInString(p.Name); n < 2 || n > MaxNameLength {
		return bad("name", fmt.Sprintf("a name of 2 to %d characters", MaxNameLength))
	}
	if !slices.Contains(expertevents.InstitutionKinds, p.Kind) {
		return bad("kind", strings.Join(expertevents.InstitutionKinds, ", "))
	}
	code, ok := countries.Normalize(p.Country)
	if !ok {
		return bad("country", "an ISO 3166-1 alpha-2 country code")
	}
	p.Country = code
	p.Website = strings.TrimSpace(p.Website)
	if p.Website != "" {
		u, err := url.Parse(p.Website)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || len(p.Website) > 300 {
			return bad("website", "a web address such as https://www.example.org")
		}
	}
	addr, err := mail.ParseAddress(strings.TrimSpace(p.Email))
	if err != nil || addr.Name != "" {
		return bad("email", "a mail address, such as desk@example.org")
	}
	p.Email = addr.Address
	switch p.Language = strings.ToLower(strings.TrimSpace(p.Language)); p.Language {
	case "":
		p.Language = "en"
	case "en", "fr", "es":
	default:
		return bad("language", "en, fr or es")
	}
	p.Description = expertevents.Text{EN: strings.TrimSpace(p.Description.EN), FR: strings.TrimSpace(p.Description.FR), ES: strings.TrimSpace(p.Description.ES)}
	for lang, text := range map[string]string{"en": p.Description.EN, "fr": p.Description.FR, "es": p.Description.ES} {
		if utf8.RuneCountInString(text) > MaxDescriptionLength {
			return bad("description."+lang, fmt.Sprintf("at most %d characters", MaxDescriptionLength))
		}
	}
	return p, nil
}

// FromHistory rebuilds an institution from its events.
func FromHistory(history []any) (*Institution, error) {
	if len(history) == 0 {
		return nil, ErrNotFound
	}
	i := &Institution{}
	for n, ev := range history {
		if err := i.apply(ev); err != nil {
			return nil, fmt.Errorf("institution history, event %d: %w", n+1, err)
		}
		i.version++
	}
	return i, nil
}

func mayModerate(by events.Actor) error {
	switch {
	case !by.IsAuthenticated():
		return ErrNeedsSignIn
	case !by.IsAdmin():
		return ErrAdminsOnly
	}
	return nil
}

// Verify accepts a pending institution: admins only.
func (i *Institution) Verify(by events.Actor, now time.Time) error {
	if err := mayModerate(by); err != nil {
		return err
	}
	if i.status != Pending {
		return ErrNotPending
	}
	i.record(expertevents.InstitutionVerified{InstitutionID: i.id, At: now.UTC()})
	return nil
}

// Reject refuses a pending institution, with a reason: admins only.
func (i *Institution) Reject(by events.Actor, reason string, now time.Time) error {
	if err := mayModerate(by); err != nil {
		return err
	}
	reason = strings.TrimSpace(reason)
	if n := utf8.RuneCountInString(reason); n < 3 || n > MaxReasonLength {
		return &expert.InvalidInputError{Field: "reason", Reason: fmt.Sprintf("a reason of 3 to %d characters", MaxReasonLength)}
	}
	if i.status != Pending {
		return ErrNotPending
	}
	i.record(expertevents.InstitutionRejected{InstitutionID: i.id, Reason: reason, At: now.UTC()})
	return nil
}

func (i *Institution) record(ev any) {
	if err := i.apply(ev); err != nil {
		panic(fmt.Sprintf("institution: recording an event it cannot apply: %v", err))
	}
	i.pending = append(i.pending, ev)
}

func (i *Institution) apply(ev any) error {
	switch e := ev.(type) {
	case expertevents.InstitutionRegistered:
		i.id, i.profile, i.status = e.InstitutionID, e.Institution, Pending
	case expertevents.InstitutionVerified:
		i.status = Verified
	case expertevents.InstitutionRejected:
		i.status = Rejected
	default:
		return fmt.Errorf("unknown event %T", ev)
	}
	return nil
}

// ID returns the institution's id.
func (i *Institution) ID() string { return i.id }

// Status returns where the institution stands.
func (i *Institution) Status() Status { return i.status }

// Profile returns what the institution says about itself.
func (i *Institution) Profile() expertevents.Institution { return i.profile }

// Version is the stream version as loaded.
func (i *Institution) Version() int64 { return i.version }

// PendingEvents are the events recorded since the institution was loaded.
func (i *Institution) PendingEvents() []any { return slices.Clone(i.pending) }
