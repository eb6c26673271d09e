// Command sessions runs the sessions service on its own: cities, sessions and
// registrations over HTTP, and the waitlist policy.
//
// Configuration (environment): DATABASE_URL (required), PORT (default 8082),
// PASSERELLE_SECRET or PASSERELLE_DATA_DIR, LOG_LEVEL, LOG_FORMAT.
package main

import (
	// Sessions are given in their city's time zone: the zone database goes in the binary,
	// so that a container without one still tells Brussels from London.
	_ "time/tzdata"

	"passerelle.dev/events/eventstore"
	"passerelle.dev/servicekit/process"
	"passerelle.dev/sessions/app"
	"passerelle.dev/sessions/service"
)

func main() {
	process.Main("sessions", 8082, service.Migrations(), func(c process.Common, rt *process.Runtime, n *eventstore.Notifications) (process.Parts, error) {
		svc, err := service.New(service.Deps{Store: rt.Store, Notifications: n, Tokens: rt.Tokens, Logger: rt.Logger}, service.Config{App: app.Config{ReplayWindow: c.KeyReplayWindow}})
		if err != nil {
			return process.Parts{}, err
		}
		return process.Parts{HTTP: svc.HTTP, Run: svc.Run}, nil
	})
}
