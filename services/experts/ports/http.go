// Package ports serves the experts service over HTTP, for a gateway in another process.
package ports

import (
	"context"
	"log/slog"
	"net/http"

	"passerelle.dev/events/auth"
	"passerelle.dev/events/command"
	"passerelle.dev/events/servicehttp"
	"passerelle.dev/experts/app"
)

// Routes of the experts service's HTTP API. {id} is an expert's id.
const (
	ExpertsPath      = "/v1/experts"
	ProfilePath      = "/v1/experts/{id}/profile"
	VerificationPath = "/v1/experts/{id}/verification"
	RejectionPath    = "/v1/experts/{id}/rejection"
	ConsentsPath     = "/v1/experts/{id}/consents"
	WithdrawalsPath  = "/v1/experts/{id}/consent-withdrawals"
	ErasurePath      = "/v1/experts/{id}/erasure"
	RosterQueryPath  = "/v1/roster/queries"
	ExpertQueryPath  = "/v1/experts/{id}/queries"
	PendingQueryPath = "/v1/pending-experts/queries"
)

// Handler routes the API over commands.
func Handler(c app.Commands, tokens *auth.Tokens, logger *slog.Logger) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("POST "+ExpertsPath, servicehttp.Endpoint(tokens, logger, http.StatusCreated, func(ctx context.Context, cmd app.RegisterExpert, r command.Request, _ string) (any, error) {
		cmd.Request = r
		return c.RegisterExpert(ctx, cmd)
	}))
	mux.Handle("PUT "+ProfilePath, servicehttp.Endpoint(tokens, logger, http.StatusOK, func(ctx context.Context, cmd app.UpdateExpertProfile, r command.Request, id string) (any, error) {
		cmd.ExpertID, cmd.Request = id, r
		return c.UpdateExpertProfile(ctx, cmd)
	}))
	mux.Handle("POST "+VerificationPath, servicehttp.Endpoint(tokens, logger, http.StatusOK, func(ctx context.Context, cmd app.VerifyExpert, r command.Request, id string) (any, error) {
		cmd.ExpertID, cmd.Request = id, r
		return c.VerifyExpert(ctx, cmd)
	}))
	mux.Handle("POST "+RejectionPath, servicehttp.Endpoint(tokens, logger, http.StatusOK, func(ctx context.Context, cmd app.RejectExpert, r command.Request, id string) (any, error) {
		cmd.ExpertID, cmd.Request = id, r
		return c.RejectExpert(ctx, cmd)
	}))
	mux.Handle("POST "+ConsentsPath, servicehttp.Endpoint(tokens, logger, http.StatusOK, func(ctx context.Context, cmd app.GiveConsent, r command.Request, id string) (any, error) {
		cmd.ExpertID, cmd.Request = id, r
		return c.GiveConsent(ctx, cmd)
	}))
	mux.Handle("POST "+WithdrawalsPath, servicehttp.Endpoint(tokens, logger, http.StatusOK, func(ctx context.Context, cmd app.WithdrawConsent, r command.Request, id string) (any, error) {
		cmd.ExpertID, cmd.Request = id, r
		return c.WithdrawConsent(ctx, cmd)
	}))
	mux.Handle("POST "+ErasurePath, servicehttp.Endpoint(tokens, logger, http.StatusOK, func(ctx context.Context, cmd app.EraseExpert, r command.Request, id string) (any, error) {
		cmd.ExpertID, cmd.Request = id, r
		return c.EraseExpert(ctx, cmd)
	}))
	mux.Handle("POST "+RosterQueryPath, servicehttp.Endpoint(tokens, logger, http.StatusOK, func(ctx context.Context, q app.RosterQuery, _ command.Request, _ string) (any, error) {
		return c.Roster(ctx, q)
	}))
	mux.Handle("POST "+ExpertQueryPath, servicehttp.Endpoint(tokens, logger, http.StatusOK, func(ctx context.Context, q app.ExpertQuery, r command.Request, id string) (any, error) {
		q.ExpertID, q.Request = id, r
		e, ok, err := c.Expert(ctx, q)
		return ExpertAnswer{Expert: e, Found: ok}, err
	}))
	mux.Handle("POST "+PendingQueryPath, servicehttp.Endpoint(tokens, logger, http.StatusOK, func(ctx context.Context, q app.PendingQuery, r command.Request, _ string) (any, error) {
		q.Request = r
		return c.PendingExperts(ctx, q)
	}))
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusNoContent) })
	return mux
}

// ExpertAnswer is the answer to an expert query over HTTP.
type ExpertAnswer struct {
	Expert app.Entry `json:"expert"`
	Found  bool      `json:"found"`
}
