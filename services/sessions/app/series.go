package app

import (
	"context"
	"time"

	"github.com/google/uuid"

	"passerelle.dev/events"
	"passerelle.dev/events/sessionevents"
	"passerelle.dev/servicekit/command"
	"passerelle.dev/sessions/domain/series"
	"passerelle.dev/sessions/domain/session"
)

// SeriesRepository stores series with their sessions.
type SeriesRepository interface {
	// AddSeries stores the planned sessions (a date whose venue is taken is refused) and
	// the series build makes of what became of each date, in one transaction.
	AddSeries(ctx context.Context, planned []series.Planned, build func([]sessionevents.Occurrence) (*series.Series, error),
		md events.Metadata, key command.Key) (command.Outcome, error)
	// ChangeSeriesFrom changes a series and its sessions from one of them on, in one
	// transaction.
	ChangeSeriesFrom(ctx context.Context, seriesID, fromSessionID string, md events.Metadata, key command.Key,
		decide func(ser *series.Series, fromDate string, sessions []*session.DialogueSession) error) (command.Outcome, error)
	// LoadSeries returns a series.
	LoadSeries(ctx context.Context, id string) (*series.Series, error)
}

// ScheduleSeries plans a series of sessions, one per date of a recurrence: coordinators
// of the city, admins. Every session is the same but for its date.
type ScheduleSeries struct {
	Session    ScheduleSession          `json:"session"`
	Recurrence sessionevents.Recurrence `json:"recurrence"`
	// FirstDate ("2027-01-07") gives the weekday; LocalTime ("18:00") the time of each.
	FirstDate  string   `json:"firstDate"`
	LocalTime  string   `json:"localTime"`
	Exceptions []string `json:"exceptions,omitempty"`
	Request    Request  `json:"-"`
}

// SeriesResult is what became of each date of a series.
type SeriesResult struct {
	SeriesID    string                     `json:"seriesId"`
	Occurrences []sessionevents.Occurrence `json:"occurrences"`
}

// ScheduleSeries handles ScheduleSeries: dates a session cannot have (a time the clocks
// skip or show twice that day, a venue taken) are refused one by one, with their reason;
// the others are scheduled.
func (app *Application) ScheduleSeries(ctx context.Context, cmd ScheduleSeries) (Result, error) {
	key, err := cmd.Request.Key("ScheduleSeries", cmd)
	if err != nil {
		return Result{}, err
	}
	if res, replayed, err := app.replaySeries(ctx, key); err != nil || replayed {
		return res, err
	}
	c, err := app.cities.Get(ctx, cmd.Session.City)
	if err != nil {
		return Result{}, err
	}
	s := cmd.Session
	plan := series.Plan{
		Session: session.Plan{Title: s.Title, Description: s.Description, Theme: s.Theme, OriginCountries: s.OriginCountries,
			Venue: s.Venue, Capacity: s.Capacity, Stakeholders: s.Stakeholders, OfferHours: s.OfferHours},
		Recurrence: cmd.Recurrence, FirstDate: cmd.FirstDate, LocalTime: cmd.LocalTime, DurationMinutes: s.When.DurationMinutes,
		Exceptions: cmd.Exceptions,
	}
	city := session.City{Slug: c.Slug(), Location: c.Location()}
	id := uuid.Must(uuid.NewV7()).String()
	now := app.now()
	planned, rec, err := series.Expand(id, city, cmd.Request.Actor, plan, now)
	if err != nil {
		return Result{}, err
	}
	var title sessionevents.Text
	for _, p := range planned {
		if p.Session != nil {
			title = p.Session.PendingEvents()[0].(sessionevents.SessionScheduled).Title
			break
		}
	}
	var occurrences []sessionevents.Occurrence
	o, err := app.series.AddSeries(ctx, planned, func(occ []sessionevents.Occurrence) (*series.Series, error) {
		occurrences = occ
		return series.Scheduled(id, city, plan, rec, title, occ, now), nil
	}, cmd.Request.Metadata(), key)
	if err != nil {
		return Result{}, err
	}
	if o.Replayed {
		return app.replaySeriesOutcome(ctx, o)
	}
	return Result{Position: o.Position, Series: &SeriesResult{SeriesID: id, Occurrences: occurrences}}, nil
}

func (app *Application) replaySeries(ctx context.Context, key command.Key) (Result, bool, error) {
	if key.IsZero() {
		return Result{}, false, nil
	}
	o, ok, err := app.sessions.Replay(ctx, key)
	if err != nil || !ok {
		return Result{}, false, err
	}
	res, err := app.replaySeriesOutcome(ctx, o)
	return res, err == nil, err
}

func (app *Application) replaySeriesOutcome(ctx context.Context, o command.Outcome) (Result, error) {
	id, _ := sessionevents.SeriesIDFromStream(o.StreamID)
	ser, err := app.series.LoadSeries(ctx, id)
	if err != nil {
		return Result{}, err
	}
	return Result{Position: o.Position, Replayed: true, Series: &SeriesResult{SeriesID: id, Occurrences: ser.Occurrences()}}, nil
}

// MoveSeriesFrom moves the sessions of a series from one of them on to another time of
// day (on the city's clocks) and length, keeping their dates: all of them or, if one
// cannot move (a time the clocks skip that day, a venue taken), none.
type MoveSeriesFrom struct {
	SeriesID        string  `json:"seriesId"`
	FromSessionID   string  `json:"fromSessionId"`
	LocalTime       string  `json:"localTime"`
	DurationMinutes int     `json:"durationMinutes"`
	Request         Request `json:"-"`
}

// MoveSeriesFrom handles MoveSeriesFrom. Sessions already held or cancelled stay.
func (app *Application) MoveSeriesFrom(ctx context.Context, cmd MoveSeriesFrom) (Result, error) {
	return app.changeSeriesFrom(ctx, "MoveSeriesFrom", cmd, cmd.SeriesID, cmd.FromSessionID, cmd.Request,
		func(ser *series.Series, from string, now time.Time) error {
			return ser.MoveFrom(cmd.Request.Actor, from, cmd.LocalTime, cmd.DurationMinutes, now)
		},
		func(s *session.DialogueSession, now time.Time) error {
			start, err := session.ParseLocalDateTime("localTime", s.Occurrence()+"T"+cmd.LocalTime)
			if err != nil {
				return err
			}
			return s.Reschedule(cmd.Request.Actor, session.When{Start: start, DurationMinutes: cmd.DurationMinutes}, now)
		})
}

// CancelSeriesFrom calls off the rest of a series, from one of its sessions on.
type CancelSeriesFrom struct {
	SeriesID      string  `json:"seriesId"`
	FromSessionID string  `json:"fromSessionId"`
	Reason        string  `json:"reason"`
	Request       Request `json:"-"`
}

// CancelSeriesFrom handles CancelSeriesFrom. Sessions already held or cancelled stay.
func (app *Application) CancelSeriesFrom(ctx context.Context, cmd CancelSeriesFrom) (Result, error) {
	return app.changeSeriesFrom(ctx, "CancelSeriesFrom", cmd, cmd.SeriesID, cmd.FromSessionID, cmd.Request,
		func(ser *series.Series, from string, now time.Time) error {
			return ser.CancelFrom(cmd.Request.Actor, from, cmd.Reason, now)
		},
		func(s *session.DialogueSession, now time.Time) error {
			return s.Cancel(cmd.Request.Actor, cmd.Reason, now)
		})
}

// changeSeriesFrom runs a this-and-following command: replayed if its idempotency key
// was seen, else the series records the change and each of its sessions from the given
// one on, neither held nor cancelled, makes it — all in one transaction.
func (app *Application) changeSeriesFrom(ctx context.Context, name string, cmd any, seriesID, fromSessionID string, req Request,
	record func(*series.Series, string, time.Time) error, change func(*session.DialogueSession, time.Time) error) (Result, error) {
	key, err := req.Key(name, cmd)
	if err != nil {
		return Result{}, err
	}
	if res, replayed, err := app.replaySeries(ctx, key); err != nil || replayed {
		return res, err
	}
	if _, err := uuid.Parse(seriesID); err != nil {
		return Result{}, series.ErrNotFound
	}
	now := app.now()
	o, err := app.series.ChangeSeriesFrom(ctx, seriesID, fromSessionID, req.Metadata(), key,
		func(ser *series.Series, from string, sessions []*session.DialogueSession) error {
			if err := record(ser, from, now); err != nil {
				return err
			}
			for _, s := range sessions {
				if s.Status() == session.StatusCancelled || s.IsOver(now) {
					continue
				}
				if err := change(s, now); err != nil {
					return &OccurrenceError{Date: s.Occurrence(), Err: err}
				}
			}
			return nil
		})
	if err != nil {
		return Result{}, err
	}
	return app.replaySeriesOutcome(ctx, o)
}

// OccurrenceError says which date of a series a change failed on.
type OccurrenceError struct {
	Date string
	Err  error
}

func (e *OccurrenceError) Error() string { return e.Date + ": " + e.Err.Error() }

// Unwrap gives the cause, whose code the answer carries.
func (e *OccurrenceError) Unwrap() error { return e.Err }

// Details adds the date to the cause's details.
func (e *OccurrenceError) Details() map[string]any {
	d := map[string]any{"date": e.Date}
	if dd, ok := e.Err.(interface{ Details() map[string]any }); ok {
		for k, v := range dd.Details() {
			d[k] = v
		}
	}
	return d
}
