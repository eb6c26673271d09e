package app

import (
	"context"

	"passerelle.dev/directory/domain/association"
)

// ForgetAssociationContact erases the contact person for good: the association itself
// or an admin.
type ForgetAssociationContact struct {
	AssociationID string  `json:"associationId"`
	Request       Request `json:"-"`
}

// ForgetAssociationContact handles ForgetAssociationContact. The repository destroys the
// association's key in the transaction that records it.
func (app *Application) ForgetAssociationContact(ctx context.Context, cmd ForgetAssociationContact) (Result, error) {
	return app.change(ctx, "ForgetAssociationContact", cmd, cmd.AssociationID, cmd.Request, func(a *association.Association) error {
		return a.ForgetContact(cmd.Request.Actor, app.now())
	})
}
