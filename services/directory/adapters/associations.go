// Package adapters connects the directory to PostgreSQL: associations are event streams
// in the event store; names reserved per city, idempotency keys and the keys sealing
// contact persons live in the directory's own tables, changed in the same transaction as
// the events that call for it.
package adapters

import (
	"context"
	"embed"
	"errors"
	"fmt"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"passerelle.dev/directory/app"
	"passerelle.dev/directory/domain/association"
	"passerelle.dev/events"
	"passerelle.dev/events/directoryevents"
	"passerelle.dev/events/eventstore"
	"passerelle.dev/kernel/pgmigrate"
	"passerelle.dev/servicekit/command"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// Migrations returns the directory's schema migrations.
func Migrations() pgmigrate.Set {
	return pgmigrate.Embedded("directory", migrationFiles, "migrations")
}

// maxUpdateAttempts bounds retries of a change that lost a race with another writer of
// the same association. Each loser decides again on what the winner left, so n writers
// at once need up to n attempts: copies of one registration retried over a bad
// connection each reissue the key, a burst the bound must cover.
const maxUpdateAttempts = 16

// AssociationRepository stores associations in the event store.
type AssociationRepository struct {
	store    *eventstore.Store
	registry *events.Registry
	keys     command.Keys
}

var _ app.AssociationRepository = (*AssociationRepository)(nil)

// NewAssociationRepository returns a repository; registry must know the directory's
// events.
func NewAssociationRepository(store *eventstore.Store, registry *events.Registry) *AssociationRepository {
	return &AssociationRepository{store: store, registry: registry, keys: command.NewKeys("directory")}
}

// Add implements app.AssociationRepository. The name is reserved and the events are
// appended in one transaction: of concurrent registrations of one name in one city,
// exactly one commits.
func (r *AssociationRepository) Add(ctx context.Context, a *association.Association, md events.Metadata, key command.Key) (command.Outcome, error) {
	return r.save(ctx, a, eventstore.NoStream, md, key)
}

// Update implements app.AssociationRepository.
func (r *AssociationRepository) Update(ctx context.Context, id string, md events.Metadata, key command.Key, change func(*association.Association) error) (*association.Association, command.Outcome, error) {
	if _, err := uuid.Parse(id); err != nil {
		return nil, command.Outcome{}, association.ErrNotFound
	}
	for attempt := 1; ; attempt++ {
		if attempt > 1 {
			// The writer we lost to may have been a retry of this very request.
			if o, ok, err := r.Replay(ctx, key); err != nil || ok {
				return nil, o, err
			}
		}
		history, err := r.read(ctx, id, 0)
		if err != nil {
			return nil, command.Outcome{}, err
		}
		a, err := association.FromHistory(history)
		if err != nil {
			return nil, command.Outcome{}, fmt.Errorf("load association %s: %w", id, err)
		}
		if err := change(a); err != nil {
			return nil, command.Outcome{}, err
		}
		if len(a.PendingEvents()) == 0 {
			return a, command.Outcome{StreamID: directoryevents.StreamID(id), Version: a.Version()}, nil
		}
		o, err := r.save(ctx, a, eventstore.AtVersion(a.Version()), md, key)
		if errors.Is(err, eventstore.ErrWrongExpectedVersion) && attempt < maxUpdateAttempts {
			continue // someone changed it meanwhile: decide again on the new state
		}
		if err != nil {
			return nil, command.Outcome{}, err
		}
		return a, o, nil
	}
}

// save appends a's pending events, with what they call for in the directory's own
// tables, and claims the idempotency key, all in one transaction.
func (r *AssociationRepository) save(ctx context.Context, a *association.Association, expected eventstore.ExpectedVersion, md events.Metadata, key command.Key) (command.Outcome, error) {
	pending := a.PendingEvents()
	evs := make([]events.Event, len(pending))
	for i, p := range pending {
		ev, err := r.registry.New(p, md)
		if err != nil {
			return command.Outcome{}, fmt.Errorf("association %s: %w", a.ID(), err)
		}
		evs[i] = ev
	}
	var o command.Outcome
	err := r.store.Transact(ctx, func(tx pgx.Tx) error {
		if err := r.keys.Claim(ctx, tx, key); err != nil {
			return err
		}
		for _, p := range pending {
			if err := react(ctx, tx, a, p); err != nil {
				return err
			}
		}
		recs, err := r.store.AppendInTx(ctx, tx, directoryevents.StreamID(a.ID()), expected, evs...)
		if err != nil {
			return err
		}
		last := recs[len(recs)-1]
		o = command.Outcome{StreamID: last.StreamID, Version: last.StreamVersion, Position: last.Position}
		return r.keys.Record(ctx, tx, key, o)
	})
	if errors.Is(err, command.ErrTwin) {
		replayed, ok, err := r.Replay(ctx, key)
		if err != nil {
			return command.Outcome{}, err
		}
		if !ok {
			return command.Outcome{}, fmt.Errorf("idempotency key %q claimed but not recorded", key.Key)
		}
		return replayed, nil
	}
	if err != nil {
		return command.Outcome{}, fmt.Errorf("store association %s: %w", a.ID(), err)
	}
	return o, nil
}

// react changes the directory's own tables as an event calls for, in the transaction
// that appends it.
func react(ctx context.Context, tx pgx.Tx, a *association.Association, ev any) error {
	switch e := ev.(type) {
	case directoryevents.AssociationRegistered:
		return reserveName(ctx, tx, a.ID(), e.Profile.City, e.Profile.Name)
	case directoryevents.AssociationProfileUpdated:
		if e.Changed("name") || e.Changed("city") {
			if err := releaseName(ctx, tx, a.ID()); err != nil {
				return err
			}
			if err := reserveName(ctx, tx, a.ID(), a.City().String(), a.Name().String()); err != nil {
				return err
			}
		}
		if e.Changed("city") {
			return moveKey(ctx, tx, a.ID(), a.City().String())
		}
	case directoryevents.AssociationRejected, directoryevents.AssociationDissolved:
		// The name is free again: for a corrected registration, or a new association.
		return releaseName(ctx, tx, a.ID())
	case directoryevents.AssociationContactForgotten:
		return forgetKey(ctx, tx, a.ID())
	}
	return nil
}

// reserveName takes a name in a city, or says which association holds it.
func reserveName(ctx context.Context, tx pgx.Tx, id, city, name string) error {
	key := association.NameKey(name)
	tag, err := tx.Exec(ctx, `INSERT INTO directory.association_names (city, name_key, association_id, name)
		VALUES ($1, $2, $3, $4) ON CONFLICT (city, name_key) DO NOTHING`, city, key, id, name)
	if err != nil {
		return fmt.Errorf("reserve name: %w", err)
	}
	if tag.RowsAffected() == 1 {
		return nil
	}
	c := association.NewCity(city, "")
	dup := &association.DuplicateNameError{City: c}
	if err := tx.QueryRow(ctx, `SELECT association_id::text, name FROM directory.association_names
		WHERE city = $1 AND name_key = $2`, city, key).Scan(&dup.ExistingID, &dup.ExistingName); err != nil {
		return fmt.Errorf("find the association holding the name: %w", err)
	}
	return dup
}

func releaseName(ctx context.Context, tx pgx.Tx, id string) error {
	_, err := tx.Exec(ctx, `DELETE FROM directory.association_names WHERE association_id = $1`, id)
	return err
}

// Replay implements app.AssociationRepository.
func (r *AssociationRepository) Replay(ctx context.Context, key command.Key) (command.Outcome, bool, error) {
	return r.keys.Find(ctx, r.store.Pool(), key)
}

// LoadAt implements app.AssociationRepository.
func (r *AssociationRepository) LoadAt(ctx context.Context, id string, version int64) (*association.Association, any, error) {
	history, err := r.read(ctx, id, version)
	if err != nil {
		return nil, nil, err
	}
	a, err := association.FromHistory(history)
	if err != nil {
		return nil, nil, fmt.Errorf("load association %s: %w", id, err)
	}
	return a, history[len(history)-1], nil
}

// Load returns an association as its events tell it.
func (r *AssociationRepository) Load(ctx context.Context, id string) (*association.Association, error) {
	if _, err := uuid.Parse(id); err != nil {
		return nil, association.ErrNotFound
	}
	a, _, err := r.LoadAt(ctx, id, 0)
	return a, err
}

// read returns an association's decoded events up to version (0: all of them).
func (r *AssociationRepository) read(ctx context.Context, id string, version int64) ([]any, error) {
	stream := directoryevents.StreamID(id)
	recs, err := r.store.ReadStream(ctx, stream, 1)
	if err != nil {
		return nil, fmt.Errorf("load %s: %w", stream, err)
	}
	if version > 0 && int64(len(recs)) > version {
		recs = recs[:version]
	}
	if len(recs) == 0 {
		return nil, association.ErrNotFound
	}
	history := make([]any, len(recs))
	for i, rec := range recs {
		if history[i], err = r.registry.Decode(rec.Type, rec.SchemaVersion, rec.Data); err != nil {
			return nil, fmt.Errorf("load %s: %w", stream, err)
		}
	}
	return history, nil
}

// KeyGeneration implements app.AssociationRepository: the last renewal in the
// association's stream (the stream's unique index finds it; streams are short).
func (r *AssociationRepository) KeyGeneration(ctx context.Context, id string) (int, error) {
	var gen int
	err := r.store.Pool().QueryRow(ctx, `SELECT coalesce(max((data->>'generation')::int), 0) FROM eventstore.events
		WHERE stream_id = $1 AND event_type = $2`, directoryevents.StreamID(id), directoryevents.AssociationKeyRenewedType).Scan(&gen)
	if err != nil {
		return 0, fmt.Errorf("key generation of %s: %w", id, err)
	}
	return gen, nil
}
