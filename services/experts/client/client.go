// Package client calls the experts service over HTTP. It implements app.Commands, so
// the gateway uses experts the same way in one process or across processes.
package client

import (
	"context"
	"net/http"
	"strings"

	"passerelle.dev/experts/app"
	"passerelle.dev/experts/ports"
	"passerelle.dev/servicekit/auth"
	"passerelle.dev/servicekit/servicehttp"
)

// Client is the experts service over HTTP. It is safe for concurrent use.
type Client struct{ http *servicehttp.Client }

var _ app.Commands = (*Client)(nil)

// New returns a client of the experts service at baseURL.
func New(baseURL string, tokens *auth.Tokens, hc *http.Client) *Client {
	return &Client{http: servicehttp.NewClient(strings.TrimRight(baseURL, "/"), tokens, hc)}
}

func (c *Client) call(ctx context.Context, method, path, id string, req app.Request, cmd any) (app.Result, error) {
	return servicehttp.Call[app.Result](ctx, c.http, method, path, id, req, cmd)
}

// RegisterExpert implements app.Commands.
func (c *Client) RegisterExpert(ctx context.Context, cmd app.RegisterExpert) (app.Result, error) {
	return c.call(ctx, http.MethodPost, ports.ExpertsPath, "", cmd.Request, cmd)
}

// UpdateExpertProfile implements app.Commands.
func (c *Client) UpdateExpertProfile(ctx context.Context, cmd app.UpdateExpertProfile) (app.Result, error) {
	return c.call(ctx, http.MethodPut, ports.ProfilePath, cmd.ExpertID, cmd.Request, cmd)
}

// VerifyExpert implements app.Commands.
func (c *Client) VerifyExpert(ctx context.Context, cmd app.VerifyExpert) (app.Result, error) {
	return c.call(ctx, http.MethodPost, ports.VerificationPath, cmd.ExpertID, cmd.Request, cmd)
}

// RejectExpert implements app.Commands.
func (c *Client) RejectExpert(ctx context.Context, cmd app.RejectExpert) (app.Result, error) {
	return c.call(ctx, http.MethodPost, ports.RejectionPath, cmd.ExpertID, cmd.Request, cmd)
}

// GiveConsent implements app.Commands.
func (c *Client) GiveConsent(ctx context.Context, cmd app.GiveConsent) (app.Result, error) {
	return c.call(ctx, http.MethodPost, ports.ConsentsPath, cmd.ExpertID, cmd.Request, cmd)
}

// WithdrawConsent implements app.Commands.
func (c *Client) WithdrawConsent(ctx context.Context, cmd app.WithdrawConsent) (app.Result, error) {
	return c.call(ctx, http.MethodPost, ports.WithdrawalsPath, cmd.ExpertID, cmd.Request, cmd)
}

// EraseExpert implements app.Commands.
func (c *Client) EraseExpert(ctx context.Context, cmd app.EraseExpert) (app.Result, error) {
	return c.call(ctx, http.MethodPost, ports.ErasurePath, cmd.ExpertID, cmd.Request, cmd)
}

// Roster implements app.Commands.
func (c *Client) Roster(ctx context.Context, q app.RosterQuery) ([]app.Entry, error) {
	return servicehttp.Call[[]app.Entry](ctx, c.http, http.MethodPost, ports.RosterQueryPath, "", app.Request{}, q)
}

// Expert implements app.Commands.
func (c *Client) Expert(ctx context.Context, q app.ExpertQuery) (app.Entry, bool, error) {
	a, err := servicehttp.Call[ports.ExpertAnswer](ctx, c.http, http.MethodPost, ports.ExpertQueryPath, q.ExpertID, q.Request, q)
	return a.Expert, a.Found, err
}

// PendingExperts implements app.Commands.
func (c *Client) PendingExperts(ctx context.Context, q app.PendingQuery) ([]app.Entry, error) {
	return servicehttp.Call[[]app.Entry](ctx, c.http, http.MethodPost, ports.PendingQueryPath, "", q.Request, q)
}

// RegisterInstitution implements app.Commands.
func (c *Client) RegisterInstitution(ctx context.Context, cmd app.RegisterInstitution) (app.Result, error) {
	return c.call(ctx, http.MethodPost, ports.InstitutionsPath, "", cmd.Request, cmd)
}

// VerifyInstitution implements app.Commands.
func (c *Client) VerifyInstitution(ctx context.Context, cmd app.VerifyInstitution) (app.Result, error) {
	return c.call(ctx, http.MethodPost, ports.InstitutionVerifyPath, cmd.InstitutionID, cmd.Request, cmd)
}

// RejectInstitution implements app.Commands.
func (c *Client) RejectInstitution(ctx context.Context, cmd app.RejectInstitution) (app.Result, error) {
	return c.call(ctx, http.MethodPost, ports.InstitutionRejectPath, cmd.InstitutionID, cmd.Request, cmd)
}

// DraftRequest implements app.Commands.
func (c *Client) DraftRequest(ctx context.Context, cmd app.DraftRequest) (app.Result, error) {
	return c.call(ctx, http.MethodPost, ports.RequestsPath, "", cmd.Request, cmd)
}

// ReviseRequest implements app.Commands.
func (c *Client) ReviseRequest(ctx context.Context, cmd app.ReviseRequest) (app.Result, error) {
	return c.call(ctx, http.MethodPut, ports.RequestTermsPath, cmd.RequestID, cmd.Request, cmd)
}

// OpenRequest implements app.Commands.
func (c *Client) OpenRequest(ctx context.Context, cmd app.RequestCommand) (app.Result, error) {
	return c.call(ctx, http.MethodPost, ports.RequestOpeningPath, cmd.RequestID, cmd.Request, cmd)
}

// CloseRequest implements app.Commands.
func (c *Client) CloseRequest(ctx context.Context, cmd app.RequestCommand) (app.Result, error) {
	return c.call(ctx, http.MethodPost, ports.RequestClosingPath, cmd.RequestID, cmd.Request, cmd)
}

// CancelRequest implements app.Commands.
func (c *Client) CancelRequest(ctx context.Context, cmd app.CancelRequest) (app.Result, error) {
	return c.call(ctx, http.MethodPost, ports.RequestCancellationPath, cmd.RequestID, cmd.Request, cmd)
}

// ProposeMatch implements app.Commands.
func (c *Client) ProposeMatch(ctx context.Context, cmd app.MatchCommand) (app.Result, error) {
	return c.call(ctx, http.MethodPost, ports.ProposalsPath, cmd.RequestID, cmd.Request, cmd)
}

// AcceptMatch implements app.Commands.
func (c *Client) AcceptMatch(ctx context.Context, cmd app.MatchCommand) (app.Result, error) {
	return c.call(ctx, http.MethodPost, ports.AcceptancesPath, cmd.RequestID, cmd.Request, cmd)
}

// DeclineMatch implements app.Commands.
func (c *Client) DeclineMatch(ctx context.Context, cmd app.MatchCommand) (app.Result, error) {
	return c.call(ctx, http.MethodPost, ports.DeclinesPath, cmd.RequestID, cmd.Request, cmd)
}

// ConfirmMatch implements app.Commands.
func (c *Client) ConfirmMatch(ctx context.Context, cmd app.MatchCommand) (app.Result, error) {
	return c.call(ctx, http.MethodPost, ports.ConfirmationsPath, cmd.RequestID, cmd.Request, cmd)
}

// Institution implements app.Commands.
func (c *Client) Institution(ctx context.Context, q app.InstitutionQuery) (app.InstitutionEntry, bool, error) {
	a, err := servicehttp.Call[ports.InstitutionAnswer](ctx, c.http, http.MethodPost, ports.InstitutionQueryPath, q.InstitutionID, q.Request, q)
	return a.Institution, a.Found, err
}

// Institutions implements app.Commands.
func (c *Client) Institutions(ctx context.Context, q app.InstitutionsQuery) ([]app.InstitutionEntry, error) {
	return servicehttp.Call[[]app.InstitutionEntry](ctx, c.http, http.MethodPost, ports.InstitutionsQueryPath, "", q.Request, q)
}

// Requests implements app.Commands.
func (c *Client) Requests(ctx context.Context, q app.RequestsQuery) ([]app.RequestEntry, error) {
	return servicehttp.Call[[]app.RequestEntry](ctx, c.http, http.MethodPost, ports.RequestsQueryPath, "", q.Request, q)
}

// Request implements app.Commands.
func (c *Client) Request(ctx context.Context, q app.RequestQuery) (app.RequestEntry, bool, error) {
	a, err := servicehttp.Call[ports.RequestAnswer](ctx, c.http, http.MethodPost, ports.RequestQueryPath, q.RequestID, q.Request, q)
	return a.Request, a.Found, err
}

// Candidates implements app.Commands.
func (c *Client) Candidates(ctx context.Context, q app.CandidatesQuery) ([]app.Candidate, error) {
	return servicehttp.Call[[]app.Candidate](ctx, c.http, http.MethodPost, ports.CandidatesQueryPath, q.RequestID, q.Request, q)
}

// ExpertMatches implements app.Commands.
func (c *Client) ExpertMatches(ctx context.Context, q app.ExpertMatchesQuery) ([]app.RequestEntry, error) {
	return servicehttp.Call[[]app.RequestEntry](ctx, c.http, http.MethodPost, ports.ExpertMatchesQueryPath, q.ExpertID, q.Request, q)
}

// ExpertiseStats implements app.Commands.
func (c *Client) ExpertiseStats(ctx context.Context) ([]app.ExpertiseCount, error) {
	return servicehttp.Call[[]app.ExpertiseCount](ctx, c.http, http.MethodPost, ports.ExpertiseStatsQueryPath, "", app.Request{}, struct{}{})
}
