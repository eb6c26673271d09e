// Package client calls the directory service over HTTP, by the routes its ports serve.
// It implements app.Commands, so the gateway uses the directory the same way in one
// process or across processes.
package client

import (
	"context"
	"net/http"
	"strings"

	"passerelle.dev/directory/app"
	"passerelle.dev/directory/ports"
	"passerelle.dev/servicekit/auth"
	"passerelle.dev/servicekit/servicehttp"
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

// RegisterAssociation implements app.Commands.
func (c *Client) RegisterAssociation(ctx context.Context, cmd app.RegisterAssociation) (app.Result, error) {
	return ports.Register.Call(ctx, c.http, cmd)
}

// UpdateAssociationProfile implements app.Commands.
func (c *Client) UpdateAssociationProfile(ctx context.Context, cmd app.UpdateAssociationProfile) (app.Result, error) {
	return ports.UpdateProfile.Call(ctx, c.http, cmd)
}

// VerifyAssociation implements app.Commands.
func (c *Client) VerifyAssociation(ctx context.Context, cmd app.VerifyAssociation) (app.Result, error) {
	return ports.Verify.Call(ctx, c.http, cmd)
}

// RejectAssociation implements app.Commands.
func (c *Client) RejectAssociation(ctx context.Context, cmd app.RejectAssociation) (app.Result, error) {
	return ports.Reject.Call(ctx, c.http, cmd)
}

// SuspendAssociation implements app.Commands.
func (c *Client) SuspendAssociation(ctx context.Context, cmd app.SuspendAssociation) (app.Result, error) {
	return ports.Suspend.Call(ctx, c.http, cmd)
}

// ReinstateAssociation implements app.Commands.
func (c *Client) ReinstateAssociation(ctx context.Context, cmd app.ReinstateAssociation) (app.Result, error) {
	return ports.Reinstate.Call(ctx, c.http, cmd)
}

// DissolveAssociation implements app.Commands.
func (c *Client) DissolveAssociation(ctx context.Context, cmd app.DissolveAssociation) (app.Result, error) {
	return ports.Dissolve.Call(ctx, c.http, cmd)
}

// RenewAssociationKey implements app.Commands.
func (c *Client) RenewAssociationKey(ctx context.Context, cmd app.RenewAssociationKey) (app.Result, error) {
	return ports.RenewKey.Call(ctx, c.http, cmd)
}

// KeyGeneration implements app.Commands.
func (c *Client) KeyGeneration(ctx context.Context, associationID string) (int, error) {
	return ports.KeyGeneration.Call(ctx, c.http, ports.KeyGenerationQuery{AssociationID: associationID})
}

// ForgetAssociationContact implements app.Commands.
func (c *Client) ForgetAssociationContact(ctx context.Context, cmd app.ForgetAssociationContact) (app.Result, error) {
	return ports.ForgetContact.Call(ctx, c.http, cmd)
}

// RevealContacts implements app.Commands.
func (c *Client) RevealContacts(ctx context.Context, q app.RevealContacts) (map[string]app.RevealedContact, error) {
	return ports.Reveal.Call(ctx, c.http, q)
}
