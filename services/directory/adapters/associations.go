// Package adapters connects the directory to PostgreSQL: associations are event streams
// in the event store, and names are reserved per city in the directory's own table.
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
	"passerelle.dev/events/pgmigrate"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// Migrations returns the directory's schema migrations.
func Migrations() pgmigrate.Set { return pgmigrate.Embedded("directory", migrationFiles, "migrations") }

// maxUpdateAttempts bounds retries of a change that lost a race with another writer of
// the same association.
const maxUpdateAttempts = 5

// AssociationRepository stores associations in the event store.
type AssociationRepository struct {
	store    *eventstore.Store
	registry *events.Registry
}

var _ app.AssociationRepository = (*AssociationRepository)(nil)

// NewAssociationRepository returns a repository; registry must know the directory's
// events.
func NewAssociationRepository(store *eventstore.Store, registry *events.Registry) *AssociationRepository {
	return &AssociationRepository{store: store, registry: registry}
}

// Add implements app.AssociationRepository. The name is reserved and the events are
// appended in one transaction: of concurrent registrations of one name in one city,
// exactly one commits.
func (r *AssociationRepository) Add(ctx context.Context, a *association.Association, md events.Metadata) (events.Position, error) {
	evs, err := r.toEvents(a, md)
	if err != nil {
		return events.Position{}, err
	}
	var recs []events.Recorded
	err = r.store.Transact(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `INSERT INTO directory.association_names (city, name_key, association_id, name)
			VALUES ($1, $2, $3, $4) ON CONFLICT (city, name_key) DO NOTHING`,
			a.City().String(), a.Name().Key(), a.ID(), a.Name().String())
		if err != nil {
			return fmt.Errorf("reserve name: %w", err)
		}
		if tag.RowsAffected() == 0 {
			dup := &association.DuplicateNameError{City: a.City()}
			if err := tx.QueryRow(ctx, `SELECT association_id::text, name FROM directory.association_names
				WHERE city = $1 AND name_key = $2`, a.City().String(), a.Name().Key()).Scan(&dup.ExistingID, &dup.ExistingName); err != nil {
				return fmt.Errorf("find the association holding the name: %w", err)
			}
			return dup
		}
		recs, err = r.store.AppendInTx(ctx, tx, directoryevents.StreamID(a.ID()), eventstore.NoStream, evs...)
		return err
	})
	if err != nil {
		return events.Position{}, fmt.Errorf("add association: %w", err)
	}
	return recs[len(recs)-1].Position, nil
}

// Update implements app.AssociationRepository.
func (r *AssociationRepository) Update(ctx context.Context, id string, md events.Metadata, change func(*association.Association) error) (*association.Association, events.Position, error) {
	if _, err := uuid.Parse(id); err != nil {
		return nil, events.Position{}, association.ErrNotFound
	}
	stream := directoryevents.StreamID(id)
	for attempt := 1; ; attempt++ {
		a, last, err := r.load(ctx, stream)
		if err != nil {
			return nil, events.Position{}, err
		}
		if err := change(a); err != nil {
			return nil, events.Position{}, err
		}
		evs, err := r.toEvents(a, md)
		if err != nil {
			return nil, events.Position{}, err
		}
		if len(evs) == 0 {
			return a, last, nil
		}
		recs, err := r.store.Append(ctx, stream, eventstore.AtVersion(a.Version()), evs...)
		if errors.Is(err, eventstore.ErrWrongExpectedVersion) && attempt < maxUpdateAttempts {
			continue // someone changed it meanwhile: decide again on the new state
		}
		if err != nil {
			return nil, events.Position{}, fmt.Errorf("update association %s: %w", id, err)
		}
		return a, recs[len(recs)-1].Position, nil
	}
}

// Load returns an association as its events tell it.
func (r *AssociationRepository) Load(ctx context.Context, id string) (*association.Association, error) {
	if _, err := uuid.Parse(id); err != nil {
		return nil, association.ErrNotFound
	}
	a, _, err := r.load(ctx, directoryevents.StreamID(id))
	return a, err
}

func (r *AssociationRepository) load(ctx context.Context, stream string) (*association.Association, events.Position, error) {
	recs, err := r.store.ReadStream(ctx, stream, 1)
	if err != nil {
		return nil, events.Position{}, fmt.Errorf("load %s: %w", stream, err)
	}
	if len(recs) == 0 {
		return nil, events.Position{}, association.ErrNotFound
	}
	history := make([]any, len(recs))
	for i, rec := range recs {
		if history[i], err = r.registry.Decode(rec.Type, rec.SchemaVersion, rec.Data); err != nil {
			return nil, events.Position{}, fmt.Errorf("load %s: %w", stream, err)
		}
	}
	a, err := association.FromHistory(history)
	if err != nil {
		return nil, events.Position{}, fmt.Errorf("load %s: %w", stream, err)
	}
	return a, recs[len(recs)-1].Position, nil
}

func (r *AssociationRepository) toEvents(a *association.Association, md events.Metadata) ([]events.Event, error) {
	pending := a.PendingEvents()
	evs := make([]events.Event, len(pending))
	for i, p := range pending {
		ev, err := r.registry.New(p, md)
		if err != nil {
			return nil, fmt.Errorf("association %s: %w", a.ID(), err)
		}
		evs[i] = ev
	}
	return evs, nil
}
