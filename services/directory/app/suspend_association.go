package app

import (
	"context"

	"passerelle.dev/directory/domain/association"
)

// SuspendAssociation suspends a verified association, with a reason.
type SuspendAssociation struct {
	AssociationID string  `json:"associationId"`
	Reason        string  `json:"reason"`
	Request       Request `json:"-"`
}

// SuspendAssociation handles SuspendAssociation.
func (app *Application) SuspendAssociation(ctx context.Context, cmd SuspendAssociation) (Result, error) {
	return app.change(ctx, "SuspendAssociation", cmd, cmd.AssociationID, cmd.Request, func(a *association.Association) error {
		return a.Suspend(cmd.Request.Actor, cmd.Reason, app.now())
	})
}
