package app

import (
	"context"
	"slices"
	"time"

	"github.com/google/uuid"

	"passerelle.dev/events"
	"passerelle.dev/events/expertevents"
	"passerelle.dev/experts/domain/expert"
	"passerelle.dev/experts/domain/institution"
	"passerelle.dev/experts/domain/matching"
	"passerelle.dev/experts/domain/request"
	"passerelle.dev/servicekit/command"
)

// Institutions stores institutions.
type Institutions interface {
	Add(ctx context.Context, i *institution.Institution, md events.Metadata, key command.Key) (command.Outcome, error)
	Update(ctx context.Context, id string, md events.Metadata, key command.Key, change func(*institution.Institution) error) (command.Outcome, error)
}

// Requests stores requests for expertise, with their matches.
type Requests interface {
	// Add stores the request draft makes from its institution, as it stands then.
	Add(ctx context.Context, id, institutionID string, md events.Metadata, key command.Key, draft func(request.Institution) (*request.Request, error)) (*request.Request, command.Outcome, error)
	// Update lets change decide on a request, rating experts with lookup in the same
	// transaction.
	Update(ctx context.Context, id string, md events.Metadata, key command.Key, change func(*request.Request, CandidateLookup) error) (*request.Request, command.Outcome, error)
}

// CandidateLookup rates experts for a request inside the transaction that changes it.
type CandidateLookup interface {
	// Candidate is the expert as the matching rates them for needs now; an unknown or
	// erased expert is expert.ErrNotFound.
	Candidate(expertID string, needs matching.Needs) (request.Candidate, error)
	// Present tells whether the expert still exists (was not erased).
	Present(expertID string) (bool, error)
}

// RequestReads are the service's clear reads of institutions, requests and matches.
type RequestReads interface {
	Institution(ctx context.Context, id string) (InstitutionEntry, bool, error)
	// Institutions lists institutions of a status (all when empty), oldest first.
	Institutions(ctx context.Context, status string, limit int) ([]InstitutionEntry, error)
	// Requests lists requests as q filters them, newest first; drafts only when
	// q.DraftsOf names their institution or q.AllDrafts is set.
	Requests(ctx context.Context, q RequestsQuery, drafts RequestDrafts) ([]RequestEntry, error)
	// Request returns one request with all its matches.
	Request(ctx context.Context, id string) (RequestEntry, bool, error)
	// Candidates returns the verified experts consenting to processing who share a
	// field with fields, but for those in exclude.
	Candidates(ctx context.Context, fields, exclude []string) (map[string]expertevents.Profile, error)
	// MatchesOf lists the requests an expert was proposed for, newest first.
	MatchesOf(ctx context.Context, expertID string) ([]RequestEntry, error)
	// Stats counts requests, matches and missions per country and field.
	Stats(ctx context.Context) ([]ExpertiseCount, error)
}

// InstitutionEntry is an institution as a read shows it.
type InstitutionEntry struct {
	ID           string                   `json:"id"`
	Status       string                   `json:"status"`
	Profile      expertevents.Institution `json:"profile"`
	Reason       string                   `json:"reason,omitempty"`
	RegisteredAt time.Time                `json:"registeredAt"`
}

// Public is what everyone sees of an institution: not its desk's mail, not why it was
// rejected.
func (e InstitutionEntry) Public() InstitutionEntry {
	e.Profile.Email, e.Reason = "", ""
	return e
}

// RequestEntry is a request for expertise as a read shows it.
type RequestEntry struct {
	ID              string             `json:"id"`
	InstitutionID   string             `json:"institutionId"`
	InstitutionName string             `json:"institutionName"`
	Status          string             `json:"status"`
	Terms           expertevents.Terms `json:"terms"`
	Reason          string             `json:"reason,omitempty"`
	CreatedAt       time.Time          `json:"createdAt"`
	OpenedAt        *time.Time         `json:"openedAt,omitempty"`
	Version         int64              `json:"version"`
	// Matches are those the asker may see.
	Matches []MatchEntry `json:"matches"`
	// Awaiting is how many proposals await the experts' answers.
	Awaiting int `json:"awaiting"`
	// Confirmed is how many experts are confirmed.
	Confirmed int `json:"confirmed"`
}

// MatchEntry is one expert proposed for a request.
type MatchEntry struct {
	ExpertID   string    `json:"expertId"`
	Status     string    `json:"status"`
	Score      int       `json:"score"`
	DeclinedBy string    `json:"declinedBy,omitempty"`
	ProposedAt time.Time `json:"proposedAt"`
	UpdatedAt  time.Time `json:"updatedAt"`
	// Expert is the expert as the asker may see them; nil once erased.
	Expert *Entry `json:"expert,omitempty"`
}

// RequestsQuery filters the requests; empty fields do not filter.
type RequestsQuery struct {
	Status  string `json:"status,omitempty"`
	Country string `json:"country,omitempty"`
	Field   string `json:"field,omitempty"`
	// InstitutionID keeps one institution's requests.
	InstitutionID string `json:"institutionId,omitempty"`
	// After is the cursor of the last request of the page before.
	After *RequestCursor `json:"after,omitempty"`
	First int            `json:"first,omitempty"`
	// Request is not sent as JSON: it travels in the headers.
	Request Request `json:"-"`
}

// RequestCursor points after a request in the newest-first order.
type RequestCursor struct {
	CreatedAt time.Time `json:"createdAt"`
	ID        string    `json:"id"`
}

// RequestDrafts says which drafts a listing may show.
type RequestDrafts struct {
	All bool
	Of  string
}

// ExpertiseCount is a country's and a field's requests (published), matches
// (proposed) and missions (confirmed).
type ExpertiseCount struct {
	Country  string `json:"country"`
	Field    string `json:"field"`
	Requests int    `json:"requests"`
	Matches  int    `json:"matches"`
	Missions int    `json:"missions"`
}

// Candidate is an expert the matching ranks for a request, with its reasons.
type Candidate struct {
	Expert  Entry             `json:"expert"`
	Score   int               `json:"score"`
	Reasons []matching.Reason `json:"reasons"`
}

// RegisterInstitution registers an institution: anyone may, and then awaits an admin.
type RegisterInstitution struct {
	Institution expertevents.Institution `json:"institution"`
	Request     Request                  `json:"-"`
}

// RegisterInstitution handles RegisterInstitution. The answer carries the institution's
// token, once: never on a replay.
func (app *Application) RegisterInstitution(ctx context.Context, cmd RegisterInstitution) (Result, error) {
	key, err := cmd.Request.Key("RegisterInstitution", cmd)
	if err != nil {
		return Result{}, err
	}
	if o, ok, err := app.experts.Replay(ctx, key); err != nil || ok {
		id, _ := expertevents.InstitutionIDFromStream(o.StreamID)
		return Result{InstitutionID: id, Position: o.Position, Replayed: ok}, err
	}
	id := uuid.Must(uuid.NewV7()).String()
	i, err := institution.Register(id, cmd.Institution, app.now())
	if err != nil {
		return Result{}, err
	}
	o, err := app.institutions.Add(ctx, i, cmd.Request.Metadata(), key)
	if err != nil || o.Replayed {
		return Result{InstitutionID: id, Position: o.Position, Replayed: o.Replayed}, err
	}
	token, err := app.tokens.Issue(events.Actor{Role: events.RoleInstitution, Subject: id}, app.tokenTTL)
	if err != nil {
		return Result{}, err
	}
	return Result{InstitutionID: id, Position: o.Position, Token: token}, nil
}

func (app *Application) changeInstitution(ctx context.Context, name string, cmd any, id string, req Request, decide func(*institution.Institution, time.Time) error) (Result, error) {
	return app.once(ctx, name, cmd, req, Result{InstitutionID: id}, func(key command.Key, now time.Time) (command.Outcome, error) {
		return app.institutions.Update(ctx, id, req.Metadata(), key, func(i *institution.Institution) error { return decide(i, now) })
	})
}

// VerifyInstitution accepts a pending institution: admins.
type VerifyInstitution struct {
	InstitutionID string  `json:"institutionId"`
	Request       Request `json:"-"`
}

// VerifyInstitution handles VerifyInstitution.
func (app *Application) VerifyInstitution(ctx context.Context, cmd VerifyInstitution) (Result, error) {
	return app.changeInstitution(ctx, "VerifyInstitution", cmd, cmd.InstitutionID, cmd.Request, func(i *institution.Institution, now time.Time) error {
		return i.Verify(cmd.Request.Actor, now)
	})
}

// RejectInstitution refuses a pending institution, saying why: admins.
type RejectInstitution struct {
	InstitutionID string  `json:"institutionId"`
	Reason        string  `json:"reason"`
	Request       Request `json:"-"`
}

// RejectInstitution handles RejectInstitution.
func (app *Application) RejectInstitution(ctx context.Context, cmd RejectInstitution) (Result, error) {
	return app.changeInstitution(ctx, "RejectInstitution", cmd, cmd.InstitutionID, cmd.Request, func(i *institution.Institution, now time.Time) error {
		return i.Reject(cmd.Request.Actor, cmd.Reason, now)
	})
}

// DraftRequest writes a new request for expertise: the institution's token, once it
// is verified.
type DraftRequest struct {
	Terms   expertevents.Terms `json:"terms"`
	Request Request            `json:"-"`
}

// DraftRequest handles DraftRequest.
func (app *Application) DraftRequest(ctx context.Context, cmd DraftRequest) (Result, error) {
	key, err := cmd.Request.Key("DraftRequest", cmd)
	if err != nil {
		return Result{}, err
	}
	if o, ok, err := app.experts.Replay(ctx, key); err != nil || ok {
		id, _ := expertevents.RequestIDFromStream(o.StreamID)
		return Result{RequestID: id, Position: o.Position, Replayed: ok}, err
	}
	by := cmd.Request.Actor
	if !by.IsAuthenticated() {
		return Result{}, request.ErrNeedsSignIn
	}
	if by.Role != events.RoleInstitution {
		return Result{}, request.ErrInstitutionOnly
	}
	id, now := uuid.Must(uuid.NewV7()).String(), app.now()
	_, o, err := app.requests.Add(ctx, id, by.Subject, cmd.Request.Metadata(), key, func(inst request.Institution) (*request.Request, error) {
		return request.New(by, id, inst, cmd.Terms, now)
	})
	if err != nil {
		return Result{}, err
	}
	if o.Replayed {
		id, _ = expertevents.RequestIDFromStream(o.StreamID)
	}
	return Result{RequestID: id, Position: o.Position, Replayed: o.Replayed}, nil
}

func (app *Application) changeRequest(ctx context.Context, name string, cmd any, id string, req Request, decide func(*request.Request, CandidateLookup, time.Time) error) (Result, error) {
	return app.once(ctx, name, cmd, req, Result{RequestID: id}, func(key command.Key, now time.Time) (command.Outcome, error) {
		_, o, err := app.requests.Update(ctx, id, req.Metadata(), key, func(r *request.Request, l CandidateLookup) error { return decide(r, l, now) })
		return o, err
	})
}

// ReviseRequest replaces a draft's terms: the institution.
type ReviseRequest struct {
	RequestID string             `json:"requestId"`
	Terms     expertevents.Terms `json:"terms"`
	Request   Request            `json:"-"`
}

// ReviseRequest handles ReviseRequest.
func (app *Application) ReviseRequest(ctx context.Context, cmd ReviseRequest) (Result, error) {
	return app.changeRequest(ctx, "ReviseRequest", cmd, cmd.RequestID, cmd.Request, func(r *request.Request, _ CandidateLookup, now time.Time) error {
		return r.Revise(cmd.Request.Actor, cmd.Terms, now)
	})
}

// RequestCommand is a command on a request that carries nothing else: open, close.
type RequestCommand struct {
	RequestID string  `json:"requestId"`
	Request   Request `json:"-"`
}

// OpenRequest publishes a draft: the institution.
func (app *Application) OpenRequest(ctx context.Context, cmd RequestCommand) (Result, error) {
	return app.changeRequest(ctx, "OpenRequest", cmd, cmd.RequestID, cmd.Request, func(r *request.Request, _ CandidateLookup, now time.Time) error {
		return r.Open(cmd.Request.Actor, now)
	})
}

// CloseRequest ends a matched request once the mission took place: the institution or
// an admin.
func (app *Application) CloseRequest(ctx context.Context, cmd RequestCommand) (Result, error) {
	return app.changeRequest(ctx, "CloseRequest", cmd, cmd.RequestID, cmd.Request, func(r *request.Request, _ CandidateLookup, now time.Time) error {
		return r.Close(cmd.Request.Actor, now)
	})
}

// CancelRequest withdraws a request, saying why: the institution or an admin.
type CancelRequest struct {
	RequestID string  `json:"requestId"`
	Reason    string  `json:"reason"`
	Request   Request `json:"-"`
}

// CancelRequest handles CancelRequest.
func (app *Application) CancelRequest(ctx context.Context, cmd CancelRequest) (Result, error) {
	return app.changeRequest(ctx, "CancelRequest", cmd, cmd.RequestID, cmd.Request, func(r *request.Request, _ CandidateLookup, now time.Time) error {
		return r.Cancel(cmd.Request.Actor, cmd.Reason, now)
	})
}

// MatchCommand is a command about one expert's match on a request.
type MatchCommand struct {
	RequestID string  `json:"requestId"`
	ExpertID  string  `json:"expertId"`
	Request   Request `json:"-"`
}

// ProposeMatch puts an expert forward for a request: coordinators and admins. The
// expert is rated in the transaction that records the proposal, so a proposal never
// goes to an expert who was erased, lost their verification or their consent meanwhile.
func (app *Application) ProposeMatch(ctx context.Context, cmd MatchCommand) (Result, error) {
	return app.changeRequest(ctx, "ProposeMatch", cmd, cmd.RequestID, cmd.Request, func(r *request.Request, l CandidateLookup, now time.Time) error {
		by := cmd.Request.Actor
		if !by.IsAdmin() && by.Role != events.RoleCoordinator {
			return r.Propose(by, request.Candidate{}, now) // says who may
		}
		c, err := l.Candidate(cmd.ExpertID, r.Needs())
		if err != nil {
			return err
		}
		return r.Propose(by, c, now)
	})
}

// AcceptMatch says yes to a proposal: the expert (their token names them).
func (app *Application) AcceptMatch(ctx context.Context, cmd MatchCommand) (Result, error) {
	return app.changeRequest(ctx, "AcceptMatch", cmd, cmd.RequestID, cmd.Request, func(r *request.Request, l CandidateLookup, now time.Time) error {
		by := cmd.Request.Actor
		if by.Role == events.RoleExpert {
			if ok, err := l.Present(by.Subject); err != nil || !ok {
				if err == nil {
					err = expert.ErrErased
				}
				return err
			}
		}
		return r.Accept(by, now)
	})
}

// DeclineMatch says no: the expert, or the institution to an expert who accepted.
func (app *Application) DeclineMatch(ctx context.Context, cmd MatchCommand) (Result, error) {
	return app.changeRequest(ctx, "DeclineMatch", cmd, cmd.RequestID, cmd.Request, func(r *request.Request, _ CandidateLookup, now time.Time) error {
		return r.Decline(cmd.Request.Actor, cmd.ExpertID, now)
	})
}

// ConfirmMatch takes an accepted expert on: the institution.
func (app *Application) ConfirmMatch(ctx context.Context, cmd MatchCommand) (Result, error) {
	return app.changeRequest(ctx, "ConfirmMatch", cmd, cmd.RequestID, cmd.Request, func(r *request.Request, l CandidateLookup, now time.Time) error {
		if ok, err := l.Present(cmd.ExpertID); err != nil || !ok {
			if err == nil && r.InstitutionID() == cmd.Request.Actor.Subject {
				err = expert.ErrErased
			}
			if err != nil {
				return err
			}
		}
		return r.Confirm(cmd.Request.Actor, cmd.ExpertID, now)
	})
}

// InstitutionQuery asks for one institution.
type InstitutionQuery struct {
	InstitutionID string  `json:"institutionId"`
	Request       Request `json:"-"`
}

// Institution is an institution as the asker may see it: all of it for admins and the
// institution itself; what is public for the others, once it is verified.
func (app *Application) Institution(ctx context.Context, q InstitutionQuery) (InstitutionEntry, bool, error) {
	if _, err := uuid.Parse(q.InstitutionID); err != nil {
		return InstitutionEntry{}, false, nil
	}
	e, ok, err := app.requestReads.Institution(ctx, q.InstitutionID)
	if err != nil || !ok {
		return InstitutionEntry{}, false, err
	}
	a := q.Request.Actor
	switch {
	case a.IsAdmin() || a.IsInstitution(e.ID):
		return e, true, nil
	case e.Status == string(institution.Verified):
		return e.Public(), true, nil
	}
	return InstitutionEntry{}, false, nil
}

// InstitutionsQuery lists institutions: admins.
type InstitutionsQuery struct {
	Status  string  `json:"status,omitempty"`
	Request Request `json:"-"`
}

// Institutions lists institutions for admins.
func (app *Application) Institutions(ctx context.Context, q InstitutionsQuery) ([]InstitutionEntry, error) {
	switch {
	case !q.Request.Actor.IsAuthenticated():
		return nil, institution.ErrNeedsSignIn
	case !q.Request.Actor.IsAdmin():
		return nil, institution.ErrAdminsOnly
	}
	return app.requestReads.Institutions(ctx, q.Status, 200)
}

// Requests lists requests for expertise: published ones for everyone; drafts for
// their institution and admins. No match is in a listing.
func (app *Application) Requests(ctx context.Context, q RequestsQuery) ([]RequestEntry, error) {
	if q.First <= 0 || q.First > 101 {
		q.First = 21
	}
	a := q.Request.Actor
	drafts := RequestDrafts{All: a.IsAdmin()}
	if a.Role == events.RoleInstitution {
		drafts.Of = a.Subject
	}
	entries, err := app.requestReads.Requests(ctx, q, drafts)
	for i := range entries {
		entries[i].Matches = nil
	}
	return entries, err
}

// RequestQuery asks for one request.
type RequestQuery struct {
	RequestID string  `json:"requestId"`
	Request   Request `json:"-"`
}

// Request is one request as the asker may see it, with the matches they may see:
// coordinators and admins all of them; the institution those whose expert accepted
// (with the expert's contact while they consent to it); an expert their own.
func (app *Application) Request(ctx context.Context, q RequestQuery) (RequestEntry, bool, error) {
	if _, err := uuid.Parse(q.RequestID); err != nil {
		return RequestEntry{}, false, nil
	}
	e, ok, err := app.requestReads.Request(ctx, q.RequestID)
	if err != nil || !ok {
		return RequestEntry{}, false, err
	}
	a := q.Request.Actor
	owner := a.IsInstitution(e.InstitutionID)
	if e.Status == string(request.Draft) && !owner && !a.IsAdmin() {
		return RequestEntry{}, false, nil
	}
	moderator := a.IsAdmin() || a.Role == events.RoleCoordinator
	var shown []MatchEntry
	for _, m := range e.Matches {
		switch {
		case moderator:
		case owner && (m.Status == string(request.Accepted) || m.Status == string(request.Confirmed) || m.DeclinedBy == expertevents.DeclinedByInstitution):
		case a.IsExpert(m.ExpertID):
		default:
			continue
		}
		x, found, err := app.reads.Get(ctx, m.ExpertID)
		if err != nil {
			return RequestEntry{}, false, err
		}
		if found {
			switch {
			case moderator || a.IsExpert(m.ExpertID):
			case owner && m.Status != string(request.Declined) && slices.Contains(x.Consents, expertevents.Contact):
				x.Consents = nil // the contact, as consented; not the other consents
			default:
				x = x.Public()
				x.Consents = nil
			}
			m.Expert = &x
		}
		shown = append(shown, m)
	}
	e.Matches = shown
	return e, true, nil
}

// CandidatesQuery asks for the ranked candidates of a request.
type CandidatesQuery struct {
	RequestID string  `json:"requestId"`
	First     int     `json:"first,omitempty"`
	Request   Request `json:"-"`
}

// Candidates ranks the experts for an open request, best first, with the reasons of
// each rank: coordinators and admins. Experts already proposed are left out.
func (app *Application) Candidates(ctx context.Context, q CandidatesQuery) ([]Candidate, error) {
	a := q.Request.Actor
	switch {
	case !a.IsAuthenticated():
		return nil, request.ErrNeedsSignIn
	case !a.IsAdmin() && a.Role != events.RoleCoordinator:
		return nil, request.ErrModeratorsOnly
	}
	if q.First <= 0 || q.First > 50 {
		q.First = 20
	}
	if _, err := uuid.Parse(q.RequestID); err != nil {
		return nil, request.ErrNotFound
	}
	e, ok, err := app.requestReads.Request(ctx, q.RequestID)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, request.ErrNotFound
	}
	if e.Status != string(request.Open) {
		return nil, request.ErrNotOpen
	}
	var exclude []string
	for _, m := range e.Matches {
		exclude = append(exclude, m.ExpertID)
	}
	profiles, err := app.requestReads.Candidates(ctx, e.Terms.Fields, exclude)
	if err != nil {
		return nil, err
	}
	ranked := matching.Rank(profiles, matching.NeedsOf(e.Terms))
	if len(ranked) > q.First {
		ranked = ranked[:q.First]
	}
	out := make([]Candidate, len(ranked))
	for i, m := range ranked {
		out[i] = Candidate{Expert: Entry{ID: m.ExpertID, Status: string(expert.Verified), Profile: profiles[m.ExpertID]}, Score: m.Score, Reasons: m.Reasons}
	}
	return out, nil
}

// ExpertMatchesQuery asks for the requests an expert was proposed for.
type ExpertMatchesQuery struct {
	ExpertID string  `json:"expertId"`
	Request  Request `json:"-"`
}

// ExpertMatches lists the requests an expert was proposed for, each with the expert's
// match only: the expert themselves, coordinators and admins.
func (app *Application) ExpertMatches(ctx context.Context, q ExpertMatchesQuery) ([]RequestEntry, error) {
	a := q.Request.Actor
	if !a.IsExpert(q.ExpertID) && !a.IsAdmin() && a.Role != events.RoleCoordinator {
		return []RequestEntry{}, nil
	}
	return app.requestReads.MatchesOf(ctx, q.ExpertID)
}

// ExpertiseStats counts requests, matches and missions per country and field.
func (app *Application) ExpertiseStats(ctx context.Context) ([]ExpertiseCount, error) {
	return app.requestReads.Stats(ctx)
}
