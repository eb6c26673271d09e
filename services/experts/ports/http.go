// Package ports serves the experts service over HTTP, for a gateway in another process.
package ports

import (
	"context"
	"log/slog"
	"net/http"

	"passerelle.dev/experts/app"
	"passerelle.dev/servicekit/auth"
	"passerelle.dev/servicekit/command"
	"passerelle.dev/servicekit/servicehttp"
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

	// {id} is an institution's id.
	InstitutionsPath        = "/v1/institutions"
	InstitutionVerifyPath   = "/v1/institutions/{id}/verification"
	InstitutionRejectPath   = "/v1/institutions/{id}/rejection"
	InstitutionQueryPath    = "/v1/institutions/{id}/queries"
	InstitutionsQueryPath   = "/v1/institutions/queries"
	ExpertMatchesQueryPath  = "/v1/experts/{id}/matches/queries"
	ExpertiseStatsQueryPath = "/v1/expertise-stats/queries"
	RequestsQueryPath       = "/v1/requests/queries"
	RequestsPath            = "/v1/requests"
	// {id} is a request's id.
	RequestTermsPath        = "/v1/requests/{id}/terms"
	RequestOpeningPath      = "/v1/requests/{id}/opening"
	RequestClosingPath      = "/v1/requests/{id}/closing"
	RequestCancellationPath = "/v1/requests/{id}/cancellation"
	ProposalsPath           = "/v1/requests/{id}/proposals"
	AcceptancesPath         = "/v1/requests/{id}/acceptances"
	DeclinesPath            = "/v1/requests/{id}/declines"
	ConfirmationsPath       = "/v1/requests/{id}/confirmations"
	RequestQueryPath        = "/v1/requests/{id}/queries"
	CandidatesQueryPath     = "/v1/requests/{id}/candidates/queries"
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
	requestRoutes(mux, c, tokens, logger)
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusNoContent) })
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

// route serves one command or query whose {id} the handler sets into it.
func route[C any](mux *http.ServeMux, pattern string, tokens *auth.Tokens, logger *slog.Logger, status int, run func(ctx context.Context, cmd C, r command.Request, id string) (any, error)) {
	mux.Handle(pattern, servicehttp.Endpoint(tokens, logger, status, run))
}

func requestRoutes(mux *http.ServeMux, c app.Commands, tokens *auth.Tokens, logger *slog.Logger) {
	ok, created := http.StatusOK, http.StatusCreated
	route(mux, "POST "+InstitutionsPath, tokens, logger, created, func(ctx context.Context, cmd app.RegisterInstitution, r command.Request, _ string) (any, error) {
		cmd.Request = r
		return c.RegisterInstitution(ctx, cmd)
	})
	route(mux, "POST "+InstitutionVerifyPath, tokens, logger, ok, func(ctx context.Context, cmd app.VerifyInstitution, r command.Request, id string) (any, error) {
		cmd.InstitutionID, cmd.Request = id, r
		return c.VerifyInstitution(ctx, cmd)
	})
	route(mux, "POST "+InstitutionRejectPath, tokens, logger, ok, func(ctx context.Context, cmd app.RejectInstitution, r command.Request, id string) (any, error) {
		cmd.InstitutionID, cmd.Request = id, r
		return c.RejectInstitution(ctx, cmd)
	})
	route(mux, "POST "+RequestsPath, tokens, logger, created, func(ctx context.Context, cmd app.DraftRequest, r command.Request, _ string) (any, error) {
		cmd.Request = r
		return c.DraftRequest(ctx, cmd)
	})
	route(mux, "PUT "+RequestTermsPath, tokens, logger, ok, func(ctx context.Context, cmd app.ReviseRequest, r command.Request, id string) (any, error) {
		cmd.RequestID, cmd.Request = id, r
		return c.ReviseRequest(ctx, cmd)
	})
	route(mux, "POST "+RequestOpeningPath, tokens, logger, ok, func(ctx context.Context, cmd app.RequestCommand, r command.Request, id string) (any, error) {
		cmd.RequestID, cmd.Request = id, r
		return c.OpenRequest(ctx, cmd)
	})
	route(mux, "POST "+RequestClosingPath, tokens, logger, ok, func(ctx context.Context, cmd app.RequestCommand, r command.Request, id string) (any, error) {
		cmd.RequestID, cmd.Request = id, r
		return c.CloseRequest(ctx, cmd)
	})
	route(mux, "POST "+RequestCancellationPath, tokens, logger, ok, func(ctx context.Context, cmd app.CancelRequest, r command.Request, id string) (any, error) {
		cmd.RequestID, cmd.Request = id, r
		return c.CancelRequest(ctx, cmd)
	})
	for path, run := range map[string]func(context.Context, app.MatchCommand) (app.Result, error){
		ProposalsPath: c.ProposeMatch, AcceptancesPath: c.AcceptMatch, DeclinesPath: c.DeclineMatch, ConfirmationsPath: c.ConfirmMatch,
	} {
		route(mux, "POST "+path, tokens, logger, ok, func(ctx context.Context, cmd app.MatchCommand, r command.Request, id string) (any, error) {
			cmd.RequestID, cmd.Request = id, r
			return run(ctx, cmd)
		})
	}
	route(mux, "POST "+InstitutionQueryPath, tokens, logger, ok, func(ctx context.Context, q app.InstitutionQuery, r command.Request, id string) (any, error) {
		q.InstitutionID, q.Request = id, r
		e, found, err := c.Institution(ctx, q)
		return InstitutionAnswer{Institution: e, Found: found}, err
	})
	route(mux, "POST "+InstitutionsQueryPath, tokens, logger, ok, func(ctx context.Context, q app.InstitutionsQuery, r command.Request, _ string) (any, error) {
		q.Request = r
		return c.Institutions(ctx, q)
	})
	route(mux, "POST "+RequestsQueryPath, tokens, logger, ok, func(ctx context.Context, q app.RequestsQuery, r command.Request, _ string) (any, error) {
		q.Request = r
		return c.Requests(ctx, q)
	})
	route(mux, "POST "+RequestQueryPath, tokens, logger, ok, func(ctx context.Context, q app.RequestQuery, r command.Request, id string) (any, error) {
		q.RequestID, q.Request = id, r
		e, found, err := c.Request(ctx, q)
		return RequestAnswer{Request: e, Found: found}, err
	})
	route(mux, "POST "+CandidatesQueryPath, tokens, logger, ok, func(ctx context.Context, q app.CandidatesQuery, r command.Request, id string) (any, error) {
		q.RequestID, q.Request = id, r
		return c.Candidates(ctx, q)
	})
	route(mux, "POST "+ExpertMatchesQueryPath, tokens, logger, ok, func(ctx context.Context, q app.ExpertMatchesQuery, r command.Request, id string) (any, error) {
		q.ExpertID, q.Request = id, r
		return c.ExpertMatches(ctx, q)
	})
	route(mux, "POST "+ExpertiseStatsQueryPath, tokens, logger, ok, func(ctx context.Context, _ struct{}, _ command.Request, _ string) (any, error) {
		return c.ExpertiseStats(ctx)
	})
}
