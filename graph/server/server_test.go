package server_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"

	directoryapp "passerelle.dev/directory/app"

	"passerelle.dev/events"
	"passerelle.dev/graph/readmodel"
	"passerelle.dev/graph/resolver"
	"passerelle.dev/graph/server"
	proposalsapp "passerelle.dev/proposals/app"
	"passerelle.dev/servicekit/auth"
	sessionsapp "passerelle.dev/sessions/app"
)

type panickingDirectory struct{ directoryapp.Commands }

// noSessions is a sessions service these tests never call.
type noSessions struct{ sessionsapp.Commands }

// noChanges is a change feed these tests never follow.
type noChanges struct{ resolver.Changes }

// noHistory is an event log these tests never read.
type noHistory struct{ resolver.History }

// noPast is a time machine these tests never use.
type noPast struct{ resolver.Past }

// noProposals is a proposals service these tests never call.
type noProposals struct{ proposalsapp.Commands }

func (panickingDirectory) RegisterAssociation(context.Context, directoryapp.RegisterAssociation) (directoryapp.Result, error) {
	panic("database password is hunter2")
}

type noWait struct{}

func (noWait) AfterWrite(context.Context, events.Position) []string { return nil }

func newServer(t *testing.T, cfg server.Config) *httptest.Server {
	t.Helper()
	s, err := server.New(testDeps(t), cfg)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(s.Handler())
	t.Cleanup(srv.Close)
	return srv
}

// testDeps are a server's dependencies that never reach a database.
func testDeps(t *testing.T) server.Deps {
	t.Helper()
	res, err := resolver.New(resolver.Deps{
		Associations:     readmodel.NewAssociations(nil), // these tests never reach the database
		Sessions:         readmodel.NewSessions(nil),
		Directory:        panickingDirectory{},
		SessionCommands:  noSessions{},
		Proposals:        readmodel.NewProposals(nil),
		History:          noHistory{},
		Past:             noPast{},
		Stats:            readmodel.NewStats(nil),
		Changes:          noChanges{},
		ProposalCommands: noProposals{},
		Consistency:      noWait{},
	}, resolver.Config{})
	if err != nil {
		t.Fatal(err)
	}
	tokens, err := auth.NewTokens([]byte("server-test-secret-server-test-secret"))
	if err != nil {
		t.Fatal(err)
	}
	return server.Deps{Resolver: res, Tokens: tokens}
}

func post(t *testing.T, srv *httptest.Server, query string) (int, string, string) {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"query": query})
	resp, err := http.Post(srv.URL+"/graphql", "application/json", strings.NewReader(string(body)))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out struct {
		Errors []struct {
			Message    string         `json:"message"`
			Extensions map[string]any `json:"extensions"`
		} `json:"errors"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		t.Fatal(err)
	}
	if len(out.Errors) == 0 {
		return resp.StatusCode, "", ""
	}
	code, _ := out.Errors[0].Extensions["code"].(string)
	return resp.StatusCode, code, out.Errors[0].Message
}

func TestLimitsAndFailuresAreCodedErrors(t *testing.T) {
	t.Parallel()
	srv := newServer(t, server.Config{MaxDepth: 2, MaxQueryLength: 200})
	cases := []struct {
		name, query, code string
	}{
		{"within limits", `{ countries { code } }`, ""},
		{"too deep", `{ viewer { association { id } } }`, "BAD_USER_INPUT"},
		{"too long", `{ cities { slug } ` + strings.Repeat(" ", 200) + `}`, "BAD_USER_INPUT"},
		{"resolver panic hides its text", `mutation { registerAssociation(input: {name: "x", city: "paris", originCountries: ["SN"]}) { token } }`, "INTERNAL"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			status, code, msg := post(t, srv, c.query)
			if status != http.StatusOK || code != c.code {
				t.Fatalf("got %d %q (%s), want 200 %q", status, code, msg, c.code)
			}
			if strings.Contains(msg, "hunter2") {
				t.Fatalf("a panic's text reached the client: %s", msg)
			}
		})
	}
}

func TestOtherMethodsAndContentTypesAreRefused(t *testing.T) {
	t.Parallel()
	srv := newServer(t, server.Config{})
	req, _ := http.NewRequest(http.MethodPut, srv.URL+"/graphql", strings.NewReader(`{}`))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMethodNotAllowed {
		t.Fatalf("PUT: %d", resp.StatusCode)
	}
	resp, err = http.Post(srv.URL+"/graphql", "text/plain", strings.NewReader(`{"query":"{ cities { slug } }"}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnsupportedMediaType {
		t.Fatalf("text/plain: %d", resp.StatusCode)
	}
}

func TestEachClientIsRateLimited(t *testing.T) {
	t.Parallel()
	srv := newServer(t, server.Config{RateLimit: 0.01, RateBurst: 2})
	send := func(token string) *http.Response {
		t.Helper()
		req, _ := http.NewRequest(http.MethodPost, srv.URL+"/graphql", strings.NewReader(`{"query":"{ countries { code } }"}`))
		req.Header.Set("Content-Type", "application/json")
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		return resp
	}
	for i := range 2 {
		if resp := send(""); resp.StatusCode != http.StatusOK {
			t.Fatalf("request %d: %d", i+1, resp.StatusCode)
		}
	}
	resp := send("")
	defer resp.Body.Close()
	var out struct {
		Errors []struct {
			Extensions map[string]any `json:"extensions"`
		} `json:"errors"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") == "" || len(out.Errors) != 1 || out.Errors[0].Extensions["code"] != "RATE_LIMITED" {
		t.Fatalf("the third request: %d, Retry-After %q, %+v", resp.StatusCode, resp.Header.Get("Retry-After"), out)
	}
	// Another client (a token's holder) has a bucket of its own.
	tokens, _ := auth.NewTokens([]byte("server-test-secret-server-test-secret"))
	token, _ := tokens.Issue(events.Actor{Role: events.RoleAdmin, Subject: "admin"}, time.Minute)
	if resp := send(token); resp.StatusCode != http.StatusOK {
		t.Fatalf("another client: %d", resp.StatusCode)
	}
}

func TestCORSForConfiguredOrigins(t *testing.T) {
	t.Parallel()
	srv := newServer(t, server.Config{CORSOrigins: "https://app.example.org, https://admin.example.org/"})
	preflight := func(origin string) *http.Response {
		req, _ := http.NewRequest(http.MethodOptions, srv.URL+"/graphql", nil)
		req.Header.Set("Origin", origin)
		req.Header.Set("Access-Control-Request-Method", "POST")
		req.Header.Set("Access-Control-Request-Headers", "authorization, content-type")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp
	}
	resp := preflight("https://admin.example.org")
	if resp.StatusCode != http.StatusNoContent || resp.Header.Get("Access-Control-Allow-Origin") != "https://admin.example.org" ||
		!strings.Contains(strings.ToLower(resp.Header.Get("Access-Control-Allow-Headers")), "authorization") {
		t.Fatalf("an allowed origin: %d %v", resp.StatusCode, resp.Header)
	}
	if !strings.Contains(strings.Join(resp.Header.Values("Vary"), ","), "Origin") {
		t.Fatalf("a preflight's answer depends on the origin, and says so: %v", resp.Header)
	}
	// Another origin's preflight gets no permission (and caches know it varies).
	if resp := preflight("https://evil.example.com"); resp.Header.Get("Access-Control-Allow-Origin") != "" ||
		resp.Header.Get("Access-Control-Allow-Methods") != "" || !strings.Contains(strings.Join(resp.Header.Values("Vary"), ","), "Origin") {
		t.Fatalf("another origin: %d %v", resp.StatusCode, resp.Header)
	}
	// The same host over plain http is another origin.
	if resp := preflight("http://admin.example.org"); resp.Header.Get("Access-Control-Allow-Origin") != "" {
		t.Fatalf("http for https: %v", resp.Header)
	}
	req, _ := http.NewRequest(http.MethodPost, srv.URL+"/graphql", strings.NewReader(`{"query":"{ __schema { queryType { name } } }"}`))
	req.Header.Set("Origin", "https://app.example.org")
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	if res.Header.Get("Access-Control-Allow-Origin") != "https://app.example.org" || !strings.Contains(string(body), `"queryType":{"name":"Query"}`) ||
		!strings.Contains(strings.Join(res.Header.Values("Vary"), ","), "Origin") || !strings.Contains(res.Header.Get("Access-Control-Expose-Headers"), "Retry-After") {
		t.Fatalf("a cross-origin introspection query: %v %s", res.Header, body)
	}
}

// TestWebSocketsCheckTheWholeOrigin: a page of a configured origin, or of this server,
// opens a WebSocket; the same host over http instead of https, or another site, does not.
func TestWebSocketsCheckTheWholeOrigin(t *testing.T) {
	t.Parallel()
	srv := newServer(t, server.Config{CORSOrigins: "https://app.example.org"})
	dial := func(origin string) int {
		t.Helper()
		h := http.Header{}
		if origin != "" {
			h.Set("Origin", origin)
		}
		c, resp, err := websocket.Dial(context.Background(), "ws"+strings.TrimPrefix(srv.URL, "http")+"/graphql",
			&websocket.DialOptions{Subprotocols: []string{"graphql-transport-ws"}, HTTPHeader: h})
		if err == nil {
			c.CloseNow()
			return http.StatusSwitchingProtocols
		}
		if resp == nil {
			t.Fatal(err)
		}
		return resp.StatusCode
	}
	for origin, want := range map[string]int{
		"https://app.example.org":  http.StatusSwitchingProtocols,
		"":                         http.StatusSwitchingProtocols, // not a browser
		srv.URL:                    http.StatusSwitchingProtocols, // a page of this server
		"http://app.example.org":   http.StatusForbidden,
		"https://evil.example.com": http.StatusForbidden,
	} {
		if got := dial(origin); got != want {
			t.Errorf("origin %q: %d, want %d", origin, got, want)
		}
	}
}

// TestAliasAmplificationIsRefusedByCost: a short, shallow document that asks for the
// countries a thousand times (about 250,000 objects) is refused before it runs, with a
// code and its estimate; the same list asked once, and pages of reasonable size, pass.
func TestAliasAmplificationIsRefusedByCost(t *testing.T) {
	t.Parallel()
	srv := newServer(t, server.Config{})
	var b strings.Builder
	b.WriteString("{")
	for i := range 1000 {
		fmt.Fprintf(&b, " c%d: countries { code }", i)
	}
	b.WriteString(" }")
	status, code, msg := post(t, srv, b.String())
	if status != http.StatusBadRequest || code != "BAD_USER_INPUT" || !strings.Contains(msg, "too much") {
		t.Fatalf("1,000 aliases: %d %q %s", status, code, msg)
	}
	body, _ := json.Marshal(map[string]any{"query": b.String()})
	resp, err := http.Post(srv.URL+"/graphql", "application/json", strings.NewReader(string(body)))
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(raw), `"reason":"QUERY_TOO_COSTLY"`) || !strings.Contains(string(raw), `"maxCost":50000`) {
		t.Fatalf("the refusal's extensions: %s", raw)
	}
	for _, q := range []string{
		`{ countries { code name } }`,
		`{ a: countries { code } b: countries { code } }`,
		`{ associations(first: 100) { edges { node { id name languages originCountries } } pageInfo { endCursor } } }`,
	} {
		if status, code, msg := post(t, srv, q); code == "BAD_USER_INPUT" && strings.Contains(msg, "too much") {
			t.Fatalf("%s refused: %d %s", q, status, msg)
		}
	}
	// The limit is configurable, and a page's `first` counts.
	small := newServer(t, server.Config{MaxCost: 500})
	if _, code, msg := post(t, small, `{ associations(first: 100) { edges { node { id name languages } } } }`); code != "BAD_USER_INPUT" || !strings.Contains(msg, "too much") {
		t.Fatalf("first: 100 under a limit of 500: %q %s", code, msg)
	}
	if _, _, msg := post(t, small, `{ associations(first: 5) { edges { node { id name } } } }`); strings.Contains(msg, "too much") {
		t.Fatalf("first: 5 under a limit of 500 refused: %s", msg)
	}
}
