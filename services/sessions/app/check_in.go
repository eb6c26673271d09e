package app

import (
	"context"

	"passerelle.dev/sessions/domain/session"
)

// CheckIn lets a confirmed registration's people in at the door, on the day.
type CheckIn struct {
	SessionID      string  `json:"sessionId"`
	RegistrationID string  `json:"registrationId"`
	Seats          int     `json:"seats"`
	Request        Request `json:"-"`
}

// CheckIn handles CheckIn.
func (app *Application) CheckIn(ctx context.Context, cmd CheckIn) (Result, error) {
	_, res, err := app.change(ctx, "CheckIn", cmd, cmd.SessionID, cmd.Request, func(s *session.DialogueSession) error {
		return s.CheckIn(cmd.Request.Actor, cmd.RegistrationID, cmd.Seats, app.now())
	})
	return res, err
}
