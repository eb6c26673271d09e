package app

import (
	"context"

	"passerelle.dev/sessions/domain/session"
)

// UndoCheckIn takes back a check-in made by mistake, on the day.
type UndoCheckIn struct {
	SessionID      string  `json:"sessionId"`
	RegistrationID string  `json:"registrationId"`
	Request        Request `json:"-"`
}

// UndoCheckIn handles UndoCheckIn.
func (app *Application) UndoCheckIn(ctx context.Context, cmd UndoCheckIn) (Result, error) {
	_, res, err := app.change(ctx, "UndoCheckIn", cmd, cmd.SessionID, cmd.Request, func(s *session.DialogueSession) error {
		return s.UndoCheckIn(cmd.Request.Actor, cmd.RegistrationID, app.now())
	})
	return res, err
}
