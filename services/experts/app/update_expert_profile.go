package app

import (
	"context"
	"time"

	"passerelle.dev/events/expertevents"
	"passerelle.dev/experts/domain/expert"
)

// UpdateExpertProfile replaces an expert's profile: the expert themselves.
type UpdateExpertProfile struct {
	ExpertID string               `json:"expertId"`
	Profile  expertevents.Profile `json:"profile"`
	Request  Request              `json:"-"`
}

// UpdateExpertProfile handles UpdateExpertProfile.
func (app *Application) UpdateExpertProfile(ctx context.Context, cmd UpdateExpertProfile) (Result, error) {
	return app.change(ctx, "UpdateExpertProfile", cmd, cmd.ExpertID, cmd.Request, func(e *expert.Expert, now time.Time) error {
		return e.UpdateProfile(cmd.Request.Actor, cmd.Profile, now)
	})
}
