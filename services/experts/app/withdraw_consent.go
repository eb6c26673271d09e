package app

import (
	"context"
	"time"

	"passerelle.dev/experts/domain/expert"
)

// WithdrawConsent ends an expert's consent to a purpose, at once: the expert
// themselves. Withdrawing the consent to processing erases them.
type WithdrawConsent struct {
	ExpertID string  `json:"expertId"`
	Purpose  string  `json:"purpose"`
	Request  Request `json:"-"`
}

// WithdrawConsent handles WithdrawConsent.
func (app *Application) WithdrawConsent(ctx context.Context, cmd WithdrawConsent) (Result, error) {
	return app.change(ctx, "WithdrawConsent", cmd, cmd.ExpertID, cmd.Request, func(e *expert.Expert, now time.Time) error {
		return e.WithdrawConsent(cmd.Request.Actor, cmd.Purpose, now)
	})
}
