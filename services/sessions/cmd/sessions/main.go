// Command sessions runs the sessions service on its own: cities, sessions and
// registrations over HTTP, and the waitlist policy.
//
// Configuration (environment): DATABASE_URL (required), PORT (default 8082),
// PASSERELLE_SECRET or PASSERELLE_DATA_DIR, LOG_LEVEL, LOG_FORMAT.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"strconv"
	"syscall"
	"time"
	// Sessions are given in their city's time zone: the zone database goes in the binary,
	// so that a container without one still tells Brussels from London.
	_ "time/tzdata"

	"golang.org/x/sync/errgroup"

	"passerelle.dev/events/eventstore"
	"passerelle.dev/events/process"
	"passerelle.dev/sessions/app"
	"passerelle.dev/sessions/service"
)

type config struct {
	process.Common
	Port int `env:"PORT" envDefault:"8082"`
}

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "sessions:", err)
		os.Exit(1)
	}
}

func run() error {
	cfg, err := process.LoadConfig[config]()
	if err != nil {
		return err
	}
	logger, err := process.NewLogger(cfg.Common, os.Stderr)
	if err != nil {
		return err
	}
	logger = logger.With("service", "sessions")
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	startCtx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	rt, err := process.Open(startCtx, cfg.Common, logger, service.Migrations()...)
	if err != nil {
		return err
	}
	defer rt.Close()
	notifications := eventstore.NewNotifications(rt.Pool, logger)
	svc, err := service.New(service.Deps{Store: rt.Store, Notifications: notifications, Tokens: rt.Tokens, Logger: logger}, app.Config{})
	if err != nil {
		return err
	}
	group, ctx := errgroup.WithContext(ctx)
	group.Go(func() error { return notifications.Run(ctx) })
	group.Go(func() error { return svc.Run(ctx) })
	group.Go(func() error { return process.ServeHTTP(ctx, ":"+strconv.Itoa(cfg.Port), svc.HTTP, logger) })
	return group.Wait()
}
