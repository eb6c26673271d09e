// Package ports exposes the directory's commands over HTTP+JSON (package servicehttp's
// conventions), for a gateway running in another process.
package ports

import (
	"context"
	"log/slog"
	"net/http"

	"passerelle.dev/directory/app"
	"passerelle.dev/servicekit/auth"
	"passerelle.dev/servicekit/command"
	"passerelle.dev/servicekit/servicehttp"
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
	// RenewKeyPath renews an association's key; KeyGenerationPath asks which is current.
	RenewKeyPath      = "/v1/associations/{id}/key-renewal"
	KeyGenerationPath = "/v1/associations/{id}/key-generation/queries"
	RevealPath        = "/v1/contacts/reveal"
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
	c := s.commands
	mux := http.NewServeMux()
	mux.Handle("POST "+RegisterPath, servicehttp.Endpoint(s.tokens, s.logger, http.StatusCreated, func(ctx context.Context, cmd app.RegisterAssociation, r command.Request, _ string) (any, error) {
		cmd.Request = r
		return c.RegisterAssociation(ctx, cmd)
	}))
	mux.Handle("PATCH "+ProfilePath, servicehttp.Endpoint(s.tokens, s.logger, http.StatusOK, func(ctx context.Context, cmd app.UpdateAssociationProfile, r command.Request, id string) (any, error) {
		cmd.AssociationID, cmd.Request = id, r
		return c.UpdateAssociationProfile(ctx, cmd)
	}))
	mux.Handle("POST "+VerifyPath, servicehttp.Endpoint(s.tokens, s.logger, http.StatusOK, func(ctx context.Context, cmd app.VerifyAssociation, r command.Request, id string) (any, error) {
		cmd.AssociationID, cmd.Request = id, r
		return c.VerifyAssociation(ctx, cmd)
	}))
	mux.Handle("POST "+RejectPath, servicehttp.Endpoint(s.tokens, s.logger, http.StatusOK, func(ctx context.Context, cmd app.RejectAssociation, r command.Request, id string) (any, error) {
		cmd.AssociationID, cmd.Request = id, r
		return c.RejectAssociation(ctx, cmd)
	}))
	mux.Handle("POST "+SuspendPath, servicehttp.Endpoint(s.tokens, s.logger, http.StatusOK, func(ctx context.Context, cmd app.SuspendAssociation, r command.Request, id string) (any, error) {
		cmd.AssociationID, cmd.Request = id, r
		return c.SuspendAssociation(ctx, cmd)
	}))
	mux.Handle("POST "+ReinstatePath, servicehttp.Endpoint(s.tokens, s.logger, http.StatusOK, func(ctx context.Context, cmd app.ReinstateAssociation, r command.Request, id string) (any, error) {
		cmd.AssociationID, cmd.Request = id, r
		return c.ReinstateAssociation(ctx, cmd)
	}))
	mux.Handle("POST "+DissolvePath, servicehttp.Endpoint(s.tokens, s.logger, http.StatusOK, func(ctx context.Context, cmd app.DissolveAssociation, r command.Request, id string) (any, error) {
		cmd.AssociationID, cmd.Request = id, r
		return c.DissolveAssociation(ctx, cmd)
	}))
	mux.Handle("POST "+RenewKeyPath, servicehttp.Endpoint(s.tokens, s.logger, http.StatusOK, func(ctx context.Context, cmd app.RenewAssociationKey, r command.Request, id string) (any, error) {
		cmd.AssociationID, cmd.Request = id, r
		return c.RenewAssociationKey(ctx, cmd)
	}))
	mux.Handle("POST "+KeyGenerationPath, servicehttp.Endpoint(s.tokens, s.logger, http.StatusOK, func(ctx context.Context, _ struct{}, _ command.Request, id string) (any, error) {
		return c.KeyGeneration(ctx, id)
	}))
	mux.Handle("POST "+ForgetPath, servicehttp.Endpoint(s.tokens, s.logger, http.StatusOK, func(ctx context.Context, cmd app.ForgetAssociationContact, r command.Request, id string) (any, error) {
		cmd.AssociationID, cmd.Request = id, r
		return c.ForgetAssociationContact(ctx, cmd)
	}))
	mux.Handle("POST "+RevealPath, servicehttp.Endpoint(s.tokens, s.logger, http.StatusOK, func(ctx context.Context, q app.RevealContacts, r command.Request, _ string) (any, error) {
		q.Request = r
		return c.RevealContacts(ctx, q)
	}))
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		servicehttp.WriteJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	})
	return mux
}
