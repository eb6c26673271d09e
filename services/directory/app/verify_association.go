package app

import (
	"context"

	"passerelle.dev/directory/domain/association"
)

// VerifyAssociation: a coordinator of the association's city, or an admin, checked a
// pending association.
type VerifyAssociation struct {
	AssociationID string  `json:"associationId"`
	Request       Request `json:"-"`
}

// VerifyAssociation handles VerifyAssociation.
func (app *Application) VerifyAssociation(ctx context.Context, cmd VerifyAssociation) (Result, error) {
	return app.change(ctx, "VerifyAssociation", cmd, cmd.AssociationID, cmd.Request, func(a *association.Association) error {
		return a.Verify(cmd.Request.Actor, app.now())
	})
}
