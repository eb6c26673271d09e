package projector

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"passerelle.dev/events"
	"passerelle.dev/events/eventstore"
)

// Checkpoints reads how far projections got, and lets a request wait until they have
// seen its own write (read-your-writes). It is safe for concurrent use.
type Checkpoints struct {
	pool          *pgxpool.Pool
	notifications *eventstore.Notifications
	fallback      time.Duration
}

// NewCheckpoints returns a checkpoint reader. notifications is optional; without it
// WaitFor polls.
func NewCheckpoints(pool *pgxpool.Pool, notifications *eventstore.Notifications) *Checkpoints {
	return &Checkpoints{pool: pool, notifications: notifications, fallback: 25 * time.Millisecond}
}

// Positions returns the position each named projection has committed (zero if it has
// not started).
func (c *Checkpoints) Positions(ctx context.Context, projections ...string) (map[string]events.Position, error) {
	rows, err := c.pool.Query(ctx, `SELECT consumer_group, offset_acked, last_processed_transaction_id::text
		FROM eventstore.consumer_offsets WHERE consumer_group = ANY($1)`, projections)
	if err != nil {
		return nil, fmt.Errorf("projector: read checkpoints: %w", err)
	}
	defer rows.Close()
	out := make(map[string]events.Position, len(projections))
	for _, p := range projections {
		out[p] = events.Position{}
	}
	for rows.Next() {
		var (
			name, txid string
			pos        events.Position
		)
		if err := rows.Scan(&name, &pos.GlobalPosition, &txid); err != nil {
			return nil, fmt.Errorf("projector: read checkpoints: %w", err)
		}
		if pos.TransactionID, err = strconv.ParseUint(txid, 10, 64); err != nil {
			return nil, fmt.Errorf("projector: checkpoint of %s: %w", name, err)
		}
		out[name] = pos
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("projector: read checkpoints: %w", err)
	}
	return out, nil
}

// WaitFor returns once every named projection has committed the event at pos, or when
// ctx ends (with ctx's error). Callers bound the wait with a deadline.
func (c *Checkpoints) WaitFor(ctx context.Context, pos events.Position, projections ...string) error {
	var wake <-chan struct{}
	if c.notifications != nil {
		ch, unsubscribe := c.notifications.Subscribe(eventstore.CheckpointChannel)
		defer unsubscribe()
		wake = ch
	}
	timer := time.NewTimer(c.fallback)
	defer timer.Stop()
	for {
		cps, err := c.Positions(ctx, projections...)
		if err != nil {
			return err
		}
		reached := true
		for _, cp := range cps {
			if cp.Before(pos) {
				reached = false
				break
			}
		}
		if reached {
			return nil
		}
		timer.Reset(c.fallback)
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-wake:
		case <-timer.C:
		}
	}
}
