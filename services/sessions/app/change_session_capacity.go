package app

import (
	"context"

	"passerelle.dev/sessions/domain/session"
)

// ChangeSessionCapacity sets the number of seats.
type ChangeSessionCapacity struct {
	SessionID string  `json:"sessionId"`
	Capacity  int     `json:"capacity"`
	Request   Request `json:"-"`
}

// ChangeSessionCapacity handles ChangeSessionCapacity.
func (app *Application) ChangeSessionCapacity(ctx context.Context, cmd ChangeSessionCapacity) (Result, error) {
	_, res, err := app.change(ctx, "ChangeSessionCapacity", cmd, cmd.SessionID, cmd.Request, func(s *session.DialogueSession) error {
		return s.ChangeCapacity(cmd.Request.Actor, cmd.Capacity, app.now())
	})
	return res, err
}
