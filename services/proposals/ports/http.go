// Package ports exposes the proposals service's commands over HTTP+JSON (package
// servicehttp's conventions), for a gateway running in another process.
package ports

import (
	"context"
	"log/slog"
	"net/http"

	"passerelle.dev/proposals/app"
	"passerelle.dev/servicekit/auth"
	"passerelle.dev/servicekit/command"
	"passerelle.dev/servicekit/servicehttp"
)

// Routes of the proposals service's HTTP API. {id} is a call's id under /v1/calls, a
// proposal's under /v1/proposals.
const (
	CallsPath          = "/v1/calls"
	CallClosurePath    = "/v1/calls/{id}/closure"
	ProposalsPath      = "/v1/proposals"
	ProposalPath       = "/v1/proposals/{id}"
	SubmissionPath     = "/v1/proposals/{id}/submission"
	WithdrawalPath     = "/v1/proposals/{id}/withdrawal"
	ReviewStartPath    = "/v1/proposals/{id}/review-start"
	ReviewsPath        = "/v1/proposals/{id}/reviews"
	ChangesRequestPath = "/v1/proposals/{id}/changes-request"
	DecisionPath       = "/v1/proposals/{id}/decision"
	PledgesPath        = "/v1/proposals/{id}/pledges"
)

// endpoint routes one command: the request body is the command, {id} its subject.
func endpoint[C any](mux *http.ServeMux, pattern string, status int, tokens *auth.Tokens, logger *slog.Logger,
	handle func(ctx context.Context, cmd C, r command.Request, id string) (app.Result, error)) {
	mux.Handle(pattern, servicehttp.Endpoint(tokens, logger, status, func(ctx context.Context, cmd C, r command.Request, id string) (any, error) {
		return handle(ctx, cmd, r, id)
	}))
}

// Handler routes the API over commands.
func Handler(c app.Commands, tokens *auth.Tokens, logger *slog.Logger) http.Handler {
	if logger == nil {
		logger = slog.Default()
	}
	mux := http.NewServeMux()
	endpoint(mux, "POST "+CallsPath, http.StatusCreated, tokens, logger, func(ctx context.Context, cmd app.OpenCall, r command.Request, _ string) (app.Result, error) {
		cmd.Request = r
		return c.OpenCall(ctx, cmd)
	})
	endpoint(mux, "POST "+CallClosurePath, http.StatusOK, tokens, logger, func(ctx context.Context, cmd app.CloseCall, r command.Request, id string) (app.Result, error) {
		cmd.CallID, cmd.Request = id, r
		return c.CloseCall(ctx, cmd)
	})
	endpoint(mux, "POST "+ProposalsPath, http.StatusCreated, tokens, logger, func(ctx context.Context, cmd app.DraftProposal, r command.Request, _ string) (app.Result, error) {
		cmd.Request = r
		return c.DraftProposal(ctx, cmd)
	})
	endpoint(mux, "PATCH "+ProposalPath, http.StatusOK, tokens, logger, func(ctx context.Context, cmd app.UpdateProposal, r command.Request, id string) (app.Result, error) {
		cmd.ProposalID, cmd.Request = id, r
		return c.UpdateProposal(ctx, cmd)
	})
	endpoint(mux, "POST "+SubmissionPath, http.StatusOK, tokens, logger, func(ctx context.Context, cmd app.SubmitProposal, r command.Request, id string) (app.Result, error) {
		cmd.ProposalID, cmd.Request = id, r
		return c.SubmitProposal(ctx, cmd)
	})
	endpoint(mux, "POST "+WithdrawalPath, http.StatusOK, tokens, logger, func(ctx context.Context, cmd app.WithdrawProposal, r command.Request, id string) (app.Result, error) {
		cmd.ProposalID, cmd.Request = id, r
		return c.WithdrawProposal(ctx, cmd)
	})
	endpoint(mux, "POST "+ReviewStartPath, http.StatusOK, tokens, logger, func(ctx context.Context, cmd app.StartReview, r command.Request, id string) (app.Result, error) {
		cmd.ProposalID, cmd.Request = id, r
		return c.StartReview(ctx, cmd)
	})
	endpoint(mux, "PUT "+ReviewsPath, http.StatusOK, tokens, logger, func(ctx context.Context, cmd app.ReviewProposal, r command.Request, id string) (app.Result, error) {
		cmd.ProposalID, cmd.Request = id, r
		return c.ReviewProposal(ctx, cmd)
	})
	endpoint(mux, "POST "+ChangesRequestPath, http.StatusOK, tokens, logger, func(ctx context.Context, cmd app.RequestChanges, r command.Request, id string) (app.Result, error) {
		cmd.ProposalID, cmd.Request = id, r
		return c.RequestChanges(ctx, cmd)
	})
	endpoint(mux, "POST "+DecisionPath, http.StatusOK, tokens, logger, func(ctx context.Context, cmd app.DecideProposal, r command.Request, id string) (app.Result, error) {
		cmd.ProposalID, cmd.Request = id, r
		return c.DecideProposal(ctx, cmd)
	})
	endpoint(mux, "POST "+PledgesPath, http.StatusCreated, tokens, logger, func(ctx context.Context, cmd app.PledgeSupport, r command.Request, id string) (app.Result, error) {
		cmd.ProposalID, cmd.Request = id, r
		return c.PledgeSupport(ctx, cmd)
	})
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		servicehttp.WriteJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	})
	return mux
}
