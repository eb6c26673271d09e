package projector_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"passerelle.dev/events"
	"passerelle.dev/events/eventstore"
	"passerelle.dev/events/projector"
)

// elsewhere is a projection of other events, never run: its position never moves.
type elsewhere struct{}

func (elsewhere) Name() string                                              { return "elsewhere" }
func (elsewhere) Handles(typ string) bool                                   { return typ == "test.Elsewhere" }
func (elsewhere) Apply(context.Context, pgx.Tx, events.Recorded, any) error { return nil }
func (elsewhere) Reset(context.Context, pgx.Tx) error                       { return nil }

// TestAWriteWaitsOnlyForTheProjectionsThatHandleIt: after appending a counted event, a
// writer waits for the projection of counted events and not for one that handles other
// events and never moves; the projection of counted events has it when the wait ends,
// and its revision counts what it applies, while an event it does not handle moves its
// position but not its revision.
func TestAWriteWaitsOnlyForTheProjectionsThatHandleIt(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c := newCounter(t, e.pool, "consistency")
	e.start(t, time.Second, c)
	settled := 0
	consistency := &projector.Consistency{Checkpoints: e.checkpoints, Store: e.store,
		Projections: []projector.Projection{c, elsewhere{}},
		// Were it to wait for the projection that never moves, the test would time out.
		Timeout: 10 * time.Minute, Settled: func(context.Context) { settled++ }}

	_, last := e.appendCounted(t, 1, 3)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	waited := consistency.AfterWrite(ctx, last)
	if ctx.Err() != nil || !slices.Equal(waited, []string{"consistency"}) || settled != 1 {
		t.Fatalf("waited for %v (%v), settled %d times", waited, ctx.Err(), settled)
	}
	if s := c.state(t, e.pool); s.applied != 3 {
		t.Fatalf("after the wait the projection has applied %d of 3 events", s.applied)
	}
	marks, err := e.checkpoints.Marks(ctx, "consistency")
	if err != nil {
		t.Fatal(err)
	}
	before := marks["consistency"]
	if before.Revision < 1 {
		t.Fatalf("revision %d after 3 events applied", before.Revision)
	}

	other, err := e.registry.New(counted{N: 1}, events.Metadata{Actor: events.System})
	if err != nil {
		t.Fatal(err)
	}
	other.Type = "test.Elsewhere"
	recs, err := e.store.Append(ctx, "elsewhere-1", eventstore.AnyVersion, other)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := consistency.Concerned(ctx, recs[0].Position); err != nil || !slices.Equal(got, []string{"elsewhere"}) {
		t.Fatalf("an event of another kind concerns %v (%v)", got, err)
	}
	e.waitCaughtUp(t, recs[0].Position, "consistency")
	marks, err = e.checkpoints.Marks(ctx, "consistency")
	if err != nil {
		t.Fatal(err)
	}
	after := marks["consistency"]
	if after.Revision != before.Revision || !before.Position.Before(after.Position) {
		t.Fatalf("an event the projection does not handle: %+v → %+v", before, after)
	}
	_, last = e.appendCounted(t, 1, 1)
	consistency.AfterWrite(ctx, last)
	marks, err = e.checkpoints.Marks(ctx, "consistency")
	if err != nil {
		t.Fatal(err)
	}
	if again := marks["consistency"]; again.Revision <= after.Revision {
		t.Fatalf("an event the projection applied: revision %d → %d", after.Revision, again.Revision)
	}
}
