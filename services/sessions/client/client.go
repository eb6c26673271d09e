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
	return servicehttp.Call[app.Result](ctx, c.http, http.MethodPost, ports.CitiesPath, "", cmd.Request, cmd)
}

// AppointCoordinator implements app.Commands.
func (c *Client) AppointCoordinator(ctx context.Context, cmd app.AppointCoordinator) (app.Result, error) {
	return servicehttp.Call[app.Result](ctx, c.http, http.MethodPost, ports.CoordinatorsPath, cmd.City, cmd.Request, cmd)
}

// DismissCoordinator implements app.Commands.
func (c *Client) DismissCoordinator(ctx context.Context, cmd app.DismissCoordinator) (app.Result, error) {
	return servicehttp.Call[app.Result](ctx, c.http, http.MethodPost, ports.DismissalsPath, cmd.City, cmd.Request, cmd)
}

// ScheduleSession implements app.Commands.
func (c *Client) ScheduleSession(ctx context.Context, cmd app.ScheduleSession) (app.Result, error) {
	return servicehttp.Call[app.Result](ctx, c.http, http.MethodPost, ports.SchedulePath, "", cmd.Request, cmd)
}

// RescheduleSession implements app.Commands.
func (c *Client) RescheduleSession(ctx context.Context, cmd app.RescheduleSession) (app.Result, error) {
	return servicehttp.Call[app.Result](ctx, c.http, http.MethodPut, ports.ReschedulePath, cmd.SessionID, cmd.Request, cmd)
}

// ChangeSessionCapacity implements app.Commands.
func (c *Client) ChangeSessionCapacity(ctx context.Context, cmd app.ChangeSessionCapacity) (app.Result, error) {
	return servicehttp.Call[app.Result](ctx, c.http, http.MethodPut, ports.CapacityPath, cmd.SessionID, cmd.Request, cmd)
}

// CancelSession implements app.Commands.
func (c *Client) CancelSession(ctx context.Context, cmd app.CancelSession) (app.Result, error) {
	return servicehttp.Call[app.Result](ctx, c.http, http.MethodPost, ports.CancelPath, cmd.SessionID, cmd.Request, cmd)
}

// RegisterForSession implements app.Commands.
func (c *Client) RegisterForSession(ctx context.Context, cmd app.RegisterForSession) (app.Result, error) {
	return servicehttp.Call[app.Result](ctx, c.http, http.MethodPost, ports.RegistrationsPath, cmd.SessionID, cmd.Request, cmd)
}

// CancelSessionRegistration implements app.Commands.
func (c *Client) CancelSessionRegistration(ctx context.Context, cmd app.CancelSessionRegistration) (app.Result, error) {
	return servicehttp.Call[app.Result](ctx, c.http, http.MethodPost, ports.RegistrationCancelPath, cmd.SessionID, cmd.Request, cmd)
}

// CheckIn implements app.Commands.
func (c *Client) CheckIn(ctx context.Context, cmd app.CheckIn) (app.Result, error) {
	return servicehttp.Call[app.Result](ctx, c.http, http.MethodPost, ports.CheckInsPath, cmd.SessionID, cmd.Request, cmd)
}

// UndoCheckIn implements app.Commands.
func (c *Client) UndoCheckIn(ctx context.Context, cmd app.UndoCheckIn) (app.Result, error) {
	return servicehttp.Call[app.Result](ctx, c.http, http.MethodPost, ports.CheckInUndoPath, cmd.SessionID, cmd.Request, cmd)
}

// ScheduleSeries implements app.Commands.
func (c *Client) ScheduleSeries(ctx context.Context, cmd app.ScheduleSeries) (app.Result, error) {
	return servicehttp.Call[app.Result](ctx, c.http, http.MethodPost, ports.SeriesPath, "", cmd.Request, cmd)
}

// MoveSeriesFrom implements app.Commands.
func (c *Client) MoveSeriesFrom(ctx context.Context, cmd app.MoveSeriesFrom) (app.Result, error) {
	return servicehttp.Call[app.Result](ctx, c.http, http.MethodPost, ports.SeriesMovesPath, cmd.SeriesID, cmd.Request, cmd)
}

// CancelSeriesFrom implements app.Commands.
func (c *Client) CancelSeriesFrom(ctx context.Context, cmd app.CancelSeriesFrom) (app.Result, error) {
	return servicehttp.Call[app.Result](ctx, c.http, http.MethodPost, ports.SeriesCancellationPath, cmd.SeriesID, cmd.Request, cmd)
}

// ChangeWaitlistOffers implements app.Commands.
func (c *Client) ChangeWaitlistOffers(ctx context.Context, cmd app.ChangeWaitlistOffers) (app.Result, error) {
	return servicehttp.Call[app.Result](ctx, c.http, http.MethodPut, ports.OfferSettingsPath, cmd.SessionID, cmd.Request, cmd)
}

// AcceptWaitlistOffer implements app.Commands.
func (c *Client) AcceptWaitlistOffer(ctx context.Context, cmd app.AcceptWaitlistOffer) (app.Result, error) {
	return servicehttp.Call[app.Result](ctx, c.http, http.MethodPost, ports.OfferAcceptancesPath, cmd.SessionID, cmd.Request, cmd)
}

// DeclineWaitlistOffer implements app.Commands.
func (c *Client) DeclineWaitlistOffer(ctx context.Context, cmd app.DeclineWaitlistOffer) (app.Result, error) {
	return servicehttp.Call[app.Result](ctx, c.http, http.MethodPost, ports.OfferRefusalsPath, cmd.SessionID, cmd.Request, cmd)
}

// RecordAttendance implements app.Commands.
func (c *Client) RecordAttendance(ctx context.Context, cmd app.RecordAttendance) (app.Result, error) {
	return servicehttp.Call[app.Result](ctx, c.http, http.MethodPut, ports.AttendancePath, cmd.SessionID, cmd.Request, cmd)
}

// RecordSessionOutcome implements app.Commands.
func (c *Client) RecordSessionOutcome(ctx context.Context, cmd app.RecordSessionOutcome) (app.Result, error) {
	return servicehttp.Call[app.Result](ctx, c.http, http.MethodPut, ports.OutcomePath, cmd.SessionID, cmd.Request, cmd)
}
