package projection

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"passerelle.dev/events"
	"passerelle.dev/events/projector"
)

// A projection is written as a fold: how each event of a stream changes the rows that
// stream owns, in Go, once. The same fold serves every way the read model is made:
//
//   - live and catching up (applyFold): the rows of the streams a page touches are
//     loaded, the page's events folded into them, and what changed is written back;
//   - rebuilding (bulkFold): each stream's events are folded in memory from nothing and
//     the final rows are copied into fresh tables with COPY;
//   - time travel (timetravel): one stream's events up to an instant are folded and the
//     rows written into temporary tables.
//
// So the three give the same tables by construction, and a test checks that they do.

// table is a read-model table as folds write it: rows are lists of values in the order
// of columns, of which the first key are the primary key.
type table struct {
	name    string
	columns []string
	key     int
	// derived are columns the database computes from row values that it does not store
	// (transient): the search document, from the folded texts.
	derived   []derivedColumn
	transient []string

	upsert, remove string // the live path's statements
	// fromStage is the rebuild's statement for a table with derived columns: what goes
	// from the stage table (%[2]s) into the copy (%[1]s), the derived columns made.
	fromStage string
}

// derivedColumn is a stored column computed in SQL from transient columns, named in
// expr as {column}.
type derivedColumn struct{ column, expr string }

func newTable(name string, key int, columns ...string) *table {
	t := &table{name: name, columns: columns, key: key}
	t.prepare()
	return t
}

func (t *table) withDerived(transient []string, derived ...derivedColumn) *table {
	t.transient, t.derived = transient, derived
	t.prepare()
	return t
}

// stored are the columns the table has (derived ones aside).
func (t *table) stored() []string {
	var out []string
	for _, c := range t.columns {
		if !slices.Contains(t.transient, c) {
			out = append(out, c)
		}
	}
	return out
}

// derivedSQL spells the derived columns' expressions, naming each transient column as
// name(c) does.
func (t *table) derivedSQL(name func(column string) string) []string {
	out := make([]string, len(t.derived))
	for i, d := range t.derived {
		expr := d.expr
		for _, c := range t.transient {
			expr = strings.ReplaceAll(expr, "{"+c+"}", name(c))
		}
		out[i] = expr
	}
	return out
}

func (t *table) prepare() {
	param := func(c string) string { return "$" + strconv.Itoa(slices.Index(t.columns, c)+1) }
	var cols, vals, sets []string
	for _, c := range t.stored() {
		cols, vals = append(cols, c), append(vals, param(c))
	}
	for i, expr := range t.derivedSQL(param) {
		cols, vals = append(cols, t.derived[i].column), append(vals, expr)
	}
	for _, c := range cols[t.key:] {
		sets = append(sets, c+" = excluded."+c)
	}
	keys := t.columns[:t.key]
	t.upsert = `INSERT INTO graph.` + t.name + ` (` + strings.Join(cols, ", ") + `) VALUES (` + strings.Join(vals, ", ") + `)
		ON CONFLICT (` + strings.Join(keys, ", ") + `) DO UPDATE SET ` + strings.Join(sets, ", ")
	var where []string
	for i, k := range keys {
		where = append(where, k+" = $"+strconv.Itoa(i+1))
	}
	t.remove = `DELETE FROM graph.` + t.name + ` WHERE ` + strings.Join(where, " AND ")
	if len(t.derived) > 0 {
		sel := append(t.stored(), t.derivedSQL(func(c string) string { return c })...)
		t.fromStage = `INSERT INTO %[1]s (` + strings.Join(cols, ", ") + `) SELECT ` + strings.Join(sel, ", ") + ` FROM %[2]s`
	}
}

// entity is what one stream's events make of its projection's tables.
type entity interface {
	// apply folds one event in. It changes nothing when it fails: the event is then
	// refused (permanently, when marked so), as the projection refuses it.
	apply(rec events.Recorded, payload any) error
	// rows emits the entity's rows, table by table (an index into its fold's tables),
	// as pointers to the values: nothing when the entity does not exist.
	rows(emit func(table int, fields []any))
}

// fold is a projection written as a fold of its streams.
type fold interface {
	// tables are the projection's tables, the referenced ones first.
	tables() []*table
	// streamPrefix is the prefix of the ids of the streams the projection reads.
	streamPrefix() string
	// newEntity is the empty state of a stream, before its first event.
	newEntity(stream string) entity
	// load reads the current state of the streams from the tables through q.
	load(ctx context.Context, q pgx.Tx, streams []string) (map[string]entity, error)
	// sums are the tables that add up over all entities, nil for most folds.
	sums() []*sumTable
}

// sumTable is a table whose rows add up what every entity contributes: counts kept
// beside the rows they count. Its key columns are text, and its last column the sum.
type sumTable struct {
	table *table
	// of adds what e contributes to add.
	of func(e entity, add func(key []string, n int64))
}

// sumKey joins a sum table's key into a map key.
func sumKey(key []string) string { return strings.Join(key, "\x00") }

// sums accumulates a sum table's rows.
type sums map[string]int64

func (s sums) add(t *sumTable, e entity, sign int64) {
	t.of(e, func(key []string, n int64) { s[sumKey(key)] += sign * n })
}

// fieldsOf is the fields e emits for its first row of table t: where a load scans the
// row into.
func fieldsOf(e entity, t int) []any {
	var fields []any
	e.rows(func(table int, f []any) {
		if table == t && fields == nil {
			fields = f
		}
	})
	return fields
}

// rowsOf lists what e emits, each table's rows keyed by their key, with the values
// copied (not pointers into e, which may change).
func rowsOf(f fold, e entity) []map[string][]any {
	out := make([]map[string][]any, len(f.tables()))
	for i := range out {
		out[i] = map[string][]any{}
	}
	e.rows(func(t int, fields []any) {
		vals := values(fields)
		out[t][rowKey(vals[:f.tables()[t].key])] = vals
	})
	return out
}

func rowKey(key []any) string {
	var b strings.Builder
	for _, k := range key {
		fmt.Fprintf(&b, "%v\x00", k)
	}
	return b.String()
}

// values dereferences an entity's fields into the values a statement or COPY sends.
func values(fields []any) []any {
	out := make([]any, len(fields))
	for i, f := range fields {
		out[i] = value(f)
	}
	return out
}

func value(f any) any {
	switch p := f.(type) {
	case *string:
		return *p
	case *int64:
		return *p
	case *int:
		return *p
	case *bool:
		return *p
	case *time.Time:
		return *p
	case **time.Time:
		return copyOf(*p)
	case **int:
		return copyOf(*p)
	case **int64:
		return copyOf(*p)
	case **string:
		return copyOf(*p)
	case *[]string:
		if *p == nil {
			return []string{}
		}
		return *p
	case *[]byte:
		return *p
	case *any:
		return *p
	}
	return f // a value computed for the row
}

// copyOf copies what p points to: a row's values must not change with the entity.
func copyOf[T any](p *T) *T {
	if p == nil {
		return nil
	}
	v := *p
	return &v
}

// sameValue compares two values of a row column as the database would store them.
func sameValue(a, b any) bool {
	switch x := a.(type) {
	case time.Time:
		y, ok := b.(time.Time)
		return ok && x.Equal(y)
	case *time.Time:
		y, ok := b.(*time.Time)
		return ok && (x == nil) == (y == nil) && (x == nil || x.Equal(*y))
	case *int:
		y, ok := b.(*int)
		return ok && (x == nil) == (y == nil) && (x == nil || *x == *y)
	case *int64:
		y, ok := b.(*int64)
		return ok && (x == nil) == (y == nil) && (x == nil || *x == *y)
	case *string:
		y, ok := b.(*string)
		return ok && (x == nil) == (y == nil) && (x == nil || *x == *y)
	case []string:
		y, ok := b.([]string)
		return ok && slices.Equal(x, y)
	case []byte:
		y, ok := b.([]byte)
		return ok && (x == nil) == (y == nil) && bytes.Equal(x, y)
	}
	return a == b
}

func sameRow(a, b []any) bool {
	for i := range a {
		if !sameValue(a[i], b[i]) {
			return false
		}
	}
	return true
}

// applyFold is the live path: it loads the streams evs touch, folds the events in, and
// writes back in one pipeline the rows that changed, inserted, updated or deleted, and
// what the changes add to the sums. An event the fold refuses fails the lot (callers go
// again event by event to skip it).
func applyFold(ctx context.Context, tx pgx.Tx, f fold, evs []events.Recorded, payloads []any) error {
	if len(evs) == 0 {
		return nil
	}
	var streams []string
	for _, ev := range evs {
		if !strings.HasPrefix(ev.StreamID, f.streamPrefix()) {
			return projector.Permanent(fmt.Errorf("event %s is in stream %s, not one of %s*", ev.ID, ev.StreamID, f.streamPrefix()))
		}
		if !slices.Contains(streams, ev.StreamID) {
			streams = append(streams, ev.StreamID)
		}
	}
	loaded, err := f.load(ctx, tx, streams)
	if err != nil {
		return err
	}
	type touched struct {
		e      entity
		before []map[string][]any
	}
	states := make(map[string]*touched, len(streams))
	delta := make([]sums, len(f.sums()))
	for i := range delta {
		delta[i] = sums{}
	}
	for _, s := range streams {
		e, ok := loaded[s]
		if !ok {
			e = f.newEntity(s)
		}
		states[s] = &touched{e: e, before: rowsOf(f, e)}
		for i, st := range f.sums() {
			delta[i].add(st, e, -1)
		}
	}
	for i, ev := range evs {
		if err := states[ev.StreamID].e.apply(ev, payloads[i]); err != nil {
			return fmt.Errorf("event %s at %s: %w", ev.ID, ev.Position, err)
		}
	}
	batch := &pgx.Batch{}
	tabs := f.tables()
	for _, s := range streams {
		st := states[s]
		after := rowsOf(f, st.e)
		for t := len(tabs) - 1; t >= 0; t-- { // what references first
			for k, row := range st.before[t] {
				if _, ok := after[t][k]; !ok {
					batch.Queue(tabs[t].remove, row[:tabs[t].key]...)
				}
			}
		}
		for t := range tabs {
			for k, row := range after[t] {
				if was, ok := st.before[t][k]; !ok || !sameRow(was, row) {
					batch.Queue(tabs[t].upsert, row...)
				}
			}
		}
		for i, sum := range f.sums() {
			delta[i].add(sum, st.e, 1)
		}
	}
	for i, sum := range f.sums() {
		queueSums(batch, sum, delta[i])
	}
	if batch.Len() == 0 {
		return nil
	}
	return tx.SendBatch(ctx, batch).Close()
}

// queueSums adds d to the sum table in one statement, and deletes the rows that come to
// zero: a row is there only while something counts in it, as a rebuild leaves it.
func queueSums(b *pgx.Batch, st *sumTable, d sums) {
	t := st.table
	keys := make([][]string, t.key)
	var ns []int64
	for k, n := range d {
		if n == 0 {
			continue
		}
		for i, part := range strings.Split(k, "\x00") {
			keys[i] = append(keys[i], part)
		}
		ns = append(ns, n)
	}
	if len(ns) == 0 {
		return
	}
	cols := t.columns
	var unnest, match []string
	args := make([]any, 0, t.key+1)
	for i := range t.key {
		unnest = append(unnest, "$"+strconv.Itoa(i+1)+"::text[]")
		match = append(match, "s."+cols[i]+" = ANY($"+strconv.Itoa(i+1)+"::text[])")
		args = append(args, keys[i])
	}
	args = append(args, ns)
	sum := cols[t.key]
	b.Queue(`INSERT INTO graph.`+t.name+` AS s (`+strings.Join(cols, ", ")+`)
		SELECT * FROM unnest(`+strings.Join(unnest, ", ")+`, $`+strconv.Itoa(t.key+1)+`::bigint[])
		ON CONFLICT (`+strings.Join(cols[:t.key], ", ")+`) DO UPDATE SET `+sum+` = s.`+sum+` + excluded.`+sum, args...)
	b.Queue(`DELETE FROM graph.`+t.name+` s WHERE s.`+sum+` = 0 AND `+strings.Join(match, " AND "), args[:t.key]...)
}

// Replay folds one stream's events (recs, in order) in memory, as a rebuild does, and
// writes the rows they make through tx, which points at copies of p's tables: what the
// stream looked like after them, for time travel. Events that do not decode or that the
// projection refuses are skipped, as the projection skips them; skipped counts them.
func Replay(ctx context.Context, tx pgx.Tx, p Owner, registry *events.Registry, stream string, recs []events.Recorded) (skipped int, err error) {
	f := p.fold()
	e := f.newEntity(stream)
	for _, rec := range recs {
		if rec.StreamID != stream {
			return skipped, fmt.Errorf("projection: replay %s: event %s is in stream %s", stream, rec.ID, rec.StreamID)
		}
		if !p.Handles(rec.Type) {
			continue
		}
		payload, err := registry.Decode(rec.Type, rec.SchemaVersion, rec.Data)
		if err == nil {
			err = e.apply(rec, payload)
		}
		if err != nil {
			skipped++
		}
	}
	batch := &pgx.Batch{}
	tabs := f.tables()
	e.rows(func(t int, fields []any) { batch.Queue(tabs[t].upsert, values(fields)...) })
	for _, st := range f.sums() {
		d := sums{}
		d.add(st, e, 1)
		queueSums(batch, st, d)
	}
	if batch.Len() == 0 {
		return skipped, nil
	}
	if err := tx.SendBatch(ctx, batch).Close(); err != nil {
		return skipped, fmt.Errorf("projection: replay %s: %w", stream, err)
	}
	return skipped, nil
}
