package gateway_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	directoryapp "passerelle.dev/directory/app"
	directoryclient "passerelle.dev/directory/client"
	directoryservice "passerelle.dev/directory/service"
	"passerelle.dev/events"
	"passerelle.dev/events/eventstore"
	expertsapp "passerelle.dev/experts/app"
	expertsclient "passerelle.dev/experts/client"
	expertsservice "passerelle.dev/experts/service"
	"passerelle.dev/graph/gateway"
	"passerelle.dev/graph/resolver"
	"passerelle.dev/graph/server"
	"passerelle.dev/graph/web"
	"passerelle.dev/kernel/pgmigrate"
	"passerelle.dev/kernel/pgtest"
	notificationsadapters "passerelle.dev/notifications/adapters"
	notificationsapp "passerelle.dev/notifications/app"
	notificationsclient "passerelle.dev/notifications/client"
	notificationsservice "passerelle.dev/notifications/service"
	proposalsapp "passerelle.dev/proposals/app"
	proposalsclient "passerelle.dev/proposals/client"
	proposalsservice "passerelle.dev/proposals/service"
	"passerelle.dev/servicekit/auth"
	sessionsapp "passerelle.dev/sessions/app"
	sessionsclient "passerelle.dev/sessions/client"
	sessionscity "passerelle.dev/sessions/domain/city"
	sessionsservice "passerelle.dev/sessions/service"
)

var db *pgtest.Database

func TestMain(m *testing.M) {
	var sets []pgmigrate.Set
	for _, part := range [][]pgmigrate.Set{directoryservice.Migrations(), sessionsservice.Migrations(), proposalsservice.Migrations(),
		notificationsservice.Migrations(), expertsservice.Migrations(), gateway.Migrations()} {
		for _, set := range part {
			if !slices.ContainsFunc(sets, func(s pgmigrate.Set) bool { return s.Schema == set.Schema }) {
				sets = append(sets, set)
			}
		}
	}
	os.Exit(pgtest.Run(m, &db, sets...))
}

const secret = "gateway-test-secret-gateway-test-secret"

var masterKey = bytes.Repeat([]byte{5}, 32)

// platform is a gateway with its projections running, over the directory and sessions
// services in process or behind their HTTP ports, and a clock tests can move forward.
type platform struct {
	gateway *gateway.Gateway
	url     string
	pool    *pgxpool.Pool
	tokens  *auth.Tokens
	clock   *clock
	// statements counts the SQL statements each GraphQL request sends.
	statements *statementCounter
	// startEvents is how many events the log held once the platform started.
	startEvents int
	// mailDir is the folder mail is delivered to.
	mailDir string
}

// statementCounter counts, per GraphQL request (by its correlation id), the statements
// sent to PostgreSQL, batched ones included.
type statementCounter struct {
	mu        sync.Mutex
	byRequest map[string]int
}

func (c *statementCounter) count(ctx context.Context) {
	if id := resolver.CorrelationID(ctx); id != "" {
		c.mu.Lock()
		c.byRequest[id]++
		c.mu.Unlock()
	}
}

func (c *statementCounter) of(correlationID string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.byRequest[correlationID]
}

// TraceQueryStart implements pgx.QueryTracer.
func (c *statementCounter) TraceQueryStart(ctx context.Context, _ *pgx.Conn, _ pgx.TraceQueryStartData) context.Context {
	c.count(ctx)
	return ctx
}

// TraceQueryEnd implements pgx.QueryTracer.
func (c *statementCounter) TraceQueryEnd(context.Context, *pgx.Conn, pgx.TraceQueryEndData) {}

// TraceBatchStart implements pgx.BatchTracer.
func (c *statementCounter) TraceBatchStart(ctx context.Context, _ *pgx.Conn, _ pgx.TraceBatchStartData) context.Context {
	return ctx
}

// TraceBatchQuery implements pgx.BatchTracer.
func (c *statementCounter) TraceBatchQuery(ctx context.Context, _ *pgx.Conn, _ pgx.TraceBatchQueryData) {
	c.count(ctx)
}

// TraceBatchEnd implements pgx.BatchTracer.
func (c *statementCounter) TraceBatchEnd(context.Context, *pgx.Conn, pgx.TraceBatchEndData) {}

// clock is the real time plus an offset tests move forward (to record attendance after a
// session, say): every service of the platform reads it.
type clock struct{ offset atomic.Int64 }

func (c *clock) now() time.Time { return time.Now().Add(time.Duration(c.offset.Load())) }

func start(t *testing.T, dbURL string, overHTTP bool) *platform {
	t.Helper()
	return startWith(t, dbURL, overHTTP, func(*gateway.Config) {})
}

// startWith starts the platform with the gateway's configuration changed by configure.
func startWith(t *testing.T, dbURL string, overHTTP bool, configure func(*gateway.Config)) *platform {
	t.Helper()
	statements := &statementCounter{byRequest: map[string]int{}}
	cfg, err := pgxpool.ParseConfig(dbURL)
	if err != nil {
		t.Fatal(err)
	}
	// Small enough that parallel tests and packages fit in PostgreSQL's default of 100
	// connections (see pgtest.PoolFor).
	cfg.MaxConns = 20
	cfg.ConnConfig.Tracer = statements
	pool, err := pgxpool.NewWithConfig(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	store, err := eventstore.NewStore(eventstore.Config{Pool: pool})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(store.Close)
	tokens, err := auth.NewTokens([]byte(secret))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	notifications := eventstore.NewNotifications(pool, nil)
	listening := make(chan struct{})
	go func() { defer close(listening); _ = notifications.Run(ctx) }()

	svc, err := directoryservice.New(directoryservice.Deps{Store: store, Notifications: notifications, Tokens: tokens, MasterKey: masterKey},
		directoryservice.Config{})
	if err != nil {
		t.Fatal(err)
	}
	directory := reach[directoryapp.Commands](t, overHTTP, svc.Commands, svc.HTTP, func(url string, hc *http.Client) directoryapp.Commands {
		return directoryclient.New(url, tokens, hc)
	})

	clk := &clock{}
	sessionsSvc, err := sessionsservice.New(sessionsservice.Deps{Store: store, Notifications: notifications, Tokens: tokens},
		sessionsservice.Config{App: sessionsapp.Config{Now: clk.now}, OfferTimerInterval: 20 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	sessions := reach[sessionsapp.Commands](t, overHTTP, sessionsSvc.Commands, sessionsSvc.HTTP, func(url string, hc *http.Client) sessionsapp.Commands {
		return sessionsclient.New(url, tokens, hc)
	})

	proposalsSvc, err := proposalsservice.New(proposalsservice.Deps{Store: store, Notifications: notifications, Tokens: tokens},
		proposalsservice.Config{App: proposalsapp.Config{Now: clk.now}})
	if err != nil {
		t.Fatal(err)
	}
	proposals := reach[proposalsapp.Commands](t, overHTTP, proposalsSvc.Commands, proposalsSvc.HTTP, func(url string, hc *http.Client) proposalsapp.Commands {
		return proposalsclient.New(url, tokens, hc)
	})

	// Mail goes to a folder of the test's own; contacts are opened by the directory.
	mailDir := t.TempDir()
	mailSvc, err := notificationsservice.New(notificationsservice.Deps{Store: store, Notifications: notifications, Tokens: tokens,
		Contacts: notificationsadapters.DirectoryContacts{Directory: directory}, DataDir: mailDir},
		notificationsservice.Config{From: "Passerelle <no-reply@passerelle.test>", MailDir: "mail", PublicURL: "https://passerelle.test",
			MaxAge: time.Hour, Sender: notificationsadapters.SenderConfig{Interval: 50 * time.Millisecond}})
	if err != nil {
		t.Fatal(err)
	}
	mail := reach[notificationsapp.Commands](t, overHTTP, mailSvc.Commands, mailSvc.HTTP, func(url string, hc *http.Client) notificationsapp.Commands {
		return notificationsclient.New(url, tokens, hc)
	})

	expertsSvc, err := expertsservice.New(expertsservice.Deps{Store: store, Tokens: tokens, MasterKey: masterKey},
		expertsservice.Config{App: expertsapp.Config{Now: clk.now}})
	if err != nil {
		t.Fatal(err)
	}
	experts := reach[expertsapp.Commands](t, overHTTP, expertsSvc.Commands, expertsSvc.HTTP, func(url string, hc *http.Client) expertsapp.Commands {
		return expertsclient.New(url, tokens, hc)
	})

	// The tests send hundreds of requests a second from one client: no rate limit.
	gatewayConfig := gateway.Config{ConsistencyTimeout: 10 * time.Second, Server: server.Config{RateLimit: -1}}
	configure(&gatewayConfig)
	g, err := gateway.New(gateway.Deps{Pool: pool, Store: store, Notifications: notifications, Tokens: tokens,
		Directory: directory, Sessions: sessions, Proposals: proposals, Mail: mail, Experts: experts, Now: clk.now}, gatewayConfig)
	if err != nil {
		t.Fatal(err)
	}
	running := make(chan error, 5)
	go func() { running <- g.Run(ctx) }()
	go func() { running <- svc.Run(ctx) }()
	go func() { running <- sessionsSvc.Run(ctx) }()
	go func() { running <- proposalsSvc.Run(ctx) }()
	go func() { running <- mailSvc.Run(ctx) }()
	srv := httptest.NewServer(g.Handler())
	t.Cleanup(func() {
		srv.Close()
		cancel()
		for range 5 {
			if err := <-running; err != nil {
				t.Errorf("platform: %v", err)
			}
		}
		<-listening
	})
	p := &platform{gateway: g, url: srv.URL, pool: pool, tokens: tokens, clock: clk, statements: statements,
		mailDir: filepath.Join(mailDir, "mail")}
	// The sessions service opens the default cities as it starts: wait for them, so that
	// tests counting events count only their own.
	pgtest.Eventually(t, 10*time.Second, "the default cities", func() (bool, error) {
		var n int
		err := pool.QueryRow(context.Background(), `SELECT count(*) FROM graph.cities`).Scan(&n)
		return n >= len(sessionscity.Defaults), err
	})
	p.startEvents = countEvents(t, pool)
	return p
}

// reach is a service as the gateway reaches it: in process, or over HTTP through its
// own client.
func reach[C any](t *testing.T, overHTTP bool, inProcess C, handler http.Handler, client func(url string, hc *http.Client) C) C {
	t.Helper()
	if !overHTTP {
		return inProcess
	}
	srv := httptest.NewServer(handler)
	t.Cleanup(srv.Close)
	return client(srv.URL, srv.Client())
}

func (p *platform) token(t *testing.T, a events.Actor) string {
	t.Helper()
	tok, err := p.tokens.Issue(a, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

type gqlResponse struct {
	status int
	header http.Header
	raw    []byte
	Data   map[string]json.RawMessage `json:"data"`
	Errors []struct {
		Message    string         `json:"message"`
		Extensions map[string]any `json:"extensions"`
	} `json:"errors"`
}

func (r gqlResponse) code() string {
	if len(r.Errors) == 0 {
		return ""
	}
	c, _ := r.Errors[0].Extensions["code"].(string)
	return c
}

func (p *platform) post(t *testing.T, token string, body []byte) gqlResponse {
	t.Helper()
	return do(t, p.postRequest(t, token, body))
}

// postRequest is a GraphQL request by POST, with the token if any.
func (p *platform) postRequest(t *testing.T, token string, body []byte) *http.Request {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, p.url+"/graphql", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	return req
}

func do(t *testing.T, req *http.Request) gqlResponse {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	out := gqlResponse{status: resp.StatusCode, header: resp.Header, raw: raw}
	if resp.StatusCode == http.StatusNotModified {
		return out // no body: the client's copy holds
	}
	if err := json.Unmarshal(raw, &out); err != nil {
		t.Fatalf("response is not JSON (%d): %s", resp.StatusCode, raw)
	}
	return out
}

func (p *platform) gql(t *testing.T, token, query string, vars map[string]any) gqlResponse {
	t.Helper()
	body, err := json.Marshal(map[string]any{"query": query, "variables": vars})
	if err != nil {
		t.Fatal(err)
	}
	return p.post(t, token, body)
}

func decode[T any](t *testing.T, r gqlResponse, field string) T {
	t.Helper()
	if len(r.Errors) > 0 {
		t.Fatalf("errors: %s", r.raw)
	}
	var v T
	if err := json.Unmarshal(r.Data[field], &v); err != nil {
		t.Fatalf("decode %s: %v (%s)", field, err, r.raw)
	}
	return v
}

const registerMutation = `mutation($input: RegisterAssociationInput!) {
  registerAssociation(input: $input) { association { id name city { slug } originCountries status } token position }
}`

type registered struct {
	Association struct {
		ID   string `json:"id"`
		Name string `json:"name"`
		City struct {
			Slug string `json:"slug"`
		} `json:"city"`
		OriginCountries []string `json:"originCountries"`
		Status          string   `json:"status"`
	} `json:"association"`
	Token    string `json:"token"`
	Position string `json:"position"`
}

func (p *platform) register(t *testing.T, name, city string, origins ...string) registered {
	t.Helper()
	return decode[registered](t, p.gql(t, "", registerMutation, map[string]any{
		"input": map[string]any{"name": name, "city": city, "originCountries": origins},
	}), "registerAssociation")
}

type connection struct {
	TotalCount int `json:"totalCount"`
	Edges      []struct {
		Cursor string `json:"cursor"`
		Node   struct {
			ID     string `json:"id"`
			Name   string `json:"name"`
			Status string `json:"status"`
		} `json:"node"`
	} `json:"edges"`
	PageInfo struct {
		HasNextPage     bool    `json:"hasNextPage"`
		HasPreviousPage bool    `json:"hasPreviousPage"`
		EndCursor       *string `json:"endCursor"`
	} `json:"pageInfo"`
}

const listQuery = `query($first: Int, $after: String, $filter: AssociationFilter, $orderBy: AssociationOrder) {
  associations(first: $first, after: $after, filter: $filter, orderBy: $orderBy) {
    totalCount
    edges { cursor node { id name status } }
    pageInfo { hasNextPage hasPreviousPage endCursor }
  }
}`

func TestRegisterVerifyAndFindThroughGraphQL(t *testing.T) {
	t.Parallel()
	for _, overHTTP := range []bool{false, true} {
		t.Run(fmt.Sprintf("directory over HTTP %v", overHTTP), func(t *testing.T) {
			t.Parallel()
			p := start(t, db.Fresh(t), overHTTP)
			coordinator := p.coordinator(t, "london")

			reg := p.register(t, "Ghanaian Nurses Network UK", "london", "GH")
			if reg.Association.Status != "PENDING" || reg.Association.City.Slug != "london" || reg.Token == "" || reg.Position == "" {
				t.Fatalf("registration: %+v", reg)
			}
			if got := reg.Association.OriginCountries; len(got) != 1 || got[0] != "GH" {
				t.Fatalf("origin countries %v", got)
			}

			// Read-your-writes: the coordinator sees the pending association right away.
			pending := decode[connection](t, p.gql(t, coordinator, listQuery, map[string]any{"filter": map[string]any{"status": "PENDING"}}), "associations")
			if pending.TotalCount != 1 || pending.Edges[0].Node.ID != reg.Association.ID {
				t.Fatalf("pending associations right after registering: %+v", pending)
			}
			// The public does not see it yet.
			public := decode[connection](t, p.gql(t, "", listQuery, nil), "associations")
			if public.TotalCount != 0 {
				t.Fatalf("the public sees %d unverified associations", public.TotalCount)
			}

			verified := p.gql(t, coordinator, `mutation($id: ID!) { verifyAssociation(id: $id) { association { id status } position } }`,
				map[string]any{"id": reg.Association.ID})
			v := decode[struct {
				Association struct{ ID, Status string } `json:"association"`
				Position    string                      `json:"position"`
			}](t, verified, "verifyAssociation")
			if v.Association.Status != "VERIFIED" || v.Association.ID != reg.Association.ID || v.Position <= reg.Position && len(v.Position) <= len(reg.Position) {
				t.Fatalf("verification: %+v after position %s", v, reg.Position)
			}

			// And everyone finds it verified, without waiting.
			found := decode[connection](t, p.gql(t, "", listQuery, map[string]any{"filter": map[string]any{"city": "london", "originCountry": "gh"}}), "associations")
			if found.TotalCount != 1 || found.Edges[0].Node.Status != "VERIFIED" || found.Edges[0].Node.Name != "Ghanaian Nurses Network UK" {
				t.Fatalf("associations after verifying: %+v", found)
			}
			one := decode[*struct{ Status string }](t, p.gql(t, "", `query($id: ID!) { association(id: $id) { status } }`, map[string]any{"id": reg.Association.ID}), "association")
			if one == nil || one.Status != "VERIFIED" {
				t.Fatalf("association(id): %+v", one)
			}

			// The same registration again is a conflict that names the first.
			again := p.gql(t, "", registerMutation, map[string]any{"input": map[string]any{
				"name": "GHANAIAN NURSES NETWORK, UK", "city": "london", "originCountries": []string{"GH"},
			}})
			if again.code() != "CONFLICT" || again.Errors[0].Extensions["existingAssociationId"] != reg.Association.ID {
				t.Fatalf("second registration: %s", again.raw)
			}

			// Verifying without a token.
			anon := p.gql(t, "", `mutation($id: ID!) { verifyAssociation(id: $id) { position } }`, map[string]any{"id": reg.Association.ID})
			if anon.code() != "UNAUTHENTICATED" {
				t.Fatalf("anonymous verification: %s", anon.raw)
			}
		})
	}
}

func TestBadInputGetsACodeAndWritesNothing(t *testing.T) {
	t.Parallel()
	p := start(t, db.Fresh(t), false)
	geneva, london := p.coordinator(t, "geneva"), p.coordinator(t, "london")
	reg := p.register(t, "Association des Sénégalais de Genève", "geneva", "SN")
	written := p.events(t)
	association := p.token(t, events.Actor{Role: events.RoleAssociation, AssociationID: strings.Repeat("0", 8) + "-0000-7000-8000-000000000000"})
	input := func(name, city string, origins ...string) map[string]any {
		return map[string]any{"input": map[string]any{"name": name, "city": city, "originCountries": origins}}
	}
	verify := `mutation($id: ID!) { verifyAssociation(id: $id) { position } }`

	cases := []struct {
		name   string
		send   func() gqlResponse
		status int
		code   string
	}{
		{"malformed query", func() gqlResponse { return p.gql(t, "", `{ associations(first: 2) { edges `, nil) }, 200, "BAD_USER_INPUT"},
		{"unknown field", func() gqlResponse { return p.gql(t, "", `{ associations { nope } }`, nil) }, 200, "BAD_USER_INPUT"},
		{"wrong variable type", func() gqlResponse { return p.gql(t, "", listQuery, map[string]any{"first": "ten"}) }, 200, "BAD_USER_INPUT"},
		{"page too large", func() gqlResponse { return p.gql(t, "", listQuery, map[string]any{"first": 1000}) }, 200, "BAD_USER_INPUT"},
		{"broken cursor", func() gqlResponse { return p.gql(t, "", listQuery, map[string]any{"after": "not-a-cursor"}) }, 200, "BAD_USER_INPUT"},
		{"unknown city", func() gqlResponse { return p.gql(t, "", registerMutation, input("Lagos Union", "lagos", "NG")) }, 200, "BAD_USER_INPUT"},
		{"unknown country", func() gqlResponse { return p.gql(t, "", registerMutation, input("Atlantis Union", "paris", "QQ")) }, 200, "BAD_USER_INPUT"},
		{"empty name", func() gqlResponse { return p.gql(t, "", registerMutation, input("   ", "paris", "SN")) }, 200, "BAD_USER_INPUT"},
		{"missing input field", func() gqlResponse {
			return p.gql(t, "", registerMutation, map[string]any{"input": map[string]any{"name": "X", "city": "paris"}})
		}, 200, "BAD_USER_INPUT"},
		{"malformed id", func() gqlResponse { return p.gql(t, geneva, verify, map[string]any{"id": "!!"}) }, 200, "BAD_USER_INPUT"},
		{"unknown association", func() gqlResponse {
			return p.gql(t, geneva, verify, map[string]any{"id": "QXNzb2NpYXRpb246MDE5MGIyZjQtMDAwMC03MDAwLTgwMDAtMDAwMDAwMDAwMDAx"})
		}, 200, "NOT_FOUND"},
		{"coordinator of another city", func() gqlResponse { return p.gql(t, london, verify, map[string]any{"id": reg.Association.ID}) }, 200, "FORBIDDEN"},
		{"association token", func() gqlResponse { return p.gql(t, association, verify, map[string]any{"id": reg.Association.ID}) }, 200, "FORBIDDEN"},
		{"anonymous", func() gqlResponse { return p.gql(t, "", verify, map[string]any{"id": reg.Association.ID}) }, 200, "UNAUTHENTICATED"},
		{"broken token", func() gqlResponse { return p.gql(t, "eyJhbGciOiJIUzI1NiJ9.e30.c2lnbmF0dXJl", listQuery, nil) }, 401, "UNAUTHENTICATED"},
		{"token signed elsewhere", func() gqlResponse {
			other, _ := auth.NewTokens([]byte("another-secret-another-secret-another"))
			tok, _ := other.Issue(events.Actor{Role: events.RoleAdmin, Subject: "mallory"}, time.Hour)
			return p.gql(t, tok, verify, map[string]any{"id": reg.Association.ID})
		}, 401, "UNAUTHENTICATED"},
		{"oversized body", func() gqlResponse {
			return p.post(t, "", []byte(`{"query":"{ cities { slug } }","variables":{"pad":"`+strings.Repeat("x", 2<<20)+`"}}`))
		}, 413, "BAD_USER_INPUT"},
		{"not JSON", func() gqlResponse { return p.post(t, "", []byte(`query { cities { slug } }`)) }, 400, "BAD_USER_INPUT"},
		{"no query", func() gqlResponse { return p.post(t, "", []byte(`{}`)) }, 400, "BAD_USER_INPUT"},
		{"mutation over GET", func() gqlResponse {
			q := url.Values{"query": {`mutation { registerAssociation(input: {name: "Via GET", city: "paris", originCountries: ["SN"]}) { token } }`}}
			req, _ := http.NewRequest(http.MethodGet, p.url+"/graphql?"+q.Encode(), nil)
			return do(t, req)
		}, 200, "BAD_USER_INPUT"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := c.send()
			if r.status != c.status || r.code() != c.code {
				t.Fatalf("got %d %q, want %d %q: %s", r.status, r.code(), c.status, c.code, r.raw)
			}
			for _, e := range r.Errors {
				if e.Extensions["code"] == nil {
					t.Fatalf("an error without a code: %s", r.raw)
				}
			}
			if n := p.events(t); n != written {
				t.Fatalf("%d events after a refused request, want %d", n, written)
			}
		})
	}
}

func TestQueriesOverGET(t *testing.T) {
	t.Parallel()
	p := start(t, db.URL, false)
	q := url.Values{"query": {`query($c: String) { associations(filter: {city: $c}) { totalCount } cities { slug } }`}, "variables": {`{"c":"brussels"}`}}
	req, _ := http.NewRequest(http.MethodGet, p.url+"/graphql?"+q.Encode(), nil)
	r := do(t, req)
	cities := decode[[]struct{ Slug string }](t, r, "cities")
	if len(cities) != 5 || cities[0].Slug != "london" {
		t.Fatalf("cities %+v", cities)
	}
}

func TestPaginationIsStableWhileAssociationsArrive(t *testing.T) {
	t.Parallel()
	p := start(t, db.Fresh(t), false)
	admin := p.token(t, events.Actor{Role: events.RoleAdmin, Subject: "admin"})
	var ids []string
	for i := 0; i < 5; i++ {
		ids = append(ids, p.register(t, fmt.Sprintf("Remittance Circle %d", i), "brussels", "CD").Association.ID)
	}

	page1 := decode[connection](t, p.gql(t, admin, listQuery, map[string]any{"first": 2}), "associations")
	if page1.TotalCount != 5 || len(page1.Edges) != 2 || !page1.PageInfo.HasNextPage || page1.PageInfo.HasPreviousPage {
		t.Fatalf("page 1: %+v", page1)
	}
	// Two more register between the pages.
	for i := 5; i < 7; i++ {
		ids = append(ids, p.register(t, fmt.Sprintf("Remittance Circle %d", i), "brussels", "CD").Association.ID)
	}
	var seen []string
	for _, e := range page1.Edges {
		seen = append(seen, e.Node.ID)
	}
	after := page1.PageInfo.EndCursor
	for after != nil {
		page := decode[connection](t, p.gql(t, admin, listQuery, map[string]any{"first": 2, "after": *after}), "associations")
		if !page.PageInfo.HasPreviousPage || page.TotalCount != 7 {
			t.Fatalf("page after %s: %+v", *after, page)
		}
		for _, e := range page.Edges {
			seen = append(seen, e.Node.ID)
		}
		if !page.PageInfo.HasNextPage {
			break
		}
		after = page.PageInfo.EndCursor
	}
	if strings.Join(seen, ",") != strings.Join(ids, ",") {
		t.Fatalf("paging saw\n%v\nwant every association once, in registration order\n%v", seen, ids)
	}

	empty := decode[connection](t, p.gql(t, admin, listQuery, map[string]any{"first": 0}), "associations")
	if empty.TotalCount != 7 || len(empty.Edges) != 0 || empty.PageInfo.EndCursor != nil {
		t.Fatalf("first: 0 → %+v", empty)
	}
}

func TestReadinessReportsCaughtUpProjections(t *testing.T) {
	t.Parallel()
	p := start(t, db.URL, false)
	pgtest.Eventually(t, 10*time.Second, "the gateway to be ready", func() (bool, error) {
		resp, err := http.Get(p.url + "/readyz")
		if err != nil {
			return false, err
		}
		resp.Body.Close()
		return resp.StatusCode == http.StatusOK, nil
	})
	// The web app answers at / once `make build` built it; a binary built without it
	// says so with a 503.
	app := http.StatusServiceUnavailable
	if web.Built() {
		app = http.StatusOK
	}
	for path, want := range map[string]int{"/healthz": http.StatusOK, "/": app} {
		resp, err := http.Get(p.url + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != want {
			t.Fatalf("%s: %d, want %d", path, resp.StatusCode, want)
		}
	}
}
