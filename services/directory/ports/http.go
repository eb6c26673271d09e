// Package ports exposes the directory's commands over HTTP+JSON (package servicehttp's
// conventions), for a gateway running in another process.
package ports

import (
	"context"
	"log/slog"
	"net/http"

	"passerelle.dev/directory/app"
	"passerelle.dev/events/auth"
	"passerelle.dev/events/servicehttp"
)

// Routes of the directory's HTTP API. {id} is an association id.
const (
	RegisterPath  = "/v1/associations"
	ProfilePath   = "/v1/associations/{id}/profile"
	VerifyPath    = "/v1/associations/{id}/verification"
	RejectPath    = "/v1/associations/{id}/rejection"
	SuspendPath   = "/v1/associations/{id}/suspension"
	ReinstatePath = "/v1/associations/{id}/reinstatement"
	DissolvePath  = "/v1/associations/{id}/dissolution"
	ForgetPath    = "/v1/associations/{id}/contact-erasure"
	RevealPath    = "/v1/contacts/reveal"
)

// IdempotencyHeader carries a command's idempotency key.
const IdempotencyHeader = "Idempotency-Key"

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
	c := s.commands
	mux := http.NewServeMux()
	mux.Handle("POST "+RegisterPath, handle(s, http.StatusCreated, func(ctx context.Context, cmd app.RegisterAssociation, r app.Request, _ string) (any, error) {
		cmd.Request = r
		return c.RegisterAssociation(ctx, cmd)
	}))
	mux.Handle("PATCH "+ProfilePath, handle(s, http.StatusOK, func(ctx context.Context, cmd app.UpdateAssociationProfile, r app.Request, id string) (any, error) {
		cmd.AssociationID, cmd.Request = id, r
		return c.UpdateAssociationProfile(ctx, cmd)
	}))
	mux.Handle("POST "+VerifyPath, handle(s, http.StatusOK, func(ctx context.Context, cmd app.VerifyAssociation, r app.Request, id string) (any, error) {
		cmd.AssociationID, cmd.Request = id, r
		return c.VerifyAssociation(ctx, cmd)
	}))
	mux.Handle("POST "+RejectPath, handle(s, http.StatusOK, func(ctx context.Context, cmd app.RejectAssociation, r app.Request, id string) (any, error) {
		cmd.AssociationID, cmd.Request = id, r
		return c.RejectAssociation(ctx, cmd)
	}))
	mux.Handle("POST "+SuspendPath, handle(s, http.StatusOK, func(ctx context.Context, cmd app.SuspendAssociation, r app.Request, id string) (any, error) {
		cmd.AssociationID, cmd.Request = id, r
		return c.SuspendAssociation(ctx, cmd)
	}))
	mux.Handle("POST "+ReinstatePath, handle(s, http.StatusOK, func(ctx context.Context, cmd app.ReinstateAssociation, r app.Request, id string) (any, error) {
		cmd.AssociationID, cmd.Request = id, r
		return c.ReinstateAssociation(ctx, cmd)
	}))
	mux.Handle("POST "+DissolvePath, handle(s, http.StatusOK, func(ctx context.Context, cmd app.DissolveAssociation, r app.Request, id string) (any, error) {
		cmd.AssociationID, cmd.Request = id, r
		return c.DissolveAssociation(ctx, cmd)
	}))
	mux.Handle("POST "+ForgetPath, handle(s, http.StatusOK, func(ctx context.Context, cmd app.ForgetAssociationContact, r app.Request, id string) (any, error) {
		cmd.AssociationID, cmd.Request = id, r
		return c.ForgetAssociationContact(ctx, cmd)
	}))
	mux.Handle("POST "+RevealPath, handle(s, http.StatusOK, func(ctx context.Context, q app.RevealContacts, r app.Request, _ string) (any, error) {
		q.Request = r
		return c.RevealContacts(ctx, q)
	}))
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		servicehttp.WriteJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	})
	return mux
}

// handle builds an endpoint: authenticate, decode the command's JSON body (an empty
// body is an empty command), run it, answer with its result or its coded error.
func handle[C any](s *HTTPServer, status int, run func(ctx context.Context, cmd C, req app.Request, id string) (any, error)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		caller, err := servicehttp.CallerOf(r, s.tokens)
		if err != nil {
			servicehttp.WriteError(w, r, s.logger, err)
			return
		}
		var cmd C
		if r.ContentLength != 0 {
			if err := servicehttp.DecodeJSON(w, r, &cmd); err != nil {
				servicehttp.WriteError(w, r, s.logger, err)
				return
			}
		}
		req := app.Request{Actor: caller.Actor, CorrelationID: caller.CorrelationID, IdempotencyKey: r.Header.Get(IdempotencyHeader)}
		res, err := run(r.Context(), cmd, req, r.PathValue("id"))
		if err != nil {
			servicehttp.WriteError(w, r, s.logger, err)
			return
		}
		servicehttp.WriteJSON(w, status, res)
	})
}
