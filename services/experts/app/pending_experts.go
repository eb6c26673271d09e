package app

import (
	"context"

	"passerelle.dev/events"
	"passerelle.dev/experts/domain/expert"
)

// PendingQuery asks for the verification queue.
type PendingQuery struct {
	Request Request `json:"-"`
}

// PendingExperts lists the experts awaiting verification: coordinators and admins.
func (app *Application) PendingExperts(ctx context.Context, q PendingQuery) ([]Entry, error) {
	req := q.Request
	switch {
	case !req.Actor.IsAuthenticated():
		return nil, expert.ErrNeedsSignIn
	case !(req.Actor.IsAdmin() || req.Actor.Role == events.RoleCoordinator):
		return nil, expert.ErrModeratorsOnly
	}
	return app.reads.Pending(ctx, 100)
}
