// Package sessionevents is the published contract of the sessions service: the cities of
// the Dialogue en continu and the sessions held in them, with the registrations of
// associations. Changing a field's meaning needs a new schema version and an upcaster.
package sessionevents

import (
	"strings"
	"time"

	"passerelle.dev/events"
)

// Event type names. They are stored with every event and must never change.
const (
	CityOpenedType             = "sessions.CityOpened"
	CoordinatorAppointedType   = "sessions.CoordinatorAppointed"
	CoordinatorDismissedType   = "sessions.CoordinatorDismissed"
	SessionScheduledType       = "sessions.SessionScheduled"
	SessionRescheduledType     = "sessions.SessionRescheduled"
	SessionCapacityChangedType = "sessions.SessionCapacityChanged"
	SessionCancelledType       = "sessions.SessionCancelled"
	RegistrationConfirmedType  = "sessions.RegistrationConfirmed"
	RegistrationWaitlistedType = "sessions.RegistrationWaitlisted"
	RegistrationPromotedType   = "sessions.RegistrationPromoted"
	RegistrationCancelledType  = "sessions.RegistrationCancelled"
	AttendanceRecordedType     = "sessions.AttendanceRecorded"
	RegistrationCheckedInType  = "sessions.RegistrationCheckedIn"
	CheckInUndoneType          = "sessions.CheckInUndone"
	OutcomeRecordedType        = "sessions.OutcomeRecorded"
	WaitlistOffersChangedType  = "sessions.WaitlistOffersChanged"
	WaitlistOfferMadeType      = "sessions.WaitlistOfferMade"
	WaitlistOfferAcceptedType  = "sessions.WaitlistOfferAccepted"
	WaitlistOfferDeclinedType  = "sessions.WaitlistOfferDeclined"
	WaitlistOfferExpiredType   = "sessions.WaitlistOfferExpired"
	SeriesScheduledType        = "sessions.SeriesScheduled"
	SeriesMovedFromType        = "sessions.SeriesMovedFrom"
	SeriesCancelledFromType    = "sessions.SeriesCancelledFrom"
)

// Stream prefixes.
const (
	CityStreamPrefix    = "city-"
	SessionStreamPrefix = "session-"
	SeriesStreamPrefix  = "series-"
)

// SeriesStreamID is the stream of a series of sessions.
func SeriesStreamID(id string) string { return SeriesStreamPrefix + id }

// SeriesIDFromStream returns the series id of a stream, ok false for other streams.
func SeriesIDFromStream(stream string) (string, bool) {
	return strings.CutPrefix(stream, SeriesStreamPrefix)
}

// SeriesEventTypes are the events of a series' stream.
var SeriesEventTypes = []string{SeriesScheduledType, SeriesMovedFromType, SeriesCancelledFromType}

// CityStreamID is the stream of a city.
func CityStreamID(slug string) string { return CityStreamPrefix + slug }

// SessionStreamID is the stream of a session.
func SessionStreamID(id string) string { return SessionStreamPrefix + id }

// SessionIDFromStream returns the session id of a stream, ok false for other streams.
func SessionIDFromStream(stream string) (string, bool) {
	return strings.CutPrefix(stream, SessionStreamPrefix)
}

// CityOpened: the dialogue takes place in a city, whose local time is that of an IANA
// time zone.
type CityOpened struct {
	Slug     string `json:"slug"`
	Name     string `json:"name"`
	TimeZone string `json:"timeZone"`
	// Country is the ISO 3166-1 alpha-2 code of the city's country.
	Country  string    `json:"country"`
	OpenedAt time.Time `json:"openedAt"`
}

// FoundingCities are the cities open from the platform's first start: the sessions
// service opens them (as CityOpened events) when it starts on an empty log, and other
// services may count on them before those events reach them. Every other city is known
// from its CityOpened event only.
var FoundingCities = []CityOpened{
	{Slug: "london", Name: "London", TimeZone: "Europe/London", Country: "GB"},
	{Slug: "geneva", Name: "Geneva", TimeZone: "Europe/Zurich", Country: "CH"},
	{Slug: "brussels", Name: "Brussels", TimeZone: "Europe/Brussels", Country: "BE"},
	{Slug: "paris", Name: "Paris", TimeZone: "Europe/Paris", Country: "FR"},
	{Slug: "washington", Name: "Washington", TimeZone: "America/New_York", Country: "US"},
}

// CoordinatorAppointed: an admin made someone a coordinator of the city. The coordinator
// acts with a token naming the city and CoordinatorID, valid while the appointment lasts.
type CoordinatorAppointed struct {
	City          string `json:"city"`
	CoordinatorID string `json:"coordinatorId"`
	// Name is how the coordinator is shown to admins and the city's other coordinators.
	Name string    `json:"name"`
	At   time.Time `json:"at"`
}

// CoordinatorDismissed: the coordinator no longer coordinates the city; their token no
// longer acts for it.
type CoordinatorDismissed struct {
	City          string    `json:"city"`
	CoordinatorID string    `json:"coordinatorId"`
	At            time.Time `json:"at"`
}

// CityEventTypes are the events of a city's stream.
var CityEventTypes = []string{CityOpenedType, CoordinatorAppointedType, CoordinatorDismissedType}

// Text is a text in the languages of the dialogue.
type Text struct {
	EN string `json:"en,omitempty"`
	FR string `json:"fr,omitempty"`
	ES string `json:"es,omitempty"`
}

// In is the text in lang ("en", "fr" or "es"), else in another language it has: English
// first, as the one most readers share. Empty only when the text is.
func (t Text) In(lang string) string {
	order := map[string][]string{"fr": {t.FR, t.EN, t.ES}, "es": {t.ES, t.EN, t.FR}}[lang]
	if order == nil {
		order = []string{t.EN, t.FR, t.ES}
	}
	for _, s := range order {
		if s != "" {
			return s
		}
	}
	return ""
}

// Venue is where a session is held.
type Venue struct {
	Name    string `json:"name"`
	Address string `json:"address"`
}

// Stakeholder is an invited stakeholder of the countries of origin.
type Stakeholder struct {
	Name string `json:"name"`
	// Kind: GOVERNMENT, UNIVERSITY, PRIVATE_SECTOR, NGO or INTERNATIONAL_ORGANISATION.
	Kind string `json:"kind"`
	// Country is an ISO 3166-1 alpha-2 code.
	Country string `json:"country"`
}

// Timing is when a session is held: the instant it starts, its wall-clock start in the
// city's time zone as the coordinator gave it, and how long it lasts.
type Timing struct {
	Start time.Time `json:"start"`
	// LocalStart is the wall-clock start, e.g. "2027-03-20T18:00".
	LocalStart      string    `json:"localStart"`
	TimeZone        string    `json:"timeZone"`
	DurationMinutes int       `json:"durationMinutes"`
	Deadline        time.Time `json:"registrationDeadline"`
}

// End returns when the session ends.
func (t Timing) End() time.Time { return t.Start.Add(time.Duration(t.DurationMinutes) * time.Minute) }

// SessionScheduled: a coordinator scheduled a session in their city.
type SessionScheduled struct {
	SessionID       string        `json:"sessionId"`
	City            string        `json:"city"`
	Title           Text          `json:"title"`
	Description     Text          `json:"description"`
	Theme           string        `json:"theme"`
	OriginCountries []string      `json:"originCountries"`
	Venue           Venue         `json:"venue"`
	Timing          Timing        `json:"timing"`
	Capacity        int           `json:"capacity"`
	Stakeholders    []Stakeholder `json:"stakeholders,omitempty"`
	// OfferHours, when set, is how long a freed seat is offered to the head of the
	// waitlist before it passes to the next; zero (as in every session scheduled before
	// offers existed) promotes the head at once.
	OfferHours int `json:"offerHours,omitempty"`
	// SeriesID and Occurrence, for a session scheduled as part of a series: the series,
	// and the date of the series it is ("2027-01-07"), which stays its identity in the
	// series' calendar even when the session moves.
	SeriesID    string    `json:"seriesId,omitempty"`
	Occurrence  string    `json:"occurrence,omitempty"`
	ScheduledAt time.Time `json:"scheduledAt"`
}

// SessionRescheduled: the session moved; its registrations stay.
type SessionRescheduled struct {
	SessionID string    `json:"sessionId"`
	Timing    Timing    `json:"timing"`
	At        time.Time `json:"at"`
}

// SessionCapacityChanged: the session has a new number of seats.
type SessionCapacityChanged struct {
	SessionID string    `json:"sessionId"`
	Capacity  int       `json:"capacity"`
	At        time.Time `json:"at"`
}

// SessionCancelled: the session will not be held; every registration is cancelled
// with it.
type SessionCancelled struct {
	SessionID string    `json:"sessionId"`
	Reason    string    `json:"reason"`
	At        time.Time `json:"at"`
}

// RegistrationConfirmed: an association has seats at the session.
type RegistrationConfirmed struct {
	SessionID      string    `json:"sessionId"`
	RegistrationID string    `json:"registrationId"`
	AssociationID  string    `json:"associationId"`
	Seats          int       `json:"seats"`
	At             time.Time `json:"at"`
}

// RegistrationWaitlisted: an association waits for seats, behind those who asked
// before it.
type RegistrationWaitlisted struct {
	SessionID      string    `json:"sessionId"`
	RegistrationID string    `json:"registrationId"`
	AssociationID  string    `json:"associationId"`
	Seats          int       `json:"seats"`
	At             time.Time `json:"at"`
}

// RegistrationPromoted: seats freed up, and the registration at the head of the
// waitlist got them.
type RegistrationPromoted struct {
	SessionID      string    `json:"sessionId"`
	RegistrationID string    `json:"registrationId"`
	At             time.Time `json:"at"`
}

// RegistrationCancelled: the association will not come; its seats (if confirmed) are
// free again.
type RegistrationCancelled struct {
	SessionID      string `json:"sessionId"`
	RegistrationID string `json:"registrationId"`
	// WasConfirmed tells whether seats were freed.
	WasConfirmed bool      `json:"wasConfirmed"`
	At           time.Time `json:"at"`
}

// Attendance is how many of a confirmed registration's seats were used.
type Attendance struct {
	RegistrationID string `json:"registrationId"`
	AttendedSeats  int    `json:"attendedSeats"`
}

// AttendanceRecorded: after the session, who came.
type AttendanceRecorded struct {
	SessionID  string       `json:"sessionId"`
	Attendance []Attendance `json:"attendance"`
	At         time.Time    `json:"at"`
}

// RegistrationCheckedIn: on the day, a coordinator let a confirmed registration's
// people in, using Seats of its seats. Checking in again corrects the seats; attendance
// recorded after the session replaces what check-in counted.
type RegistrationCheckedIn struct {
	SessionID      string    `json:"sessionId"`
	RegistrationID string    `json:"registrationId"`
	Seats          int       `json:"seats"`
	At             time.Time `json:"at"`
}

// CheckInUndone: a check-in was a mistake; the registration counts as not arrived.
type CheckInUndone struct {
	SessionID      string    `json:"sessionId"`
	RegistrationID string    `json:"registrationId"`
	At             time.Time `json:"at"`
}

// WaitlistOffersChanged: from now on, freed seats are offered for OfferHours before
// passing to the next in the waitlist; zero promotes the head of the waitlist at once.
// Offers already made keep their expiry.
type WaitlistOffersChanged struct {
	SessionID  string    `json:"sessionId"`
	OfferHours int       `json:"offerHours"`
	At         time.Time `json:"at"`
}

// WaitlistOfferMade: seats freed up, and the registration at the head of the waitlist
// is offered them until ExpiresAt. The seats are held for it meanwhile: nobody behind
// it gets them.
type WaitlistOfferMade struct {
	SessionID      string    `json:"sessionId"`
	RegistrationID string    `json:"registrationId"`
	Seats          int       `json:"seats"`
	ExpiresAt      time.Time `json:"expiresAt"`
	At             time.Time `json:"at"`
}

// WaitlistOfferAccepted: the association took the seats offered; it is confirmed.
type WaitlistOfferAccepted struct {
	SessionID      string    `json:"sessionId"`
	RegistrationID string    `json:"registrationId"`
	At             time.Time `json:"at"`
}

// WaitlistOfferDeclined: the association will not come; the seats it was offered pass
// to the next in the waitlist, and it leaves the waitlist.
type WaitlistOfferDeclined struct {
	SessionID      string    `json:"sessionId"`
	RegistrationID string    `json:"registrationId"`
	At             time.Time `json:"at"`
}

// WaitlistOfferExpired: the offer was not answered in time; its seats pass to the next
// in the waitlist, and the registration leaves the waitlist.
type WaitlistOfferExpired struct {
	SessionID      string    `json:"sessionId"`
	RegistrationID string    `json:"registrationId"`
	At             time.Time `json:"at"`
}

// Recurrence is how a series of sessions repeats from its first date.
type Recurrence struct {
	// Frequency is WEEKLY or MONTHLY.
	Frequency string `json:"frequency"`
	// Interval: every Interval weeks or months.
	Interval int `json:"interval"`
	// Weekday is the first date's weekday, as RFC 5545 writes it (MO … SU).
	Weekday string `json:"weekday"`
	// Week is, for MONTHLY, which such weekday of the month: 1 to 4, or -1 for the last.
	Week int `json:"week,omitempty"`
	// Count (sessions, exceptions included) or Until (the last date) ends the series.
	Count int    `json:"count,omitempty"`
	Until string `json:"until,omitempty"`
}

// Occurrence is what became of one date of a series: a session, or a refusal.
type Occurrence struct {
	Date      string `json:"date"`
	SessionID string `json:"sessionId,omitempty"`
	// Refusal is the code of the reason no session was scheduled that date
	// (NONEXISTENT_LOCAL_TIME, AMBIGUOUS_LOCAL_TIME, VENUE_TAKEN, SESSION_IN_THE_PAST),
	// and Reason says it in words.
	Refusal string `json:"refusal,omitempty"`
	Reason  string `json:"reason,omitempty"`
}

// SeriesScheduled: a coordinator scheduled a series of sessions in their city. The
// sessions it lists were scheduled with it, in the same transaction, each with its own
// SessionScheduled; the refused dates got none.
type SeriesScheduled struct {
	SeriesID        string       `json:"seriesId"`
	City            string       `json:"city"`
	Title           Text         `json:"title"`
	Recurrence      Recurrence   `json:"recurrence"`
	FirstDate       string       `json:"firstDate"`
	LocalTime       string       `json:"localTime"`
	DurationMinutes int          `json:"durationMinutes"`
	TimeZone        string       `json:"timeZone"`
	Exceptions      []string     `json:"exceptions,omitempty"`
	Occurrences     []Occurrence `json:"occurrences"`
	At              time.Time    `json:"at"`
}

// SeriesMovedFrom: the sessions of the series from FromDate on moved to another time of
// day or length, each with its own SessionRescheduled in the same transaction.
type SeriesMovedFrom struct {
	SeriesID        string    `json:"seriesId"`
	FromDate        string    `json:"fromDate"`
	LocalTime       string    `json:"localTime"`
	DurationMinutes int       `json:"durationMinutes"`
	At              time.Time `json:"at"`
}

// SeriesCancelledFrom: the rest of the series, from FromDate on, is called off, each
// session with its own SessionCancelled in the same transaction.
type SeriesCancelledFrom struct {
	SeriesID string    `json:"seriesId"`
	FromDate string    `json:"fromDate"`
	Reason   string    `json:"reason"`
	At       time.Time `json:"at"`
}

// FollowUp is an action agreed at a session.
type FollowUp struct {
	Action string `json:"action"`
	// Owner is who carries it out: an organisation or a role, not a person's name.
	Owner string `json:"owner,omitempty"`
	// Due is a date, "2027-06-30", or empty.
	Due string `json:"due,omitempty"`
}

// OutcomeRecorded: after the session, what came out of it.
type OutcomeRecorded struct {
	SessionID string     `json:"sessionId"`
	Summary   Text       `json:"summary"`
	FollowUps []FollowUp `json:"followUps,omitempty"`
	At        time.Time  `json:"at"`
}

// Register adds the sessions service's events to a registry.
func Register(r *events.Registry) error {
	regs := []func() error{
		func() error { return events.Register[CityOpened](r, CityOpenedType, 1) },
		func() error { return events.Register[CoordinatorAppointed](r, CoordinatorAppointedType, 1) },
		func() error { return events.Register[CoordinatorDismissed](r, CoordinatorDismissedType, 1) },
		func() error { return events.Register[SessionScheduled](r, SessionScheduledType, 1) },
		func() error { return events.Register[SessionRescheduled](r, SessionRescheduledType, 1) },
		func() error { return events.Register[SessionCapacityChanged](r, SessionCapacityChangedType, 1) },
		func() error { return events.Register[SessionCancelled](r, SessionCancelledType, 1) },
		func() error { return events.Register[RegistrationConfirmed](r, RegistrationConfirmedType, 1) },
		func() error { return events.Register[RegistrationWaitlisted](r, RegistrationWaitlistedType, 1) },
		func() error { return events.Register[RegistrationPromoted](r, RegistrationPromotedType, 1) },
		func() error { return events.Register[RegistrationCancelled](r, RegistrationCancelledType, 1) },
		func() error { return events.Register[AttendanceRecorded](r, AttendanceRecordedType, 1) },
		func() error { return events.Register[OutcomeRecorded](r, OutcomeRecordedType, 1) },
		func() error { return events.Register[RegistrationCheckedIn](r, RegistrationCheckedInType, 1) },
		func() error { return events.Register[CheckInUndone](r, CheckInUndoneType, 1) },
		func() error { return events.Register[WaitlistOffersChanged](r, WaitlistOffersChangedType, 1) },
		func() error { return events.Register[WaitlistOfferMade](r, WaitlistOfferMadeType, 1) },
		func() error { return events.Register[WaitlistOfferAccepted](r, WaitlistOfferAcceptedType, 1) },
		func() error { return events.Register[WaitlistOfferDeclined](r, WaitlistOfferDeclinedType, 1) },
		func() error { return events.Register[WaitlistOfferExpired](r, WaitlistOfferExpiredType, 1) },
		func() error { return events.Register[SeriesScheduled](r, SeriesScheduledType, 1) },
		func() error { return events.Register[SeriesMovedFrom](r, SeriesMovedFromType, 1) },
		func() error { return events.Register[SeriesCancelledFrom](r, SeriesCancelledFromType, 1) },
	}
	for _, reg := range regs {
		if err := reg(); err != nil {
			return err
		}
	}
	return nil
}
