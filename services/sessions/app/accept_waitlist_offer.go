package app

import (
	"context"

	"passerelle.dev/sessions/domain/session"
)

// AcceptWaitlistOffer takes the seats offered to a waitlisted registration: its
// association, a coordinator of the city, an admin.
type AcceptWaitlistOffer struct {
	SessionID      string  `json:"sessionId"`
	RegistrationID string  `json:"registrationId"`
	Request        Request `json:"-"`
}

// AcceptWaitlistOffer handles AcceptWaitlistOffer.
func (app *Application) AcceptWaitlistOffer(ctx context.Context, cmd AcceptWaitlistOffer) (Result, error) {
	_, res, err := app.change(ctx, "AcceptWaitlistOffer", cmd, cmd.SessionID, cmd.Request, func(s *session.DialogueSession) error {
		return s.AcceptOffer(cmd.Request.Actor, cmd.RegistrationID, app.now())
	})
	return res, err
}
