package adapters

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"

	"passerelle.dev/events"
	"passerelle.dev/events/eventstore"
	"passerelle.dev/events/sessionevents"
	"passerelle.dev/servicekit/command"
	"passerelle.dev/servicekit/streams"
	"passerelle.dev/sessions/app"
	"passerelle.dev/sessions/domain/city"
)

// CityRepository stores cities in the event store. A city's time zone never changes,
// so it is kept in memory once read. It is safe for concurrent use.
type CityRepository struct {
	store  *eventstore.Store
	events *events.Registry
	cities *streams.Store[*city.City]

	mu        sync.RWMutex
	locations map[string]*time.Location
}

var _ app.CityRepository = (*CityRepository)(nil)

// NewCityRepository returns a repository; registry must know the sessions events.
func NewCityRepository(store *eventstore.Store, registry *events.Registry) *CityRepository {
	return &CityRepository{store: store, events: registry, cities: streams.NewStore(store, registry, "sessions", city.FromHistory),
		locations: map[string]*time.Location{}}
}

// OpenDefaults opens the cities the platform starts with, once: a city already open is
// left as it is, so every start may call it.
func (r *CityRepository) OpenDefaults(ctx context.Context, now time.Time) error {
	for _, c := range city.Defaults {
		c.OpenedAt = now.UTC()
		ev, err := r.events.New(c, events.Metadata{Actor: events.System, CorrelationID: "platform-start"})
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

// read reads a city, within tx when given.
func (r *CityRepository) read(ctx context.Context, tx pgx.Tx, slug string) (*city.City, error) {
	return r.cities.Read(ctx, tx, sessionevents.CityStreamID(slug))
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
	o, err := r.cities.Add(ctx, sessionevents.CityStreamID(c.Slug()), c, md, key, nil)
	if errors.Is(err, eventstore.ErrWrongExpectedVersion) {
		return command.Outcome{}, city.ErrAlreadyOpened
	}
	return o, err
}

// Update implements app.CityRepository. Changes of one city are serialised by a lock
// on its stream, then appended at the version they were decided on.
func (r *CityRepository) Update(ctx context.Context, slug string, md events.Metadata, key command.Key, change func(*city.City) error) (*city.City, command.Outcome, error) {
	return r.cities.Update(ctx, sessionevents.CityStreamID(slug), md, key, func(_ pgx.Tx, c *city.City) error { return change(c) })
}

// EventAt implements app.CityRepository: what an earlier command recorded, to answer
// its replay.
func (r *CityRepository) EventAt(ctx context.Context, slug string, version int64) (any, error) {
	history, err := r.cities.History(ctx, nil, sessionevents.CityStreamID(slug), version)
	if err != nil {
		return nil, err
	}
	if int64(len(history)) != version {
		return nil, fmt.Errorf("city %s has no event at version %d", slug, version)
	}
	return history[version-1], nil
}

// Replay implements app.CityRepository.
func (r *CityRepository) Replay(ctx context.Context, key command.Key) (command.Outcome, bool, error) {
	return r.cities.Replay(ctx, key)
}
