// Package ports serves the experts service over HTTP, for a gateway in another process.
package ports

import (
	"context"
	"log/slog"
	"net/http"

	"passerelle.dev/experts/app"
	"passerelle.dev/servicekit/auth"
	"passerelle.dev/servicekit/servicehttp"
)

// The HTTP API, one route per command and query: served by Handler, called by package
// client. A path's wildcard names the field of the message it fills.
var (
	RegisterExpert      = servicehttp.NewRoute[app.RegisterExpert, app.Result](http.MethodPost, "/v1/experts", http.StatusCreated)
	UpdateExpertProfile = servicehttp.NewRoute[app.UpdateExpertProfile, app.Result](http.MethodPut, "/v1/experts/{expertID}/profile", http.StatusOK)
	VerifyExpert        = servicehttp.NewRoute[app.VerifyExpert, app.Result](http.MethodPost, "/v1/experts/{expertID}/verification", http.StatusOK)
	RejectExpert        = servicehttp.NewRoute[app.RejectExpert, app.Result](http.MethodPost, "/v1/experts/{expertID}/rejection", http.StatusOK)
	GiveConsent         = servicehttp.NewRoute[app.GiveConsent, app.Result](http.MethodPost, "/v1/experts/{expertID}/consents", http.StatusOK)
	WithdrawConsent     = servicehttp.NewRoute[app.WithdrawConsent, app.Result](http.MethodPost, "/v1/experts/{expertID}/consent-withdrawals", http.StatusOK)
	EraseExpert         = servicehttp.NewRoute[app.EraseExpert, app.Result](http.MethodPost, "/v1/experts/{expertID}/erasure", http.StatusOK)
	Roster              = servicehttp.NewRoute[app.RosterQuery, []app.Entry](http.MethodPost, "/v1/roster/queries", http.StatusOK)
	Expert              = servicehttp.NewRoute[app.ExpertQuery, ExpertAnswer](http.MethodPost, "/v1/experts/{expertID}/queries", http.StatusOK)
	PendingExperts      = servicehttp.NewRoute[app.PendingQuery, []app.Entry](http.MethodPost, "/v1/pending-experts/queries", http.StatusOK)
	RegisterInstitution = servicehttp.NewRoute[app.RegisterInstitution, app.Result](http.MethodPost, "/v1/institutions", http.StatusCreated)
	VerifyInstitution   = servicehttp.NewRoute[app.VerifyInstitution, app.Result](http.MethodPost, "/v1/institutions/{institutionID}/verification", http.StatusOK)
	RejectInstitution   = servicehttp.NewRoute[app.RejectInstitution, app.Result](http.MethodPost, "/v1/institutions/{institutionID}/rejection", http.StatusOK)
	DraftRequest        = servicehttp.NewRoute[app.DraftRequest, app.Result](http.MethodPost, "/v1/requests", http.StatusCreated)
	ReviseRequest       = servicehttp.NewRoute[app.ReviseRequest, app.Result](http.MethodPut, "/v1/requests/{requestID}/terms", http.StatusOK)
	OpenRequest         = servicehttp.NewRoute[app.RequestCommand, app.Result](http.MethodPost, "/v1/requests/{requestID}/opening", http.StatusOK)
	CloseRequest        = servicehttp.NewRoute[app.RequestCommand, app.Result](http.MethodPost, "/v1/requests/{requestID}/closing", http.StatusOK)
	CancelRequest       = servicehttp.NewRoute[app.CancelRequest, app.Result](http.MethodPost, "/v1/requests/{requestID}/cancellation", http.StatusOK)
	ProposeMatch        = servicehttp.NewRoute[app.MatchCommand, app.Result](http.MethodPost, "/v1/requests/{requestID}/proposals", http.StatusOK)
	AcceptMatch         = servicehttp.NewRoute[app.MatchCommand, app.Result](http.MethodPost, "/v1/requests/{requestID}/acceptances", http.StatusOK)
	DeclineMatch        = servicehttp.NewRoute[app.MatchCommand, app.Result](http.MethodPost, "/v1/requests/{requestID}/declines", http.StatusOK)
	ConfirmMatch        = servicehttp.NewRoute[app.MatchCommand, app.Result](http.MethodPost, "/v1/requests/{requestID}/confirmations", http.StatusOK)
	Institution         = servicehttp.NewRoute[app.InstitutionQuery, InstitutionAnswer](http.MethodPost, "/v1/institutions/{institutionID}/queries", http.StatusOK)
	Institutions        = servicehttp.NewRoute[app.InstitutionsQuery, []app.InstitutionEntry](http.MethodPost, "/v1/institutions/queries", http.StatusOK)
	Requests            = servicehttp.NewRoute[app.RequestsQuery, []app.RequestEntry](http.MethodPost, "/v1/requests/queries", http.StatusOK)
	Request             = servicehttp.NewRoute[app.RequestQuery, RequestAnswer](http.MethodPost, "/v1/requests/{requestID}/queries", http.StatusOK)
	Candidates          = servicehttp.NewRoute[app.CandidatesQuery, []app.Candidate](http.MethodPost, "/v1/requests/{requestID}/candidates/queries", http.StatusOK)
	ExpertMatches       = servicehttp.NewRoute[app.ExpertMatchesQuery, []app.RequestEntry](http.MethodPost, "/v1/experts/{expertID}/matches/queries", http.StatusOK)
	ExpertiseStats      = servicehttp.NewRoute[struct{}, []app.ExpertiseCount](http.MethodPost, "/v1/expertise-stats/queries", http.StatusOK)
)

// Handler routes the API over commands.
func Handler(c app.Commands, tokens *auth.Tokens, logger *slog.Logger) http.Handler {
	if logger == nil {
		logger = slog.Default()
	}
	mux := http.NewServeMux()
	RegisterExpert.Serve(mux, tokens, logger, c.RegisterExpert)
	UpdateExpertProfile.Serve(mux, tokens, logger, c.UpdateExpertProfile)
	VerifyExpert.Serve(mux, tokens, logger, c.VerifyExpert)
	RejectExpert.Serve(mux, tokens, logger, c.RejectExpert)
	GiveConsent.Serve(mux, tokens, logger, c.GiveConsent)
	WithdrawConsent.Serve(mux, tokens, logger, c.WithdrawConsent)
	EraseExpert.Serve(mux, tokens, logger, c.EraseExpert)
	Roster.Serve(mux, tokens, logger, c.Roster)
	Expert.Serve(mux, tokens, logger, func(ctx context.Context, q app.ExpertQuery) (ExpertAnswer, error) {
		e, found, err := c.Expert(ctx, q)
		return ExpertAnswer{Expert: e, Found: found}, err
	})
	PendingExperts.Serve(mux, tokens, logger, c.PendingExperts)
	RegisterInstitution.Serve(mux, tokens, logger, c.RegisterInstitution)
	VerifyInstitution.Serve(mux, tokens, logger, c.VerifyInstitution)
	RejectInstitution.Serve(mux, tokens, logger, c.RejectInstitution)
	DraftRequest.Serve(mux, tokens, logger, c.DraftRequest)
	ReviseRequest.Serve(mux, tokens, logger, c.ReviseRequest)
	OpenRequest.Serve(mux, tokens, logger, c.OpenRequest)
	CloseRequest.Serve(mux, tokens, logger, c.CloseRequest)
	CancelRequest.Serve(mux, tokens, logger, c.CancelRequest)
	ProposeMatch.Serve(mux, tokens, logger, c.ProposeMatch)
	AcceptMatch.Serve(mux, tokens, logger, c.AcceptMatch)
	DeclineMatch.Serve(mux, tokens, logger, c.DeclineMatch)
	ConfirmMatch.Serve(mux, tokens, logger, c.ConfirmMatch)
	Institution.Serve(mux, tokens, logger, func(ctx context.Context, q app.InstitutionQuery) (InstitutionAnswer, error) {
		e, found, err := c.Institution(ctx, q)
		return InstitutionAnswer{Institution: e, Found: found}, err
	})
	Institutions.Serve(mux, tokens, logger, c.Institutions)
	Requests.Serve(mux, tokens, logger, c.Requests)
	Request.Serve(mux, tokens, logger, func(ctx context.Context, q app.RequestQuery) (RequestAnswer, error) {
		e, found, err := c.Request(ctx, q)
		return RequestAnswer{Request: e, Found: found}, err
	})
	Candidates.Serve(mux, tokens, logger, c.Candidates)
	ExpertMatches.Serve(mux, tokens, logger, c.ExpertMatches)
	ExpertiseStats.Serve(mux, tokens, logger, func(ctx context.Context, _ struct{}) ([]app.ExpertiseCount, error) { return c.ExpertiseStats(ctx) })
	servicehttp.Health(mux)
	return mux
}

// ExpertAnswer is the answer to an expert query over HTTP.
type ExpertAnswer struct {
	Expert app.Entry `json:"expert"`
	Found  bool      `json:"found"`
}

// InstitutionAnswer is the answer to an institution query over HTTP.
type InstitutionAnswer struct {
	Institution app.InstitutionEntry `json:"institution"`
	Found       bool                 `json:"found"`
}

// RequestAnswer is the answer to a request query over HTTP.
type RequestAnswer struct {
	Request app.RequestEntry `json:"request"`
	Found   bool             `json:"found"`
}
