package app

import (
	"context"

	"passerelle.dev/events"
	"passerelle.dev/servicekit/command"
	"passerelle.dev/sessions/domain/session"
)

// PromoteWaitlist gives a session's free seats to its waitlist, first come first served.
// The waitlist policy runs it when seats free up; with nothing to promote it records
// nothing, so running it twice is harmless.
func (app *Application) PromoteWaitlist(ctx context.Context, sessionID string, causation events.Recorded) ([]string, error) {
	var promoted []string
	req := Request{Actor: events.System, CorrelationID: causation.Metadata.CorrelationID}
	md := req.Metadata()
	md.CausationID = causation.ID.String()
	_, _, err := app.sessions.Update(ctx, sessionID, md, command.Key{}, func(s *session.DialogueSession) error {
		promoted = s.PromoteWaitlist(app.now())
		return nil
	})
	return promoted, err
}
