package app

import (
	"context"
	"errors"
	"fmt"
	"time"

	"passerelle.dev/directory/domain/association"
	"passerelle.dev/events"
	"passerelle.dev/events/directoryevents"
	"passerelle.dev/servicekit/command"
)

// Association is an association after a command, as callers see it. It never holds the
// contact person: only whether there is one.
type Association struct {
	ID string `json:"id"`
	directoryevents.ProfileDetails
	HasContact   bool       `json:"hasContact"`
	Status       string     `json:"status"`
	StatusReason string     `json:"statusReason,omitempty"`
	RegisteredAt time.Time  `json:"registeredAt"`
	VerifiedAt   *time.Time `json:"verifiedAt,omitempty"`
}

// Description is an association's presentation in English, French and Spanish.
type Description = directoryevents.Description

// Result is the outcome of a command.
type Result struct {
	Association Association `json:"association"`
	// Position is where the command's last event landed; zero when it changed nothing.
	Position events.Position `json:"position"`
	// ChangedFields lists what a profile update changed (GraphQL field names).
	ChangedFields []string `json:"changedFields,omitempty"`
	// Token is the association's bearer token (registration, key renewal).
	Token string `json:"token,omitempty"`
	// KeyWithheld, on a replay of a command that answers with a key, says why this
	// answer has none (command.KeyWithheld: the replay window has passed).
	KeyWithheld string `json:"keyWithheld,omitempty"`
	// Replayed is set when an earlier command with the same idempotency key did the work.
	Replayed bool `json:"replayed,omitempty"`
	// replayed is, on a replay, the outcome replayed (how old the first answer is).
	replayed command.Outcome
	// keyGeneration is the association's current key after a command done now.
	keyGeneration int
}

// KeyWithheldDissolved is why a repeat's answer carries no key when the association was
// dissolved since: it has no key any more.
const KeyWithheldDissolved = "ASSOCIATION_DISSOLVED"

// withKey completes the answer of a command that gives the association a key
// (registration, renewal). The first answer carries the current key. A replay within the
// replay window carries a fresh one and ends every earlier one: the first answer may
// never have reached its sender, or its key leaked — either way only the newest key
// works, and the association learns of it when its old key stops. A later replay
// carries none.
func (app *Application) withKey(ctx context.Context, res Result, req Request) (Result, error) {
	id, gen := res.Association.ID, 0
	if res.Replayed {
		if !res.replayed.AnswersWithSecret(app.replayWindow) {
			res.KeyWithheld = command.KeyWithheld
			return res, nil
		}
		a, _, err := app.repo.Update(ctx, id, req.Metadata(), command.Key{}, func(a *association.Association) error {
			return a.ReissueKey(app.now())
		})
		if errors.Is(err, association.ErrDissolved) {
			res.KeyWithheld = KeyWithheldDissolved
			return res, nil
		}
		if err != nil {
			return Result{}, fmt.Errorf("reissue the key of %s: %w", id, err)
		}
		gen = a.KeyGeneration()
	} else {
		gen = res.keyGeneration
	}
	token, err := app.tokens.Issue(events.Actor{Role: events.RoleAssociation, AssociationID: id, KeyGeneration: gen}, app.tokenTTL)
	if err != nil {
		return Result{}, fmt.Errorf("sign the key of %s: %w", id, err)
	}
	res.Token = token
	return res, nil
}

func associationOf(a *association.Association) Association {
	out := Association{
		ID: a.ID(), ProfileDetails: a.Profile().Input(),
		HasContact: a.Contact() != nil, Status: a.Status().String(), StatusReason: a.StatusReason(),
		RegisteredAt: a.RegisteredAt(),
	}
	if v := a.VerifiedAt(); !v.IsZero() {
		out.VerifiedAt = &v
	}
	return out
}

// replayFirst returns the first result of a command already done under key, ok
// false when there is none.
func (app *Application) replayFirst(ctx context.Context, key command.Key) (Result, bool, error) {
	if key.IsZero() {
		return Result{}, false, nil
	}
	o, ok, err := app.repo.Replay(ctx, key)
	if err != nil || !ok {
		return Result{}, false, err
	}
	res, err := app.replay(ctx, o)
	return res, err == nil, err
}

// replay rebuilds the result of an earlier command from the association's stream as it
// stood right after that command.
func (app *Application) replay(ctx context.Context, o command.Outcome) (Result, error) {
	id, _ := directoryevents.AssociationIDFromStream(o.StreamID)
	a, last, err := app.repo.LoadAt(ctx, id, o.Version)
	if err != nil {
		return Result{}, err
	}
	res := Result{Association: associationOf(a), Position: o.Position, Replayed: true, replayed: o}
	if upd, ok := last.(directoryevents.AssociationProfileUpdated); ok {
		res.ChangedFields = upd.Fields
	}
	return res, nil
}
