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

// Mark is what a projection has committed: its position in the log, which moves with
// every event, and its revision, which moves only when it changed its tables (an event
// it applied, a rebuild; see Revised).
type Mark struct {
	Position events.Position
	Revision int64
}

// String spells what an answer read from the projection depends on: its revision.
func (m Mark) String() string { return strconv.FormatInt(m.Revision, 10) }

// Marks returns the mark of each named projection (zero if it has not started).
func (c *Checkpoints) Marks(ctx context.Context, projections ...string) (map[string]Mark, error) {
	rows, err := c.pool.Query(ctx, `SELECT consumer_group, offset_acked, last_processed_transaction_id::text, revision
		FROM eventstore.consumer_offsets WHERE consumer_group = ANY($1)`, projections)
	if err != nil {
		return nil, fmt.Errorf("projector: read checkpoints: %w", err)
	}
	defer rows.Close()
	out := make(map[string]Mark, len(projections))
	for _, p := range projections {
		out[p] = Mark{}
	}
	for rows.Next() {
		var (
			name, txid string
			m          Mark
		)
		if err := rows.Scan(&name, &m.Position.GlobalPosition, &txid, &m.Revision); err != nil {
			return nil, fmt.Errorf("projector: read checkpoints: %w", err)
		}
		if m.Position.TransactionID, err = strconv.ParseUint(txid, 10, 64); err != nil {
			return nil, fmt.Errorf("projector: checkpoint of %s: %w", name, err)
		}
		out[name] = m
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("projector: read checkpoints: %w", err)
	}
	return out, nil
}

// Positions returns the position each named projection has committed (zero if it has
// not started).
func (c *Checkpoints) Positions(ctx context.Context, projections ...string) (map[string]events.Position, error) {
	marks, err := c.Marks(ctx, projections...)
	if err != nil {
		return nil, err
	}
	out := make(map[string]events.Position, len(marks))
	for name, m := range marks {
		out[name] = m.Position
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
