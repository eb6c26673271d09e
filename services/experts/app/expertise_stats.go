package app

import (
	"context"
)

// ExpertiseStats counts requests, matches and missions per country and field.
func (app *Application) ExpertiseStats(ctx context.Context) ([]ExpertiseCount, error) {
	return app.requestReads.Stats(ctx)
}
