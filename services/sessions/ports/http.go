// Package ports exposes the sessions service's commands over HTTP+JSON (package
// servicehttp's conventions), for a gateway running in another process.
package ports

import (
	"log/slog"
	"net/http"

	"passerelle.dev/servicekit/auth"
	"passerelle.dev/servicekit/servicehttp"
	"passerelle.dev/sessions/app"
)

// The HTTP API, one route per command and query: served by Handler, called by package
// client. A path's wildcard names the field of the message it fills.
var (
	OpenCity                  = servicehttp.NewRoute[app.OpenCity, app.Result](http.MethodPost, "/v1/cities", http.StatusCreated)
	AppointCoordinator        = servicehttp.NewRoute[app.AppointCoordinator, app.Result](http.MethodPost, "/v1/cities/{city}/coordinators", http.StatusCreated)
	DismissCoordinator        = servicehttp.NewRoute[app.DismissCoordinator, app.Result](http.MethodPost, "/v1/cities/{city}/coordinator-dismissals", http.StatusOK)
	ScheduleSession           = servicehttp.NewRoute[app.ScheduleSession, app.Result](http.MethodPost, "/v1/sessions", http.StatusCreated)
	RescheduleSession         = servicehttp.NewRoute[app.RescheduleSession, app.Result](http.MethodPut, "/v1/sessions/{sessionID}/schedule", http.StatusOK)
	ChangeSessionCapacity     = servicehttp.NewRoute[app.ChangeSessionCapacity, app.Result](http.MethodPut, "/v1/sessions/{sessionID}/capacity", http.StatusOK)
	CancelSession             = servicehttp.NewRoute[app.CancelSession, app.Result](http.MethodPost, "/v1/sessions/{sessionID}/cancellation", http.StatusOK)
	RegisterForSession        = servicehttp.NewRoute[app.RegisterForSession, app.Result](http.MethodPost, "/v1/sessions/{sessionID}/registrations", http.StatusCreated)
	CancelSessionRegistration = servicehttp.NewRoute[app.CancelSessionRegistration, app.Result](http.MethodPost, "/v1/sessions/{sessionID}/registration-cancellations", http.StatusOK)
	CheckIn                   = servicehttp.NewRoute[app.CheckIn, app.Result](http.MethodPost, "/v1/sessions/{sessionID}/check-ins", http.StatusOK)
	UndoCheckIn               = servicehttp.NewRoute[app.UndoCheckIn, app.Result](http.MethodPost, "/v1/sessions/{sessionID}/check-in-cancellations", http.StatusOK)
	ChangeWaitlistOffers      = servicehttp.NewRoute[app.ChangeWaitlistOffers, app.Result](http.MethodPut, "/v1/sessions/{sessionID}/waitlist-offers", http.StatusOK)
	AcceptWaitlistOffer       = servicehttp.NewRoute[app.AcceptWaitlistOffer, app.Result](http.MethodPost, "/v1/sessions/{sessionID}/offer-acceptances", http.StatusOK)
	DeclineWaitlistOffer      = servicehttp.NewRoute[app.DeclineWaitlistOffer, app.Result](http.MethodPost, "/v1/sessions/{sessionID}/offer-refusals", http.StatusOK)
	ScheduleSeries            = servicehttp.NewRoute[app.ScheduleSeries, app.Result](http.MethodPost, "/v1/series", http.StatusCreated)
	MoveSeriesFrom            = servicehttp.NewRoute[app.MoveSeriesFrom, app.Result](http.MethodPost, "/v1/series/{seriesID}/moves", http.StatusOK)
	CancelSeriesFrom          = servicehttp.NewRoute[app.CancelSeriesFrom, app.Result](http.MethodPost, "/v1/series/{seriesID}/cancellations", http.StatusOK)
	RecordAttendance          = servicehttp.NewRoute[app.RecordAttendance, app.Result](http.MethodPut, "/v1/sessions/{sessionID}/attendance", http.StatusOK)
	RecordSessionOutcome      = servicehttp.NewRoute[app.RecordSessionOutcome, app.Result](http.MethodPut, "/v1/sessions/{sessionID}/outcome", http.StatusOK)
)

// Handler routes the API over commands.
func Handler(c app.Commands, tokens *auth.Tokens, logger *slog.Logger) http.Handler {
	if logger == nil {
		logger = slog.Default()
	}
	mux := http.NewServeMux()
	OpenCity.Serve(mux, tokens, logger, c.OpenCity)
	AppointCoordinator.Serve(mux, tokens, logger, c.AppointCoordinator)
	DismissCoordinator.Serve(mux, tokens, logger, c.DismissCoordinator)
	ScheduleSession.Serve(mux, tokens, logger, c.ScheduleSession)
	RescheduleSession.Serve(mux, tokens, logger, c.RescheduleSession)
	ChangeSessionCapacity.Serve(mux, tokens, logger, c.ChangeSessionCapacity)
	CancelSession.Serve(mux, tokens, logger, c.CancelSession)
	RegisterForSession.Serve(mux, tokens, logger, c.RegisterForSession)
	CancelSessionRegistration.Serve(mux, tokens, logger, c.CancelSessionRegistration)
	CheckIn.Serve(mux, tokens, logger, c.CheckIn)
	UndoCheckIn.Serve(mux, tokens, logger, c.UndoCheckIn)
	ChangeWaitlistOffers.Serve(mux, tokens, logger, c.ChangeWaitlistOffers)
	AcceptWaitlistOffer.Serve(mux, tokens, logger, c.AcceptWaitlistOffer)
	DeclineWaitlistOffer.Serve(mux, tokens, logger, c.DeclineWaitlistOffer)
	ScheduleSeries.Serve(mux, tokens, logger, c.ScheduleSeries)
	MoveSeriesFrom.Serve(mux, tokens, logger, c.MoveSeriesFrom)
	CancelSeriesFrom.Serve(mux, tokens, logger, c.CancelSeriesFrom)
	RecordAttendance.Serve(mux, tokens, logger, c.RecordAttendance)
	RecordSessionOutcome.Serve(mux, tokens, logger, c.RecordSessionOutcome)
	servicehttp.Health(mux)
	return mux
}
