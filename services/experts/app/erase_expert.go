package app

import (
	"context"
	"time"

	"passerelle.dev/experts/domain/expert"
)

// EraseExpert destroys an expert's data: the expert themselves, or an admin.
type EraseExpert struct {
	ExpertID string  `json:"expertId"`
	Request  Request `json:"-"`
}

// EraseExpert handles EraseExpert.
func (app *Application) EraseExpert(ctx context.Context, cmd EraseExpert) (Result, error) {
	return app.change(ctx, "EraseExpert", cmd, cmd.ExpertID, cmd.Request, func(e *expert.Expert, now time.Time) error {
		return e.Erase(cmd.Request.Actor, now)
	})
}
