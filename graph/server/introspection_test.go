package server_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"strings"
	"testing"

	"passerelle.dev/graph/server"
)

// The standard introspection query (what GraphiQL's Docs panel and code generators
// send) nests past the depth limit of ordinary queries; it must still be answered,
// while the limit keeps holding for everything else and introspection shapes that
// multiply the schema are refused.
func TestIntrospectionHasItsOwnDepthLimitOnlyInIntrospectionsShape(t *testing.T) {
	t.Parallel()
	standard, err := os.ReadFile("testdata/introspection.graphql")
	if err != nil {
		t.Fatal(err)
	}
	srv := newServer(t, server.Config{})
	cases := []struct {
		name, query, code string
	}{
		{"the standard introspection query", string(standard), ""},
		{"an ordinary query within the limit", ordinary(12), ""},
		{"an ordinary query past the limit", ordinary(13), "BAD_USER_INPUT"},
		{"introspection beside data keeps the ordinary limit", "{ countries { code } " + strings.TrimPrefix(nestOfType(14), "{"), "BAD_USER_INPUT"},
		{"type lists under a type reference", `{ __schema { types { fields { type { fields { type { fields { name } } } } } } } }`, "BAD_USER_INPUT"},
		{"the schema repeated by aliases", aliases(400), "BAD_USER_INPUT"},
		{"deeper than the introspection limit", nestOfType(30), "BAD_USER_INPUT"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			status, code, msg := post(t, srv, c.query)
			if code != c.code {
				t.Fatalf("got %d %q (%s), want %q", status, code, msg, c.code)
			}
		})
	}
	// And the answer is the schema.
	body, _ := json.Marshal(map[string]any{"query": string(standard)})
	resp, err := http.Post(srv.URL+"/graphql", "application/json", strings.NewReader(string(body)))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out struct {
		Data struct {
			Schema struct {
				QueryType struct{ Name string }
				Types     []struct{ Name string }
			} `json:"__schema"`
		}
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		t.Fatal(err)
	}
	if out.Data.Schema.QueryType.Name != "Query" || len(out.Data.Schema.Types) < 50 {
		t.Fatalf("the schema: %+v", out.Data.Schema)
	}
}

// ordinary is a query of data `depth` fields deep: a viewer's association's city's
// coordinators' city's coordinators…
func ordinary(depth int) string {
	fields := []string{"viewer", "association"}
	for len(fields) < depth-1 {
		fields = append(fields, []string{"city", "coordinators"}[len(fields)%2])
	}
	fields = append(fields, "id")
	return "{ " + strings.Join(fields, " { ") + strings.Repeat(" }", len(fields))
}

// nestOfType is an introspection query of type references n deep.
func nestOfType(n int) string {
	return `{ __type(name: "Association") { fields { type ` + strings.Repeat("{ ofType ", n) + "{ name }" + strings.Repeat(" }", n) + " } } }"
}

// aliases asks for the schema's types n times over.
func aliases(n int) string {
	var b strings.Builder
	b.WriteString("{ ")
	for i := range n {
		fmt.Fprintf(&b, "a%d: __schema { types { name kind } } ", i)
	}
	b.WriteString("}")
	return b.String()
}
