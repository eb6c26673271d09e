package app

import (
	"context"

	"passerelle.dev/events"
	"passerelle.dev/experts/domain/expert"
	"passerelle.dev/servicekit/command"
)

// ApplyRetention reminds the experts inactive for the retention period and erases
// those who let the reminder go unanswered; the retention clock runs it. Idempotent.
func (app *Application) ApplyRetention(ctx context.Context) (reminded, erased int, err error) {
	now := app.now()
	ids, err := app.reads.DueForRetention(ctx, now, app.retention, 500)
	if err != nil {
		return 0, 0, err
	}
	md := Request{Actor: events.System}.Metadata()
	for _, id := range ids {
		var did string
		if _, _, err := app.experts.Update(ctx, id, md, command.Key{}, func(e *expert.Expert) error {
			did = e.ApplyRetention(app.retention, now)
			return nil
		}); err != nil {
			return reminded, erased, err
		}
		switch did {
		case "REMINDED":
			reminded++
		case "ERASED":
			erased++
		}
	}
	return reminded, erased, nil
}
