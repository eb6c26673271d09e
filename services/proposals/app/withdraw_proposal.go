package app

import (
	"context"
	"time"

	"passerelle.dev/proposals/domain/proposal"
)

// WithdrawProposal takes a proposal back before a decision: the owner.
type WithdrawProposal struct {
	ProposalID string  `json:"proposalId"`
	Reason     string  `json:"reason,omitempty"`
	Request    Request `json:"-"`
}

// WithdrawProposal handles WithdrawProposal.
func (app *Application) WithdrawProposal(ctx context.Context, cmd WithdrawProposal) (Result, error) {
	return app.change(ctx, "WithdrawProposal", cmd, cmd.ProposalID, cmd.Request, func(p *proposal.Proposal, _ proposal.Terms, now time.Time) error {
		return p.Withdraw(cmd.Request.Actor, cmd.Reason, now)
	})
}
