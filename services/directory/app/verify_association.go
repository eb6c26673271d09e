package app

import (
	"context"
	"time"

	"passerelle.dev/directory/domain/association"
	"passerelle.dev/events"
)

// VerifyAssociation records that a coordinator of the association's city, or an admin,
// checked the association.
type VerifyAssociation struct {
	AssociationID string  `json:"associationId"`
	Request       Request `json:"-"`
}

// Verification is the outcome of a verification.
type Verification struct {
	Association Association     `json:"association"`
	Position    events.Position `json:"position"`
}

// VerifyAssociationHandler handles VerifyAssociation.
type VerifyAssociationHandler struct {
	repo AssociationRepository
	now  func() time.Time
}

// Handle verifies the association.
func (h VerifyAssociationHandler) Handle(ctx context.Context, cmd VerifyAssociation) (Verification, error) {
	a, pos, err := h.repo.Update(ctx, cmd.AssociationID, cmd.Request.metadata(), func(a *association.Association) error {
		return a.Verify(cmd.Request.Actor, h.now())
	})
	if err != nil {
		return Verification{}, err
	}
	return Verification{Association: associationOf(a), Position: pos}, nil
}
