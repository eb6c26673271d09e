package server_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	directoryapp "passerelle.dev/directory/app"
	"passerelle.dev/events"
	"passerelle.dev/events/auth"
	"passerelle.dev/graph/readmodel"
	"passerelle.dev/graph/resolver"
	"passerelle.dev/graph/server"
	proposalsapp "passerelle.dev/proposals/app"
	sessionsapp "passerelle.dev/sessions/app"
)

type panickingDirectory struct{ directoryapp.Commands }

// noSessions is a sessions service these tests never call.
type noSessions struct{ sessionsapp.Commands }

// noProposals is a proposals service these tests never call.
type noProposals struct{ proposalsapp.Commands }

func (panickingDirectory) RegisterAssociation(context.Context, directoryapp.RegisterAssociation) (directoryapp.Result, error) {
	panic("database password is hunter2")
}

type noWait struct{}

func (noWait) WaitFor(context.Context, events.Position, ...string) error { return nil }

func newServer(t *testing.T, cfg server.Config) *httptest.Server {
	t.Helper()
	res, err := resolver.New(resolver.Deps{
		Associations:     readmodel.NewAssociations(nil), // these tests never reach the database
		Sessions:         readmodel.NewSessions(nil),
		Directory:        panickingDirectory{},
		SessionCommands:  noSessions{},
		Proposals:        readmodel.NewProposals(nil),
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
	s, err := server.New(server.Deps{Resolver: res, Tokens: tokens}, cfg)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(s.Handler())
	t.Cleanup(srv.Close)
	return srv
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
