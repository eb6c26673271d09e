// Command notifications runs the notifications service on its own: the notifier, which
// writes what to tell associations into the outbox as events happen, the sender, which
// delivers it (SMTP, or the mail folder), and the mailbox query over HTTP. Contact
// persons are opened through the directory service at DIRECTORY_URL, and experts'
// addresses asked of the experts service at EXPERTS_URL, as the sender needs them.
//
// Configuration (environment): DATABASE_URL and DIRECTORY_URL (required), EXPERTS_URL
// (without it, messages to experts are dropped, saying why), PORT (default
// 8084), PASSERELLE_SECRET or PASSERELLE_DATA_DIR, LOG_LEVEL, LOG_FORMAT, and the mail
// settings the README lists (PASSERELLE_SMTP_*, PASSERELLE_MAIL_*, PASSERELLE_PUBLIC_URL).
package main

import (
	"errors"
	"net/http"
	"time"

	// Messages give times on their city's clocks: the zone database goes in the binary.
	_ "time/tzdata"

	directoryclient "passerelle.dev/directory/client"
	"passerelle.dev/events/eventstore"
	expertsclient "passerelle.dev/experts/client"
	"passerelle.dev/notifications/adapters"
	"passerelle.dev/notifications/service"
	"passerelle.dev/servicekit/process"
)

type config struct {
	DirectoryURL string `env:"DIRECTORY_URL"`
	ExpertsURL   string `env:"EXPERTS_URL"`
	Mail         service.Config
}

func main() {
	process.Main("notifications", 8084, service.Migrations(), func(common process.Common, rt *process.Runtime, n *eventstore.Notifications) (process.Parts, error) {
		cfg, err := process.LoadConfig[config]()
		if err != nil {
			return process.Parts{}, err
		}
		if cfg.DirectoryURL == "" {
			return process.Parts{}, errors.New("DIRECTORY_URL is required: contact persons are opened by the directory")
		}
		hc := &http.Client{Timeout: 30 * time.Second}
		deps := service.Deps{Store: rt.Store, Notifications: n, Tokens: rt.Tokens, Logger: rt.Logger,
			DataDir: common.DataDir, Contacts: adapters.DirectoryContacts{Directory: directoryclient.New(cfg.DirectoryURL, rt.Tokens, hc)}}
		if cfg.ExpertsURL != "" {
			deps.Experts = adapters.ExpertsAddresses{Experts: expertsclient.New(cfg.ExpertsURL, rt.Tokens, hc)}
		}
		svc, err := service.New(deps, cfg.Mail)
		if err != nil {
			return process.Parts{}, err
		}
		return process.Parts{HTTP: svc.HTTP, Run: svc.Run}, nil
	})
}
