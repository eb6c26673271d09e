package app

import (
	"context"
	"time"

	"passerelle.dev/proposals/domain/proposal"
)

// ReviewProposal scores a proposal under review: coordinators and admins, one review
// each (again to revise it).
type ReviewProposal struct {
	ProposalID string         `json:"proposalId"`
	Scores     map[string]int `json:"scores"`
	Comment    string         `json:"comment"`
	Request    Request        `json:"-"`
}

// ReviewProposal handles ReviewProposal.
func (app *Application) ReviewProposal(ctx context.Context, cmd ReviewProposal) (Result, error) {
	return app.change(ctx, "ReviewProposal", cmd, cmd.ProposalID, cmd.Request, func(p *proposal.Proposal, _ proposal.Terms, now time.Time) error {
		return p.Review(cmd.Request.Actor, cmd.Scores, cmd.Comment, now)
	})
}
