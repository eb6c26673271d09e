package app

import (
	"context"

	"github.com/google/uuid"

	"passerelle.dev/events"
	"passerelle.dev/events/expertevents"
	"passerelle.dev/experts/domain/institution"
)

// RegisterInstitution registers an institution: anyone may, and then awaits an admin.
type RegisterInstitution struct {
	Institution expertevents.Institution `json:"institution"`
	Request     Request                  `json:"-"`
}

// RegisterInstitution handles RegisterInstitution. The answer carries the institution's
// token, once: never on a replay.
func (app *Application) RegisterInstitution(ctx context.Context, cmd RegisterInstitution) (Result, error) {
	key, err := cmd.Request.Key("RegisterInstitution", cmd)
	if err != nil {
		return Result{}, err
	}
	if o, ok, err := app.experts.Replay(ctx, key); err != nil || ok {
		id, _ := expertevents.InstitutionIDFromStream(o.StreamID)
		return Result{InstitutionID: id, Position: o.Position, Replayed: ok}, err
	}
	id := uuid.Must(uuid.NewV7()).String()
	i, err := institution.Register(id, cmd.Institution, app.now())
	if err != nil {
		return Result{}, err
	}
	o, err := app.institutions.Add(ctx, i, cmd.Request.Metadata(), key)
	if err != nil || o.Replayed {
		return Result{InstitutionID: id, Position: o.Position, Replayed: o.Replayed}, err
	}
	token, err := app.tokens.Issue(events.Actor{Role: events.RoleInstitution, Subject: id}, app.tokenTTL)
	if err != nil {
		return Result{}, err
	}
	return Result{InstitutionID: id, Position: o.Position, Token: token}, nil
}
