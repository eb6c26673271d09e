// Package service assembles the directory: its application over the event store, and
// its HTTP port. The directory's own command and `passerelle serve` build it here.
package service

import (
	"errors"
	"log/slog"
	"net/http"

	"passerelle.dev/directory/adapters"
	"passerelle.dev/directory/app"
	"passerelle.dev/directory/ports"
	"passerelle.dev/events"
	"passerelle.dev/events/auth"
	"passerelle.dev/events/directoryevents"
	"passerelle.dev/events/eventstore"
	"passerelle.dev/events/pgmigrate"
)

// Migrations returns what the directory needs in its database: the event store and its
// own tables.
func Migrations() []pgmigrate.Set {
	return []pgmigrate.Set{eventstore.Migrations(), adapters.Migrations()}
}

// Service is the assembled directory.
type Service struct {
	// Commands runs the directory's use cases in process.
	Commands *app.Application
	// HTTP serves them to other processes.
	HTTP http.Handler
}

// New assembles the directory. masterKey (32 bytes) wraps the keys that seal contact
// persons.
func New(store *eventstore.Store, tokens *auth.Tokens, masterKey []byte, logger *slog.Logger, cfg app.Config) (*Service, error) {
	if store == nil || tokens == nil {
		return nil, errors.New("directory: a store and tokens are required")
	}
	registry := events.NewRegistry()
	if err := directoryevents.Register(registry); err != nil {
		return nil, err
	}
	vault, err := adapters.NewContactVault(store.Pool(), masterKey)
	if err != nil {
		return nil, err
	}
	commands := app.New(adapters.NewAssociationRepository(store, registry), vault, tokens, cfg)
	return &Service{Commands: commands, HTTP: ports.NewHTTPServer(commands, tokens, logger).Handler()}, nil
}
