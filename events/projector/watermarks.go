package projector

import (
	"context"
	"fmt"
	"log/slog"
	"maps"
	"strconv"
	"sync"
	"time"

	"passerelle.dev/events"
	"passerelle.dev/events/eventstore"
)

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

// Watermarks knows, in memory, the mark each of a set of projections has committed:
// what a read answered from their tables reflects. A server compares them to tell
// whether an answer it gave earlier still holds (conditional requests, cached
// responses) without asking the database.
//
// It learns of a new mark from the checkpoint notification every projection sends as
// it commits (within a millisecond or so), from Refresh (a mutation that waited for its
// projections refreshes them before it answers, so that its client reads its own
// write), and, should notifications be lost (a reconnection), from a poll every
// second. A mark it holds is never ahead of the database; it may be behind by that
// much.
//
// It is safe for concurrent use.
type Watermarks struct {
	checkpoints   *Checkpoints
	notifications *eventstore.Notifications
	names         []string
	poll          time.Duration
	logger        *slog.Logger

	mu    sync.RWMutex
	known map[string]Mark
	ready chan struct{}
	once  sync.Once
}

// NewWatermarks returns the watermarks of the named projections; Run keeps them.
func NewWatermarks(checkpoints *Checkpoints, notifications *eventstore.Notifications, logger *slog.Logger, names ...string) *Watermarks {
	if logger == nil {
		logger = slog.Default()
	}
	return &Watermarks{checkpoints: checkpoints, notifications: notifications, names: names, poll: time.Second,
		logger: logger, known: map[string]Mark{}, ready: make(chan struct{})}
}

// Names are the projections watched.
func (w *Watermarks) Names() []string { return w.names }

// Ready is closed once the marks were read a first time; until then none is known.
func (w *Watermarks) Ready() <-chan struct{} { return w.ready }

// Known returns the marks known now.
func (w *Watermarks) Known() map[string]Mark {
	w.mu.RLock()
	defer w.mu.RUnlock()
	return maps.Clone(w.known)
}

// Of returns the known mark of one projection, and whether it is known.
func (w *Watermarks) Of(name string) (Mark, bool) {
	w.mu.RLock()
	defer w.mu.RUnlock()
	m, ok := w.known[name]
	return m, ok
}

// Refresh reads the marks from the database now.
func (w *Watermarks) Refresh(ctx context.Context) error {
	marks, err := w.checkpoints.Marks(ctx, w.names...)
	if err != nil {
		return err
	}
	w.mu.Lock()
	for name, m := range marks {
		// A read that raced with a newer one must not take a mark back.
		if old, ok := w.known[name]; !ok || old.Position.Before(m.Position) || old.Revision < m.Revision {
			w.known[name] = m
		}
	}
	w.mu.Unlock()
	w.once.Do(func() { close(w.ready) })
	return nil
}

// Run keeps the marks until ctx is done.
func (w *Watermarks) Run(ctx context.Context) error {
	var wake <-chan struct{}
	if w.notifications != nil {
		ch, unsubscribe := w.notifications.Subscribe(eventstore.CheckpointChannel)
		defer unsubscribe()
		wake = ch
	}
	timer := time.NewTimer(0)
	defer timer.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-wake:
		case <-timer.C:
		}
		// Notifications that come while reading wait in wake: one more read covers them.
		if err := w.Refresh(ctx); err != nil && ctx.Err() == nil {
			w.logger.Warn("could not read the projections' positions; trying again", "err", err)
		}
		timer.Reset(w.poll)
	}
}
