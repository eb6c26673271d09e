package app

import (
	"context"
	"time"

	"passerelle.dev/proposals/domain/proposal"
)

// DecideProposal approves or rejects a proposal under review: admins only.
type DecideProposal struct {
	ProposalID string  `json:"proposalId"`
	Decision   string  `json:"decision"`
	Reason     string  `json:"reason"`
	Request    Request `json:"-"`
}

// DecideProposal handles DecideProposal.
func (app *Application) DecideProposal(ctx context.Context, cmd DecideProposal) (Result, error) {
	return app.change(ctx, "DecideProposal", cmd, cmd.ProposalID, cmd.Request, func(p *proposal.Proposal, _ proposal.Terms, now time.Time) error {
		return p.Decide(cmd.Request.Actor, cmd.Decision, cmd.Reason, now)
	})
}
