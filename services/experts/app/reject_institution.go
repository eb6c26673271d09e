package app

import (
	"context"
	"time"

	"passerelle.dev/experts/domain/institution"
)

// RejectInstitution refuses a pending institution, saying why: admins.
type RejectInstitution struct {
	InstitutionID string  `json:"institutionId"`
	Reason        string  `json:"reason"`
	Request       Request `json:"-"`
}

// RejectInstitution handles RejectInstitution.
func (app *Application) RejectInstitution(ctx context.Context, cmd RejectInstitution) (Result, error) {
	return app.changeInstitution(ctx, "RejectInstitution", cmd, cmd.InstitutionID, cmd.Request, func(i *institution.Institution, now time.Time) error {
		return i.Reject(cmd.Request.Actor, cmd.Reason, now)
	})
}
