package app

import (
	"context"

	"passerelle.dev/sessions/domain/city"
)

// OpenCity opens a city of the dialogue: admins only.
type OpenCity struct {
	Slug     string  `json:"slug"`
	Name     string  `json:"name"`
	TimeZone string  `json:"timeZone"`
	Country  string  `json:"country"`
	Request  Request `json:"-"`
}

// OpenCity handles OpenCity.
func (app *Application) OpenCity(ctx context.Context, cmd OpenCity) (Result, error) {
	key, err := cmd.Request.Key("OpenCity", cmd)
	if err != nil {
		return Result{}, err
	}
	if o, ok, err := app.cities.Replay(ctx, key); err != nil {
		return Result{}, err
	} else if ok {
		return Result{City: cityOf(o), Position: o.Position, Replayed: true}, nil
	}
	c, err := city.Open(cmd.Request.Actor, cmd.Slug, cmd.Name, cmd.TimeZone, cmd.Country, app.now())
	if err != nil {
		return Result{}, err
	}
	o, err := app.cities.Add(ctx, c, cmd.Request.Metadata(), key)
	if err != nil {
		return Result{}, err
	}
	return Result{City: c.Slug(), Position: o.Position, Replayed: o.Replayed}, nil
}
