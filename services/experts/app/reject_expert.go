package app

import (
	"context"
	"time"

	"passerelle.dev/experts/domain/expert"
)

// RejectExpert refuses a pending expert, with a reason for them: coordinators and admins.
type RejectExpert struct {
	ExpertID string  `json:"expertId"`
	Reason   string  `json:"reason"`
	Request  Request `json:"-"`
}

// RejectExpert handles RejectExpert.
func (app *Application) RejectExpert(ctx context.Context, cmd RejectExpert) (Result, error) {
	return app.change(ctx, "RejectExpert", cmd, cmd.ExpertID, cmd.Request, func(e *expert.Expert, now time.Time) error {
		return e.Reject(cmd.Request.Actor, cmd.Reason, now)
	})
}
