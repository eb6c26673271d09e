// Package adapters connects the proposals service to PostgreSQL: calls and proposals are
// event streams; idempotency keys, and what the service knows of associations and
// sessions, live in its own tables.
package adapters

import (
	"context"
	"embed"
	"fmt"
	"slices"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"passerelle.dev/events"
	"passerelle.dev/events/eventstore"
	"passerelle.dev/events/projector"
	"passerelle.dev/events/proposalevents"
	"passerelle.dev/events/sessionevents"
	"passerelle.dev/kernel/pgmigrate"
	"passerelle.dev/proposals/app"
	"passerelle.dev/proposals/domain/call"
	"passerelle.dev/proposals/domain/proposal"
	"passerelle.dev/servicekit/command"
	"passerelle.dev/servicekit/streams"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// Schema is the proposals service's PostgreSQL schema.
const Schema = "proposals"

// Migrations returns the proposals service's schema migrations.
func Migrations() pgmigrate.Set { return pgmigrate.Embedded(Schema, migrationFiles, "migrations") }

// CallRepository stores calls in the event store.
type CallRepository struct{ calls *streams.Store[*call.Call] }

var _ app.CallRepository = (*CallRepository)(nil)

// NewCallRepository returns a repository; registry must know the proposals events.
func NewCallRepository(store *eventstore.Store, registry *events.Registry) *CallRepository {
	return &CallRepository{calls: streams.NewStore(store, registry, Schema, call.FromHistory)}
}

// Add implements app.CallRepository.
func (r *CallRepository) Add(ctx context.Context, c *call.Call, md events.Metadata, key command.Key) (command.Outcome, error) {
	return r.calls.Add(ctx, proposalevents.CallStreamID(c.ID()), c, md, key, nil)
}

// Get implements app.CallRepository.
func (r *CallRepository) Get(ctx context.Context, id string) (*call.Call, error) {
	if _, err := uuid.Parse(id); err != nil {
		return nil, call.ErrNotFound
	}
	return r.calls.Read(ctx, nil, proposalevents.CallStreamID(id))
}

// Update implements app.CallRepository.
func (r *CallRepository) Update(ctx context.Context, id string, md events.Metadata, key command.Key, change func(*call.Call) error) (command.Outcome, error) {
	if _, err := uuid.Parse(id); err != nil {
		return command.Outcome{}, call.ErrNotFound
	}
	_, o, err := r.calls.Update(ctx, proposalevents.CallStreamID(id), md, key, func(_ pgx.Tx, c *call.Call) error { return change(c) })
	return o, err
}

// Replay implements app.CallRepository.
func (r *CallRepository) Replay(ctx context.Context, key command.Key) (command.Outcome, bool, error) {
	return r.calls.Replay(ctx, key)
}

// ProposalRepository stores proposals in the event store.
type ProposalRepository struct {
	proposals *streams.Store[*proposal.Proposal]
	calls     *streams.Store[*call.Call]
}

var _ app.ProposalRepository = (*ProposalRepository)(nil)

// NewProposalRepository returns a repository; registry must know the proposals events.
func NewProposalRepository(store *eventstore.Store, registry *events.Registry) *ProposalRepository {
	return &ProposalRepository{
		proposals: streams.NewStore(store, registry, Schema, proposal.FromHistory),
		calls:     streams.NewStore(store, registry, Schema, call.FromHistory),
	}
}

// Add implements app.ProposalRepository.
func (r *ProposalRepository) Add(ctx context.Context, p *proposal.Proposal, md events.Metadata, key command.Key) (command.Outcome, error) {
	return r.proposals.Add(ctx, proposalevents.ProposalStreamID(p.ID()), p, md, key, nil)
}

// Update implements app.ProposalRepository. The call is read under a shared lock: a
// call being closed holds the exclusive one, so a submission decided on an open call
// commits before the close, or waits and sees it closed.
func (r *ProposalRepository) Update(ctx context.Context, id string, md events.Metadata, key command.Key, change func(*proposal.Proposal, *call.Call) error) (*proposal.Proposal, command.Outcome, error) {
	return r.proposals.Update(ctx, proposalevents.ProposalStreamID(id), md, key, func(tx pgx.Tx, p *proposal.Proposal) error {
		stream := proposalevents.CallStreamID(p.CallID())
		if err := streams.Lock(ctx, tx, stream, true); err != nil {
			return err
		}
		c, err := r.calls.Read(ctx, tx, stream)
		if err != nil {
			return fmt.Errorf("the call of proposal %s: %w", id, err)
		}
		return change(p, c)
	})
}

// Decide implements app.ProposalRepository. It locks the proposals in id order, then
// their call, exclusively: every decision of a call queues behind the others, so what
// the call commits is always read after the last commitment; and a proposal's own
// updates (which lock it, then the call shared) never wait in a circle with it.
func (r *ProposalRepository) Decide(ctx context.Context, callID string, ids []string, md events.Metadata, key command.Key,
	decide func(c *call.Call, proposals []*proposal.Proposal) error) (command.Outcome, error) {
	sorted := slices.Clone(ids)
	slices.Sort(sorted)
	return r.proposals.Transact(ctx, key, func(tx pgx.Tx) (command.Outcome, error) {
		byID := map[string]*proposal.Proposal{}
		for _, id := range sorted {
			p, err := r.proposals.ReadLocked(ctx, tx, proposalevents.ProposalStreamID(id))
			if err != nil {
				return command.Outcome{}, fmt.Errorf("proposal %s: %w", id, err)
			}
			if callID == "" { // a single decision: the call is the proposal's
				callID = p.CallID()
			}
			if p.CallID() != callID {
				return command.Outcome{}, &proposal.InvalidInputError{Field: "decisions.proposalId", Reason: fmt.Sprintf("proposal %s is not one of this call's", id)}
			}
			byID[id] = p
		}
		stream := proposalevents.CallStreamID(callID)
		c, err := r.calls.ReadLocked(ctx, tx, stream)
		if err != nil {
			return command.Outcome{}, err
		}
		ps := make([]*proposal.Proposal, len(ids))
		for i, id := range ids {
			ps[i] = byID[id]
		}
		if err := decide(c, ps); err != nil {
			return command.Outcome{}, err
		}
		// The batch's outcome is where its last event landed (the call's commitments when
		// it approved anything, else the last decision).
		var last command.Outcome
		keep := func(o command.Outcome) {
			if o.Position.GlobalPosition >= last.Position.GlobalPosition {
				last = o
			}
		}
		for _, id := range sorted {
			o, err := r.proposals.AppendIn(ctx, tx, proposalevents.ProposalStreamID(id), byID[id], md)
			if err != nil {
				return command.Outcome{}, err
			}
			keep(o)
		}
		o, err := r.calls.AppendIn(ctx, tx, stream, c, md)
		if err != nil {
			return command.Outcome{}, err
		}
		keep(o)
		return last, nil
	})
}

// Replay implements app.ProposalRepository.
func (r *ProposalRepository) Replay(ctx context.Context, key command.Key) (command.Outcome, bool, error) {
	return r.proposals.Replay(ctx, key)
}

// SessionsProjectionName is the consumer group keeping proposals.sessions.
const SessionsProjectionName = "proposals.sessions"

// Sessions knows, from the sessions service's events, which dialogue sessions exist. It
// is safe for concurrent use.
type Sessions struct {
	store       *eventstore.Store
	consistency *projector.Consistency
}

var _ app.Sessions = (*Sessions)(nil)

// NewSessions returns the lookup over proposals.sessions.
func NewSessions(store *eventstore.Store, checkpoints *projector.Checkpoints) *Sessions {
	return &Sessions{store: store, consistency: &projector.Consistency{Checkpoints: checkpoints, Store: store}}
}

// Exists implements app.Sessions. A session scheduled a moment ago may not be projected
// yet: before saying no, it waits (bounded, as every wait for a read model is: see
// projector.Consistency) for the projection to catch up with the log.
func (s *Sessions) Exists(ctx context.Context, id string) (bool, error) {
	ok, err := s.exists(ctx, id)
	if err != nil || ok {
		return ok, err
	}
	s.consistency.CaughtUp(ctx, SessionsProjectionName)
	return s.exists(ctx, id)
}

func (s *Sessions) exists(ctx context.Context, id string) (bool, error) {
	var ok bool
	if err := s.store.Pool().QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM proposals.sessions WHERE id = $1)`, id).Scan(&ok); err != nil {
		return false, fmt.Errorf("session %s: %w", id, err)
	}
	return ok, nil
}

// SessionsProjection keeps proposals.sessions from the sessions service's events.
type SessionsProjection struct{}

var _ projector.Projection = SessionsProjection{}

// Name implements projector.Projection.
func (SessionsProjection) Name() string { return SessionsProjectionName }

// Handles implements projector.Projection.
func (SessionsProjection) Handles(eventType string) bool {
	return eventType == sessionevents.SessionScheduledType
}

// Apply implements projector.Projection.
func (SessionsProjection) Apply(ctx context.Context, tx pgx.Tx, _ events.Recorded, payload any) error {
	e, ok := payload.(sessionevents.SessionScheduled)
	if !ok {
		return nil
	}
	_, err := tx.Exec(ctx, `INSERT INTO proposals.sessions (id) VALUES ($1) ON CONFLICT DO NOTHING`, e.SessionID)
	return err
}

// Reset implements projector.Projection.
func (SessionsProjection) Reset(ctx context.Context, tx pgx.Tx) error {
	_, err := tx.Exec(ctx, `TRUNCATE proposals.sessions`)
	return err
}
