// Package client calls the experts service over HTTP. It implements app.Commands, so
// the gateway uses experts the same way in one process or across processes.
package client

import (
	"context"
	"net/http"
	"strings"

	"passerelle.dev/events/auth"
	"passerelle.dev/events/servicehttp"
	"passerelle.dev/experts/app"
	"passerelle.dev/experts/ports"
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
