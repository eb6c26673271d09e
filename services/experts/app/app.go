// Package app holds the experts service's use cases, one handler each: an expert
// registers, keeps their profile and consents, erases themselves; coordinators verify;
// the public reads the roster of those who consented; the retention clock reminds and
// erases the inactive. Institutions register and post requests for expertise;
// coordinators propose experts the matching ranks; experts accept or decline; the
// institution confirms.
package app

import (
	"context"
	"slices"
	"time"

	"github.com/google/uuid"

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

// RosterQuery filters the roster; empty fields do not filter.
type RosterQuery struct {
	Field   string `json:"field,omitempty"`
	Country string `json:"country,omitempty"`
	First   int    `json:"first,omitempty"`
	// After is the id of the last expert of the page before. A cursor holds nothing but
	// that id, never a name: cursors end up in addresses and logs.
	After string `json:"after,omitempty"`
}

// ErrCursorGone answers a page asked after an expert who has left the roster since.
var ErrCursorGone = fault.Because(fault.BadUserInput, "CURSOR_GONE", "the last expert of the page before has left the roster: start again from the first page")

// Config configures the Application.
type Config struct {
	Now func() time.Time
	// TokenTTL is how long an expert's token is valid. Defaults to a year.
	TokenTTL time.Duration
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

// New wires the use cases.
func New(deps Deps, cfg Config) *Application {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.TokenTTL <= 0 {
		cfg.TokenTTL = 365 * 24 * time.Hour
	}
	if cfg.Retention.InactiveFor <= 0 {
		cfg.Retention.InactiveFor = 2 * 365 * 24 * time.Hour
	}
	if cfg.Retention.GraceFor <= 0 {
		cfg.Retention.GraceFor = 60 * 24 * time.Hour
	}
	return &Application{experts: deps.Experts, institutions: deps.Institutions, requests: deps.Requests, reads: deps.Reads,
		requestReads: deps.RequestReads, tokens: deps.Tokens, now: cfg.Now, tokenTTL: cfg.TokenTTL, retention: cfg.Retention}
}

// Result is the outcome of a command.
type Result struct {
	ExpertID      string          `json:"expertId,omitempty"`
	InstitutionID string          `json:"institutionId,omitempty"`
	RequestID     string          `json:"requestId,omitempty"`
	Position      events.Position `json:"position"`
	// Token is the expert's (or the institution's) own key, given when they register —
	// never on a replay, so that whoever repeats a request does not get it.
	Token    string `json:"token,omitempty"`
	Replayed bool   `json:"replayed,omitempty"`
}

// RegisterExpert registers someone as an expert: anyone may, and then awaits
// verification. Consents must include processing, in its current wording.
type RegisterExpert struct {
	Profile  expertevents.Profile `json:"profile"`
	Consents []expert.Consent     `json:"consents"`
	Request  Request              `json:"-"`
}

// RegisterExpert handles RegisterExpert.
func (app *Application) RegisterExpert(ctx context.Context, cmd RegisterExpert) (Result, error) {
	key, err := cmd.Request.Key("RegisterExpert", cmd)
	if err != nil {
		return Result{}, err
	}
	if o, ok, err := app.experts.Replay(ctx, key); err != nil || ok {
		id, _ := expertevents.ExpertIDFromStream(o.StreamID)
		return Result{ExpertID: id, Position: o.Position, Replayed: ok}, err
	}
	id := uuid.Must(uuid.NewV7()).String()
	e, err := expert.Register(id, cmd.Profile, cmd.Consents, app.now())
	if err != nil {
		return Result{}, err
	}
	o, err := app.experts.Add(ctx, e, cmd.Request.Metadata(), key)
	if err != nil {
		return Result{}, err
	}
	if o.Replayed {
		return Result{ExpertID: id, Position: o.Position, Replayed: true}, nil
	}
	token, err := app.tokens.Issue(events.Actor{Role: events.RoleExpert, Subject: id}, app.tokenTTL)
	if err != nil {
		return Result{}, err
	}
	return Result{ExpertID: id, Position: o.Position, Token: token}, nil
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

// UpdateExpertProfile replaces an expert's profile: the expert themselves.
type UpdateExpertProfile struct {
	ExpertID string               `json:"expertId"`
	Profile  expertevents.Profile `json:"profile"`
	Request  Request              `json:"-"`
}

// UpdateExpertProfile handles UpdateExpertProfile.
func (app *Application) UpdateExpertProfile(ctx context.Context, cmd UpdateExpertProfile) (Result, error) {
	return app.change(ctx, "UpdateExpertProfile", cmd, cmd.ExpertID, cmd.Request, func(e *expert.Expert, now time.Time) error {
		return e.UpdateProfile(cmd.Request.Actor, cmd.Profile, now)
	})
}

// VerifyExpert accepts a pending expert: coordinators and admins.
type VerifyExpert struct {
	ExpertID string  `json:"expertId"`
	Request  Request `json:"-"`
}

// VerifyExpert handles VerifyExpert.
func (app *Application) VerifyExpert(ctx context.Context, cmd VerifyExpert) (Result, error) {
	return app.change(ctx, "VerifyExpert", cmd, cmd.ExpertID, cmd.Request, func(e *expert.Expert, now time.Time) error {
		return e.Verify(cmd.Request.Actor, now)
	})
}

// RejectExpert refuses a pending expert, with a reason for them: coordinators and admins.
type RejectExpert struct {
	ExpertID string  `json:"expertId"`
	Reason   string  `json:"reason"`
	Request  Request `json:"-"`
}

// RejectExpert handles RejectExpert.
func (app *Application) RejectExpert(ctx context.Context, cmd RejectExpert) (Result, error) {
	return app.change(ctx, "RejectExpert", cmd, cmd.ExpertID, cmd.Request, func(e *expert.Expert, now time.Time) error {
		return e.Reject(cmd.Request.Actor, cmd.Reason, now)
	})
}

// GiveConsent records an expert's consent to a purpose: the expert themselves.
type GiveConsent struct {
	ExpertID       string  `json:"expertId"`
	Purpose        string  `json:"purpose"`
	WordingVersion string  `json:"wordingVersion"`
	Request        Request `json:"-"`
}

// GiveConsent handles GiveConsent.
func (app *Application) GiveConsent(ctx context.Context, cmd GiveConsent) (Result, error) {
	return app.change(ctx, "GiveConsent", cmd, cmd.ExpertID, cmd.Request, func(e *expert.Expert, now time.Time) error {
		return e.GiveConsent(cmd.Request.Actor, expert.Consent{Purpose: cmd.Purpose, WordingVersion: cmd.WordingVersion}, now)
	})
}

// WithdrawConsent ends an expert's consent to a purpose, at once: the expert
// themselves. Withdrawing the consent to processing erases them.
type WithdrawConsent struct {
	ExpertID string  `json:"expertId"`
	Purpose  string  `json:"purpose"`
	Request  Request `json:"-"`
}

// WithdrawConsent handles WithdrawConsent.
func (app *Application) WithdrawConsent(ctx context.Context, cmd WithdrawConsent) (Result, error) {
	return app.change(ctx, "WithdrawConsent", cmd, cmd.ExpertID, cmd.Request, func(e *expert.Expert, now time.Time) error {
		return e.WithdrawConsent(cmd.Request.Actor, cmd.Purpose, now)
	})
}

// EraseExpert destroys an expert's data: the expert themselves, or an admin.
type EraseExpert struct {
	ExpertID string  `json:"expertId"`
	Request  Request `json:"-"`
}

// EraseExpert handles EraseExpert.
func (app *Application) EraseExpert(ctx context.Context, cmd EraseExpert) (Result, error) {
	return app.change(ctx, "EraseExpert", cmd, cmd.ExpertID, cmd.Request, func(e *expert.Expert, now time.Time) error {
		return e.Erase(cmd.Request.Actor, now)
	})
}

// ApplyRetention reminds the experts inactive for the retention period and erases
// those who let the reminder go unanswered; the retention clock runs it. Idempotent.
func (app *Application) ApplyRetention(ctx context.Context) (reminded, erased int, err error) {
	now := app.now()
	ids, err := app.reads.DueForRetention(ctx, now, app.retention, 500)
	if err != nil {
		return 0, 0, err
	}
	md := Request{Actor: events.System}.Metadata()
	for _, id := range ids {
		var did string
		if _, _, err := app.experts.Update(ctx, id, md, command.Key{}, func(e *expert.Expert) error {
			did = e.ApplyRetention(app.retention, now)
			return nil
		}); err != nil {
			return reminded, erased, err
		}
		switch did {
		case "REMINDED":
			reminded++
		case "ERASED":
			erased++
		}
	}
	return reminded, erased, nil
}

// Roster lists the experts the public roster shows: verified, consenting to it. No
// contact is in it.
func (app *Application) Roster(ctx context.Context, q RosterQuery) ([]Entry, error) {
	if q.First <= 0 || q.First > 101 {
		q.First = 50
	}
	if q.After != "" {
		if _, err := uuid.Parse(q.After); err != nil {
			return nil, ErrCursorGone
		}
		e, ok, err := app.reads.Get(ctx, q.After)
		if err != nil {
			return nil, err
		}
		if !ok || e.Status != string(expert.Verified) || !slices.Contains(e.Consents, expertevents.Roster) {
			return nil, ErrCursorGone
		}
	}
	entries, err := app.reads.Roster(ctx, q)
	for i := range entries {
		entries[i] = entries[i].Public()
	}
	return entries, err
}

// ExpertQuery asks for one expert.
type ExpertQuery struct {
	ExpertID string  `json:"expertId"`
	Request  Request `json:"-"`
}

// PendingQuery asks for the verification queue.
type PendingQuery struct {
	Request Request `json:"-"`
}

// Expert is one expert as the asker may see them: the expert themselves and
// coordinators or admins see everything; others see what the roster shows, if anything.
func (app *Application) Expert(ctx context.Context, q ExpertQuery) (Entry, bool, error) {
	id, req := q.ExpertID, q.Request
	if _, err := uuid.Parse(id); err != nil {
		return Entry{}, false, nil
	}
	e, ok, err := app.reads.Get(ctx, id)
	if err != nil || !ok {
		return Entry{}, false, err
	}
	a := req.Actor
	switch {
	case a.IsExpert(id) || a.IsAdmin() || a.Role == events.RoleCoordinator:
		return e, true, nil
	case e.Status == string(expert.Verified) && slices.Contains(e.Consents, expertevents.Roster):
		return e.Public(), true, nil
	}
	return Entry{}, false, nil
}

// PendingExperts lists the experts awaiting verification: coordinators and admins.
func (app *Application) PendingExperts(ctx context.Context, q PendingQuery) ([]Entry, error) {
	req := q.Request
	switch {
	case !req.Actor.IsAuthenticated():
		return nil, expert.ErrNeedsSignIn
	case !(req.Actor.IsAdmin() || req.Actor.Role == events.RoleCoordinator):
		return nil, expert.ErrModeratorsOnly
	}
	return app.reads.Pending(ctx, 100)
}
