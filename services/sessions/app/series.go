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
