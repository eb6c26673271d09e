package app

import (
	"context"

	"passerelle.dev/sessions/domain/session"
)

// ChangeWaitlistOffers sets how long a session's freed seats are offered to the head of
// its waitlist before passing to the next (zero: promoted at once): coordinators of the
// city, admins.
type ChangeWaitlistOffers struct {
	SessionID  string  `json:"sessionId"`
	OfferHours int     `json:"offerHours"`
	Request    Request `json:"-"`
}

// ChangeWaitlistOffers handles ChangeWaitlistOffers.
func (app *Application) ChangeWaitlistOffers(ctx context.Context, cmd ChangeWaitlistOffers) (Result, error) {
	_, res, err := app.change(ctx, "ChangeWaitlistOffers", cmd, cmd.SessionID, cmd.Request, func(s *session.DialogueSession) error {
		return s.ChangeWaitlistOffers(cmd.Request.Actor, cmd.OfferHours, app.now())
	})
	return res, err
}
