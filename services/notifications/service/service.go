// Package service assembles the notifications service: the notifier (a projection that
// writes what to tell whom into the outbox), the reminder clock, the sender (which
// delivers it by SMTP, or into a mail folder when no SMTP server is configured), the
// coordinators' messages and the mailbox query. Its own
// command and `passerelle serve` build it here.
package service

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/mail"
	"net/url"
	"path/filepath"
	"strings"
	"time"

	"golang.org/x/sync/errgroup"

	"passerelle.dev/events"
	"passerelle.dev/events/directoryevents"
	"passerelle.dev/events/eventstore"
	"passerelle.dev/events/expertevents"
	"passerelle.dev/events/notificationevents"
	"passerelle.dev/events/projector"
	"passerelle.dev/events/proposalevents"
	"passerelle.dev/events/sessionevents"
	"passerelle.dev/kernel/pgmigrate"
	"passerelle.dev/notifications/adapters"
	"passerelle.dev/notifications/app"
	"passerelle.dev/notifications/ports"
	"passerelle.dev/servicekit/auth"
)

// Migrations returns what the notifications service needs in its database.
func Migrations() []pgmigrate.Set {
	return []pgmigrate.Set{eventstore.Migrations(), adapters.Migrations()}
}

// Registry returns a registry of the events the notifier reads.
func Registry() (*events.Registry, error) {
	r := events.NewRegistry()
	for _, register := range []func(*events.Registry) error{directoryevents.Register, sessionevents.Register, proposalevents.Register,
		notificationevents.Register, expertevents.Register} {
		if err := register(r); err != nil {
			return nil, err
		}
	}
	return r, nil
}

// DefaultFrom is the sender when none is configured.
const DefaultFrom = "Passerelle <no-reply@passerelle.localhost>"

// Config configures the service; the env tags name the variables the commands read.
// Zero values take the defaults the tags give.
type Config struct {
	// SMTPHost is the SMTP server; empty, mail goes to MailDir.
	SMTPHost     string `env:"PASSERELLE_SMTP_HOST"`
	SMTPPort     int    `env:"PASSERELLE_SMTP_PORT" envDefault:"587"`
	SMTPUsername string `env:"PASSERELLE_SMTP_USERNAME"`
	SMTPPassword string `env:"PASSERELLE_SMTP_PASSWORD"`
	// SMTPTLS is mandatory (STARTTLS), opportunistic or none.
	SMTPTLS string `env:"PASSERELLE_SMTP_TLS" envDefault:"mandatory"`
	// From is the sender of every message.
	From string `env:"PASSERELLE_MAIL_FROM" envDefault:"Passerelle <no-reply@passerelle.localhost>"`
	// MailDir is the mail folder without SMTP; relative to the data directory.
	MailDir string `env:"PASSERELLE_MAIL_DIR" envDefault:"mail"`
	// PublicURL is the web app's address, for links in messages.
	PublicURL string `env:"PASSERELLE_PUBLIC_URL" envDefault:"http://localhost:8080"`
	// MaxAge: events older than this when the notifier handles them cause no message;
	// negative, any event does.
	MaxAge time.Duration `env:"PASSERELLE_MAIL_MAX_AGE" envDefault:"24h"`
	// Sender tunes the sender (tests shorten its lease and interval).
	Sender adapters.SenderConfig
	// ReminderInterval bounds how late a reminder is written when the clock moves
	// (tests). Defaults to a minute.
	ReminderInterval time.Duration
	// Now is the clock. Defaults to time.Now.
	Now func() time.Time
}

// Deps are the service's collaborators. All but Logger are required.
type Deps struct {
	Store         *eventstore.Store
	Notifications *eventstore.Notifications
	Tokens        *auth.Tokens
	// Contacts opens contact persons, at the moment of sending only.
	Contacts adapters.ContactBook
	// Experts finds experts' addresses, at the moment of sending only; without it,
	// messages to experts are dropped.
	Experts adapters.ExpertBook
	// DataDir is where a relative MailDir is.
	DataDir string
	Logger  *slog.Logger
	// Transport, when set, replaces SMTP and the mail folder (tests).
	Transport adapters.Transport
}

// Service is the assembled notifications service.
type Service struct {
	// Commands writes coordinators' messages and answers the mailbox, in process.
	Commands *app.Application
	// HTTP serves it to other processes.
	HTTP      http.Handler
	runner    *projector.Runner
	sender    *adapters.Sender
	reminders *adapters.ReminderClock
	mailDir   string
	delivery  string
}

// Validate refuses what no default can stand for, naming the environment variable.
func (c Config) Validate() error {
	if c.From != "" {
		if _, err := mail.ParseAddress(c.From); err != nil {
			return fmt.Errorf("PASSERELLE_MAIL_FROM: %w", err)
		}
	}
	if c.SMTPHost != "" && (c.SMTPPort < 1 || c.SMTPPort > 65535) {
		return fmt.Errorf("PASSERELLE_SMTP_PORT: %d is not a port", c.SMTPPort)
	}
	switch c.SMTPTLS {
	case "", "mandatory", "opportunistic", "none":
	default:
		return fmt.Errorf("PASSERELLE_SMTP_TLS: %q is none of mandatory, opportunistic, none", c.SMTPTLS)
	}
	if c.PublicURL != "" {
		if u, err := url.Parse(c.PublicURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return fmt.Errorf("PASSERELLE_PUBLIC_URL: %q is not an http(s) address", c.PublicURL)
		}
	}
	if c.ReminderInterval < 0 {
		return fmt.Errorf("notifications: the reminder clock's interval is negative (%s)", c.ReminderInterval)
	}
	return nil
}

// New assembles the service.
func New(deps Deps, cfg Config) (*Service, error) {
	if deps.Store == nil || deps.Notifications == nil || deps.Tokens == nil || deps.Contacts == nil {
		return nil, errors.New("notifications: Store, Notifications, Tokens and Contacts are required")
	}
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if deps.Logger == nil {
		deps.Logger = slog.Default()
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.From == "" {
		cfg.From = DefaultFrom
	}
	if cfg.MailDir == "" {
		cfg.MailDir = "mail"
	}
	if cfg.MaxAge == 0 {
		cfg.MaxAge = 24 * time.Hour
	}
	from, err := mail.ParseAddress(cfg.From)
	if err != nil {
		return nil, fmt.Errorf("PASSERELLE_MAIL_FROM: %w", err)
	}
	s := &Service{}
	transport := deps.Transport
	switch {
	case transport != nil:
		s.delivery = "test"
	case cfg.SMTPHost != "":
		smtp, err := adapters.NewSMTP(adapters.SMTPConfig{Host: cfg.SMTPHost, Port: cfg.SMTPPort, Username: cfg.SMTPUsername,
			Password: cfg.SMTPPassword, TLS: cfg.SMTPTLS, FromName: from.Name, FromAddress: from.Address})
		if err != nil {
			return nil, err
		}
		transport, s.delivery = smtp, "smtp"
	default:
		s.mailDir = cfg.MailDir
		if !filepath.IsAbs(s.mailDir) {
			s.mailDir = filepath.Join(deps.DataDir, s.mailDir)
		}
		transport, s.delivery = adapters.Folder{Dir: s.mailDir, FromName: from.Name, FromAddress: from.Address}, "folder"
	}
	registry, err := Registry()
	if err != nil {
		return nil, err
	}
	notifier := adapters.Notifier{PublicURL: strings.TrimRight(cfg.PublicURL, "/"), MaxAge: cfg.MaxAge, Now: cfg.Now}
	s.runner, err = projector.NewRunner(projector.Config{
		Pool: deps.Store.Pool(), Registry: registry, Notifications: deps.Notifications, Logger: deps.Logger,
	}, notifier)
	if err != nil {
		return nil, err
	}
	s.reminders = adapters.NewReminderClock(deps.Store.Pool(), notifier, cfg.Now, cfg.ReminderInterval, deps.Logger)
	if cfg.Sender.Now == nil {
		cfg.Sender.Now = cfg.Now
	}
	// The notifier's checkpoints move when it has written messages: that wakes the sender.
	wake, _ := deps.Notifications.Subscribe(eventstore.CheckpointChannel)
	s.sender = adapters.NewSender(deps.Store.Pool(), transport, adapters.AddressBook{Contacts: deps.Contacts, Experts: deps.Experts}, wake, cfg.Sender, deps.Logger)
	checkpoints := projector.NewCheckpoints(deps.Store.Pool(), deps.Notifications)
	if s.Commands, err = app.New(app.Deps{
		Outbox: adapters.NewOutbox(deps.Store.Pool()), Letters: adapters.NewLetters(deps.Store, registry, checkpoints),
	}, app.Config{Delivery: s.delivery, Now: cfg.Now}); err != nil {
		return nil, err
	}
	s.HTTP = ports.Handler(s.Commands, deps.Tokens, deps.Logger)
	return s, nil
}

// MailDir is the mail folder messages go to, empty when they go by SMTP.
func (s *Service) MailDir() string { return s.mailDir }

// Run runs the notifier, the reminder clock and the sender until ctx ends.
func (s *Service) Run(ctx context.Context) error {
	group, ctx := errgroup.WithContext(ctx)
	group.Go(func() error { return s.runner.Run(ctx) })
	group.Go(func() error { return s.sender.Run(ctx) })
	group.Go(func() error { return s.reminders.Run(ctx) })
	return group.Wait()
}
