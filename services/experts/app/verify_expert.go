package app

import (
	"context"
	"time"

	"passerelle.dev/experts/domain/expert"
)

// VerifyExpert accepts a pending expert: coordinators and admins.
type VerifyExpert struct {
	ExpertID string  `json:"expertId"`
	Request  Request `json:"-"`
}

// VerifyExpert handles VerifyExpert.
func (app *Application) VerifyExpert(ctx context.Context, cmd VerifyExpert) (Result, error) {
	return app.change(ctx, "VerifyExpert", cmd, cmd.ExpertID, cmd.Request, func(e *expert.Expert, now time.Time) error {
		return e.Verify(cmd.Request.Actor, now)
	})
}
