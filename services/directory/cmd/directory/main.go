// Command directory runs the directory service on its own: the association commands over
// HTTP, for a gateway started with DIRECTORY_URL pointing here.
//
// Configuration (environment): DATABASE_URL (required), PORT (default 8081),
// PASSERELLE_SECRET or PASSERELLE_DATA_DIR, PASSERELLE_MASTER_KEY, LOG_LEVEL, LOG_FORMAT.
package main

import (
	"passerelle.dev/directory/app"
	"passerelle.dev/directory/service"
	"passerelle.dev/events/eventstore"
	"passerelle.dev/events/process"
)

func main() {
	process.Main("directory", 8081, service.Migrations(), func(c process.Common, rt *process.Runtime, _ *eventstore.Notifications) (process.Parts, error) {
		masterKey, err := process.MasterKey(c, rt.Logger)
		if err != nil {
			return process.Parts{}, err
		}
		svc, err := service.New(rt.Store, rt.Tokens, masterKey, rt.Logger, app.Config{})
		if err != nil {
			return process.Parts{}, err
		}
		return process.Parts{HTTP: svc.HTTP}, nil
	})
}
