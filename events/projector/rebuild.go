package projector

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"github.com/jackc/pgx/v5"

	"passerelle.dev/events"
	"passerelle.dev/events/eventstore"
)

// RebuildResult tells what a rebuild did.
type RebuildResult struct {
	// Events is how many events were read.
	Events int
	// Skipped is how many events could not be decoded or were refused permanently.
	Skipped int
	// Position is where the rebuilt projection stands.
	Position events.Position
}

// Rebuild empties a projection and replays the whole event log into it, in one
// transaction that holds the projection's consumer-group row: a subscriber of the same
// projection waits for the rebuild, then resumes after the last event it replayed.
func Rebuild(ctx context.Context, store *eventstore.Store, registry *events.Registry, p Projection, logger *slog.Logger) (RebuildResult, error) {
	if logger == nil {
		logger = slog.Default()
	}
	var res RebuildResult
	err := store.Transact(ctx, func(tx pgx.Tx) error {
		if _, err := HoldPosition(ctx, tx, p.Name()); err != nil {
			return err
		}
		if err := p.Reset(ctx, tx); err != nil {
			return fmt.Errorf("reset: %w", err)
		}
		const page = 1000
		for {
			recs, err := store.ReadAllIn(ctx, tx, res.Position, page)
			if err != nil {
				return err
			}
			for _, rec := range recs {
				res.Events++
				res.Position = rec.Position
				if !p.Handles(rec.Type) {
					continue
				}
				if err := applyOne(ctx, tx, registry, p, rec); err != nil {
					if !IsPermanent(err) {
						return err
					}
					res.Skipped++
					logger.Warn("rebuild skipped an event", "projection", p.Name(), "event_id", rec.ID, "position", rec.Position.String(), "err", err)
				}
			}
			if len(recs) < page {
				break
			}
		}
		return SetPosition(ctx, tx, p.Name(), res.Position)
	})
	if err != nil {
		return RebuildResult{}, fmt.Errorf("projector: rebuild %s: %w", p.Name(), err)
	}
	return res, nil
}

func applyOne(ctx context.Context, tx pgx.Tx, registry *events.Registry, p Projection, rec events.Recorded) error {
	payload, err := registry.Decode(rec.Type, rec.SchemaVersion, rec.Data)
	if err != nil {
		return Permanent(err)
	}
	return ApplyInSavepoint(ctx, tx, p, rec, payload)
}

// ApplyInSavepoint applies one event within a savepoint of tx: if Apply fails, what it
// wrote is undone and tx goes on, so that the event can be retried or skipped without
// losing the events applied before it in tx.
func ApplyInSavepoint(ctx context.Context, tx pgx.Tx, p Projection, rec events.Recorded, payload any) error {
	sp, err := tx.Begin(ctx)
	if err != nil {
		return fmt.Errorf("projector: savepoint: %w", err)
	}
	if err := p.Apply(ctx, sp, rec, payload); err != nil {
		if rbErr := sp.Rollback(ctx); rbErr != nil {
			return errors.Join(err, fmt.Errorf("projector: roll back savepoint: %w", rbErr))
		}
		return err
	}
	if err := sp.Commit(ctx); err != nil {
		return fmt.Errorf("projector: release savepoint: %w", err)
	}
	return nil
}
