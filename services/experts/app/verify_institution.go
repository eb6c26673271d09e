package app

import (
	"context"
	"time"

	"passerelle.dev/experts/domain/institution"
)

// VerifyInstitution accepts a pending institution: admins.
type VerifyInstitution struct {
	InstitutionID string  `json:"institutionId"`
	Request       Request `json:"-"`
}

// VerifyInstitution handles VerifyInstitution.
func (app *Application) VerifyInstitution(ctx context.Context, cmd VerifyInstitution) (Result, error) {
	return app.changeInstitution(ctx, "VerifyInstitution", cmd, cmd.InstitutionID, cmd.Request, func(i *institution.Institution, now time.Time) error {
		return i.Verify(cmd.Request.Actor, now)
	})
}
