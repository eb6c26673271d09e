package gateway_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"passerelle.dev/graph/gateway"
	"passerelle.dev/graph/projection"
	"passerelle.dev/kernel/pgtest"
)

// servingSchema describes the serving tables as PostgreSQL sees them: columns,
// constraints and indexes, by name.
func servingSchema(t *testing.T, pool *pgxpool.Pool) string {
	t.Helper()
	rows, err := pool.Query(context.Background(), `
		SELECT 'column ' || table_name || '.' || column_name || ' ' || data_type || ' ' || is_nullable || ' ' ||
			coalesce(column_default, '') || ' ' || is_identity
		FROM information_schema.columns WHERE table_schema = 'graph'
		UNION ALL
		SELECT 'constraint ' || conrelid::regclass::text || ' ' || conname || ' ' || pg_get_constraintdef(oid)
		FROM pg_constraint WHERE connamespace = 'graph'::regnamespace
		UNION ALL
		SELECT 'index ' || indexname || ' ' || indexdef FROM pg_indexes WHERE schemaname = 'graph'
		ORDER BY 1`)
	if err != nil {
		t.Fatal(err)
	}
	lines, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	return strings.Join(lines, "\n")
}

// TestRebuildSwapsFreshTablesInWhileTheOldOnesServe rebuilds every projection of a
// platform in use: queries keep being answered and mutations keep landing during the
// rebuild; afterwards the read models say what the events say (a damaged row is
// repaired), nothing written meanwhile is lost, and the tables are the same tables.
func TestRebuildSwapsFreshTablesInWhileTheOldOnesServe(t *testing.T) {
	t.Parallel()
	p := start(t, db.Fresh(t), false)
	p.clock.set(proposalsEpoch)
	a := p.proposalActors(t)
	callID := p.openCall(t, a.admin, proposalsEpoch.Add(30*24*time.Hour))
	proposalID := p.proposalAt(t, a, callID, "APPROVED")
	p.mustDo(t, a.coordinator, proposalMutations["pledge"], map[string]any{"p": proposalID})
	s := p.schedule(t, a.coordinator, sessionInput("london", "Africa Centre", "2027-04-08T18:00", 3))
	// A series, so that every projection has events to rebuild from.
	p.mustDo(t, a.coordinator, scheduleSeriesMutation, map[string]any{"input": seriesInput("london", "Bernie Grant Centre", "2027-05-06", "18:00",
		map[string]any{"frequency": "MONTHLY", "count": 3})})
	for i := range 4 {
		assoc, token := p.verifiedAssociation(t, a.admin, fmt.Sprintf("Ghana Nurses Network %d", i), "london")
		p.mustDo(t, token, registerForSessionMutation, map[string]any{"sessionId": s.ID, "associationId": assoc, "seats": 1})
	}

	const associationsQuery = `{ associations(first: 100, filter: {status: VERIFIED}) { totalCount edges { node { id name status } } } }`
	const sessionQuery = `query($id: ID!) { dialogueSession(id: $id) { title { en } confirmedSeats waitlistLength registrations { id status waitlistPosition } } }`
	const proposalQuery = `query($id: ID!) { proposal(id: $id) { status reviews { comment } pledges { inKind } pledgedTotals { amount currency } } }`
	answers := func() [3]string {
		return [3]string{
			string(p.gql(t, a.admin, associationsQuery, nil).raw),
			string(p.gql(t, a.coordinator, sessionQuery, map[string]any{"id": s.ID}).raw),
			string(p.gql(t, a.admin, proposalQuery, map[string]any{"id": proposalID}).raw),
		}
	}
	before := answers()
	tablesBefore := servingSchema(t, p.pool)

	// The read models are damaged: what a rebuild is for.
	ctx := context.Background()
	if _, err := p.pool.Exec(ctx, `UPDATE graph.sessions SET title_en = 'damaged', confirmed_seats = 0`); err != nil {
		t.Fatal(err)
	}
	if _, err := p.pool.Exec(ctx, `DELETE FROM graph.proposal_pledges`); err != nil {
		t.Fatal(err)
	}
	if answers() == before {
		t.Fatal("the damage does not show")
	}

	// Readers and writers keep going during the rebuild.
	stop := make(chan struct{})
	var (
		wg               sync.WaitGroup
		reads, failed    atomic.Int64
		registeredDuring []string
	)
	wg.Go(func() {
		for {
			select {
			case <-stop:
				return
			default:
			}
			r := p.gql(t, "", associationsQuery, nil)
			reads.Add(1)
			if len(r.Errors) > 0 {
				failed.Add(1)
			}
		}
	})
	wg.Go(func() {
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			reg := p.register(t, fmt.Sprintf("Association registered during the rebuild %d", i), "geneva", "CD")
			registeredDuring = append(registeredDuring, reg.Association.ID)
		}
	})
	for _, o := range gateway.Owners() {
		res, err := p.gateway.Rebuild(ctx, o)
		if err != nil {
			t.Fatal(err)
		}
		if res.Events == 0 || res.Skipped != 0 {
			t.Fatalf("%s: %+v", o.Name(), res)
		}
	}
	close(stop)
	wg.Wait()
	if failed.Load() != 0 || reads.Load() == 0 {
		t.Fatalf("%d of %d queries failed during the rebuild", failed.Load(), reads.Load())
	}

	if after := answers(); after[1] != before[1] || after[2] != before[2] {
		t.Fatalf("after the rebuild:\n%s\n%s\nwant\n%s\n%s", after[1], after[2], before[1], before[2])
	}
	if after := answers(); after[0] != before[0] {
		t.Fatalf("the verified associations after the rebuild:\n%s\nwant\n%s", after[0], before[0])
	}
	// Every association registered during the rebuild is in the read model, and the
	// projections go on projecting after the swap.
	late := p.register(t, "Registered after the rebuild", "geneva", "CD")
	for _, id := range append(registeredDuring, late.Association.ID) {
		var n int
		pgtest.Eventually(t, 10*time.Second, "the association in the read model", func() (bool, error) {
			err := p.pool.QueryRow(ctx, `SELECT count(*) FROM graph.associations WHERE id = $1`, localID(t, id)).Scan(&n)
			return n == 1, err
		})
	}
	if got := servingSchema(t, p.pool); got != tablesBefore {
		t.Fatalf("the tables changed shape:\n%s\nwant\n%s", got, tablesBefore)
	}
	var leftovers, rebuilt int
	if err := p.pool.QueryRow(ctx, `SELECT (SELECT count(*) FROM pg_namespace WHERE nspname LIKE 'rebuild_%'),
		(SELECT count(*) FROM graph.projection_versions WHERE rebuilt_at IS NOT NULL)`).Scan(&leftovers, &rebuilt); err != nil {
		t.Fatal(err)
	}
	if leftovers != 0 || rebuilt != len(gateway.Owners()) {
		t.Fatalf("%d rebuild schemas left, %d projections with a rebuild recorded", leftovers, rebuilt)
	}
}

// TestANewerProjectionVersionIsRebuiltOnStart starts a second gateway over a database
// whose sessions tables were built by an older version of the projection: the gateway
// rebuilds them as it starts.
func TestANewerProjectionVersionIsRebuiltOnStart(t *testing.T) {
	t.Parallel()
	dbURL := db.Fresh(t)
	p := start(t, dbURL, false)
	p.clock.set(sessionsEpoch)
	a := p.actors(t)
	s := p.schedule(t, a.brussels, sessionInput("brussels", "Résidence Palace", "2027-02-10T18:00", 10))
	ctx := context.Background()
	pgtest.Eventually(t, 10*time.Second, "the projections' versions to be recorded", func() (bool, error) {
		var n int
		err := p.pool.QueryRow(ctx, `SELECT count(*) FROM graph.projection_versions`).Scan(&n)
		return n == len(gateway.Owners()), err
	})
	// As if the code had bumped the version since the tables were built (and the old
	// code had written a wrong title).
	if _, err := p.pool.Exec(ctx, `UPDATE graph.projection_versions SET version = version - 1 WHERE name = 'graph.sessions'`); err != nil {
		t.Fatal(err)
	}
	if _, err := p.pool.Exec(ctx, `UPDATE graph.sessions SET title_en = 'written by the old version'`); err != nil {
		t.Fatal(err)
	}

	start(t, dbURL, false)
	pgtest.Eventually(t, 30*time.Second, "the sessions projection to be rebuilt", func() (bool, error) {
		var (
			version int
			rebuilt *time.Time
		)
		err := p.pool.QueryRow(ctx, `SELECT version, rebuilt_at FROM graph.projection_versions WHERE name = 'graph.sessions'`).Scan(&version, &rebuilt)
		return rebuilt != nil && version == (projection.Sessions{}).Version(), err
	})
	r := p.gql(t, "", `query($id: ID!) { dialogueSession(id: $id) { title { en } } }`, map[string]any{"id": s.ID})
	if !strings.Contains(string(r.raw), "Diaspora health professionals") {
		t.Fatalf("after the rebuild on start: %s", r.raw)
	}
	var others int
	if err := p.pool.QueryRow(ctx, `SELECT count(*) FROM graph.projection_versions WHERE rebuilt_at IS NOT NULL`).Scan(&others); err != nil || others != 1 {
		t.Fatalf("%d projections rebuilt (%v), want only the outdated one", others, err)
	}
}

// TestRebuildingEveryProjectionFitsASmallPool: each projection being rebuilt holds a
// connection, and the reader one more; a pool smaller than that rebuilds a few at a
// time rather than waiting for itself.
func TestRebuildingEveryProjectionFitsASmallPool(t *testing.T) {
	t.Parallel()
	dbURL := db.Fresh(t)
	p := start(t, dbURL, false)
	p.register(t, "Association des Comoriens de Paris", "paris", "KM")
	cfg, err := pgxpool.ParseConfig(dbURL)
	if err != nil {
		t.Fatal(err)
	}
	cfg.MaxConns = 3
	small, err := pgxpool.NewWithConfig(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(small.Close) // after the store, which the cleanups close first
	store, registry := openLog(t, small)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	res, err := projection.Rebuilder{Pool: small, Store: store, Registry: registry}.RebuildAll(ctx, gateway.Owners())
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != len(gateway.Owners()) || res[0].Events == 0 {
		t.Fatalf("results %+v", res)
	}
}
