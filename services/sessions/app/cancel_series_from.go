package app

import (
	"context"
	"time"

	"passerelle.dev/sessions/domain/series"
	"passerelle.dev/sessions/domain/session"
)

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
