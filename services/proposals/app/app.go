// Package app holds the proposals service's use cases, one command handler each: calls
// for proposals, proposals, their review and decision, and pledges.
package app

import (
	"context"
	"strings"
	"time"

	"github.com/google/uuid"

	"passerelle.dev/events"
	"passerelle.dev/events/proposalevents"
	"passerelle.dev/kernel/money"
	"passerelle.dev/proposals/domain/call"
	"passerelle.dev/proposals/domain/proposal"
	"passerelle.dev/servicekit/command"
)

// Request is what every command carries about the request that sent it.
type Request = command.Request

// Commands is what the proposals service does for its callers. The Application
// implements it in process; package client implements it across processes.
type Commands interface {
	OpenCall(ctx context.Context, cmd OpenCall) (Result, error)
	CloseCall(ctx context.Context, cmd CloseCall) (Result, error)
	DraftProposal(ctx context.Context, cmd DraftProposal) (Result, error)
	UpdateProposal(ctx context.Context, cmd UpdateProposal) (Result, error)
	SubmitProposal(ctx context.Context, cmd SubmitProposal) (Result, error)
	WithdrawProposal(ctx context.Context, cmd WithdrawProposal) (Result, error)
	StartReview(ctx context.Context, cmd StartReview) (Result, error)
	ReviewProposal(ctx context.Context, cmd ReviewProposal) (Result, error)
	RequestChanges(ctx context.Context, cmd RequestChanges) (Result, error)
	DecideProposal(ctx context.Context, cmd DecideProposal) (Result, error)
	PledgeSupport(ctx context.Context, cmd PledgeSupport) (Result, error)
}

// Result is the outcome of a command.
type Result struct {
	// CallID is the call the command was about (call commands).
	CallID string `json:"callId,omitempty"`
	// ProposalID is the proposal the command was about (proposal commands).
	ProposalID string `json:"proposalId,omitempty"`
	// ChangedFields are the fields an update changed.
	ChangedFields []string `json:"changedFields,omitempty"`
	// Position is where the command's last event landed; zero when it changed nothing.
	Position events.Position `json:"position"`
	// Replayed is set when an earlier command with the same idempotency key did the work.
	Replayed bool `json:"replayed,omitempty"`
}

// CallRepository stores calls.
type CallRepository interface {
	Add(ctx context.Context, c *call.Call, md events.Metadata, key command.Key) (command.Outcome, error)
	Get(ctx context.Context, id string) (*call.Call, error)
	// Update changes a call under an exclusive lock: a proposal being submitted to it
	// holds a shared one, so a submission never passes a close.
	Update(ctx context.Context, id string, md events.Metadata, key command.Key, change func(*call.Call) error) (command.Outcome, error)
	Replay(ctx context.Context, key command.Key) (command.Outcome, bool, error)
}

// ProposalRepository stores proposals.
type ProposalRepository interface {
	Add(ctx context.Context, p *proposal.Proposal, md events.Metadata, key command.Key) (command.Outcome, error)
	// Update loads a proposal and its call (the call under a shared lock), lets change
	// decide, and stores what it recorded. Changes of one proposal apply one at a time.
	Update(ctx context.Context, id string, md events.Metadata, key command.Key, change func(*proposal.Proposal, *call.Call) error) (*proposal.Proposal, command.Outcome, error)
	Replay(ctx context.Context, key command.Key) (command.Outcome, bool, error)
}

// Associations tells whether an association may propose projects.
type Associations interface {
	IsVerified(ctx context.Context, associationID string) (bool, error)
}

// Sessions tells whether a dialogue session exists.
type Sessions interface {
	Exists(ctx context.Context, sessionID string) (bool, error)
}

// ErrNoSuchSession refuses a proposal presented at a session that does not exist.
var ErrNoSuchSession = &proposal.InvalidInputError{Field: "sessionId", Reason: "no dialogue session has this id"}

// Config configures the Application.
type Config struct {
	// Now is the server's clock, which closes calls. Defaults to time.Now.
	Now func() time.Time
}

// Application is the proposals service's command side.
type Application struct {
	calls        CallRepository
	proposals    ProposalRepository
	associations Associations
	sessions     Sessions
	now          func() time.Time
}

var _ Commands = (*Application)(nil)

// New wires the use cases.
func New(calls CallRepository, proposals ProposalRepository, associations Associations, sessions Sessions, cfg Config) *Application {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return &Application{calls: calls, proposals: proposals, associations: associations, sessions: sessions, now: cfg.Now}
}

func idOf(o command.Outcome, prefix string) string {
	id, _ := strings.CutPrefix(o.StreamID, prefix)
	return id
}

// MoneyInput is an amount as a decimal string, with its currency.
type MoneyInput struct {
	Amount   string `json:"amount"`
	Currency string `json:"currency"`
}

func (m MoneyInput) parse(field string) (money.Money, error) {
	v, err := money.Parse(m.Amount, m.Currency)
	if err != nil {
		return money.Money{}, &proposal.InvalidInputError{Field: field, Reason: err.Error()}
	}
	return v, nil
}

// OpenCall opens a call for proposals: admins only.
type OpenCall struct {
	Title             proposalevents.Text `json:"title"`
	Description       proposalevents.Text `json:"description"`
	Themes            []string            `json:"themes"`
	EligibleCountries []string            `json:"eligibleCountries"`
	BudgetCeiling     MoneyInput          `json:"budgetCeiling"`
	OpensAt           time.Time           `json:"opensAt"`
	ClosesAt          time.Time           `json:"closesAt"`
	Request           Request             `json:"-"`
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
	c, err := call.OpenCall(cmd.Request.Actor, uuid.Must(uuid.NewV7()), call.Terms{
		Title: cmd.Title, Description: cmd.Description, Themes: cmd.Themes, EligibleCountries: cmd.EligibleCountries,
		Ceiling: ceiling, OpensAt: cmd.OpensAt, ClosesAt: cmd.ClosesAt,
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

// CloseCall closes a call before its closing time: admins only.
type CloseCall struct {
	CallID  string  `json:"callId"`
	Request Request `json:"-"`
}

// CloseCall handles CloseCall.
func (app *Application) CloseCall(ctx context.Context, cmd CloseCall) (Result, error) {
	key, err := cmd.Request.Key("CloseCall", cmd)
	if err != nil {
		return Result{}, err
	}
	if o, ok, err := app.calls.Replay(ctx, key); err != nil || ok {
		return Result{CallID: cmd.CallID, Position: o.Position, Replayed: ok}, err
	}
	o, err := app.calls.Update(ctx, cmd.CallID, cmd.Request.Metadata(), key, func(c *call.Call) error {
		return c.Close(cmd.Request.Actor, app.now())
	})
	if err != nil {
		return Result{}, err
	}
	return Result{CallID: cmd.CallID, Position: o.Position, Replayed: o.Replayed}, nil
}

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

// change runs a proposal command: replay it if its idempotency key was seen, else let
// the proposal decide against its call's terms now, and store what it recorded.
func (app *Application) change(ctx context.Context, name string, cmd any, id string, req Request, decide func(*proposal.Proposal, proposal.Terms, time.Time) error) (Result, error) {
	key, err := req.Key(name, cmd)
	if err != nil {
		return Result{}, err
	}
	if o, ok, err := app.proposals.Replay(ctx, key); err != nil || ok {
		return Result{ProposalID: id, Position: o.Position, Replayed: ok}, err
	}
	if _, err := uuid.Parse(id); err != nil {
		return Result{}, proposal.ErrNotFound
	}
	_, o, err := app.proposals.Update(ctx, id, req.Metadata(), key, func(p *proposal.Proposal, c *call.Call) error {
		now := app.now()
		return decide(p, proposal.TermsOf(c, now), now)
	})
	if err != nil {
		return Result{}, err
	}
	return Result{ProposalID: id, Position: o.Position, Replayed: o.Replayed}, nil
}

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

// SubmitProposal sends a proposal to its call, or back to review after changes were
// requested: the owner.
type SubmitProposal struct {
	ProposalID string  `json:"proposalId"`
	Request    Request `json:"-"`
}

// SubmitProposal handles SubmitProposal.
func (app *Application) SubmitProposal(ctx context.Context, cmd SubmitProposal) (Result, error) {
	return app.change(ctx, "SubmitProposal", cmd, cmd.ProposalID, cmd.Request, func(p *proposal.Proposal, t proposal.Terms, now time.Time) error {
		return p.Submit(cmd.Request.Actor, t, now)
	})
}

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

// StartReview takes a submitted proposal up: coordinators and admins.
type StartReview struct {
	ProposalID string  `json:"proposalId"`
	Request    Request `json:"-"`
}

// StartReview handles StartReview.
func (app *Application) StartReview(ctx context.Context, cmd StartReview) (Result, error) {
	return app.change(ctx, "StartReview", cmd, cmd.ProposalID, cmd.Request, func(p *proposal.Proposal, _ proposal.Terms, now time.Time) error {
		return p.StartReview(cmd.Request.Actor, now)
	})
}

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

// DecideProposal approves or rejects a proposal under review: admins only.
type DecideProposal struct {
	ProposalID string  `json:"proposalId"`
	Decision   string  `json:"decision"`
	Reason     string  `json:"reason"`
	Request    Request `json:"-"`
}

// DecideProposal handles DecideProposal.
func (app *Application) DecideProposal(ctx context.Context, cmd DecideProposal) (Result, error) {
	return app.change(ctx, "DecideProposal", cmd, cmd.ProposalID, cmd.Request, func(p *proposal.Proposal, _ proposal.Terms, now time.Time) error {
		return p.Decide(cmd.Request.Actor, cmd.Decision, cmd.Reason, now)
	})
}

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
