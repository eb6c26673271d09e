package app

import (
	"context"
	"time"

	"passerelle.dev/experts/domain/request"
)

// DeclineMatch says no: the expert, or the institution to an expert who accepted.
func (app *Application) DeclineMatch(ctx context.Context, cmd MatchCommand) (Result, error) {
	return app.changeRequest(ctx, "DeclineMatch", cmd, cmd.RequestID, cmd.Request, func(r *request.Request, _ CandidateLookup, now time.Time) error {
		return r.Decline(cmd.Request.Actor, cmd.ExpertID, now)
	})
}
