package app

import (
	"context"
	"time"

	"passerelle.dev/experts/domain/expert"
	"passerelle.dev/experts/domain/request"
)

// ConfirmMatch takes an accepted expert on: the institution.
func (app *Application) ConfirmMatch(ctx context.Context, cmd MatchCommand) (Result, error) {
	return app.changeRequest(ctx, "ConfirmMatch", cmd, cmd.RequestID, cmd.Request, func(r *request.Request, l CandidateLookup, now time.Time) error {
		if ok, err := l.Present(cmd.ExpertID); err != nil || !ok {
			if err == nil && r.InstitutionID() == cmd.Request.Actor.Subject {
				err = expert.ErrErased
			}
			if err != nil {
				return err
			}
		}
		return r.Confirm(cmd.Request.Actor, cmd.ExpertID, now)
	})
}
