package app

import (
	"context"

	"github.com/google/uuid"

	"passerelle.dev/events/sessionevents"
	"passerelle.dev/sessions/domain/session"
)

// ScheduleSession plans a session: coordinators of the city, admins.
type ScheduleSession struct {
	City            string                      `json:"city"`
	Title           sessionevents.Text          `json:"title"`
	Description     sessionevents.Text          `json:"description"`
	Theme           string                      `json:"theme"`
	OriginCountries []string                    `json:"originCountries"`
	Venue           sessionevents.Venue         `json:"venue"`
	When            When                        `json:"when"`
	Capacity        int                         `json:"capacity"`
	Stakeholders    []sessionevents.Stakeholder `json:"stakeholders,omitempty"`
	// OfferHours, when set, offers freed seats to the head of the waitlist for that
	// long; zero promotes it at once.
	OfferHours int     `json:"offerHours,omitempty"`
	Request    Request `json:"-"`
}

// ScheduleSession handles ScheduleSession.
func (app *Application) ScheduleSession(ctx context.Context, cmd ScheduleSession) (Result, error) {
	key, err := cmd.Request.Key("ScheduleSession", cmd)
	if err != nil {
		return Result{}, err
	}
	if res, replayed, err := app.replayFirst(ctx, key); err != nil || replayed {
		return res, err
	}
	c, err := app.cities.Get(ctx, cmd.City)
	if err != nil {
		return Result{}, err
	}
	when, err := cmd.When.domain()
	if err != nil {
		return Result{}, err
	}
	s, err := session.Schedule(uuid.Must(uuid.NewV7()), session.City{Slug: c.Slug(), Location: c.Location()}, cmd.Request.Actor, session.Plan{
		Title: cmd.Title, Description: cmd.Description, Theme: cmd.Theme, OriginCountries: cmd.OriginCountries,
		Venue: cmd.Venue, When: when, Capacity: cmd.Capacity, Stakeholders: cmd.Stakeholders, OfferHours: cmd.OfferHours,
	}, app.now())
	if err != nil {
		return Result{}, err
	}
	o, err := app.sessions.Add(ctx, s, cmd.Request.Metadata(), key)
	if err != nil {
		return Result{}, err
	}
	if o.Replayed {
		return app.replay(ctx, o)
	}
	return Result{SessionID: s.ID(), Position: o.Position}, nil
}
