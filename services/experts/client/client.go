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

// RegisterExpert implements app.Commands.
func (c *Client) RegisterExpert(ctx context.Context, cmd app.RegisterExpert) (app.Result, error) {
	return ports.RegisterExpert.Call(ctx, c.http, cmd)
}

// UpdateExpertProfile implements app.Commands.
func (c *Client) UpdateExpertProfile(ctx context.Context, cmd app.UpdateExpertProfile) (app.Result, error) {
	return ports.UpdateExpertProfile.Call(ctx, c.http, cmd)
}

// VerifyExpert implements app.Commands.
func (c *Client) VerifyExpert(ctx context.Context, cmd app.VerifyExpert) (app.Result, error) {
	return ports.VerifyExpert.Call(ctx, c.http, cmd)
}

// RejectExpert implements app.Commands.
func (c *Client) RejectExpert(ctx context.Context, cmd app.RejectExpert) (app.Result, error) {
	return ports.RejectExpert.Call(ctx, c.http, cmd)
}

// GiveConsent implements app.Commands.
func (c *Client) GiveConsent(ctx context.Context, cmd app.GiveConsent) (app.Result, error) {
	return ports.GiveConsent.Call(ctx, c.http, cmd)
}

// WithdrawConsent implements app.Commands.
func (c *Client) WithdrawConsent(ctx context.Context, cmd app.WithdrawConsent) (app.Result, error) {
	return ports.WithdrawConsent.Call(ctx, c.http, cmd)
}

// EraseExpert implements app.Commands.
func (c *Client) EraseExpert(ctx context.Context, cmd app.EraseExpert) (app.Result, error) {
	return ports.EraseExpert.Call(ctx, c.http, cmd)
}

// Roster implements app.Commands.
func (c *Client) Roster(ctx context.Context, cmd app.RosterQuery) ([]app.Entry, error) {
	return ports.Roster.Call(ctx, c.http, cmd)
}

// Expert implements app.Commands.
func (c *Client) Expert(ctx context.Context, q app.ExpertQuery) (app.Entry, bool, error) {
	a, err := ports.Expert.Call(ctx, c.http, q)
	return a.Expert, a.Found, err
}

// PendingExperts implements app.Commands.
func (c *Client) PendingExperts(ctx context.Context, cmd app.PendingQuery) ([]app.Entry, error) {
	return ports.PendingExperts.Call(ctx, c.http, cmd)
}

// RegisterInstitution implements app.Commands.
func (c *Client) RegisterInstitution(ctx context.Context, cmd app.RegisterInstitution) (app.Result, error) {
	return ports.RegisterInstitution.Call(ctx, c.http, cmd)
}

// VerifyInstitution implements app.Commands.
func (c *Client) VerifyInstitution(ctx context.Context, cmd app.VerifyInstitution) (app.Result, error) {
	return ports.VerifyInstitution.Call(ctx, c.http, cmd)
}

// RejectInstitution implements app.Commands.
func (c *Client) RejectInstitution(ctx context.Context, cmd app.RejectInstitution) (app.Result, error) {
	return ports.RejectInstitution.Call(ctx, c.http, cmd)
}

// DraftRequest implements app.Commands.
func (c *Client) DraftRequest(ctx context.Context, cmd app.DraftRequest) (app.Result, error) {
	return ports.DraftRequest.Call(ctx, c.http, cmd)
}

// ReviseRequest implements app.Commands.
func (c *Client) ReviseRequest(ctx context.Context, cmd app.ReviseRequest) (app.Result, error) {
	return ports.ReviseRequest.Call(ctx, c.http, cmd)
}

// OpenRequest implements app.Commands.
func (c *Client) OpenRequest(ctx context.Context, cmd app.RequestCommand) (app.Result, error) {
	return ports.OpenRequest.Call(ctx, c.http, cmd)
}

// CloseRequest implements app.Commands.
func (c *Client) CloseRequest(ctx context.Context, cmd app.RequestCommand) (app.Result, error) {
	return ports.CloseRequest.Call(ctx, c.http, cmd)
}

// CancelRequest implements app.Commands.
func (c *Client) CancelRequest(ctx context.Context, cmd app.CancelRequest) (app.Result, error) {
	return ports.CancelRequest.Call(ctx, c.http, cmd)
}

// ProposeMatch implements app.Commands.
func (c *Client) ProposeMatch(ctx context.Context, cmd app.MatchCommand) (app.Result, error) {
	return ports.ProposeMatch.Call(ctx, c.http, cmd)
}

// AcceptMatch implements app.Commands.
func (c *Client) AcceptMatch(ctx context.Context, cmd app.MatchCommand) (app.Result, error) {
	return ports.AcceptMatch.Call(ctx, c.http, cmd)
}

// DeclineMatch implements app.Commands.
func (c *Client) DeclineMatch(ctx context.Context, cmd app.MatchCommand) (app.Result, error) {
	return ports.DeclineMatch.Call(ctx, c.http, cmd)
}

// ConfirmMatch implements app.Commands.
func (c *Client) ConfirmMatch(ctx context.Context, cmd app.MatchCommand) (app.Result, error) {
	return ports.ConfirmMatch.Call(ctx, c.http, cmd)
}

// Institution implements app.Commands.
func (c *Client) Institution(ctx context.Context, q app.InstitutionQuery) (app.InstitutionEntry, bool, error) {
	a, err := ports.Institution.Call(ctx, c.http, q)
	return a.Institution, a.Found, err
}

// Institutions implements app.Commands.
func (c *Client) Institutions(ctx context.Context, cmd app.InstitutionsQuery) ([]app.InstitutionEntry, error) {
	return ports.Institutions.Call(ctx, c.http, cmd)
}

// Requests implements app.Commands.
func (c *Client) Requests(ctx context.Context, cmd app.RequestsQuery) ([]app.RequestEntry, error) {
	return ports.Requests.Call(ctx, c.http, cmd)
}

// Request implements app.Commands.
func (c *Client) Request(ctx context.Context, q app.RequestQuery) (app.RequestEntry, bool, error) {
	a, err := ports.Request.Call(ctx, c.http, q)
	return a.Request, a.Found, err
}

// Candidates implements app.Commands.
func (c *Client) Candidates(ctx context.Context, cmd app.CandidatesQuery) ([]app.Candidate, error) {
	return ports.Candidates.Call(ctx, c.http, cmd)
}

// ExpertMatches implements app.Commands.
func (c *Client) ExpertMatches(ctx context.Context, cmd app.ExpertMatchesQuery) ([]app.RequestEntry, error) {
	return ports.ExpertMatches.Call(ctx, c.http, cmd)
}

// ExpertiseStats implements app.Commands.
func (c *Client) ExpertiseStats(ctx context.Context) ([]app.ExpertiseCount, error) {
	return ports.ExpertiseStats.Call(ctx, c.http, struct{}{})
}
