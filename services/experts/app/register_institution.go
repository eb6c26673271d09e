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
// token; a repeat answers as withKey says.
func (app *Application) RegisterInstitution(ctx context.Context, cmd RegisterInstitution) (Result, error) {
	key, err := cmd.Request.Key("RegisterInstitution", cmd)
	if err != nil {
		return Result{}, err
	}
	o, ok, err := app.experts.Replay(ctx, key)
	if err != nil {
		return Result{}, err
	}
	if !ok {
		i, err := institution.Register(uuid.Must(uuid.NewV7()).String(), cmd.Institution, app.now())
		if err != nil {
			return Result{}, err
		}
		if o, err = app.institutions.Add(ctx, i, cmd.Request.Metadata(), key); err != nil {
			return Result{}, err
		}
	}
	id, _ := expertevents.InstitutionIDFromStream(o.StreamID) // a twin's, when one committed first
	return app.withKey(Result{InstitutionID: id, Position: o.Position}, o, events.Actor{Role: events.RoleInstitution, Subject: id})
}
