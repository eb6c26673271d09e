package platform_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	neturl "net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"passerelle.dev/infra/platform"
	"passerelle.dev/kernel/pgtest"
	"passerelle.dev/servicekit/process"
)

var (
	db    *pgtest.Database
	quiet = slog.New(slog.DiscardHandler)
)

func TestMain(m *testing.M) { os.Exit(pgtest.Run(m, &db, platform.Migrations()...)) }

// TestTheDemoDataLoadsOnceAndServes loads the demo data through `passerelle serve`'s own
// assembly, twice, and queries it through GraphQL.
func TestTheDemoDataLoadsOnceAndServes(t *testing.T) {
	t.Parallel()
	cfg := platform.Config{Common: process.Common{DatabaseURL: db.Fresh(t), Secret: strings.Repeat("s", 32),
		MasterKey: strings.Repeat("ab", 32), DataDir: t.TempDir()}}
	ctx := context.Background()
	var out bytes.Buffer
	if err := platform.Seed(ctx, cfg, quiet, &out, platform.SeedOptions{Demo: true}); err != nil {
		t.Fatalf("seed: %v\n%s", err, out.String())
	}
	if !strings.Contains(out.String(), "Loaded the demo data: 7 associations, 5 coordinators, 5 sessions, 2 calls, 3 proposals.") ||
		!strings.Contains(out.String(), "coordinator of geneva: ey") {
		t.Fatalf("first load:\n%s", out.String())
	}
	out.Reset()
	if err := platform.Seed(ctx, cfg, quiet, &out, platform.SeedOptions{Demo: true}); err != nil || !strings.Contains(out.String(), "already loaded") ||
		!strings.Contains(out.String(), "coordinator of geneva: ey") || !strings.Contains(out.String(), "Association des Sénégalais de Genève: ey") {
		t.Fatalf("second load: %v\n%s", err, out.String())
	}
	// A day later, repeats no longer carry keys: the demo signs the keys it prints itself.
	pool := pgtest.PoolFor(t, cfg.Common.DatabaseURL)
	for _, table := range []string{"directory.idempotency_keys", "sessions.idempotency_keys"} {
		if _, err := pool.Exec(ctx, `UPDATE `+table+` SET created_at = created_at - interval '25 hours'`); err != nil {
			t.Fatal(err)
		}
	}
	out.Reset()
	if err := platform.Seed(ctx, cfg, quiet, &out, platform.SeedOptions{Demo: true}); err != nil || !strings.Contains(out.String(), "already loaded") {
		t.Fatalf("a load a day later: %v\n%s", err, out.String())
	}
	printed := map[string]string{}
	for _, line := range strings.Split(out.String(), "\n") {
		if name, key, ok := strings.Cut(strings.TrimSpace(line), ": ey"); ok {
			printed[name] = "ey" + key
		}
	}

	// The platform serves it, and the keys printed last open it.
	url := serve(t, ctx, cfg)
	for _, who := range []struct{ name, role string }{{"Association des Sénégalais de Genève", "ASSOCIATION"}, {"coordinator of geneva", "COORDINATOR"}} {
		pgtest.Eventually(t, 30*time.Second, "the key of "+who.name, func() (bool, error) {
			req, _ := http.NewRequest(http.MethodGet, url+"/graphql?query="+neturl.QueryEscape(`{viewer{role}}`), nil)
			req.Header.Set("Authorization", "Bearer "+printed[who.name])
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				return false, nil // not listening yet
			}
			defer func() { _ = resp.Body.Close() }()
			body, _ := io.ReadAll(resp.Body)
			return strings.Contains(string(body), `"role":"`+who.role+`"`), nil
		})
	}
	pgtest.Eventually(t, 30*time.Second, "the gateway to show the demo data", func() (bool, error) {
		body, err := get(url + "/graphql?query=" + neturl.QueryEscape(`{associations{totalCount}dialogueSessions{totalCount}proposals{totalCount}stats{pledgedTotals{amount}}}`))
		if err != nil {
			return false, nil // not listening yet
		}
		return strings.Contains(body, `"associations":{"totalCount":6}`) && strings.Contains(body, `"dialogueSessions":{"totalCount":5}`) &&
			strings.Contains(body, `"proposals":{"totalCount":2}`) && strings.Contains(body, `"pledgedTotals":[{"amount":"15000.00"}]`), nil
	})
}

// The demo loads into whatever the database holds: after the README's first steps
// registered one of its associations by hand, it uses that one, says so, loads the rest
// and prints every key; run again, it loads nothing and still prints the keys.
func TestTheDemoLoadsBesideWhatIsAlreadyThere(t *testing.T) {
	t.Parallel()
	cfg := platform.Config{Common: process.Common{DatabaseURL: db.Fresh(t), Secret: strings.Repeat("s", 32),
		MasterKey: strings.Repeat("ab", 32), DataDir: t.TempDir()}}
	ctx := context.Background()
	url := serve(t, ctx, cfg)
	var reg string
	pgtest.Eventually(t, 30*time.Second, "a registration by hand", func() (bool, error) {
		body, err := post(url+"/graphql", `{"query":"mutation { registerAssociation(input: {name: \"Association des Senegalais de Geneve\", city: \"geneva\", originCountries: [\"SN\"]}) { association { id } } }"}`)
		reg = body
		return err == nil && strings.Contains(body, `"id"`), nil
	})

	var out bytes.Buffer
	if err := platform.Seed(ctx, cfg, quiet, &out, platform.SeedOptions{Demo: true}); err != nil {
		t.Fatalf("seed beside a hand-made registration: %v\n%s", err, out.String())
	}
	text := out.String()
	for _, want := range []string{
		`note: "Association des Senegalais de Geneve" was already registered in geneva: the demo uses it as it is`,
		"Loaded the demo data: 7 associations",
		"coordinator of washington: ey",
		"Association des Senegalais de Geneve: ey",
		"Ghana Nurses and Midwives Association UK: ey",
	} {
		if !strings.Contains(text, want) {
			t.Fatalf("missing %q in:\n%s\n(registered: %s)", want, text, reg)
		}
	}
	out.Reset()
	if err := platform.Seed(ctx, cfg, quiet, &out, platform.SeedOptions{Demo: true}); err != nil || !strings.Contains(out.String(), "already loaded: nothing new") ||
		!strings.Contains(out.String(), "Ghana Nurses and Midwives Association UK: ey") {
		t.Fatalf("second load: %v\n%s", err, out.String())
	}
}

// serve runs the platform on a free port until the test ends, and returns its URL.
func serve(t *testing.T, ctx context.Context, cfg platform.Config) string {
	t.Helper()
	cfg.Port = freePort(t)
	serveCtx, stop := context.WithCancel(ctx)
	var wg sync.WaitGroup
	wg.Go(func() {
		if err := platform.Serve(serveCtx, cfg, quiet); err != nil {
			t.Errorf("serve: %v", err)
		}
	})
	t.Cleanup(func() { stop(); wg.Wait() })
	return "http://localhost:" + itoa(cfg.Port)
}
