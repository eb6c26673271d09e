// Package gateway assembles the GraphQL gateway: the projections that keep its read
// models, the resolvers over them, and the HTTP server. The gateway's own command and
// `passerelle serve` both build it here.
package gateway

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/client_golang/prometheus"
	"golang.org/x/sync/errgroup"

	directoryapp "passerelle.dev/directory/app"
	"passerelle.dev/events"
	"passerelle.dev/events/directoryevents"
	"passerelle.dev/events/eventstore"
	"passerelle.dev/events/projector"
	"passerelle.dev/events/proposalevents"
	"passerelle.dev/events/sessionevents"
	expertsapp "passerelle.dev/experts/app"
	"passerelle.dev/graph/calendar"
	"passerelle.dev/graph/changes"
	"passerelle.dev/graph/projection"
	"passerelle.dev/graph/readmodel"
	"passerelle.dev/graph/resolver"
	"passerelle.dev/graph/schema"
	"passerelle.dev/graph/server"
	"passerelle.dev/graph/tables"
	"passerelle.dev/graph/timetravel"
	"passerelle.dev/graph/web"
	"passerelle.dev/graph/websession"
	"passerelle.dev/kernel/pgmigrate"
	notificationsapp "passerelle.dev/notifications/app"
	proposalsapp "passerelle.dev/proposals/app"
	"passerelle.dev/servicekit/auth"
	sessionsapp "passerelle.dev/sessions/app"
)

// Migrations returns the gateway's schema migrations: its read models, and the browser
// sessions of the web app.
func Migrations() []pgmigrate.Set {
	return []pgmigrate.Set{projection.Migrations(), websession.Migrations()}
}

// Registry returns a registry of every event the gateway projects.
func Registry() (*events.Registry, error) {
	r := events.NewRegistry()
	if err := directoryevents.Register(r); err != nil {
		return nil, err
	}
	if err := sessionevents.Register(r); err != nil {
		return nil, err
	}
	if err := proposalevents.Register(r); err != nil {
		return nil, err
	}
	return r, nil
}

// Owners returns the gateway's projections, each with the tables it owns.
func Owners() []projection.Owner {
	return []projection.Owner{projection.Associations{}, projection.Cities{}, projection.Sessions{}, projection.Series{}, projection.Calls{}, projection.Proposals{}}
}

// Projections returns the gateway's projections.
func Projections() []projector.Projection {
	owners := Owners()
	out := make([]projector.Projection, len(owners))
	for i, o := range owners {
		out[i] = o
	}
	return out
}

// Deps are the gateway's collaborators. All but Logger and Now are required.
type Deps struct {
	Pool          *pgxpool.Pool
	Store         *eventstore.Store
	Notifications *eventstore.Notifications
	Tokens        *auth.Tokens
	Directory     directoryapp.Commands
	Sessions      sessionsapp.Commands
	Proposals     proposalsapp.Commands
	// Mail is the notifications service's mailbox, for admins; nil leaves the mailbox
	// query unavailable.
	Mail notificationsapp.Commands
	// Experts is the skills roster's service; nil leaves its queries and mutations
	// unavailable.
	Experts expertsapp.Commands
	Logger  *slog.Logger
	// Now is the clock of queries (a held session is one that ended). Defaults to
	// time.Now.
	Now func() time.Time
}

// Config tunes the gateway. Zero values take the defaults; the env tags name the
// variables the commands read them from.
type Config struct {
	Server server.Config
	// ConsistencyTimeout bounds how long a mutation waits for the read models.
	// Defaults to 5s.
	ConsistencyTimeout time.Duration `env:"PASSERELLE_CONSISTENCY_TIMEOUT"`
	// PollInterval is the projections' fallback poll when no notification arrives.
	// Defaults to 1s.
	PollInterval time.Duration `env:"PASSERELLE_POLL_INTERVAL"`
}

// Gateway is the assembled gateway.
type Gateway struct {
	deps        Deps
	runner      *projector.Runner
	server      *server.Server
	checkpoints *projector.Checkpoints
	watermarks  *projector.Watermarks
	consistency *projector.Consistency
	changes     *changes.Hub
	names       []string
	registry    *events.Registry

	mu        sync.Mutex
	caughtUp  bool
	startHead *events.Position
}

// New builds the gateway; Run starts its projections, Handler serves it.
func New(deps Deps, cfg Config) (*Gateway, error) {
	if deps.Pool == nil || deps.Store == nil || deps.Notifications == nil || deps.Tokens == nil || deps.Directory == nil || deps.Sessions == nil || deps.Proposals == nil {
		return nil, errors.New("gateway: Pool, Store, Notifications, Tokens, Directory, Sessions and Proposals are required")
	}
	if deps.Now == nil {
		deps.Now = time.Now
	}
	if deps.Logger == nil {
		deps.Logger = slog.Default()
	}
	registry, err := Registry()
	if err != nil {
		return nil, fmt.Errorf("gateway: %w", err)
	}
	projections := Projections()
	names := make([]string, len(projections))
	for i, p := range projections {
		names[i] = p.Name()
	}
	runner, err := projector.NewRunner(projector.Config{
		Pool: deps.Pool, Registry: registry, Notifications: deps.Notifications,
		PollInterval: cfg.PollInterval, Logger: deps.Logger,
	}, projections...)
	if err != nil {
		return nil, fmt.Errorf("gateway: %w", err)
	}
	checkpoints := projector.NewCheckpoints(deps.Pool, deps.Notifications)
	watermarks := projector.NewWatermarks(checkpoints, deps.Notifications, deps.Logger, names...)
	hub := changes.NewHub(deps.Store, checkpoints, deps.Notifications, names, deps.Logger)
	consistency := &projector.Consistency{Checkpoints: checkpoints, Store: deps.Store, Projections: projections,
		Timeout: cfg.ConsistencyTimeout, Logger: deps.Logger,
		// The client's next read must not be answered from before its write.
		Settled: func(ctx context.Context) { _ = watermarks.Refresh(ctx) }}
	// The readers record which tables each request reads: what its answer depends on.
	reads := tables.Recording(deps.Pool)
	sessions := readmodel.NewSessions(reads).KeepingCities(func() (int64, bool) {
		m, ok := watermarks.Of(projection.CitiesName)
		return m.Revision, ok
	})
	res, err := resolver.New(resolver.Deps{
		Associations:     readmodel.NewAssociations(reads),
		Sessions:         sessions,
		Directory:        deps.Directory,
		SessionCommands:  deps.Sessions,
		Proposals:        readmodel.NewProposals(reads),
		ProposalCommands: deps.Proposals,
		Mail:             deps.Mail,
		Experts:          deps.Experts,
		History:          deps.Store,
		Past:             timetravel.New(deps.Pool, deps.Store, registry),
		Stats:            readmodel.NewStats(reads),
		Changes:          hub,
		Consistency:      consistency,
		Logger:           deps.Logger,
		Now:              deps.Now,
	}, resolver.Config{})
	if err != nil {
		return nil, fmt.Errorf("gateway: %w", err)
	}
	g := &Gateway{deps: deps, runner: runner, checkpoints: checkpoints, watermarks: watermarks, consistency: consistency, changes: hub, names: names, registry: registry}
	g.server, err = server.New(server.Deps{
		Resolver: res, Tokens: deps.Tokens, Ready: g.ready, Logger: deps.Logger,
		Calendars:  calendar.NewHandler(sessions, deps.Now, deps.Logger),
		Roster:     sessions,
		Keys:       deps.Directory,
		Metrics:    []prometheus.Collector{newProjectionCollector(names, checkpoints, deps.Store)},
		Sessions:   websession.NewStore(deps.Pool, nil),
		App:        web.Handler(),
		ReadModels: &server.ReadModels{Watermarks: watermarks, Owners: tableOwners(), Version: answersVersion()},
	}, cfg.Server)
	if err != nil {
		return nil, fmt.Errorf("gateway: %w", err)
	}
	return g, nil
}

// Handler serves the gateway's HTTP endpoints.
func (g *Gateway) Handler() http.Handler { return g.server.Handler() }

// Metrics is the /metrics listener's address and handler; addr is empty when /metrics is
// served on the public port (behind a token) instead.
func (g *Gateway) Metrics() (addr string, h http.Handler) {
	return g.server.MetricsAddress(), g.server.MetricsHandler()
}

// Run keeps the read models up to date until ctx is done.
func (g *Gateway) Run(ctx context.Context) error {
	head, err := g.deps.Store.LastCommitted(ctx)
	if err != nil {
		if ctx.Err() != nil {
			return nil // stopped before it started
		}
		return fmt.Errorf("gateway: %w", err)
	}
	g.mu.Lock()
	g.startHead = &head
	g.mu.Unlock()
	group, ctx := errgroup.WithContext(ctx)
	group.Go(func() error { return g.runner.Run(ctx) })
	group.Go(func() error { return g.changes.Run(ctx) })
	group.Go(func() error { return g.watermarks.Run(ctx) })
	group.Go(func() error { g.rebuildOutdated(ctx); return nil })
	return group.Wait()
}

// rebuildOutdated rebuilds, one after the other, the projections whose code is newer
// than their tables, while the current tables keep serving. A failed rebuild is logged
// and leaves the current tables serving: the next start tries again.
func (g *Gateway) rebuildOutdated(ctx context.Context) {
	outdated, err := projection.Outdated(ctx, g.deps.Pool, Owners())
	if err != nil {
		if ctx.Err() == nil {
			g.deps.Logger.Error("could not read the projections' versions", "err", err)
		}
		return
	}
	if len(outdated) == 0 {
		return
	}
	for _, p := range outdated {
		g.deps.Logger.Info("rebuilding a projection for its new version; the current tables keep serving", "projection", p.Name(), "version", p.Version())
	}
	if _, err := g.RebuildAll(ctx, outdated); err != nil && ctx.Err() == nil {
		g.deps.Logger.Error("rebuilding projections failed; their current tables keep serving", "err", err)
	}
}

// Concerned returns the projections a mutation that wrote the event at pos waits for:
// those that handle what it appended.
func (g *Gateway) Concerned(ctx context.Context, pos events.Position) ([]string, error) {
	return g.consistency.Concerned(ctx, pos)
}

// tableOwners maps each read-model table to the projection that writes it.
func tableOwners() map[string]string {
	out := map[string]string{}
	for _, o := range Owners() {
		for _, t := range o.Tables() {
			out[t] = o.Name()
		}
	}
	return out
}

// answersVersion changes with the code that answers queries: the schema and the
// projections' versions. A tag given by another version is never valid.
func answersVersion() string {
	h := sha256.New()
	h.Write([]byte(schema.SDL))
	for _, o := range Owners() {
		fmt.Fprintf(h, "\x00%s=%d", o.Name(), o.Version())
	}
	return hex.EncodeToString(h.Sum(nil)[:8])
}

// Rebuild replays the whole log into fresh tables for p, then swaps them in.
func (g *Gateway) Rebuild(ctx context.Context, p projection.Owner) (projection.RebuildResult, error) {
	return g.rebuilder().Rebuild(ctx, p)
}

// RebuildAll rebuilds the projections in one pass over the log (see
// projection.Rebuilder.RebuildAll).
func (g *Gateway) RebuildAll(ctx context.Context, owners []projection.Owner) ([]projection.RebuildResult, error) {
	return g.rebuilder().RebuildAll(ctx, owners)
}

func (g *Gateway) rebuilder() projection.Rebuilder {
	return projection.Rebuilder{Pool: g.deps.Pool, Store: g.deps.Store, Registry: g.registry, Logger: g.deps.Logger}
}

// ProjectionNames lists the gateway's projections.
func (g *Gateway) ProjectionNames() []string { return append([]string(nil), g.names...) }

type projectionReport struct {
	Position string `json:"position"`
	CaughtUp bool   `json:"caughtUp"`
}

// ready is the gateway's readiness: the database answers, and every projection has
// caught up with the log as it stood when the gateway started (afterwards a projection
// is busy, not unready).
func (g *Gateway) ready(ctx context.Context) (bool, any) {
	report := map[string]any{}
	if err := g.deps.Pool.Ping(ctx); err != nil {
		report["database"] = "unreachable"
		return false, report
	}
	report["database"] = "ok"
	g.mu.Lock()
	startHead, caughtUp := g.startHead, g.caughtUp
	g.mu.Unlock()
	if startHead == nil {
		report["projections"] = "not started"
		return false, report
	}
	cps, err := g.checkpoints.Positions(ctx, g.names...)
	if err != nil {
		report["projections"] = "unreadable"
		return false, report
	}
	all := true
	projections := map[string]projectionReport{}
	for name, cp := range cps {
		ok := caughtUp || !cp.Before(*startHead)
		all = all && ok
		projections[name] = projectionReport{Position: cp.String(), CaughtUp: ok}
	}
	report["projections"] = projections
	if all && !caughtUp {
		g.mu.Lock()
		g.caughtUp = true
		g.mu.Unlock()
	}
	return all, report
}
