package app

import (
	"context"

	"passerelle.dev/sessions/domain/session"
)

// CancelSession calls a session off, with every registration.
type CancelSession struct {
	SessionID string  `json:"sessionId"`
	Reason    string  `json:"reason"`
	Request   Request `json:"-"`
}

// CancelSession handles CancelSession.
func (app *Application) CancelSession(ctx context.Context, cmd CancelSession) (Result, error) {
	_, res, err := app.change(ctx, "CancelSession", cmd, cmd.SessionID, cmd.Request, func(s *session.DialogueSession) error {
		return s.Cancel(cmd.Request.Actor, cmd.Reason, app.now())
	})
	return res, err
}
