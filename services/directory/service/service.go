// Package service assembles the directory: its application over the event store, its
// HTTP port, and the projection that tells it the cities the sessions service opened.
// The directory's own command and `passerelle serve` build it here.
package service

import (
	"context"
	"errors"
	"log/slog"
	"net/http"

	"passerelle.dev/directory/adapters"
	"passerelle.dev/directory/app"
	"passerelle.dev/directory/ports"
	"passerelle.dev/events"
	"passerelle.dev/events/directoryevents"
	"passerelle.dev/events/eventstore"
	"passerelle.dev/events/projector"
	"passerelle.dev/events/sessionevents"
	"passerelle.dev/kernel/pgmigrate"
	"passerelle.dev/servicekit/auth"
)

// Migrations returns what the directory needs in its database: the event store and its
// own tables.
func Migrations() []pgmigrate.Set {
	return []pgmigrate.Set{eventstore.Migrations(), adapters.Migrations()}
}

// Registry returns a registry of the events the directory writes and reads.
func Registry() (*events.Registry, error) {
	r := events.NewRegistry()
	for _, register := range []func(*events.Registry) error{directoryevents.Register, sessionevents.Register} {
		if err := register(r); err != nil {
			return nil, err
		}
	}
	return r, nil
}

// Service is the assembled directory.
type Service struct {
	// Commands runs the directory's use cases in process.
	Commands *app.Application
	// HTTP serves them to other processes.
	HTTP   http.Handler
	runner *projector.Runner
}

// Deps are the directory's collaborators. All but Logger are required.
type Deps struct {
	Store         *eventstore.Store
	Notifications *eventstore.Notifications
	Tokens        *auth.Tokens
	// MasterKey (32 bytes) wraps the keys that seal contact persons.
	MasterKey []byte
	Logger    *slog.Logger
}

// Config configures the directory.
type Config struct {
	// App configures the use cases.
	App app.Config
}

// Validate refuses what no default can stand for.
func (c Config) Validate() error { return c.App.Validate() }

// New assembles the directory.
func New(deps Deps, cfg Config) (*Service, error) {
	if deps.Store == nil || deps.Notifications == nil || deps.Tokens == nil {
		return nil, errors.New("directory: Store, Notifications and Tokens are required")
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
	vault, err := adapters.NewContactVault(deps.Store.Pool(), deps.MasterKey)
	if err != nil {
		return nil, err
	}
	checkpoints := projector.NewCheckpoints(deps.Store.Pool(), deps.Notifications)
	commands, err := app.New(app.Deps{
		Associations: adapters.NewAssociationRepository(deps.Store, registry), Vault: vault, Tokens: deps.Tokens,
		Cities: adapters.NewCities(deps.Store, checkpoints),
	}, cfg.App)
	if err != nil {
		return nil, err
	}
	runner, err := projector.NewRunner(projector.Config{
		Pool: deps.Store.Pool(), Registry: registry, Notifications: deps.Notifications, Logger: deps.Logger,
	}, adapters.CitiesProjection{})
	if err != nil {
		return nil, err
	}
	return &Service{Commands: commands, HTTP: ports.Handler(commands, deps.Tokens, deps.Logger), runner: runner}, nil
}

// Run keeps the directory's knowledge of the cities until ctx ends.
func (s *Service) Run(ctx context.Context) error { return s.runner.Run(ctx) }
