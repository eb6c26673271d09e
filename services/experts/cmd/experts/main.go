// Command experts runs the experts service on its own: the skills roster's experts,
// their consents and erasure over HTTP, and the retention clock.
//
// Configuration (environment): DATABASE_URL (required), PORT (default 8085),
// PASSERELLE_SECRET and PASSERELLE_MASTER_KEY (or PASSERELLE_DATA_DIR), LOG_LEVEL,
// LOG_FORMAT.
package main

import (
	"passerelle.dev/events/eventstore"
	"passerelle.dev/experts/app"
	"passerelle.dev/experts/service"
	"passerelle.dev/servicekit/process"
)

func main() {
	process.Main("experts", 8085, service.Migrations(), func(common process.Common, rt *process.Runtime, _ *eventstore.Notifications) (process.Parts, error) {
		masterKey, err := process.MasterKey(common, rt.Logger)
		if err != nil {
			return process.Parts{}, err
		}
		svc, err := service.New(service.Deps{Store: rt.Store, Tokens: rt.Tokens, MasterKey: masterKey, Logger: rt.Logger}, service.Config{App: app.Config{ReplayWindow: common.KeyReplayWindow}})
		if err != nil {
			return process.Parts{}, err
		}
		return process.Parts{HTTP: svc.HTTP, Run: svc.Run}, nil
	})
}
