// Package ports exposes the sessions service's commands over HTTP+JSON (package
// servicehttp's conventions), for a gateway running in another process.
package ports

import (
	"context"
	"log/slog"
	"net/http"

	"passerelle.dev/servicekit/auth"
	"passerelle.dev/servicekit/command"
	"passerelle.dev/servicekit/servicehttp"
	"passerelle.dev/sessions/app"
)

// Routes of the sessions service's HTTP API. {id} is a session id, or a city's slug
// under /v1/cities.
const (
	CitiesPath             = "/v1/cities"
	CoordinatorsPath       = "/v1/cities/{id}/coordinators"
	DismissalsPath         = "/v1/cities/{id}/coordinator-dismissals"
	SchedulePath           = "/v1/sessions"
	ReschedulePath         = "/v1/sessions/{id}/schedule"
	CapacityPath           = "/v1/sessions/{id}/capacity"
	CancelPath             = "/v1/sessions/{id}/cancellation"
	RegistrationsPath      = "/v1/sessions/{id}/registrations"
	RegistrationCancelPath = "/v1/sessions/{id}/registration-cancellations"
	CheckInsPath           = "/v1/sessions/{id}/check-ins"
	CheckInUndoPath        = "/v1/sessions/{id}/check-in-cancellations"
	SeriesPath             = "/v1/series"
	SeriesMovesPath        = "/v1/series/{id}/moves"
	SeriesCancellationPath = "/v1/series/{id}/cancellations"
	OfferSettingsPath      = "/v1/sessions/{id}/waitlist-offers"
	OfferAcceptancesPath   = "/v1/sessions/{id}/offer-acceptances"
	OfferRefusalsPath      = "/v1/sessions/{id}/offer-refusals"
	AttendancePath         = "/v1/sessions/{id}/attendance"
	OutcomePath            = "/v1/sessions/{id}/outcome"
)

// Handler routes the API over commands.
func Handler(commands app.Commands, tokens *auth.Tokens, logger *slog.Logger) http.Handler {
	if logger == nil {
		logger = slog.Default()
	}
	c := commands
	mux := http.NewServeMux()
	mux.Handle("POST "+CitiesPath, servicehttp.Endpoint(tokens, logger, http.StatusCreated, func(ctx context.Context, cmd app.OpenCity, r command.Request, _ string) (any, error) {
		cmd.Request = r
		return c.OpenCity(ctx, cmd)
	}))
	mux.Handle("POST "+CoordinatorsPath, servicehttp.Endpoint(tokens, logger, http.StatusCreated, func(ctx context.Context, cmd app.AppointCoordinator, r command.Request, slug string) (any, error) {
		cmd.City, cmd.Request = slug, r
		return c.AppointCoordinator(ctx, cmd)
	}))
	mux.Handle("POST "+DismissalsPath, servicehttp.Endpoint(tokens, logger, http.StatusOK, func(ctx context.Context, cmd app.DismissCoordinator, r command.Request, slug string) (any, error) {
		cmd.City, cmd.Request = slug, r
		return c.DismissCoordinator(ctx, cmd)
	}))
	mux.Handle("POST "+SchedulePath, servicehttp.Endpoint(tokens, logger, http.StatusCreated, func(ctx context.Context, cmd app.ScheduleSession, r command.Request, _ string) (any, error) {
		cmd.Request = r
		return c.ScheduleSession(ctx, cmd)
	}))
	mux.Handle("PUT "+ReschedulePath, servicehttp.Endpoint(tokens, logger, http.StatusOK, func(ctx context.Context, cmd app.RescheduleSession, r command.Request, id string) (any, error) {
		cmd.SessionID, cmd.Request = id, r
		return c.RescheduleSession(ctx, cmd)
	}))
	mux.Handle("PUT "+CapacityPath, servicehttp.Endpoint(tokens, logger, http.StatusOK, func(ctx context.Context, cmd app.ChangeSessionCapacity, r command.Request, id string) (any, error) {
		cmd.SessionID, cmd.Request = id, r
		return c.ChangeSessionCapacity(ctx, cmd)
	}))
	mux.Handle("POST "+CancelPath, servicehttp.Endpoint(tokens, logger, http.StatusOK, func(ctx context.Context, cmd app.CancelSession, r command.Request, id string) (any, error) {
		cmd.SessionID, cmd.Request = id, r
		return c.CancelSession(ctx, cmd)
	}))
	mux.Handle("POST "+RegistrationsPath, servicehttp.Endpoint(tokens, logger, http.StatusCreated, func(ctx context.Context, cmd app.RegisterForSession, r command.Request, id string) (any, error) {
		cmd.SessionID, cmd.Request = id, r
		return c.RegisterForSession(ctx, cmd)
	}))
	mux.Handle("POST "+RegistrationCancelPath, servicehttp.Endpoint(tokens, logger, http.StatusOK, func(ctx context.Context, cmd app.CancelSessionRegistration, r command.Request, id string) (any, error) {
		cmd.SessionID, cmd.Request = id, r
		return c.CancelSessionRegistration(ctx, cmd)
	}))
	mux.Handle("POST "+CheckInsPath, servicehttp.Endpoint(tokens, logger, http.StatusOK, func(ctx context.Context, cmd app.CheckIn, r command.Request, id string) (any, error) {
		cmd.SessionID, cmd.Request = id, r
		return c.CheckIn(ctx, cmd)
	}))
	mux.Handle("POST "+CheckInUndoPath, servicehttp.Endpoint(tokens, logger, http.StatusOK, func(ctx context.Context, cmd app.UndoCheckIn, r command.Request, id string) (any, error) {
		cmd.SessionID, cmd.Request = id, r
		return c.UndoCheckIn(ctx, cmd)
	}))
	mux.Handle("POST "+SeriesPath, servicehttp.Endpoint(tokens, logger, http.StatusCreated, func(ctx context.Context, cmd app.ScheduleSeries, r command.Request, _ string) (any, error) {
		cmd.Request = r
		return c.ScheduleSeries(ctx, cmd)
	}))
	mux.Handle("POST "+SeriesMovesPath, servicehttp.Endpoint(tokens, logger, http.StatusOK, func(ctx context.Context, cmd app.MoveSeriesFrom, r command.Request, id string) (any, error) {
		cmd.SeriesID, cmd.Request = id, r
		return c.MoveSeriesFrom(ctx, cmd)
	}))
	mux.Handle("POST "+SeriesCancellationPath, servicehttp.Endpoint(tokens, logger, http.StatusOK, func(ctx context.Context, cmd app.CancelSeriesFrom, r command.Request, id string) (any, error) {
		cmd.SeriesID, cmd.Request = id, r
		return c.CancelSeriesFrom(ctx, cmd)
	}))
	mux.Handle("PUT "+OfferSettingsPath, servicehttp.Endpoint(tokens, logger, http.StatusOK, func(ctx context.Context, cmd app.ChangeWaitlistOffers, r command.Request, id string) (any, error) {
		cmd.SessionID, cmd.Request = id, r
		return c.ChangeWaitlistOffers(ctx, cmd)
	}))
	mux.Handle("POST "+OfferAcceptancesPath, servicehttp.Endpoint(tokens, logger, http.StatusOK, func(ctx context.Context, cmd app.AcceptWaitlistOffer, r command.Request, id string) (any, error) {
		cmd.SessionID, cmd.Request = id, r
		return c.AcceptWaitlistOffer(ctx, cmd)
	}))
	mux.Handle("POST "+OfferRefusalsPath, servicehttp.Endpoint(tokens, logger, http.StatusOK, func(ctx context.Context, cmd app.DeclineWaitlistOffer, r command.Request, id string) (any, error) {
		cmd.SessionID, cmd.Request = id, r
		return c.DeclineWaitlistOffer(ctx, cmd)
	}))
	mux.Handle("PUT "+AttendancePath, servicehttp.Endpoint(tokens, logger, http.StatusOK, func(ctx context.Context, cmd app.RecordAttendance, r command.Request, id string) (any, error) {
		cmd.SessionID, cmd.Request = id, r
		return c.RecordAttendance(ctx, cmd)
	}))
	mux.Handle("PUT "+OutcomePath, servicehttp.Endpoint(tokens, logger, http.StatusOK, func(ctx context.Context, cmd app.RecordSessionOutcome, r command.Request, id string) (any, error) {
		cmd.SessionID, cmd.Request = id, r
		return c.RecordSessionOutcome(ctx, cmd)
	}))
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		servicehttp.WriteJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	})
	return mux
}
