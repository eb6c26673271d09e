// Package client calls the sessions service over HTTP. It implements app.Commands, so
// the gateway uses sessions the same way in one process or across processes.
package client

import (
	"context"
	"net/http"
	"strings"

	"passerelle.dev/servicekit/auth"
	"passerelle.dev/servicekit/servicehttp"
	"passerelle.dev/sessions/app"
	"passerelle.dev/sessions/ports"
)

// Client is the sessions service over HTTP. It is safe for concurrent use.
type Client struct{ http *servicehttp.Client }

var _ app.Commands = (*Client)(nil)

// New returns a client of the sessions service at baseURL (e.g. http://sessions:8082).
func New(baseURL string, tokens *auth.Tokens, hc *http.Client) *Client {
	return &Client{http: servicehttp.NewClient(strings.TrimRight(baseURL, "/"), tokens, hc)}
}

// OpenCity implements app.Commands.
func (c *Client) OpenCity(ctx context.Context, cmd app.OpenCity) (app.Result, error) {
	return ports.OpenCity.Call(ctx, c.http, cmd)
}

// AppointCoordinator implements app.Commands.
func (c *Client) AppointCoordinator(ctx context.Context, cmd app.AppointCoordinator) (app.Result, error) {
	return ports.AppointCoordinator.Call(ctx, c.http, cmd)
}

// DismissCoordinator implements app.Commands.
func (c *Client) DismissCoordinator(ctx context.Context, cmd app.DismissCoordinator) (app.Result, error) {
	return ports.DismissCoordinator.Call(ctx, c.http, cmd)
}

// ScheduleSession implements app.Commands.
func (c *Client) ScheduleSession(ctx context.Context, cmd app.ScheduleSession) (app.Result, error) {
	return ports.ScheduleSession.Call(ctx, c.http, cmd)
}

// RescheduleSession implements app.Commands.
func (c *Client) RescheduleSession(ctx context.Context, cmd app.RescheduleSession) (app.Result, error) {
	return ports.RescheduleSession.Call(ctx, c.http, cmd)
}

// ChangeSessionCapacity implements app.Commands.
func (c *Client) ChangeSessionCapacity(ctx context.Context, cmd app.ChangeSessionCapacity) (app.Result, error) {
	return ports.ChangeSessionCapacity.Call(ctx, c.http, cmd)
}

// CancelSession implements app.Commands.
func (c *Client) CancelSession(ctx context.Context, cmd app.CancelSession) (app.Result, error) {
	return ports.CancelSession.Call(ctx, c.http, cmd)
}

// RegisterForSession implements app.Commands.
func (c *Client) RegisterForSession(ctx context.Context, cmd app.RegisterForSession) (app.Result, error) {
	return ports.RegisterForSession.Call(ctx, c.http, cmd)
}

// CancelSessionRegistration implements app.Commands.
func (c *Client) CancelSessionRegistration(ctx context.Context, cmd app.CancelSessionRegistration) (app.Result, error) {
	return ports.CancelSessionRegistration.Call(ctx, c.http, cmd)
}

// CheckIn implements app.Commands.
func (c *Client) CheckIn(ctx context.Context, cmd app.CheckIn) (app.Result, error) {
	return ports.CheckIn.Call(ctx, c.http, cmd)
}

// UndoCheckIn implements app.Commands.
func (c *Client) UndoCheckIn(ctx context.Context, cmd app.UndoCheckIn) (app.Result, error) {
	return ports.UndoCheckIn.Call(ctx, c.http, cmd)
}

// ChangeWaitlistOffers implements app.Commands.
func (c *Client) ChangeWaitlistOffers(ctx context.Context, cmd app.ChangeWaitlistOffers) (app.Result, error) {
	return ports.ChangeWaitlistOffers.Call(ctx, c.http, cmd)
}

// AcceptWaitlistOffer implements app.Commands.
func (c *Client) AcceptWaitlistOffer(ctx context.Context, cmd app.AcceptWaitlistOffer) (app.Result, error) {
	return ports.AcceptWaitlistOffer.Call(ctx, c.http, cmd)
}

// DeclineWaitlistOffer implements app.Commands.
func (c *Client) DeclineWaitlistOffer(ctx context.Context, cmd app.DeclineWaitlistOffer) (app.Result, error) {
	return ports.DeclineWaitlistOffer.Call(ctx, c.http, cmd)
}

// ScheduleSeries implements app.Commands.
func (c *Client) ScheduleSeries(ctx context.Context, cmd app.ScheduleSeries) (app.Result, error) {
	return ports.ScheduleSeries.Call(ctx, c.http, cmd)
}

// MoveSeriesFrom implements app.Commands.
func (c *Client) MoveSeriesFrom(ctx context.Context, cmd app.MoveSeriesFrom) (app.Result, error) {
	return ports.MoveSeriesFrom.Call(ctx, c.http, cmd)
}

// CancelSeriesFrom implements app.Commands.
func (c *Client) CancelSeriesFrom(ctx context.Context, cmd app.CancelSeriesFrom) (app.Result, error) {
	return ports.CancelSeriesFrom.Call(ctx, c.http, cmd)
}

// RecordAttendance implements app.Commands.
func (c *Client) RecordAttendance(ctx context.Context, cmd app.RecordAttendance) (app.Result, error) {
	return ports.RecordAttendance.Call(ctx, c.http, cmd)
}

// RecordSessionOutcome implements app.Commands.
func (c *Client) RecordSessionOutcome(ctx context.Context, cmd app.RecordSessionOutcome) (app.Result, error) {
	return ports.RecordSessionOutcome.Call(ctx, c.http, cmd)
}
