// Package client calls the directory service over HTTP. It implements app.Commands, so
// the gateway uses the directory the same way in one process or across processes.
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
	return servicehttp.Call[app.Result](ctx, c.http, http.MethodPost, ports.RegisterPath, "", cmd.Request, cmd)
}

// UpdateAssociationProfile implements app.Commands.
func (c *Client) UpdateAssociationProfile(ctx context.Context, cmd app.UpdateAssociationProfile) (app.Result, error) {
	return servicehttp.Call[app.Result](ctx, c.http, http.MethodPatch, ports.ProfilePath, cmd.AssociationID, cmd.Request, cmd)
}

// VerifyAssociation implements app.Commands.
func (c *Client) VerifyAssociation(ctx context.Context, cmd app.VerifyAssociation) (app.Result, error) {
	return servicehttp.Call[app.Result](ctx, c.http, http.MethodPost, ports.VerifyPath, cmd.AssociationID, cmd.Request, cmd)
}

// RejectAssociation implements app.Commands.
func (c *Client) RejectAssociation(ctx context.Context, cmd app.RejectAssociation) (app.Result, error) {
	return servicehttp.Call[app.Result](ctx, c.http, http.MethodPost, ports.RejectPath, cmd.AssociationID, cmd.Request, cmd)
}

// SuspendAssociation implements app.Commands.
func (c *Client) SuspendAssociation(ctx context.Context, cmd app.SuspendAssociation) (app.Result, error) {
	return servicehttp.Call[app.Result](ctx, c.http, http.MethodPost, ports.SuspendPath, cmd.AssociationID, cmd.Request, cmd)
}

// ReinstateAssociation implements app.Commands.
func (c *Client) ReinstateAssociation(ctx context.Context, cmd app.ReinstateAssociation) (app.Result, error) {
	return servicehttp.Call[app.Result](ctx, c.http, http.MethodPost, ports.ReinstatePath, cmd.AssociationID, cmd.Request, cmd)
}

// DissolveAssociation implements app.Commands.
func (c *Client) DissolveAssociation(ctx context.Context, cmd app.DissolveAssociation) (app.Result, error) {
	return servicehttp.Call[app.Result](ctx, c.http, http.MethodPost, ports.DissolvePath, cmd.AssociationID, cmd.Request, cmd)
}

// RenewAssociationKey implements app.Commands.
func (c *Client) RenewAssociationKey(ctx context.Context, cmd app.RenewAssociationKey) (app.Result, error) {
	return servicehttp.Call[app.Result](ctx, c.http, http.MethodPost, ports.RenewKeyPath, cmd.AssociationID, cmd.Request, cmd)
}

// KeyGeneration implements app.Commands.
func (c *Client) KeyGeneration(ctx context.Context, associationID string) (int, error) {
	return servicehttp.Call[int](ctx, c.http, http.MethodPost, ports.KeyGenerationPath, associationID, app.Request{}, struct{}{})
}

// ForgetAssociationContact implements app.Commands.
func (c *Client) ForgetAssociationContact(ctx context.Context, cmd app.ForgetAssociationContact) (app.Result, error) {
	return servicehttp.Call[app.Result](ctx, c.http, http.MethodPost, ports.ForgetPath, cmd.AssociationID, cmd.Request, cmd)
}

// RevealContacts implements app.Commands.
func (c *Client) RevealContacts(ctx context.Context, q app.RevealContacts) (map[string]app.RevealedContact, error) {
	return servicehttp.Call[map[string]app.RevealedContact](ctx, c.http, http.MethodPost, ports.RevealPath, "", q.Request, q)
}
