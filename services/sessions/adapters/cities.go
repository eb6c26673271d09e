package adapters

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"

	"passerelle.dev/events"
	"passerelle.dev/events/command"
	"passerelle.dev/events/eventstore"
	"passerelle.dev/events/sessionevents"
	"passerelle.dev/sessions/app"
	"passerelle.dev/sessions/domain/city"
)

// CityRepository stores cities in the event store. A city's time zone never changes,
// so it is kept in memory once read. It is safe for concurrent use.
type CityRepository struct {
	store    *eventstore.Store
	registry *events.Registry
	keys     command.Keys

	mu        sync.RWMutex
	locations map[string]*time.Location
}

var _ app.CityRepository = (*CityRepository)(nil)

// NewCityRepository returns a repository; registry must know the sessions events.
func NewCityRepository(store *eventstore.Store, registry *events.Registry) *CityRepository {
	return &CityRepository{store: store, registry: registry, keys: command.NewKeys("sessions"), locations: map[string]*time.Location{}}
}

// OpenDefaults opens the cities the platform starts with, once: a city already open is
// left as it is, so every start may call it.
func (r *CityRepository) OpenDefaults(ctx context.Context, now time.Time) error {
	for _, c := range city.Defaults {
		c.OpenedAt = now.UTC()
		ev, err := r.registry.New(c, events.Metadata{Actor: events.System, CorrelationID: "platform-start"})
		if err != nil {
			return err
		}
		_, err = r.store.Append(ctx, sessionevents.CityStreamID(c.Slug), eventstore.NoStream, ev)
		if err != nil && !errors.Is(err, eventstore.ErrWrongExpectedVersion) {
			return fmt.Errorf("open %s: %w", c.Slug, err)
		}
	}
	return nil
}

// Get implements app.CityRepository.
func (r *CityRepository) Get(ctx context.Context, slug string) (*city.City, error) {
	return r.read(ctx, nil, slug)
}

func (r *CityRepository) read(ctx context.Context, tx pgx.Tx, slug string) (*city.City, error) {
	stream := sessionevents.CityStreamID(slug)
	var (
		recs []events.Recorded
		err  error
	)
	if tx != nil {
		recs, err = r.store.ReadStreamIn(ctx, tx, stream, 1)
	} else {
		recs, err = r.store.ReadStream(ctx, stream, 1)
	}
	if err != nil {
		return nil, err
	}
	if len(recs) == 0 {
		return nil, city.ErrNotFound
	}
	history := make([]any, len(recs))
	for i, rec := range recs {
		if history[i], err = r.registry.Decode(rec.Type, rec.SchemaVersion, rec.Data); err != nil {
			return nil, fmt.Errorf("load %s: %w", stream, err)
		}
	}
	return city.FromHistory(history)
}

// location returns a city's time zone, reading it (within tx when given: a caller
// holding a transaction must not wait for a second connection) the first time only.
func (r *CityRepository) location(ctx context.Context, tx pgx.Tx, slug string) (*time.Location, error) {
	r.mu.RLock()
	loc, ok := r.locations[slug]
	r.mu.RUnlock()
	if ok {
		return loc, nil
	}
	c, err := r.read(ctx, tx, slug)
	if err != nil {
		return nil, err
	}
	r.mu.Lock()
	r.locations[slug] = c.Location()
	r.mu.Unlock()
	return c.Location(), nil
}

// Add implements app.CityRepository.
func (r *CityRepository) Add(ctx context.Context, c *city.City, md events.Metadata, key command.Key) (command.Outcome, error) {
	evs := make([]events.Event, 0, 1)
	for _, p := range c.PendingEvents() {
		ev, err := r.registry.New(p, md)
		if err != nil {
			return command.Outcome{}, err
		}
		evs = append(evs, ev)
	}
	var o command.Outcome
	err := r.store.Transact(ctx, func(tx pgx.Tx) error {
		if err := r.keys.Claim(ctx, tx, key); err != nil {
			return err
		}
		recs, err := r.store.AppendInTx(ctx, tx, sessionevents.CityStreamID(c.Slug()), eventstore.NoStream, evs...)
		if errors.Is(err, eventstore.ErrWrongExpectedVersion) {
			return city.ErrAlreadyOpened
		}
		if err != nil {
			return err
		}
		last := recs[len(recs)-1]
		o = command.Outcome{StreamID: last.StreamID, Version: last.StreamVersion, Position: last.Position}
		return r.keys.Record(ctx, tx, key, o)
	})
	return settleTwin(ctx, r.keys, r.store.Pool(), key, o, err)
}

// Update implements app.CityRepository. Changes of one city are serialised by a lock
// on its stream, then appended at the version they were decided on.
func (r *CityRepository) Update(ctx context.Context, slug string, md events.Metadata, key command.Key, change func(*city.City) error) (*city.City, command.Outcome, error) {
	stream := sessionevents.CityStreamID(slug)
	var (
		c *city.City
		o command.Outcome
	)
	err := r.store.Transact(ctx, func(tx pgx.Tx) error {
		if err := r.keys.Claim(ctx, tx, key); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, stream); err != nil {
			return fmt.Errorf("lock %s: %w", stream, err)
		}
		var err error
		if c, err = r.read(ctx, tx, slug); err != nil {
			return err
		}
		if err := change(c); err != nil {
			return err
		}
		o = command.Outcome{StreamID: stream, Version: c.Version()}
		if pending := c.PendingEvents(); len(pending) > 0 {
			evs := make([]events.Event, len(pending))
			for i, p := range pending {
				if evs[i], err = r.registry.New(p, md); err != nil {
					return err
				}
			}
			recs, err := r.store.AppendInTx(ctx, tx, stream, eventstore.AtVersion(c.Version()), evs...)
			if err != nil {
				return err
			}
			last := recs[len(recs)-1]
			o.Version, o.Position = last.StreamVersion, last.Position
		}
		return r.keys.Record(ctx, tx, key, o)
	})
	o, err = settleTwin(ctx, r.keys, r.store.Pool(), key, o, err)
	if err != nil {
		return nil, command.Outcome{}, err
	}
	return c, o, nil
}

// EventAt returns the payload of a city's event at a stream version: what an earlier
// command recorded, to answer its replay.
func (r *CityRepository) EventAt(ctx context.Context, slug string, version int64) (any, error) {
	recs, err := r.store.ReadStream(ctx, sessionevents.CityStreamID(slug), version)
	if err != nil {
		return nil, err
	}
	if len(recs) == 0 || recs[0].StreamVersion != version {
		return nil, fmt.Errorf("city %s has no event at version %d", slug, version)
	}
	return r.registry.Decode(recs[0].Type, recs[0].SchemaVersion, recs[0].Data)
}

// Replay implements app.CityRepository.
func (r *CityRepository) Replay(ctx context.Context, key command.Key) (command.Outcome, bool, error) {
	return r.keys.Find(ctx, r.store.Pool(), key)
}
