// Package session holds the DialogueSession aggregate: a session of the Dialogue en
// continu in a city, and the associations registered for it. It decides, from its own
// events, what may be scheduled, who gets a seat and who waits — never more confirmed
// seats than the capacity — and records the outcome.
package session

import (
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"passerelle.dev/events"
	"passerelle.dev/events/directoryevents"
	"passerelle.dev/events/sessionevents"
	"passerelle.dev/kernel/countries"
	"passerelle.dev/kernel/textsearch"
)

// Status is a session's status.
type Status struct{ name string }

// The statuses. A scheduled session whose end has passed is shown as held.
var (
	StatusScheduled = Status{"SCHEDULED"}
	StatusCancelled = Status{"CANCELLED"}
)

// String returns the status's name.
func (s Status) String() string { return s.name }

// RegistrationStatus is where a registration stands.
type RegistrationStatus struct{ name string }

// The registration statuses.
var (
	Confirmed  = RegistrationStatus{"CONFIRMED"}
	Waitlisted = RegistrationStatus{"WAITLISTED"}
	Cancelled  = RegistrationStatus{"CANCELLED"}
	// Offered: freed seats are held for the registration until its offer expires.
	Offered = RegistrationStatus{"OFFERED"}
	// OfferDeclined and OfferExpired end a registration that was offered seats and did
	// not take them: it leaves the waitlist, and the association may register again.
	OfferDeclined = RegistrationStatus{"OFFER_DECLINED"}
	OfferExpired  = RegistrationStatus{"OFFER_EXPIRED"}
)

// active tells whether a registration still holds or waits for seats.
func (s RegistrationStatus) active() bool {
	return s == Confirmed || s == Waitlisted || s == Offered
}

// String returns the status's name.
func (s RegistrationStatus) String() string { return s.name }

// Stakeholder kinds.
var StakeholderKinds = []string{"GOVERNMENT", "UNIVERSITY", "PRIVATE_SECTOR", "NGO", "INTERNATIONAL_ORGANISATION"}

// Limits of a session.
const (
	MaxTitleLength       = 200
	MaxDescriptionLength = 5000
	MaxStakeholders      = 50
	MaxCapacity          = 100_000
	MinDurationMinutes   = 15
	MaxDurationMinutes   = 24 * 60
	MaxReasonLength      = 1000
)

// City is what a session needs to know of its city.
type City struct {
	Slug     string
	Location *time.Location
}

// When is a start (and a registration deadline) as a coordinator gives them: wall-clock
// times in the city's zone, with an offset only to tell apart a time that happens twice.
type When struct {
	Start           LocalDateTime
	StartOffset     *Offset
	DurationMinutes int
	// Deadline defaults to the start.
	Deadline       *LocalDateTime
	DeadlineOffset *Offset
}

// Plan is everything a coordinator gives to schedule a session.
type Plan struct {
	Title           sessionevents.Text
	Description     sessionevents.Text
	Theme           string
	OriginCountries []string
	Venue           sessionevents.Venue
	When            When
	Capacity        int
	Stakeholders    []sessionevents.Stakeholder
	// OfferHours, when set, offers freed seats to the head of the waitlist for that long
	// instead of promoting it at once.
	OfferHours int
	// SeriesID and Occurrence place a session in a series: its id, and the date.
	SeriesID, Occurrence string
}

type registration struct {
	id, associationID string
	seats             int
	status            RegistrationStatus
	attended          *int
	// checkedIn is the seats checked in on the day, nil until then.
	checkedIn *int
	// offerExpires is when the seats offered to it pass to the next (status Offered).
	offerExpires time.Time
}

// DialogueSession is the aggregate.
type DialogueSession struct {
	id       string
	city     string
	location *time.Location
	venue    sessionevents.Venue
	timing   sessionevents.Timing
	capacity int
	// offerHours is the waitlist offers' duration; zero promotes at once.
	offerHours int
	// seriesID and occurrence place the session in a series.
	seriesID, occurrence string
	status               Status
	regs                 []*registration // in arrival order
	// attendanceRecorded is set once attendance is recorded after the session.
	attendanceRecorded bool
	version            int64
	pending            []any
}

// Schedule plans a session in city. Only coordinators of that city and admins may.
func Schedule(id uuid.UUID, city City, by events.Actor, p Plan, now time.Time) (*DialogueSession, error) {
	if err := mayModerate(by, city.Slug); err != nil {
		return nil, err
	}
	text, err := checkText(p.Title, p.Description)
	if err != nil {
		return nil, err
	}
	if !slices.Contains(directoryevents.Sectors, p.Theme) {
		return nil, &InvalidInputError{Field: "theme", Reason: fmt.Sprintf("%q is not a theme of the dialogue", p.Theme)}
	}
	origins, err := checkCountries("originCountries", p.OriginCountries)
	if err != nil {
		return nil, err
	}
	venue, err := checkVenue(p.Venue)
	if err != nil {
		return nil, err
	}
	if p.Capacity < 1 || p.Capacity > MaxCapacity {
		return nil, &InvalidInputError{Field: "capacity", Reason: fmt.Sprintf("between 1 and %d seats", MaxCapacity)}
	}
	stakeholders, err := checkStakeholders(p.Stakeholders)
	if err != nil {
		return nil, err
	}
	timing, err := resolveTiming(p.When, city.Location, now)
	if err != nil {
		return nil, err
	}
	if err := checkOfferHours(p.OfferHours); err != nil {
		return nil, err
	}
	s := &DialogueSession{}
	s.record(sessionevents.SessionScheduled{
		SessionID: id.String(), City: city.Slug, Title: text.title, Description: text.description,
		Theme: p.Theme, OriginCountries: origins, Venue: venue, Timing: timing, Capacity: p.Capacity,
		Stakeholders: stakeholders, OfferHours: p.OfferHours, SeriesID: p.SeriesID, Occurrence: p.Occurrence, ScheduledAt: now.UTC(),
	})
	return s, nil
}

type texts struct{ title, description sessionevents.Text }

func checkText(title, description sessionevents.Text) (texts, error) {
	trim := func(t sessionevents.Text) sessionevents.Text {
		return sessionevents.Text{EN: strings.TrimSpace(t.EN), FR: strings.TrimSpace(t.FR), ES: strings.TrimSpace(t.ES)}
	}
	t, d := trim(title), trim(description)
	if t.EN == "" && t.FR == "" && t.ES == "" {
		return texts{}, &InvalidInputError{Field: "title", Reason: "a title in English, French or Spanish is required"}
	}
	for _, c := range []struct {
		field string
		text  sessionevents.Text
		max   int
	}{{"title", t, MaxTitleLength}, {"description", d, MaxDescriptionLength}} {
		for lang, s := range map[string]string{"en": c.text.EN, "fr": c.text.FR, "es": c.text.ES} {
			if utf8.RuneCountInString(s) > c.max {
				return texts{}, &InvalidInputError{Field: c.field + "." + lang, Reason: fmt.Sprintf("at most %d characters", c.max)}
			}
		}
	}
	return texts{t, d}, nil
}

func checkCountries(field string, in []string) ([]string, error) {
	if len(in) == 0 {
		return nil, &InvalidInputError{Field: field, Reason: "name at least one country"}
	}
	var out []string
	for _, s := range in {
		code, ok := countries.Normalize(s)
		if !ok {
			return nil, &InvalidInputError{Field: field, Reason: fmt.Sprintf("%q is not an ISO 3166-1 alpha-2 country code", s)}
		}
		if !slices.Contains(out, code) {
			out = append(out, code)
		}
	}
	return out, nil
}

func checkVenue(v sessionevents.Venue) (sessionevents.Venue, error) {
	v = sessionevents.Venue{Name: strings.Join(strings.Fields(v.Name), " "), Address: strings.TrimSpace(v.Address)}
	switch {
	case v.Name == "" || utf8.RuneCountInString(v.Name) > 200:
		return v, &InvalidInputError{Field: "venue.name", Reason: "a venue name of at most 200 characters is required"}
	case v.Address == "" || utf8.RuneCountInString(v.Address) > 500:
		return v, &InvalidInputError{Field: "venue.address", Reason: "an address of at most 500 characters is required"}
	}
	return v, nil
}

func checkStakeholders(in []sessionevents.Stakeholder) ([]sessionevents.Stakeholder, error) {
	if len(in) > MaxStakeholders {
		return nil, &InvalidInputError{Field: "stakeholders", Reason: fmt.Sprintf("at most %d stakeholders", MaxStakeholders)}
	}
	out := make([]sessionevents.Stakeholder, 0, len(in))
	for _, s := range in {
		name := strings.Join(strings.Fields(s.Name), " ")
		if name == "" || utf8.RuneCountInString(name) > 200 {
			return nil, &InvalidInputError{Field: "stakeholders.name", Reason: "a name of at most 200 characters is required"}
		}
		if !slices.Contains(StakeholderKinds, s.Kind) {
			return nil, &InvalidInputError{Field: "stakeholders.kind", Reason: fmt.Sprintf("%q is not a kind of stakeholder", s.Kind)}
		}
		code, ok := countries.Normalize(s.Country)
		if !ok {
			return nil, &InvalidInputError{Field: "stakeholders.country", Reason: fmt.Sprintf("%q is not an ISO 3166-1 alpha-2 country code", s.Country)}
		}
		out = append(out, sessionevents.Stakeholder{Name: name, Kind: s.Kind, Country: code})
	}
	return out, nil
}

// resolveTiming turns wall-clock times into instants in loc, and checks them.
func resolveTiming(w When, loc *time.Location, now time.Time) (sessionevents.Timing, error) {
	if w.DurationMinutes < MinDurationMinutes || w.DurationMinutes > MaxDurationMinutes {
		return sessionevents.Timing{}, &InvalidInputError{Field: "durationMinutes",
			Reason: fmt.Sprintf("between %d and %d minutes", MinDurationMinutes, MaxDurationMinutes)}
	}
	start, err := w.Start.In("start", loc, w.StartOffset)
	if err != nil {
		return sessionevents.Timing{}, err
	}
	if !start.After(now) {
		return sessionevents.Timing{}, ErrInThePast
	}
	deadline := start
	if w.Deadline != nil {
		if deadline, err = w.Deadline.In("registrationDeadline", loc, w.DeadlineOffset); err != nil {
			return sessionevents.Timing{}, err
		}
		if deadline.After(start) {
			return sessionevents.Timing{}, &InvalidInputError{Field: "registrationDeadline", Reason: "the registration deadline is at the start at the latest"}
		}
		if !deadline.After(now) {
			return sessionevents.Timing{}, &InvalidInputError{Field: "registrationDeadline", Reason: "the registration deadline has already passed"}
		}
	}
	return sessionevents.Timing{Start: start.UTC(), LocalStart: w.Start.String(), TimeZone: loc.String(),
		DurationMinutes: w.DurationMinutes, Deadline: deadline.UTC()}, nil
}

// FromHistory rebuilds a session from its events. The city's location comes from the
// city: events store only its name.
func FromHistory(history []any, loc *time.Location) (*DialogueSession, error) {
	if len(history) == 0 {
		return nil, ErrNotFound
	}
	s := &DialogueSession{location: loc}
	for i, ev := range history {
		if err := s.apply(ev); err != nil {
			return nil, fmt.Errorf("session history, event %d: %w", i+1, err)
		}
		s.version++
	}
	return s, nil
}

// Reschedule moves the session; registrations stay. A new deadline may come with it;
// without one, the deadline moves with the start, keeping its distance to it.
func (s *DialogueSession) Reschedule(by events.Actor, w When, now time.Time) error {
	if err := s.mayModerate(by); err != nil {
		return err
	}
	if s.status == StatusCancelled {
		return ErrCancelled
	}
	timing, err := resolveTiming(w, s.location, now)
	if err != nil {
		return err
	}
	if w.Deadline == nil {
		timing.Deadline = timing.Start.Add(s.timing.Deadline.Sub(s.timing.Start))
	}
	s.record(sessionevents.SessionRescheduled{SessionID: s.id, Timing: timing, At: now.UTC()})
	return nil
}

// ChangeCapacity sets the number of seats, never below those already confirmed. More
// seats are handed to the waitlist by the waitlist policy, not here.
func (s *DialogueSession) ChangeCapacity(by events.Actor, capacity int, now time.Time) error {
	if err := s.mayModerate(by); err != nil {
		return err
	}
	if s.status == StatusCancelled {
		return ErrCancelled
	}
	if capacity < 1 || capacity > MaxCapacity {
		return &InvalidInputError{Field: "capacity", Reason: fmt.Sprintf("between 1 and %d seats", MaxCapacity)}
	}
	if c := s.ConfirmedSeats() + s.offeredSeats(); capacity < c {
		return &CapacityBelowConfirmedError{Confirmed: c}
	}
	if capacity == s.capacity {
		return nil
	}
	s.record(sessionevents.SessionCapacityChanged{SessionID: s.id, Capacity: capacity, At: now.UTC()})
	return nil
}

// Cancel calls the session off; every registration is cancelled with it.
func (s *DialogueSession) Cancel(by events.Actor, reason string, now time.Time) error {
	if err := s.mayModerate(by); err != nil {
		return err
	}
	r := strings.TrimSpace(reason)
	if utf8.RuneCountInString(r) < 3 || utf8.RuneCountInString(r) > MaxReasonLength {
		return &InvalidInputError{Field: "reason", Reason: fmt.Sprintf("a reason of 3 to %d characters is required", MaxReasonLength)}
	}
	if s.status == StatusCancelled {
		return ErrCancelled
	}
	if !now.Before(s.timing.End()) {
		return &InvalidInputError{Field: "sessionId", Reason: "the session is over"}
	}
	s.record(sessionevents.SessionCancelled{SessionID: s.id, Reason: r, At: now.UTC()})
	return nil
}

// Placement is where a registration landed.
type Placement struct {
	RegistrationID string
	Status         RegistrationStatus
	// WaitlistPosition counts from 1; 0 when confirmed.
	WaitlistPosition int
}

// Register asks seats for a verified association: confirmed while seats remain and
// nobody waits, else waitlisted behind those who asked before. The association itself,
// coordinators of the city and admins may ask.
func (s *DialogueSession) Register(by events.Actor, registrationID uuid.UUID, associationID string, seats int, now time.Time) (Placement, error) {
	switch {
	case !by.IsAuthenticated():
		return Placement{}, ErrNeedsSignIn
	case !(by.IsAdmin() || by.CoordinatesCity(s.city) || by.SpeaksFor(associationID)):
		return Placement{}, ErrRegistrationForbidden
	case s.status == StatusCancelled:
		return Placement{}, ErrCancelled
	case !now.Before(s.timing.Deadline):
		return Placement{}, ErrDeadlinePassed
	case seats < 1 || seats > s.capacity:
		return Placement{}, &InvalidInputError{Field: "seats", Reason: fmt.Sprintf("between 1 and %d seats (the capacity)", s.capacity)}
	}
	for _, r := range s.regs {
		if r.associationID == associationID && r.status.active() {
			return Placement{}, &AlreadyRegisteredError{RegistrationID: r.id, Status: r.status.String()}
		}
	}
	id := registrationID.String()
	if s.waitlistLength() == 0 && seats <= s.SeatsLeft() {
		s.record(sessionevents.RegistrationConfirmed{SessionID: s.id, RegistrationID: id, AssociationID: associationID, Seats: seats, At: now.UTC()})
		return Placement{RegistrationID: id, Status: Confirmed}, nil
	}
	s.record(sessionevents.RegistrationWaitlisted{SessionID: s.id, RegistrationID: id, AssociationID: associationID, Seats: seats, At: now.UTC()})
	return Placement{RegistrationID: id, Status: Waitlisted, WaitlistPosition: s.waitlistLength()}, nil
}

// CancelRegistration withdraws a registration: its association, a coordinator of the
// city or an admin. Freed seats go to the waitlist through the waitlist policy.
func (s *DialogueSession) CancelRegistration(by events.Actor, registrationID string, now time.Time) error {
	r := s.registration(registrationID)
	switch {
	case !by.IsAuthenticated():
		return ErrNeedsSignIn
	case r == nil:
		return ErrRegistrationNotFound
	case !(by.IsAdmin() || by.CoordinatesCity(s.city) || by.SpeaksFor(r.associationID)):
		return ErrRegistrationForbidden
	case !r.status.active():
		return ErrRegistrationClosed
	case s.status == StatusCancelled:
		return ErrCancelled
	}
	s.record(sessionevents.RegistrationCancelled{SessionID: s.id, RegistrationID: r.id, WasConfirmed: r.status == Confirmed, At: now.UTC()})
	return nil
}

// PromoteWaitlist gives free seats to the waitlist, first come first served: the head of
// the waitlist gets them while its seats fit, and nobody overtakes it. With waitlist
// offers, and before the registration deadline, the head is offered the seats (held for
// it until the offer expires) instead of promoted. It is the waitlist policy's command,
// idempotent: with nothing to give it records nothing. It returns the registrations
// promoted or offered seats.
func (s *DialogueSession) PromoteWaitlist(now time.Time) []string {
	if s.status == StatusCancelled || !now.Before(s.timing.End()) {
		return nil
	}
	var given []string
	for _, r := range s.regs {
		if r.status != Waitlisted {
			continue
		}
		if r.seats > s.SeatsLeft() {
			break
		}
		if expires, ok := s.offerExpiry(now); ok {
			s.record(sessionevents.WaitlistOfferMade{SessionID: s.id, RegistrationID: r.id, Seats: r.seats,
				ExpiresAt: expires, At: now.UTC()})
		} else {
			s.record(sessionevents.RegistrationPromoted{SessionID: s.id, RegistrationID: r.id, At: now.UTC()})
		}
		given = append(given, r.id)
	}
	return given
}

// RecordAttendance records, once the session is over, how many seats each confirmed
// registration used. Recording again corrects it.
func (s *DialogueSession) RecordAttendance(by events.Actor, attendance []sessionevents.Attendance, now time.Time) error {
	if err := s.mayModerate(by); err != nil {
		return err
	}
	if err := s.over(now); err != nil {
		return err
	}
	if len(attendance) == 0 {
		return &InvalidInputError{Field: "attendance", Reason: "give the attendance of at least one registration"}
	}
	seen := map[string]bool{}
	for _, a := range attendance {
		r := s.registration(a.RegistrationID)
		if r == nil || r.status != Confirmed {
			return &InvalidInputError{Field: "attendance.registrationId", Reason: "attendance is recorded for confirmed registrations of this session"}
		}
		if seen[a.RegistrationID] {
			return &InvalidInputError{Field: "attendance.registrationId", Reason: "a registration is listed twice"}
		}
		seen[a.RegistrationID] = true
		if a.AttendedSeats < 0 || a.AttendedSeats > r.seats {
			return &InvalidInputError{Field: "attendance.attendedSeats", Reason: fmt.Sprintf("between 0 and the %d seats confirmed", r.seats)}
		}
	}
	s.record(sessionevents.AttendanceRecorded{SessionID: s.id, Attendance: attendance, At: now.UTC()})
	return nil
}

// RecordOutcome records, once the session is over, what came out of it. Recording again
// replaces it.
func (s *DialogueSession) RecordOutcome(by events.Actor, summary sessionevents.Text, followUps []sessionevents.FollowUp, now time.Time) error {
	if err := s.mayModerate(by); err != nil {
		return err
	}
	if err := s.over(now); err != nil {
		return err
	}
	summary = sessionevents.Text{EN: strings.TrimSpace(summary.EN), FR: strings.TrimSpace(summary.FR), ES: strings.TrimSpace(summary.ES)}
	if summary.EN == "" && summary.FR == "" && summary.ES == "" ||
		max(utf8.RuneCountInString(summary.EN), utf8.RuneCountInString(summary.FR), utf8.RuneCountInString(summary.ES)) > MaxDescriptionLength {
		return &InvalidInputError{Field: "summary", Reason: fmt.Sprintf("a summary in English, French or Spanish, at most %d characters each, is required", MaxDescriptionLength)}
	}
	if len(followUps) > 50 {
		return &InvalidInputError{Field: "followUps", Reason: "at most 50 follow-up actions"}
	}
	clean := make([]sessionevents.FollowUp, 0, len(followUps))
	for _, f := range followUps {
		f.Action, f.Owner, f.Due = strings.TrimSpace(f.Action), strings.TrimSpace(f.Owner), strings.TrimSpace(f.Due)
		if f.Action == "" || utf8.RuneCountInString(f.Action) > 1000 || utf8.RuneCountInString(f.Owner) > 200 {
			return &InvalidInputError{Field: "followUps.action", Reason: "an action of at most 1000 characters, an owner of at most 200"}
		}
		if f.Due != "" {
			if _, err := time.Parse("2006-01-02", f.Due); err != nil {
				return &InvalidInputError{Field: "followUps.due", Reason: fmt.Sprintf("%q is not a date such as 2027-06-30", f.Due)}
			}
		}
		clean = append(clean, f)
	}
	s.record(sessionevents.OutcomeRecorded{SessionID: s.id, Summary: summary, FollowUps: clean, At: now.UTC()})
	return nil
}

func (s *DialogueSession) over(now time.Time) error {
	if s.status == StatusCancelled {
		return ErrCancelled
	}
	if now.Before(s.timing.End()) {
		return ErrNotOverYet
	}
	return nil
}

func mayModerate(by events.Actor, city string) error {
	switch {
	case !by.IsAuthenticated():
		return ErrNeedsSignIn
	case by.IsAdmin() || by.CoordinatesCity(city):
		return nil
	}
	return ErrModerationForbidden
}

func (s *DialogueSession) mayModerate(by events.Actor) error { return mayModerate(by, s.city) }

func (s *DialogueSession) registration(id string) *registration {
	for _, r := range s.regs {
		if r.id == id {
			return r
		}
	}
	return nil
}

func (s *DialogueSession) record(ev any) {
	if err := s.apply(ev); err != nil {
		panic(fmt.Sprintf("session: recording an event it cannot apply: %v", err))
	}
	s.pending = append(s.pending, ev)
}

func (s *DialogueSession) apply(ev any) error {
	switch e := ev.(type) {
	case sessionevents.SessionScheduled:
		if s.id != "" {
			return fmt.Errorf("scheduled twice")
		}
		s.id, s.city, s.venue, s.timing, s.capacity, s.status = e.SessionID, e.City, e.Venue, e.Timing, e.Capacity, StatusScheduled
		s.offerHours, s.seriesID, s.occurrence = e.OfferHours, e.SeriesID, e.Occurrence
	case sessionevents.SessionRescheduled:
		s.timing = e.Timing
	case sessionevents.SessionCapacityChanged:
		s.capacity = e.Capacity
	case sessionevents.SessionCancelled:
		s.status = StatusCancelled
		for _, r := range s.regs {
			if r.status.active() {
				r.status = Cancelled
			}
		}
	case sessionevents.RegistrationConfirmed:
		s.regs = append(s.regs, &registration{id: e.RegistrationID, associationID: e.AssociationID, seats: e.Seats, status: Confirmed})
	case sessionevents.RegistrationWaitlisted:
		s.regs = append(s.regs, &registration{id: e.RegistrationID, associationID: e.AssociationID, seats: e.Seats, status: Waitlisted})
	case sessionevents.RegistrationPromoted:
		r := s.registration(e.RegistrationID)
		if r == nil {
			return fmt.Errorf("promotion of an unknown registration %s", e.RegistrationID)
		}
		r.status = Confirmed
	case sessionevents.RegistrationCancelled:
		r := s.registration(e.RegistrationID)
		if r == nil {
			return fmt.Errorf("cancellation of an unknown registration %s", e.RegistrationID)
		}
		r.status = Cancelled
	case sessionevents.AttendanceRecorded:
		s.attendanceRecorded = true
		for _, a := range e.Attendance {
			if r := s.registration(a.RegistrationID); r != nil {
				n := a.AttendedSeats
				r.attended = &n
			}
		}
	case sessionevents.RegistrationCheckedIn:
		r := s.registration(e.RegistrationID)
		if r == nil {
			return fmt.Errorf("check-in of an unknown registration %s", e.RegistrationID)
		}
		n := e.Seats
		r.checkedIn, r.attended = &n, &n
	case sessionevents.CheckInUndone:
		r := s.registration(e.RegistrationID)
		if r == nil {
			return fmt.Errorf("undone check-in of an unknown registration %s", e.RegistrationID)
		}
		r.checkedIn, r.attended = nil, nil
	case sessionevents.OutcomeRecorded:
	case sessionevents.WaitlistOffersChanged:
		s.offerHours = e.OfferHours
	case sessionevents.WaitlistOfferMade, sessionevents.WaitlistOfferAccepted, sessionevents.WaitlistOfferDeclined,
		sessionevents.WaitlistOfferExpired:
		return s.applyOffer(ev)
	default:
		return fmt.Errorf("unknown event %T", ev)
	}
	return nil
}

// ConfirmedSeats counts the seats given.
func (s *DialogueSession) ConfirmedSeats() int {
	n := 0
	for _, r := range s.regs {
		if r.status == Confirmed {
			n += r.seats
		}
	}
	return n
}

// SeatsLeft counts the seats still free: neither confirmed nor held by an offer.
func (s *DialogueSession) SeatsLeft() int {
	return max(s.capacity-s.ConfirmedSeats()-s.offeredSeats(), 0)
}

func (s *DialogueSession) waitlistLength() int {
	n := 0
	for _, r := range s.regs {
		if r.status == Waitlisted {
			n++
		}
	}
	return n
}

// WaitlistLength counts the registrations waiting.
func (s *DialogueSession) WaitlistLength() int { return s.waitlistLength() }

// SeriesID is the session's series, empty for a session on its own.
func (s *DialogueSession) SeriesID() string { return s.seriesID }

// Occurrence is the session's date in its series ("2027-01-07").
func (s *DialogueSession) Occurrence() string { return s.occurrence }

// IsOver tells whether the session has ended at now.
func (s *DialogueSession) IsOver(now time.Time) bool { return !now.Before(s.timing.End()) }

// ID returns the session's id.
func (s *DialogueSession) ID() string { return s.id }

// City returns the session's city slug.
func (s *DialogueSession) City() string { return s.city }

// Venue returns where the session is held.
func (s *DialogueSession) Venue() sessionevents.Venue { return s.venue }

// VenueKey is the venue as compared for overlaps: the city and the folded venue name.
func (s *DialogueSession) VenueKey() string {
	return s.city + ":" + textsearch.Fold(s.venue.Name)
}

// Timing returns when the session is held.
func (s *DialogueSession) Timing() sessionevents.Timing { return s.timing }

// Capacity returns the number of seats.
func (s *DialogueSession) Capacity() int { return s.capacity }

// Status returns the session's status.
func (s *DialogueSession) Status() Status { return s.status }

// PendingEvents are the events recorded since the session was loaded.
func (s *DialogueSession) PendingEvents() []any { return append([]any(nil), s.pending...) }

// Version is the stream version the session was loaded at.
func (s *DialogueSession) Version() int64 { return s.version }
