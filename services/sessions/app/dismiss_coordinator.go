package app

import (
	"context"

	"passerelle.dev/sessions/domain/city"
)

// DismissCoordinator ends a coordinator's appointment: admins only.
type DismissCoordinator struct {
	City          string  `json:"city"`
	CoordinatorID string  `json:"coordinatorId"`
	Request       Request `json:"-"`
}

// DismissCoordinator handles DismissCoordinator.
func (app *Application) DismissCoordinator(ctx context.Context, cmd DismissCoordinator) (Result, error) {
	key, err := cmd.Request.Key("DismissCoordinator", cmd)
	if err != nil {
		return Result{}, err
	}
	if o, ok, err := app.cities.Replay(ctx, key); err != nil || ok {
		return Result{City: cityOf(o), Position: o.Position, Replayed: ok}, err
	}
	_, o, err := app.cities.Update(ctx, cmd.City, cmd.Request.Metadata(), key, func(c *city.City) error {
		return c.DismissCoordinator(cmd.Request.Actor, cmd.CoordinatorID, app.now())
	})
	if err != nil {
		return Result{}, err
	}
	return Result{City: cityOf(o), Position: o.Position, Replayed: o.Replayed}, nil
}
