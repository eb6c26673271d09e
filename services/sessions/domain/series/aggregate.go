package series

import (
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"passerelle.dev/events"
	"passerelle.dev/events/sessionevents"
	"passerelle.dev/kernel/fault"
	"passerelle.dev/sessions/domain/session"
)

// Errors of series.
var (
	ErrNotFound = fault.Because(fault.NotFound, "SERIES_NOT_FOUND", "series not found")
	// ErrNothingScheduled refuses a series none of whose dates could be scheduled.
	ErrNothingScheduled = fault.Because(fault.Conflict, "NO_SESSION_SCHEDULED", "no date of the series could be scheduled")
	ErrNotInSeries      = fault.Because(fault.BadUserInput, "NOT_IN_SERIES", "the session is not one of the series")
)

// NothingScheduledError is ErrNothingScheduled with the reason of each date.
type NothingScheduledError struct{ Occurrences []sessionevents.Occurrence }

func (e *NothingScheduledError) Error() string { return ErrNothingScheduled.Error() }

// Code implements fault.Coded.
func (e *NothingScheduledError) Code() fault.Code { return fault.Conflict }

// Details implements fault.Detailed.
func (e *NothingScheduledError) Details() map[string]any {
	dates := make([]map[string]string, len(e.Occurrences))
	for i, o := range e.Occurrences {
		dates[i] = map[string]string{"date": o.Date, "refusal": o.Refusal}
	}
	return map[string]any{"reason": "NO_SESSION_SCHEDULED", "dates": dates}
}

// Plan is a series as a coordinator asks for it.
type Plan struct {
	// Session is every session's plan; its When is ignored.
	Session         session.Plan
	Recurrence      Recurrence
	FirstDate       string
	LocalTime       string
	DurationMinutes int
	Exceptions      []string
}

// Planned is one date of a series, scheduled (Session set) or refused.
type Planned struct {
	Date    string
	Session *session.DialogueSession
	Refusal sessionevents.Occurrence
}

// Expand checks the plan and schedules a session for each date, or says why a date
// cannot have one (a local time the clocks skip or show twice that day, a date already
// past). Venue conflicts are found when the sessions are stored.
func Expand(seriesID string, city session.City, by events.Actor, p Plan, now time.Time) ([]Planned, Recurrence, error) {
	r, _, err := Check(p.Recurrence, p.FirstDate)
	if err != nil {
		return nil, r, err
	}
	if _, err := time.Parse("15:04", p.LocalTime); err != nil {
		return nil, r, &session.InvalidInputError{Field: "localTime", Reason: fmt.Sprintf("%q is not a time of day such as 18:00", p.LocalTime)}
	}
	dates, err := Dates(r, p.FirstDate, p.Exceptions)
	if err != nil {
		return nil, r, err
	}
	out := make([]Planned, 0, len(dates))
	scheduledOne := false
	for _, d := range dates {
		start, err := session.ParseLocalDateTime("start", d+"T"+p.LocalTime)
		if err != nil {
			return nil, r, err
		}
		plan := p.Session
		plan.When = session.When{Start: start, DurationMinutes: p.DurationMinutes}
		plan.SeriesID, plan.Occurrence = seriesID, d
		s, err := session.Schedule(uuid.Must(uuid.NewV7()), city, by, plan, now)
		if refusal, ok := refusalOf(err); ok {
			out = append(out, Planned{Date: d, Refusal: sessionevents.Occurrence{Date: d, Refusal: refusal, Reason: err.Error()}})
			continue
		}
		if err != nil {
			return nil, r, err // the plan itself is wrong: every date would fail
		}
		scheduledOne = true
		out = append(out, Planned{Date: d, Session: s})
	}
	if !scheduledOne {
		occ := make([]sessionevents.Occurrence, len(out))
		for i, o := range out {
			occ[i] = o.Refusal
		}
		return nil, r, &NothingScheduledError{Occurrences: occ}
	}
	return out, r, nil
}

// refusalOf tells whether err is a reason for one date only, and its code.
func refusalOf(err error) (string, bool) {
	if err == nil {
		return "", false
	}
	if errors.Is(err, session.ErrInThePast) {
		return "SESSION_IN_THE_PAST", true
	}
	var skipped *session.NonexistentTimeError
	if errors.As(err, &skipped) {
		return "NONEXISTENT_LOCAL_TIME", true
	}
	var twice *session.AmbiguousTimeError
	if errors.As(err, &twice) {
		return "AMBIGUOUS_LOCAL_TIME", true
	}
	var taken *session.VenueTakenError
	if errors.As(err, &taken) {
		return "VENUE_TAKEN", true
	}
	return "", false
}

// RefusalOf is refusalOf for the repository, which finds venue conflicts.
func RefusalOf(err error) (string, bool) { return refusalOf(err) }

// Series is the aggregate of a series: what was planned and what became of each date.
type Series struct {
	id, city    string
	occurrences []sessionevents.Occurrence
	localTime   string
	duration    int
	cancelledAt string // the first date cancelled with the rest of the series
	version     int64
	pending     []any
}

// Scheduled records a series whose dates have been stored as planned.
func Scheduled(id string, city session.City, p Plan, r Recurrence, title sessionevents.Text, occurrences []sessionevents.Occurrence, now time.Time) *Series {
	s := &Series{}
	s.record(sessionevents.SeriesScheduled{SeriesID: id, City: city.Slug, Title: title, Recurrence: r, FirstDate: p.FirstDate,
		LocalTime: p.LocalTime, DurationMinutes: p.DurationMinutes, TimeZone: city.Location.String(), Exceptions: p.Exceptions,
		Occurrences: occurrences, At: now.UTC()})
	return s
}

// FromHistory rebuilds a series from its events.
func FromHistory(history []any) (*Series, error) {
	if len(history) == 0 {
		return nil, ErrNotFound
	}
	s := &Series{}
	for i, ev := range history {
		if err := s.apply(ev); err != nil {
			return nil, fmt.Errorf("series history, event %d: %w", i+1, err)
		}
		s.version++
	}
	return s, nil
}

// From returns the sessions of the series from the date of sessionID on, in date order.
func (s *Series) From(sessionID string) (string, []string, error) {
	from := ""
	for _, o := range s.occurrences {
		if o.SessionID == sessionID {
			from = o.Date
		}
	}
	if from == "" {
		return "", nil, ErrNotInSeries
	}
	var ids []string
	for _, o := range s.occurrences {
		if o.SessionID != "" && o.Date >= from {
			ids = append(ids, o.SessionID)
		}
	}
	return from, ids, nil
}

// MoveFrom records that the sessions from fromDate on move to another time of day or
// length; the caller moves each.
func (s *Series) MoveFrom(by events.Actor, fromDate, localTime string, duration int, now time.Time) error {
	if err := mayModerate(by, s.city); err != nil {
		return err
	}
	if _, err := time.Parse("15:04", localTime); err != nil {
		return &session.InvalidInputError{Field: "localTime", Reason: fmt.Sprintf("%q is not a time of day such as 18:00", localTime)}
	}
	s.record(sessionevents.SeriesMovedFrom{SeriesID: s.id, FromDate: fromDate, LocalTime: localTime, DurationMinutes: duration, At: now.UTC()})
	return nil
}

// CancelFrom records that the rest of the series, from fromDate on, is called off; the
// caller cancels each session.
func (s *Series) CancelFrom(by events.Actor, fromDate, reason string, now time.Time) error {
	if err := mayModerate(by, s.city); err != nil {
		return err
	}
	reason = strings.TrimSpace(reason)
	if n := utf8.RuneCountInString(reason); n < 3 || n > session.MaxReasonLength {
		return &session.InvalidInputError{Field: "reason", Reason: fmt.Sprintf("a reason of 3 to %d characters is required", session.MaxReasonLength)}
	}
	s.record(sessionevents.SeriesCancelledFrom{SeriesID: s.id, FromDate: fromDate, Reason: reason, At: now.UTC()})
	return nil
}

func mayModerate(by events.Actor, city string) error {
	switch {
	case !by.IsAuthenticated():
		return session.ErrNeedsSignIn
	case by.IsAdmin() || by.CoordinatesCity(city):
		return nil
	}
	return session.ErrModerationForbidden
}

func (s *Series) record(ev any) {
	if err := s.apply(ev); err != nil {
		panic(fmt.Sprintf("series: recording an event it cannot apply: %v", err))
	}
	s.pending = append(s.pending, ev)
}

func (s *Series) apply(ev any) error {
	switch e := ev.(type) {
	case sessionevents.SeriesScheduled:
		if s.id != "" {
			return errors.New("scheduled twice")
		}
		s.id, s.city, s.occurrences, s.localTime, s.duration = e.SeriesID, e.City, e.Occurrences, e.LocalTime, e.DurationMinutes
	case sessionevents.SeriesMovedFrom:
		s.localTime, s.duration = e.LocalTime, e.DurationMinutes
	case sessionevents.SeriesCancelledFrom:
		if s.cancelledAt == "" || e.FromDate < s.cancelledAt {
			s.cancelledAt = e.FromDate
		}
	default:
		return fmt.Errorf("unknown event %T", ev)
	}
	return nil
}

// ID returns the series' id.
func (s *Series) ID() string { return s.id }

// City returns the series' city.
func (s *Series) City() string { return s.city }

// Occurrences are what became of each date.
func (s *Series) Occurrences() []sessionevents.Occurrence { return s.occurrences }

// PendingEvents are the events recorded since the series was loaded.
func (s *Series) PendingEvents() []any { return append([]any(nil), s.pending...) }

// Version is the stream version the series was loaded at.
func (s *Series) Version() int64 { return s.version }
