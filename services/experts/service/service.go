// Package service assembles the experts service: its application over the event store,
// the sealing keys and its clear reads, its HTTP port, and the retention clock that
// reminds and erases inactive experts. Its own command and `passerelle serve` build it.
package service

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"passerelle.dev/events"
	"passerelle.dev/events/eventstore"
	"passerelle.dev/events/expertevents"
	"passerelle.dev/experts/adapters"
	"passerelle.dev/experts/app"
	"passerelle.dev/experts/ports"
	"passerelle.dev/kernel/due"
	"passerelle.dev/kernel/pgmigrate"
	"passerelle.dev/servicekit/auth"
)

// Migrations returns what the experts service needs in its database.
func Migrations() []pgmigrate.Set {
	return []pgmigrate.Set{eventstore.Migrations(), adapters.Migrations()}
}

// Config configures the service.
type Config struct {
	// App configures the use cases.
	App app.Config
	// RetentionInterval is how often the retention clock looks. Defaults to an hour.
	RetentionInterval time.Duration
}

// Deps are the service's collaborators. All but Logger are required.
type Deps struct {
	Store  *eventstore.Store
	Tokens *auth.Tokens
	// MasterKey wraps the experts' data keys (32 bytes).
	MasterKey []byte
	Logger    *slog.Logger
}

// Service is the assembled experts service.
type Service struct {
	// Commands runs the use cases in process.
	Commands *app.Application
	// HTTP serves them to other processes.
	HTTP     http.Handler
	interval time.Duration
	logger   *slog.Logger
}

// Validate refuses what no default can stand for.
func (c Config) Validate() error {
	if c.RetentionInterval < 0 {
		return fmt.Errorf("experts: the retention clock's interval is negative (%s)", c.RetentionInterval)
	}
	return c.App.Validate()
}

// New assembles the experts service.
func New(deps Deps, cfg Config) (*Service, error) {
	if deps.Store == nil || deps.Tokens == nil || len(deps.MasterKey) == 0 {
		return nil, errors.New("experts: Store, Tokens and MasterKey are required")
	}
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if deps.Logger == nil {
		deps.Logger = slog.Default()
	}
	if cfg.RetentionInterval == 0 {
		cfg.RetentionInterval = time.Hour
	}
	registry := events.NewRegistry()
	if err := expertevents.Register(registry); err != nil {
		return nil, err
	}
	repo, err := adapters.NewExperts(deps.Store, registry, deps.MasterKey)
	if err != nil {
		return nil, err
	}
	reads := adapters.NewReads(deps.Store.Pool())
	commands, err := app.New(app.Deps{Experts: repo, Institutions: adapters.NewInstitutions(deps.Store, registry),
		Requests: adapters.NewRequests(deps.Store, registry), Reads: reads, RequestReads: reads, Tokens: deps.Tokens}, cfg.App)
	if err != nil {
		return nil, err
	}
	return &Service{Commands: commands, HTTP: ports.Handler(commands, deps.Tokens, deps.Logger), interval: cfg.RetentionInterval,
		logger: deps.Logger.With("component", "retention")}, nil
}

// Run runs the retention clock until ctx ends: a failure is logged and retried at the
// next look.
func (s *Service) Run(ctx context.Context) error {
	return due.Run(ctx, due.Loop{Interval: s.interval, Logger: s.logger}, func(ctx context.Context) (time.Time, error) {
		reminded, erased, err := s.Commands.ApplyRetention(ctx)
		if reminded+erased > 0 {
			s.logger.Info("retention applied", "reminded", reminded, "erased", erased)
		}
		return time.Time{}, err
	})
}
