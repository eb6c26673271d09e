package eventstore_test

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"passerelle.dev/events"
	"passerelle.dev/events/eventstore"
	"passerelle.dev/kernel/pgtest"
)

// The benchmarks compare the event store with plain PostgreSQL doing the same work on a
// table of the same shape (same columns, constraints and indexes): `make bench` prints
// each pair with its ratio. Each runs on a database of its own.

var benchPayload = json.RawMessage(`{"associationId":"0190b2f4-0000-7000-8000-000000000001","name":"Ghanaian Nurses Network","city":"london","originCountries":["GH"]}`)

func benchEvent() events.Event {
	return events.Event{ID: events.NewEventID(), Type: "bench.Registered", SchemaVersion: 1, Data: benchPayload,
		Metadata: events.Metadata{CorrelationID: "bench", CausationID: "bench", Actor: events.Actor{Role: events.RoleSystem, Subject: "bench"}}}
}

func benchPool(b *testing.B) *pgxpool.Pool {
	b.Helper()
	pool := pgtest.PoolFor(b, db.Fresh(b))
	if _, err := pool.Exec(context.Background(), `CREATE TABLE bench_raw (LIKE eventstore.events INCLUDING ALL)`); err != nil {
		b.Fatal(err)
	}
	return pool
}

// runWriters spreads b.N operations over writers goroutines, each with a stream of its
// own, and reports events per second.
func runWriters(b *testing.B, writers, eventsPerOp int, op func(writer int, version int64) error) {
	b.Helper()
	var (
		next  atomic.Int64
		wg    sync.WaitGroup
		errMu sync.Mutex
		first error
	)
	b.ResetTimer()
	start := time.Now()
	for w := 0; w < writers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var version int64
			for next.Add(1) <= int64(b.N) {
				if err := op(w, version); err != nil {
					errMu.Lock()
					first = err
					errMu.Unlock()
					return
				}
				version += int64(eventsPerOp)
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	b.StopTimer()
	if first != nil {
		b.Fatal(first)
	}
	b.ReportMetric(float64(b.N*eventsPerOp)/elapsed.Seconds(), "events/s")
}

var appendCases = []struct{ events, writers int }{{1, 1}, {1, 16}, {10, 16}}

func BenchmarkAppend(b *testing.B) {
	for _, c := range appendCases {
		b.Run(fmt.Sprintf("events=%d/writers=%d", c.events, c.writers), func(b *testing.B) {
			pool := benchPool(b)
			store, err := eventstore.NewStore(eventstore.Config{Pool: pool})
			if err != nil {
				b.Fatal(err)
			}
			defer store.Close()
			run := uuid.NewString()[:8]
			ctx := context.Background()
			runWriters(b, c.writers, c.events, func(w int, version int64) error {
				evs := make([]events.Event, c.events)
				for i := range evs {
					evs[i] = benchEvent()
				}
				_, err := store.Append(ctx, fmt.Sprintf("bench-%s-%d", run, w), eventstore.AtVersion(version), evs...)
				return err
			})
		})
	}
}

func BenchmarkRawInsert(b *testing.B) {
	for _, c := range appendCases {
		b.Run(fmt.Sprintf("events=%d/writers=%d", c.events, c.writers), func(b *testing.B) {
			pool := benchPool(b)
			run := uuid.NewString()[:8]
			ctx := context.Background()
			// One multi-row INSERT per operation, as a hand-written writer would do.
			var sql strings.Builder
			sql.WriteString(`INSERT INTO bench_raw (event_id, stream_id, stream_version, event_type, schema_version, data, metadata) VALUES `)
			for i := 0; i < c.events; i++ {
				if i > 0 {
					sql.WriteString(", ")
				}
				fmt.Fprintf(&sql, "($%d, $%d, $%d, $%d, $%d, $%d, $%d)", i*7+1, i*7+2, i*7+3, i*7+4, i*7+5, i*7+6, i*7+7)
			}
			md := `{"actor":{"role":"system","sub":"bench"},"causationId":"bench","correlationId":"bench"}`
			runWriters(b, c.writers, c.events, func(w int, version int64) error {
				args := make([]any, 0, c.events*7)
				stream := fmt.Sprintf("bench-%s-%d", run, w)
				for i := 0; i < c.events; i++ {
					ev := benchEvent()
					args = append(args, ev.ID.String(), stream, version+int64(i)+1, ev.Type, ev.SchemaVersion, string(ev.Data), md)
				}
				_, err := pool.Exec(ctx, sql.String(), args...)
				return err
			})
		})
	}
}

const catchUpEvents = 100000

var (
	seedOnce  sync.Once
	seeded    *eventstore.Store
	seededErr error
)

// seedForReading appends catchUpEvents events through the store into the package's
// database (benchmarks run without the tests) and copies them into a raw table of the
// same shape, so both reads scan the same rows. It seeds once per run: the benchmark
// framework calls a benchmark several times.
func seedForReading(b *testing.B) (*pgxpool.Pool, *eventstore.Store) {
	b.Helper()
	seedOnce.Do(func() { seeded, seededErr = seed() })
	if seededErr != nil {
		b.Fatal(seededErr)
	}
	return seededPool, seeded
}

var seededPool *pgxpool.Pool

func seed() (*eventstore.Store, error) {
	ctx := context.Background()
	pool, err := pgxpool.New(ctx, db.URL)
	if err != nil {
		return nil, err
	}
	seededPool = pool
	if _, err := pool.Exec(ctx, `CREATE TABLE bench_raw (LIKE eventstore.events INCLUDING ALL)`); err != nil {
		return nil, err
	}
	store, err := eventstore.NewStore(eventstore.Config{Pool: pool})
	if err != nil {
		return nil, err
	}
	const writers, batch = 8, 50
	var wg sync.WaitGroup
	errs := make(chan error, writers)
	for w := 0; w < writers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for v := int64(0); v < catchUpEvents/writers; v += batch {
				evs := make([]events.Event, batch)
				for i := range evs {
					evs[i] = benchEvent()
				}
				if _, err := store.Append(ctx, fmt.Sprintf("seed-%d", w), eventstore.AtVersion(v), evs...); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		return nil, err
	}
	if _, err := pool.Exec(ctx, `INSERT INTO bench_raw OVERRIDING SYSTEM VALUE SELECT * FROM eventstore.events`); err != nil {
		return nil, err
	}
	if _, err := pool.Exec(ctx, `VACUUM ANALYZE bench_raw`); err != nil {
		return nil, err
	}
	if _, err := pool.Exec(ctx, `VACUUM ANALYZE eventstore.events`); err != nil {
		return nil, err
	}
	return store, nil
}

func BenchmarkCatchUpRead(b *testing.B) {
	_, store := seedForReading(b)
	ctx := context.Background()
	b.ResetTimer()
	start := time.Now()
	for i := 0; i < b.N; i++ {
		var (
			after events.Position
			n     int
		)
		for {
			recs, err := store.ReadAll(ctx, after, 1000)
			if err != nil {
				b.Fatal(err)
			}
			n += len(recs)
			if len(recs) < 1000 {
				break
			}
			after = recs[len(recs)-1].Position
		}
		if n != catchUpEvents {
			b.Fatalf("read %d events, want %d", n, catchUpEvents)
		}
	}
	b.ReportMetric(float64(b.N*catchUpEvents)/time.Since(start).Seconds(), "events/s")
}

// BenchmarkRawScan is the catch-up read's baseline: a keyset scan in pages of 1000 by
// global position, decoding the same columns.
func BenchmarkRawScan(b *testing.B) {
	pool, _ := seedForReading(b)
	ctx := context.Background()
	b.ResetTimer()
	start := time.Now()
	for i := 0; i < b.N; i++ {
		var after int64
		n := 0
		for {
			rows, err := pool.Query(ctx, `SELECT global_position, transaction_id::text, event_id::text, stream_id, stream_version,
				event_type, schema_version, data, metadata, recorded_at
				FROM bench_raw WHERE global_position > $1 ORDER BY global_position LIMIT 1000`, after)
			if err != nil {
				b.Fatal(err)
			}
			type row struct {
				pos                   int64
				txid, id, stream, typ string
				version               int64
				schema                int32
				data, md              []byte
				at                    time.Time
			}
			page, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (row, error) {
				var x row
				err := r.Scan(&x.pos, &x.txid, &x.id, &x.stream, &x.version, &x.typ, &x.schema, &x.data, &x.md, &x.at)
				return x, err
			})
			if err != nil {
				b.Fatal(err)
			}
			n += len(page)
			if len(page) < 1000 {
				break
			}
			after = page[len(page)-1].pos
		}
		if n != catchUpEvents {
			b.Fatalf("read %d rows, want %d", n, catchUpEvents)
		}
	}
	b.ReportMetric(float64(b.N*catchUpEvents)/time.Since(start).Seconds(), "events/s")
}

// BenchmarkDeliveryLatency measures the time from an append's return to its delivery to
// a subscriber woken by notifications (its poll interval is an hour, so polling cannot
// be what delivers).
func BenchmarkDeliveryLatency(b *testing.B) {
	pool := benchPool(b)
	store, err := eventstore.NewStore(eventstore.Config{Pool: pool})
	if err != nil {
		b.Fatal(err)
	}
	defer store.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	notifications := eventstore.NewNotifications(pool, nil)
	go func() { _ = notifications.Run(ctx) }()
	<-notifications.Connected()
	sub, err := eventstore.NewSubscriber(eventstore.SubscriberConfig{Pool: pool, ConsumerGroup: "bench", Notifications: notifications, PollInterval: time.Hour})
	if err != nil {
		b.Fatal(err)
	}
	defer func() { _ = sub.Close() }()
	msgs, err := sub.Subscribe(ctx, eventstore.Topic)
	if err != nil {
		b.Fatal(err)
	}
	latencies := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := store.Append(ctx, "latency", eventstore.AtVersion(int64(i)), benchEvent()); err != nil {
			b.Fatal(err)
		}
		appended := time.Now()
		select {
		case m := <-msgs:
			latencies = append(latencies, time.Since(appended))
			m.Ack()
		case <-time.After(10 * time.Second):
			b.Fatal("event not delivered")
		}
	}
	b.StopTimer()
	sort.Slice(latencies, func(i, j int) bool { return latencies[i] < latencies[j] })
	b.ReportMetric(float64(latencies[len(latencies)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(latencies[len(latencies)*99/100].Microseconds())/1000, "p99-ms")
}
