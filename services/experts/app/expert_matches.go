package app

import (
	"context"

	"passerelle.dev/events"
)

// ExpertMatchesQuery asks for the requests an expert was proposed for.
type ExpertMatchesQuery struct {
	ExpertID string  `json:"expertId"`
	Request  Request `json:"-"`
}

// ExpertMatches lists the requests an expert was proposed for, each with the expert's
// match only: the expert themselves, coordinators and admins.
func (app *Application) ExpertMatches(ctx context.Context, q ExpertMatchesQuery) ([]RequestEntry, error) {
	a := q.Request.Actor
	if !a.IsExpert(q.ExpertID) && !a.IsAdmin() && a.Role != events.RoleCoordinator {
		return []RequestEntry{}, nil
	}
	return app.requestReads.MatchesOf(ctx, q.ExpertID)
}
