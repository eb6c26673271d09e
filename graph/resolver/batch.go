package resolver

import (
	"context"
	"sync"

	"passerelle.dev/graph/readmodel"
	"passerelle.dev/kernel/money"
)

// batch loads, for one request, values by key in as few queries as possible: keys are
// queued as resolvers are built, and the first get loads every key queued so far. A
// page of fifty sessions costs one query for their registrations, not fifty.
type batch[V any] struct {
	mu     sync.Mutex
	queued map[string]bool
	loaded map[string]V
	// tried holds every key loaded, found or not.
	tried map[string]bool
}

func newBatch[V any]() *batch[V] {
	return &batch[V]{queued: map[string]bool{}, loaded: map[string]V{}, tried: map[string]bool{}}
}

func (b *batch[V]) queue(key string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if !b.tried[key] {
		b.queued[key] = true
	}
}

// get returns the value of key, loading it with everything queued when it was not
// loaded yet. ok is false when load did not find it.
func (b *batch[V]) get(ctx context.Context, key string, load func(context.Context, []string) (map[string]V, error)) (v V, ok bool, err error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.tried[key] {
		v, ok = b.loaded[key]
		return v, ok, nil
	}
	b.queued[key] = true
	keys := make([]string, 0, len(b.queued))
	for k := range b.queued {
		keys = append(keys, k)
	}
	found, err := load(ctx, keys)
	if err != nil {
		return v, false, err
	}
	for _, k := range keys {
		delete(b.queued, k)
		b.tried[k] = true
		if val, hit := found[k]; hit {
			b.loaded[k] = val
		}
	}
	v, ok = b.loaded[key]
	return v, ok, nil
}

// preload gives key its value without a query: an object rebuilt as of an instant
// brings its own past registrations, reviews or pledges.
func (b *batch[V]) preload(key string, v V) {
	b.mu.Lock()
	defer b.mu.Unlock()
	delete(b.queued, key)
	b.tried[key] = true
	b.loaded[key] = v
}

// has tells whether key was loaded (found or not) or preloaded.
func (b *batch[V]) has(key string) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.tried[key]
}

// peek returns key's value without loading anything.
func (b *batch[V]) peek(key string) (V, bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	v, ok := b.loaded[key]
	return v, ok
}

// settle records keys as loaded, with the values found among them: what one query
// loaded for several batches.
func (b *batch[V]) settle(keys []string, found map[string]V) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, k := range keys {
		delete(b.queued, k)
		b.tried[k] = true
		if v, ok := found[k]; ok {
			b.loaded[k] = v
		}
	}
}

// forget drops what was loaded for key: a mutation of the request changed it.
func (b *batch[V]) forget(key string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	delete(b.tried, key)
	delete(b.loaded, key)
}

// link is a kind of link that objects load for their whole list when they are built.
type link uint16

const (
	linkCity link = 1 << iota
	linkRegistrations
	linkProposals
	linkCall
	linkAssociation
	linkReviews
	linkPledges
	linkTotals
)

// batches are a request's batches.
type batches struct {
	contacts      *contactBatch
	registrations *batch[[]readmodel.Registration]
	associations  *batch[readmodel.Association]
	// associationNames are associations loaded with their id and name only, for
	// registrations whose association the query asks nothing else of: never in
	// associations, which other fields of the request read whole.
	associationNames map[string]readmodel.Association
	cities           *batch[readmodel.City]
	calls            *batch[readmodel.Call]
	reviews          *batch[[]readmodel.Review]
	pledges          *batch[[]readmodel.Pledge]
	totals           *batch[[]money.Money]
	// sessionProposals are the proposals presented at each session.
	sessionProposals *batch[[]readmodel.Proposal]
}

type batchesKey struct{}

func newBatches() *batches {
	return &batches{contacts: newContactBatch(), registrations: newBatch[[]readmodel.Registration](), associations: newBatch[readmodel.Association](),
		cities: newBatch[readmodel.City](), calls: newBatch[readmodel.Call](), reviews: newBatch[[]readmodel.Review](),
		pledges: newBatch[[]readmodel.Pledge](), totals: newBatch[[]money.Money](),
		sessionProposals: newBatch[[]readmodel.Proposal]()}
}

func withBatches(ctx context.Context) context.Context {
	return context.WithValue(ctx, batchesKey{}, newBatches())
}

// withBatchesOf is ctx carrying b: objects built under another object share its
// batches (in a subscription, where the context has none).
func withBatchesOf(ctx context.Context, b *batches) context.Context {
	return context.WithValue(ctx, batchesKey{}, b)
}

func batchesOf(ctx context.Context) *batches {
	if b, ok := ctx.Value(batchesKey{}).(*batches); ok {
		return b
	}
	// Outside an HTTP request (tests of resolvers alone): batches of its own.
	return newBatches()
}
