package app

import (
	"context"

	"github.com/google/uuid"

	"passerelle.dev/events/proposalevents"
	"passerelle.dev/proposals/domain/call"
	"passerelle.dev/proposals/domain/proposal"
)

// ContentInput is a proposal's content as the owner writes it.
type ContentInput struct {
	Title          proposalevents.Text `json:"title"`
	Summary        proposalevents.Text `json:"summary"`
	Sector         string              `json:"sector,omitempty"`
	Countries      []string            `json:"countries,omitempty"`
	Budget         string              `json:"budget,omitempty"`
	DurationMonths int                 `json:"durationMonths,omitempty"`
	BudgetLines    []BudgetLineInput   `json:"budgetLines,omitempty"`
	PartnerKinds   []string            `json:"partnerKinds,omitempty"`
	SessionID      string              `json:"sessionId,omitempty"`
}

// BudgetLineInput is a budget line: a label and a decimal amount in the call's currency.
type BudgetLineInput struct {
	Label  string `json:"label"`
	Amount string `json:"amount"`
}

func lines(in []BudgetLineInput) []proposal.BudgetLineInput {
	if in == nil {
		return nil
	}
	out := make([]proposal.BudgetLineInput, len(in))
	for i, l := range in {
		out[i] = proposal.BudgetLineInput{Label: l.Label, Amount: l.Amount}
	}
	return out
}

// checkSession refuses a session id no session has.
func (app *Application) checkSession(ctx context.Context, id string) error {
	if id == "" {
		return nil
	}
	if _, err := uuid.Parse(id); err != nil {
		return ErrNoSuchSession
	}
	ok, err := app.sessions.Exists(ctx, id)
	if err != nil {
		return err
	}
	if !ok {
		return ErrNoSuchSession
	}
	return nil
}

// DraftProposal begins a proposal of a verified association to a call: the association
// itself.
type DraftProposal struct {
	CallID        string       `json:"callId"`
	AssociationID string       `json:"associationId"`
	Content       ContentInput `json:"content"`
	Request       Request      `json:"-"`
}

// DraftProposal handles DraftProposal.
func (app *Application) DraftProposal(ctx context.Context, cmd DraftProposal) (Result, error) {
	key, err := cmd.Request.Key("DraftProposal", cmd)
	if err != nil {
		return Result{}, err
	}
	if o, ok, err := app.proposals.Replay(ctx, key); err != nil || ok {
		return Result{ProposalID: idOf(o, proposalevents.ProposalStreamPrefix), Position: o.Position, Replayed: ok}, err
	}
	by := cmd.Request.Actor
	switch {
	case !by.IsAuthenticated():
		return Result{}, proposal.ErrNeedsSignIn
	case !by.SpeaksFor(cmd.AssociationID):
		return Result{}, proposal.ErrOwnerOnly
	}
	verified, err := app.associations.IsVerified(ctx, cmd.AssociationID)
	if err != nil {
		return Result{}, err
	}
	if !verified {
		return Result{}, proposal.ErrNotVerified
	}
	if _, err := uuid.Parse(cmd.CallID); err != nil {
		return Result{}, call.ErrNotFound
	}
	c, err := app.calls.Get(ctx, cmd.CallID)
	if err != nil {
		return Result{}, err
	}
	if err := app.checkSession(ctx, cmd.Content.SessionID); err != nil {
		return Result{}, err
	}
	in := cmd.Content
	now := app.now()
	p, err := proposal.DraftProposal(by, uuid.Must(uuid.NewV7()), cmd.AssociationID, proposal.TermsOf(c, now), proposal.Content{
		Title: in.Title, Summary: in.Summary, Sector: in.Sector, Countries: in.Countries, Budget: in.Budget,
		DurationMonths: in.DurationMonths, BudgetLines: lines(in.BudgetLines), PartnerKinds: in.PartnerKinds, SessionID: in.SessionID,
	}, now)
	if err != nil {
		return Result{}, err
	}
	o, err := app.proposals.Add(ctx, p, cmd.Request.Metadata(), key)
	if err != nil {
		return Result{}, err
	}
	return Result{ProposalID: p.ID(), Position: o.Position, Replayed: o.Replayed}, nil
}
