package app

import (
	"context"
	"time"

	"github.com/google/uuid"

	"passerelle.dev/events/proposalevents"
	"passerelle.dev/kernel/money"
	"passerelle.dev/proposals/domain/proposal"
)

// PledgeSupport records a partner's pledge: money or support in kind.
type PledgeSupport struct {
	ProposalID string                 `json:"proposalId"`
	Partner    proposalevents.Partner `json:"partner"`
	Money      *MoneyInput            `json:"money,omitempty"`
	InKind     string                 `json:"inKind,omitempty"`
	Request    Request                `json:"-"`
}

// PledgeSupport handles PledgeSupport.
func (app *Application) PledgeSupport(ctx context.Context, cmd PledgeSupport) (Result, error) {
	if err := proposal.MayReview(cmd.Request.Actor); err != nil {
		return Result{}, err
	}
	var m *money.Money
	if cmd.Money != nil {
		v, err := cmd.Money.parse("money")
		if err != nil {
			return Result{}, err
		}
		m = &v
	}
	return app.change(ctx, "PledgeSupport", cmd, cmd.ProposalID, cmd.Request, func(p *proposal.Proposal, _ proposal.Terms, now time.Time) error {
		return p.Pledge(cmd.Request.Actor, uuid.Must(uuid.NewV7()), cmd.Partner, m, cmd.InKind, now)
	})
}
