package app

import (
	"context"

	"github.com/google/uuid"

	"passerelle.dev/proposals/domain/proposal"
)

// DecideProposal approves or rejects a proposal under review: admins only. It is a batch
// of one (see DecideProposals): an approval commits the budget against the call's
// envelope.
type DecideProposal struct {
	ProposalID string  `json:"proposalId"`
	Decision   string  `json:"decision"`
	Reason     string  `json:"reason"`
	Request    Request `json:"-"`
}

// DecideProposal handles DecideProposal.
func (app *Application) DecideProposal(ctx context.Context, cmd DecideProposal) (Result, error) {
	key, err := cmd.Request.Key("DecideProposal", cmd)
	if err != nil {
		return Result{}, err
	}
	if o, ok, err := app.proposals.Replay(ctx, key); err != nil || ok {
		return Result{ProposalID: cmd.ProposalID, Position: o.Position, Replayed: ok}, err
	}
	if _, err := uuid.Parse(cmd.ProposalID); err != nil {
		return Result{}, proposal.ErrNotFound
	}
	res, err := app.decide(ctx, "", []Decision{{ProposalID: cmd.ProposalID, Decision: cmd.Decision, Reason: cmd.Reason}}, cmd.Request, key)
	res.ProposalID = cmd.ProposalID
	return res, err
}
