package app

import (
	"context"
	"time"

	"passerelle.dev/proposals/domain/proposal"
)

// DeclareConflictOfInterest records that the sender, a coordinator or an admin, has a
// conflict of interest with a proposal: they no longer review it or decide on it, and a
// review they gave no longer counts.
type DeclareConflictOfInterest struct {
	ProposalID string  `json:"proposalId"`
	Reason     string  `json:"reason"`
	Request    Request `json:"-"`
}

// DeclareConflictOfInterest handles DeclareConflictOfInterest.
func (app *Application) DeclareConflictOfInterest(ctx context.Context, cmd DeclareConflictOfInterest) (Result, error) {
	return app.change(ctx, "DeclareConflictOfInterest", cmd, cmd.ProposalID, cmd.Request, func(p *proposal.Proposal, _ proposal.Terms, now time.Time) error {
		return p.DeclareConflict(cmd.Request.Actor, cmd.Reason, now)
	})
}
