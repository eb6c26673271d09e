package app

import (
	"context"

	"passerelle.dev/directory/domain/association"
)

// change runs a lifecycle command: replay it if its idempotency key was seen, else let
// the aggregate decide and store what it recorded.
func (app *Application) change(ctx context.Context, name string, cmd any, id string, req Request, decide func(*association.Association) error) (Result, error) {
	key, err := req.Key(name, cmd)
	if err != nil {
		return Result{}, err
	}
	if res, replayed, err := app.replayFirst(ctx, key); err != nil || replayed {
		return res, err
	}
	a, o, err := app.repo.Update(ctx, id, req.Metadata(), key, decide)
	if err != nil {
		return Result{}, err
	}
	if o.Replayed {
		return app.replay(ctx, o)
	}
	return Result{Association: associationOf(a), Position: o.Position, keyGeneration: a.KeyGeneration()}, nil
}
