package app

import (
	"context"
	"slices"

	"github.com/google/uuid"

	"passerelle.dev/events"
	"passerelle.dev/events/expertevents"
	"passerelle.dev/experts/domain/request"
)

// RequestQuery asks for one request.
type RequestQuery struct {
	RequestID string  `json:"requestId"`
	Request   Request `json:"-"`
}

// Request is one request as the asker may see it, with the matches they may see:
// coordinators and admins all of them; the institution those whose expert accepted
// (with the expert's contact while they consent to it); an expert their own.
func (app *Application) Request(ctx context.Context, q RequestQuery) (RequestEntry, bool, error) {
	if _, err := uuid.Parse(q.RequestID); err != nil {
		return RequestEntry{}, false, nil
	}
	e, ok, err := app.requestReads.Request(ctx, q.RequestID)
	if err != nil || !ok {
		return RequestEntry{}, false, err
	}
	a := q.Request.Actor
	owner := a.IsInstitution(e.InstitutionID)
	if e.Status == string(request.Draft) && !owner && !a.IsAdmin() {
		return RequestEntry{}, false, nil
	}
	moderator := a.IsAdmin() || a.Role == events.RoleCoordinator
	var shown []MatchEntry
	for _, m := range e.Matches {
		switch {
		case moderator:
		case owner && (m.Status == string(request.Accepted) || m.Status == string(request.Confirmed) || m.DeclinedBy == expertevents.DeclinedByInstitution):
		case a.IsExpert(m.ExpertID):
		default:
			continue
		}
		x, found, err := app.reads.Get(ctx, m.ExpertID)
		if err != nil {
			return RequestEntry{}, false, err
		}
		if found {
			switch {
			case moderator || a.IsExpert(m.ExpertID):
			case owner && m.Status != string(request.Declined) && slices.Contains(x.Consents, expertevents.Contact):
				x.Consents = nil // the contact, as consented; not the other consents
			default:
				x = x.Public()
				x.Consents = nil
			}
			m.Expert = &x
		}
		shown = append(shown, m)
	}
	e.Matches = shown
	return e, true, nil
}
