// Package service assembles the proposals service: its application over the event
// store, its HTTP port, and the projections it runs — what it knows of associations and
// of dialogue sessions. Its own command and `passerelle serve` build it here.
package service

import (
	"context"
	"errors"
	"log/slog"
	"net/http"

	"passerelle.dev/events"
	"passerelle.dev/events/directoryevents"
	"passerelle.dev/events/eventstore"
	"passerelle.dev/events/projector"
	"passerelle.dev/events/proposalevents"
	"passerelle.dev/events/sessionevents"
	"passerelle.dev/kernel/pgmigrate"
	"passerelle.dev/proposals/adapters"
	"passerelle.dev/proposals/app"
	"passerelle.dev/proposals/ports"
	"passerelle.dev/servicekit/associationstatus"
	"passerelle.dev/servicekit/auth"
)

// Migrations returns what the proposals service needs in its database.
func Migrations() []pgmigrate.Set {
	return []pgmigrate.Set{eventstore.Migrations(), adapters.Migrations()}
}

// Registry returns a registry of the events the proposals service writes and reads.
func Registry() (*events.Registry, error) {
	r := events.NewRegistry()
	for _, register := range []func(*events.Registry) error{proposalevents.Register, directoryevents.Register, sessionevents.Register} {
		if err := register(r); err != nil {
			return nil, err
		}
	}
	return r, nil
}

// Service is the assembled proposals service.
type Service struct {
	// Commands runs the use cases in process.
	Commands *app.Application
	// HTTP serves them to other processes.
	HTTP   http.Handler
	runner *projector.Runner
}

// Deps are the service's collaborators. All but Logger are required.
type Deps struct {
	Store         *eventstore.Store
	Notifications *eventstore.Notifications
	Tokens        *auth.Tokens
	Logger        *slog.Logger
}

// Config configures the proposals service.
type Config struct {
	// App configures the use cases.
	App app.Config
}

// Validate refuses what no default can stand for.
func (c Config) Validate() error { return c.App.Validate() }

// New assembles the proposals service.
func New(deps Deps, cfg Config) (*Service, error) {
	if deps.Store == nil || deps.Notifications == nil || deps.Tokens == nil {
		return nil, errors.New("proposals: Store, Notifications and Tokens are required")
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
	checkpoints := projector.NewCheckpoints(deps.Store.Pool(), deps.Notifications)
	commands, err := app.New(app.Deps{
		Calls: adapters.NewCallRepository(deps.Store, registry), Proposals: adapters.NewProposalRepository(deps.Store, registry),
		Associations: associationstatus.NewLookup(adapters.Schema, deps.Store, checkpoints),
		Sessions:     adapters.NewSessions(deps.Store, checkpoints),
	}, cfg.App)
	if err != nil {
		return nil, err
	}
	runner, err := projector.NewRunner(projector.Config{
		Pool: deps.Store.Pool(), Registry: registry, Notifications: deps.Notifications, Logger: deps.Logger,
	}, associationstatus.Projection{Schema: adapters.Schema}, adapters.SessionsProjection{})
	if err != nil {
		return nil, err
	}
	return &Service{Commands: commands, HTTP: ports.Handler(commands, deps.Tokens, deps.Logger), runner: runner}, nil
}

// Run runs the service's projections until ctx ends.
func (s *Service) Run(ctx context.Context) error { return s.runner.Run(ctx) }
