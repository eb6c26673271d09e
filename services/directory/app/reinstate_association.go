package app

import (
	"context"

	"passerelle.dev/directory/domain/association"
)

// ReinstateAssociation lifts a suspension.
type ReinstateAssociation struct {
	AssociationID string  `json:"associationId"`
	Request       Request `json:"-"`
}

// ReinstateAssociation handles ReinstateAssociation.
func (app *Application) ReinstateAssociation(ctx context.Context, cmd ReinstateAssociation) (Result, error) {
	return app.change(ctx, "ReinstateAssociation", cmd, cmd.AssociationID, cmd.Request, func(a *association.Association) error {
		return a.Reinstate(cmd.Request.Actor, app.now())
	})
}
