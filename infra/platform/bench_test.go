package platform_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	neturl "net/url"
	"os"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"passerelle.dev/events"
	"passerelle.dev/graph/server"
	"passerelle.dev/infra/platform"
	"passerelle.dev/kernel/pguuid"
	"passerelle.dev/servicekit/auth"
	"passerelle.dev/servicekit/process"
)

// The gateway benchmarks read a generated data set (`passerelle seed --scale`,
// BENCH_SCALE associations, 100,000 by default, with a tenth as many sessions and a
// fifth as many proposals) through the GraphQL endpoint over HTTP, and beside each read
// the same read done with plain pgx on the same tables, in the same run: `make bench`
// prints the pairs with their ratios. The data set is generated once (several minutes
// at the default scale) into database passerelle_bench_<scale> of the test server, and
// kept for the next runs.

const (
	benchSecret    = "bench-secret-bench-secret-bench-secret"
	benchMasterKey = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
)

func benchScale(b *testing.B) int {
	return benchSize(b, "BENCH_SCALE", "associations", 100, 100_000)
}

// benchSize is the number the environment variable name sets (at least least of
// what), or def.
func benchSize(b *testing.B, name, what string, least, def int) int {
	if s := os.Getenv(name); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < least {
			b.Fatalf("%s %q: want a number of %s, at least %d", name, s, what, least)
		}
		return n
	}
	return def
}

// benchDatabase returns the URL of database name on the test server, creating it if it
// does not exist; created reports whether it did.
func benchDatabase(b *testing.B, name string) (dbURL string, created bool) {
	b.Helper()
	ctx := context.Background()
	admin := os.Getenv("TEST_DATABASE_URL")
	if admin == "" {
		admin = "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"
	}
	conn, err := pgx.Connect(ctx, admin)
	if err != nil {
		b.Fatal(err)
	}
	defer conn.Close(ctx)
	var exists bool
	if err := conn.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)`, name).Scan(&exists); err != nil {
		b.Fatal(err)
	}
	if !exists {
		if _, err := conn.Exec(ctx, `CREATE DATABASE `+pgx.Identifier{name}.Sanitize()); err != nil {
			b.Fatal(err)
		}
	}
	u, err := neturl.Parse(admin)
	if err != nil {
		b.Fatal(err)
	}
	u.Path = "/" + name
	return u.String(), !exists
}

// readBench is the platform the read benchmarks query, shared by all of them.
type readBench struct {
	url        string
	dbURL      string
	pool       *pgxpool.Pool
	client     *http.Client
	admin      string
	coordinate map[string]string // city → coordinator token
	origins    []string
	proposals  []benchID
	from       []time.Time
	// revalidate, when set, makes the client send back the tags of the answers it got.
	revalidate *revalidating
}

type benchID struct{ global, local string }

var (
	readBenchOnce sync.Once
	readBenchEnv  *readBench
	readBenchErr  error
)

func setupReadBench(b *testing.B) *readBench {
	readBenchOnce.Do(func() { readBenchEnv, readBenchErr = newReadBench(b) })
	if readBenchErr != nil {
		b.Fatal(readBenchErr)
	}
	return readBenchEnv
}

func newReadBench(b *testing.B) (*readBench, error) {
	n := benchScale(b)
	dbURL, _ := benchDatabase(b, fmt.Sprintf("passerelle_bench_%d", n))
	dataDir, err := os.MkdirTemp("", "passerelle-bench-")
	if err != nil {
		return nil, err
	}
	port := freePort(b)
	cfg := platform.Config{Common: process.Common{DatabaseURL: dbURL, Secret: benchSecret, MasterKey: benchMasterKey, DataDir: dataDir}, Port: port}
	// Many clients on one address: the per-client rate limit would refuse them.
	cfg.Gateway.Server = server.Config{RateLimit: -1, ResponseCacheEntries: keptAnswers(b)}
	// The gateway logs every request at info level, as in production; the lines go
	// nowhere, but they are written.
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	ctx := context.Background()

	// The plain pgx reads get the pools the platform gets: ids as strings sent in binary.
	poolConfig, err := pgxpool.ParseConfig(dbURL)
	if err != nil {
		return nil, err
	}
	poolConfig.AfterConnect = pguuid.AfterConnect
	pool, err := pgxpool.NewWithConfig(ctx, poolConfig)
	if err != nil {
		return nil, err
	}
	var seeded bool
	_ = pool.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM bench_seeded WHERE scale = $1)`, n).Scan(&seeded)
	if !seeded {
		fmt.Fprintf(os.Stderr, "generating the benchmark data set (%d associations) once, into %s\n", n, strings.SplitN(dbURL, "?", 2)[0])
		began := time.Now()
		if err := platform.Seed(ctx, cfg, logger, os.Stderr, platform.SeedOptions{Scale: n, Workers: 8}); err != nil {
			return nil, err
		}
		if _, err := pool.Exec(ctx, `CREATE TABLE IF NOT EXISTS bench_seeded (scale int PRIMARY KEY);
			INSERT INTO bench_seeded VALUES (`+strconv.Itoa(n)+`) ON CONFLICT DO NOTHING`); err != nil {
			return nil, err
		}
		fmt.Fprintf(os.Stderr, "generated in %s\n", time.Since(began).Round(time.Second))
	}
	go func() {
		// Serves until the benchmarks' process ends.
		if err := platform.Serve(ctx, cfg, logger); err != nil {
			fmt.Fprintln(os.Stderr, "serve:", err)
		}
	}()
	env := &readBench{
		url: fmt.Sprintf("http://127.0.0.1:%d", port), dbURL: dbURL, pool: pool, coordinate: map[string]string{},
		client: &http.Client{Transport: &http.Transport{MaxIdleConns: 128, MaxIdleConnsPerHost: 128}, Timeout: time.Minute},
	}
	// Ready once every projection caught up with the log (a first start projects it all).
	deadline := time.Now().Add(30 * time.Minute)
	for {
		resp, err := env.client.Get(env.url + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				break
			}
		}
		if time.Now().After(deadline) {
			return nil, fmt.Errorf("the gateway was not ready within 30 minutes: %v", err)
		}
		time.Sleep(100 * time.Millisecond)
	}

	// A server with autovacuum off (as this machine's is) would leave the read models
	// without statistics and full of the rows that verifications replaced: do what
	// autovacuum does.
	for _, table := range []string{"associations", "sessions", "session_registrations", "proposals", "proposal_reviews", "proposal_pledges", "proposal_pledge_totals"} {
		if _, err := pool.Exec(ctx, `VACUUM ANALYZE graph.`+table); err != nil {
			return nil, err
		}
	}
	tokens, err := auth.NewTokens([]byte(benchSecret))
	if err != nil {
		return nil, err
	}
	if env.admin, err = tokens.Issue(events.Actor{Role: events.RoleAdmin, Subject: "bench"}, time.Hour); err != nil {
		return nil, err
	}
	for _, city := range []string{"london", "geneva", "brussels", "paris", "washington"} {
		var out struct {
			AppointCoordinator struct{ Token string }
		}
		if err := env.query(env.admin, `mutation($city: String!, $key: String) { appointCoordinator(city: $city, name: "Benchmark coordinator", idempotencyKey: $key) { token } }`,
			map[string]any{"city": city, "key": "bench-coordinator-" + city}, &out); err != nil {
			return nil, err
		}
		env.coordinate[city] = out.AppointCoordinator.Token
	}
	rows, err := pool.Query(ctx, `SELECT DISTINCT c FROM graph.associations, unnest(origin_countries) c ORDER BY 1`)
	if err != nil {
		return nil, err
	}
	if env.origins, err = pgx.CollectRows(rows, pgx.RowTo[string]); err != nil {
		return nil, err
	}
	var after any
	for len(env.proposals) < 500 {
		var out struct {
			Proposals struct {
				Edges    []struct{ Node struct{ ID string } }
				PageInfo struct {
					HasNextPage bool
					EndCursor   string
				}
			}
		}
		if err := env.query(env.admin, `query($after: String) { proposals(first: 100, after: $after, filter: {status: APPROVED}) {
			edges { node { id } } pageInfo { hasNextPage endCursor } } }`, map[string]any{"after": after}, &out); err != nil {
			return nil, err
		}
		for _, e := range out.Proposals.Edges {
			raw, err := base64.RawURLEncoding.DecodeString(e.Node.ID)
			if err != nil {
				return nil, err
			}
			_, local, _ := strings.Cut(string(raw), ":")
			env.proposals = append(env.proposals, benchID{global: e.Node.ID, local: local})
		}
		if !out.Proposals.PageInfo.HasNextPage {
			break
		}
		after = out.Proposals.PageInfo.EndCursor
	}
	var first, last time.Time
	if err := pool.QueryRow(ctx, `SELECT min(start_at), max(start_at) FROM graph.sessions`).Scan(&first, &last); err != nil {
		return nil, err
	}
	for d := first; d.Before(last); d = d.Add(7 * 24 * time.Hour) {
		env.from = append(env.from, d)
	}
	if len(env.origins) == 0 || len(env.proposals) == 0 || len(env.from) == 0 {
		return nil, fmt.Errorf("the data set is empty: %d origins, %d proposals, %d weeks", len(env.origins), len(env.proposals), len(env.from))
	}
	return env, nil
}

// revalidating keeps the answers a client received with their tags, and sends the tag
// back, as a browser's cache does: the gateway answers 304 while the answer holds.
type revalidating struct {
	mu      sync.Mutex
	answers map[string]keptAnswer
	// notModified counts the 304s.
	notModified atomic.Int64
}

type keptAnswer struct {
	tag  string
	body []byte
}

// query sends a GraphQL request and decodes its data into out; GraphQL errors are errors.
func (e *readBench) query(token, query string, vars map[string]any, out any) error {
	return e.post(e.url+"/graphql", token, query, vars, out)
}

// post is query to the GraphQL endpoint at url: the gateway's, or PostGraphile's, with
// the same client doing the same work per request.
func (e *readBench) post(url, token, query string, vars map[string]any, out any) error {
	body, err := json.Marshal(map[string]any{"query": query, "variables": vars})
	if err != nil {
		return err
	}
	key := token + "\x00" + string(body)
	var kept keptAnswer
	if e.revalidate != nil {
		e.revalidate.mu.Lock()
		kept = e.revalidate.answers[key]
		e.revalidate.mu.Unlock()
	}
	req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if kept.tag != "" {
		req.Header.Set("If-None-Match", kept.tag)
	}
	resp, err := e.client.Do(req)
	if err != nil {
		return err
	}
	// Read to the end, as a browser does: a body closed early closes its connection,
	// and each request would then pay for a new one.
	raw, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return err
	}
	if e.revalidate != nil {
		switch tag := resp.Header.Get("ETag"); {
		case resp.StatusCode == http.StatusNotModified:
			e.revalidate.notModified.Add(1)
			raw = kept.body
		case tag != "":
			e.revalidate.mu.Lock()
			e.revalidate.answers[key] = keptAnswer{tag: tag, body: raw}
			e.revalidate.mu.Unlock()
		}
	}
	// One pass over the body: the data decodes straight into out. The client shares the
	// machine with the gateway, so what it spends is taken from the gateway.
	var res struct {
		Data   any
		Errors []struct{ Message string }
	}
	if out != nil {
		res.Data = out
	}
	if err := json.Unmarshal(raw, &res); err != nil {
		return fmt.Errorf("status %d: %w", resp.StatusCode, err)
	}
	if len(res.Errors) > 0 {
		return fmt.Errorf("graphql: %s", res.Errors[0].Message)
	}
	return nil
}

var cities = []string{"london", "geneva", "brussels", "paris", "washington"}

// readCase is one read, through the gateway and with plain pgx.
type readCase struct {
	name    string
	gateway func(e *readBench, i int) error
	plain   func(ctx context.Context, e *readBench, i int) error
}

var readCases = []readCase{
	{
		// (a) A filtered page of 20 verified associations with the total, as the public
		// directory shows it.
		name: "associations",
		gateway: func(e *readBench, i int) error {
			var out struct {
				Associations struct {
					TotalCount int
					Edges      []struct{ Node struct{ ID, Name string } }
				}
			}
			err := e.query("", `query($city: String, $origin: String) { associations(first: 20, filter: {city: $city, originCountry: $origin}) {
				totalCount edges { cursor node { id name acronym kind city { slug } originCountries sectors status } } pageInfo { hasNextPage endCursor } } }`,
				map[string]any{"city": cities[i%len(cities)], "origin": e.origins[(i/len(cities))%len(e.origins)]}, &out)
			if err == nil && len(out.Associations.Edges) == 0 {
				err = fmt.Errorf("an empty page of associations in %s from %s", cities[i%len(cities)], e.origins[(i/len(cities))%len(e.origins)])
			}
			return err
		},
		plain: func(ctx context.Context, e *readBench, i int) error {
			city, origin := cities[i%len(cities)], e.origins[(i/len(cities))%len(e.origins)]
			batch := &pgx.Batch{}
			type row struct {
				id, name, acronym, kind, city, status string
				seq                                   int64
				origins, sectors                      []string
			}
			var page []row
			batch.Queue(`SELECT id::text, seq, name, acronym, kind, city, origin_countries, sectors, status FROM graph.associations
				WHERE status = 'VERIFIED' AND city = $1 AND origin_countries @> ARRAY[$2] ORDER BY registered_at, seq LIMIT 21`, city, origin).
				Query(func(rows pgx.Rows) error {
					var err error
					page, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (row, error) {
						var x row
						err := r.Scan(&x.id, &x.seq, &x.name, &x.acronym, &x.kind, &x.city, &x.origins, &x.sectors, &x.status)
						return x, err
					})
					return err
				})
			var total int
			// The total as the gateway reads it: from the counts its projection keeps.
			batch.Queue(`SELECT coalesce(sum(n), 0) FROM graph.association_counts WHERE status = 'VERIFIED' AND city = $1 AND origin_country = $2`, city, origin).
				QueryRow(func(r pgx.Row) error { return r.Scan(&total) })
			if err := e.pool.SendBatch(ctx, batch).Close(); err != nil {
				return err
			}
			if len(page) == 0 {
				return fmt.Errorf("an empty page of associations in %s from %s", city, origin)
			}
			return nil
		},
	},
	{
		// (b) A city's calendar: a page of 20 sessions from a date, with seats and the
		// registrations (for the city's coordinator) with their associations' names.
		name: "calendar",
		gateway: func(e *readBench, i int) error {
			city := cities[i%len(cities)]
			var out struct {
				DialogueSessions struct {
					Edges []struct{ Node struct{ ID string } }
				}
			}
			err := e.query(e.coordinate[city], `query($city: String!, $from: DateTime) { dialogueSessions(first: 20, filter: {city: $city, from: $from}) {
				totalCount edges { node { id title { en } start { utc local } end { utc local } capacity confirmedSeats seatsLeft waitlistLength
				registrations { id status seats waitlistPosition association { id name } } } } pageInfo { hasNextPage endCursor } } }`,
				map[string]any{"city": city, "from": e.from[(i/len(cities))%len(e.from)].Format(time.RFC3339)}, &out)
			if err == nil && len(out.DialogueSessions.Edges) == 0 {
				err = fmt.Errorf("an empty page")
			}
			return err
		},
		plain: func(ctx context.Context, e *readBench, i int) error {
			city, from := cities[i%len(cities)], e.from[(i/len(cities))%len(e.from)]
			type session struct {
				id, title, local, zone        string
				seq                           int64
				start, end                    time.Time
				capacity, confirmed, waitlist int
			}
			var page []session
			var total int
			batch := &pgx.Batch{}
			batch.Queue(`SELECT id::text, seq, title_en, start_at, end_at, local_start, time_zone, capacity, confirmed_seats, waitlist_length
				FROM graph.sessions WHERE city = $1 AND start_at >= $2 ORDER BY start_at, seq LIMIT 21`, city, from).
				Query(func(rows pgx.Rows) error {
					var err error
					page, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (session, error) {
						var s session
						err := r.Scan(&s.id, &s.seq, &s.title, &s.start, &s.end, &s.local, &s.zone, &s.capacity, &s.confirmed, &s.waitlist)
						return s, err
					})
					return err
				})
			batch.Queue(`SELECT count(*) FROM graph.sessions WHERE city = $1 AND start_at >= $2`, city, from).
				QueryRow(func(r pgx.Row) error { return r.Scan(&total) })
			if err := e.pool.SendBatch(ctx, batch).Close(); err != nil {
				return err
			}
			if len(page) == 0 {
				return fmt.Errorf("an empty page")
			}
			ids := make([]string, len(page))
			for k, s := range page {
				ids[k] = s.id
			}
			rows, err := e.pool.Query(ctx, `SELECT r.session_id::text, r.id::text, r.status, r.seats, r.arrival, a.id::text, a.name
				FROM graph.session_registrations r JOIN graph.associations a ON a.id = r.association_id
				WHERE r.session_id = ANY($1::uuid[]) ORDER BY r.session_id, r.arrival`, ids)
			if err != nil {
				return err
			}
			_, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) ([7]any, error) {
				var (
					session, id, status, assoc, name string
					seats                            int
					arrival                          int64
				)
				err := r.Scan(&session, &id, &status, &seats, &arrival, &assoc, &name)
				return [7]any{session, id, status, seats, arrival, assoc, name}, err
			})
			return err
		},
	},
	{
		// (c) One proposal with its reviews, pledges and pledged totals, as a reviewer
		// sees it.
		name: "proposal",
		gateway: func(e *readBench, i int) error {
			var out struct {
				Proposal *struct{ ID string }
			}
			err := e.query(e.admin, `query($id: ID!) { proposal(id: $id) { id status title { en } summary { en } sector countries
				budget { amount currency } durationMonths budgetLines { label amount { amount currency } }
				reviews { reviewerRole scores { criterion score } comment reviewedAt } averageScores { criterion score }
				pledges { id partner { name kind country } money { amount currency } inKind pledgedAt } pledgedTotals { amount currency } } }`,
				map[string]any{"id": e.proposals[i%len(e.proposals)].global}, &out)
			if err == nil && out.Proposal == nil {
				err = fmt.Errorf("no proposal")
			}
			return err
		},
		plain: func(ctx context.Context, e *readBench, i int) error {
			id := e.proposals[i%len(e.proposals)].local
			batch := &pgx.Batch{}
			var (
				status, title, summary, sector, currency string
				countries                                []string
				budget                                   int64
				months                                   int
				lines                                    []byte
			)
			batch.Queue(`SELECT status, title_en, summary_en, sector, countries, budget, currency, duration_months, budget_lines
				FROM graph.proposals WHERE id = $1`, id).
				QueryRow(func(r pgx.Row) error {
					return r.Scan(&status, &title, &summary, &sector, &countries, &budget, &currency, &months, &lines)
				})
			collect := func(n int) func(pgx.Rows) error {
				return func(rows pgx.Rows) error {
					for rows.Next() {
						vals, err := rows.Values()
						if err != nil {
							return err
						}
						if len(vals) != n {
							return fmt.Errorf("%d columns", len(vals))
						}
					}
					return rows.Err()
				}
			}
			batch.Queue(`SELECT reviewer_role, scores, comment, reviewed_at FROM graph.proposal_reviews WHERE proposal_id = $1
				ORDER BY reviewed_at, reviewer_id`, id).Query(collect(4))
			batch.Queue(`SELECT id, partner_name, partner_kind, partner_country, amount, currency, in_kind, pledged_at
				FROM graph.proposal_pledges WHERE proposal_id = $1 ORDER BY seq`, id).Query(collect(8))
			batch.Queue(`SELECT currency, amount FROM graph.proposal_pledge_totals WHERE proposal_id = $1 ORDER BY currency`, id).Query(collect(2))
			return e.pool.SendBatch(ctx, batch).Close()
		},
	},
}

// BenchmarkReads runs each read at 1 and 32 concurrent clients, through the gateway and
// with plain pgx, reporting requests per second and p50/p99 latencies.
// keptAnswers is how many anonymous answers the gateway keeps (BENCH_KEPT_ANSWERS, 0 by
// default: the goals hold without).
func keptAnswers(b *testing.B) int {
	if os.Getenv("BENCH_KEPT_ANSWERS") == "" {
		return 0
	}
	return benchSize(b, "BENCH_KEPT_ANSWERS", "answers", 1, 0)
}

func BenchmarkReads(b *testing.B) {
	e := setupReadBench(b)
	via := "gateway"
	if keptAnswers(b) > 0 {
		via = "gateway-keeping-answers"
	}
	for _, c := range readCases {
		for _, clients := range []int{1, 32} {
			b.Run(fmt.Sprintf("query=%s/clients=%d/via=%s", c.name, clients, via), func(b *testing.B) {
				measureReads(b, clients, func(i int) error { return c.gateway(e, i) })
			})
			b.Run(fmt.Sprintf("query=%s/clients=%d/via=pgx", c.name, clients), func(b *testing.B) {
				measureReads(b, clients, func(i int) error { return c.plain(context.Background(), e, i) })
			})
			// A client that revalidates what it has (If-None-Match): the same questions,
			// answered 304 while nothing they read changed.
			b.Run(fmt.Sprintf("query=%s/clients=%d/via=gateway-revalidating", c.name, clients), func(b *testing.B) {
				client := *e
				client.revalidate = &revalidating{answers: map[string]keptAnswer{}}
				measureReads(b, clients, func(i int) error { return c.gateway(&client, i) })
				b.ReportMetric(float64(client.revalidate.notModified.Load())/float64(b.N), "not-modified/op")
			})
		}
	}
	// The floors: what any request costs through HTTP and graphql-go, with nothing to
	// read; and with one row to read (the proposal of (c), its id only), which is what
	// (c) costs before any of its fields and details.
	for _, clients := range []int{1, 32} {
		b.Run(fmt.Sprintf("query=one-row/clients=%d/via=gateway", clients), func(b *testing.B) {
			measureReads(b, clients, func(i int) error {
				var out struct{ Proposal *struct{ ID string } }
				if err := e.query(e.admin, `query($id: ID!) { proposal(id: $id) { id } }`,
					map[string]any{"id": e.proposals[i%len(e.proposals)].global}, &out); err != nil {
					return err
				}
				if out.Proposal == nil {
					return fmt.Errorf("no proposal")
				}
				return nil
			})
		})
	}
	for _, clients := range []int{1, 32} {
		b.Run(fmt.Sprintf("query=typename/clients=%d/via=gateway", clients), func(b *testing.B) {
			measureReads(b, clients, func(int) error {
				var out struct {
					Typename string `json:"__typename"`
				}
				if err := e.query("", `{ __typename }`, nil, &out); err != nil {
					return err
				}
				if out.Typename != "Query" {
					return fmt.Errorf("__typename %q", out.Typename)
				}
				return nil
			})
		})
	}
}

// measureReads spreads b.N reads over clients goroutines and reports throughput and
// latency percentiles.
func measureReads(b *testing.B, clients int, read func(i int) error) {
	b.Helper()
	latencies := make([]time.Duration, b.N)
	var (
		next    atomic.Int64
		wg      sync.WaitGroup
		failure atomic.Pointer[error]
	)
	b.ResetTimer()
	began := time.Now()
	for range clients {
		wg.Go(func() {
			for {
				i := int(next.Add(1) - 1)
				if i >= b.N || failure.Load() != nil {
					return
				}
				t0 := time.Now()
				if err := read(i); err != nil {
					failure.Store(&err)
					return
				}
				latencies[i] = time.Since(t0)
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(began)
	b.StopTimer()
	if err := failure.Load(); err != nil {
		b.Fatal(*err)
	}
	sort.Slice(latencies, func(i, j int) bool { return latencies[i] < latencies[j] })
	pct := func(p float64) float64 {
		return float64(latencies[min(len(latencies)-1, int(p*float64(len(latencies))))].Microseconds()) / 1000
	}
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "req/s")
	b.ReportMetric(pct(0.50), "p50-ms")
	b.ReportMetric(pct(0.99), "p99-ms")
}
