package app

import (
	"context"

	"github.com/google/uuid"

	"passerelle.dev/events"
	"passerelle.dev/events/expertevents"
	"passerelle.dev/experts/domain/request"
)

// DraftRequest writes a new request for expertise: the institution's token, once it
// is verified.
type DraftRequest struct {
	Terms   expertevents.Terms `json:"terms"`
	Request Request            `json:"-"`
}

// DraftRequest handles DraftRequest.
func (app *Application) DraftRequest(ctx context.Context, cmd DraftRequest) (Result, error) {
	key, err := cmd.Request.Key("DraftRequest", cmd)
	if err != nil {
		return Result{}, err
	}
	if o, ok, err := app.experts.Replay(ctx, key); err != nil || ok {
		id, _ := expertevents.RequestIDFromStream(o.StreamID)
		return Result{RequestID: id, Position: o.Position, Replayed: ok}, err
	}
	by := cmd.Request.Actor
	if !by.IsAuthenticated() {
		return Result{}, request.ErrNeedsSignIn
	}
	if by.Role != events.RoleInstitution {
		return Result{}, request.ErrInstitutionOnly
	}
	id, now := uuid.Must(uuid.NewV7()).String(), app.now()
	_, o, err := app.requests.Add(ctx, id, by.Subject, cmd.Request.Metadata(), key, func(inst request.Institution) (*request.Request, error) {
		return request.New(by, id, inst, cmd.Terms, now)
	})
	if err != nil {
		return Result{}, err
	}
	if o.Replayed {
		id, _ = expertevents.RequestIDFromStream(o.StreamID)
	}
	return Result{RequestID: id, Position: o.Position, Replayed: o.Replayed}, nil
}
