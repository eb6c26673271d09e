// Package tables lets the read models' SQL, written against the serving schema
// ("graph"), run against a copy of their tables in another schema: a transaction's
// temporary tables, to rebuild one object's state as of an instant from its events, or
// a rebuild schema, to replay the whole log beside the tables that keep serving.
//
// Projections and readers keep plain, schema-qualified SQL; the copy is chosen by the
// connection they are handed (Tx, Querier), not by each query.
package tables

import (
	"cmp"
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"sync"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// Serving is the schema the read models serve from.
const Serving = "graph"

// Temporary is the current session's schema of temporary tables: dropped with the
// transaction that created them, invisible to every other connection.
const Temporary = "pg_temp"

var servingRef = regexp.MustCompile(`\bgraph\.`)

// rewritten caches Rewrite's answers: the statements are few and fixed, and a rebuild
// sends each of them hundreds of thousands of times.
var rewritten sync.Map // rewriteKey → string

type rewriteKey struct{ sql, schema string }

// Rewrite points the serving schema's tables in sql at schema.
func Rewrite(sql, schema string) string {
	if schema == "" || schema == Serving {
		return sql
	}
	key := rewriteKey{sql, schema}
	if out, ok := rewritten.Load(key); ok {
		return out.(string)
	}
	out := servingRef.ReplaceAllLiteralString(sql, schema+".")
	rewritten.Store(key, out)
	return out
}

// Querier is what the readers query through: a pool, a connection or a transaction.
type Querier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
	SendBatch(ctx context.Context, b *pgx.Batch) pgx.BatchResults
}

// In returns q with its queries pointed at schema.
func In(q Querier, schema string) Querier {
	if schema == "" || schema == Serving {
		return q
	}
	return rewritingQuerier{q: q, schema: schema}
}

type rewritingQuerier struct {
	q      Querier
	schema string
}

func (r rewritingQuerier) Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error) {
	return r.q.Query(ctx, Rewrite(sql, r.schema), args...)
}

func (r rewritingQuerier) QueryRow(ctx context.Context, sql string, args ...any) pgx.Row {
	return r.q.QueryRow(ctx, Rewrite(sql, r.schema), args...)
}

func (r rewritingQuerier) SendBatch(ctx context.Context, b *pgx.Batch) pgx.BatchResults {
	return r.q.SendBatch(ctx, rewriteBatch(b, r.schema))
}

// rewriteBatch points b's statements at schema, in place: their result callbacks stay.
func rewriteBatch(b *pgx.Batch, schema string) *pgx.Batch {
	for _, q := range b.QueuedQueries {
		q.SQL = Rewrite(q.SQL, schema)
	}
	return b
}

// Tx returns tx with its statements pointed at schema, savepoints included: what a
// projection writes through it lands in schema's tables.
func Tx(tx pgx.Tx, schema string) pgx.Tx {
	if schema == "" || schema == Serving {
		return tx
	}
	return rewritingTx{Tx: tx, schema: schema}
}

type rewritingTx struct {
	pgx.Tx
	schema string
}

func (r rewritingTx) Begin(ctx context.Context) (pgx.Tx, error) {
	sp, err := r.Tx.Begin(ctx)
	if err != nil {
		return nil, err
	}
	return rewritingTx{Tx: sp, schema: r.schema}, nil
}

func (r rewritingTx) Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error) {
	return r.Tx.Exec(ctx, Rewrite(sql, r.schema), args...)
}

func (r rewritingTx) Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error) {
	return r.Tx.Query(ctx, Rewrite(sql, r.schema), args...)
}

func (r rewritingTx) QueryRow(ctx context.Context, sql string, args ...any) pgx.Row {
	return r.Tx.QueryRow(ctx, Rewrite(sql, r.schema), args...)
}

func (r rewritingTx) SendBatch(ctx context.Context, b *pgx.Batch) pgx.BatchResults {
	return r.Tx.SendBatch(ctx, rewriteBatch(b, r.schema))
}

// CopyOptions say how Copy makes its copies.
type CopyOptions struct {
	// WithoutIndexes leaves the secondary indexes out: rebuilds add them with Index once
	// the rows are in, building an index once being faster than keeping it up to date
	// row by row.
	WithoutIndexes bool
	// WithoutKeys leaves the primary, unique and foreign keys out as well (and implies
	// WithoutIndexes): a bulk load adds them with Keys once the rows are in, which
	// checks every row once, in one pass per key.
	WithoutKeys bool
}

// Copy creates, in schema, empty tables shaped like the serving tables named: the same
// columns, defaults, identities and checks, the same primary, unique and foreign keys
// (foreign keys between the named tables point at the copies), and, unless
// opts.WithoutIndexes, the same secondary indexes under the same names. A temporary copy
// (schema Temporary) is dropped at the end of tx.
func Copy(ctx context.Context, tx pgx.Tx, schema string, names []string, opts CopyOptions) error {
	for _, name := range names {
		kind, suffix := "", ""
		if schema == Temporary {
			kind, suffix = "TEMPORARY ", " ON COMMIT DROP"
		}
		if _, err := tx.Exec(ctx, fmt.Sprintf(`CREATE %sTABLE %s.%s (LIKE %s.%s INCLUDING DEFAULTS INCLUDING IDENTITY
			INCLUDING CONSTRAINTS INCLUDING GENERATED INCLUDING STORAGE)%s`, kind, schema, name, Serving, name, suffix)); err != nil {
			return fmt.Errorf("tables: copy %s: %w", name, err)
		}
	}
	if opts.WithoutKeys {
		return nil
	}
	if err := Keys(ctx, tx, schema, names); err != nil {
		return err
	}
	if opts.WithoutIndexes {
		return nil
	}
	return Index(ctx, tx, schema, names)
}

// Keys adds to schema's copies the primary, unique and foreign keys of the serving
// tables named (foreign keys between the named tables point at the copies).
func Keys(ctx context.Context, tx pgx.Tx, schema string, names []string) error {
	// Foreign keys last (they need the referenced unique keys), in the order the serving
	// tables declared them.
	defs, err := definitions(ctx, tx, names, `SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid)
		FROM pg_constraint c WHERE c.conrelid = ANY($1::regclass[]) AND c.contype IN ('p', 'u', 'f')
		ORDER BY c.contype = 'f', c.oid`)
	if err != nil {
		return err
	}
	for _, d := range defs {
		if strings.HasPrefix(d.def, "FOREIGN KEY") && schema == Temporary {
			// Temporary tables cannot reference permanent ones, and the copies hold one
			// object's rows: the keys would check nothing.
			continue
		}
		if _, err := tx.Exec(ctx, fmt.Sprintf(`ALTER TABLE %s.%s ADD CONSTRAINT %s %s`,
			schema, d.table, pgx.Identifier{d.name}.Sanitize(), Rewrite(d.def, schema))); err != nil {
			return fmt.Errorf("tables: copy %s.%s: %w", d.table, d.name, err)
		}
	}
	return nil
}

// Index adds to schema's copies the secondary indexes of the serving tables named.
func Index(ctx context.Context, tx pgx.Tx, schema string, names []string) error {
	defs, err := Indexes(ctx, tx, schema, names)
	if err != nil {
		return err
	}
	for _, def := range defs {
		if _, err := tx.Exec(ctx, def); err != nil {
			return fmt.Errorf("tables: index: %w", err)
		}
	}
	return nil
}

// Indexes returns the statements that add to schema's copies the secondary indexes of
// the serving tables named, for a caller that builds them side by side.
func Indexes(ctx context.Context, q interface {
	Query(context.Context, string, ...any) (pgx.Rows, error)
}, schema string, names []string) ([]string, error) {
	defs, err := definitions(ctx, q, names, `SELECT i.indrelid::regclass::text, c.relname, pg_get_indexdef(i.indexrelid)
		FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
		WHERE i.indrelid = ANY($1::regclass[])
			AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)
		ORDER BY i.indexrelid`)
	if err != nil {
		return nil, err
	}
	out := make([]string, len(defs))
	for i, d := range defs {
		out[i] = Rewrite(d.def, schema)
	}
	// The GIN indexes first: they take longest to build, and builders working side by
	// side finish together when the long ones start first.
	slices.SortStableFunc(out, func(a, b string) int {
		return cmp.Compare(btoi(!strings.Contains(a, " USING gin ")), btoi(!strings.Contains(b, " USING gin ")))
	})
	return out, nil
}

type definition struct{ table, name, def string }

// definitions lists what sql returns for the serving tables named: their table name
// without its schema, an object's name and its definition.
func definitions(ctx context.Context, tx interface {
	Query(context.Context, string, ...any) (pgx.Rows, error)
}, names []string, sql string) ([]definition, error) {
	qualified := make([]string, len(names))
	for i, n := range names {
		qualified[i] = Serving + "." + n
	}
	rows, err := tx.Query(ctx, sql, qualified)
	if err != nil {
		return nil, fmt.Errorf("tables: read definitions: %w", err)
	}
	defs, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (definition, error) {
		var d definition
		err := row.Scan(&d.table, &d.name, &d.def)
		d.table = strings.TrimPrefix(d.table, Serving+".")
		return d, err
	})
	if err != nil {
		return nil, fmt.Errorf("tables: read definitions: %w", err)
	}
	return defs, nil
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

// Reads collects which tables a request read: what its answer depends on. It is safe
// for concurrent use (resolvers run side by side).
type Reads struct {
	mu     sync.Mutex
	tables map[string]bool
	// other is set when a read went to a table outside the read models (the event log,
	// for history and time travel): an answer no projection's position accounts for.
	other bool
}

type readsKey struct{}

// WithReads returns ctx recording into r what the queriers made by Recording read.
func WithReads(ctx context.Context, r *Reads) context.Context {
	return context.WithValue(ctx, readsKey{}, r)
}

// Tables returns the read models' tables read (without their schema), and whether
// anything else was read.
func (r *Reads) Tables() (names []string, other bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for t := range r.tables {
		names = append(names, t)
	}
	slices.Sort(names)
	return names, r.other
}

var tableRef = regexp.MustCompile(`\b([a-z_]+)\.([a-z_]+)\b`)

// touched caches which tables each statement names: the statements are few and fixed.
var touched sync.Map // sql → []string (schema.table)

func (r *Reads) record(sql string) {
	v, ok := touched.Load(sql)
	if !ok {
		var refs []string
		for _, m := range tableRef.FindAllStringSubmatch(sql, -1) {
			if !slices.Contains(refs, m[1]+"."+m[2]) {
				refs = append(refs, m[1]+"."+m[2])
			}
		}
		touched.Store(sql, refs)
		v = refs
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.tables == nil {
		r.tables = map[string]bool{}
	}
	for _, ref := range v.([]string) {
		schema, table, _ := strings.Cut(ref, ".")
		switch schema {
		case Serving:
			r.tables[table] = true
		case "eventstore", "directory", "sessions", "proposals", "web":
			r.other = true
		}
		// Anything else is a column of an alias (a.name): not a table.
	}
}

// Recording returns q recording what it reads into the Reads of each query's context.
func Recording(q Querier) Querier { return recordingQuerier{q: q} }

type recordingQuerier struct{ q Querier }

func readsOf(ctx context.Context) *Reads {
	r, _ := ctx.Value(readsKey{}).(*Reads)
	return r
}

func (r recordingQuerier) Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error) {
	if reads := readsOf(ctx); reads != nil {
		reads.record(sql)
	}
	return r.q.Query(ctx, sql, args...)
}

func (r recordingQuerier) QueryRow(ctx context.Context, sql string, args ...any) pgx.Row {
	if reads := readsOf(ctx); reads != nil {
		reads.record(sql)
	}
	return r.q.QueryRow(ctx, sql, args...)
}

func (r recordingQuerier) SendBatch(ctx context.Context, b *pgx.Batch) pgx.BatchResults {
	if reads := readsOf(ctx); reads != nil {
		for _, q := range b.QueuedQueries {
			reads.record(q.SQL)
		}
	}
	return r.q.SendBatch(ctx, b)
}

// ReadOutside records, in the Reads of ctx if any, that the request's answer depends
// on something no projection's position accounts for (the event log, another service),
// or that the request wrote: its answer must not be tagged or kept.
func ReadOutside(ctx context.Context) {
	if r := readsOf(ctx); r != nil {
		r.mu.Lock()
		r.other = true
		r.mu.Unlock()
	}
}

// ReadFrom records, in the Reads of ctx if any, that the request's answer depends on a
// table of the serving schema that it did not query (a value kept in memory).
func ReadFrom(ctx context.Context, table string) {
	if r := readsOf(ctx); r != nil {
		r.mu.Lock()
		if r.tables == nil {
			r.tables = map[string]bool{}
		}
		r.tables[table] = true
		r.mu.Unlock()
	}
}
