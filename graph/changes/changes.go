// Package changes tells GraphQL subscriptions what changed, once the gateway's read models
// show it: it follows the event log behind the projections, and for each event that
// every projection has applied, signals the subscribers of the objects it touched.
package changes

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"passerelle.dev/events"
	"passerelle.dev/events/directoryevents"
	"passerelle.dev/events/eventstore"
	"passerelle.dev/events/expertevents"
	"passerelle.dev/events/projector"
	"passerelle.dev/events/proposalevents"
	"passerelle.dev/events/sessionevents"
)

// Kinds of topics.
const (
	Association = "association"
	Session     = "session"
	// CitySessions are the sessions of a city; the key is the city's slug.
	CitySessions = "city-sessions"
	Proposal     = "proposal"
	// ExpertiseRequest is a request for expertise, with its matches.
	ExpertiseRequest = "expertise-request"
	// Expert is an expert of the skills roster.
	Expert = "expert"
)

// Topic is what a subscriber follows: one object, or a city's sessions.
type Topic struct{ Kind, Key string }

// Subscription collects the ids of the objects that changed since its subscriber last
// took them: a subscriber that falls behind gets each object once, in its latest state,
// and never blocks the others. It is safe for concurrent use.
type Subscription struct {
	hub    *Hub
	topic  Topic
	signal chan struct{}

	mu      sync.Mutex
	pending []string
}

// Signal is ready when there are changes to take.
func (s *Subscription) Signal() <-chan struct{} { return s.signal }

// Take returns the ids changed since the last Take, in the order they first changed.
func (s *Subscription) Take() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := s.pending
	s.pending = nil
	return out
}

// Close ends the subscription.
func (s *Subscription) Close() { s.hub.unsubscribe(s) }

func (s *Subscription) add(id string) {
	s.mu.Lock()
	if !slices.Contains(s.pending, id) {
		s.pending = append(s.pending, id)
	}
	s.mu.Unlock()
	select {
	case s.signal <- struct{}{}:
	default: // already signalled
	}
}

// Hub follows the log and fans changes out to subscriptions. It is safe for concurrent
// use.
type Hub struct {
	store         *eventstore.Store
	pool          *pgxpool.Pool
	checkpoints   *projector.Checkpoints
	notifications *eventstore.Notifications
	projections   []string
	logger        *slog.Logger

	mu   sync.Mutex
	subs map[Topic][]*Subscription
}

// NewHub returns a hub that signals a change once all of projections have applied it.
func NewHub(store *eventstore.Store, checkpoints *projector.Checkpoints, notifications *eventstore.Notifications, projections []string, logger *slog.Logger) *Hub {
	if logger == nil {
		logger = slog.Default()
	}
	return &Hub{store: store, pool: store.Pool(), checkpoints: checkpoints, notifications: notifications,
		projections: projections, logger: logger, subs: map[Topic][]*Subscription{}}
}

// Subscribe follows a topic until the subscription is closed.
func (h *Hub) Subscribe(t Topic) *Subscription {
	s := &Subscription{hub: h, topic: t, signal: make(chan struct{}, 1)}
	h.mu.Lock()
	h.subs[t] = append(h.subs[t], s)
	h.mu.Unlock()
	return s
}

func (h *Hub) unsubscribe(s *Subscription) {
	h.mu.Lock()
	defer h.mu.Unlock()
	list := slices.DeleteFunc(h.subs[s.topic], func(x *Subscription) bool { return x == s })
	if len(list) == 0 {
		delete(h.subs, s.topic)
	} else {
		h.subs[s.topic] = list
	}
}

func (h *Hub) publish(t Topic, id string) {
	h.mu.Lock()
	list := slices.Clone(h.subs[t])
	h.mu.Unlock()
	for _, s := range list {
		s.add(id)
	}
}

// batch is how many events the hub reads at a time.
const batch = 500

// Run follows the log from its current end until ctx ends. It wakes when a projection
// acknowledges events, and every second besides.
func (h *Hub) Run(ctx context.Context) error {
	cursor, err := h.store.LastCommitted(ctx)
	if err != nil {
		if ctx.Err() != nil {
			return nil
		}
		return fmt.Errorf("changes: %w", err)
	}
	wake, stop := h.notifications.Subscribe(eventstore.CheckpointChannel)
	defer stop()
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-wake:
		case <-tick.C:
		}
		next, err := h.catchUp(ctx, cursor)
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			h.logger.WarnContext(ctx, "following the log for subscriptions", "err", err)
			continue
		}
		cursor = next
	}
}

// catchUp signals the changes between cursor and where every projection has reached,
// and returns the new cursor.
func (h *Hub) catchUp(ctx context.Context, cursor events.Position) (events.Position, error) {
	cps, err := h.checkpoints.Positions(ctx, h.projections...)
	if err != nil {
		return cursor, err
	}
	horizon, first := events.Position{}, true
	for _, name := range h.projections {
		cp := cps[name]
		if first || cp.Before(horizon) {
			horizon, first = cp, false
		}
	}
	for {
		recs, err := h.store.ReadAll(ctx, cursor, batch)
		if err != nil {
			return cursor, err
		}
		var applied []events.Recorded
		for _, rec := range recs {
			if horizon.Before(rec.Position) {
				break
			}
			applied = append(applied, rec)
		}
		if len(applied) == 0 {
			return cursor, nil
		}
		if err := h.signal(ctx, applied); err != nil {
			return cursor, err
		}
		cursor = applied[len(applied)-1].Position
		if len(applied) < batch {
			return cursor, nil
		}
	}
}

// signal publishes the objects the events touched. A session's changes also go to its
// city's subscribers; its city comes from the read model.
func (h *Hub) signal(ctx context.Context, recs []events.Recorded) error {
	var sessions []string
	for _, rec := range recs {
		if id, ok := sessionevents.SessionIDFromStream(rec.StreamID); ok && !slices.Contains(sessions, id) {
			sessions = append(sessions, id)
		}
	}
	cities := map[string]string{}
	if len(sessions) > 0 {
		rows, err := h.pool.Query(ctx, `SELECT id::text, city FROM graph.sessions WHERE id = ANY($1::uuid[])`, sessions)
		if err != nil {
			return fmt.Errorf("cities of sessions: %w", err)
		}
		var id, city string
		for rows.Next() {
			if err := rows.Scan(&id, &city); err != nil {
				rows.Close()
				return err
			}
			cities[id] = city
		}
		if err := rows.Err(); err != nil {
			return err
		}
	}
	for _, rec := range recs {
		if id, ok := directoryevents.AssociationIDFromStream(rec.StreamID); ok {
			h.publish(Topic{Association, id}, id)
		}
		if id, ok := sessionevents.SessionIDFromStream(rec.StreamID); ok {
			h.publish(Topic{Session, id}, id)
			if city := cities[id]; city != "" {
				h.publish(Topic{CitySessions, city}, id)
			}
		}
		if id, ok := proposalevents.ProposalIDFromStream(rec.StreamID); ok {
			h.publish(Topic{Proposal, id}, id)
		}
		if id, ok := expertevents.ExpertIDFromStream(rec.StreamID); ok {
			h.publish(Topic{Expert, id}, id)
		}
		if id, ok := expertevents.RequestIDFromStream(rec.StreamID); ok {
			h.publish(Topic{ExpertiseRequest, id}, id)
		}
	}
	return nil
}
