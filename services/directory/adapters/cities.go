package adapters

import (
	"context"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"

	"passerelle.dev/directory/app"
	"passerelle.dev/directory/domain/association"
	"passerelle.dev/events"
	"passerelle.dev/events/eventstore"
	"passerelle.dev/events/projector"
	"passerelle.dev/events/sessionevents"
)

// CitiesProjectionName is the consumer group keeping directory.cities.
const CitiesProjectionName = "directory.cities"

// Cities knows the cities the sessions service opened: the founding ones, and those its
// CityOpened events told of. It is safe for concurrent use.
type Cities struct {
	store       *eventstore.Store
	consistency *projector.Consistency
}

var _ app.CityBook = (*Cities)(nil)

// NewCities returns the lookup over directory.cities.
func NewCities(store *eventstore.Store, checkpoints *projector.Checkpoints) *Cities {
	return &Cities{store: store, consistency: &projector.Consistency{Checkpoints: checkpoints, Store: store}}
}

// Open implements app.CityBook.
func (c *Cities) Open(ctx context.Context, want string) (association.Cities, error) {
	cities, err := c.open(ctx)
	if err != nil || want == "" || has(cities, want) {
		return cities, err
	}
	// Opened a moment ago, perhaps: wait (bounded) for the projection, then look again.
	c.consistency.CaughtUp(ctx, CitiesProjectionName)
	return c.open(ctx)
}

func has(cities association.Cities, slug string) bool {
	slug = strings.ToLower(strings.TrimSpace(slug))
	for _, city := range cities {
		if city.String() == slug {
			return true
		}
	}
	return false
}

func (c *Cities) open(ctx context.Context) (association.Cities, error) {
	out := make(association.Cities, 0, len(sessionevents.FoundingCities)+4)
	for _, f := range sessionevents.FoundingCities {
		out = append(out, association.NewCity(f.Slug, f.Country))
	}
	rows, err := c.store.Pool().Query(ctx, `SELECT slug, country FROM directory.cities ORDER BY slug`)
	if err != nil {
		return nil, fmt.Errorf("cities: %w", err)
	}
	var slug, country string
	_, err = pgx.ForEachRow(rows, []any{&slug, &country}, func() error {
		if !has(out, slug) {
			out = append(out, association.NewCity(slug, country))
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("cities: %w", err)
	}
	return out, nil
}

// CitiesProjection keeps directory.cities from the sessions service's events.
type CitiesProjection struct{}

var _ projector.Projection = CitiesProjection{}

// Name implements projector.Projection.
func (CitiesProjection) Name() string { return CitiesProjectionName }

// Handles implements projector.Projection.
func (CitiesProjection) Handles(eventType string) bool {
	return eventType == sessionevents.CityOpenedType
}

// Apply implements projector.Projection.
func (CitiesProjection) Apply(ctx context.Context, tx pgx.Tx, _ events.Recorded, payload any) error {
	e, ok := payload.(sessionevents.CityOpened)
	if !ok {
		return nil
	}
	_, err := tx.Exec(ctx, `INSERT INTO directory.cities (slug, country) VALUES ($1, $2)
		ON CONFLICT (slug) DO UPDATE SET country = excluded.country`, e.Slug, e.Country)
	return err
}

// Reset implements projector.Projection.
func (CitiesProjection) Reset(ctx context.Context, tx pgx.Tx) error {
	_, err := tx.Exec(ctx, `TRUNCATE directory.cities`)
	return err
}
