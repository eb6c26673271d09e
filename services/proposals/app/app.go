// Package app holds the proposals service's use cases, one command handler each: calls
// for proposals, proposals, their review and decision, and pledges.
package app

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/google/uuid"

	"passerelle.dev/events"
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
	DecideProposals(ctx context.Context, cmd DecideProposals) (Result, error)
	DeclareConflictOfInterest(ctx context.Context, cmd DeclareConflictOfInterest) (Result, error)
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
	// Decide loads proposals of one call (callID, or the proposals' own when empty) and
	// the call, all under exclusive locks, lets
	// decide record the decisions and the commitments, and stores them in one
	// transaction: a batch is decided whole or not at all.
	Decide(ctx context.Context, callID string, ids []string, md events.Metadata, key command.Key, decide func(c *call.Call, proposals []*proposal.Proposal) error) (command.Outcome, error)
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

// Deps are the Application's collaborators, all required.
type Deps struct {
	Calls        CallRepository
	Proposals    ProposalRepository
	Associations Associations
	Sessions     Sessions
}

// Config configures the Application. The zero value is the default.
type Config struct {
	// Now is the server's clock, which closes calls. Defaults to time.Now.
	Now func() time.Time
}

// Validate refuses what no default can stand for (nothing yet: every field has one).
func (c Config) Validate() error { return nil }

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
func New(deps Deps, cfg Config) (*Application, error) {
	if deps.Calls == nil || deps.Proposals == nil || deps.Associations == nil || deps.Sessions == nil {
		return nil, errors.New("proposals: Calls, Proposals, Associations and Sessions are required")
	}
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return &Application{calls: deps.Calls, proposals: deps.Proposals, associations: deps.Associations, sessions: deps.Sessions,
		now: cfg.Now}, nil
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
