// Package platform runs the whole of Passerelle in one process: the services, the
// gateway and its projections, over one PostgreSQL — a private one when DATABASE_URL is
// unset. It is what `passerelle serve` (and `make run`) starts.
package platform

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"golang.org/x/sync/errgroup"

	directoryapp "passerelle.dev/directory/app"
	directoryservice "passerelle.dev/directory/service"
	"passerelle.dev/events/eventstore"
	"passerelle.dev/events/sessionevents"
	expertsapp "passerelle.dev/experts/app"
	expertsservice "passerelle.dev/experts/service"
	"passerelle.dev/graph/gateway"
	"passerelle.dev/graph/projection"
	"passerelle.dev/infra/localpg"
	"passerelle.dev/kernel/pgmigrate"
	notificationsadapters "passerelle.dev/notifications/adapters"
	notificationsservice "passerelle.dev/notifications/service"
	proposalsapp "passerelle.dev/proposals/app"
	proposalsservice "passerelle.dev/proposals/service"
	"passerelle.dev/servicekit/process"
	sessionsapp "passerelle.dev/sessions/app"
	sessionsservice "passerelle.dev/sessions/service"
)

// Config is the all-in-one platform's configuration.
type Config struct {
	process.Common
	// Port is the gateway's HTTP port.
	Port int `env:"PORT" envDefault:"8080"`
	// ClockOffset runs the platform's clock this far ahead of the machine's (or behind,
	// negative): for end-to-end tests and demonstrations that need a session to be over.
	// Never set in production.
	ClockOffset time.Duration `env:"PASSERELLE_CLOCK_OFFSET"`
	Gateway     gateway.Config
	// Notifications configures mail: SMTP, or the mail folder in the data directory.
	Notifications notificationsservice.Config
}

// clock is the platform's clock: the machine's, moved by offset.
func clock(offset time.Duration) func() time.Time {
	if offset == 0 {
		return time.Now
	}
	return func() time.Time { return time.Now().Add(offset) }
}

// Migrations lists every part's migrations, in the order they are applied: each
// service's list starts with the event store's, which is applied once.
func Migrations() []pgmigrate.Set {
	var sets []pgmigrate.Set
	seen := map[string]bool{}
	for _, part := range [][]pgmigrate.Set{directoryservice.Migrations(), sessionsservice.Migrations(), proposalsservice.Migrations(),
		notificationsservice.Migrations(), expertsservice.Migrations(), gateway.Migrations()} {
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
//
// A private server already running in DataDir (a `make run` in another terminal, while
// `make demo` loads its data) is used as it is and left running: starting one anew would
// stop it under the process that runs it.
func DatabaseURL(ctx context.Context, c process.Common, logger *slog.Logger) (string, func(), error) {
	if c.DatabaseURL != "" {
		return c.DatabaseURL, func() {}, nil
	}
	if running, ok := localpg.Running(c.DataDir); ok && answers(ctx, running) {
		logger.Info("using the private PostgreSQL already running in " + c.DataDir)
		dbURL, err := ensureDatabase(ctx, running, localDatabase)
		return dbURL, func() {}, err
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

// answers tells whether the PostgreSQL at url takes a connection within a second.
func answers(ctx context.Context, url string) bool {
	ctx, cancel := context.WithTimeout(ctx, time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		return false
	}
	defer conn.Close(context.WithoutCancel(ctx))
	return conn.Ping(ctx) == nil
}

// localDatabase is the database the private server holds the platform's data in.
const localDatabase = "passerelle"

// CreateDatabase creates database name on the server at serverURL unless it is there,
// and returns its URL: for scripts that give a test run a database of its own.
func CreateDatabase(ctx context.Context, serverURL, name string) (string, error) {
	return ensureDatabase(ctx, serverURL, name)
}

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

// assembled is the platform in one process: its database, services and gateway.
type assembled struct {
	rt            *process.Runtime
	notifications *eventstore.Notifications
	directory     *directoryservice.Service
	sessions      *sessionsservice.Service
	proposals     *proposalsservice.Service
	mail          *notificationsservice.Service
	experts       *expertsservice.Service
	gateway       *gateway.Gateway
}

func (a *assembled) services() Services {
	return Services{Directory: a.directory.Commands, Sessions: a.sessions.Commands, Proposals: a.proposals.Commands}
}

// assemble opens the database (the private one when DATABASE_URL is unset), applies the
// migrations and builds every part; close stops the database.
func assemble(ctx context.Context, cfg Config, logger *slog.Logger) (a *assembled, closeAll func(), err error) {
	startCtx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	dbURL, stopDatabase, err := DatabaseURL(startCtx, cfg.Common, logger)
	if err != nil {
		return nil, nil, err
	}
	common := cfg.Common
	common.DatabaseURL = dbURL
	rt, err := process.Open(startCtx, common, logger, Migrations()...)
	if err != nil {
		stopDatabase()
		return nil, nil, err
	}
	closer := func() { rt.Close(); stopDatabase() }
	closeAll = closer
	defer func() {
		if err != nil {
			// The failing return has set closeAll to nil: close with the local copy.
			closer()
		}
	}()
	masterKey, err := process.MasterKey(cfg.Common, logger)
	if err != nil {
		return nil, nil, err
	}
	a = &assembled{rt: rt, notifications: eventstore.NewNotifications(rt.Pool, logger)}
	now := clock(cfg.ClockOffset)
	if cfg.ClockOffset != 0 {
		logger.Warn("the platform's clock is moved from the machine's (PASSERELLE_CLOCK_OFFSET): for tests only", "offset", cfg.ClockOffset.String())
	}
	if a.directory, err = directoryservice.New(directoryservice.Deps{Store: rt.Store, Notifications: a.notifications, Tokens: rt.Tokens,
		MasterKey: masterKey, Logger: logger.With("service", "directory")}, directoryservice.Config{App: directoryapp.Config{Now: now, ReplayWindow: cfg.Common.KeyReplayWindow}}); err != nil {
		return nil, nil, err
	}
	if a.sessions, err = sessionsservice.New(sessionsservice.Deps{
		Store: rt.Store, Notifications: a.notifications, Tokens: rt.Tokens, Logger: logger.With("service", "sessions"),
	}, sessionsservice.Config{App: sessionsapp.Config{Now: now, ReplayWindow: cfg.Common.KeyReplayWindow}}); err != nil {
		return nil, nil, err
	}
	if a.proposals, err = proposalsservice.New(proposalsservice.Deps{
		Store: rt.Store, Notifications: a.notifications, Tokens: rt.Tokens, Logger: logger.With("service", "proposals"),
	}, proposalsservice.Config{App: proposalsapp.Config{Now: now}}); err != nil {
		return nil, nil, err
	}
	if a.experts, err = expertsservice.New(expertsservice.Deps{Store: rt.Store, Tokens: rt.Tokens, MasterKey: masterKey,
		Logger: logger.With("service", "experts")}, expertsservice.Config{App: expertsapp.Config{Now: now, ReplayWindow: cfg.Common.KeyReplayWindow}}); err != nil {
		return nil, nil, err
	}
	if _, set := os.LookupEnv("PASSERELLE_PUBLIC_URL"); !set {
		// Links in messages lead to this platform's own port.
		cfg.Notifications.PublicURL = fmt.Sprintf("http://localhost:%d", cfg.Port)
	}
	// Mail keeps the machine's clock: what is due and what is recent are read against
	// the database's times, which the platform's clock offset does not move.
	if a.mail, err = notificationsservice.New(notificationsservice.Deps{
		Store: rt.Store, Notifications: a.notifications, Tokens: rt.Tokens, DataDir: cfg.DataDir,
		Contacts: notificationsadapters.DirectoryContacts{Directory: a.directory.Commands},
		Experts:  notificationsadapters.ExpertsAddresses{Experts: a.experts.Commands}, Logger: logger.With("service", "notifications"),
	}, cfg.Notifications); err != nil {
		return nil, nil, err
	}
	if dir := a.mail.MailDir(); dir != "" {
		logger.Info("no SMTP server (PASSERELLE_SMTP_HOST): mail goes to the folder " + dir + ", and admins read it in the web app")
	}
	if a.gateway, err = gateway.New(gateway.Deps{
		Pool: rt.Pool, Store: rt.Store, Notifications: a.notifications, Tokens: rt.Tokens,
		Directory: a.directory.Commands, Sessions: a.sessions.Commands, Proposals: a.proposals.Commands,
		Mail: a.mail.Commands, Experts: a.experts.Commands, Logger: logger, Now: now,
	}, cfg.Gateway); err != nil {
		return nil, nil, err
	}
	return a, closeAll, nil
}

// runServices runs the notifications and the services' projections in group.
func (a *assembled) runServices(ctx context.Context, group *errgroup.Group) {
	group.Go(func() error { return a.notifications.Run(ctx) })
	group.Go(func() error { return a.directory.Run(ctx) })
	group.Go(func() error { return a.sessions.Run(ctx) })
	group.Go(func() error { return a.proposals.Run(ctx) })
	group.Go(func() error { return a.mail.Run(ctx) })
	group.Go(func() error { return a.experts.Run(ctx) })
}

// Serve runs the platform until ctx ends.
func Serve(ctx context.Context, cfg Config, logger *slog.Logger) error {
	a, closeAll, err := assemble(ctx, cfg, logger)
	if err != nil {
		return err
	}
	defer closeAll()
	group, ctx := errgroup.WithContext(ctx)
	a.runServices(ctx, group)
	group.Go(func() error { return a.gateway.Run(ctx) })
	group.Go(func() error {
		logger.Info("Passerelle is up: the web app on http://localhost:" + strconv.Itoa(cfg.Port) + "/, GraphiQL on http://localhost:" + strconv.Itoa(cfg.Port) + "/graphiql")
		return process.ServeHTTP(ctx, ":"+strconv.Itoa(cfg.Port), a.gateway.Handler(), logger)
	})
	if addr, h := a.gateway.Metrics(); addr != "" {
		group.Go(func() error { return process.ServeHTTP(ctx, addr, h, logger) })
	}
	if err := group.Wait(); err != nil && !errors.Is(err, context.Canceled) {
		return err
	}
	return nil
}

// SeedOptions say what Seed loads.
type SeedOptions struct {
	// Demo loads the demo data set (SeedDemo).
	Demo bool
	// Scale, when positive, generates that many associations with sessions and
	// proposals in proportion (SeedScale), Workers commands at a time (default 8).
	Scale, Workers int
}

// Seed loads the demo data set (see SeedDemo) and prints the keys to try it with,
// and/or a generated data set of a given scale (SeedScale), on DATABASE_URL or the
// private PostgreSQL (a running platform's, left running: see DatabaseURL).
func Seed(ctx context.Context, cfg Config, logger *slog.Logger, out io.Writer, opts SeedOptions) error {
	a, closeAll, err := assemble(ctx, cfg, logger)
	if err != nil {
		return err
	}
	defer closeAll()
	runCtx, stop := context.WithCancel(ctx)
	group, runCtx := errgroup.WithContext(runCtx)
	a.runServices(runCtx, group)
	seeded := func() error {
		defer stop()
		// The sessions service opens the founding cities as it starts.
		deadline := time.Now().Add(30 * time.Second)
		for {
			v, err := a.rt.Store.StreamVersion(ctx, sessionevents.CityStreamID("washington"))
			if err != nil {
				return err
			}
			if v > 0 {
				break
			}
			if time.Now().After(deadline) {
				return errors.New("the founding cities were not opened within 30 s")
			}
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-time.After(20 * time.Millisecond):
			}
		}
		if opts.Scale > 0 {
			if opts.Workers <= 0 {
				opts.Workers = 8
			}
			if _, err := SeedScale(ctx, a.services(), opts.Scale, opts.Workers, time.Now(), out); err != nil {
				return err
			}
		}
		if !opts.Demo {
			return nil
		}
		creds, err := SeedDemo(ctx, a.services(), a.rt.Tokens, time.Now(), out)
		if err != nil {
			return err
		}
		fmt.Fprintln(out, "\nKeys to sign in with (on the web app's sign-in page, or as a bearer token):")
		for _, city := range sortedKeys(creds.Coordinators) {
			fmt.Fprintf(out, "coordinator of %s: %s\n", city, creds.Coordinators[city])
		}
		for _, name := range sortedKeys(creds.Associations) {
			fmt.Fprintf(out, "%s: %s\n", name, creds.Associations[name])
		}
		return nil
	}()
	if err := group.Wait(); err != nil && !errors.Is(err, context.Canceled) {
		return err
	}
	return seeded
}

// RebuildProjections rebuilds the gateway's projections named (by name, e.g.
// graph.sessions, or by their first table, e.g. sessions; all when names is empty)
// from the whole event log, each into fresh tables swapped in at the end: a running
// platform keeps serving meanwhile. With DATABASE_URL unset it works on the private
// PostgreSQL, the one a running `make run` uses if there is one (see DatabaseURL). It
// writes a line per projection to out.
func RebuildProjections(ctx context.Context, cfg Config, logger *slog.Logger, names []string, out io.Writer) error {
	owners, err := gatewayOwners(names)
	if err != nil {
		return err
	}
	a, closeAll, err := assemble(ctx, cfg, logger)
	if err != nil {
		return err
	}
	defer closeAll()
	results, err := a.gateway.RebuildAll(ctx, owners)
	if err != nil {
		return err
	}
	for i, res := range results {
		rate := float64(res.Events) / res.Took.Seconds()
		fmt.Fprintf(out, "%s: %d events replayed (%d skipped), swapped in after %s (%.0f events/s); now at %s\n",
			owners[i].Name(), res.Events, res.Skipped, res.Took.Round(time.Millisecond), rate, res.Position)
	}
	return nil
}

// gatewayOwners picks the gateway's projections named.
func gatewayOwners(names []string) ([]projection.Owner, error) {
	all := gateway.Owners()
	if len(names) == 0 {
		return all, nil
	}
	var out []projection.Owner
	for _, n := range names {
		found := false
		for _, p := range all {
			if n == p.Name() || n == p.Tables()[0] {
				out, found = append(out, p), true
				break
			}
		}
		if !found {
			known := make([]string, len(all))
			for i, p := range all {
				known[i] = p.Tables()[0]
			}
			return nil, fmt.Errorf("no projection %q; the projections are %s", n, strings.Join(known, ", "))
		}
	}
	return out, nil
}
