package app

import (
	"context"

	"passerelle.dev/experts/domain/institution"
)

// InstitutionsQuery lists institutions: admins.
type InstitutionsQuery struct {
	Status  string  `json:"status,omitempty"`
	Request Request `json:"-"`
}

// Institutions lists institutions for admins.
func (app *Application) Institutions(ctx context.Context, q InstitutionsQuery) ([]InstitutionEntry, error) {
	switch {
	case !q.Request.Actor.IsAuthenticated():
		return nil, institution.ErrNeedsSignIn
	case !q.Request.Actor.IsAdmin():
		return nil, institution.ErrAdminsOnly
	}
	return app.requestReads.Institutions(ctx, q.Status, 200)
}
