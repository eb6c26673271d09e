package app

import (
	"context"

	"github.com/google/uuid"

	"passerelle.dev/experts/domain/institution"
)

// InstitutionQuery asks for one institution.
type InstitutionQuery struct {
	InstitutionID string  `json:"institutionId"`
	Request       Request `json:"-"`
}

// Institution is an institution as the asker may see it: all of it for admins and the
// institution itself; what is public for the others, once it is verified.
func (app *Application) Institution(ctx context.Context, q InstitutionQuery) (InstitutionEntry, bool, error) {
	if _, err := uuid.Parse(q.InstitutionID); err != nil {
		return InstitutionEntry{}, false, nil
	}
	e, ok, err := app.requestReads.Institution(ctx, q.InstitutionID)
	if err != nil || !ok {
		return InstitutionEntry{}, false, err
	}
	a := q.Request.Actor
	switch {
	case a.IsAdmin() || a.IsInstitution(e.ID):
		return e, true, nil
	case e.Status == string(institution.Verified):
		return e.Public(), true, nil
	}
	return InstitutionEntry{}, false, nil
}
