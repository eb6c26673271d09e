package eventstore_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"passerelle.dev/events"
	"passerelle.dev/events/eventstore"
	"passerelle.dev/kernel/pgtest"
)

var db *pgtest.Database

func TestMain(m *testing.M) {
	os.Exit(pgtest.Run(m, &db, eventstore.Migrations()))
}

func newStore(t *testing.T, pool *pgxpool.Pool) *eventstore.Store {
	t.Helper()
	s, err := eventstore.NewStore(eventstore.Config{Pool: pool})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	return s
}

func newEvent(n int) events.Event {
	return events.Event{
		ID:            events.NewEventID(),
		Type:          "test.Counted",
		SchemaVersion: 1,
		Data:          json.RawMessage(fmt.Sprintf(`{"n":%d}`, n)),
		Metadata: events.Metadata{
			CorrelationID: "corr-1",
			CausationID:   "cmd-1",
			Actor:         events.Actor{Role: events.RoleCoordinator, City: "london", Subject: "c-1"},
		},
	}
}

func uniqueStream(t *testing.T) string {
	return fmt.Sprintf("test-%s-%s", t.Name(), events.NewEventID())
}

func TestAppendThenReadStreamKeepsEverything(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	store := newStore(t, db.Pool(t))
	stream := uniqueStream(t)

	in := []events.Event{newEvent(1), newEvent(2), newEvent(3)}
	recs, err := store.Append(ctx, stream, eventstore.NoStream, in...)
	if err != nil {
		t.Fatal(err)
	}
	got, err := store.ReadStream(ctx, stream, 1)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 || len(recs) != 3 {
		t.Fatalf("appended %d, read %d events, want 3", len(recs), len(got))
	}
	for i, r := range got {
		if r.ID != in[i].ID || r.StreamVersion != int64(i+1) || r.Type != in[i].Type || r.SchemaVersion != 1 {
			t.Errorf("event %d: got id %s v%d %s", i, r.ID, r.StreamVersion, r.Type)
		}
		if !sameJSON(t, r.Data, in[i].Data) {
			t.Errorf("event %d: data %s, want %s", i, r.Data, in[i].Data)
		}
		if r.Metadata != in[i].Metadata {
			t.Errorf("event %d: metadata %+v, want %+v", i, r.Metadata, in[i].Metadata)
		}
		if r.Position != recs[i].Position || r.RecordedAt.IsZero() {
			t.Errorf("event %d: position %v, append returned %v", i, r.Position, recs[i].Position)
		}
		if i > 0 && !got[i-1].Position.Before(r.Position) {
			t.Errorf("event %d: position %v not after %v", i, r.Position, got[i-1].Position)
		}
	}
	from2, err := store.ReadStream(ctx, stream, 2)
	if err != nil {
		t.Fatal(err)
	}
	if len(from2) != 2 || from2[0].StreamVersion != 2 {
		t.Fatalf("read from version 2: %d events", len(from2))
	}
}

func TestStaleOrFutureExpectedVersionWritesNothing(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	store := newStore(t, db.Pool(t))
	stream := uniqueStream(t)
	if _, err := store.Append(ctx, stream, eventstore.NoStream, newEvent(1)); err != nil {
		t.Fatal(err)
	}

	cases := []struct {
		name       string
		expected   eventstore.ExpectedVersion
		wantActual int64
	}{
		{"stream must not exist", eventstore.NoStream, 1},
		{"stale version", eventstore.AtVersion(0), 1},
		{"version from the future would leave a gap", eventstore.AtVersion(5), 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := store.Append(ctx, stream, c.expected, newEvent(2))
			if !errors.Is(err, eventstore.ErrWrongExpectedVersion) {
				t.Fatalf("got %v, want ErrWrongExpectedVersion", err)
			}
			var wrong *eventstore.WrongExpectedVersionError
			if !errors.As(err, &wrong) || wrong.Actual != c.wantActual {
				t.Fatalf("got %#v, want actual version %d", err, c.wantActual)
			}
		})
	}
	v, err := store.StreamVersion(ctx, stream)
	if err != nil || v != 1 {
		t.Fatalf("stream version %d (%v), want 1: a refused append wrote something", v, err)
	}
}

func TestRetriedAppendIsStoredOnce(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	store := newStore(t, db.Pool(t))
	stream := uniqueStream(t)
	evs := []events.Event{newEvent(1), newEvent(2)}

	first, err := store.Append(ctx, stream, eventstore.NoStream, evs...)
	if err != nil {
		t.Fatal(err)
	}
	// The client never saw the answer and sends the very same append again.
	again, err := store.Append(ctx, stream, eventstore.NoStream, evs...)
	if err != nil {
		t.Fatalf("retry: %v", err)
	}
	if again[1].Position != first[1].Position {
		t.Fatalf("retry returned position %v, first append %v", again[1].Position, first[1].Position)
	}
	all, err := store.ReadStream(ctx, stream, 1)
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 2 {
		t.Fatalf("stream has %d events after a retried append of 2", len(all))
	}

	// Reusing one of those ids for something else is refused.
	reused := newEvent(3)
	reused.ID = evs[0].ID
	if _, err := store.Append(ctx, uniqueStream(t), eventstore.NoStream, reused); !errors.Is(err, eventstore.ErrDuplicateEventID) {
		t.Fatalf("reused id in another stream: got %v, want ErrDuplicateEventID", err)
	}
}

func TestConcurrentWritersWinOncePerVersion(t *testing.T) {
	t.Parallel()
	const writers, rounds = 32, 20
	ctx := context.Background()
	store := newStore(t, db.Pool(t))
	stream := uniqueStream(t)

	for round := 0; round < rounds; round++ {
		var (
			start            = make(chan struct{})
			wg               sync.WaitGroup
			mu               sync.Mutex
			wins, conflicts  int
			unexpectedErrors []error
		)
		for w := 0; w < writers; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				_, err := store.Append(ctx, stream, eventstore.AtVersion(int64(round)), newEvent(w))
				mu.Lock()
				defer mu.Unlock()
				switch {
				case err == nil:
					wins++
				case errors.Is(err, eventstore.ErrWrongExpectedVersion):
					conflicts++
				default:
					unexpectedErrors = append(unexpectedErrors, err)
				}
			}()
		}
		close(start)
		wg.Wait()
		if len(unexpectedErrors) > 0 {
			t.Fatalf("round %d: unexpected errors: %v", round, unexpectedErrors)
		}
		if wins != 1 || conflicts != writers-1 {
			t.Fatalf("round %d: %d wins and %d conflicts, want 1 and %d", round, wins, conflicts, writers-1)
		}
	}

	all, err := store.ReadStream(ctx, stream, 1)
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != rounds {
		t.Fatalf("stream has %d events, want %d", len(all), rounds)
	}
	for i, r := range all {
		if r.StreamVersion != int64(i+1) {
			t.Fatalf("version gap: event %d has version %d", i, r.StreamVersion)
		}
	}
}

func TestAnyVersionAppendsNeverLoseAnEvent(t *testing.T) {
	t.Parallel()
	const writers, each = 16, 10
	ctx := context.Background()
	store := newStore(t, db.Pool(t))
	stream := uniqueStream(t)

	var wg sync.WaitGroup
	errs := make(chan error, writers*each)
	for w := 0; w < writers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < each; i++ {
				if _, err := store.Append(ctx, stream, eventstore.AnyVersion, newEvent(w*each+i)); err != nil {
					errs <- err
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	v, err := store.StreamVersion(ctx, stream)
	if err != nil || v != writers*each {
		t.Fatalf("version %d (%v), want %d", v, err, writers*each)
	}
}

func TestReadAllHoldsBackLaterEventsUntilEarlierTransactionsCommit(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := pgtest.PoolFor(t, db.Fresh(t))
	store := newStore(t, pool)

	// T1 takes the lower global position and stays open.
	t1, err := pool.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer t1.Rollback(ctx)
	early, err := store.AppendInTx(ctx, t1, "early", eventstore.NoStream, newEvent(1))
	if err != nil {
		t.Fatal(err)
	}
	// T2 takes a higher position and commits first.
	late, err := store.Append(ctx, "late", eventstore.NoStream, newEvent(2))
	if err != nil {
		t.Fatal(err)
	}
	if early[0].Position.GlobalPosition >= late[0].Position.GlobalPosition {
		t.Fatalf("setup: early position %v, late %v", early[0].Position, late[0].Position)
	}

	got, err := store.ReadAll(ctx, events.Position{}, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 0 {
		t.Fatalf("read %d events while an earlier transaction is open; reading the later one would skip the earlier", len(got))
	}
	if err := t1.Commit(ctx); err != nil {
		t.Fatal(err)
	}

	got = waitReadAll(t, store, 2)
	if got[0].ID != early[0].ID || got[1].ID != late[0].ID {
		t.Fatalf("order: got %s, %s; want early then late", got[0].StreamID, got[1].StreamID)
	}
	head, err := store.Head(ctx)
	if err != nil || head != got[1].Position {
		t.Fatalf("head %v (%v), want %v", head, err, got[1].Position)
	}
	rest, err := store.ReadAll(ctx, got[0].Position, 10)
	if err != nil || len(rest) != 1 || rest[0].ID != late[0].ID {
		t.Fatalf("read after the first event: %v (%v)", rest, err)
	}
}

// waitReadAll reads the whole log until it holds n events: other tests' transactions on
// the same server may briefly hold the visibility horizon back.
func waitReadAll(t *testing.T, store *eventstore.Store, n int) []events.Recorded {
	t.Helper()
	var got []events.Recorded
	pgtest.Eventually(t, 60*time.Second, fmt.Sprintf("%d events to be readable", n), func() (bool, error) {
		var err error
		got, err = store.ReadAll(context.Background(), events.Position{}, n+10)
		return len(got) >= n, err
	})
	if len(got) != n {
		t.Fatalf("read %d events, want %d", len(got), n)
	}
	return got
}

func TestTransactAppendsAtomicallyWithOtherWrites(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := db.Pool(t)
	store := newStore(t, pool)
	stream := uniqueStream(t)

	boom := errors.New("reservation failed")
	err := store.Transact(ctx, func(tx pgx.Tx) error {
		if _, err := store.AppendInTx(ctx, tx, stream, eventstore.NoStream, newEvent(1)); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("got %v", err)
	}
	if v, _ := store.StreamVersion(ctx, stream); v != 0 {
		t.Fatalf("a rolled-back transaction left version %d", v)
	}
	if err := store.Transact(ctx, func(tx pgx.Tx) error {
		_, err := store.AppendInTx(ctx, tx, stream, eventstore.NoStream, newEvent(1))
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if v, _ := store.StreamVersion(ctx, stream); v != 1 {
		t.Fatalf("version %d after a committed transaction, want 1", v)
	}
}

func sameJSON(t *testing.T, a, b json.RawMessage) bool {
	t.Helper()
	var va, vb any
	if err := json.Unmarshal(a, &va); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &vb); err != nil {
		t.Fatal(err)
	}
	return reflect.DeepEqual(va, vb)
}
