package projector

import (
	"context"
	"fmt"
	"strconv"

	"github.com/jackc/pgx/v5"

	"passerelle.dev/events"
	"passerelle.dev/events/eventstore"
)

// PageApplier is a projection that can apply a page of events at once, sending its
// statements in a pipeline rather than one round trip each. Catching up and rebuilding
// use it; live delivery applies event by event.
type PageApplier interface {
	// ApplyPage applies the events, with their decoded payloads, in order within tx.
	ApplyPage(ctx context.Context, tx pgx.Tx, evs []events.Recorded, payloads []any) error
}

// catchUpPage is how many events one catch-up transaction applies.
const catchUpPage = 1000

// catchUp brings a projection that is far behind the log up to it in pages of
// catchUpPage events, each page and the position after it committed together, before
// the subscriber takes over: a subscriber delivers event by event, which is right when
// events come a few at a time and slow when a projection starts from zero or after a
// long stop. It stops when a page finds nothing (caught up, or held back by an older
// transaction still running), or at the first page that fails, leaving that page to
// the subscriber, which retries and poisons event by event.
func (r *Runner) catchUp(ctx context.Context, p Projection) {
	applied := 0
	for {
		n, err := r.catchUpPage(ctx, p)
		applied += n
		if err != nil {
			if ctx.Err() == nil {
				r.logger.Info("catching up stopped; the subscriber goes on event by event", "projection", p.Name(), "applied", applied, "err", err)
			}
			return
		}
		if n == 0 {
			if applied > 0 {
				r.logger.Info("caught up with the log", "projection", p.Name(), "events", applied)
			}
			return
		}
	}
}

// catchUpPage applies the next page of events to p, and advances its position, in one
// transaction that holds p's position row (so a subscriber of p, here or in another
// process, waits). It returns how many events it read.
func (r *Runner) catchUpPage(ctx context.Context, p Projection) (int, error) {
	var n int
	err := pgx.BeginFunc(ctx, r.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO eventstore.consumer_offsets (consumer_group) VALUES ($1) ON CONFLICT DO NOTHING`, p.Name()); err != nil {
			return err
		}
		var (
			from events.Position
			txid string
		)
		if err := tx.QueryRow(ctx, `SELECT offset_acked, last_processed_transaction_id::text FROM eventstore.consumer_offsets
			WHERE consumer_group = $1 FOR UPDATE`, p.Name()).Scan(&from.GlobalPosition, &txid); err != nil {
			return err
		}
		var err error
		if from.TransactionID, err = strconv.ParseUint(txid, 10, 64); err != nil {
			return err
		}
		recs, err := eventstore.ReadAllInTx(ctx, tx, from, catchUpPage)
		if err != nil {
			return err
		}
		n = len(recs)
		if n == 0 {
			return nil
		}
		var (
			handled  []events.Recorded
			payloads []any
		)
		for _, rec := range recs {
			if !p.Handles(rec.Type) {
				continue
			}
			payload, err := r.registry.Decode(rec.Type, rec.SchemaVersion, rec.Data)
			if err != nil {
				return fmt.Errorf("event %s at %s: %w", rec.ID, rec.Position, err)
			}
			handled, payloads = append(handled, rec), append(payloads, payload)
		}
		if pa, ok := p.(PageApplier); ok {
			if err := pa.ApplyPage(ctx, tx, handled, payloads); err != nil {
				return err
			}
		} else {
			for i, rec := range handled {
				if err := p.Apply(ctx, tx, rec, payloads[i]); err != nil {
					return fmt.Errorf("event %s at %s: %w", rec.ID, rec.Position, err)
				}
			}
		}
		last := recs[n-1].Position
		if _, err := tx.Exec(ctx, `UPDATE eventstore.consumer_offsets
			SET offset_acked = $2, last_processed_transaction_id = $3::text::xid8, updated_at = now()
			WHERE consumer_group = $1`, p.Name(), last.GlobalPosition, strconv.FormatUint(last.TransactionID, 10)); err != nil {
			return err
		}
		// As the subscriber's acknowledgement does: whoever waits for the projection wakes.
		_, err = tx.Exec(ctx, `SELECT pg_notify($1, $2)`, eventstore.CheckpointChannel, p.Name())
		return err
	})
	if err != nil {
		return 0, err
	}
	return n, nil
}
