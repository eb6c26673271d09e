package app

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"

	"passerelle.dev/directory/domain/association"
	"passerelle.dev/events"
)

// RegisterAssociation asks to put an association on the platform. Anyone may send it:
// registering needs no account.
type RegisterAssociation struct {
	Name            string   `json:"name"`
	City            string   `json:"city"`
	OriginCountries []string `json:"originCountries"`
	Request         Request  `json:"-"`
}

// Registration is the outcome of a registration: the pending association, the token it
// will use to keep its profile, and the position of its registration in the event log.
type Registration struct {
	Association Association     `json:"association"`
	Token       string          `json:"token"`
	Position    events.Position `json:"position"`
}

// RegisterAssociationHandler handles RegisterAssociation.
type RegisterAssociationHandler struct {
	repo     AssociationRepository
	tokens   TokenIssuer
	tokenTTL time.Duration
	now      func() time.Time
}

// Handle registers the association.
func (h RegisterAssociationHandler) Handle(ctx context.Context, cmd RegisterAssociation) (Registration, error) {
	a, err := association.Register(uuid.Must(uuid.NewV7()), cmd.Name, cmd.City, cmd.OriginCountries, h.now())
	if err != nil {
		return Registration{}, err
	}
	// The token is signed before anything is stored: a registration that cannot hand out
	// its token must not leave an association nobody can manage.
	token, err := h.tokens.Issue(events.Actor{Role: events.RoleAssociation, AssociationID: a.ID()}, h.tokenTTL)
	if err != nil {
		return Registration{}, fmt.Errorf("register association: sign token: %w", err)
	}
	pos, err := h.repo.Add(ctx, a, cmd.Request.metadata())
	if err != nil {
		return Registration{}, err
	}
	return Registration{Association: associationOf(a), Token: token, Position: pos}, nil
}
