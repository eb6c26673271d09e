// Package client calls the directory service over HTTP. It implements app.Commands, so
// the gateway uses the directory the same way in one process or across processes.
package client

import (
	"context"
	"net/http"
	"net/url"
	"strings"

	"passerelle.dev/directory/app"
	"passerelle.dev/directory/ports"
	"passerelle.dev/events/auth"
	"passerelle.dev/events/servicehttp"
)

// Client is the directory over HTTP. It is safe for concurrent use.
type Client struct {
	http *servicehttp.Client
}

var _ app.Commands = (*Client)(nil)

// New returns a client of the directory at baseURL (e.g. http://directory:8081). tokens
// signs the per-call token for the command's actor.
func New(baseURL string, tokens *auth.Tokens, hc *http.Client) *Client {
	return &Client{http: servicehttp.NewClient(strings.TrimRight(baseURL, "/"), tokens, hc)}
}

func caller(r app.Request) servicehttp.Caller {
	return servicehttp.Caller{Actor: r.Actor, CorrelationID: r.CorrelationID}
}

// RegisterAssociation implements app.Commands.
func (c *Client) RegisterAssociation(ctx context.Context, cmd app.RegisterAssociation) (app.Registration, error) {
	var res app.Registration
	err := c.http.Post(ctx, ports.RegisterPath, caller(cmd.Request), cmd, &res)
	return res, err
}

// VerifyAssociation implements app.Commands.
func (c *Client) VerifyAssociation(ctx context.Context, cmd app.VerifyAssociation) (app.Verification, error) {
	var res app.Verification
	path := strings.Replace(ports.VerifyPath, "{id}", url.PathEscape(cmd.AssociationID), 1)
	err := c.http.Post(ctx, path, caller(cmd.Request), struct{}{}, &res)
	return res, err
}
