package servicehttp

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"reflect"
	"regexp"
	"strings"

	"passerelle.dev/servicekit/auth"
	"passerelle.dev/servicekit/command"
)

// Route is one command (or query) of a service's HTTP API: its method, path and success
// status, declared once for the port that serves it and the client that calls it, so
// the two cannot drift apart. C is the message, R its answer.
//
// A wildcard of the path names a string field of C (case aside: {associationID} is
// AssociationID): the server sets it from the URL, over anything the body said, and the
// client fills the URL from it. C's command.Request field, when it has one, carries the
// caller, the correlation id and the idempotency key.
type Route[C, R any] struct {
	method, path string
	status       int
	wildcards    []wildcard
	request      []int // index of C's command.Request field; nil when it has none
}

type wildcard struct {
	name  string
	field []int
}

var wildcardPattern = regexp.MustCompile(`\{([A-Za-z_][A-Za-z0-9_]*)\}`)

// NewRoute declares a route. It panics when a wildcard names no string field of C: a
// mistake in a service's route table, found the moment the package loads.
func NewRoute[C, R any](method, path string, status int) Route[C, R] {
	rt := Route[C, R]{method: method, path: path, status: status}
	t := reflect.TypeFor[C]()
	for _, m := range wildcardPattern.FindAllStringSubmatch(path, -1) {
		f, ok := t.FieldByNameFunc(func(n string) bool { return strings.EqualFold(n, m[1]) })
		if !ok || f.Type.Kind() != reflect.String {
			panic(fmt.Sprintf("servicehttp: route %s %s: %s has no string field %s", method, path, t, m[1]))
		}
		rt.wildcards = append(rt.wildcards, wildcard{name: m[1], field: f.Index})
	}
	if t.Kind() == reflect.Struct {
		if f, ok := t.FieldByName("Request"); ok && f.Type == reflect.TypeFor[command.Request]() {
			rt.request = f.Index
		}
	}
	return rt
}

// Path is the route's path, wildcards and all.
func (rt Route[C, R]) Path() string { return rt.path }

// Pattern is the route as http.ServeMux matches it.
func (rt Route[C, R]) Pattern() string { return rt.method + " " + rt.path }

// Serve registers the route on mux: authenticate, decode the JSON body into a C (an
// empty body is an empty C), set the path's fields and the request, run, and answer
// with the result or its coded error.
func (rt Route[C, R]) Serve(mux *http.ServeMux, tokens *auth.Tokens, logger *slog.Logger, run func(context.Context, C) (R, error)) {
	mux.Handle(rt.Pattern(), http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		caller, err := CallerOf(r, tokens)
		if err != nil {
			WriteError(w, r, logger, err)
			return
		}
		var msg C
		if r.ContentLength != 0 {
			if err := DecodeJSON(w, r, &msg); err != nil {
				WriteError(w, r, logger, err)
				return
			}
		}
		v := reflect.ValueOf(&msg).Elem()
		for _, wc := range rt.wildcards {
			v.FieldByIndex(wc.field).SetString(r.PathValue(wc.name))
		}
		if rt.request != nil {
			v.FieldByIndex(rt.request).Set(reflect.ValueOf(command.Request{
				Actor: caller.Actor, CorrelationID: caller.CorrelationID, IdempotencyKey: r.Header.Get(IdempotencyHeader),
			}))
		}
		res, err := run(r.Context(), msg)
		if err != nil {
			WriteError(w, r, logger, err)
			return
		}
		WriteJSON(w, rt.status, res)
	}))
}

// Call sends msg over c on behalf of its request's actor, with its correlation id and
// idempotency key, and decodes the answer.
func (rt Route[C, R]) Call(ctx context.Context, c *Client, msg C) (R, error) {
	var out R
	v := reflect.ValueOf(msg)
	path := rt.path
	for _, wc := range rt.wildcards {
		path = strings.Replace(path, "{"+wc.name+"}", url.PathEscape(v.FieldByIndex(wc.field).String()), 1)
	}
	var req command.Request
	if rt.request != nil {
		req = v.FieldByIndex(rt.request).Interface().(command.Request)
	}
	headers := map[string]string{}
	if req.IdempotencyKey != "" {
		headers[IdempotencyHeader] = req.IdempotencyKey
	}
	err := c.Do(ctx, rt.method, path, Caller{Actor: req.Actor, CorrelationID: req.CorrelationID}, headers, msg, &out)
	return out, err
}

// Health answers GET /healthz with 200 and {"status": "ok"} while the process serves.
func Health(mux *http.ServeMux) {
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		WriteJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	})
}
