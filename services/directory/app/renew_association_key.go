package app

import (
	"context"
	"fmt"

	"passerelle.dev/directory/domain/association"
	"passerelle.dev/events"
)

// RenewAssociationKey gives an association a new key, ending every earlier one: the
// association itself, or an admin for a key that was lost.
type RenewAssociationKey struct {
	AssociationID string  `json:"associationId"`
	Request       Request `json:"-"`
}

// RenewAssociationKey handles RenewAssociationKey. The answer carries the new key once:
// a retry with the same idempotency key answers without it (whoever repeats a request
// must not get a working key), and the key can be renewed again.
func (app *Application) RenewAssociationKey(ctx context.Context, cmd RenewAssociationKey) (Result, error) {
	res, err := app.change(ctx, "RenewAssociationKey", cmd, cmd.AssociationID, cmd.Request, func(a *association.Association) error {
		return a.RenewKey(cmd.Request.Actor, app.now())
	})
	if err != nil || res.Replayed {
		return res, err
	}
	gen, err := app.KeyGeneration(ctx, cmd.AssociationID)
	if err != nil {
		return Result{}, err
	}
	if res.Token, err = app.tokens.Issue(events.Actor{Role: events.RoleAssociation, AssociationID: cmd.AssociationID, KeyGeneration: gen}, app.tokenTTL); err != nil {
		return Result{}, fmt.Errorf("renew key: sign token: %w", err)
	}
	return res, nil
}
