// Command passerelle runs and operates the platform.
//
//	passerelle serve                       run everything in one process (make run)
//	passerelle migrate                     apply the database migrations and exit
//	passerelle projections rebuild [NAME]  rebuild read models from the event log
//	passerelle token --role ROLE [flags]   print a bearer token
//	passerelle db start|stop|ping          the private PostgreSQL, for tests and scripts
//
// Configuration comes from the environment; see the README.
package main

import (
	"context"
	"encoding/base64"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"
	// Sessions are given in their city's time zone: the zone database goes in the binary,
	// so that a container without one still tells Brussels from London.
	_ "time/tzdata"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"passerelle.dev/events"
	"passerelle.dev/events/pgmigrate"
	"passerelle.dev/events/process"
	"passerelle.dev/infra/localpg"
	"passerelle.dev/infra/platform"
)

const usage = `usage: passerelle <command> [flags]

commands:
  serve      run the whole platform in one process (GraphQL on PORT, default 8080)
  migrate    apply the database migrations and exit
  projections
             rebuild [NAME...]: rebuild the gateway's read models (associations,
             cities, sessions, calls, proposals; all without a NAME) from the whole
             event log, into fresh tables swapped in at the end: a running platform
             keeps serving meanwhile
  seed       --demo: load a small demo data set (associations, coordinators, sessions,
             calls, proposals) and print tokens to try it; --scale N [--workers W]:
             generate N associations, N/10 sessions with registrations and N/5
             proposals at every stage (for benchmarks); run it with the platform
             stopped (or against DATABASE_URL), then serve
  token      print a bearer token: --role admin|coordinator|association
             [--city london --coordinator ID] [--association ID] [--ttl 720h]
             (a coordinator's token acts only while an admin's appointCoordinator
             appointment lasts; that mutation also hands out the token)
  db         the private PostgreSQL: db start [--dir D] [--ephemeral] (prints its URL),
             db stop [--dir D], db ping URL
`

func main() {
	if err := run(os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "passerelle:", err)
		os.Exit(1)
	}
}

func run(args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return errors.New("no command")
	}
	switch args[0] {
	case "serve":
		return serve(stderr)
	case "migrate":
		return migrate(stderr)
	case "token":
		return token(args[1:], stdout, stderr)
	case "seed":
		return seed(args[1:], stdout, stderr)
	case "projections":
		return projections(args[1:], stdout, stderr)
	case "db":
		return db(args[1:], stdout, stderr)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	fmt.Fprint(stderr, usage)
	return fmt.Errorf("unknown command %q", args[0])
}

func serve(stderr io.Writer) error {
	cfg, err := process.LoadConfig[platform.Config]()
	if err != nil {
		return err
	}
	logger, err := process.NewLogger(cfg.Common, stderr)
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return platform.Serve(ctx, cfg, logger)
}

func seed(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("seed", flag.ContinueOnError)
	fs.SetOutput(stderr)
	demo := fs.Bool("demo", false, "load the demo data set")
	scale := fs.Int("scale", 0, "generate N associations, with sessions (N/10) and proposals (N/5) in proportion")
	workers := fs.Int("workers", 8, "with --scale: commands sent at a time")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if !*demo && *scale <= 0 {
		return errors.New("seed: say what to load: --demo and/or --scale N")
	}
	cfg, err := process.LoadConfig[platform.Config]()
	if err != nil {
		return err
	}
	logger, err := process.NewLogger(cfg.Common, stderr)
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return platform.Seed(ctx, cfg, logger, stdout, platform.SeedOptions{Demo: *demo, Scale: *scale, Workers: *workers})
}

func projections(args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "rebuild" {
		return errors.New("projections: say what to do: projections rebuild [NAME...]")
	}
	cfg, err := process.LoadConfig[platform.Config]()
	if err != nil {
		return err
	}
	logger, err := process.NewLogger(cfg.Common, stderr)
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return platform.RebuildProjections(ctx, cfg, logger, args[1:], stdout)
}

func migrate(stderr io.Writer) error {
	cfg, err := process.LoadConfig[process.Common]()
	if err != nil {
		return err
	}
	logger, err := process.NewLogger(cfg, stderr)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	dbURL, stopDatabase, err := platform.DatabaseURL(ctx, cfg, logger)
	if err != nil {
		return err
	}
	defer stopDatabase()
	pool, err := process.OpenPool(ctx, dbURL, 0, logger)
	if err != nil {
		return err
	}
	defer pool.Close()
	if err := pgmigrate.Apply(ctx, pool, platform.Migrations()...); err != nil {
		return err
	}
	logger.Info("migrations applied")
	return nil
}

func token(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("token", flag.ContinueOnError)
	fs.SetOutput(stderr)
	role := fs.String("role", "", "admin, coordinator or association")
	city := fs.String("city", "", "the city a coordinator coordinates (london, geneva, …)")
	assoc := fs.String("association", "", "the association id (as GraphQL shows it, or its UUID)")
	subject := fs.String("subject", "", "an opaque name for an admin (default: generated)")
	coordinator := fs.String("coordinator", "", "the id of an appointed coordinator (as GraphQL shows it, or its UUID)")
	ttl := fs.Duration("ttl", 30*24*time.Hour, "how long the token is valid")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *role == "coordinator" {
		*subject = *coordinator
	}
	actor, err := actorFor(*role, *city, *assoc, *subject)
	if err != nil {
		return err
	}
	cfg, err := process.LoadConfig[process.Common]()
	if err != nil {
		return err
	}
	logger, err := process.NewLogger(cfg, stderr)
	if err != nil {
		return err
	}
	tokens, err := process.Tokens(cfg, logger)
	if err != nil {
		return err
	}
	tok, err := tokens.Issue(actor, *ttl)
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout, tok)
	return nil
}

func actorFor(role, city, assoc, subject string) (events.Actor, error) {
	if subject == "" && role != "coordinator" {
		subject = role + "-" + uuid.Must(uuid.NewV7()).String()[:8]
	}
	switch role {
	case "admin":
		return events.Actor{Role: events.RoleAdmin, Subject: subject}, nil
	case "coordinator":
		if city == "" {
			return events.Actor{}, errors.New("--city: a coordinator's token names their city")
		}
		id, err := globalOrUUID(subject, "Coordinator")
		if err != nil {
			return events.Actor{}, fmt.Errorf("--coordinator: %w (appoint one with the appointCoordinator mutation)", err)
		}
		return events.Actor{Role: events.RoleCoordinator, City: strings.ToLower(city), Subject: id}, nil
	case "association":
		id, err := associationID(assoc)
		if err != nil {
			return events.Actor{}, err
		}
		return events.Actor{Role: events.RoleAssociation, AssociationID: id, Subject: subject}, nil
	}
	return events.Actor{}, fmt.Errorf("--role must be admin, coordinator or association, not %q", role)
}

// associationID accepts an association's UUID or its GraphQL id.
func associationID(s string) (string, error) {
	id, err := globalOrUUID(s, "Association")
	if err != nil {
		return "", fmt.Errorf("--association %q is not an association id", s)
	}
	return id, nil
}

// globalOrUUID accepts a UUID, or a GraphQL id of the given kind.
func globalOrUUID(s, kind string) (string, error) {
	if id, err := uuid.Parse(s); err == nil {
		return id.String(), nil
	}
	if raw, err := base64.RawURLEncoding.DecodeString(s); err == nil {
		if local, ok := strings.CutPrefix(string(raw), kind+":"); ok {
			if id, err := uuid.Parse(local); err == nil {
				return id.String(), nil
			}
		}
	}
	return "", fmt.Errorf("%q is not the id of a %s", s, strings.ToLower(kind))
}

func db(args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return errors.New("db: start, stop or ping")
	}
	fs := flag.NewFlagSet("db "+args[0], flag.ContinueOnError)
	fs.SetOutput(stderr)
	dir := fs.String("dir", ".passerelle", "the folder the private server keeps its files in")
	ephemeral := fs.Bool("ephemeral", false, "trade durability for speed (test servers)")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	switch args[0] {
	case "start":
		logger, err := process.NewLogger(process.Common{LogLevel: "info"}, stderr)
		if err != nil {
			return err
		}
		srv, err := localpg.Start(ctx, localpg.Config{Dir: *dir, Ephemeral: *ephemeral, Logger: logger})
		if err != nil {
			return err
		}
		// The server keeps running after this command exits; `db stop` stops it.
		fmt.Fprintln(stdout, srv.URL)
		return nil
	case "stop":
		return localpg.StopIn(*dir)
	case "ping":
		if fs.NArg() != 1 {
			return errors.New("db ping URL")
		}
		pingCtx, cancel := context.WithTimeout(ctx, 3*time.Second)
		defer cancel()
		conn, err := pgx.Connect(pingCtx, fs.Arg(0))
		if err != nil {
			return err
		}
		defer conn.Close(ctx)
		return conn.Ping(pingCtx)
	}
	return fmt.Errorf("db: unknown subcommand %q", args[0])
}
