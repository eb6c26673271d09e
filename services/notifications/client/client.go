// Package client calls the notifications service over HTTP. It implements app.Commands,
// so the gateway uses it the same way in one process or across processes.
package client

import (
	"context"
	"net/http"
	"strings"

	"passerelle.dev/notifications/app"
	"passerelle.dev/notifications/ports"
	"passerelle.dev/servicekit/auth"
	"passerelle.dev/servicekit/servicehttp"
)

// Client is the notifications service over HTTP. It is safe for concurrent use.
type Client struct{ http *servicehttp.Client }

var _ app.Commands = (*Client)(nil)

// New returns a client of the notifications service at baseURL.
func New(baseURL string, tokens *auth.Tokens, hc *http.Client) *Client {
	return &Client{http: servicehttp.NewClient(strings.TrimRight(baseURL, "/"), tokens, hc)}
}

// Mailbox implements app.Commands.
func (c *Client) Mailbox(ctx context.Context, cmd app.Mailbox) (app.MailboxPage, error) {
	return ports.Mailbox.Call(ctx, c.http, cmd)
}

// MessageSessionAssociations implements app.Commands.
func (c *Client) MessageSessionAssociations(ctx context.Context, cmd app.MessageSessionAssociations) (app.LetterResult, error) {
	return ports.MessageSessionAssociations.Call(ctx, c.http, cmd)
}
