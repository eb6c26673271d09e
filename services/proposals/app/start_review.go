package app

import (
	"context"
	"time"

	"passerelle.dev/proposals/domain/proposal"
)

// StartReview takes a submitted proposal up: coordinators and admins.
type StartReview struct {
	ProposalID string  `json:"proposalId"`
	Request    Request `json:"-"`
}

// StartReview handles StartReview.
func (app *Application) StartReview(ctx context.Context, cmd StartReview) (Result, error) {
	return app.change(ctx, "StartReview", cmd, cmd.ProposalID, cmd.Request, func(p *proposal.Proposal, _ proposal.Terms, now time.Time) error {
		return p.StartReview(cmd.Request.Actor, now)
	})
}
