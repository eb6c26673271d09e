package app

import (
	"context"
	"time"

	"passerelle.dev/experts/domain/request"
)

// CancelRequest withdraws a request, saying why: the institution or an admin.
type CancelRequest struct {
	RequestID string  `json:"requestId"`
	Reason    string  `json:"reason"`
	Request   Request `json:"-"`
}

// CancelRequest handles CancelRequest.
func (app *Application) CancelRequest(ctx context.Context, cmd CancelRequest) (Result, error) {
	return app.changeRequest(ctx, "CancelRequest", cmd, cmd.RequestID, cmd.Request, func(r *request.Request, _ CandidateLookup, now time.Time) error {
		return r.Cancel(cmd.Request.Actor, cmd.Reason, now)
	})
}
