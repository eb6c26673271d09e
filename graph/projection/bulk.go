package projection

import (
	"context"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"golang.org/x/sync/errgroup"

	"passerelle.dev/events"
	"passerelle.dev/events/eventstore"
	"passerelle.dev/events/projector"
)

// A rebuild reads the log once, stream by stream, up to the head it found when it
// started, and folds each stream's events in memory; each stream's final rows go into
// the copies with COPY, in chunks. What it holds at a time is bounded whatever the size
// of the log: per projection, three pages of events (being read, decoded, folded), the
// stream being folded, and per table up to four chunks of rows (filling, waiting, and
// being copied by one or two copiers), plus the sums (association_counts: a row per status, city and
// origin). At the defaults (pages of 5,000 events, chunks of 5,000 rows) that is a few
// tens of megabytes per projection.

// chunkRows is how many rows of a table one COPY writes.
const chunkRows = 5000

// copyJob is a chunk of rows for one table of a projection's copies.
type copyJob struct {
	table *table
	rows  [][]any
}

// bulkTarget is one projection being loaded: its fold, the stream it is folding, the
// rows waiting for COPY, and its sums.
type bulkTarget struct {
	b      *rebuilding
	f      fold
	stream string
	e      entity
	chunks [][][]any
	sums   []sums
	copies chan copyJob
}

// decodedPage is a page of the log, decoded.
type decodedPage struct {
	recs     []events.Recorded
	payloads []any
	errs     []error
}

// bulkLoad fills b's copies with the rows its fold makes of the events up to head, and
// leaves it at head. Projections load side by side, each reading its own streams: while
// one waits for PostgreSQL (the associations' search documents), the others decode and
// fold.
func (r Rebuilder) bulkLoad(ctx context.Context, b *rebuilding, head events.Position) error {
	g, ctx := errgroup.WithContext(ctx)
	{
		f := b.p.fold()
		t := &bulkTarget{b: b, f: f, chunks: make([][][]any, len(f.tables())), sums: make([]sums, len(f.sums())),
			copies: make(chan copyJob, 1)}
		for j := range t.sums {
			t.sums[j] = sums{}
		}
		// A table whose rows the database derives columns of (the associations' search
		// documents, most of a rebuild's work in PostgreSQL) gets copiers on connections of
		// their own, so that the documents are made on every core.
		copiers := 1
		for _, tab := range f.tables() {
			if len(tab.derived) > 0 {
				copiers = max(copiers, r.IndexWorkers)
			}
		}
		for c := range copiers {
			g.Go(func() error {
				conn := b.conn
				if c > 0 {
					var err error
					if conn, err = r.Pool.Acquire(ctx); err != nil {
						return err
					}
					defer conn.Release()
				}
				return r.copyChunks(ctx, t, conn)
			})
		}
		// Reading, decoding and folding overlap: the next page is read while this one is
		// decoded, and decoded while the one before is folded.
		raw := make(chan []events.Recorded, 1)
		decoded := make(chan decodedPage, 1)
		g.Go(func() error {
			defer close(raw)
			return r.readStreams(ctx, f.streamPrefix(), head, raw)
		})
		g.Go(func() error {
			defer close(decoded)
			for recs := range raw {
				select {
				case decoded <- r.decode(recs, b.p):
				case <-ctx.Done():
					return ctx.Err()
				}
			}
			return nil
		})
		g.Go(func() error {
			defer close(t.copies)
			return r.foldPages(ctx, decoded, t)
		})
	}
	if err := g.Wait(); err != nil {
		return err
	}
	b.res.Position = head
	return nil
}

// readStreams sends the events up to head of the streams whose ids start with prefix,
// page by page, stream by stream.
func (r Rebuilder) readStreams(ctx context.Context, prefix string, head events.Position, pages chan<- []events.Recorded) error {
	// A stream id sorts after its prefix in every collation.
	from := eventstore.StreamPosition{Stream: prefix}
	for {
		recs, err := r.Store.ReadByStream(ctx, prefix, from, head, r.Page)
		if err != nil {
			return fmt.Errorf("read the log: %w", err)
		}
		if len(recs) == 0 {
			return nil
		}
		select {
		case pages <- recs:
		case <-ctx.Done():
			return ctx.Err()
		}
		if len(recs) < r.Page {
			return nil
		}
		last := recs[len(recs)-1]
		from = eventstore.StreamPosition{Stream: last.StreamID, Version: last.StreamVersion}
	}
}

// decode decodes the events of a page that p handles.
func (r Rebuilder) decode(recs []events.Recorded, p Owner) decodedPage {
	page := decodedPage{recs: recs, payloads: make([]any, len(recs)), errs: make([]error, len(recs))}
	for i, rec := range recs {
		if p.Handles(rec.Type) {
			page.payloads[i], page.errs[i] = r.Registry.Decode(rec.Type, rec.SchemaVersion, rec.Data)
		}
	}
	return page
}

// foldPages folds the decoded pages stream by stream, handing each stream's rows to the
// copier as the next stream begins, and at the end the sums.
func (r Rebuilder) foldPages(ctx context.Context, pages <-chan decodedPage, t *bulkTarget) error {
	res := &t.b.res.RebuildResult
	for page := range pages {
		for i, rec := range page.recs {
			if rec.StreamID != t.stream {
				if err := t.settle(ctx); err != nil {
					return err
				}
				t.stream, t.e = rec.StreamID, t.f.newEntity(rec.StreamID)
			}
			res.Events++
			if !t.b.p.Handles(rec.Type) {
				continue
			}
			err := page.errs[i]
			if err == nil {
				err = t.e.apply(rec, page.payloads[i])
			}
			if err != nil {
				// Refused, as the serving projection refuses it: skipped.
				res.Skipped++
				r.Logger.Warn("rebuild skipped an event", "projection", t.b.p.Name(), "event_id", rec.ID,
					"position", rec.Position.String(), "permanent", projector.IsPermanent(err), "err", err)
			}
		}
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := t.settle(ctx); err != nil {
		return err
	}
	for ti, rows := range t.chunks {
		if err := t.send(ctx, t.f.tables()[ti], rows); err != nil {
			return err
		}
	}
	for si, st := range t.f.sums() {
		var rows [][]any
		for k, n := range t.sums[si] {
			if n == 0 {
				continue
			}
			row := make([]any, 0, st.table.key+1)
			for _, part := range strings.Split(k, "\x00") {
				row = append(row, part)
			}
			rows = append(rows, append(row, n))
		}
		if err := t.send(ctx, st.table, rows); err != nil {
			return err
		}
	}
	return nil
}

// settle takes the rows of the stream folded so far, and its share of the sums.
func (t *bulkTarget) settle(ctx context.Context) error {
	if t.e == nil {
		return nil
	}
	e := t.e
	t.e, t.stream = nil, ""
	tabs := t.f.tables()
	var full []int
	e.rows(func(ti int, fields []any) {
		t.chunks[ti] = append(t.chunks[ti], values(fields))
		if len(t.chunks[ti]) == chunkRows {
			full = append(full, ti)
		}
	})
	for si, st := range t.f.sums() {
		t.sums[si].add(st, e, 1)
	}
	for _, ti := range full {
		if err := t.send(ctx, tabs[ti], t.chunks[ti]); err != nil {
			return err
		}
		t.chunks[ti] = nil
	}
	return nil
}

func (t *bulkTarget) send(ctx context.Context, tab *table, rows [][]any) error {
	if len(rows) == 0 {
		return nil
	}
	select {
	case t.copies <- copyJob{table: tab, rows: rows}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// copyChunks writes t's chunks into its copies with COPY, each chunk in a transaction
// of its own: a long transaction would hold back every subscriber of the log, which
// reads below the oldest one running. A table with derived columns is copied into a
// temporary table of the same connection first, from which one INSERT computes them.
func (r Rebuilder) copyChunks(ctx context.Context, t *bulkTarget, conn *pgxpool.Conn) error {
	staged := map[string]bool{}
	defer func() {
		for name := range staged {
			_, _ = conn.Exec(context.WithoutCancel(ctx), `DROP TABLE IF EXISTS pg_temp.`+pgx.Identifier{"stage_" + name}.Sanitize())
		}
	}()
	for job := range t.copies {
		tab := job.table
		target := pgx.Identifier{t.b.schema, tab.name}
		if len(tab.transient) == 0 {
			if _, err := conn.CopyFrom(ctx, target, tab.columns, pgx.CopyFromRows(job.rows)); err != nil {
				return fmt.Errorf("projection: rebuild %s: copy into %s: %w", t.b.p.Name(), tab.name, err)
			}
			continue
		}
		stage := pgx.Identifier{"stage_" + tab.name}
		if !staged[tab.name] {
			if err := createStage(ctx, conn, tab, target, stage); err != nil {
				return fmt.Errorf("projection: rebuild %s: stage %s: %w", t.b.p.Name(), tab.name, err)
			}
			staged[tab.name] = true
		}
		err := pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
			if _, err := tx.CopyFrom(ctx, stage, tab.columns, pgx.CopyFromRows(job.rows)); err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, fmt.Sprintf(tab.fromStage, target.Sanitize(), stage.Sanitize())); err != nil {
				return err
			}
			_, err := tx.Exec(ctx, `TRUNCATE `+stage.Sanitize())
			return err
		})
		if err != nil {
			return fmt.Errorf("projection: rebuild %s: copy into %s: %w", t.b.p.Name(), tab.name, err)
		}
	}
	return nil
}

// createStage creates the temporary table a table with derived columns is copied into:
// its stored columns, typed as in target, and its transient ones, as text.
func createStage(ctx context.Context, conn *pgxpool.Conn, tab *table, target, stage pgx.Identifier) error {
	if _, err := conn.Exec(ctx, `DROP TABLE IF EXISTS pg_temp.`+stage.Sanitize()); err != nil {
		return err
	}
	if _, err := conn.Exec(ctx, `CREATE TEMPORARY TABLE `+stage.Sanitize()+` AS SELECT `+strings.Join(tab.stored(), ", ")+
		` FROM `+target.Sanitize()+` WITH NO DATA`); err != nil {
		return err
	}
	for _, c := range tab.transient {
		if _, err := conn.Exec(ctx, `ALTER TABLE `+stage.Sanitize()+` ADD COLUMN `+pgx.Identifier{c}.Sanitize()+` text`); err != nil {
			return err
		}
	}
	return nil
}
