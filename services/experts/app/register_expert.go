package app

import (
	"context"

	"github.com/google/uuid"

	"passerelle.dev/events"
	"passerelle.dev/events/expertevents"
	"passerelle.dev/experts/domain/expert"
)

// RegisterExpert registers someone as an expert: anyone may, and then awaits
// verification. Consents must include processing, in its current wording.
type RegisterExpert struct {
	Profile  expertevents.Profile `json:"profile"`
	Consents []expert.Consent     `json:"consents"`
	Request  Request              `json:"-"`
}

// RegisterExpert handles RegisterExpert.
func (app *Application) RegisterExpert(ctx context.Context, cmd RegisterExpert) (Result, error) {
	key, err := cmd.Request.Key("RegisterExpert", cmd)
	if err != nil {
		return Result{}, err
	}
	if o, ok, err := app.experts.Replay(ctx, key); err != nil || ok {
		id, _ := expertevents.ExpertIDFromStream(o.StreamID)
		return Result{ExpertID: id, Position: o.Position, Replayed: ok}, err
	}
	id := uuid.Must(uuid.NewV7()).String()
	e, err := expert.Register(id, cmd.Profile, cmd.Consents, app.now())
	if err != nil {
		return Result{}, err
	}
	o, err := app.experts.Add(ctx, e, cmd.Request.Metadata(), key)
	if err != nil {
		return Result{}, err
	}
	if o.Replayed {
		return Result{ExpertID: id, Position: o.Position, Replayed: true}, nil
	}
	token, err := app.tokens.Issue(events.Actor{Role: events.RoleExpert, Subject: id}, app.tokenTTL)
	if err != nil {
		return Result{}, err
	}
	return Result{ExpertID: id, Position: o.Position, Token: token}, nil
}
