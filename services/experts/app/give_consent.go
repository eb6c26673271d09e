package app

import (
	"context"
	"time"

	"passerelle.dev/experts/domain/expert"
)

// GiveConsent records an expert's consent to a purpose: the expert themselves.
type GiveConsent struct {
	ExpertID       string  `json:"expertId"`
	Purpose        string  `json:"purpose"`
	WordingVersion string  `json:"wordingVersion"`
	Request        Request `json:"-"`
}

// GiveConsent handles GiveConsent.
func (app *Application) GiveConsent(ctx context.Context, cmd GiveConsent) (Result, error) {
	return app.change(ctx, "GiveConsent", cmd, cmd.ExpertID, cmd.Request, func(e *expert.Expert, now time.Time) error {
		return e.GiveConsent(cmd.Request.Actor, expert.Consent{Purpose: cmd.Purpose, WordingVersion: cmd.WordingVersion}, now)
	})
}
