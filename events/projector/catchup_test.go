package projector_test

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"passerelle.dev/events"
	"passerelle.dev/kernel/pgtest"
)

// transactions wraps a counter and records the transaction each event was applied in.
type transactions struct{ *counter }

func (p transactions) Apply(ctx context.Context, tx pgx.Tx, ev events.Recorded, payload any) error {
	if _, err := tx.Exec(ctx, `INSERT INTO applied_in (event_id, xact) VALUES ($1, pg_current_xact_id()::text)`, ev.ID); err != nil {
		return err
	}
	return p.counter.Apply(ctx, tx, ev, payload)
}

// TestAProjectionFarBehindCatchesUpInPages starts a projection behind 2,500 events: it
// catches up in a few transactions of a thousand events, neither skipping nor doubling
// one, then follows new events as they come.
func TestAProjectionFarBehindCatchesUpInPages(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	if _, err := e.pool.Exec(ctx, `CREATE TABLE applied_in (event_id uuid NOT NULL, xact text NOT NULL)`); err != nil {
		t.Fatal(err)
	}
	want, last := e.appendCounted(t, 50, 50)
	// Other tests' transactions on the server can hold the events back for a while;
	// catching up starts once they are all readable, as it would after a stop.
	pgtest.Eventually(t, 60*time.Second, "the events to be readable", func() (bool, error) {
		recs, err := e.store.ReadAll(ctx, events.Position{}, 3000)
		return len(recs) == 2500, err
	})
	p := transactions{newCounter(t, e.pool, "behind")}
	e.start(t, time.Second, p)
	e.waitCaughtUp(t, last, p.Name())
	var events, xacts int
	if err := e.pool.QueryRow(ctx, `SELECT count(*), count(DISTINCT xact) FROM applied_in`).Scan(&events, &xacts); err != nil {
		t.Fatal(err)
	}
	if events != 2500 || xacts > 3 {
		t.Fatalf("%d events applied in %d transactions, want 2500 in at most 3", events, xacts)
	}
	if got := p.state(t, e.pool); got != (counterState{rows: 2500, distinct: 2500, total: want, applied: 2500}) {
		t.Fatalf("after catching up: %+v", got)
	}

	more, last := e.appendCounted(t, 2, 5)
	e.waitCaughtUp(t, last, p.Name())
	if got := p.state(t, e.pool); got != (counterState{rows: 2510, distinct: 2510, total: want + more, applied: 2510}) {
		t.Fatalf("after new events: %+v", got)
	}
}
