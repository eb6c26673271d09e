package server

import (
	"net/http"
	"strings"

	"github.com/rs/cors"
)

// newCORS answers the browsers of the configured origins (comma-separated; "*" for
// any) with github.com/rs/cors, which keeps the protocol's details right: preflights,
// Vary on every response that depends on the origin, the headers a preflight may ask
// for. Without origins, no CORS header is sent and browsers keep other sites out.
func newCORS(list string) *cors.Cors {
	var origins []string
	for _, o := range strings.Split(list, ",") {
		if o = strings.TrimRight(strings.TrimSpace(o), "/"); o != "" {
			origins = append(origins, o)
		}
	}
	if len(origins) == 0 {
		// No origin allowed: rs/cors would read an empty list as "*".
		return cors.New(cors.Options{AllowOriginFunc: func(string) bool { return false }})
	}
	return cors.New(cors.Options{
		AllowedOrigins:       origins,
		AllowedMethods:       []string{http.MethodGet, http.MethodPost},
		AllowedHeaders:       []string{"Authorization", "Content-Type", CorrelationHeader},
		ExposedHeaders:       []string{CorrelationHeader, "Retry-After"},
		MaxAge:               600,
		OptionsSuccessStatus: http.StatusNoContent,
	})
}

// webSocketOriginAllowed tells whether a WebSocket upgrade may proceed: a client that
// is not a browser sends no Origin; a browser's page must be of this server (scheme and
// host both) or of a configured origin — the WebSocket library's own check compares
// hosts only, so an http page would pass for an https one.
func (s *Server) webSocketOriginAllowed(r *http.Request) bool {
	if r.Header.Get("Origin") == "" {
		return true
	}
	r2 := r.Clone(r.Context())
	r2.Header.Del("Sec-Fetch-Site") // an upgrade from another site is what CORS decides
	return s.sameOrigin(r2) || s.cors.OriginAllowed(r)
}
