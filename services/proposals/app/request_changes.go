package app

import (
	"context"
	"time"

	"passerelle.dev/proposals/domain/proposal"
)

// RequestChanges sends a proposal under review back to its owner: coordinators and
// admins.
type RequestChanges struct {
	ProposalID string  `json:"proposalId"`
	Reason     string  `json:"reason"`
	Request    Request `json:"-"`
}

// RequestChanges handles RequestChanges.
func (app *Application) RequestChanges(ctx context.Context, cmd RequestChanges) (Result, error) {
	return app.change(ctx, "RequestChanges", cmd, cmd.ProposalID, cmd.Request, func(p *proposal.Proposal, _ proposal.Terms, now time.Time) error {
		return p.RequestChanges(cmd.Request.Actor, cmd.Reason, now)
	})
}
