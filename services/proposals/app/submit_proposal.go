package app

import (
	"context"
	"time"

	"passerelle.dev/proposals/domain/proposal"
)

// SubmitProposal sends a proposal to its call, or back to review after changes were
// requested: the owner.
type SubmitProposal struct {
	ProposalID string  `json:"proposalId"`
	Request    Request `json:"-"`
}

// SubmitProposal handles SubmitProposal.
func (app *Application) SubmitProposal(ctx context.Context, cmd SubmitProposal) (Result, error) {
	return app.change(ctx, "SubmitProposal", cmd, cmd.ProposalID, cmd.Request, func(p *proposal.Proposal, t proposal.Terms, now time.Time) error {
		return p.Submit(cmd.Request.Actor, t, now)
	})
}
