package app

import (
	"context"
	"slices"

	"github.com/google/uuid"

	"passerelle.dev/events"
	"passerelle.dev/events/expertevents"
	"passerelle.dev/experts/domain/expert"
)

// ExpertQuery asks for one expert.
type ExpertQuery struct {
	ExpertID string  `json:"expertId"`
	Request  Request `json:"-"`
}

// Expert is one expert as the asker may see them: the expert themselves and
// coordinators or admins see everything; others see what the roster shows, if anything.
func (app *Application) Expert(ctx context.Context, q ExpertQuery) (Entry, bool, error) {
	id, req := q.ExpertID, q.Request
	if _, err := uuid.Parse(id); err != nil {
		return Entry{}, false, nil
	}
	e, ok, err := app.reads.Get(ctx, id)
	if err != nil || !ok {
		return Entry{}, false, err
	}
	a := req.Actor
	switch {
	case a.IsExpert(id) || a.IsAdmin() || a.Role == events.RoleCoordinator:
		return e, true, nil
	case e.Status == string(expert.Verified) && slices.Contains(e.Consents, expertevents.Roster):
		return e.Public(), true, nil
	}
	return Entry{}, false, nil
}
