package app

import (
	"context"
	"time"

	"passerelle.dev/events/expertevents"
	"passerelle.dev/experts/domain/request"
)

// ReviseRequest replaces a draft's terms: the institution.
type ReviseRequest struct {
	RequestID string             `json:"requestId"`
	Terms     expertevents.Terms `json:"terms"`
	Request   Request            `json:"-"`
}

// ReviseRequest handles ReviseRequest.
func (app *Application) ReviseRequest(ctx context.Context, cmd ReviseRequest) (Result, error) {
	return app.changeRequest(ctx, "ReviseRequest", cmd, cmd.RequestID, cmd.Request, func(r *request.Request, _ CandidateLookup, now time.Time) error {
		return r.Revise(cmd.Request.Actor, cmd.Terms, now)
	})
}
