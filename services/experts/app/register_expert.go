package app

import (
	"context"
	"fmt"

	"github.com/google/uuid"

	"passerelle.dev/events"
	"passerelle.dev/events/expertevents"
	"passerelle.dev/experts/domain/expert"
	"passerelle.dev/servicekit/command"
)

// RegisterExpert registers someone as an expert: anyone may, and then awaits
// verification. Consents must include processing, in its current wording.
type RegisterExpert struct {
	Profile  expertevents.Profile `json:"profile"`
	Consents []expert.Consent     `json:"consents"`
	Request  Request              `json:"-"`
}

// RegisterExpert handles RegisterExpert. The answer carries the expert's token; a repeat
// answers as withKey says.
func (app *Application) RegisterExpert(ctx context.Context, cmd RegisterExpert) (Result, error) {
	key, err := cmd.Request.Key("RegisterExpert", cmd)
	if err != nil {
		return Result{}, err
	}
	o, ok, err := app.experts.Replay(ctx, key)
	if err != nil {
		return Result{}, err
	}
	if !ok {
		e, err := expert.Register(uuid.Must(uuid.NewV7()).String(), cmd.Profile, cmd.Consents, app.now())
		if err != nil {
			return Result{}, err
		}
		if o, err = app.experts.Add(ctx, e, cmd.Request.Metadata(), key); err != nil {
			return Result{}, err
		}
	}
	id, _ := expertevents.ExpertIDFromStream(o.StreamID) // a twin's, when one committed first
	return app.withKey(Result{ExpertID: id, Position: o.Position}, o, events.Actor{Role: events.RoleExpert, Subject: id})
}

// withKey completes the answer of a registration with the registrant's token. A repeat
// (same idempotency key) within the replay window signs it again — the first answer
// may never have reached its sender; after the window it carries none, so that an
// idempotency key found later in a log or a browser's history yields nothing.
func (app *Application) withKey(res Result, o command.Outcome, actor events.Actor) (Result, error) {
	res.Replayed = o.Replayed
	if o.Replayed && !o.AnswersWithSecret(app.replayWindow) {
		res.KeyWithheld = command.KeyWithheld
		return res, nil
	}
	token, err := app.tokens.Issue(actor, app.tokenTTL)
	if err != nil {
		return Result{}, fmt.Errorf("sign the key of %s %s: %w", actor.Role, actor.Subject, err)
	}
	res.Token = token
	return res, nil
}
