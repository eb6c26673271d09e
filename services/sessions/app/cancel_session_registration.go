package app

import (
	"context"

	"passerelle.dev/sessions/domain/session"
)

// CancelSessionRegistration withdraws a registration: its association, a coordinator of
// the session's city, an admin.
type CancelSessionRegistration struct {
	SessionID      string  `json:"sessionId"`
	RegistrationID string  `json:"registrationId"`
	Request        Request `json:"-"`
}

// CancelSessionRegistration handles CancelSessionRegistration. Freed seats go to the
// waitlist through the waitlist policy, which reacts to the cancellation.
func (app *Application) CancelSessionRegistration(ctx context.Context, cmd CancelSessionRegistration) (Result, error) {
	_, res, err := app.change(ctx, "CancelSessionRegistration", cmd, cmd.SessionID, cmd.Request, func(s *session.DialogueSession) error {
		return s.CancelRegistration(cmd.Request.Actor, cmd.RegistrationID, app.now())
	})
	return res, err
}
