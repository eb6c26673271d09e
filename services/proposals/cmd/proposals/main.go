// Command proposals runs the proposals service on its own: calls for proposals,
// proposals, reviews and pledges over HTTP.
//
// Configuration (environment): DATABASE_URL (required), PORT (default 8083),
// PASSERELLE_SECRET or PASSERELLE_DATA_DIR, LOG_LEVEL, LOG_FORMAT.
package main

import (
	"passerelle.dev/events/eventstore"
	"passerelle.dev/proposals/service"
	"passerelle.dev/servicekit/process"
)

func main() {
	process.Main("proposals", 8083, service.Migrations(), func(_ process.Common, rt *process.Runtime, n *eventstore.Notifications) (process.Parts, error) {
		svc, err := service.New(service.Deps{Store: rt.Store, Notifications: n, Tokens: rt.Tokens, Logger: rt.Logger}, service.Config{})
		if err != nil {
			return process.Parts{}, err
		}
		return process.Parts{HTTP: svc.HTTP, Run: svc.Run}, nil
	})
}
