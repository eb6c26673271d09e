// Package app holds the directory's use cases, one command handler each. Handlers load
// aggregates through a repository, let them decide, and store what they recorded; they
// know neither SQL nor HTTP nor how contacts are encrypted.
package app

import (
	"context"
	"errors"
	"fmt"
	"time"

	"passerelle.dev/directory/domain/association"
	"passerelle.dev/events"
	"passerelle.dev/servicekit/command"
)

// Request is what every command carries about the request that sent it.
type Request = command.Request

// Commands is what the directory does for its callers. The Application implements it
// in process; the HTTP client in package client implements it across processes.
type Commands interface {
	RegisterAssociation(ctx context.Context, cmd RegisterAssociation) (Result, error)
	UpdateAssociationProfile(ctx context.Context, cmd UpdateAssociationProfile) (Result, error)
	VerifyAssociation(ctx context.Context, cmd VerifyAssociation) (Result, error)
	RejectAssociation(ctx context.Context, cmd RejectAssociation) (Result, error)
	SuspendAssociation(ctx context.Context, cmd SuspendAssociation) (Result, error)
	ReinstateAssociation(ctx context.Context, cmd ReinstateAssociation) (Result, error)
	DissolveAssociation(ctx context.Context, cmd DissolveAssociation) (Result, error)
	ForgetAssociationContact(ctx context.Context, cmd ForgetAssociationContact) (Result, error)
	RevealContacts(ctx context.Context, q RevealContacts) (map[string]RevealedContact, error)
	RenewAssociationKey(ctx context.Context, cmd RenewAssociationKey) (Result, error)
	KeyGeneration(ctx context.Context, associationID string) (int, error)
}

// AssociationRepository stores associations as event streams.
type AssociationRepository interface {
	// Add stores a newly registered association, refusing a name already taken in its
	// city (association.DuplicateNameError).
	Add(ctx context.Context, a *association.Association, md events.Metadata, key command.Key) (command.Outcome, error)
	// Update loads an association, lets change decide, and stores what it recorded,
	// retrying on a concurrent change. It returns the association after the change.
	Update(ctx context.Context, id string, md events.Metadata, key command.Key, change func(*association.Association) error) (*association.Association, command.Outcome, error)
	// LoadAt returns the association as it was at a stream version, and the payload of
	// the event that brought it there.
	LoadAt(ctx context.Context, id string, version int64) (*association.Association, any, error)
	// Replay returns the outcome recorded for an idempotency key, ok false if none; a
	// key recorded for another request is command.ErrKeyReused.
	Replay(ctx context.Context, key command.Key) (command.Outcome, bool, error)
	// KeyGeneration counts the association's key renewals.
	KeyGeneration(ctx context.Context, id string) (int, error)
}

// ContactVault seals contacts with a key of each association's own and opens them for
// those who may read them.
type ContactVault interface {
	// Seal encrypts a contact under the association's key, creating the key if needed.
	Seal(ctx context.Context, associationID string, city string, c association.Contact) (*association.SealedContact, error)
	// Open decrypts sealed contacts. An association whose key was destroyed comes back
	// Erased.
	Open(ctx context.Context, sealed []SealedRef) (map[string]OpenedContact, error)
}

// SealedRef is a sealed contact and the association it belongs to.
type SealedRef struct {
	AssociationID string `json:"associationId"`
	Ciphertext    []byte `json:"ciphertext"`
}

// OpenedContact is an opened contact and the city its association is in (who may read
// it depends on that), or Erased.
type OpenedContact struct {
	Contact association.Contact
	City    string
	Erased  bool
}

// TokenIssuer signs tokens for actors.
type TokenIssuer interface {
	Issue(actor events.Actor, ttl time.Duration) (string, error)
}

// Application is the directory's command side.
type Application struct {
	cities   CityBook
	repo     AssociationRepository
	vault    ContactVault
	tokens   TokenIssuer
	tokenTTL time.Duration
	// replayWindow bounds when a replay answers with a key.
	replayWindow time.Duration
	now          func() time.Time
}

var _ Commands = (*Application)(nil)

// CityBook knows the cities the sessions service has opened (from its events).
type CityBook interface {
	// Open lists the open cities. A city opened a moment ago may not be known yet: when
	// want is not among them, Open waits (bounded) for the directory to catch up first.
	Open(ctx context.Context, want string) (association.Cities, error)
}

// Deps are the Application's collaborators, all required.
type Deps struct {
	Associations AssociationRepository
	Vault        ContactVault
	Tokens       TokenIssuer
	Cities       CityBook
}

// Config configures the Application. The zero value is the default.
type Config struct {
	// Now is the clock. Defaults to time.Now.
	Now func() time.Time
	// AssociationTokenTTL is how long the token handed out at registration is valid.
	// Defaults to 365 days.
	AssociationTokenTTL time.Duration
	// ReplayWindow is how long after its first answer a repeated registration or key
	// renewal still answers with a key (a fresh one, ending the earlier). Defaults to
	// command.DefaultReplayWindow.
	ReplayWindow time.Duration
}

// Validate refuses what no default can stand for.
func (c Config) Validate() error {
	if c.AssociationTokenTTL < 0 {
		return fmt.Errorf("directory: the association token's lifetime is negative (%s)", c.AssociationTokenTTL)
	}
	if c.ReplayWindow < 0 {
		return fmt.Errorf("directory: the replay window is negative (%s)", c.ReplayWindow)
	}
	return nil
}

// New wires the use cases.
func New(deps Deps, cfg Config) (*Application, error) {
	if deps.Associations == nil || deps.Vault == nil || deps.Tokens == nil || deps.Cities == nil {
		return nil, errors.New("directory: Associations, Vault, Tokens and Cities are required")
	}
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if cfg.AssociationTokenTTL == 0 {
		cfg.AssociationTokenTTL = 365 * 24 * time.Hour
	}
	if cfg.ReplayWindow == 0 {
		cfg.ReplayWindow = command.DefaultReplayWindow
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return &Application{repo: deps.Associations, vault: deps.Vault, tokens: deps.Tokens, cities: deps.Cities,
		tokenTTL: cfg.AssociationTokenTTL, replayWindow: cfg.ReplayWindow, now: cfg.Now}, nil
}
