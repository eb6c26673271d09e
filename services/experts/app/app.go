// Package app holds the experts service's use cases, one handler each: an expert
// registers, keeps their profile and consents, erases themselves; coordinators verify;
// the public reads the roster of those who consented; the retention clock reminds and
// erases the inactive. Institutions register and post requests for expertise;
// coordinators propose experts the matching ranks; experts accept or decline; the
// institution confirms.
package app

import (
	"context"
	"errors"
	"fmt"
	"time"

	"passerelle.dev/events"
	"passerelle.dev/events/expertevents"
	"passerelle.dev/experts/domain/expert"
	"passerelle.dev/kernel/fault"
	"passerelle.dev/servicekit/command"
)

// Request is what every command carries about the request that sent it.
type Request = command.Request

// Commands is what the experts service does for its callers. The Application
// implements it in process; package client across processes.
type Commands interface {
	RegisterExpert(ctx context.Context, cmd RegisterExpert) (Result, error)
	UpdateExpertProfile(ctx context.Context, cmd UpdateExpertProfile) (Result, error)
	VerifyExpert(ctx context.Context, cmd VerifyExpert) (Result, error)
	RejectExpert(ctx context.Context, cmd RejectExpert) (Result, error)
	GiveConsent(ctx context.Context, cmd GiveConsent) (Result, error)
	WithdrawConsent(ctx context.Context, cmd WithdrawConsent) (Result, error)
	EraseExpert(ctx context.Context, cmd EraseExpert) (Result, error)
	Roster(ctx context.Context, q RosterQuery) ([]Entry, error)
	Expert(ctx context.Context, q ExpertQuery) (Entry, bool, error)
	PendingExperts(ctx context.Context, q PendingQuery) ([]Entry, error)

	RegisterInstitution(ctx context.Context, cmd RegisterInstitution) (Result, error)
	VerifyInstitution(ctx context.Context, cmd VerifyInstitution) (Result, error)
	RejectInstitution(ctx context.Context, cmd RejectInstitution) (Result, error)
	DraftRequest(ctx context.Context, cmd DraftRequest) (Result, error)
	ReviseRequest(ctx context.Context, cmd ReviseRequest) (Result, error)
	OpenRequest(ctx context.Context, cmd RequestCommand) (Result, error)
	CloseRequest(ctx context.Context, cmd RequestCommand) (Result, error)
	CancelRequest(ctx context.Context, cmd CancelRequest) (Result, error)
	ProposeMatch(ctx context.Context, cmd MatchCommand) (Result, error)
	AcceptMatch(ctx context.Context, cmd MatchCommand) (Result, error)
	DeclineMatch(ctx context.Context, cmd MatchCommand) (Result, error)
	ConfirmMatch(ctx context.Context, cmd MatchCommand) (Result, error)
	Institution(ctx context.Context, q InstitutionQuery) (InstitutionEntry, bool, error)
	Institutions(ctx context.Context, q InstitutionsQuery) ([]InstitutionEntry, error)
	Requests(ctx context.Context, q RequestsQuery) ([]RequestEntry, error)
	Request(ctx context.Context, q RequestQuery) (RequestEntry, bool, error)
	Candidates(ctx context.Context, q CandidatesQuery) ([]Candidate, error)
	ExpertMatches(ctx context.Context, q ExpertMatchesQuery) ([]RequestEntry, error)
	ExpertiseStats(ctx context.Context) ([]ExpertiseCount, error)
}

var _ Commands = (*Application)(nil)

// Repository stores experts.
type Repository interface {
	Add(ctx context.Context, e *expert.Expert, md events.Metadata, key command.Key) (command.Outcome, error)
	Update(ctx context.Context, id string, md events.Metadata, key command.Key, change func(*expert.Expert) error) (*expert.Expert, command.Outcome, error)
	Replay(ctx context.Context, key command.Key) (command.Outcome, bool, error)
}

// Reads are the service's clear reads of its experts.
type Reads interface {
	// Roster lists the experts the public roster shows, by name.
	Roster(ctx context.Context, q RosterQuery) ([]Entry, error)
	// Get returns one expert as the service knows them; ok false if erased or unknown.
	Get(ctx context.Context, id string) (Entry, bool, error)
	// Pending lists the experts awaiting verification, oldest first.
	Pending(ctx context.Context, limit int) ([]Entry, error)
	// DueForRetention lists the experts the retention must look at by now.
	DueForRetention(ctx context.Context, now time.Time, r expert.Retention, limit int) ([]string, error)
}

// TokenIssuer signs the tokens experts act with.
type TokenIssuer interface {
	Issue(actor events.Actor, ttl time.Duration) (string, error)
}

// Entry is an expert as a read shows them.
type Entry struct {
	ID       string               `json:"id"`
	Status   string               `json:"status"`
	Consents []string             `json:"consents"`
	Profile  expertevents.Profile `json:"profile"`
}

// Public is what the roster shows of an expert: never their contact.
func (e Entry) Public() Entry {
	e.Profile.Email, e.Profile.Phone = "", ""
	return e
}

// ErrCursorGone answers a page asked after an expert who has left the roster since.
var ErrCursorGone = fault.Because(fault.BadUserInput, "CURSOR_GONE", "the last expert of the page before has left the roster: start again from the first page")

// Config configures the Application. The zero value is the default.
type Config struct {
	// Now is the clock. Defaults to time.Now.
	Now func() time.Time
	// TokenTTL is how long an expert's token is valid. Defaults to a year.
	TokenTTL time.Duration
	// ReplayWindow is how long after its first answer a repeated registration (of an
	// expert, of an institution) still answers with the token. Defaults to
	// command.DefaultReplayWindow.
	ReplayWindow time.Duration
	// Retention: an expert inactive for InactiveFor (default two years) is reminded,
	// and erased GraceFor (default 60 days) later if they still did nothing.
	Retention expert.Retention
}

// Application is the experts service.
type Application struct {
	experts      Repository
	institutions Institutions
	requests     Requests
	reads        Reads
	requestReads RequestReads
	tokens       TokenIssuer
	now          func() time.Time
	tokenTTL     time.Duration
	replayWindow time.Duration
	retention    expert.Retention
}

// Deps are the Application's collaborators, all required.
type Deps struct {
	Experts      Repository
	Institutions Institutions
	Requests     Requests
	Reads        Reads
	RequestReads RequestReads
	Tokens       TokenIssuer
}

// Validate refuses what no default can stand for.
func (c Config) Validate() error {
	for name, d := range map[string]time.Duration{
		"the expert token's lifetime": c.TokenTTL, "the inactivity before a reminder": c.Retention.InactiveFor,
		"the grace after a reminder": c.Retention.GraceFor, "the replay window": c.ReplayWindow,
	} {
		if d < 0 {
			return fmt.Errorf("experts: %s is negative (%s)", name, d)
		}
	}
	return nil
}

// New wires the use cases.
func New(deps Deps, cfg Config) (*Application, error) {
	if deps.Experts == nil || deps.Institutions == nil || deps.Requests == nil || deps.Reads == nil ||
		deps.RequestReads == nil || deps.Tokens == nil {
		return nil, errors.New("experts: Experts, Institutions, Requests, Reads, RequestReads and Tokens are required")
	}
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.TokenTTL == 0 {
		cfg.TokenTTL = 365 * 24 * time.Hour
	}
	if cfg.ReplayWindow == 0 {
		cfg.ReplayWindow = command.DefaultReplayWindow
	}
	if cfg.Retention.InactiveFor == 0 {
		cfg.Retention.InactiveFor = 2 * 365 * 24 * time.Hour
	}
	if cfg.Retention.GraceFor == 0 {
		cfg.Retention.GraceFor = 60 * 24 * time.Hour
	}
	return &Application{experts: deps.Experts, institutions: deps.Institutions, requests: deps.Requests, reads: deps.Reads,
		requestReads: deps.RequestReads, tokens: deps.Tokens, now: cfg.Now, tokenTTL: cfg.TokenTTL, replayWindow: cfg.ReplayWindow, retention: cfg.Retention}, nil
}

// Result is the outcome of a command.
type Result struct {
	ExpertID      string          `json:"expertId,omitempty"`
	InstitutionID string          `json:"institutionId,omitempty"`
	RequestID     string          `json:"requestId,omitempty"`
	Position      events.Position `json:"position"`
	// Token is the expert's (or the institution's) own key, given when they register,
	// and on a repeat of the registration within the replay window.
	Token string `json:"token,omitempty"`
	// KeyWithheld, on a repeat after the replay window, says why there is no token
	// (command.KeyWithheld).
	KeyWithheld string `json:"keyWithheld,omitempty"`
	Replayed    bool   `json:"replayed,omitempty"`
}

// change runs a command on one expert.
func (app *Application) change(ctx context.Context, name string, cmd any, id string, req Request, decide func(*expert.Expert, time.Time) error) (Result, error) {
	return app.once(ctx, name, cmd, req, Result{ExpertID: id}, func(key command.Key, now time.Time) (command.Outcome, error) {
		_, o, err := app.experts.Update(ctx, id, req.Metadata(), key, func(e *expert.Expert) error { return decide(e, now) })
		return o, err
	})
}

// once runs a command at most once per idempotency key: a replay answers with the
// first outcome; otherwise run does the work at now. base names what the command is
// about (the expert's, institution's or request's id).
func (app *Application) once(ctx context.Context, name string, cmd any, req Request, base Result, run func(key command.Key, now time.Time) (command.Outcome, error)) (Result, error) {
	key, err := req.Key(name, cmd)
	if err != nil {
		return Result{}, err
	}
	o, ok, err := app.experts.Replay(ctx, key)
	if err == nil && !ok {
		o, err = run(key, app.now())
		ok = o.Replayed
	}
	if err != nil {
		return Result{}, err
	}
	base.Position, base.Replayed = o.Position, ok
	return base, nil
}
