package app

import (
	"context"
	"time"

	"passerelle.dev/experts/domain/request"
)

// CloseRequest ends a matched request once the mission took place: the institution or
// an admin.
func (app *Application) CloseRequest(ctx context.Context, cmd RequestCommand) (Result, error) {
	return app.changeRequest(ctx, "CloseRequest", cmd, cmd.RequestID, cmd.Request, func(r *request.Request, _ CandidateLookup, now time.Time) error {
		return r.Close(cmd.Request.Actor, now)
	})
}
