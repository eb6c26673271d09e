package app

import (
	"context"
	"fmt"

	"github.com/google/uuid"

	"passerelle.dev/events"
	"passerelle.dev/events/sessionevents"
	"passerelle.dev/servicekit/command"
	"passerelle.dev/sessions/domain/city"
)

// AppointCoordinator makes someone a coordinator of a city: admins only. The answer
// carries the token the coordinator acts with. A replay within the replay window signs a
// new one for the same coordinator; after it, the answer carries none (dismiss and
// appoint again for a new token), so that an idempotency key found in a log later
// yields nothing.
type AppointCoordinator struct {
	City    string  `json:"city"`
	Name    string  `json:"name"`
	Request Request `json:"-"`
}

// AppointCoordinator handles AppointCoordinator.
func (app *Application) AppointCoordinator(ctx context.Context, cmd AppointCoordinator) (Result, error) {
	key, err := cmd.Request.Key("AppointCoordinator", cmd)
	if err != nil {
		return Result{}, err
	}
	o, ok, err := app.cities.Replay(ctx, key)
	if err != nil {
		return Result{}, err
	}
	if !ok {
		id := uuid.Must(uuid.NewV7()).String()
		_, o, err = app.cities.Update(ctx, cmd.City, cmd.Request.Metadata(), key, func(c *city.City) error {
			return c.AppointCoordinator(cmd.Request.Actor, id, cmd.Name, app.now())
		})
		if err != nil {
			return Result{}, err
		}
	}
	// Whether done now or before, the appointment is the event the command recorded.
	ev, err := app.cities.EventAt(ctx, cityOf(o), o.Version)
	if err != nil {
		return Result{}, err
	}
	appointed, isAppointment := ev.(sessionevents.CoordinatorAppointed)
	if !isAppointment {
		return Result{}, fmt.Errorf("appointment of %s: the recorded event is %T", cmd.City, ev)
	}
	res := Result{City: appointed.City, Position: o.Position, Replayed: ok || o.Replayed,
		Coordinator: &Appointment{ID: appointed.CoordinatorID, Name: appointed.Name}}
	if res.Replayed && !o.AnswersWithSecret(app.replayWindow) {
		res.Coordinator.KeyWithheld = command.KeyWithheld
		return res, nil
	}
	if res.Coordinator.Token, err = app.tokens.Issue(events.Actor{Role: events.RoleCoordinator, City: appointed.City, Subject: appointed.CoordinatorID}, app.tokenTTL); err != nil {
		return Result{}, err
	}
	return res, nil
}
