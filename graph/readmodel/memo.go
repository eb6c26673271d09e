package readmodel

import (
	"context"
	"sync"

	"passerelle.dev/graph/tables"
)

// Revision tells the current revision of the projection that writes some tables, as the
// process knows it (projector.Watermarks), and whether it is known.
type Revision func() (int64, bool)

// memo keeps what was read from some tables while the revision of the projection that
// writes them stays the same: the cities and their coordinators, which every calendar
// page and every coordinator's request read and which change a few times a year. It is
// safe for concurrent use.
type memo[K comparable, V any] struct {
	revision Revision
	tables   []string

	mu     sync.Mutex
	at     int64
	values map[K]V
}

func newMemo[K comparable, V any](revision Revision, tables ...string) *memo[K, V] {
	return &memo[K, V]{revision: revision, tables: tables}
}

// get returns the value kept for key, or loads and keeps it. The revision is read
// before loading, so a value is never kept under a revision newer than what it read.
func (m *memo[K, V]) get(ctx context.Context, key K, load func(context.Context) (V, error)) (V, error) {
	if m == nil || m.revision == nil {
		return load(ctx)
	}
	rev, ok := m.revision()
	if !ok {
		return load(ctx)
	}
	// The answer depends on these tables whether or not they are read now.
	for _, t := range m.tables {
		tables.ReadFrom(ctx, t)
	}
	m.mu.Lock()
	if m.at != rev || m.values == nil {
		m.at, m.values = rev, map[K]V{}
	}
	v, found := m.values[key]
	m.mu.Unlock()
	if found {
		return v, nil
	}
	v, err := load(ctx)
	if err != nil {
		return v, err
	}
	m.mu.Lock()
	if m.at == rev {
		m.values[key] = v
	}
	m.mu.Unlock()
	return v, nil
}
