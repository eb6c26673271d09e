// Package platform runs the whole of Passerelle in one process: the services, the
// gateway and its projections, over one PostgreSQL — a private one when DATABASE_URL is
// unset. It is what `passerelle serve` (and `make run`) starts.
package platform

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
	"golang.org/x/sync/errgroup"

	directoryapp "passerelle.dev/directory/app"
	directoryservice "passerelle.dev/directory/service"
	"passerelle.dev/events/eventstore"
	"passerelle.dev/events/pgmigrate"
	"passerelle.dev/events/process"
	"passerelle.dev/graph/gateway"
	"passerelle.dev/infra/localpg"
	proposalsapp "passerelle.dev/proposals/app"
	proposalsservice "passerelle.dev/proposals/service"
	sessionsapp "passerelle.dev/sessions/app"
	sessionsservice "passerelle.dev/sessions/service"
)

// Config is the all-in-one platform's configuration.
type Config struct {
	process.Common
	// Port is the gateway's HTTP port.
	Port    int `env:"PORT" envDefault:"8080"`
	Gateway gateway.Config
}

// Migrations lists every part's migrations, in the order they are applied: each
// service's list starts with the event store's, which is applied once.
func Migrations() []pgmigrate.Set {
	var sets []pgmigrate.Set
	seen := map[string]bool{}
	for _, part := range [][]pgmigrate.Set{directoryservice.Migrations(), sessionsservice.Migrations(), proposalsservice.Migrations(), gateway.Migrations()} {
		for _, set := range part {
			if !seen[set.Schema] {
				seen[set.Schema] = true
				sets = append(sets, set)
			}
		}
	}
	return sets
}

// DatabaseURL returns DATABASE_URL, or starts the private PostgreSQL in DataDir and
// returns the URL of its passerelle database (created on first use), with the function
// that stops the server.
func DatabaseURL(ctx context.Context, c process.Common, logger *slog.Logger) (string, func(), error) {
	if c.DatabaseURL != "" {
		return c.DatabaseURL, func() {}, nil
	}
	srv, err := localpg.Start(ctx, localpg.Config{Dir: c.DataDir, Logger: logger})
	if err != nil {
		return "", nil, err
	}
	stop := func() {
		if err := srv.Stop(); err != nil {
			logger.Error("stopping the private PostgreSQL", "err", err)
		}
	}
	dbURL, err := ensureDatabase(ctx, srv.URL, localDatabase)
	if err != nil {
		stop()
		return "", nil, err
	}
	return dbURL, stop, nil
}

// localDatabase is the database the private server holds the platform's data in.
const localDatabase = "passerelle"

func ensureDatabase(ctx context.Context, serverURL, name string) (string, error) {
	conn, err := pgx.Connect(ctx, serverURL)
	if err != nil {
		return "", fmt.Errorf("connect to the private PostgreSQL: %w", err)
	}
	defer conn.Close(context.WithoutCancel(ctx))
	var exists bool
	if err := conn.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)`, name).Scan(&exists); err != nil {
		return "", err
	}
	if !exists {
		if _, err := conn.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize()); err != nil {
			return "", fmt.Errorf("create database %s: %w", name, err)
		}
	}
	u, err := url.Parse(serverURL)
	if err != nil {
		return "", err
	}
	u.Path = "/" + name
	return u.String(), nil
}

// Serve runs the platform until ctx ends.
func Serve(ctx context.Context, cfg Config, logger *slog.Logger) error {
	startCtx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	dbURL, stopDatabase, err := DatabaseURL(startCtx, cfg.Common, logger)
	if err != nil {
		return err
	}
	defer stopDatabase()
	common := cfg.Common
	common.DatabaseURL = dbURL
	rt, err := process.Open(startCtx, common, logger, Migrations()...)
	if err != nil {
		return err
	}
	defer rt.Close()
	masterKey, err := process.MasterKey(cfg.Common, logger)
	if err != nil {
		return err
	}
	directory, err := directoryservice.New(rt.Store, rt.Tokens, masterKey, logger, directoryapp.Config{})
	if err != nil {
		return err
	}
	notifications := eventstore.NewNotifications(rt.Pool, logger)
	sessions, err := sessionsservice.New(sessionsservice.Deps{
		Store: rt.Store, Notifications: notifications, Tokens: rt.Tokens, Logger: logger.With("service", "sessions"),
	}, sessionsapp.Config{})
	if err != nil {
		return err
	}
	proposals, err := proposalsservice.New(proposalsservice.Deps{
		Store: rt.Store, Notifications: notifications, Tokens: rt.Tokens, Logger: logger.With("service", "proposals"),
	}, proposalsapp.Config{})
	if err != nil {
		return err
	}
	gw, err := gateway.New(gateway.Deps{
		Pool: rt.Pool, Store: rt.Store, Notifications: notifications, Tokens: rt.Tokens,
		Directory: directory.Commands, Sessions: sessions.Commands, Proposals: proposals.Commands, Logger: logger,
	}, cfg.Gateway)
	if err != nil {
		return err
	}

	group, ctx := errgroup.WithContext(ctx)
	group.Go(func() error { return notifications.Run(ctx) })
	group.Go(func() error { return sessions.Run(ctx) })
	group.Go(func() error { return proposals.Run(ctx) })
	group.Go(func() error { return gw.Run(ctx) })
	group.Go(func() error {
		logger.Info("Passerelle is up: GraphiQL on http://localhost:" + strconv.Itoa(cfg.Port) + "/")
		return process.ServeHTTP(ctx, ":"+strconv.Itoa(cfg.Port), gw.Handler(), logger)
	})
	if err := group.Wait(); err != nil && !errors.Is(err, context.Canceled) {
		return err
	}
	return nil
}
