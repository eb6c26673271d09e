// Command gateway runs the GraphQL gateway on its own: it keeps its read models from the
// event log and calls the directory service at DIRECTORY_URL, the sessions service at
// SESSIONS_URL and the proposals service at PROPOSALS_URL.
//
// Configuration (environment): DATABASE_URL, DIRECTORY_URL, SESSIONS_URL and
// PROPOSALS_URL (required), NOTIFICATIONS_URL (the admins' mailbox), EXPERTS_URL (the
// skills roster), PORT (default
// 8080), PASSERELLE_SECRET or PASSERELLE_DATA_DIR, LOG_LEVEL, LOG_FORMAT, and the
// PASSERELLE_GRAPHQL_* limits listed in the README.
package main

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"os/signal"
	"strconv"
	"syscall"
	"time"

	// Sessions are given in their city's time zone: the zone database goes in the binary,
	// so that a container without one still tells Brussels from London.
	_ "time/tzdata"

	"golang.org/x/sync/errgroup"

	directoryclient "passerelle.dev/directory/client"
	"passerelle.dev/events/eventstore"
	expertsapp "passerelle.dev/experts/app"
	expertsclient "passerelle.dev/experts/client"
	"passerelle.dev/graph/gateway"
	"passerelle.dev/kernel/pgmigrate"
	notificationsapp "passerelle.dev/notifications/app"
	notificationsclient "passerelle.dev/notifications/client"
	proposalsclient "passerelle.dev/proposals/client"
	"passerelle.dev/servicekit/process"
	sessionsclient "passerelle.dev/sessions/client"
)

type config struct {
	process.Common
	Port         int    `env:"PORT" envDefault:"8080"`
	DirectoryURL string `env:"DIRECTORY_URL"`
	SessionsURL  string `env:"SESSIONS_URL"`
	ProposalsURL string `env:"PROPOSALS_URL"`
	// NotificationsURL is the notifications service, for the admins' mailbox; optional.
	NotificationsURL string `env:"NOTIFICATIONS_URL"`
	// ExpertsURL is the experts service, for the skills roster; optional.
	ExpertsURL string `env:"EXPERTS_URL"`
	Gateway    gateway.Config
}

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "gateway:", err)
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
	logger = logger.With("service", "gateway")
	if cfg.DirectoryURL == "" || cfg.SessionsURL == "" || cfg.ProposalsURL == "" {
		return errors.New("DIRECTORY_URL, SESSIONS_URL and PROPOSALS_URL are required (or run everything in one process with `passerelle serve`)")
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	startCtx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	rt, err := process.Open(startCtx, cfg.Common, logger, append([]pgmigrate.Set{eventstore.Migrations()}, gateway.Migrations()...)...)
	if err != nil {
		return err
	}
	defer rt.Close()
	notifications := eventstore.NewNotifications(rt.Pool, logger)
	hc := &http.Client{Timeout: 30 * time.Second}
	g, err := gateway.New(gateway.Deps{
		Pool: rt.Pool, Store: rt.Store, Notifications: notifications, Tokens: rt.Tokens, Logger: logger,
		Directory: directoryclient.New(cfg.DirectoryURL, rt.Tokens, hc),
		Sessions:  sessionsclient.New(cfg.SessionsURL, rt.Tokens, hc),
		Mail:      mailbox(cfg.NotificationsURL, rt, hc),
		Experts:   experts(cfg.ExpertsURL, rt, hc),
		Proposals: proposalsclient.New(cfg.ProposalsURL, rt.Tokens, hc),
	}, cfg.Gateway)
	if err != nil {
		return err
	}
	group, ctx := errgroup.WithContext(ctx)
	group.Go(func() error { return notifications.Run(ctx) })
	group.Go(func() error { return g.Run(ctx) })
	group.Go(func() error { return process.ServeHTTP(ctx, ":"+strconv.Itoa(cfg.Port), g.Handler(), logger) })
	if addr, h := g.Metrics(); addr != "" {
		group.Go(func() error { return process.ServeHTTP(ctx, addr, h, logger) })
	}
	return group.Wait()
}

// mailbox is the notifications service at url, nil (the mailbox unavailable) without one.
func mailbox(url string, rt *process.Runtime, hc *http.Client) notificationsapp.Commands {
	if url == "" {
		return nil
	}
	return notificationsclient.New(url, rt.Tokens, hc)
}

// experts is the experts service at url, nil (the roster unavailable) without one.
func experts(url string, rt *process.Runtime, hc *http.Client) expertsapp.Commands {
	if url == "" {
		return nil
	}
	return expertsclient.New(url, rt.Tokens, hc)
}
