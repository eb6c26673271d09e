// Package client calls the proposals service over HTTP. It implements app.Commands, so
// the gateway uses proposals the same way in one process or across processes.
package client

import (
	"context"
	"net/http"
	"strings"

	"passerelle.dev/proposals/app"
	"passerelle.dev/proposals/ports"
	"passerelle.dev/servicekit/auth"
	"passerelle.dev/servicekit/servicehttp"
)

// Client is the proposals service over HTTP. It is safe for concurrent use.
type Client struct{ http *servicehttp.Client }

var _ app.Commands = (*Client)(nil)

// New returns a client of the proposals service at baseURL (e.g. http://proposals:8083).
func New(baseURL string, tokens *auth.Tokens, hc *http.Client) *Client {
	return &Client{http: servicehttp.NewClient(strings.TrimRight(baseURL, "/"), tokens, hc)}
}

// OpenCall implements app.Commands.
func (c *Client) OpenCall(ctx context.Context, cmd app.OpenCall) (app.Result, error) {
	return ports.OpenCall.Call(ctx, c.http, cmd)
}

// CloseCall implements app.Commands.
func (c *Client) CloseCall(ctx context.Context, cmd app.CloseCall) (app.Result, error) {
	return ports.CloseCall.Call(ctx, c.http, cmd)
}

// DraftProposal implements app.Commands.
func (c *Client) DraftProposal(ctx context.Context, cmd app.DraftProposal) (app.Result, error) {
	return ports.DraftProposal.Call(ctx, c.http, cmd)
}

// UpdateProposal implements app.Commands.
func (c *Client) UpdateProposal(ctx context.Context, cmd app.UpdateProposal) (app.Result, error) {
	return ports.UpdateProposal.Call(ctx, c.http, cmd)
}

// SubmitProposal implements app.Commands.
func (c *Client) SubmitProposal(ctx context.Context, cmd app.SubmitProposal) (app.Result, error) {
	return ports.SubmitProposal.Call(ctx, c.http, cmd)
}

// WithdrawProposal implements app.Commands.
func (c *Client) WithdrawProposal(ctx context.Context, cmd app.WithdrawProposal) (app.Result, error) {
	return ports.WithdrawProposal.Call(ctx, c.http, cmd)
}

// StartReview implements app.Commands.
func (c *Client) StartReview(ctx context.Context, cmd app.StartReview) (app.Result, error) {
	return ports.StartReview.Call(ctx, c.http, cmd)
}

// ReviewProposal implements app.Commands.
func (c *Client) ReviewProposal(ctx context.Context, cmd app.ReviewProposal) (app.Result, error) {
	return ports.ReviewProposal.Call(ctx, c.http, cmd)
}

// RequestChanges implements app.Commands.
func (c *Client) RequestChanges(ctx context.Context, cmd app.RequestChanges) (app.Result, error) {
	return ports.RequestChanges.Call(ctx, c.http, cmd)
}

// DecideProposal implements app.Commands.
func (c *Client) DecideProposal(ctx context.Context, cmd app.DecideProposal) (app.Result, error) {
	return ports.DecideProposal.Call(ctx, c.http, cmd)
}

// PledgeSupport implements app.Commands.
func (c *Client) PledgeSupport(ctx context.Context, cmd app.PledgeSupport) (app.Result, error) {
	return ports.PledgeSupport.Call(ctx, c.http, cmd)
}

// DecideProposals implements app.Commands.
func (c *Client) DecideProposals(ctx context.Context, cmd app.DecideProposals) (app.Result, error) {
	return ports.DecideProposals.Call(ctx, c.http, cmd)
}

// DeclareConflictOfInterest implements app.Commands.
func (c *Client) DeclareConflictOfInterest(ctx context.Context, cmd app.DeclareConflictOfInterest) (app.Result, error) {
	return ports.DeclareConflict.Call(ctx, c.http, cmd)
}
