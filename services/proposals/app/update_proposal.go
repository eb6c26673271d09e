package app

import (
	"context"
	"time"

	"passerelle.dev/events/proposalevents"
	"passerelle.dev/proposals/domain/proposal"
)

// UpdateProposal changes a draft, or a proposal whose changes were requested: the
// owner. Nil fields stay as they are.
type UpdateProposal struct {
	ProposalID string       `json:"proposalId"`
	Patch      ContentPatch `json:"patch"`
	Request    Request      `json:"-"`
}

// ContentPatch is an update of a proposal's content: nil fields stay as they are, an
// empty value clears.
type ContentPatch struct {
	Title          *proposalevents.Text `json:"title,omitempty"`
	Summary        *proposalevents.Text `json:"summary,omitempty"`
	Sector         *string              `json:"sector,omitempty"`
	Countries      *[]string            `json:"countries,omitempty"`
	Budget         *string              `json:"budget,omitempty"`
	DurationMonths *int                 `json:"durationMonths,omitempty"`
	BudgetLines    *[]BudgetLineInput   `json:"budgetLines,omitempty"`
	PartnerKinds   *[]string            `json:"partnerKinds,omitempty"`
	SessionID      *string              `json:"sessionId,omitempty"`
}

// UpdateProposal handles UpdateProposal.
func (app *Application) UpdateProposal(ctx context.Context, cmd UpdateProposal) (Result, error) {
	if cmd.Patch.SessionID != nil {
		if err := app.checkSession(ctx, *cmd.Patch.SessionID); err != nil {
			return Result{}, err
		}
	}
	patch := proposal.Patch{
		Title: cmd.Patch.Title, Summary: cmd.Patch.Summary, Sector: cmd.Patch.Sector, Countries: cmd.Patch.Countries,
		Budget: cmd.Patch.Budget, DurationMonths: cmd.Patch.DurationMonths, PartnerKinds: cmd.Patch.PartnerKinds,
		SessionID: cmd.Patch.SessionID,
	}
	if cmd.Patch.BudgetLines != nil {
		l := lines(*cmd.Patch.BudgetLines)
		if l == nil {
			l = []proposal.BudgetLineInput{}
		}
		patch.BudgetLines = &l
	}
	var changed []string
	res, err := app.change(ctx, "UpdateProposal", cmd, cmd.ProposalID, cmd.Request, func(p *proposal.Proposal, t proposal.Terms, now time.Time) error {
		var err error
		changed, err = p.Update(cmd.Request.Actor, t, patch, now)
		return err
	})
	res.ChangedFields = changed
	return res, err
}
