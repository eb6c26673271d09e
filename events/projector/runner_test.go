package projector_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"passerelle.dev/events"
	"passerelle.dev/events/eventstore"
	"passerelle.dev/events/projector"
	"passerelle.dev/kernel/pgtest"
)

var db *pgtest.Database

func TestMain(m *testing.M) { os.Exit(pgtest.Run(m, &db, eventstore.Migrations())) }

type counted struct {
	N int `json:"n"`
}

const countedType = "test.Counted"

func newRegistry() *events.Registry {
	r := events.NewRegistry()
	events.MustRegister[counted](r, countedType, 1)
	return r
}

// counter is a deliberately non-idempotent projection: applying an event twice shows up
// as a duplicate row and a wrong total, skipping one as a missing row.
type counter struct {
	name   string
	table  string
	seq    atomic.Int64
	mu     sync.Mutex
	before func(ctx context.Context, tx pgx.Tx, seq int64, ev events.Recorded) error
}

// setBefore installs a hook run before each event is applied.
func (c *counter) setBefore(f func(ctx context.Context, tx pgx.Tx, seq int64, ev events.Recorded) error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.before = f
}

func newCounter(t *testing.T, pool *pgxpool.Pool, name string) *counter {
	t.Helper()
	c := &counter{name: name, table: "proj_" + name}
	if _, err := pool.Exec(context.Background(), fmt.Sprintf(`
		CREATE TABLE %[1]s (event_id uuid NOT NULL, stream_id text NOT NULL, n int NOT NULL);
		CREATE TABLE %[1]s_total (id int PRIMARY KEY, total bigint NOT NULL, applied bigint NOT NULL);
		INSERT INTO %[1]s_total VALUES (1, 0, 0);`, c.table)); err != nil {
		t.Fatal(err)
	}
	return c
}

func (c *counter) Name() string            { return c.name }
func (c *counter) Handles(typ string) bool { return typ == countedType }

func (c *counter) Apply(ctx context.Context, tx pgx.Tx, ev events.Recorded, payload any) error {
	seq := c.seq.Add(1)
	c.mu.Lock()
	before := c.before
	c.mu.Unlock()
	if before != nil {
		if err := before(ctx, tx, seq, ev); err != nil {
			return err
		}
	}
	p := payload.(counted)
	if _, err := tx.Exec(ctx, fmt.Sprintf(`INSERT INTO %s (event_id, stream_id, n) VALUES ($1, $2, $3)`, c.table),
		ev.ID.String(), ev.StreamID, p.N); err != nil {
		return err
	}
	_, err := tx.Exec(ctx, fmt.Sprintf(`UPDATE %s_total SET total = total + $1, applied = applied + 1`, c.table), p.N)
	return err
}

func (c *counter) Reset(ctx context.Context, tx pgx.Tx) error {
	_, err := tx.Exec(ctx, fmt.Sprintf(`TRUNCATE %[1]s; UPDATE %[1]s_total SET total = 0, applied = 0`, c.table))
	return err
}

type counterState struct {
	rows, distinct, total, applied int64
}

func (c *counter) state(t *testing.T, pool *pgxpool.Pool) counterState {
	t.Helper()
	var s counterState
	err := pool.QueryRow(context.Background(), fmt.Sprintf(`SELECT
		(SELECT count(*) FROM %[1]s), (SELECT count(DISTINCT event_id) FROM %[1]s),
		total, applied FROM %[1]s_total`, c.table)).Scan(&s.rows, &s.distinct, &s.total, &s.applied)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

type env struct {
	pool          *pgxpool.Pool
	store         *eventstore.Store
	registry      *events.Registry
	notifications *eventstore.Notifications
	checkpoints   *projector.Checkpoints
}

func newEnv(t *testing.T) *env {
	t.Helper()
	pool := pgtest.PoolFor(t, db.Fresh(t))
	store, err := eventstore.NewStore(eventstore.Config{Pool: pool})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(store.Close)
	ctx, cancel := context.WithCancel(context.Background())
	notifications := eventstore.NewNotifications(pool, nil)
	done := make(chan struct{})
	go func() { defer close(done); _ = notifications.Run(ctx) }()
	t.Cleanup(func() { cancel(); <-done })
	select {
	case <-notifications.Connected():
	case <-time.After(10 * time.Second):
		t.Fatal("notifications never connected")
	}
	return &env{pool: pool, store: store, registry: newRegistry(), notifications: notifications,
		checkpoints: projector.NewCheckpoints(pool, notifications)}
}

// appendCounted appends numbered events and returns their sum and the position of the
// last one.
func (e *env) appendCounted(t *testing.T, streams, perStream int) (sum int64, last events.Position) {
	t.Helper()
	ctx := context.Background()
	for s := 0; s < streams; s++ {
		evs := make([]events.Event, perStream)
		for i := range evs {
			n := s*perStream + i + 1
			ev, err := e.registry.New(counted{N: n}, events.Metadata{Actor: events.System})
			if err != nil {
				t.Fatal(err)
			}
			evs[i] = ev
			sum += int64(n)
		}
		recs, err := e.store.Append(ctx, fmt.Sprintf("counter-%d", s), eventstore.AnyVersion, evs...)
		if err != nil {
			t.Fatal(err)
		}
		last = recs[len(recs)-1].Position
	}
	return sum, last
}

// start runs a projector until the returned stop function is called; stop returns once
// the runner has fully stopped.
func (e *env) start(t *testing.T, poll time.Duration, ps ...projector.Projection) (*projector.Runner, func()) {
	t.Helper()
	r, err := projector.NewRunner(projector.Config{
		Pool: e.pool, Registry: e.registry, Notifications: e.notifications,
		PollInterval: poll, MaxRetries: 3,
	}, ps...)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- r.Run(ctx) }()
	var once sync.Once
	stop := func() {
		once.Do(func() {
			cancel()
			select {
			case err := <-done:
				if err != nil {
					t.Errorf("runner: %v", err)
				}
			case <-time.After(30 * time.Second):
				t.Fatal("runner did not stop")
			}
		})
	}
	t.Cleanup(stop)
	return r, stop
}

func (e *env) waitCaughtUp(t *testing.T, pos events.Position, names ...string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := e.checkpoints.WaitFor(ctx, pos, names...); err != nil {
		cps, _ := e.checkpoints.Positions(context.Background(), names...)
		t.Fatalf("projections %v did not reach %v: %v (at %v)", names, pos, err, cps)
	}
}

func TestProjectorStoppedMidBatchNeitherSkipsNorDoubleApplies(t *testing.T) {
	t.Parallel()
	const streams, perStream = 30, 10 // 300 events: three batches of 100
	const killAt = 137                // in the middle of the second batch

	modes := []struct {
		name string
		// kill runs while the projector applies event number killAt, in the middle of
		// a batch; killed is closed once the projector must be stopped.
		kill func(ctx context.Context, tx pgx.Tx, killed chan<- struct{}) error
	}{
		// Stopping lets the subscriber end its batch: what was acknowledged commits (or
		// all of it rolls back), never the event being applied, which comes again after the
		// restart.
		{"stopped", func(ctx context.Context, _ pgx.Tx, killed chan<- struct{}) error {
			close(killed)
			<-ctx.Done()
			return ctx.Err()
		}},
		{"connection killed", func(ctx context.Context, tx pgx.Tx, killed chan<- struct{}) error {
			defer close(killed)
			if _, err := tx.Exec(ctx, `SELECT pg_terminate_backend(pg_backend_pid())`); err != nil {
				return err
			}
			return errors.New("the backend should be gone")
		}},
	}
	for _, mode := range modes {
		t.Run(mode.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t)
			want, last := e.appendCounted(t, streams, perStream)

			live := newCounter(t, e.pool, "live")
			killed := make(chan struct{})
			var once sync.Once
			live.setBefore(func(ctx context.Context, tx pgx.Tx, seq int64, _ events.Recorded) error {
				var err error
				if seq == killAt {
					once.Do(func() { err = mode.kill(ctx, tx, killed) })
				}
				return err
			})
			_, stopFirst := e.start(t, time.Second, live)
			select {
			case <-killed:
			case <-time.After(30 * time.Second):
				t.Fatal("the projector never reached the event to stop at")
			}
			stopFirst()
			// The event being applied is not committed; those acknowledged before it in
			// the batch are, with their writes, or none of the batch is.
			if mid := live.state(t, e.pool); mid.applied > killAt-1 {
				t.Fatalf("after the stop %d events are committed, want at most the %d before the one being applied", mid.applied, killAt-1)
			}

			live.setBefore(nil)
			e.start(t, time.Second, live)
			e.waitCaughtUp(t, last, live.Name())

			rebuilt := newCounter(t, e.pool, "rebuilt")
			res, err := projector.Rebuild(context.Background(), e.store, e.registry, rebuilt, nil)
			if err != nil {
				t.Fatal(err)
			}
			if res.Events != streams*perStream || res.Skipped != 0 {
				t.Fatalf("rebuild read %d events, skipped %d", res.Events, res.Skipped)
			}
			got, fromZero := live.state(t, e.pool), rebuilt.state(t, e.pool)
			wantState := counterState{rows: streams * perStream, distinct: streams * perStream, total: want, applied: streams * perStream}
			if got != wantState {
				t.Errorf("restarted projection: %+v, want %+v", got, wantState)
			}
			if fromZero != wantState {
				t.Errorf("rebuilt projection: %+v, want %+v", fromZero, wantState)
			}
		})
	}
}

func TestPoisonedEventIsRecordedAndSkipped(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	e.appendCounted(t, 1, 2)
	bad := events.Event{ID: events.NewEventID(), Type: countedType, SchemaVersion: 1,
		Data: json.RawMessage(`{"n":"twelve"}`), Metadata: events.Metadata{Actor: events.System}}
	if _, err := e.store.Append(ctx, "counter-bad", eventstore.NoStream, bad); err != nil {
		t.Fatal(err)
	}
	_, last := e.appendCounted(t, 1, 2)

	c := newCounter(t, e.pool, "poisoned")
	e.start(t, time.Second, c)
	e.waitCaughtUp(t, last, c.Name())

	if s := c.state(t, e.pool); s.applied != 4 {
		t.Fatalf("applied %d events, want the 4 good ones", s.applied)
	}
	var (
		n      int
		reason string
	)
	if err := e.pool.QueryRow(ctx, `SELECT count(*), coalesce(max(metadata->>'reason_poisoned'), '')
		FROM eventstore.poisoned_messages WHERE uuid = $1`, bad.ID.String()).Scan(&n, &reason); err != nil {
		t.Fatal(err)
	}
	if n != 1 || reason == "" {
		t.Fatalf("poison table holds %d rows for the bad event (reason %q), want 1 with a reason", n, reason)
	}
}

func TestTransientFailuresAreRetriedNeverSkipped(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	_, last := e.appendCounted(t, 2, 5)

	c := newCounter(t, e.pool, "flaky")
	var failures atomic.Int32
	c.setBefore(func(ctx context.Context, tx pgx.Tx, seq int64, ev events.Recorded) error {
		// The 4th event fails twice, after having written something in the savepoint.
		if seq >= 4 && failures.Load() < 2 {
			if _, err := tx.Exec(ctx, `INSERT INTO proj_flaky (event_id, stream_id, n) VALUES ($1, 'garbage', -1)`, ev.ID.String()); err != nil {
				return err
			}
			failures.Add(1)
			return errors.New("database hiccup")
		}
		return nil
	})
	e.start(t, time.Second, c)
	e.waitCaughtUp(t, last, c.Name())

	s := c.state(t, e.pool)
	if s.rows != 10 || s.distinct != 10 || s.applied != 10 || failures.Load() != 2 {
		t.Fatalf("state %+v after %d failures; want 10 events applied once each", s, failures.Load())
	}
	var poisoned int
	if err := e.pool.QueryRow(context.Background(), `SELECT count(*) FROM eventstore.poisoned_messages`).Scan(&poisoned); err != nil {
		t.Fatal(err)
	}
	if poisoned != 0 {
		t.Fatalf("%d events poisoned by a transient failure", poisoned)
	}
}

func TestNotificationsDeliverWithoutPolling(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c := newCounter(t, e.pool, "woken")
	// With an hour between polls, only a notification can make the projector look.
	r, _ := e.start(t, time.Hour, c)
	<-r.Running()
	pgtest.Eventually(t, 10*time.Second, "the projector's first empty poll", func() (bool, error) {
		return r.Polls(c.Name()) > 0, nil
	})

	for i := 1; i <= 3; i++ {
		e.appendCounted(t, 1, 1)
		pgtest.Eventually(t, 10*time.Second, fmt.Sprintf("event %d to be projected", i), func() (bool, error) {
			return c.state(t, e.pool).applied == int64(i), nil
		})
	}
}

func TestWaitForReturnsOnceTheProjectionHasTheEvent(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c := newCounter(t, e.pool, "awaited")
	e.start(t, time.Hour, c)

	ctx := context.Background()
	ev, _ := e.registry.New(counted{N: 42}, events.Metadata{Actor: events.System})
	recs, err := e.store.Append(ctx, "awaited-1", eventstore.NoStream, ev)
	if err != nil {
		t.Fatal(err)
	}
	waitCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := e.checkpoints.WaitFor(waitCtx, recs[0].Position, c.Name()); err != nil {
		t.Fatal(err)
	}
	// Read-your-writes: once WaitFor returns, the projection shows the event.
	if s := c.state(t, e.pool); s.total != 42 {
		t.Fatalf("projection total %d right after WaitFor, want 42", s.total)
	}

	short, cancelShort := context.WithTimeout(ctx, 50*time.Millisecond)
	defer cancelShort()
	future := recs[0].Position
	future.TransactionID += 1 << 40
	if err := e.checkpoints.WaitFor(short, future, c.Name()); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("waiting for a position nobody will reach: got %v, want the deadline", err)
	}
}
