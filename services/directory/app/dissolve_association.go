package app

import (
	"context"

	"passerelle.dev/directory/domain/association"
)

// DissolveAssociation ends an association: the association itself or an admin.
type DissolveAssociation struct {
	AssociationID string  `json:"associationId"`
	Reason        string  `json:"reason,omitempty"`
	Request       Request `json:"-"`
}

// DissolveAssociation handles DissolveAssociation.
func (app *Application) DissolveAssociation(ctx context.Context, cmd DissolveAssociation) (Result, error) {
	return app.change(ctx, "DissolveAssociation", cmd, cmd.AssociationID, cmd.Request, func(a *association.Association) error {
		return a.Dissolve(cmd.Request.Actor, cmd.Reason, app.now())
	})
}
