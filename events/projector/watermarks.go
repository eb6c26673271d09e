package projector

import (
	"context"
	"log/slog"
	"maps"
	"sync"
	"time"

	"passerelle.dev/events/eventstore"
)

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
