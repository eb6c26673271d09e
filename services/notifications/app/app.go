// Package app holds the notifications service's use cases. Messages are written by the
// notifier as events happen and sent by the sender; what callers ask of the service is
// to write to a session's associations (coordinators), and to read the mailbox (admins).
package app

import (
	"context"
	"errors"
	"time"

	"passerelle.dev/kernel/fault"
	"passerelle.dev/servicekit/command"
)

// Request is what every call carries about the request that sent it.
type Request = command.Request

// Commands is what the notifications service does for its callers. The Application
// implements it in process; package client across processes.
type Commands interface {
	Mailbox(ctx context.Context, q Mailbox) (MailboxPage, error)
	MessageSessionAssociations(ctx context.Context, cmd MessageSessionAssociations) (LetterResult, error)
}

// ErrNeedsSignIn asks for a token.
var ErrNeedsSignIn = fault.Because(fault.Unauthenticated, "TOKEN_NEEDED", "this needs a token")

// Outbox reads the outbox.
type Outbox interface {
	List(ctx context.Context, first int, before *Position) ([]Mail, bool, error)
}

// Application is the notifications service.
type Application struct {
	outbox   Outbox
	letters  Letters
	delivery string
	now      func() time.Time
}

var _ Commands = (*Application)(nil)

// Deps are the Application's collaborators, all required.
type Deps struct {
	Outbox  Outbox
	Letters Letters
}

// Config configures the Application. The zero value is the default.
type Config struct {
	// Delivery names where mail goes (smtp, folder, test), as the mailbox shows it.
	Delivery string
	// Now is the clock. Defaults to time.Now.
	Now func() time.Time
}

// Validate refuses what no default can stand for (nothing yet: every field has one).
func (c Config) Validate() error { return nil }

// New wires the use cases.
func New(deps Deps, cfg Config) (*Application, error) {
	if deps.Outbox == nil || deps.Letters == nil {
		return nil, errors.New("notifications: Outbox and Letters are required")
	}
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return &Application{outbox: deps.Outbox, letters: deps.Letters, delivery: cfg.Delivery, now: cfg.Now}, nil
}
