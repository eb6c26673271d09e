// Package service assembles the sessions service: its application over the event store,
// its HTTP port, the projections it runs — what it knows of associations, and the
// waitlist policy — and the timer that expires waitlist offers. Its own command and
// `passerelle serve` build it here.
package service

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"golang.org/x/sync/errgroup"

	"passerelle.dev/events"
	"passerelle.dev/events/directoryevents"
	"passerelle.dev/events/eventstore"
	"passerelle.dev/events/projector"
	"passerelle.dev/events/sessionevents"
	"passerelle.dev/kernel/pgmigrate"
	"passerelle.dev/servicekit/associationstatus"
	"passerelle.dev/servicekit/auth"
	"passerelle.dev/sessions/adapters"
	"passerelle.dev/sessions/app"
	"passerelle.dev/sessions/ports"
)

// Migrations returns what the sessions service needs in its database.
func Migrations() []pgmigrate.Set {
	return []pgmigrate.Set{eventstore.Migrations(), adapters.Migrations()}
}

// Registry returns a registry of the events the sessions service writes and reads.
func Registry() (*events.Registry, error) {
	r := events.NewRegistry()
	if err := sessionevents.Register(r); err != nil {
		return nil, err
	}
	if err := directoryevents.Register(r); err != nil {
		return nil, err
	}
	return r, nil
}

// Service is the assembled sessions service.
type Service struct {
	// Commands runs the use cases in process.
	Commands *app.Application
	// HTTP serves them to other processes.
	HTTP   http.Handler
	runner *projector.Runner
	offers *adapters.OfferTimer
	cities *adapters.CityRepository
}

// Deps are the service's collaborators. All but Logger are required.
type Deps struct {
	Store         *eventstore.Store
	Notifications *eventstore.Notifications
	Tokens        *auth.Tokens
	Logger        *slog.Logger
}

// Config configures the sessions service.
type Config struct {
	// App configures the use cases.
	App app.Config
	// OfferTimerInterval bounds how late a waitlist offer expires when no event wakes
	// the offer timer (a clock moved, a lost notification). Defaults to a minute.
	OfferTimerInterval time.Duration
}

// Validate refuses what no default can stand for.
func (c Config) Validate() error {
	if c.OfferTimerInterval < 0 {
		return fmt.Errorf("sessions: the offer timer's interval is negative (%s)", c.OfferTimerInterval)
	}
	return c.App.Validate()
}

// New assembles the sessions service.
func New(deps Deps, cfg Config) (*Service, error) {
	if deps.Store == nil || deps.Notifications == nil || deps.Tokens == nil {
		return nil, errors.New("sessions: Store, Notifications and Tokens are required")
	}
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if deps.Logger == nil {
		deps.Logger = slog.Default()
	}
	registry, err := Registry()
	if err != nil {
		return nil, err
	}
	cities := adapters.NewCityRepository(deps.Store, registry)
	checkpoints := projector.NewCheckpoints(deps.Store.Pool(), deps.Notifications)
	sessions := adapters.NewSessionRepository(deps.Store, registry, cities)
	commands, err := app.New(app.Deps{
		Sessions: sessions, Series: sessions, Cities: cities,
		Associations: associationstatus.NewLookup("sessions", deps.Store, checkpoints), Tokens: deps.Tokens,
	}, cfg.App)
	if err != nil {
		return nil, err
	}
	runner, err := projector.NewRunner(projector.Config{
		Pool: deps.Store.Pool(), Registry: registry, Notifications: deps.Notifications, Logger: deps.Logger,
	}, associationstatus.Projection{Schema: "sessions"}, adapters.WaitlistPolicy{Sessions: commands})
	if err != nil {
		return nil, err
	}
	wake, _ := deps.Notifications.Subscribe(eventstore.EventsChannel)
	offers := adapters.NewOfferTimer(deps.Store.Pool(), commands, wake, cfg.OfferTimerInterval, deps.Logger)
	return &Service{Commands: commands, HTTP: ports.Handler(commands, deps.Tokens, deps.Logger), runner: runner,
		offers: offers, cities: cities}, nil
}

// Run opens the default cities (once in the platform's life) and runs the service's
// projections and its waitlist offers' timer until ctx ends.
func (s *Service) Run(ctx context.Context) error {
	if err := s.cities.OpenDefaults(ctx, time.Now()); err != nil {
		if ctx.Err() != nil {
			return nil
		}
		return err
	}
	group, ctx := errgroup.WithContext(ctx)
	group.Go(func() error { return s.runner.Run(ctx) })
	group.Go(func() error { return s.offers.Run(ctx) })
	return group.Wait()
}
