package app

import (
	"context"

	"passerelle.dev/sessions/domain/session"
)

// DeclineWaitlistOffer turns down the seats offered; the waitlist policy offers them to
// the next.
type DeclineWaitlistOffer struct {
	SessionID      string  `json:"sessionId"`
	RegistrationID string  `json:"registrationId"`
	Request        Request `json:"-"`
}

// DeclineWaitlistOffer handles DeclineWaitlistOffer.
func (app *Application) DeclineWaitlistOffer(ctx context.Context, cmd DeclineWaitlistOffer) (Result, error) {
	_, res, err := app.change(ctx, "DeclineWaitlistOffer", cmd, cmd.SessionID, cmd.Request, func(s *session.DialogueSession) error {
		return s.DeclineOffer(cmd.Request.Actor, cmd.RegistrationID, app.now())
	})
	return res, err
}
