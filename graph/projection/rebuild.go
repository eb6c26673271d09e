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
	// Page is how many events one transaction of the replay reads and applies.
	// Defaults to 5000.
	Page int
	// LockTimeout bounds the wait of the swap for the serving tables (a long query may
	// hold them); the swap is then tried again, up to SwapAttempts times. Default 2s, 10.
	LockTimeout  time.Duration
	SwapAttempts int
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
	r.defaults()
	began := time.Now()
	schema := rebuildSchema(p)
	ident := pgx.Identifier{schema}.Sanitize()

	// The whole rebuild runs on one connection, which holds the lock that lets one
	// rebuild of a projection run at a time, across processes.
	conn, err := r.Pool.Acquire(ctx)
	if err != nil {
		return RebuildResult{}, fmt.Errorf("projection: rebuild %s: %w", p.Name(), err)
	}
	defer conn.Release()
	var locked bool
	if err := conn.QueryRow(ctx, `SELECT pg_try_advisory_lock(hashtext($1))`, schema).Scan(&locked); err != nil {
		return RebuildResult{}, fmt.Errorf("projection: rebuild %s: %w", p.Name(), err)
	}
	if !locked {
		return RebuildResult{}, fmt.Errorf("%w: %s", ErrRebuildRunning, p.Name())
	}
	defer func() {
		_, _ = conn.Exec(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock(hashtext($1))`, schema)
	}()

	swapped := false
	defer func() {
		if !swapped {
			if _, err := conn.Exec(context.WithoutCancel(ctx), `DROP SCHEMA IF EXISTS `+ident+` CASCADE`); err != nil {
				r.Logger.Warn("could not drop the rebuild's tables", "projection", p.Name(), "schema", schema, "err", err)
			}
		}
	}()
	if err := pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `DROP SCHEMA IF EXISTS `+ident+` CASCADE`); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `CREATE SCHEMA `+ident); err != nil {
			return err
		}
		return tables.Copy(ctx, tx, schema, p.Tables(), true)
	}); err != nil {
		return RebuildResult{}, fmt.Errorf("projection: rebuild %s: prepare: %w", p.Name(), err)
	}

	var res RebuildResult
	for more := true; more; {
		// Each page is read and applied in a transaction of its own: a long one would
		// hold back every subscriber of the log (they read below the oldest running
		// transaction).
		if err := pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
			recs, err := r.Store.ReadAllIn(ctx, tx, res.Position, r.Page)
			if err != nil {
				return err
			}
			more = len(recs) == r.Page
			if len(recs) == 0 {
				return nil
			}
			return r.applyAll(ctx, tx, schema, p, recs, &res.RebuildResult)
		}); err != nil {
			return RebuildResult{}, fmt.Errorf("projection: rebuild %s: %w", p.Name(), err)
		}
	}
	if err := pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
		if err := tables.Index(ctx, tx, schema, p.Tables()); err != nil {
			return err
		}
		for _, t := range p.Tables() {
			if _, err := tx.Exec(ctx, `ANALYZE `+ident+`.`+pgx.Identifier{t}.Sanitize()); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		return RebuildResult{}, fmt.Errorf("projection: rebuild %s: index: %w", p.Name(), err)
	}

	for attempt := 1; ; attempt++ {
		err = pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error { return r.swap(ctx, tx, schema, p, &res.RebuildResult) })
		var pgErr *pgconn.PgError
		if err == nil || !errors.As(err, &pgErr) || pgErr.Code != "55P03" || attempt == r.SwapAttempts {
			break
		}
		r.Logger.Info("the serving tables are busy; trying the swap again", "projection", p.Name(), "attempt", attempt)
	}
	if err != nil {
		return RebuildResult{}, fmt.Errorf("projection: rebuild %s: swap: %w", p.Name(), err)
	}
	swapped = true
	res.Took = time.Since(began)
	r.Logger.Info("projection rebuilt", "projection", p.Name(), "events", res.Events, "skipped", res.Skipped,
		"position", res.Position.String(), "took", res.Took)
	return res, nil
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
}

// swap catches the copies up with the log while holding the projection's position (the
// serving projection waits), then drops the serving tables and moves the copies in, and
// sets the position to the last event the copies hold.
func (r Rebuilder) swap(ctx context.Context, tx pgx.Tx, schema string, p Owner, res *projector.RebuildResult) error {
	if _, err := tx.Exec(ctx, `SELECT set_config('lock_timeout', $1, true)`, strconv.FormatInt(r.LockTimeout.Milliseconds(), 10)); err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, `INSERT INTO eventstore.consumer_offsets (consumer_group) VALUES ($1) ON CONFLICT DO NOTHING`, p.Name()); err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, `SELECT 1 FROM eventstore.consumer_offsets WHERE consumer_group = $1 FOR UPDATE`, p.Name()); err != nil {
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
		if err := r.applyAll(ctx, tx, schema, p, recs, &caughtUp); err != nil {
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
	if _, err := tx.Exec(ctx, `UPDATE eventstore.consumer_offsets
		SET offset_acked = $2, last_processed_transaction_id = $3::text::xid8, updated_at = now()
		WHERE consumer_group = $1`, p.Name(), caughtUp.Position.GlobalPosition, strconv.FormatUint(caughtUp.Position.TransactionID, 10)); err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, `INSERT INTO graph.projection_versions (name, version, rebuilt_at) VALUES ($1, $2, now())
		ON CONFLICT (name) DO UPDATE SET version = excluded.version, rebuilt_at = excluded.rebuilt_at`, p.Name(), p.Version()); err != nil {
		return err
	}
	*res = caughtUp
	return nil
}

// applyAll applies recs to the copies in schema, in tx. It applies them straight away;
// if one fails, it rolls the lot back and goes again event by event, each in a
// savepoint, skipping those the projection refuses for good (as the serving projection
// does) and failing on any other error.
func (r Rebuilder) applyAll(ctx context.Context, tx pgx.Tx, schema string, p Owner, recs []events.Recorded, res *projector.RebuildResult) error {
	into := tables.Tx(tx, schema)
	fast, err := into.Begin(ctx)
	if err != nil {
		return err
	}
	ok := r.applyFast(ctx, fast, p, recs) == nil
	if ok {
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
	for _, rec := range recs {
		res.Events++
		res.Position = rec.Position
		if !p.Handles(rec.Type) {
			continue
		}
		if err := r.applyOne(ctx, into, p, rec); err != nil {
			if !projector.IsPermanent(err) {
				return fmt.Errorf("event %s at %s: %w", rec.ID, rec.Position, err)
			}
			res.Skipped++
			r.Logger.Warn("rebuild skipped an event", "projection", p.Name(), "event_id", rec.ID, "position", rec.Position.String(), "err", err)
		}
	}
	return nil
}

// applyFast applies the events p handles in one go: a page at once when p is a
// PageApplier, else event by event without savepoints.
func (r Rebuilder) applyFast(ctx context.Context, tx pgx.Tx, p Owner, recs []events.Recorded) error {
	var (
		handled  []events.Recorded
		payloads []any
	)
	for _, rec := range recs {
		if !p.Handles(rec.Type) {
			continue
		}
		payload, err := r.Registry.Decode(rec.Type, rec.SchemaVersion, rec.Data)
		if err != nil {
			return err
		}
		handled, payloads = append(handled, rec), append(payloads, payload)
	}
	if pa, ok := p.(projector.PageApplier); ok {
		return pa.ApplyPage(ctx, tx, handled, payloads)
	}
	for i, rec := range handled {
		if err := p.Apply(ctx, tx, rec, payloads[i]); err != nil {
			return err
		}
	}
	return nil
}

func (r Rebuilder) applyOne(ctx context.Context, tx pgx.Tx, p Owner, rec events.Recorded) error {
	payload, err := r.Registry.Decode(rec.Type, rec.SchemaVersion, rec.Data)
	if err != nil {
		return projector.Permanent(err)
	}
	sp, err := tx.Begin(ctx)
	if err != nil {
		return err
	}
	if err := p.Apply(ctx, sp, rec, payload); err != nil {
		if rbErr := sp.Rollback(ctx); rbErr != nil {
			return rbErr
		}
		return err
	}
	return sp.Commit(ctx)
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
