package app

import (
	"context"

	"passerelle.dev/events/sessionevents"
	"passerelle.dev/sessions/domain/session"
)

// RecordSessionOutcome records what came out of a session, once it is over.
type RecordSessionOutcome struct {
	SessionID string                   `json:"sessionId"`
	Summary   sessionevents.Text       `json:"summary"`
	FollowUps []sessionevents.FollowUp `json:"followUps,omitempty"`
	Request   Request                  `json:"-"`
}

// RecordSessionOutcome handles RecordSessionOutcome.
func (app *Application) RecordSessionOutcome(ctx context.Context, cmd RecordSessionOutcome) (Result, error) {
	_, res, err := app.change(ctx, "RecordSessionOutcome", cmd, cmd.SessionID, cmd.Request, func(s *session.DialogueSession) error {
		return s.RecordOutcome(cmd.Request.Actor, cmd.Summary, cmd.FollowUps, app.now())
	})
	return res, err
}
