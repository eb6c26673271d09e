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

func (c *Client) call(ctx context.Context, method, path, id string, req app.Request, cmd any) (app.Result, error) {
	return servicehttp.Call[app.Result](ctx, c.http, method, path, id, req, cmd)
}

// OpenCall implements app.Commands.
func (c *Client) OpenCall(ctx context.Context, cmd app.OpenCall) (app.Result, error) {
	return c.call(ctx, http.MethodPost, ports.CallsPath, "", cmd.Request, cmd)
}

// CloseCall implements app.Commands.
func (c *Client) CloseCall(ctx context.Context, cmd app.CloseCall) (app.Result, error) {
	return c.call(ctx, http.MethodPost, ports.CallClosurePath, cmd.CallID, cmd.Request, cmd)
}

// DraftProposal implements app.Commands.
func (c *Client) DraftProposal(ctx context.Context, cmd app.DraftProposal) (app.Result, error) {
	return c.call(ctx, http.MethodPost, ports.ProposalsPath, "", cmd.Request, cmd)
}

// UpdateProposal implements app.Commands.
func (c *Client) UpdateProposal(ctx context.Context, cmd app.UpdateProposal) (app.Result, error) {
	return c.call(ctx, http.MethodPatch, ports.ProposalPath, cmd.ProposalID, cmd.Request, cmd)
}

// SubmitProposal implements app.Commands.
func (c *Client) SubmitProposal(ctx context.Context, cmd app.SubmitProposal) (app.Result, error) {
	return c.call(ctx, http.MethodPost, ports.SubmissionPath, cmd.ProposalID, cmd.Request, cmd)
}

// WithdrawProposal implements app.Commands.
func (c *Client) WithdrawProposal(ctx context.Context, cmd app.WithdrawProposal) (app.Result, error) {
	return c.call(ctx, http.MethodPost, ports.WithdrawalPath, cmd.ProposalID, cmd.Request, cmd)
}

// StartReview implements app.Commands.
func (c *Client) StartReview(ctx context.Context, cmd app.StartReview) (app.Result, error) {
	return c.call(ctx, http.MethodPost, ports.ReviewStartPath, cmd.ProposalID, cmd.Request, cmd)
}

// ReviewProposal implements app.Commands.
func (c *Client) ReviewProposal(ctx context.Context, cmd app.ReviewProposal) (app.Result, error) {
	return c.call(ctx, http.MethodPut, ports.ReviewsPath, cmd.ProposalID, cmd.Request, cmd)
}

// RequestChanges implements app.Commands.
func (c *Client) RequestChanges(ctx context.Context, cmd app.RequestChanges) (app.Result, error) {
	return c.call(ctx, http.MethodPost, ports.ChangesRequestPath, cmd.ProposalID, cmd.Request, cmd)
}

// DecideProposal implements app.Commands.
func (c *Client) DecideProposal(ctx context.Context, cmd app.DecideProposal) (app.Result, error) {
	return c.call(ctx, http.MethodPost, ports.DecisionPath, cmd.ProposalID, cmd.Request, cmd)
}

// PledgeSupport implements app.Commands.
func (c *Client) PledgeSupport(ctx context.Context, cmd app.PledgeSupport) (app.Result, error) {
	return c.call(ctx, http.MethodPost, ports.PledgesPath, cmd.ProposalID, cmd.Request, cmd)
}
