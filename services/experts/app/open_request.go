package app

import (
	"context"
	"time"

	"passerelle.dev/experts/domain/request"
)

// RequestCommand is a command on a request that carries nothing else: open, close.
type RequestCommand struct {
	RequestID string  `json:"requestId"`
	Request   Request `json:"-"`
}

// OpenRequest publishes a draft: the institution.
func (app *Application) OpenRequest(ctx context.Context, cmd RequestCommand) (Result, error) {
	return app.changeRequest(ctx, "OpenRequest", cmd, cmd.RequestID, cmd.Request, func(r *request.Request, _ CandidateLookup, now time.Time) error {
		return r.Open(cmd.Request.Actor, now)
	})
}
