package server

import (
	"bytes"
	"encoding/json"
	"net/http/httptest"
	"strconv"
	"testing"

	graphql "github.com/graph-gophers/graphql-go"
	gqlerrors "github.com/graph-gophers/graphql-go/errors"
)

// writeResponse skips encoding/json for the data graphql-go built; the bytes must be
// the ones encoding/json would have written.
func TestResponsesAreWrittenAsEncodingJSONWould(t *testing.T) {
	withCode := &gqlerrors.QueryError{Message: "no such session", Path: []any{"dialogueSession"},
		Extensions: map[string]any{"code": "NOT_FOUND"}}
	for name, resp := range map[string]*graphql.Response{
		"data":                    {Data: json.RawMessage(`{"a":{"b":[1,2,"é\u2028"]}}`)},
		"errors and data":         {Data: json.RawMessage(`{"a":null}`), Errors: []*gqlerrors.QueryError{withCode}},
		"errors only":             {Errors: []*gqlerrors.QueryError{withCode, {Message: "second"}}},
		"data and extensions":     {Data: json.RawMessage(`{}`), Extensions: map[string]any{"cost": 3}},
		"nothing (cannot happen)": {},
	} {
		t.Run(name, func(t *testing.T) {
			var want bytes.Buffer
			if err := json.NewEncoder(&want).Encode(resp); err != nil {
				t.Fatal(err)
			}
			rec := httptest.NewRecorder()
			writeResponse(rec, resp)
			if got := rec.Body.String(); got != want.String() {
				t.Fatalf("wrote\n%s\nwant\n%s", got, want.String())
			}
			if got := rec.Header().Get("Content-Length"); got != strconv.Itoa(want.Len()) {
				t.Fatalf("Content-Length %s, want %d", got, want.Len())
			}
			if got := rec.Header().Get("Content-Type"); got != "application/json" {
				t.Fatalf("Content-Type %q", got)
			}
		})
	}
}
