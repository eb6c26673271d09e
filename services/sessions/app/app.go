// Package app holds the sessions service's use cases, one command handler each: cities,
// scheduling, registration and the waitlist policy.
package app

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"passerelle.dev/events"
	"passerelle.dev/events/sessionevents"
	"passerelle.dev/kernel/fault"
	"passerelle.dev/servicekit/command"
	"passerelle.dev/sessions/domain/city"
	"passerelle.dev/sessions/domain/session"
)

// Request is what every command carries about the request that sent it.
type Request = command.Request

// Commands is what the sessions service does for its callers. The Application
// implements it in process; package client implements it across processes.
type Commands interface {
	OpenCity(ctx context.Context, cmd OpenCity) (Result, error)
	AppointCoordinator(ctx context.Context, cmd AppointCoordinator) (Result, error)
	DismissCoordinator(ctx context.Context, cmd DismissCoordinator) (Result, error)
	ScheduleSession(ctx context.Context, cmd ScheduleSession) (Result, error)
	RescheduleSession(ctx context.Context, cmd RescheduleSession) (Result, error)
	ChangeSessionCapacity(ctx context.Context, cmd ChangeSessionCapacity) (Result, error)
	CancelSession(ctx context.Context, cmd CancelSession) (Result, error)
	RegisterForSession(ctx context.Context, cmd RegisterForSession) (Result, error)
	CancelSessionRegistration(ctx context.Context, cmd CancelSessionRegistration) (Result, error)
	CheckIn(ctx context.Context, cmd CheckIn) (Result, error)
	UndoCheckIn(ctx context.Context, cmd UndoCheckIn) (Result, error)
	ChangeWaitlistOffers(ctx context.Context, cmd ChangeWaitlistOffers) (Result, error)
	AcceptWaitlistOffer(ctx context.Context, cmd AcceptWaitlistOffer) (Result, error)
	DeclineWaitlistOffer(ctx context.Context, cmd DeclineWaitlistOffer) (Result, error)
	ScheduleSeries(ctx context.Context, cmd ScheduleSeries) (Result, error)
	MoveSeriesFrom(ctx context.Context, cmd MoveSeriesFrom) (Result, error)
	CancelSeriesFrom(ctx context.Context, cmd CancelSeriesFrom) (Result, error)
	RecordAttendance(ctx context.Context, cmd RecordAttendance) (Result, error)
	RecordSessionOutcome(ctx context.Context, cmd RecordSessionOutcome) (Result, error)
}

// Result is the outcome of a command.
type Result struct {
	// SessionID is the session the command was about (empty for cities).
	SessionID string `json:"sessionId,omitempty"`
	// City is the city the command was about (city commands only).
	City string `json:"city,omitempty"`
	// Coordinator is the coordinator appointed (AppointCoordinator only).
	Coordinator *Appointment `json:"coordinator,omitempty"`
	// Position is where the command's last event landed; zero when it changed nothing.
	Position events.Position `json:"position"`
	// Registration is where a registration landed (RegisterForSession only).
	Registration *Placement `json:"registration,omitempty"`
	// Series is what became of each date of a series (series commands only).
	Series *SeriesResult `json:"series,omitempty"`
	// Replayed is set when an earlier command with the same idempotency key did the work.
	Replayed bool `json:"replayed,omitempty"`
}

// Appointment is a coordinator's appointment, with the token they act with.
type Appointment struct {
	ID    string `json:"id"`
	Name  string `json:"name"`
	Token string `json:"token,omitempty"`
	// KeyWithheld, on a replay after the replay window, says why there is no token
	// (command.KeyWithheld).
	KeyWithheld string `json:"keyWithheld,omitempty"`
}

// Placement is where a registration landed.
type Placement struct {
	RegistrationID string `json:"registrationId"`
	// Status is CONFIRMED or WAITLISTED.
	Status string `json:"status"`
	// WaitlistPosition counts from 1; 0 when confirmed.
	WaitlistPosition int `json:"waitlistPosition,omitempty"`
}

// SessionRepository stores sessions as event streams.
type SessionRepository interface {
	// Add stores a newly scheduled session, booking its venue.
	Add(ctx context.Context, s *session.DialogueSession, md events.Metadata, key command.Key) (command.Outcome, error)
	// Update loads a session, lets change decide, and stores what it recorded. Changes
	// of one session are serialised: they apply in the order they arrive.
	Update(ctx context.Context, id string, md events.Metadata, key command.Key, change func(*session.DialogueSession) error) (*session.DialogueSession, command.Outcome, error)
	// LoadAt returns the session as it was at a stream version, and the payload of the
	// event that brought it there.
	LoadAt(ctx context.Context, id string, version int64) (*session.DialogueSession, any, error)
	// Replay returns the outcome recorded for an idempotency key.
	Replay(ctx context.Context, key command.Key) (command.Outcome, bool, error)
}

// CityRepository stores cities.
type CityRepository interface {
	// Get returns an open city; city.ErrNotFound if it is not open.
	Get(ctx context.Context, slug string) (*city.City, error)
	// Add stores a newly opened city; city.ErrAlreadyOpened if it is open already.
	Add(ctx context.Context, c *city.City, md events.Metadata, key command.Key) (command.Outcome, error)
	// Update loads a city, lets change decide, and stores what it recorded; changes of
	// one city apply one at a time.
	Update(ctx context.Context, slug string, md events.Metadata, key command.Key, change func(*city.City) error) (*city.City, command.Outcome, error)
	// EventAt returns the payload of the city's event at a stream version.
	EventAt(ctx context.Context, slug string, version int64) (any, error)
	// Replay returns the outcome recorded for an idempotency key.
	Replay(ctx context.Context, key command.Key) (command.Outcome, bool, error)
}

// Associations tells whether an association may register for sessions.
type Associations interface {
	// IsVerified reports whether the association is verified, as far as the directory's
	// events have told.
	IsVerified(ctx context.Context, associationID string) (bool, error)
}

// ErrNotVerified refuses a registration of an association that is not verified.
var ErrNotVerified = fault.Because(fault.Conflict, "ASSOCIATION_NOT_VERIFIED", "only verified associations register for sessions")

// TokenIssuer signs the tokens coordinators act with.
type TokenIssuer interface {
	Issue(actor events.Actor, ttl time.Duration) (string, error)
}

// Application is the sessions service's command side.
type Application struct {
	sessions     SessionRepository
	series       SeriesRepository
	cities       CityRepository
	associations Associations
	tokens       TokenIssuer
	tokenTTL     time.Duration
	replayWindow time.Duration
	now          func() time.Time
}

var _ Commands = (*Application)(nil)

// Deps are the Application's collaborators, all required.
type Deps struct {
	Sessions     SessionRepository
	Series       SeriesRepository
	Cities       CityRepository
	Associations Associations
	Tokens       TokenIssuer
}

// Config configures the Application. The zero value is the default.
type Config struct {
	// Now is the clock. Defaults to time.Now.
	Now func() time.Time
	// CoordinatorTokenTTL is how long a coordinator's token is valid. Defaults to 90
	// days; dismissing the coordinator ends it sooner.
	CoordinatorTokenTTL time.Duration
	// ReplayWindow is how long after its first answer a repeated appointment still
	// answers with the coordinator's token. Defaults to command.DefaultReplayWindow.
	ReplayWindow time.Duration
}

// Validate refuses what no default can stand for.
func (c Config) Validate() error {
	if c.CoordinatorTokenTTL < 0 {
		return fmt.Errorf("sessions: the coordinator token's lifetime is negative (%s)", c.CoordinatorTokenTTL)
	}
	if c.ReplayWindow < 0 {
		return fmt.Errorf("sessions: the replay window is negative (%s)", c.ReplayWindow)
	}
	return nil
}

// New wires the use cases.
func New(deps Deps, cfg Config) (*Application, error) {
	if deps.Sessions == nil || deps.Series == nil || deps.Cities == nil || deps.Associations == nil || deps.Tokens == nil {
		return nil, errors.New("sessions: Sessions, Series, Cities, Associations and Tokens are required")
	}
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.CoordinatorTokenTTL == 0 {
		cfg.CoordinatorTokenTTL = 90 * 24 * time.Hour
	}
	if cfg.ReplayWindow == 0 {
		cfg.ReplayWindow = command.DefaultReplayWindow
	}
	return &Application{sessions: deps.Sessions, series: deps.Series, cities: deps.Cities, associations: deps.Associations,
		tokens: deps.Tokens, tokenTTL: cfg.CoordinatorTokenTTL, replayWindow: cfg.ReplayWindow, now: cfg.Now}, nil
}

func cityOf(o command.Outcome) string {
	slug, _ := strings.CutPrefix(o.StreamID, sessionevents.CityStreamPrefix)
	return slug
}

// replayFirst returns the first result of a session command already done under key.
func (app *Application) replayFirst(ctx context.Context, key command.Key) (Result, bool, error) {
	if key.IsZero() {
		return Result{}, false, nil
	}
	o, ok, err := app.sessions.Replay(ctx, key)
	if err != nil || !ok {
		return Result{}, false, err
	}
	res, err := app.replay(ctx, o)
	return res, err == nil, err
}

// replay rebuilds the result of an earlier command from the session's stream as it
// stood right after that command.
func (app *Application) replay(ctx context.Context, o command.Outcome) (Result, error) {
	id, _ := sessionevents.SessionIDFromStream(o.StreamID)
	s, last, err := app.sessions.LoadAt(ctx, id, o.Version)
	if err != nil {
		return Result{}, err
	}
	res := Result{SessionID: id, Position: o.Position, Replayed: true}
	switch e := last.(type) {
	case sessionevents.RegistrationConfirmed:
		res.Registration = &Placement{RegistrationID: e.RegistrationID, Status: session.Confirmed.String()}
	case sessionevents.RegistrationWaitlisted:
		res.Registration = &Placement{RegistrationID: e.RegistrationID, Status: session.Waitlisted.String(), WaitlistPosition: s.WaitlistLength()}
	}
	return res, nil
}

// change runs a session command: replay it if its idempotency key was seen, else let
// the session decide and store what it recorded.
func (app *Application) change(ctx context.Context, name string, cmd any, id string, req Request, decide func(*session.DialogueSession) error) (*session.DialogueSession, Result, error) {
	key, err := req.Key(name, cmd)
	if err != nil {
		return nil, Result{}, err
	}
	if res, replayed, err := app.replayFirst(ctx, key); err != nil || replayed {
		return nil, res, err
	}
	s, o, err := app.sessions.Update(ctx, id, req.Metadata(), key, decide)
	if err != nil {
		return nil, Result{}, err
	}
	if o.Replayed {
		res, err := app.replay(ctx, o)
		return nil, res, err
	}
	return s, Result{SessionID: id, Position: o.Position}, nil
}

// Now is the application's clock, which the offer timer shares so that it finds due
// exactly the offers the session finds expired.
func (app *Application) Now() time.Time { return app.now() }
