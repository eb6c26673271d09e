package app

import (
	"context"
	"time"

	"passerelle.dev/events"
	"passerelle.dev/experts/domain/expert"
	"passerelle.dev/experts/domain/request"
)

// AcceptMatch says yes to a proposal: the expert (their token names them).
func (app *Application) AcceptMatch(ctx context.Context, cmd MatchCommand) (Result, error) {
	return app.changeRequest(ctx, "AcceptMatch", cmd, cmd.RequestID, cmd.Request, func(r *request.Request, l CandidateLookup, now time.Time) error {
		by := cmd.Request.Actor
		if by.Role == events.RoleExpert {
			if ok, err := l.Present(by.Subject); err != nil || !ok {
				if err == nil {
					err = expert.ErrErased
				}
				return err
			}
		}
		return r.Accept(by, now)
	})
}
