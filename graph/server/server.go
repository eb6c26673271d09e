// Package server serves the gateway over HTTP: GraphQL at /graphql (POST, GET for
// queries, and WebSocket with the graphql-transport-ws protocol for subscriptions),
// browser sessions at /auth/session, iCalendar feeds at /calendar/{city}.ics and
// /sessions/{id}.ics, liveness at /healthz, readiness at /readyz, Prometheus metrics at
// /metrics, and the web app (with GraphiQL at /graphiql) at every other path.
package server

import (
	"bytes"
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"mime"
	"net/http"
	"strconv"
	"time"

	"github.com/google/uuid"
	graphql "github.com/graph-gophers/graphql-go"
	gqlerrors "github.com/graph-gophers/graphql-go/errors"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/rs/cors"

	"passerelle.dev/events"
	"passerelle.dev/events/projector"
	"passerelle.dev/graph/resolver"
	"passerelle.dev/graph/schema"
	"passerelle.dev/graph/tables"
	"passerelle.dev/kernel/fault"
	"passerelle.dev/servicekit/auth"
)

// CorrelationHeader carries a request's correlation id; it is generated when absent and
// echoed in the response.
const CorrelationHeader = "X-Correlation-ID"

// Config tunes the server. Zero values take the defaults.
type Config struct {
	// MaxBodyBytes caps a request body. Defaults to 1 MiB.
	MaxBodyBytes int64 `env:"PASSERELLE_GRAPHQL_MAX_BODY_BYTES"`
	// RequestTimeout bounds one request. Defaults to 30s.
	RequestTimeout time.Duration `env:"PASSERELLE_GRAPHQL_REQUEST_TIMEOUT"`
	// MaxDepth caps query nesting. Defaults to 12.
	MaxDepth int `env:"PASSERELLE_GRAPHQL_MAX_DEPTH"`
	// MaxQueryLength caps a query's length in bytes. Defaults to 20,000.
	MaxQueryLength int `env:"PASSERELLE_GRAPHQL_MAX_QUERY_LENGTH"`
	// MaxParallelism caps resolvers running at once per request. Defaults to 10.
	MaxParallelism int `env:"PASSERELLE_GRAPHQL_MAX_PARALLELISM"`
	// MaxIntrospectionDepth caps the nesting of a query that asks for nothing but the
	// schema, in introspection's shape (see introspection.go): the standard
	// introspection query is 13 levels deep. Defaults to 20.
	MaxIntrospectionDepth int `env:"PASSERELLE_GRAPHQL_MAX_INTROSPECTION_DEPTH"`
	// RateLimit is the requests per second each client may send on average (a client is
	// a token's holder, or an address). Defaults to 20; a negative value turns it off.
	RateLimit float64 `env:"PASSERELLE_RATE_LIMIT"`
	// RateBurst is how many requests a client may send at once. Defaults to 60.
	RateBurst int `env:"PASSERELLE_RATE_BURST"`
	// CORSOrigins lists, comma-separated, the web origins whose pages may call the API
	// from a browser ("*" for any). Defaults to none.
	CORSOrigins string `env:"PASSERELLE_CORS_ORIGINS"`
	// SessionTTL bounds a browser session; a session never outlives the token it was
	// opened with. Defaults to 30 days.
	SessionTTL time.Duration `env:"PASSERELLE_SESSION_TTL"`
	// PublicOrigin is the origin browsers reach the gateway at, e.g.
	// https://passerelle.example.org, behind a proxy that does not pass the scheme on
	// (X-Forwarded-Proto). Unset, the request's own host and scheme are the origin.
	PublicOrigin string `env:"PASSERELLE_PUBLIC_ORIGIN"`
	// ResponseCacheEntries is how many anonymous answers the gateway keeps, each until a
	// projection it read from commits (or the minute turns); 0, the default, keeps none.
	// Conditional requests (If-None-Match) are answered either way.
	ResponseCacheEntries int `env:"PASSERELLE_RESPONSE_CACHE_ENTRIES"`
	// PersistedQueries is how many automatic persisted queries (documents known by their
	// SHA-256) the gateway keeps. Defaults to 1,000; negative keeps none.
	PersistedQueries int `env:"PASSERELLE_PERSISTED_QUERIES"`
	// AllowedDocuments is a JSON file of SHA-256 hashes to documents: set, the gateway
	// runs those documents only (see persisted.go).
	AllowedDocuments string `env:"PASSERELLE_GRAPHQL_ALLOWLIST"`
	// MaxCost caps a query's estimated size (see cost.go): fields, each list's counted
	// as many times as items it may return, aliases counted. Defaults to 50,000;
	// negative turns it off.
	MaxCost int `env:"PASSERELLE_GRAPHQL_MAX_COST"`
	// MetricsAddress, set (e.g. 127.0.0.1:9090, or an address of a private network),
	// serves /metrics there, to anyone who reaches it, and not on the public port.
	MetricsAddress string `env:"PASSERELLE_METRICS_ADDR"`
	// MetricsToken, set, is a bearer token a scraper (Prometheus's authorization) shows
	// to read /metrics on the public port; an admin's token works too, and nothing else.
	MetricsToken string `env:"PASSERELLE_METRICS_TOKEN"`
}

func (c *Config) setDefaults() {
	if c.PersistedQueries == 0 {
		c.PersistedQueries = 1000
	}
	if c.MaxBodyBytes <= 0 {
		c.MaxBodyBytes = 1 << 20
	}
	if c.RequestTimeout <= 0 {
		c.RequestTimeout = 30 * time.Second
	}
	if c.MaxDepth <= 0 {
		c.MaxDepth = 12
	}
	if c.MaxCost == 0 {
		c.MaxCost = 50000
	}
	if c.MaxQueryLength <= 0 {
		c.MaxQueryLength = 20000
	}
	if c.MaxParallelism <= 0 {
		c.MaxParallelism = 10
	}
	if c.MaxIntrospectionDepth <= 0 {
		c.MaxIntrospectionDepth = 20
	}
	if c.RateLimit == 0 {
		c.RateLimit = 20
	}
	if c.RateBurst <= 0 {
		c.RateBurst = 60
	}
	if c.SessionTTL <= 0 {
		c.SessionTTL = 30 * 24 * time.Hour
	}
}

// Readiness reports whether the gateway can answer correctly: database reachable and
// read models caught up.
type Readiness func(ctx context.Context) (ready bool, report any)

// Deps are the server's collaborators. Resolver and Tokens are required.
type Deps struct {
	Resolver *resolver.Resolver
	Tokens   *auth.Tokens
	Ready    Readiness
	Logger   *slog.Logger
	// Calendars serves the iCalendar feeds; without it there are none.
	Calendars interface{ Register(*http.ServeMux) }
	// Roster tells whether a coordinator is appointed; without it every coordinator
	// token naming a city is taken at its word.
	Roster Roster
	// Keys tell an association's current key; without them every association token is
	// taken at its word until it expires.
	Keys Keys
	// Metrics are collectors to show at /metrics beside the requests' (the projections').
	Metrics []prometheus.Collector
	// Sessions keep browsers signed in with a cookie; without them only bearer tokens
	// authenticate.
	Sessions Sessions
	// App serves the web app and GraphiQL at every path the gateway does not answer
	// itself; without it those paths are 404.
	App http.Handler
	// ReadModels let the gateway answer conditional requests and keep anonymous
	// answers (see conditional.go); without them answers are never tagged.
	ReadModels *ReadModels
}

// Keys tell which key of an association is its current one.
type Keys interface {
	KeyGeneration(ctx context.Context, associationID string) (int, error)
}

// Roster is the cities' appointed coordinators.
type Roster interface {
	Appointed(ctx context.Context, city, coordinatorID string) (bool, error)
}

// errNotAppointed refuses the token of a coordinator not (or no longer) appointed.
var (
	errNotAppointed      = fault.New(fault.Unauthenticated, "this coordinator token is not valid: its holder is not, or no longer, a coordinator of its city")
	errKeyRenewed        = fault.Because(fault.Unauthenticated, "KEY_RENEWED", "this association key was replaced by a newer one: sign in with the new key")
	errRosterUnavailable = fault.New(fault.Unavailable, "cannot check the coordinator's appointment now; try again")
	errRateLimited       = fault.New(fault.RateLimited, "too many requests from this client; retry after the number of seconds in Retry-After")
)

// Server is the gateway's HTTP handler.
type Server struct {
	schema *graphql.Schema
	// introspection runs documents that ask for nothing but the schema, with their own
	// depth limit.
	introspection *graphql.Schema
	deps          Deps
	cfg           Config
	limits        *clientLimits
	responses     *responseCache
	documents     *documents
	costs         *costs
	cors          *cors.Cors
	metrics       *metrics
}

// New parses the schema against the resolver.
func New(deps Deps, cfg Config) (*Server, error) {
	if deps.Resolver == nil || deps.Tokens == nil {
		return nil, errors.New("server: Resolver and Tokens are required")
	}
	if deps.Logger == nil {
		deps.Logger = slog.Default()
	}
	if deps.Ready == nil {
		deps.Ready = func(context.Context) (bool, any) { return true, nil }
	}
	cfg.setDefaults()
	parse := func(depth int) (*graphql.Schema, error) {
		s, err := graphql.ParseSchema(schema.SDL, deps.Resolver,
			graphql.MaxDepth(depth),
			graphql.MaxQueryLength(cfg.MaxQueryLength),
			graphql.MaxParallelism(cfg.MaxParallelism),
			graphql.PanicHandler(panicHandler{logger: deps.Logger}),
		)
		if err != nil {
			return nil, fmt.Errorf("server: schema: %w", err)
		}
		return s, nil
	}
	s, err := parse(cfg.MaxDepth)
	if err != nil {
		return nil, err
	}
	introspection, err := parse(cfg.MaxIntrospectionDepth)
	if err != nil {
		return nil, err
	}
	docs, err := newDocuments(cfg.PersistedQueries, cfg.AllowedDocuments)
	if err != nil {
		return nil, err
	}
	cost, err := newCosts(schema.SDL, cfg.MaxCost)
	if err != nil {
		return nil, err
	}
	return &Server{schema: s, introspection: introspection, documents: docs, deps: deps, cfg: cfg, limits: newClientLimits(cfg.RateLimit, cfg.RateBurst), responses: newResponseCache(cfg.ResponseCacheEntries), costs: cost, cors: newCORS(cfg.CORSOrigins), metrics: newMetrics(deps.Metrics...)}, nil
}

// schemaFor picks the schema that runs query: the introspection schema for a document
// that asks for nothing but the schema, in introspection's shape; the ordinary one,
// with its depth limit, for everything else.
func (s *Server) schemaFor(query string) (*graphql.Schema, error) {
	if len(query) > s.cfg.MaxQueryLength || !mentionsIntrospection(query) {
		return s.schema, nil
	}
	only, err := introspectionOnly(query)
	if err != nil {
		return nil, err
	}
	if only {
		return s.introspection, nil
	}
	return s.schema, nil
}

// Handler routes the gateway's endpoints.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	// CORS wraps the endpoint: rs/cors answers preflights itself, and sets the headers
	// (and Vary) of every other answer.
	mux.Handle("/graphql", s.cors.Handler(http.HandlerFunc(s.serveGraphQL)))
	mux.HandleFunc(SessionRoute, s.serveSession)
	if s.deps.App != nil {
		mux.Handle("/", s.deps.App)
	}
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	})
	mux.HandleFunc("GET /readyz", s.serveReady)
	if s.cfg.MetricsAddress == "" {
		mux.Handle("GET /metrics", s.protect(s.metrics.handler()))
	}
	if s.deps.Calendars != nil {
		s.deps.Calendars.Register(mux)
	}
	return mux
}

// MetricsHandler serves /metrics to whoever reaches it: for the listener at
// MetricsAddress, which the public does not.
func (s *Server) MetricsHandler() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", s.metrics.handler())
	return mux
}

// MetricsAddress is where the metrics listener goes, empty when /metrics is on the
// public port behind a token.
func (s *Server) MetricsAddress() string { return s.cfg.MetricsAddress }

// protect lets through the metrics token's holder and admins: the counters name every
// operation clients send and the projections' progress, which is nobody else's business.
func (s *Server) protect(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		token, ok, err := auth.BearerToken(r)
		allowed := false
		if err == nil && ok {
			if s.cfg.MetricsToken != "" && subtle.ConstantTimeCompare([]byte(token), []byte(s.cfg.MetricsToken)) == 1 {
				allowed = true
			} else if a, _, err := s.deps.Tokens.Verify(token); err == nil && a.IsAdmin() {
				allowed = true
			}
		}
		if !allowed {
			w.Header().Set("WWW-Authenticate", `Bearer realm="metrics"`)
			http.Error(w, "metrics need the metrics token (PASSERELLE_METRICS_TOKEN) or an admin's token", http.StatusUnauthorized)
			return
		}
		h.ServeHTTP(w, r)
	})
}

type graphQLRequest struct {
	Query         string         `json:"query"`
	OperationName string         `json:"operationName"`
	Variables     map[string]any `json:"variables"`
	Extensions    map[string]any `json:"extensions"`
}

func (s *Server) serveGraphQL(w http.ResponseWriter, r *http.Request) {
	if isWebSocket(r) {
		s.serveWebSocket(w, r)
		return
	}
	start := time.Now()
	corr := r.Header.Get(CorrelationHeader)
	if corr == "" || len(corr) > 128 {
		corr = uuid.Must(uuid.NewV7()).String()
	}
	w.Header().Set(CorrelationHeader, corr)

	req, readOnly, status, err := s.decode(w, r)
	if err != nil {
		writeErrors(w, status, err)
		s.log(r, corr, status, "", "refused", start)
		return
	}
	actor, err := s.authenticate(w, r)
	if err != nil {
		s.deps.Logger.InfoContext(r.Context(), "refused token", "err", err, "correlation_id", corr)
		status := http.StatusUnauthorized
		if fault.CodeOf(err) == fault.Unavailable {
			status = http.StatusServiceUnavailable
		}
		writeErrors(w, status, err)
		s.log(r, corr, status, req.OperationName, "refused", start)
		return
	}
	if ok, wait := s.limits.allow(clientKey(r, actor), time.Now()); !ok {
		w.Header().Set("Retry-After", retryAfter(wait))
		writeErrors(w, http.StatusTooManyRequests, errRateLimited)
		s.log(r, corr, http.StatusTooManyRequests, req.OperationName, "refused", start)
		return
	}

	ctx, cancel := context.WithTimeout(r.Context(), s.cfg.RequestTimeout)
	defer cancel()
	ctx = auth.WithActor(ctx, actor)
	ctx = resolver.WithRequestInfo(ctx, resolver.RequestInfo{CorrelationID: corr, ReadOnly: readOnly})

	schema, err := s.schemaFor(req.Query)
	if err == nil && schema == s.schema {
		err = s.costs.check(req.Query, req.OperationName, req.Variables)
	}
	if err != nil {
		writeErrors(w, http.StatusBadRequest, err)
		s.log(r, corr, http.StatusBadRequest, req.OperationName, "refused", start)
		return
	}
	// What the answer depends on, to answer a conditional request without running the
	// query, or to serve a kept answer; the marks are taken before the query runs, so
	// that an answer's tag is never newer than the answer.
	var (
		key       tagKey
		keyed     bool
		marks     map[string]projector.Mark
		anonymous = actor == events.Anonymous
	)
	if rm := s.deps.ReadModels; rm != nil {
		key, keyed = newTagKey(actor, req)
		marks = rm.Watermarks.Known()
		if inm := r.Header.Get("If-None-Match"); keyed && inm != "" {
			if tag, ok := rm.stillValid(inm, key, marks, start); ok {
				setCaching(w.Header(), tag, anonymous)
				w.WriteHeader(http.StatusNotModified)
				s.log(r, corr, http.StatusNotModified, req.OperationName, "not modified", start)
				return
			}
		}
		if keyed && anonymous && s.responses != nil {
			if kept, ok := s.responses.Get(key); ok {
				if tag, ok := rm.tagFor(key, kept.deps, marks, start); ok && tag == kept.tag {
					setCaching(w.Header(), tag, anonymous)
					writeBody(w, kept.body)
					s.log(r, corr, http.StatusOK, req.OperationName, "kept", start)
					return
				}
			}
		}
	}
	reads := &tables.Reads{}
	resp := schema.Exec(tables.WithReads(ctx, reads), req.Query, req.OperationName, req.Variables)
	codeErrors(resp)
	var tag string
	var deps []int
	if keyed && len(resp.Errors) == 0 && resp.Data != nil {
		if d, ok := s.deps.ReadModels.depsOf(reads); ok {
			deps = d
			tag, _ = s.deps.ReadModels.tagFor(key, deps, marks, start)
		}
	}
	setCaching(w.Header(), tag, anonymous)
	body := encodeResponse(resp)
	if tag != "" && anonymous && s.responses != nil {
		s.responses.Add(key, cachedResponse{deps: deps, tag: tag, body: body})
	}
	writeBody(w, body)
	outcome := "ok"
	if len(resp.Errors) > 0 {
		outcome = "error"
	}
	s.log(r, corr, http.StatusOK, req.OperationName, outcome, start)
}

// authenticate reads the request's token, or else its browser session.
func (s *Server) authenticate(w http.ResponseWriter, r *http.Request) (events.Actor, error) {
	if r.Header.Get("Authorization") == "" {
		if secret := s.sessionSecret(r); secret != "" {
			return s.sessionActor(w, r, secret)
		}
	}
	actor, err := s.deps.Tokens.Authenticate(r)
	if err != nil {
		return actor, err
	}
	return s.checkAppointment(r.Context(), actor)
}

// checkAppointment lets a coordinator act only while appointed, and an association only
// with its current key: dismissing one, or renewing the other, ends the older token's
// power at once, not when it expires.
func (s *Server) checkAppointment(ctx context.Context, actor events.Actor) (events.Actor, error) {
	if actor.Role == events.RoleAssociation && s.deps.Keys != nil {
		gen, err := s.deps.Keys.KeyGeneration(ctx, actor.AssociationID)
		if err != nil {
			if fault.CodeOf(err) == fault.NotFound {
				return actor, nil // an association that does not exist: nothing to act on
			}
			if ctx.Err() == nil {
				s.deps.Logger.ErrorContext(ctx, "checking an association's key", "err", err)
			}
			return events.Actor{}, errRosterUnavailable
		}
		if gen != actor.KeyGeneration {
			return events.Actor{}, errKeyRenewed
		}
		return actor, nil
	}
	if actor.Role != events.RoleCoordinator || s.deps.Roster == nil {
		return actor, nil
	}
	ok, err := s.deps.Roster.Appointed(ctx, actor.City, actor.Subject)
	if err != nil {
		if ctx.Err() == nil { // not a client that went away
			s.deps.Logger.ErrorContext(ctx, "checking a coordinator's appointment", "err", err)
		}
		return events.Actor{}, errRosterUnavailable
	}
	if !ok {
		return events.Actor{}, errNotAppointed
	}
	return actor, nil
}

// decode reads a GraphQL request from a POST body or a GET query string.
func (s *Server) decode(w http.ResponseWriter, r *http.Request) (req graphQLRequest, readOnly bool, status int, err error) {
	switch r.Method {
	case http.MethodGet:
		q := r.URL.Query()
		req.Query, req.OperationName = q.Get("query"), q.Get("operationName")
		if v := q.Get("variables"); v != "" {
			if err := json.Unmarshal([]byte(v), &req.Variables); err != nil {
				return req, true, http.StatusBadRequest, fault.New(fault.BadUserInput, "variables must be a JSON object")
			}
		}
		if v := q.Get("extensions"); v != "" {
			if err := json.Unmarshal([]byte(v), &req.Extensions); err != nil {
				return req, true, http.StatusBadRequest, fault.New(fault.BadUserInput, "extensions must be a JSON object")
			}
		}
		readOnly = true
	case http.MethodPost:
		if ct := r.Header.Get("Content-Type"); ct != "" {
			if mt, _, err := mime.ParseMediaType(ct); err != nil || mt != "application/json" {
				return req, false, http.StatusUnsupportedMediaType, fault.New(fault.BadUserInput, "send the request as application/json")
			}
		}
		dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, s.cfg.MaxBodyBytes))
		if err := dec.Decode(&req); err != nil {
			var tooBig *http.MaxBytesError
			if errors.As(err, &tooBig) {
				return req, false, http.StatusRequestEntityTooLarge,
					fault.New(fault.BadUserInput, fmt.Sprintf("the request body is larger than %d bytes", s.cfg.MaxBodyBytes))
			}
			return req, false, http.StatusBadRequest, fault.New(fault.BadUserInput, "the request body is not a GraphQL request in JSON")
		}
	default:
		w.Header().Set("Allow", "GET, POST, OPTIONS")
		return req, false, http.StatusMethodNotAllowed, fault.New(fault.BadUserInput, "use POST, or GET for queries")
	}
	if err := s.documents.resolve(&req); err != nil {
		status := http.StatusOK // as clients of persisted queries expect, to send the document
		switch fault.CodeOf(err) {
		case fault.BadUserInput:
			status = http.StatusBadRequest
		case fault.PersistedQueryNotAllowed:
			status = http.StatusForbidden
		}
		return req, readOnly, status, err
	}
	if req.Query == "" {
		return req, readOnly, http.StatusBadRequest, fault.New(fault.BadUserInput, "the request has no query")
	}
	return req, readOnly, http.StatusOK, nil
}

// codeErrors gives every error a code. Resolver errors carry theirs. A response
// without data was refused before execution (syntax, validation, limits): the client's
// input is at fault, as it is for an argument graphql-go could not coerce while
// executing (an error with a cause but no resolver). A timeout is UNAVAILABLE. Anything
// else is internal and its text is not shown.
func codeErrors(resp *graphql.Response) {
	refused := resp.Data == nil
	for _, e := range resp.Errors {
		if _, ok := e.Extensions["code"]; ok {
			continue
		}
		code := fault.Internal
		switch {
		case refused:
			code = fault.BadUserInput
		case errors.Is(e.Err, context.DeadlineExceeded) || errors.Is(e.Err, context.Canceled):
			code, e.Message = fault.Unavailable, "the request took too long; try again"
		case e.Err != nil && e.ResolverError == nil:
			code = fault.BadUserInput
		default:
			e.Message = "internal error"
		}
		if e.Extensions == nil {
			e.Extensions = map[string]any{}
		}
		e.Extensions["code"] = string(code)
	}
}

type panicHandler struct{ logger *slog.Logger }

// MakePanicError logs a resolver's panic and answers with an internal error.
func (h panicHandler) MakePanicError(ctx context.Context, value any) *gqlerrors.QueryError {
	h.logger.ErrorContext(ctx, "resolver panicked", "panic", fmt.Sprint(value))
	return &gqlerrors.QueryError{Message: "internal error", Extensions: map[string]any{"code": string(fault.Internal)}}
}

func (s *Server) serveReady(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 5*time.Second)
	defer cancel()
	ready, report := s.deps.Ready(ctx)
	status := http.StatusOK
	if !ready {
		status = http.StatusServiceUnavailable
	}
	writeJSON(w, status, map[string]any{"ready": ready, "checks": report})
}

// log records one request, in the log and the metrics. Variables are never logged: they
// may hold personal data.
func (s *Server) log(r *http.Request, corr string, status int, operation, outcome string, start time.Time) {
	took := time.Since(start)
	s.metrics.observe(operation, outcome, took)
	s.deps.Logger.InfoContext(r.Context(), "graphql request", "method", r.Method, "status", status,
		"operation", operation, "duration_ms", took.Milliseconds(), "correlation_id", corr)
}

type errorResponse struct {
	Errors []errorEntry `json:"errors"`
}

type errorEntry struct {
	Message    string         `json:"message"`
	Extensions map[string]any `json:"extensions"`
}

// writeErrors answers a request refused before execution, in GraphQL's error shape.
func writeErrors(w http.ResponseWriter, status int, err error) {
	ext := map[string]any{}
	for k, v := range fault.DetailsOf(err) {
		ext[k] = v
	}
	ext["code"] = string(fault.CodeOf(err))
	writeJSON(w, status, errorResponse{Errors: []errorEntry{{Message: fault.MessageOf(err), Extensions: ext}}})
}

// encodeResponse encodes a GraphQL response as encoding/json would, but copies its data
// as graphql-go built it: encoding/json validates and compacts a json.RawMessage byte by
// byte, which cost a calendar page more than its own encoding.
func encodeResponse(resp *graphql.Response) []byte {
	var body bytes.Buffer
	body.Grow(len(resp.Data) + 64)
	body.WriteByte('{')
	sep := ""
	if len(resp.Errors) > 0 {
		errs, err := json.Marshal(resp.Errors)
		if err != nil {
			errs = []byte(`[{"message":"internal error","extensions":{"code":"INTERNAL"}}]`)
		}
		body.WriteString(`"errors":`)
		body.Write(errs)
		sep = ","
	}
	if len(resp.Data) > 0 {
		body.WriteString(sep + `"data":`)
		body.Write(resp.Data)
		sep = ","
	}
	if len(resp.Extensions) > 0 {
		if ext, err := json.Marshal(resp.Extensions); err == nil {
			body.WriteString(sep + `"extensions":`)
			body.Write(ext)
		}
	}
	body.WriteString("}\n")
	return body.Bytes()
}

// writeBody writes an encoded answer, its length in the header, so the body is not
// chunked.
func writeBody(w http.ResponseWriter, body []byte) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(body)
}

// writeResponse writes a GraphQL response (see encodeResponse).
func writeResponse(w http.ResponseWriter, resp *graphql.Response) { writeBody(w, encodeResponse(resp)) }

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
