// Package app holds the directory's use cases, one command handler each. Handlers load
// aggregates through a repository, let them decide, and store what they recorded; they
// know neither SQL nor HTTP.
package app

import (
	"context"
	"time"

	"github.com/google/uuid"

	"passerelle.dev/directory/domain/association"
	"passerelle.dev/events"
)

// Request is what every command carries about the request that sent it.
type Request struct {
	// Actor is who sends the command (anonymous when no token came with it).
	Actor events.Actor
	// CorrelationID ties the command to the user request; generated when empty.
	CorrelationID string
}

// metadata returns the metadata of the events a command records. The command gets an id
// of its own, which becomes the events' causation id.
func (r Request) metadata() events.Metadata {
	commandID := uuid.Must(uuid.NewV7()).String()
	corr := r.CorrelationID
	if corr == "" {
		corr = commandID
	}
	return events.Metadata{CorrelationID: corr, CausationID: commandID, Actor: r.Actor}
}

// Association is the state of an association after a command, as callers see it.
type Association struct {
	ID              string     `json:"id"`
	Name            string     `json:"name"`
	City            string     `json:"city"`
	OriginCountries []string   `json:"originCountries"`
	Status          string     `json:"status"`
	RegisteredAt    time.Time  `json:"registeredAt"`
	VerifiedAt      *time.Time `json:"verifiedAt,omitempty"`
}

func associationOf(a *association.Association) Association {
	origins := a.OriginCountries()
	codes := make([]string, len(origins))
	for i, c := range origins {
		codes[i] = c.String()
	}
	out := Association{ID: a.ID(), Name: a.Name().String(), City: a.City().String(), OriginCountries: codes,
		Status: a.Status().String(), RegisteredAt: a.RegisteredAt()}
	if v := a.VerifiedAt(); !v.IsZero() {
		out.VerifiedAt = &v
	}
	return out
}

// Commands is what the directory does for its callers. The Application implements it
// in process; the HTTP client in package client implements it across processes.
type Commands interface {
	RegisterAssociation(ctx context.Context, cmd RegisterAssociation) (Registration, error)
	VerifyAssociation(ctx context.Context, cmd VerifyAssociation) (Verification, error)
}

// AssociationRepository stores associations as event streams.
type AssociationRepository interface {
	// Add stores a newly registered association, refusing a name already taken in its
	// city (association.DuplicateNameError), and returns the position of its last event.
	Add(ctx context.Context, a *association.Association, md events.Metadata) (events.Position, error)
	// Update loads an association, lets change decide, and stores what it recorded,
	// retrying on a concurrent change. It returns the association after the change and
	// the position of its last stored event.
	Update(ctx context.Context, id string, md events.Metadata, change func(*association.Association) error) (*association.Association, events.Position, error)
}

// TokenIssuer signs tokens for actors.
type TokenIssuer interface {
	Issue(actor events.Actor, ttl time.Duration) (string, error)
}

// Application is the directory's command side.
type Application struct {
	register RegisterAssociationHandler
	verify   VerifyAssociationHandler
}

var _ Commands = (*Application)(nil)

// Config configures the Application.
type Config struct {
	// Now is the clock. Defaults to time.Now.
	Now func() time.Time
	// AssociationTokenTTL is how long the token handed out at registration is valid.
	// Defaults to 365 days.
	AssociationTokenTTL time.Duration
}

// New wires the use cases.
func New(repo AssociationRepository, tokens TokenIssuer, cfg Config) *Application {
	if cfg.AssociationTokenTTL <= 0 {
		cfg.AssociationTokenTTL = 365 * 24 * time.Hour
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return &Application{
		register: RegisterAssociationHandler{repo: repo, tokens: tokens, tokenTTL: cfg.AssociationTokenTTL, now: cfg.Now},
		verify:   VerifyAssociationHandler{repo: repo, now: cfg.Now},
	}
}

// RegisterAssociation implements Commands.
func (a *Application) RegisterAssociation(ctx context.Context, cmd RegisterAssociation) (Registration, error) {
	return a.register.Handle(ctx, cmd)
}

// VerifyAssociation implements Commands.
func (a *Application) VerifyAssociation(ctx context.Context, cmd VerifyAssociation) (Verification, error) {
	return a.verify.Handle(ctx, cmd)
}
