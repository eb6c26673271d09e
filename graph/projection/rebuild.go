package projection

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"golang.org/x/sync/errgroup"

	"passerelle.dev/events"
	"passerelle.dev/events/eventstore"
	"passerelle.dev/events/projector"
	"passerelle.dev/graph/tables"
)

// ErrRebuildRunning is returned when another process is rebuilding the same projection.
var ErrRebuildRunning = errors.New("projection: a rebuild of this projection is already running")

// Rebuilder replays the whole event log into fresh copies of a projection's tables,
// beside the serving ones, which keep answering queries (and the projection keeps them
// up to date) all along; then it swaps the copies in, in one short transaction.
type Rebuilder struct {
	Pool     *pgxpool.Pool
	Store    *eventstore.Store
	Registry *events.Registry
	Logger   *slog.Logger
	// Page is how many events one read of the log returns (the streams' pages a fold
	// reads, and the swap's catch-up). Defaults to 5000.
	Page int
	// LockTimeout bounds the wait of the swap for the serving tables (a long query may
	// hold them); the swap is then tried again, up to SwapAttempts times. Default 2s, 10.
	LockTimeout  time.Duration
	SwapAttempts int
	// IndexMemory is the maintenance_work_mem each index build may use once the copies
	// are loaded, and IndexWorkers how many indexes of a projection are built at once,
	// each on a connection of its own (the projections build theirs side by side).
	// Defaults: 256MB, 2.
	IndexMemory  string
	IndexWorkers int
}

// RebuildResult tells what a rebuild did.
type RebuildResult struct {
	projector.RebuildResult
	// Took is how long the whole rebuild took, swap included.
	Took time.Duration
}

var notIdentifier = regexp.MustCompile(`[^a-z0-9_]+`)

// rebuildSchema is the schema a projection is rebuilt in.
func rebuildSchema(p Owner) string {
	return "rebuild_" + notIdentifier.ReplaceAllString(strings.ToLower(p.Name()), "_")
}

// Rebuild rebuilds p from the whole log and swaps the result in. On failure the serving
// tables are untouched and the copies are dropped.
func (r Rebuilder) Rebuild(ctx context.Context, p Owner) (RebuildResult, error) {
	res, err := r.RebuildAll(ctx, []Owner{p})
	if err != nil {
		return RebuildResult{}, err
	}
	return res[0], nil
}

// rebuilding is one projection being rebuilt: its connection (which holds the lock that
// lets one rebuild of a projection run at a time, across processes), its copies and how
// far they got.
type rebuilding struct {
	p      Owner
	schema string
	conn   *pgxpool.Conn
	res    RebuildResult
}

func (b *rebuilding) ident() string { return pgx.Identifier{b.schema}.Sanitize() }

// RebuildAll rebuilds the projections from the whole log, which is read once: each
// projection reads its own streams, folds them in memory and copies the rows into its
// copies (see bulk.go), then indexes them and swaps them in, side by side with the
// others. If one fails, the projections not swapped in yet keep their serving tables,
// and their copies are dropped.
//
// Each projection holds a connection of the pool for the whole rebuild, and its reads,
// its second copier and its index builds take more for a while: with a small pool, the
// projections are rebuilt a few at a time, and wait for connections.
func (r Rebuilder) RebuildAll(ctx context.Context, owners []Owner) ([]RebuildResult, error) {
	r.defaults()
	at := max(1, int(r.Pool.Config().MaxConns)-2)
	var out []RebuildResult
	for len(owners) > 0 {
		n := min(at, len(owners))
		res, err := r.rebuildTogether(ctx, owners[:n])
		if err != nil {
			return nil, err
		}
		out, owners = append(out, res...), owners[n:]
	}
	return out, nil
}

func (r Rebuilder) rebuildTogether(ctx context.Context, owners []Owner) ([]RebuildResult, error) {
	began := time.Now()
	all := make([]*rebuilding, 0, len(owners))
	defer func() {
		for _, b := range all {
			if b.conn == nil {
				continue
			}
			if _, err := b.conn.Exec(context.WithoutCancel(ctx), `DROP SCHEMA IF EXISTS `+b.ident()+` CASCADE`); err != nil {
				r.Logger.Warn("could not drop the rebuild's tables", "projection", b.p.Name(), "schema", b.schema, "err", err)
			}
			_, _ = b.conn.Exec(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock(hashtext($1))`, b.schema)
			b.conn.Release()
		}
	}()
	for _, p := range owners {
		b := &rebuilding{p: p, schema: rebuildSchema(p)}
		if err := r.prepare(ctx, b); err != nil {
			if b.conn != nil {
				all = append(all, b)
			}
			return nil, fmt.Errorf("projection: rebuild %s: %w", p.Name(), err)
		}
		all = append(all, b)
	}

	// The copies are filled from the log up to where it stands now; the swap catches up
	// with what comes after. Each projection is loaded, indexed and swapped in on its
	// own connections, side by side with the others.
	head, err := r.Store.Head(ctx)
	if err != nil {
		return nil, fmt.Errorf("projection: rebuild: %w", err)
	}
	out := make([]RebuildResult, len(all))
	g, gctx := errgroup.WithContext(ctx)
	for i, b := range all {
		g.Go(func() error {
			if err := r.bulkLoad(gctx, b, head); err != nil {
				return fmt.Errorf("projection: rebuild %s: %w", b.p.Name(), err)
			}
			r.Logger.Info("the copies hold the log up to its head", "projection", b.p.Name(), "head", head.String(),
				"took", time.Since(began))
			if err := r.finish(gctx, b); err != nil {
				return fmt.Errorf("projection: rebuild %s: %w", b.p.Name(), err)
			}
			// Swapped: nothing left to drop.
			_, _ = b.conn.Exec(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock(hashtext($1))`, b.schema)
			b.conn.Release()
			b.conn = nil
			b.res.Took = time.Since(began)
			out[i] = b.res
			r.Logger.Info("projection rebuilt", "projection", b.p.Name(), "events", b.res.Events, "skipped", b.res.Skipped,
				"position", b.res.Position.String(), "took", b.res.Took)
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	return out, nil
}

// prepare takes b's connection and lock, and creates its copies.
func (r Rebuilder) prepare(ctx context.Context, b *rebuilding) error {
	conn, err := r.Pool.Acquire(ctx)
	if err != nil {
		return err
	}
	var locked bool
	if err := conn.QueryRow(ctx, `SELECT pg_try_advisory_lock(hashtext($1))`, b.schema).Scan(&locked); err != nil {
		conn.Release()
		return err
	}
	if !locked {
		conn.Release()
		return fmt.Errorf("%w: %s", ErrRebuildRunning, b.p.Name())
	}
	b.conn = conn
	return pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `DROP SCHEMA IF EXISTS `+b.ident()+` CASCADE`); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `CREATE SCHEMA `+b.ident()); err != nil {
			return err
		}
		return tables.Copy(ctx, tx, b.schema, b.p.Tables(), tables.CopyOptions{WithoutKeys: true})
	})
}

// finish adds the keys and indexes to b's copies, then swaps them in.
func (r Rebuilder) finish(ctx context.Context, b *rebuilding) error {
	indexing := time.Now()
	if err := r.index(ctx, b); err != nil {
		return fmt.Errorf("index: %w", err)
	}
	r.Logger.Info("keys and indexes built", "projection", b.p.Name(), "took", time.Since(indexing))
	var err error
	for attempt := 1; ; attempt++ {
		err = pgx.BeginFunc(ctx, b.conn, func(tx pgx.Tx) error { return r.swap(ctx, tx, b.schema, b.p, &b.res.RebuildResult) })
		var pgErr *pgconn.PgError
		if err == nil || !errors.As(err, &pgErr) || pgErr.Code != "55P03" || attempt == r.SwapAttempts {
			break
		}
		r.Logger.Info("the serving tables are busy; trying the swap again", "projection", b.p.Name(), "attempt", attempt)
	}
	if err != nil {
		return fmt.Errorf("swap: %w", err)
	}
	return nil
}

// index adds the keys to b's copies, then their indexes, built once over all the rows
// rather than kept up to date row by row, IndexWorkers at a time (the associations'
// GIN indexes take seconds each), each with IndexMemory to sort in; then analyzes them.
func (r Rebuilder) index(ctx context.Context, b *rebuilding) error {
	withMemory := func(conn *pgxpool.Conn, fn func(tx pgx.Tx) error) error {
		return pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
			if _, err := tx.Exec(ctx, `SELECT set_config('maintenance_work_mem', $1, true)`, r.IndexMemory); err != nil {
				return err
			}
			return fn(tx)
		})
	}
	if err := withMemory(b.conn, func(tx pgx.Tx) error { return tables.Keys(ctx, tx, b.schema, b.p.Tables()) }); err != nil {
		return err
	}
	defs, err := tables.Indexes(ctx, b.conn, b.schema, b.p.Tables())
	if err != nil {
		return err
	}
	next := make(chan string, len(defs))
	for _, d := range defs {
		next <- d
	}
	close(next)
	g, gctx := errgroup.WithContext(ctx)
	for w := range min(r.IndexWorkers, len(defs)) {
		g.Go(func() error {
			conn := b.conn
			if w > 0 {
				var err error
				if conn, err = r.Pool.Acquire(gctx); err != nil {
					return err
				}
				defer conn.Release()
			}
			for def := range next {
				if err := withMemory(conn, func(tx pgx.Tx) error { _, err := tx.Exec(gctx, def); return err }); err != nil {
					return fmt.Errorf("%s: %w", def, err)
				}
			}
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return err
	}
	for _, t := range b.p.Tables() {
		if _, err := b.conn.Exec(ctx, `ANALYZE `+b.ident()+`.`+pgx.Identifier{t}.Sanitize()); err != nil {
			return err
		}
	}
	return nil
}

func (r *Rebuilder) defaults() {
	if r.Logger == nil {
		r.Logger = slog.Default()
	}
	if r.Page <= 0 {
		r.Page = 5000
	}
	if r.LockTimeout <= 0 {
		r.LockTimeout = 2 * time.Second
	}
	if r.SwapAttempts <= 0 {
		r.SwapAttempts = 10
	}
	if r.IndexMemory == "" {
		r.IndexMemory = "256MB"
	}
	if r.IndexWorkers <= 0 {
		r.IndexWorkers = 2
	}
}

// swap catches the copies up with the log while holding the projection's position (the
// serving projection waits), then drops the serving tables and moves the copies in, and
// sets the position to the last event the copies hold.
func (r Rebuilder) swap(ctx context.Context, tx pgx.Tx, schema string, p Owner, res *projector.RebuildResult) error {
	if _, err := tx.Exec(ctx, `SELECT set_config('lock_timeout', $1, true)`, strconv.FormatInt(r.LockTimeout.Milliseconds(), 10)); err != nil {
		return err
	}
	if _, err := projector.HoldPosition(ctx, tx, p.Name()); err != nil {
		return err
	}
	caughtUp := *res
	for {
		recs, err := r.Store.ReadAllIn(ctx, tx, caughtUp.Position, r.Page)
		if err != nil {
			return err
		}
		if len(recs) == 0 {
			break
		}
		if err := r.applyAll(ctx, tx, schema, p, recs, nil, &caughtUp); err != nil {
			return err
		}
	}
	serving := make([]string, len(p.Tables()))
	for i, t := range p.Tables() {
		serving[i] = tables.Serving + "." + pgx.Identifier{t}.Sanitize()
	}
	if _, err := tx.Exec(ctx, `LOCK TABLE `+strings.Join(serving, ", ")+` IN ACCESS EXCLUSIVE MODE`); err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, `DROP TABLE `+strings.Join(serving, ", ")); err != nil {
		return err
	}
	ident := pgx.Identifier{schema}.Sanitize()
	for _, t := range p.Tables() {
		if _, err := tx.Exec(ctx, `ALTER TABLE `+ident+`.`+pgx.Identifier{t}.Sanitize()+` SET SCHEMA `+tables.Serving); err != nil {
			return err
		}
	}
	if _, err := tx.Exec(ctx, `DROP SCHEMA `+ident); err != nil {
		return err
	}
	if err := projector.SetPosition(ctx, tx, p.Name(), caughtUp.Position); err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, `INSERT INTO graph.projection_versions (name, version, rebuilt_at) VALUES ($1, $2, now())
		ON CONFLICT (name) DO UPDATE SET version = excluded.version, rebuilt_at = excluded.rebuilt_at`, p.Name(), p.Version()); err != nil {
		return err
	}
	*res = caughtUp
	return nil
}

// applyAll applies recs (payloads[i] is recs[i] decoded, nil if it is not handled or
// does not decode; nil payloads decodes them here) to the copies in schema, in tx. It
// applies them straight away; if one fails, it rolls the lot back and goes again event
// by event, each in a savepoint, skipping those the projection refuses for good (as the
// serving projection does) and failing on any other error.
func (r Rebuilder) applyAll(ctx context.Context, tx pgx.Tx, schema string, p Owner, recs []events.Recorded, payloads []any, res *projector.RebuildResult) error {
	if payloads == nil {
		payloads = make([]any, len(recs))
		for i, rec := range recs {
			if p.Handles(rec.Type) {
				payloads[i], _ = r.Registry.Decode(rec.Type, rec.SchemaVersion, rec.Data)
			}
		}
	}
	into := tables.Tx(tx, schema)
	fast, err := into.Begin(ctx)
	if err != nil {
		return err
	}
	if projector.ApplyEvents(ctx, fast, p, recs, payloads) == nil {
		if err := fast.Commit(ctx); err != nil {
			return err
		}
		res.Events += len(recs)
		res.Position = recs[len(recs)-1].Position
		return nil
	}
	if err := fast.Rollback(ctx); err != nil {
		return err
	}
	for i, rec := range recs {
		res.Events++
		res.Position = rec.Position
		if !p.Handles(rec.Type) {
			continue
		}
		if err := r.applyOne(ctx, into, p, rec, payloads[i]); err != nil {
			if !projector.IsPermanent(err) {
				return fmt.Errorf("event %s at %s: %w", rec.ID, rec.Position, err)
			}
			res.Skipped++
			r.Logger.Warn("rebuild skipped an event", "projection", p.Name(), "event_id", rec.ID, "position", rec.Position.String(), "err", err)
		}
	}
	return nil
}

func (r Rebuilder) applyOne(ctx context.Context, tx pgx.Tx, p Owner, rec events.Recorded, payload any) error {
	if payload == nil {
		return projector.Permanent(fmt.Errorf("event %s (%s) does not decode", rec.ID, rec.Type))
	}
	return projector.ApplyInSavepoint(ctx, tx, p, rec, payload)
}

// Outdated records the version of each projection seen for the first time (a new
// database, or one from before versions were kept: its tables are the current code's),
// and returns those whose code is newer than the tables.
func Outdated(ctx context.Context, pool *pgxpool.Pool, owners []Owner) ([]Owner, error) {
	var out []Owner
	for _, p := range owners {
		if _, err := pool.Exec(ctx, `INSERT INTO graph.projection_versions (name, version) VALUES ($1, $2) ON CONFLICT DO NOTHING`,
			p.Name(), p.Version()); err != nil {
			return nil, fmt.Errorf("projection: versions: %w", err)
		}
		var v int
		if err := pool.QueryRow(ctx, `SELECT version FROM graph.projection_versions WHERE name = $1`, p.Name()).Scan(&v); err != nil {
			return nil, fmt.Errorf("projection: versions: %w", err)
		}
		if v < p.Version() {
			out = append(out, p)
		}
	}
	return out, nil
}
