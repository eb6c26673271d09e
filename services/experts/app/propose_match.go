package app

import (
	"context"
	"time"

	"passerelle.dev/events"
	"passerelle.dev/experts/domain/request"
)

// MatchCommand is a command about one expert's match on a request.
type MatchCommand struct {
	RequestID string  `json:"requestId"`
	ExpertID  string  `json:"expertId"`
	Request   Request `json:"-"`
}

// ProposeMatch puts an expert forward for a request: coordinators and admins. The
// expert is rated in the transaction that records the proposal, so a proposal never
// goes to an expert who was erased, lost their verification or their consent meanwhile.
func (app *Application) ProposeMatch(ctx context.Context, cmd MatchCommand) (Result, error) {
	return app.changeRequest(ctx, "ProposeMatch", cmd, cmd.RequestID, cmd.Request, func(r *request.Request, l CandidateLookup, now time.Time) error {
		by := cmd.Request.Actor
		if !by.IsAdmin() && by.Role != events.RoleCoordinator {
			return r.Propose(by, request.Candidate{}, now) // says who may
		}
		c, err := l.Candidate(cmd.ExpertID, r.Needs())
		if err != nil {
			return err
		}
		return r.Propose(by, c, now)
	})
}
