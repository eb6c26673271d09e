// Package adapters connects the directory to PostgreSQL: associations are event streams
// in the event store; names reserved per city, idempotency keys and the keys sealing
// contact persons live in the directory's own tables, changed in the same transaction as
// the events that call for it.
package adapters

import (
	"context"
	"embed"
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
	"passerelle.dev/servicekit/streams"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// Migrations returns the directory's schema migrations.
func Migrations() pgmigrate.Set {
	return pgmigrate.Embedded("directory", migrationFiles, "migrations")
}

// AssociationRepository stores associations in the event store, through the aggregate
// store every service shares: changes of one association queue on its stream's lock.
type AssociationRepository struct {
	associations *streams.Store[*association.Association]
	store        *eventstore.Store
}

var _ app.AssociationRepository = (*AssociationRepository)(nil)

// NewAssociationRepository returns a repository; registry must know the directory's
// events.
func NewAssociationRepository(store *eventstore.Store, registry *events.Registry) *AssociationRepository {
	return &AssociationRepository{associations: streams.NewStore(store, registry, "directory", association.FromHistory), store: store}
}

// Add implements app.AssociationRepository. The name is reserved and the events are
// appended in one transaction: of concurrent registrations of one name in one city,
// exactly one commits.
func (r *AssociationRepository) Add(ctx context.Context, a *association.Association, md events.Metadata, key command.Key) (command.Outcome, error) {
	return r.associations.Add(ctx, directoryevents.StreamID(a.ID()), a, md, key, func(tx pgx.Tx) error { return reactAll(ctx, tx, a) })
}

// Update implements app.AssociationRepository. The association is read under its
// stream's lock, so concurrent changes of one association queue instead of failing each
// other; what change records is appended, with what it calls for in the directory's own
// tables, in the same transaction.
func (r *AssociationRepository) Update(ctx context.Context, id string, md events.Metadata, key command.Key, change func(*association.Association) error) (*association.Association, command.Outcome, error) {
	if _, err := uuid.Parse(id); err != nil {
		return nil, command.Outcome{}, association.ErrNotFound
	}
	return r.associations.Update(ctx, directoryevents.StreamID(id), md, key, func(tx pgx.Tx, a *association.Association) error {
		if err := change(a); err != nil {
			return err
		}
		return reactAll(ctx, tx, a)
	})
}

// reactAll changes the directory's tables as a's pending events call for.
func reactAll(ctx context.Context, tx pgx.Tx, a *association.Association) error {
	for _, p := range a.PendingEvents() {
		if err := react(ctx, tx, a, p); err != nil {
			return err
		}
	}
	return nil
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
	return r.associations.Replay(ctx, key)
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
	history, err := r.associations.History(ctx, nil, directoryevents.StreamID(id), version)
	if err != nil {
		return nil, err
	}
	if len(history) == 0 {
		return nil, association.ErrNotFound
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
