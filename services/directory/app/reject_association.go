package app

import (
	"context"

	"passerelle.dev/directory/domain/association"
)

// RejectAssociation refuses a pending registration, with a reason.
type RejectAssociation struct {
	AssociationID string  `json:"associationId"`
	Reason        string  `json:"reason"`
	Request       Request `json:"-"`
}

// RejectAssociation handles RejectAssociation.
func (app *Application) RejectAssociation(ctx context.Context, cmd RejectAssociation) (Result, error) {
	return app.change(ctx, "RejectAssociation", cmd, cmd.AssociationID, cmd.Request, func(a *association.Association) error {
		return a.Reject(cmd.Request.Actor, cmd.Reason, app.now())
	})
}
