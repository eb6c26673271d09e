package platform_test

import (
	"context"
	"fmt"
	"os"
	"regexp"
	"strconv"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"golang.org/x/sync/errgroup"

	"passerelle.dev/events/eventstore"
	"passerelle.dev/graph/gateway"
	"passerelle.dev/graph/projection"
	"passerelle.dev/graph/tables"
	"passerelle.dev/infra/platform"
	"passerelle.dev/kernel/pgmigrate"
	"passerelle.dev/kernel/pguuid"
)

// rebuildEvents is the size of the log the rebuild benchmark replays: BENCH_REBUILD_EVENTS,
// 1,000,000 by default.
func rebuildEvents(b *testing.B) int {
	return benchSize(b, "BENCH_REBUILD_EVENTS", "events", 1000, 1_000_000)
}

var uuidPattern = regexp.MustCompile(`[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`)

// rebuildLog returns a database whose log holds n events: the generated data set's log
// (see the read benchmarks), then copies of it in which every id is replaced by a new
// one — more associations, sessions and proposals living the same lives — until there
// are n. It is built once and kept, as database passerelle_rebuild_bench_<n>.
func rebuildLog(b *testing.B, n int) *pgxpool.Pool {
	b.Helper()
	ctx := context.Background()
	source := setupReadBench(b).pool
	dbURL, created := benchDatabase(b, fmt.Sprintf("passerelle_rebuild_bench_%d", n))
	cfg, err := pgxpool.ParseConfig(dbURL)
	if err != nil {
		b.Fatal(err)
	}
	cfg.MaxConns = 25                      // as a process has (PASSERELLE_DB_MAX_CONNS): every projection at once
	cfg.AfterConnect = pguuid.AfterConnect // as the platform's pools have
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(pool.Close)
	var have int
	if !created {
		if err := pool.QueryRow(ctx, `SELECT count(*) FROM eventstore.events`).Scan(&have); err != nil {
			have = -1
		}
	}
	if have == n {
		// A log kept from an earlier run: its read models' tables follow the code's
		// migrations, as the platform's would.
		if err := pgmigrate.Apply(ctx, pool, platform.Migrations()...); err != nil {
			b.Fatal(err)
		}
		return pool
	}
	fmt.Fprintf(os.Stderr, "building a log of %d events once, into %s\n", n, dbURL)
	if !created {
		if _, err := pool.Exec(ctx, `DROP SCHEMA IF EXISTS eventstore, graph, directory, sessions, proposals, pgmigrate CASCADE`); err != nil {
			b.Fatal(err)
		}
	}
	if err := pgmigrate.Apply(ctx, pool, platform.Migrations()...); err != nil {
		b.Fatal(err)
	}
	columns := []string{"event_id", "stream_id", "stream_version", "event_type", "schema_version", "data", "metadata", "recorded_at"}
	written := 0
	for copyNo := 0; written < n; copyNo++ {
		ids := map[string]string{}
		remap := func(s string) string {
			if copyNo == 0 {
				return s
			}
			return uuidPattern.ReplaceAllStringFunc(s, func(id string) string {
				if to, ok := ids[id]; ok {
					return to
				}
				to := uuid.Must(uuid.NewV7()).String()
				ids[id] = to
				return to
			})
		}
		var after int64
		for written < n {
			rows, err := source.Query(ctx, `SELECT global_position, event_id::text, stream_id, stream_version, event_type, schema_version,
				data::text, metadata::text, recorded_at FROM eventstore.events WHERE global_position > $1 ORDER BY global_position LIMIT 10000`, after)
			if err != nil {
				b.Fatal(err)
			}
			var page [][]any
			for rows.Next() {
				var (
					pos                         int64
					id, stream, typ, data, meta string
					version                     int64
					schema                      int
					at                          time.Time
				)
				if err := rows.Scan(&pos, &id, &stream, &version, &typ, &schema, &data, &meta, &at); err != nil {
					b.Fatal(err)
				}
				after = pos
				if copyNo > 0 && !uuidPattern.MatchString(stream) {
					continue // a city's stream: there are only so many cities
				}
				page = append(page, []any{remap(id), remap(stream), version, typ, schema, remap(data), remap(meta), at})
				if written+len(page) == n {
					break
				}
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				b.Fatal(err)
			}
			if len(page) == 0 {
				break // this copy is complete
			}
			if _, err := pool.CopyFrom(ctx, pgx.Identifier{"eventstore", "events"}, columns, pgx.CopyFromRows(page)); err != nil {
				b.Fatal(err)
			}
			written += len(page)
		}
	}
	if _, err := pool.Exec(ctx, `VACUUM ANALYZE eventstore.events`); err != nil {
		b.Fatal(err)
	}
	return pool
}

// BenchmarkRebuildAll rebuilds every projection of the gateway from the whole log in one
// pass (as `passerelle projections rebuild` does), beside a plain keyset scan of the
// same events: what reading the log alone costs.
func BenchmarkRebuildAll(b *testing.B) {
	n := rebuildEvents(b)
	pool := rebuildLog(b, n)
	ctx := context.Background()
	b.Run("via=projections", func(b *testing.B) {
		store, err := eventstore.NewStore(eventstore.Config{Pool: pool})
		if err != nil {
			b.Fatal(err)
		}
		defer store.Close()
		registry, err := gateway.Registry()
		if err != nil {
			b.Fatal(err)
		}
		rebuilder := projection.Rebuilder{Pool: pool, Store: store, Registry: registry, Logger: quiet}
		b.ResetTimer()
		began := time.Now()
		for range b.N {
			if _, err := rebuilder.RebuildAll(ctx, gateway.Owners()); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(n*b.N)/time.Since(began).Seconds(), "events/s")
		b.ReportMetric(float64(n), "events")
	})
	// What PostgreSQL alone spends writing what a rebuild writes: the rows the rebuild
	// left in the serving tables copied into fresh tables (the search documents made
	// again from the texts, as a rebuild makes them), then the same keys and indexes,
	// two statements at a time as on the two cores here. No event is read, nothing runs
	// in Go: no rebuild on this stack can take less.
	b.Run("via=write-floor", func(b *testing.B) {
		b.ResetTimer()
		began := time.Now()
		for range b.N {
			if err := writeFloor(ctx, pool); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(n*b.N)/time.Since(began).Seconds(), "events/s")
	})
	b.Run("via=raw-scan", func(b *testing.B) {
		b.ResetTimer()
		began := time.Now()
		for range b.N {
			var after, txid int64
			read := 0
			for {
				rows, err := pool.Query(ctx, `SELECT e.global_position, e.transaction_id::text::bigint, e.event_id, e.stream_id, e.stream_version,
					e.event_type, e.schema_version, e.data, e.metadata, e.recorded_at FROM eventstore.events e
					WHERE (e.transaction_id, e.global_position) > ($1::text::xid8, $2) ORDER BY e.transaction_id, e.global_position LIMIT 5000`,
					strconv.FormatInt(txid, 10), after)
				if err != nil {
					b.Fatal(err)
				}
				got := 0
				for rows.Next() {
					var (
						id          [16]byte
						data, meta  []byte
						stream, typ string
						version     int64
						schema      int
						at          time.Time
					)
					if err := rows.Scan(&after, &txid, &id, &stream, &version, &typ, &schema, &data, &meta, &at); err != nil {
						b.Fatal(err)
					}
					got++
				}
				if err := rows.Err(); err != nil {
					b.Fatal(err)
				}
				read += got
				if got < 5000 {
					break
				}
			}
			if read != n {
				b.Fatalf("read %d events, want %d", read, n)
			}
		}
		b.ReportMetric(float64(n*b.N)/time.Since(began).Seconds(), "events/s")
	})
}

// writeFloor writes the read models' rows into fresh tables of schema write_floor and
// builds their keys and indexes, two statements at a time.
func writeFloor(ctx context.Context, pool *pgxpool.Pool) error {
	var names []string
	for _, o := range gateway.Owners() {
		names = append(names, o.Tables()...)
	}
	if _, err := pool.Exec(ctx, `DROP SCHEMA IF EXISTS write_floor CASCADE; CREATE SCHEMA write_floor`); err != nil {
		return err
	}
	defer pool.Exec(context.WithoutCancel(ctx), `DROP SCHEMA IF EXISTS write_floor CASCADE`) //nolint:errcheck
	run := func(statements []string) error {
		next := make(chan string, len(statements))
		for _, st := range statements {
			next <- st
		}
		close(next)
		g, gctx := errgroup.WithContext(ctx)
		for range 2 {
			g.Go(func() error {
				for st := range next {
					if _, err := pool.Exec(gctx, `SET maintenance_work_mem = '256MB'; `+st); err != nil {
						return fmt.Errorf("%s: %w", st, err)
					}
				}
				return nil
			})
		}
		return g.Wait()
	}
	var copies []string
	for _, t := range names {
		copies = append(copies, fmt.Sprintf(`CREATE TABLE write_floor.%[1]s (LIKE graph.%[1]s INCLUDING DEFAULTS INCLUDING GENERATED)`, t))
	}
	if err := run(copies); err != nil {
		return err
	}
	var fills []string
	for _, t := range names {
		if t == "associations" {
			fills = append(fills, `INSERT INTO write_floor.associations SELECT id, seq, name, city, origin_countries, status,
				registered_at, verified_at, stream_version, name_folded, acronym, kind, country_of_residence, sectors, languages,
				description_en, description_fr, description_es, website, website_key, member_count, year_founded,
				contact_ciphertext, contact_erased, status_reason, status_changed_at,
				setweight(to_tsvector('simple', name_folded), 'A') ||
				setweight(to_tsvector('english', name_folded || ' ' || lower(description_en)), 'B') ||
				setweight(to_tsvector('french', name_folded || ' ' || lower(description_fr)), 'B') ||
				setweight(to_tsvector('simple', name_folded || ' ' || lower(description_en || ' ' || description_fr || ' ' || description_es)), 'C')
				FROM graph.associations`)
			continue
		}
		fills = append(fills, fmt.Sprintf(`INSERT INTO write_floor.%[1]s SELECT * FROM graph.%[1]s`, t))
	}
	if err := run(fills); err != nil {
		return err
	}
	tx, err := pool.Begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback(context.WithoutCancel(ctx)) //nolint:errcheck
	if err := tables.Keys(ctx, tx, "write_floor", names); err != nil {
		return err
	}
	indexes, err := tables.Indexes(ctx, tx, "write_floor", names)
	if err != nil {
		return err
	}
	if err := tx.Commit(ctx); err != nil {
		return err
	}
	return run(indexes)
}
