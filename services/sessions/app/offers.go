package app

import (
	"context"
	"time"

	"passerelle.dev/events"
	"passerelle.dev/servicekit/command"
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

// ExpireWaitlistOffers ends a session's offers whose time is up. The offer timer runs
// it when an offer falls due; with nothing due it records nothing, so a timer firing
// twice, or late after a restart, is harmless.
func (app *Application) ExpireWaitlistOffers(ctx context.Context, sessionID string) ([]string, error) {
	var expired []string
	md := Request{Actor: events.System}.Metadata()
	_, _, err := app.sessions.Update(ctx, sessionID, md, command.Key{}, func(s *session.DialogueSession) error {
		expired = s.ExpireOffers(app.now())
		return nil
	})
	return expired, err
}

// Now is the application's clock, which the offer timer shares so that it finds due
// exactly the offers the session finds expired.
func (app *Application) Now() time.Time { return app.now() }
