package process

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"os/signal"
	"strconv"
	"syscall"
	"time"

	"golang.org/x/sync/errgroup"

	"passerelle.dev/events/eventstore"
	"passerelle.dev/kernel/pgmigrate"
)

// Parts are what a service process runs: its HTTP API and, when it has projections,
// the loop that keeps them.
type Parts struct {
	HTTP http.Handler
	// Run keeps the service's projections until ctx ends; nil when it has none.
	Run func(ctx context.Context) error
}

// Build assembles a service's parts over the opened runtime; notifications wake its
// projections (Main runs them).
type Build func(c Common, rt *Runtime, notifications *eventstore.Notifications) (Parts, error)

// Main is the whole of a service binary: configuration from the environment (Common,
// and PORT defaulting to defaultPort), a migrated database, the service's parts, until
// SIGINT or SIGTERM. It exits the process with status 1 on failure.
func Main(name string, defaultPort int, migrations []pgmigrate.Set, build Build) {
	if err := run(name, defaultPort, migrations, build); err != nil {
		fmt.Fprintln(os.Stderr, name+":", err)
		os.Exit(1)
	}
}

type serviceConfig struct {
	Common
	Port int `env:"PORT"`
}

func run(name string, defaultPort int, migrations []pgmigrate.Set, build Build) error {
	cfg, err := LoadConfig[serviceConfig]()
	if err != nil {
		return err
	}
	if cfg.Port == 0 {
		cfg.Port = defaultPort
	}
	logger, err := NewLogger(cfg.Common, os.Stderr)
	if err != nil {
		return err
	}
	logger = logger.With("service", name)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	startCtx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	rt, err := Open(startCtx, cfg.Common, logger, migrations...)
	if err != nil {
		return err
	}
	defer rt.Close()
	notifications := eventstore.NewNotifications(rt.Pool, logger)
	parts, err := build(cfg.Common, rt, notifications)
	if err != nil {
		return err
	}
	group, ctx := errgroup.WithContext(ctx)
	if parts.Run != nil {
		group.Go(func() error { return notifications.Run(ctx) })
		group.Go(func() error { return parts.Run(ctx) })
	}
	group.Go(func() error { return ServeHTTP(ctx, ":"+strconv.Itoa(cfg.Port), parts.HTTP, logger) })
	return group.Wait()
}
