// Package city holds the City aggregate: a city of the Dialogue en continu, the time zone
// its sessions are scheduled in, and the coordinators an admin appointed there.
package city

import (
	"fmt"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"passerelle.dev/events"
	"passerelle.dev/events/sessionevents"
	"passerelle.dev/kernel/countries"
	"passerelle.dev/kernel/fault"
)

// Errors of cities.
var (
	ErrNotFound      = fault.Because(fault.NotFound, "CITY_NOT_FOUND", "city not found")
	ErrNeedsSignIn   = fault.Because(fault.Unauthenticated, "ADMIN_TOKEN_NEEDED", "this needs an admin's token")
	ErrForbidden     = fault.Because(fault.Forbidden, "ADMINS_ONLY", "only an admin opens a city")
	ErrAlreadyOpened = fault.Because(fault.Conflict, "CITY_ALREADY_OPEN", "this city is already open")
	ErrAdminsOnly    = fault.Because(fault.Forbidden, "ADMINS_ONLY", "only an admin appoints and dismisses coordinators")
	ErrNoCoordinator = fault.Because(fault.NotFound, "COORDINATOR_NOT_FOUND", "no such coordinator in this city")
)

// InvalidInputError says which field is wrong and why.
type InvalidInputError struct{ Field, Reason string }

func (e *InvalidInputError) Error() string { return e.Field + ": " + e.Reason }

// Code implements fault.Coded.
func (e *InvalidInputError) Code() fault.Code { return fault.BadUserInput }

// Details implements fault.Detailed.
func (e *InvalidInputError) Details() map[string]any { return map[string]any{"field": e.Field} }

// Defaults are the cities open from the platform's first start (the contract's
// founding cities: the directory knows them before their events reach it).
var Defaults = sessionevents.FoundingCities

var slugPattern = regexp.MustCompile(`^[a-z][a-z0-9-]{1,39}$`)

// City is the aggregate.
type City struct {
	slug, name, country string
	location            *time.Location
	// coordinators maps the appointed coordinators' ids to their names.
	coordinators map[string]string
	version      int64
	pending      []any
}

// MaxCoordinatorNameLength bounds a coordinator's name.
const MaxCoordinatorNameLength = 100

func mayAppoint(by events.Actor) error {
	switch {
	case !by.IsAuthenticated():
		return ErrNeedsSignIn
	case !by.IsAdmin():
		return ErrAdminsOnly
	}
	return nil
}

// AppointCoordinator makes someone a coordinator of the city: only admins may. id is the
// coordinator's new id, the subject of their token.
func (c *City) AppointCoordinator(by events.Actor, id, name string, now time.Time) error {
	if err := mayAppoint(by); err != nil {
		return err
	}
	name = strings.Join(strings.Fields(name), " ")
	if name == "" || utf8.RuneCountInString(name) > MaxCoordinatorNameLength {
		return &InvalidInputError{Field: "name", Reason: fmt.Sprintf("a name of at most %d characters is required", MaxCoordinatorNameLength)}
	}
	c.record(sessionevents.CoordinatorAppointed{City: c.slug, CoordinatorID: id, Name: name, At: now.UTC()})
	return nil
}

// DismissCoordinator ends an appointment: only admins may.
func (c *City) DismissCoordinator(by events.Actor, id string, now time.Time) error {
	if err := mayAppoint(by); err != nil {
		return err
	}
	if _, ok := c.coordinators[id]; !ok {
		return ErrNoCoordinator
	}
	c.record(sessionevents.CoordinatorDismissed{City: c.slug, CoordinatorID: id, At: now.UTC()})
	return nil
}

// HasCoordinator reports whether id is an appointed coordinator of the city.
func (c *City) HasCoordinator(id string) bool {
	_, ok := c.coordinators[id]
	return ok
}

// Open opens a city: only admins may. The time zone is an IANA name, such as
// Europe/Madrid.
func Open(by events.Actor, slug, name, timeZone, country string, now time.Time) (*City, error) {
	switch {
	case !by.IsAuthenticated():
		return nil, ErrNeedsSignIn
	case !by.IsAdmin():
		return nil, ErrForbidden
	}
	slug = strings.ToLower(strings.TrimSpace(slug))
	if !slugPattern.MatchString(slug) {
		return nil, &InvalidInputError{Field: "slug", Reason: "2 to 40 lower-case letters, digits and dashes, starting with a letter"}
	}
	name = strings.Join(strings.Fields(name), " ")
	if name == "" || utf8.RuneCountInString(name) > 100 {
		return nil, &InvalidInputError{Field: "name", Reason: "a name of at most 100 characters is required"}
	}
	if _, err := loadZone(timeZone); err != nil {
		return nil, err
	}
	code, ok := countries.Normalize(country)
	if !ok {
		return nil, &InvalidInputError{Field: "country", Reason: fmt.Sprintf("%q is not an ISO 3166-1 alpha-2 country code", country)}
	}
	c := &City{}
	c.record(sessionevents.CityOpened{Slug: slug, Name: name, TimeZone: timeZone, Country: code, OpenedAt: now.UTC()})
	return c, nil
}

// loadZone accepts IANA zone names only: not "Local", not "UTC+1".
func loadZone(name string) (*time.Location, error) {
	loc, err := time.LoadLocation(name)
	if err != nil || name == "" || name == "Local" || !strings.Contains(name, "/") && name != "UTC" {
		return nil, &InvalidInputError{Field: "timeZone", Reason: fmt.Sprintf("%q is not an IANA time zone such as Europe/Madrid", name)}
	}
	return loc, nil
}

// FromHistory rebuilds a city from its events.
func FromHistory(history []any) (*City, error) {
	if len(history) == 0 {
		return nil, ErrNotFound
	}
	c := &City{}
	for _, ev := range history {
		if err := c.apply(ev); err != nil {
			return nil, err
		}
		c.version++
	}
	return c, nil
}

func (c *City) record(ev any) {
	if err := c.apply(ev); err != nil {
		panic(fmt.Sprintf("city: recording an event it cannot apply: %v", err))
	}
	c.pending = append(c.pending, ev)
}

func (c *City) apply(ev any) error {
	switch e := ev.(type) {
	case sessionevents.CityOpened:
		loc, err := time.LoadLocation(e.TimeZone)
		if err != nil {
			return fmt.Errorf("city %s: time zone %s: %w", e.Slug, e.TimeZone, err)
		}
		c.slug, c.name, c.country, c.location = e.Slug, e.Name, e.Country, loc
		c.coordinators = map[string]string{}
	case sessionevents.CoordinatorAppointed:
		c.coordinators[e.CoordinatorID] = e.Name
	case sessionevents.CoordinatorDismissed:
		delete(c.coordinators, e.CoordinatorID)
	default:
		return fmt.Errorf("unknown event %T", ev)
	}
	return nil
}

// Slug returns the city's slug.
func (c *City) Slug() string { return c.slug }

// Name returns the city's name.
func (c *City) Name() string { return c.name }

// Country returns the city's country code.
func (c *City) Country() string { return c.country }

// Location returns the city's time zone.
func (c *City) Location() *time.Location { return c.location }

// Version is the city's stream version as loaded.
func (c *City) Version() int64 { return c.version }

// PendingEvents are the events recorded since the city was loaded.
func (c *City) PendingEvents() []any { return append([]any(nil), c.pending...) }
