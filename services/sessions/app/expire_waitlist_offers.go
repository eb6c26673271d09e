package app

import (
	"context"

	"passerelle.dev/events"
	"passerelle.dev/servicekit/command"
	"passerelle.dev/sessions/domain/session"
)

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
