// Package service assembles the sessions service: its application over the event store,
// its HTTP port, and the projections it runs — what it knows of associations, and the
// waitlist policy. Its own command and `passerelle serve` build it here.
package service

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"time"

	"passerelle.dev/events"
	"passerelle.dev/events/auth"
	"passerelle.dev/events/directoryevents"
	"passerelle.dev/events/directoryevents/statuses"
	"passerelle.dev/events/eventstore"
	"passerelle.dev/events/pgmigrate"
	"passerelle.dev/events/projector"
	"passerelle.dev/events/sessionevents"
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
	cities *adapters.CityRepository
}

// Deps are the service's collaborators. All but Logger are required.
type Deps struct {
	Store         *eventstore.Store
	Notifications *eventstore.Notifications
	Tokens        *auth.Tokens
	Logger        *slog.Logger
}

// New assembles the sessions service.
func New(deps Deps, cfg app.Config) (*Service, error) {
	if deps.Store == nil || deps.Notifications == nil || deps.Tokens == nil {
		return nil, errors.New("sessions: Store, Notifications and Tokens are required")
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
	commands := app.New(adapters.NewSessionRepository(deps.Store, registry, cities), cities,
		statuses.NewLookup("sessions", deps.Store, checkpoints), deps.Tokens, cfg)
	runner, err := projector.NewRunner(projector.Config{
		Pool: deps.Store.Pool(), Registry: registry, Notifications: deps.Notifications, Logger: deps.Logger,
	}, statuses.Projection{Schema: "sessions"}, adapters.WaitlistPolicy{Sessions: commands})
	if err != nil {
		return nil, err
	}
	return &Service{Commands: commands, HTTP: ports.Handler(commands, deps.Tokens, deps.Logger), runner: runner, cities: cities}, nil
}

// Run opens the default cities (once in the platform's life) and runs the service's
// projections until ctx ends.
func (s *Service) Run(ctx context.Context) error {
	if err := s.cities.OpenDefaults(ctx, time.Now()); err != nil {
		if ctx.Err() != nil {
			return nil
		}
		return err
	}
	return s.runner.Run(ctx)
}
