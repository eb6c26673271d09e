package platform_test

import (
	"bytes"
	"context"
	neturl "net/url"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"passerelle.dev/infra/platform"
	"passerelle.dev/kernel/pgtest"
	"passerelle.dev/servicekit/process"
)

// TestTheScaleDataSetLoadsInProportionOnce generates a small data set through the
// commands, twice (the second run writes nothing), and finds it through GraphQL.
func TestTheScaleDataSetLoadsInProportionOnce(t *testing.T) {
	t.Parallel()
	dbURL := db.Fresh(t)
	cfg := platform.Config{Common: process.Common{DatabaseURL: dbURL, Secret: strings.Repeat("s", 32),
		MasterKey: strings.Repeat("ab", 32), DataDir: t.TempDir()}}
	ctx := context.Background()
	var out bytes.Buffer
	if err := platform.Seed(ctx, cfg, quiet, &out, platform.SeedOptions{Scale: 300, Workers: 4}); err != nil {
		t.Fatalf("seed: %v\n%s", err, out.String())
	}
	if !strings.Contains(out.String(), "Loaded 300 associations, 30 sessions, 1 calls and 60 proposals.") {
		t.Fatalf("first load:\n%s", out.String())
	}
	pool, err := pgxpool.New(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	count := func() (n int) {
		if err := pool.QueryRow(ctx, `SELECT count(*) FROM eventstore.events`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	written := count()
	if err := platform.Seed(ctx, cfg, quiet, &out, platform.SeedOptions{Scale: 300, Workers: 4}); err != nil {
		t.Fatalf("second load: %v", err)
	}
	if again := count(); again != written {
		t.Fatalf("the second load wrote %d events", again-written)
	}

	url := serve(t, ctx, cfg)
	// Nine in ten associations are verified; every session is public; drafts (one in
	// five) are not.
	pgtest.Eventually(t, 30*time.Second, "the gateway to show the generated data", func() (bool, error) {
		body, err := get(url + "/graphql?query=" + neturl.QueryEscape(`{associations{totalCount}dialogueSessions{totalCount}proposals{totalCount}}`))
		if err != nil {
			return false, nil // not listening yet
		}
		return strings.Contains(body, `"associations":{"totalCount":270}`) && strings.Contains(body, `"dialogueSessions":{"totalCount":30}`) &&
			strings.Contains(body, `"proposals":{"totalCount":48}`), nil
	})
}
