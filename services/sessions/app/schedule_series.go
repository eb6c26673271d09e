package app

import (
	"context"

	"github.com/google/uuid"

	"passerelle.dev/events/sessionevents"
	"passerelle.dev/servicekit/command"
	"passerelle.dev/sessions/domain/series"
	"passerelle.dev/sessions/domain/session"
)

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
