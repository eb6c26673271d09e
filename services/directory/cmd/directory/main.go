// Command directory runs the directory service on its own: the association commands over
// HTTP, for a gateway started with DIRECTORY_URL pointing here, and the projection of
// the cities the sessions service opens.
//
// Configuration (environment): DATABASE_URL (required), PORT (default 8081),
// PASSERELLE_SECRET or PASSERELLE_DATA_DIR, PASSERELLE_MASTER_KEY, LOG_LEVEL, LOG_FORMAT.
package main

import (
	"passerelle.dev/directory/app"
	"passerelle.dev/directory/service"
	"passerelle.dev/events/eventstore"
	"passerelle.dev/servicekit/process"
)

func main() {
	process.Main("directory", 8081, service.Migrations(), func(c process.Common, rt *process.Runtime, n *eventstore.Notifications) (process.Parts, error) {
		masterKey, err := process.MasterKey(c, rt.Logger)
		if err != nil {
			return process.Parts{}, err
		}
		svc, err := service.New(service.Deps{Store: rt.Store, Notifications: n, Tokens: rt.Tokens, MasterKey: masterKey, Logger: rt.Logger}, service.Config{App: app.Config{ReplayWindow: c.KeyReplayWindow}})
		if err != nil {
			return process.Parts{}, err
		}
		return process.Parts{HTTP: svc.HTTP, Run: svc.Run}, nil
	})
}
