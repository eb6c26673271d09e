package projector

import (
	"context"
	"fmt"

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

// ApplyEvents applies the events p handles among recs (payloads[i] is recs[i] decoded)
// within tx, without a savepoint each: a page at once when p is a PageApplier. Any
// failure fails the lot; callers roll back and go event by event, or leave the events to
// a subscriber.
func ApplyEvents(ctx context.Context, tx pgx.Tx, p Projection, recs []events.Recorded, payloads []any) error {
	var (
		handled []events.Recorded
		decoded []any
	)
	for i, rec := range recs {
		if !p.Handles(rec.Type) {
			continue
		}
		if payloads[i] == nil {
			return fmt.Errorf("event %s (%s) at %s does not decode", rec.ID, rec.Type, rec.Position)
		}
		handled, decoded = append(handled, rec), append(decoded, payloads[i])
	}
	if pa, ok := p.(PageApplier); ok {
		return pa.ApplyPage(ctx, tx, handled, decoded)
	}
	for i, rec := range handled {
		if err := p.Apply(ctx, tx, rec, decoded[i]); err != nil {
			return fmt.Errorf("event %s at %s: %w", rec.ID, rec.Position, err)
		}
	}
	return nil
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
		from, err := HoldPosition(ctx, tx, p.Name())
		if err != nil {
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
		payloads := make([]any, len(recs))
		for i, rec := range recs {
			if !p.Handles(rec.Type) {
				continue
			}
			if payloads[i], err = r.registry.Decode(rec.Type, rec.SchemaVersion, rec.Data); err != nil {
				return fmt.Errorf("event %s at %s: %w", rec.ID, rec.Position, err)
			}
		}
		if err := ApplyEvents(ctx, tx, p, recs, payloads); err != nil {
			return err
		}
		return SetPosition(ctx, tx, p.Name(), recs[n-1].Position)
	})
	if err != nil {
		return 0, err
	}
	return n, nil
}
