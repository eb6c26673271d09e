package resolver

import (
	"context"

	graphql "github.com/graph-gophers/graphql-go"

	"passerelle.dev/events"
	"passerelle.dev/events/proposalevents"
	"passerelle.dev/kernel/fault"
	proposalsapp "passerelle.dev/proposals/app"
	"passerelle.dev/servicekit/auth"
)

// MoneyInput is the MoneyInput input.
type MoneyInput struct{ Amount, Currency string }

func (m MoneyInput) app() proposalsapp.MoneyInput {
	return proposalsapp.MoneyInput{Amount: m.Amount, Currency: m.Currency}
}

func (l *LocalizedTextInput) proposalText() proposalevents.Text {
	t := l.text()
	return proposalevents.Text{EN: t.EN, FR: t.FR, ES: t.ES}
}

// OpenCallInput is the OpenCallInput input.
type OpenCallInput struct {
	Title, Description LocalizedTextInput
	Themes             []string
	EligibleCountries  []string
	BudgetCeiling      MoneyInput
	Envelope           *[]MoneyInput
	OpensAt, ClosesAt  DateTime
}

// CallPayload resolves CallPayload.
type CallPayload struct {
	call     *CallResolver
	position events.Position
}

// Call resolves CallPayload.call.
func (p *CallPayload) Call() *CallResolver { return p.call }

// Position resolves CallPayload.position.
func (p *CallPayload) Position() *string { return positionString(p.position) }

func (r *Resolver) callPayload(ctx context.Context, res proposalsapp.Result, err error) (*CallPayload, error) {
	if err != nil {
		return nil, toGraphQL(ctx, r.deps.Logger, err)
	}
	r.settle(ctx, res.Position)
	c, ok, err := r.deps.Proposals.Call(ctx, res.CallID)
	if err != nil {
		return nil, toGraphQL(ctx, r.deps.Logger, err)
	}
	if !ok {
		return nil, notYetVisible(res.Position)
	}
	return &CallPayload{call: &CallResolver{r: r, row: c}, position: res.Position}, nil
}

// OpenCall resolves Mutation.openCall.
func (r *Resolver) OpenCall(ctx context.Context, args struct {
	Input          OpenCallInput
	IdempotencyKey *string
}) (*CallPayload, error) {
	req, err := command(ctx, args.IdempotencyKey)
	if err != nil {
		return nil, err
	}
	in := args.Input
	var envelope []proposalsapp.MoneyInput
	if in.Envelope != nil {
		for _, m := range *in.Envelope {
			envelope = append(envelope, m.app())
		}
	}
	res, err := r.deps.ProposalCommands.OpenCall(ctx, proposalsapp.OpenCall{
		Title: in.Title.proposalText(), Description: in.Description.proposalText(), Themes: in.Themes,
		EligibleCountries: in.EligibleCountries, BudgetCeiling: in.BudgetCeiling.app(), Envelope: envelope, OpensAt: in.OpensAt.Time,
		ClosesAt: in.ClosesAt.Time, Request: req,
	})
	return r.callPayload(ctx, res, err)
}

// DeclareConflictOfInterest resolves Mutation.declareConflictOfInterest.
func (r *Resolver) DeclareConflictOfInterest(ctx context.Context, args struct {
	ProposalID     graphql.ID
	Reason         string
	IdempotencyKey *string
}) (*ProposalPayload, error) {
	id, req, err := proposalCommand(ctx, args.ProposalID, args.IdempotencyKey)
	if err != nil {
		return nil, err
	}
	res, err := r.deps.ProposalCommands.DeclareConflictOfInterest(ctx, proposalsapp.DeclareConflictOfInterest{ProposalID: id, Reason: args.Reason, Request: req})
	return r.proposalPayload(ctx, res, err)
}

// ProposalDecisionInput is the ProposalDecisionInput input.
type ProposalDecisionInput struct {
	ProposalID graphql.ID
	Decision   string
	Reason     string
}

// DecideProposals resolves Mutation.decideProposals.
func (r *Resolver) DecideProposals(ctx context.Context, args struct {
	CallID         graphql.ID
	Decisions      []ProposalDecisionInput
	IdempotencyKey *string
}) (*CallPayload, error) {
	req, err := command(ctx, args.IdempotencyKey)
	if err != nil {
		return nil, err
	}
	callID, err := parseGlobalID(args.CallID, kindCall)
	if err != nil {
		return nil, err
	}
	decisions := make([]proposalsapp.Decision, len(args.Decisions))
	for i, d := range args.Decisions {
		id, err := parseGlobalID(d.ProposalID, kindProposal)
		if err != nil {
			return nil, err
		}
		decisions[i] = proposalsapp.Decision{ProposalID: id, Decision: d.Decision, Reason: d.Reason}
	}
	res, err := r.deps.ProposalCommands.DecideProposals(ctx, proposalsapp.DecideProposals{CallID: callID, Decisions: decisions, Request: req})
	return r.callPayload(ctx, res, err)
}

// CloseCall resolves Mutation.closeCall.
func (r *Resolver) CloseCall(ctx context.Context, args struct {
	CallID         graphql.ID
	IdempotencyKey *string
}) (*CallPayload, error) {
	req, err := command(ctx, args.IdempotencyKey)
	if err != nil {
		return nil, err
	}
	id, err := parseGlobalID(args.CallID, kindCall)
	if err != nil {
		return nil, err
	}
	res, err := r.deps.ProposalCommands.CloseCall(ctx, proposalsapp.CloseCall{CallID: id, Request: req})
	return r.callPayload(ctx, res, err)
}

// ProposalPayload resolves ProposalPayload.
type ProposalPayload struct {
	proposal *ProposalResolver
	changed  []string
	position events.Position
}

// Proposal resolves ProposalPayload.proposal.
func (p *ProposalPayload) Proposal() *ProposalResolver { return p.proposal }

// ChangedFields resolves ProposalPayload.changedFields.
func (p *ProposalPayload) ChangedFields() []string { return nonNil(p.changed) }

// Position resolves ProposalPayload.position.
func (p *ProposalPayload) Position() *string { return positionString(p.position) }

// proposalPayload answers a proposal mutation with the proposal as the read models show
// it once they reflect the change.
func (r *Resolver) proposalPayload(ctx context.Context, res proposalsapp.Result, err error) (*ProposalPayload, error) {
	if err != nil {
		return nil, toGraphQL(ctx, r.deps.Logger, err)
	}
	r.settle(ctx, res.Position)
	b := batchesOf(ctx) // a request may send several mutations: forget what it loaded
	b.reviews.forget(res.ProposalID)
	b.pledges.forget(res.ProposalID)
	b.totals.forget(res.ProposalID)
	p, ok, err := r.deps.Proposals.Proposal(ctx, res.ProposalID, proposalVisibility(auth.ActorFrom(ctx)))
	if err != nil {
		return nil, toGraphQL(ctx, r.deps.Logger, err)
	}
	if !ok {
		return nil, notYetVisible(res.Position)
	}
	pr, err := r.oneProposal(ctx, p, "proposal.")
	if err != nil {
		return nil, err
	}
	return &ProposalPayload{proposal: pr, changed: res.ChangedFields, position: res.Position}, nil
}

// proposalCommand begins a mutation of one proposal.
func proposalCommand(ctx context.Context, proposalID graphql.ID, key *string) (string, proposalsapp.Request, error) {
	req, err := command(ctx, key)
	if err != nil {
		return "", req, err
	}
	id, err := parseGlobalID(proposalID, kindProposal)
	return id, req, err
}

// BudgetLineInput is the BudgetLineInput input.
type BudgetLineInput struct{ Label, Amount string }

func budgetLines(in []BudgetLineInput) []proposalsapp.BudgetLineInput {
	out := make([]proposalsapp.BudgetLineInput, len(in))
	for i, l := range in {
		out[i] = proposalsapp.BudgetLineInput{Label: l.Label, Amount: l.Amount}
	}
	return out
}

// DraftProposalInput is the DraftProposalInput input.
type DraftProposalInput struct {
	CallID, AssociationID graphql.ID
	Title                 LocalizedTextInput
	Summary               *LocalizedTextInput
	Sector                *string
	Countries             *[]string
	Budget                *string
	DurationMonths        *int32
	BudgetLines           *[]BudgetLineInput
	PartnerKinds          *[]string
	SessionID             *graphql.ID
}

// DraftProposal resolves Mutation.draftProposal.
func (r *Resolver) DraftProposal(ctx context.Context, args struct {
	Input          DraftProposalInput
	IdempotencyKey *string
}) (*ProposalPayload, error) {
	req, err := command(ctx, args.IdempotencyKey)
	if err != nil {
		return nil, err
	}
	in := args.Input
	callID, err := parseGlobalID(in.CallID, kindCall)
	if err != nil {
		return nil, err
	}
	associationID, err := parseGlobalID(in.AssociationID, kindAssociation)
	if err != nil {
		return nil, err
	}
	content := proposalsapp.ContentInput{
		Title: in.Title.proposalText(), Summary: in.Summary.proposalText(), Sector: stringOf(in.Sector),
		Countries: listOf(in.Countries), Budget: stringOf(in.Budget), PartnerKinds: listOf(in.PartnerKinds),
	}
	if in.DurationMonths != nil {
		content.DurationMonths = int(*in.DurationMonths)
	}
	if in.BudgetLines != nil {
		content.BudgetLines = budgetLines(*in.BudgetLines)
	}
	if in.SessionID != nil {
		if content.SessionID, err = parseGlobalID(*in.SessionID, kindSession); err != nil {
			return nil, err
		}
	}
	res, err := r.deps.ProposalCommands.DraftProposal(ctx, proposalsapp.DraftProposal{CallID: callID, AssociationID: associationID, Content: content, Request: req})
	return r.proposalPayload(ctx, res, err)
}

// UpdateProposalInput is the UpdateProposalInput input: nullable scalars tell "left
// out" from null.
type UpdateProposalInput struct {
	Title, Summary *LocalizedTextInput
	Sector         *string
	Countries      *[]string
	Budget         graphql.NullString
	DurationMonths graphql.NullInt
	BudgetLines    *[]BudgetLineInput
	PartnerKinds   *[]string
	SessionID      graphql.NullID
}

// UpdateProposal resolves Mutation.updateProposal.
func (r *Resolver) UpdateProposal(ctx context.Context, args struct {
	ProposalID     graphql.ID
	Input          UpdateProposalInput
	IdempotencyKey *string
}) (*ProposalPayload, error) {
	id, req, err := proposalCommand(ctx, args.ProposalID, args.IdempotencyKey)
	if err != nil {
		return nil, err
	}
	in := args.Input
	var patch proposalsapp.ContentPatch
	if in.Title != nil {
		t := in.Title.proposalText()
		patch.Title = &t
	}
	if in.Summary != nil {
		t := in.Summary.proposalText()
		patch.Summary = &t
	}
	patch.Sector, patch.Countries, patch.PartnerKinds = in.Sector, in.Countries, in.PartnerKinds
	if in.Budget.Set {
		b := stringOf(in.Budget.Value)
		patch.Budget = &b
	}
	if in.DurationMonths.Set {
		d := 0
		if in.DurationMonths.Value != nil {
			d = int(*in.DurationMonths.Value)
		}
		patch.DurationMonths = &d
	}
	if in.BudgetLines != nil {
		l := budgetLines(*in.BudgetLines)
		patch.BudgetLines = &l
	}
	if in.SessionID.Set {
		s := ""
		if in.SessionID.Value != nil {
			if s, err = parseGlobalID(*in.SessionID.Value, kindSession); err != nil {
				return nil, err
			}
		}
		patch.SessionID = &s
	}
	res, err := r.deps.ProposalCommands.UpdateProposal(ctx, proposalsapp.UpdateProposal{ProposalID: id, Patch: patch, Request: req})
	return r.proposalPayload(ctx, res, err)
}

type proposalArgs struct {
	ProposalID     graphql.ID
	IdempotencyKey *string
}

// SubmitProposal resolves Mutation.submitProposal.
func (r *Resolver) SubmitProposal(ctx context.Context, args proposalArgs) (*ProposalPayload, error) {
	id, req, err := proposalCommand(ctx, args.ProposalID, args.IdempotencyKey)
	if err != nil {
		return nil, err
	}
	res, err := r.deps.ProposalCommands.SubmitProposal(ctx, proposalsapp.SubmitProposal{ProposalID: id, Request: req})
	return r.proposalPayload(ctx, res, err)
}

// WithdrawProposal resolves Mutation.withdrawProposal.
func (r *Resolver) WithdrawProposal(ctx context.Context, args struct {
	ProposalID     graphql.ID
	Reason         *string
	IdempotencyKey *string
}) (*ProposalPayload, error) {
	id, req, err := proposalCommand(ctx, args.ProposalID, args.IdempotencyKey)
	if err != nil {
		return nil, err
	}
	res, err := r.deps.ProposalCommands.WithdrawProposal(ctx, proposalsapp.WithdrawProposal{ProposalID: id, Reason: stringOf(args.Reason), Request: req})
	return r.proposalPayload(ctx, res, err)
}

// StartReview resolves Mutation.startReview.
func (r *Resolver) StartReview(ctx context.Context, args proposalArgs) (*ProposalPayload, error) {
	id, req, err := proposalCommand(ctx, args.ProposalID, args.IdempotencyKey)
	if err != nil {
		return nil, err
	}
	res, err := r.deps.ProposalCommands.StartReview(ctx, proposalsapp.StartReview{ProposalID: id, Request: req})
	return r.proposalPayload(ctx, res, err)
}

// CriterionScoreInput is the CriterionScoreInput input.
type CriterionScoreInput struct {
	Criterion string
	Score     int32
}

// ReviewProposal resolves Mutation.reviewProposal.
func (r *Resolver) ReviewProposal(ctx context.Context, args struct {
	ProposalID     graphql.ID
	Scores         []CriterionScoreInput
	Comment        string
	IdempotencyKey *string
}) (*ProposalPayload, error) {
	id, req, err := proposalCommand(ctx, args.ProposalID, args.IdempotencyKey)
	if err != nil {
		return nil, err
	}
	scores := make(map[string]int, len(args.Scores))
	for _, s := range args.Scores {
		if _, twice := scores[s.Criterion]; twice {
			return nil, &Error{code: fault.BadUserInput, message: s.Criterion + " is scored twice", details: map[string]any{"field": "scores"}}
		}
		scores[s.Criterion] = int(s.Score)
	}
	res, err := r.deps.ProposalCommands.ReviewProposal(ctx, proposalsapp.ReviewProposal{ProposalID: id, Scores: scores, Comment: args.Comment, Request: req})
	return r.proposalPayload(ctx, res, err)
}

// RequestChanges resolves Mutation.requestChanges.
func (r *Resolver) RequestChanges(ctx context.Context, args struct {
	ProposalID     graphql.ID
	Reason         string
	IdempotencyKey *string
}) (*ProposalPayload, error) {
	id, req, err := proposalCommand(ctx, args.ProposalID, args.IdempotencyKey)
	if err != nil {
		return nil, err
	}
	res, err := r.deps.ProposalCommands.RequestChanges(ctx, proposalsapp.RequestChanges{ProposalID: id, Reason: args.Reason, Request: req})
	return r.proposalPayload(ctx, res, err)
}

// DecideProposal resolves Mutation.decideProposal.
func (r *Resolver) DecideProposal(ctx context.Context, args struct {
	ProposalID     graphql.ID
	Decision       string
	Reason         string
	IdempotencyKey *string
}) (*ProposalPayload, error) {
	id, req, err := proposalCommand(ctx, args.ProposalID, args.IdempotencyKey)
	if err != nil {
		return nil, err
	}
	res, err := r.deps.ProposalCommands.DecideProposal(ctx, proposalsapp.DecideProposal{ProposalID: id, Decision: args.Decision, Reason: args.Reason, Request: req})
	return r.proposalPayload(ctx, res, err)
}

// PledgeInput is the PledgeInput input.
type PledgeInput struct {
	Partner struct{ Name, Kind, Country string }
	Money   *MoneyInput
	InKind  *string
}

// PledgeSupport resolves Mutation.pledgeSupport.
func (r *Resolver) PledgeSupport(ctx context.Context, args struct {
	ProposalID     graphql.ID
	Input          PledgeInput
	IdempotencyKey *string
}) (*ProposalPayload, error) {
	id, req, err := proposalCommand(ctx, args.ProposalID, args.IdempotencyKey)
	if err != nil {
		return nil, err
	}
	in := args.Input
	cmd := proposalsapp.PledgeSupport{ProposalID: id, InKind: stringOf(in.InKind), Request: req,
		Partner: proposalevents.Partner{Name: in.Partner.Name, Kind: in.Partner.Kind, Country: in.Partner.Country}}
	if in.Money != nil {
		m := in.Money.app()
		cmd.Money = &m
	}
	res, err := r.deps.ProposalCommands.PledgeSupport(ctx, cmd)
	return r.proposalPayload(ctx, res, err)
}
