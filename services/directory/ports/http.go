// Package ports exposes the directory's commands over HTTP+JSON (package servicehttp's
// conventions), for a gateway running in another process.
package ports

import (
	"log/slog"
	"net/http"

	"passerelle.dev/directory/app"
	"passerelle.dev/events/auth"
	"passerelle.dev/events/servicehttp"
)

// Routes of the directory's HTTP API.
const (
	RegisterPath = "/v1/associations"
	VerifyPath   = "/v1/associations/{id}/verification"
)

// HTTPServer is the directory's HTTP port: decode, build the command, call it, encode.
type HTTPServer struct {
	commands app.Commands
	tokens   *auth.Tokens
	logger   *slog.Logger
}

// NewHTTPServer returns the port over commands.
func NewHTTPServer(commands app.Commands, tokens *auth.Tokens, logger *slog.Logger) *HTTPServer {
	if logger == nil {
		logger = slog.Default()
	}
	return &HTTPServer{commands: commands, tokens: tokens, logger: logger}
}

// Handler routes the API.
func (s *HTTPServer) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST "+RegisterPath, s.register)
	mux.HandleFunc("POST "+VerifyPath, s.verify)
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		servicehttp.WriteJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	})
	return mux
}

func (s *HTTPServer) register(w http.ResponseWriter, r *http.Request) {
	caller, err := servicehttp.CallerOf(r, s.tokens)
	if err != nil {
		servicehttp.WriteError(w, r, s.logger, err)
		return
	}
	var cmd app.RegisterAssociation
	if err := servicehttp.DecodeJSON(w, r, &cmd); err != nil {
		servicehttp.WriteError(w, r, s.logger, err)
		return
	}
	cmd.Request = app.Request{Actor: caller.Actor, CorrelationID: caller.CorrelationID}
	res, err := s.commands.RegisterAssociation(r.Context(), cmd)
	if err != nil {
		servicehttp.WriteError(w, r, s.logger, err)
		return
	}
	servicehttp.WriteJSON(w, http.StatusCreated, res)
}

func (s *HTTPServer) verify(w http.ResponseWriter, r *http.Request) {
	caller, err := servicehttp.CallerOf(r, s.tokens)
	if err != nil {
		servicehttp.WriteError(w, r, s.logger, err)
		return
	}
	res, err := s.commands.VerifyAssociation(r.Context(), app.VerifyAssociation{
		AssociationID: r.PathValue("id"),
		Request:       app.Request{Actor: caller.Actor, CorrelationID: caller.CorrelationID},
	})
	if err != nil {
		servicehttp.WriteError(w, r, s.logger, err)
		return
	}
	servicehttp.WriteJSON(w, http.StatusOK, res)
}
