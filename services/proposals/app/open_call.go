package app

import (
	"context"
	"time"

	"github.com/google/uuid"

	"passerelle.dev/events/proposalevents"
	"passerelle.dev/kernel/money"
	"passerelle.dev/proposals/domain/call"
)

// OpenCall opens a call for proposals: admins only.
type OpenCall struct {
	Title             proposalevents.Text `json:"title"`
	Description       proposalevents.Text `json:"description"`
	Themes            []string            `json:"themes"`
	EligibleCountries []string            `json:"eligibleCountries"`
	BudgetCeiling     MoneyInput          `json:"budgetCeiling"`
	// Envelope is what the call may grant in all, one amount per currency (optional).
	Envelope []MoneyInput `json:"envelope,omitempty"`
	OpensAt  time.Time    `json:"opensAt"`
	ClosesAt time.Time    `json:"closesAt"`
	Request  Request      `json:"-"`
}

// OpenCall handles OpenCall.
func (app *Application) OpenCall(ctx context.Context, cmd OpenCall) (Result, error) {
	key, err := cmd.Request.Key("OpenCall", cmd)
	if err != nil {
		return Result{}, err
	}
	if o, ok, err := app.calls.Replay(ctx, key); err != nil || ok {
		return Result{CallID: idOf(o, proposalevents.CallStreamPrefix), Position: o.Position, Replayed: ok}, err
	}
	// Who may open is decided first: a caller who may not learns nothing of the input's
	// faults.
	if err := call.MayManage(cmd.Request.Actor); err != nil {
		return Result{}, err
	}
	ceiling, err := cmd.BudgetCeiling.parse("budgetCeiling")
	if err != nil {
		return Result{}, err
	}
	envelope := make([]money.Money, len(cmd.Envelope))
	for i, m := range cmd.Envelope {
		if envelope[i], err = m.parse("envelope"); err != nil {
			return Result{}, err
		}
	}
	c, err := call.OpenCall(cmd.Request.Actor, uuid.Must(uuid.NewV7()), call.Terms{
		Title: cmd.Title, Description: cmd.Description, Themes: cmd.Themes, EligibleCountries: cmd.EligibleCountries,
		Ceiling: ceiling, Envelope: envelope, OpensAt: cmd.OpensAt, ClosesAt: cmd.ClosesAt,
	}, app.now())
	if err != nil {
		return Result{}, err
	}
	o, err := app.calls.Add(ctx, c, cmd.Request.Metadata(), key)
	if err != nil {
		return Result{}, err
	}
	return Result{CallID: c.ID(), Position: o.Position, Replayed: o.Replayed}, nil
}
