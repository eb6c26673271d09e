package app

import (
	"context"

	"passerelle.dev/sessions/domain/session"
)

// RescheduleSession moves a session; registrations stay.
type RescheduleSession struct {
	SessionID string  `json:"sessionId"`
	When      When    `json:"when"`
	Request   Request `json:"-"`
}

// RescheduleSession handles RescheduleSession.
func (app *Application) RescheduleSession(ctx context.Context, cmd RescheduleSession) (Result, error) {
	when, err := cmd.When.domain()
	if err != nil {
		return Result{}, err
	}
	_, res, err := app.change(ctx, "RescheduleSession", cmd, cmd.SessionID, cmd.Request, func(s *session.DialogueSession) error {
		return s.Reschedule(cmd.Request.Actor, when, app.now())
	})
	return res, err
}
