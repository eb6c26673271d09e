// Package ports exposes the proposals service's commands over HTTP+JSON (package
// servicehttp's conventions), for a gateway running in another process.
package ports

import (
	"log/slog"
	"net/http"

	"passerelle.dev/proposals/app"
	"passerelle.dev/servicekit/auth"
	"passerelle.dev/servicekit/servicehttp"
)

// The HTTP API, one route per command and query: served by Handler, called by package
// client. A path's wildcard names the field of the message it fills.
var (
	OpenCall         = servicehttp.NewRoute[app.OpenCall, app.Result](http.MethodPost, "/v1/calls", http.StatusCreated)
	CloseCall        = servicehttp.NewRoute[app.CloseCall, app.Result](http.MethodPost, "/v1/calls/{callID}/closure", http.StatusOK)
	DraftProposal    = servicehttp.NewRoute[app.DraftProposal, app.Result](http.MethodPost, "/v1/proposals", http.StatusCreated)
	UpdateProposal   = servicehttp.NewRoute[app.UpdateProposal, app.Result](http.MethodPatch, "/v1/proposals/{proposalID}", http.StatusOK)
	SubmitProposal   = servicehttp.NewRoute[app.SubmitProposal, app.Result](http.MethodPost, "/v1/proposals/{proposalID}/submission", http.StatusOK)
	WithdrawProposal = servicehttp.NewRoute[app.WithdrawProposal, app.Result](http.MethodPost, "/v1/proposals/{proposalID}/withdrawal", http.StatusOK)
	StartReview      = servicehttp.NewRoute[app.StartReview, app.Result](http.MethodPost, "/v1/proposals/{proposalID}/review-start", http.StatusOK)
	ReviewProposal   = servicehttp.NewRoute[app.ReviewProposal, app.Result](http.MethodPut, "/v1/proposals/{proposalID}/reviews", http.StatusOK)
	RequestChanges   = servicehttp.NewRoute[app.RequestChanges, app.Result](http.MethodPost, "/v1/proposals/{proposalID}/changes-request", http.StatusOK)
	DeclareConflict  = servicehttp.NewRoute[app.DeclareConflictOfInterest, app.Result](http.MethodPost, "/v1/proposals/{proposalID}/conflicts", http.StatusOK)
	DecideProposals  = servicehttp.NewRoute[app.DecideProposals, app.Result](http.MethodPost, "/v1/calls/{callID}/decisions", http.StatusOK)
	DecideProposal   = servicehttp.NewRoute[app.DecideProposal, app.Result](http.MethodPost, "/v1/proposals/{proposalID}/decision", http.StatusOK)
	PledgeSupport    = servicehttp.NewRoute[app.PledgeSupport, app.Result](http.MethodPost, "/v1/proposals/{proposalID}/pledges", http.StatusCreated)
)

// Handler routes the API over commands.
func Handler(c app.Commands, tokens *auth.Tokens, logger *slog.Logger) http.Handler {
	if logger == nil {
		logger = slog.Default()
	}
	mux := http.NewServeMux()
	OpenCall.Serve(mux, tokens, logger, c.OpenCall)
	CloseCall.Serve(mux, tokens, logger, c.CloseCall)
	DraftProposal.Serve(mux, tokens, logger, c.DraftProposal)
	UpdateProposal.Serve(mux, tokens, logger, c.UpdateProposal)
	SubmitProposal.Serve(mux, tokens, logger, c.SubmitProposal)
	WithdrawProposal.Serve(mux, tokens, logger, c.WithdrawProposal)
	StartReview.Serve(mux, tokens, logger, c.StartReview)
	ReviewProposal.Serve(mux, tokens, logger, c.ReviewProposal)
	RequestChanges.Serve(mux, tokens, logger, c.RequestChanges)
	DecideProposal.Serve(mux, tokens, logger, c.DecideProposal)
	DecideProposals.Serve(mux, tokens, logger, c.DecideProposals)
	DeclareConflict.Serve(mux, tokens, logger, c.DeclareConflictOfInterest)
	PledgeSupport.Serve(mux, tokens, logger, c.PledgeSupport)
	servicehttp.Health(mux)
	return mux
}
