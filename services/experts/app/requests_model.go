package app

import (
	"context"
	"time"

	"passerelle.dev/events"
	"passerelle.dev/events/expertevents"
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

func (app *Application) changeInstitution(ctx context.Context, name string, cmd any, id string, req Request, decide func(*institution.Institution, time.Time) error) (Result, error) {
	return app.once(ctx, name, cmd, req, Result{InstitutionID: id}, func(key command.Key, now time.Time) (command.Outcome, error) {
		return app.institutions.Update(ctx, id, req.Metadata(), key, func(i *institution.Institution) error { return decide(i, now) })
	})
}

func (app *Application) changeRequest(ctx context.Context, name string, cmd any, id string, req Request, decide func(*request.Request, CandidateLookup, time.Time) error) (Result, error) {
	return app.once(ctx, name, cmd, req, Result{RequestID: id}, func(key command.Key, now time.Time) (command.Outcome, error) {
		_, o, err := app.requests.Update(ctx, id, req.Metadata(), key, func(r *request.Request, l CandidateLookup) error { return decide(r, l, now) })
		return o, err
	})
}
