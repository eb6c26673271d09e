package app

import (
	"context"

	"passerelle.dev/directory/domain/association"
)

// RenewAssociationKey gives an association a new key, ending every earlier one: the
// association itself, or an admin for a key that was lost.
type RenewAssociationKey struct {
	AssociationID string  `json:"associationId"`
	Request       Request `json:"-"`
}

// RenewAssociationKey handles RenewAssociationKey. The answer carries the new key; a
// repeat with the same idempotency key answers as withKey says (a fresher key within
// the replay window, none after it).
func (app *Application) RenewAssociationKey(ctx context.Context, cmd RenewAssociationKey) (Result, error) {
	res, err := app.change(ctx, "RenewAssociationKey", cmd, cmd.AssociationID, cmd.Request, func(a *association.Association) error {
		return a.RenewKey(cmd.Request.Actor, app.now())
	})
	if err != nil {
		return Result{}, err
	}
	return app.withKey(ctx, res, cmd.Request)
}
