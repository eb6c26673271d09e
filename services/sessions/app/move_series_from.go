package app

import (
	"context"
	"time"

	"passerelle.dev/sessions/domain/series"
	"passerelle.dev/sessions/domain/session"
)

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
