// Package streams stores event-sourced aggregates for a service's repositories: an
// aggregate is read from its stream, decides, and what it recorded is appended at the
// version it was read at, in one transaction with the command's idempotency key. The
// repositories of a service keep only what is theirs: which stream, how to rebuild, and
// any table that must change in the same transaction.
package streams

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"passerelle.dev/events"
	"passerelle.dev/events/eventstore"
	"passerelle.dev/servicekit/command"
)

// Aggregate is what a Store needs of an aggregate.
type Aggregate interface {
	// Version is the stream version the aggregate was rebuilt at (0 for a new one).
	Version() int64
	// PendingEvents are the payloads it recorded since.
	PendingEvents() []any
}

// Store stores aggregates of one kind. It is safe for concurrent use.
type Store[A Aggregate] struct {
	events   *eventstore.Store
	registry *events.Registry
	keys     command.Keys
	// rebuild makes the aggregate from its history, oldest first; an empty history
	// must give the aggregate's not-found error.
	rebuild func(history []any) (A, error)
}

// NewStore returns a store whose idempotency keys live in schema's table; rebuild
// makes an aggregate from its events' payloads.
func NewStore[A Aggregate](es *eventstore.Store, registry *events.Registry, schema string, rebuild func([]any) (A, error)) *Store[A] {
	return &Store[A]{events: es, registry: registry, keys: command.NewKeys(schema), rebuild: rebuild}
}

// Read rebuilds the aggregate of stream, within tx when given.
func (s *Store[A]) Read(ctx context.Context, tx pgx.Tx, stream string) (A, error) {
	history, err := s.History(ctx, tx, stream, 0)
	if err != nil {
		var zero A
		return zero, err
	}
	return s.rebuild(history)
}

// History returns the payloads of stream's events, up to version when it is above
// zero, within tx when given.
func (s *Store[A]) History(ctx context.Context, tx pgx.Tx, stream string, version int64) ([]any, error) {
	var (
		recs []events.Recorded
		err  error
	)
	if tx != nil {
		recs, err = s.events.ReadStreamIn(ctx, tx, stream, 1)
	} else {
		recs, err = s.events.ReadStream(ctx, stream, 1)
	}
	if err != nil {
		return nil, err
	}
	if version > 0 && int64(len(recs)) > version {
		recs = recs[:version]
	}
	history := make([]any, len(recs))
	for i, rec := range recs {
		if history[i], err = s.registry.Decode(rec.Type, rec.SchemaVersion, rec.Data); err != nil {
			return nil, fmt.Errorf("read %s: %w", stream, err)
		}
	}
	return history, nil
}

// Lock serialises the changes of stream until tx ends: concurrent commands on one
// aggregate queue in arrival order instead of failing each other. Shared locks let
// readers that must see a stable aggregate (a call while a proposal is submitted to it)
// run together, and wait for an exclusive one.
func Lock(ctx context.Context, tx pgx.Tx, stream string, shared bool) error {
	sql := `SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`
	if shared {
		sql = `SELECT pg_advisory_xact_lock_shared(hashtextextended($1, 0))`
	}
	if _, err := tx.Exec(ctx, sql, stream); err != nil {
		return fmt.Errorf("lock %s: %w", stream, err)
	}
	return nil
}

// Add stores a new aggregate in stream (which must not exist); also, when given, runs
// in the same transaction.
func (s *Store[A]) Add(ctx context.Context, stream string, a A, md events.Metadata, key command.Key, also func(tx pgx.Tx) error) (command.Outcome, error) {
	return s.Transact(ctx, key, func(tx pgx.Tx) (command.Outcome, error) {
		if also != nil {
			if err := also(tx); err != nil {
				return command.Outcome{}, err
			}
		}
		return s.append(ctx, tx, stream, eventstore.NoStream, a, md)
	})
}

// Create stores a new aggregate in stream (which must not exist), made by decide inside
// the transaction: for an aggregate that depends on others read under a lock there
// (a request on its institution), so that nothing changes between the decision and
// the append.
func (s *Store[A]) Create(ctx context.Context, stream string, md events.Metadata, key command.Key, decide func(tx pgx.Tx) (A, error)) (A, command.Outcome, error) {
	var a A
	o, err := s.Transact(ctx, key, func(tx pgx.Tx) (command.Outcome, error) {
		var err error
		if a, err = decide(tx); err != nil {
			return command.Outcome{}, err
		}
		return s.append(ctx, tx, stream, eventstore.NoStream, a, md)
	})
	if err != nil {
		var zero A
		return zero, command.Outcome{}, err
	}
	return a, o, nil
}

// Update reads the aggregate of stream under an exclusive lock, lets change decide (it
// may read or write other tables in tx), and appends what it recorded at the version it
// was read at. A command that records nothing writes nothing but its idempotency key.
func (s *Store[A]) Update(ctx context.Context, stream string, md events.Metadata, key command.Key, change func(tx pgx.Tx, a A) error) (A, command.Outcome, error) {
	var a A
	o, err := s.Transact(ctx, key, func(tx pgx.Tx) (command.Outcome, error) {
		var err error
		if a, err = s.ReadLocked(ctx, tx, stream); err != nil {
			return command.Outcome{}, err
		}
		if err := change(tx, a); err != nil {
			return command.Outcome{}, err
		}
		return s.AppendIn(ctx, tx, stream, a, md)
	})
	if err != nil {
		var zero A
		return zero, command.Outcome{}, err
	}
	return a, o, nil
}

// Transact runs a command that changes several aggregates in one transaction, under one
// idempotency key: fn locks, reads and appends them (ReadLocked, AppendIn) and returns
// the outcome to record under the key. A twin that committed first is the answer.
func (s *Store[A]) Transact(ctx context.Context, key command.Key, fn func(tx pgx.Tx) (command.Outcome, error)) (command.Outcome, error) {
	var o command.Outcome
	err := s.events.Transact(ctx, func(tx pgx.Tx) error {
		if err := s.keys.Claim(ctx, tx, key); err != nil {
			return err
		}
		var err error
		if o, err = fn(tx); err != nil {
			return err
		}
		return s.keys.Record(ctx, tx, key, o)
	})
	return s.settle(ctx, key, o, err)
}

// ReadLocked takes stream's exclusive lock in tx and rebuilds its aggregate: for a
// command of Transact that changes it.
func (s *Store[A]) ReadLocked(ctx context.Context, tx pgx.Tx, stream string) (A, error) {
	if err := Lock(ctx, tx, stream, false); err != nil {
		var zero A
		return zero, err
	}
	return s.Read(ctx, tx, stream)
}

// AppendIn appends what a (read at its version) recorded, in tx; an aggregate that
// recorded nothing appends nothing and answers its stream and version.
func (s *Store[A]) AppendIn(ctx context.Context, tx pgx.Tx, stream string, a A, md events.Metadata) (command.Outcome, error) {
	if len(a.PendingEvents()) == 0 {
		return command.Outcome{StreamID: stream, Version: a.Version()}, nil
	}
	return s.append(ctx, tx, stream, eventstore.AtVersion(a.Version()), a, md)
}

func (s *Store[A]) append(ctx context.Context, tx pgx.Tx, stream string, expected eventstore.ExpectedVersion, a A, md events.Metadata) (command.Outcome, error) {
	pending := a.PendingEvents()
	evs := make([]events.Event, len(pending))
	for i, p := range pending {
		ev, err := s.registry.New(p, md)
		if err != nil {
			return command.Outcome{}, err
		}
		evs[i] = ev
	}
	recs, err := s.events.AppendInTx(ctx, tx, stream, expected, evs...)
	if err != nil {
		return command.Outcome{}, err
	}
	last := recs[len(recs)-1]
	return command.Outcome{StreamID: last.StreamID, Version: last.StreamVersion, Position: last.Position}, nil
}

// Replay returns the outcome recorded for an idempotency key.
func (s *Store[A]) Replay(ctx context.Context, key command.Key) (command.Outcome, bool, error) {
	return s.keys.Find(ctx, s.events.Pool(), key)
}

// settle turns a transaction's end into the command's outcome: when a twin request with
// the same idempotency key committed first, its outcome is the answer.
func (s *Store[A]) settle(ctx context.Context, key command.Key, o command.Outcome, err error) (command.Outcome, error) {
	if !errors.Is(err, command.ErrTwin) {
		return o, err
	}
	replayed, ok, err := s.Replay(ctx, key)
	if err != nil {
		return command.Outcome{}, err
	}
	if !ok {
		return command.Outcome{}, fmt.Errorf("idempotency key %q claimed but not recorded", key.Key)
	}
	replayed.Replayed = true
	return replayed, nil
}
