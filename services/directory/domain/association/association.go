// Package association holds the Association aggregate: a diaspora association's
// registration on the platform and its lifecycle. It knows nothing of SQL or HTTP; it
// decides, from the events of its past, whether a change is allowed and which events it
// produces.
package association

import (
	"fmt"
	"time"

	"github.com/google/uuid"

	"passerelle.dev/events"
	"passerelle.dev/events/directoryevents"
)

// Status is where an association stands in its lifecycle.
type Status struct{ name string }

// The statuses.
var (
	StatusPending  = Status{"PENDING"}
	StatusVerified = Status{"VERIFIED"}
)

// String returns the status as GraphQL and the projections show it.
func (s Status) String() string { return s.name }

// MaxOriginCountries bounds the countries of origin an association lists.
const MaxOriginCountries = 30

// Association is the aggregate. Its fields are unexported: it changes only through its
// methods, which check the rules and record the resulting events.
type Association struct {
	id      string
	name    Name
	city    City
	origins []CountryCode
	status  Status

	registeredAt time.Time
	verifiedAt   time.Time

	version int64 // of the last stored event applied
	pending []any
}

// Register creates a pending association from what the registration form sent, at now.
func Register(id uuid.UUID, name string, city string, originCountries []string, now time.Time) (*Association, error) {
	if id == uuid.Nil {
		return nil, fmt.Errorf("register association: nil id")
	}
	n, err := NewName(name)
	if err != nil {
		return nil, err
	}
	c, err := ParseCity(city)
	if err != nil {
		return nil, err
	}
	origins, err := parseOrigins(originCountries)
	if err != nil {
		return nil, err
	}
	a := &Association{}
	a.record(directoryevents.AssociationRegistered{
		AssociationID:   id.String(),
		Name:            n.String(),
		City:            c.String(),
		OriginCountries: codes(origins),
		RegisteredAt:    now.UTC(),
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
	seen := map[CountryCode]bool{}
	out := make([]CountryCode, 0, len(in))
	for _, s := range in {
		c, err := ParseCountryCode(s)
		if err != nil {
			return nil, err
		}
		if !seen[c] {
			seen[c] = true
			out = append(out, c)
		}
	}
	return out, nil
}

func codes(cs []CountryCode) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = c.String()
	}
	return out
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

// Verify records that a coordinator of the association's city, or an admin, checked it
// at now.
func (a *Association) Verify(by events.Actor, now time.Time) error {
	switch {
	case !by.IsAuthenticated():
		return ErrVerifyNeedsSignIn
	case !by.IsAdmin() && !by.CoordinatesCity(a.city.String()):
		return ErrVerifyForbidden
	case a.status == StatusVerified:
		return ErrAlreadyVerified
	}
	a.record(directoryevents.AssociationVerified{AssociationID: a.id, VerifiedAt: now.UTC()})
	return nil
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
		a.name = Name{e.Name}
		a.city = City{e.City}
		a.origins = make([]CountryCode, len(e.OriginCountries))
		for i, c := range e.OriginCountries {
			a.origins[i] = CountryCode{c}
		}
		a.status = StatusPending
		a.registeredAt = e.RegisteredAt
	case directoryevents.AssociationVerified:
		a.status = StatusVerified
		a.verifiedAt = e.VerifiedAt
	default:
		return fmt.Errorf("unknown event %T", ev)
	}
	return nil
}

// PendingEvents are the events recorded since the association was loaded, to append.
func (a *Association) PendingEvents() []any { return append([]any(nil), a.pending...) }

// Version is the stream version the association was loaded at: the version its pending
// events must be appended after.
func (a *Association) Version() int64 { return a.version }

// ID returns the association's id.
func (a *Association) ID() string { return a.id }

// Name returns the association's name.
func (a *Association) Name() Name { return a.name }

// City returns the city the association registered in.
func (a *Association) City() City { return a.city }

// OriginCountries returns the association's countries of origin.
func (a *Association) OriginCountries() []CountryCode {
	return append([]CountryCode(nil), a.origins...)
}

// Status returns the association's status.
func (a *Association) Status() Status { return a.status }

// RegisteredAt returns when the association registered.
func (a *Association) RegisteredAt() time.Time { return a.registeredAt }

// VerifiedAt returns when the association was verified (zero if it was not).
func (a *Association) VerifiedAt() time.Time { return a.verifiedAt }
