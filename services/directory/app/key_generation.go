package app

import (
	"context"

	"github.com/google/uuid"

	"passerelle.dev/directory/domain/association"
)

// KeyGeneration is which key of the association is the current one: the gateway
// refuses tokens of the others. It reads the association's own events, so a renewal
// counts from the moment it is committed.
func (app *Application) KeyGeneration(ctx context.Context, associationID string) (int, error) {
	if _, err := uuid.Parse(associationID); err != nil {
		return 0, association.ErrNotFound
	}
	return app.repo.KeyGeneration(ctx, associationID)
}
