// Command directory runs the directory service on its own: the association commands over
// HTTP, for a gateway started with DIRECTORY_URL pointing here.
//
// Configuration (environment): DATABASE_URL (required), PORT (default 8081),
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

	"passerelle.dev/directory/app"
	"passerelle.dev/directory/service"
	"passerelle.dev/events/process"
)

type config struct {
	process.Common
	Port int `env:"PORT" envDefault:"8081"`
}

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "directory:", err)
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
	logger = logger.With("service", "directory")
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	startCtx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	rt, err := process.Open(startCtx, cfg.Common, logger, service.Migrations()...)
	if err != nil {
		return err
	}
	defer rt.Close()
	masterKey, err := process.MasterKey(cfg.Common, logger)
	if err != nil {
		return err
	}
	svc, err := service.New(rt.Store, rt.Tokens, masterKey, logger, app.Config{})
	if err != nil {
		return err
	}
	return process.ServeHTTP(ctx, ":"+strconv.Itoa(cfg.Port), svc.HTTP, logger)
}
