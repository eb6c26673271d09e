// Command passerelle runs and operates the platform.
//
//	passerelle serve                       run everything in one process (make run)
//	passerelle migrate                     apply the database migrations and exit
//	passerelle seed --demo | --scale N     load the demo data set, or a generated one
//	passerelle projections rebuild [NAME]  rebuild read models from the event log
//	passerelle token --role ROLE [flags]   print a bearer token
//	passerelle db start|stop|ping|create|drop   PostgreSQL, for tests and scripts
//
// Every command answers -h and --help with what it does, and does nothing else.
// Configuration comes from the environment; see the README.
package main

import (
	"context"
	"encoding/base64"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/url"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	// Sessions are given in their city's time zone: the zone database goes in the binary,
	// so that a container without one still tells Brussels from London.
	_ "time/tzdata"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"passerelle.dev/events"
	"passerelle.dev/infra/localpg"
	"passerelle.dev/infra/platform"
	"passerelle.dev/kernel/pgmigrate"
	"passerelle.dev/servicekit/process"
)

const usage = `usage: passerelle <command> [flags]

commands:
  serve        run the whole platform in one process: the web app on PORT (default
               8080), GraphQL at /graphql, GraphiQL at /graphiql
  migrate      apply the database migrations and exit
  seed         load the demo data set (--demo) or a generated one (--scale N)
  projections  rebuild the gateway's read models from the event log
  token        print a bearer token for an admin, a coordinator or an association
  db           the private PostgreSQL, and databases for scripts and tests

passerelle <command> --help says more about each.
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
		return serve(args[1:], stdout, stderr)
	case "migrate":
		return migrate(args[1:], stdout, stderr)
	case "token":
		return token(args[1:], stdout, stderr)
	case "seed":
		return seed(args[1:], stdout, stderr)
	case "projections":
		return projections(args[1:], stdout, stderr)
	case "db":
		return db(args[1:], stdout, stderr)
	case "help", "-h", "-help", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	fmt.Fprint(stderr, usage)
	return fmt.Errorf("unknown command %q", args[0])
}

// errHelped says a command printed its help as asked: it does nothing else, and exits 0.
var errHelped = errors.New("help printed")

// command is a subcommand's flags with its help: `passerelle NAME --help` prints help
// and the flags to stdout and the command does nothing.
func command(name, help string, stdout, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fs.SetOutput(stdout)
		fmt.Fprint(stdout, help)
		if hasFlags(fs) {
			fmt.Fprintln(stdout, "\nflags:")
			fs.PrintDefaults()
		}
		fs.SetOutput(stderr)
	}
	return fs
}

func hasFlags(fs *flag.FlagSet) bool {
	n := 0
	fs.VisitAll(func(*flag.Flag) { n++ })
	return n > 0
}

// parse reads a command's flags: errHelped after --help, an error for anything it does
// not know (arguments included, unless the command takes them).
func parse(fs *flag.FlagSet, args []string, takesArguments bool) error {
	if err := fs.Parse(args); errors.Is(err, flag.ErrHelp) {
		return errHelped
	} else if err != nil {
		return err
	}
	if !takesArguments && fs.NArg() > 0 {
		return fmt.Errorf("%s takes no argument %q; see passerelle %s --help", fs.Name(), fs.Arg(0), fs.Name())
	}
	return nil
}

// done turns errHelped into success.
func done(err error) error {
	if errors.Is(err, errHelped) {
		return nil
	}
	return err
}

const serveHelp = `usage: passerelle serve

Runs the whole platform in one process: the directory, sessions and proposals
services, the GraphQL gateway with its projections, and the web app. It listens on
PORT (default 8080): the web app at /, GraphQL at /graphql, GraphiQL at /graphiql.

Without DATABASE_URL it starts a private PostgreSQL from the machine's binaries and
keeps its data, the token secret and the master key in PASSERELLE_DATA_DIR
(default .passerelle). See the README for every setting.
`

func serve(args []string, stdout, stderr io.Writer) error {
	if err := parse(command("serve", serveHelp, stdout, stderr), args, false); err != nil {
		return done(err)
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
	return platform.Serve(ctx, cfg, logger)
}

const seedHelp = `usage: passerelle seed --demo | --scale N [--workers W]

--demo loads a small data set drawn from the Dialogue en continu: associations in the
five founding cities, a coordinator for each, sessions, calls and proposals. It prints
the coordinators' and associations' keys to sign in with. What is already there is
kept: loading it again adds only what is missing.

--scale N generates N associations, N/10 sessions with registrations and N/5 proposals
at every stage, through the services' commands (for benchmarks); a rerun adds only what
is missing.

It works on DATABASE_URL, or on the private PostgreSQL (the one a running make run
started, left running).
`

func seed(args []string, stdout, stderr io.Writer) error {
	fs := command("seed", seedHelp, stdout, stderr)
	demo := fs.Bool("demo", false, "load the demo data set")
	scale := fs.Int("scale", 0, "generate N associations, with sessions (N/10) and proposals (N/5) in proportion")
	workers := fs.Int("workers", 8, "with --scale: commands sent at a time")
	if err := parse(fs, args, false); err != nil {
		return done(err)
	}
	if !*demo && *scale <= 0 {
		return errors.New("seed: say what to load: --demo and/or --scale N (see passerelle seed --help)")
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

const projectionsHelp = `usage: passerelle projections rebuild [NAME...]

Rebuilds the gateway's read models (associations, cities, sessions, calls, proposals;
all of them without a NAME) from the whole event log, into fresh tables swapped in at
the end: a running platform keeps serving meanwhile.
`

func projections(args []string, stdout, stderr io.Writer) error {
	fs := command("projections", projectionsHelp, stdout, stderr)
	if err := parse(fs, args, true); err != nil {
		return done(err)
	}
	if fs.NArg() == 0 || fs.Arg(0) != "rebuild" {
		return errors.New("projections: say what to do: projections rebuild [NAME...] (see passerelle projections --help)")
	}
	rebuild := command("projections rebuild", projectionsHelp, stdout, stderr)
	if err := parse(rebuild, fs.Args()[1:], true); err != nil {
		return done(err)
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
	return platform.RebuildProjections(ctx, cfg, logger, rebuild.Args(), stdout)
}

const migrateHelp = `usage: passerelle migrate

Applies the database migrations of every part of the platform and exits (serve also
applies them as it starts). Uses DATABASE_URL, or the private PostgreSQL.
`

func migrate(args []string, stdout, stderr io.Writer) error {
	if err := parse(command("migrate", migrateHelp, stdout, stderr), args, false); err != nil {
		return done(err)
	}
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

const tokenHelp = `usage: passerelle token --role admin|coordinator|association [flags]

Prints a bearer token (a key to sign in with, on the web app or in an Authorization
header). It is signed with the platform's secret: PASSERELLE_SECRET if set, else the
one kept in PASSERELLE_DATA_DIR, else the .passerelle folder of this folder, of a
folder above it, or of the project the binary was built in. It never makes a secret up:
without one it fails and says where it looked.

A coordinator's token acts only while an admin's appointment (appointCoordinator, which
also hands out the token) lasts.
`

func token(args []string, stdout, stderr io.Writer) error {
	fs := command("token", tokenHelp, stdout, stderr)
	role := fs.String("role", "", "admin, coordinator or association")
	city := fs.String("city", "", "the city a coordinator coordinates (london, geneva, …)")
	assoc := fs.String("association", "", "the association id (as GraphQL shows it, or its UUID)")
	subject := fs.String("subject", "", "an opaque name for an admin (default: generated)")
	coordinator := fs.String("coordinator", "", "the id of an appointed coordinator (as GraphQL shows it, or its UUID)")
	ttl := fs.Duration("ttl", 30*24*time.Hour, "how long the token is valid")
	if err := parse(fs, args, false); err != nil {
		return done(err)
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
	if cfg.Secret == "" {
		_, explicit := os.LookupEnv("PASSERELLE_DATA_DIR")
		dir, err := platformDataDir(cfg.DataDir, explicit)
		if err != nil {
			return err
		}
		cfg.DataDir = dir
	}
	tokens, err := process.ExistingTokens(cfg)
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

// platformDataDir finds the folder that holds the platform's secret: the one named by
// PASSERELLE_DATA_DIR when it is set, else dataDir (relative: .passerelle) in this
// folder or one above it, else beside the folder of this binary (bin/../.passerelle).
func platformDataDir(dataDir string, explicit bool) (string, error) {
	has := func(dir string) bool {
		_, err := os.Stat(filepath.Join(dir, "secret"))
		return err == nil
	}
	if explicit || filepath.IsAbs(dataDir) {
		if has(dataDir) {
			return dataDir, nil
		}
		return "", fmt.Errorf("no platform secret in %s (PASSERELLE_DATA_DIR): start the platform once with that folder, or set PASSERELLE_SECRET to the platform's", dataDir)
	}
	var looked []string
	if wd, err := os.Getwd(); err == nil {
		for dir := wd; ; dir = filepath.Dir(dir) {
			candidate := filepath.Join(dir, dataDir)
			looked = append(looked, candidate)
			if has(candidate) {
				return candidate, nil
			}
			if filepath.Dir(dir) == dir {
				break
			}
		}
	}
	if exe, err := os.Executable(); err == nil {
		if exe, err = filepath.EvalSymlinks(exe); err == nil {
			candidate := filepath.Join(filepath.Dir(filepath.Dir(exe)), dataDir)
			looked = append(looked, candidate)
			if has(candidate) {
				return candidate, nil
			}
		}
	}
	return "", fmt.Errorf("no platform secret found (looked in %s): run `make run` (passerelle serve) once in the project folder to make one, "+
		"or set PASSERELLE_SECRET to the platform's secret, or PASSERELLE_DATA_DIR to its folder", strings.Join(looked, ", "))
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
	return events.Actor{}, fmt.Errorf("--role must be admin, coordinator or association, not %q (see passerelle token --help)", role)
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

const dbHelp = `usage: passerelle db <start|stop|ping|create|drop> [flags] [arguments]

  start [--dir D] [--ephemeral]   start the private PostgreSQL (from the machine's
                                  binaries) in D and print its URL; it keeps running
  stop [--dir D]                  stop it
  ping URL                        tell whether the PostgreSQL at URL answers
  create URL NAME                 create database NAME on the server at URL (if it is
                                  not there) and print its URL
  drop URL                        drop the database URL names (it must not be in use)
`

func db(args []string, stdout, stderr io.Writer) error {
	top := command("db", dbHelp, stdout, stderr)
	if err := parse(top, args, true); err != nil {
		return done(err)
	}
	if top.NArg() == 0 {
		return errors.New("db: start, stop, ping, create or drop (see passerelle db --help)")
	}
	sub := top.Arg(0)
	fs := command("db "+sub, dbHelp, stdout, stderr)
	dir := fs.String("dir", ".passerelle", "start, stop: the folder the private server keeps its files in")
	ephemeral := fs.Bool("ephemeral", false, "start: trade durability for speed (test servers)")
	if err := parse(fs, top.Args()[1:], true); err != nil {
		return done(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	switch sub {
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
	case "create":
		if fs.NArg() != 2 {
			return errors.New("db create SERVER_URL NAME")
		}
		dbURL, err := platform.CreateDatabase(ctx, fs.Arg(0), fs.Arg(1))
		if err != nil {
			return err
		}
		fmt.Fprintln(stdout, dbURL)
		return nil
	case "drop":
		if fs.NArg() != 1 {
			return errors.New("db drop DATABASE_URL")
		}
		return dropDatabase(ctx, fs.Arg(0))
	}
	return fmt.Errorf("db: unknown subcommand %q (see passerelle db --help)", sub)
}

// dropDatabase drops the database a URL names, connected to the server's postgres
// database.
func dropDatabase(ctx context.Context, dbURL string) error {
	u, err := url.Parse(dbURL)
	if err != nil {
		return err
	}
	name := strings.TrimPrefix(u.Path, "/")
	if name == "" || name == "postgres" {
		return fmt.Errorf("db drop: %q names no database that may be dropped", dbURL)
	}
	u.Path = "/postgres"
	conn, err := pgx.Connect(ctx, u.String())
	if err != nil {
		return err
	}
	defer conn.Close(context.WithoutCancel(ctx))
	_, err = conn.Exec(ctx, "DROP DATABASE IF EXISTS "+pgx.Identifier{name}.Sanitize()+" WITH (FORCE)")
	return err
}
