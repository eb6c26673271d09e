package adapters

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"passerelle.dev/events"
	"passerelle.dev/events/eventstore"
	"passerelle.dev/events/expertevents"
	"passerelle.dev/experts/app"
	"passerelle.dev/experts/domain/expert"
	"passerelle.dev/experts/domain/institution"
	"passerelle.dev/experts/domain/matching"
	"passerelle.dev/experts/domain/request"
	"passerelle.dev/servicekit/command"
	"passerelle.dev/servicekit/streams"
)

// Schema is the experts service's PostgreSQL schema.
const Schema = "experts"

// Institutions stores institutions, and their clear read in experts.institutions.
type Institutions struct {
	store *streams.Store[*institution.Institution]
}

var _ app.Institutions = (*Institutions)(nil)

// NewInstitutions returns the repository; registry must know the experts events.
func NewInstitutions(store *eventstore.Store, registry *events.Registry) *Institutions {
	return &Institutions{store: streams.NewStore(store, registry, Schema, institution.FromHistory)}
}

// Add implements app.Institutions.
func (r *Institutions) Add(ctx context.Context, i *institution.Institution, md events.Metadata, key command.Key) (command.Outcome, error) {
	return r.store.Add(ctx, expertevents.InstitutionStreamID(i.ID()), i, md, key, func(tx pgx.Tx) error {
		return writeInstitution(ctx, tx, i)
	})
}

// Update implements app.Institutions.
func (r *Institutions) Update(ctx context.Context, id string, md events.Metadata, key command.Key, change func(*institution.Institution) error) (command.Outcome, error) {
	if _, err := uuid.Parse(id); err != nil {
		return command.Outcome{}, institution.ErrNotFound
	}
	_, o, err := r.store.Update(ctx, expertevents.InstitutionStreamID(id), md, key, func(tx pgx.Tx, i *institution.Institution) error {
		if err := change(i); err != nil {
			return err
		}
		return writeInstitution(ctx, tx, i)
	})
	return o, err
}

func writeInstitution(ctx context.Context, tx pgx.Tx, i *institution.Institution) error {
	var reason string
	for _, ev := range i.PendingEvents() {
		if e, ok := ev.(expertevents.InstitutionRejected); ok {
			reason = e.Reason
		}
	}
	_, err := tx.Exec(ctx, `INSERT INTO experts.institutions (institution_id, status, profile, reason, registered_at, updated_at)
		VALUES ($1, $2, $3, $4, now(), now())
		ON CONFLICT (institution_id) DO UPDATE SET status = excluded.status, profile = excluded.profile,
			reason = CASE WHEN excluded.reason <> '' THEN excluded.reason ELSE experts.institutions.reason END, updated_at = now()`,
		i.ID(), string(i.Status()), i.Profile(), reason)
	if err != nil {
		return fmt.Errorf("the read of institution %s: %w", i.ID(), err)
	}
	return nil
}

// Requests stores requests for expertise with their matches, and their clear read in
// experts.requests and experts.matches.
type Requests struct {
	store        *streams.Store[*request.Request]
	institutions *streams.Store[*institution.Institution]
}

var _ app.Requests = (*Requests)(nil)

// NewRequests returns the repository; registry must know the experts events.
func NewRequests(store *eventstore.Store, registry *events.Registry) *Requests {
	return &Requests{store: streams.NewStore(store, registry, Schema, request.FromHistory),
		institutions: streams.NewStore(store, registry, Schema, institution.FromHistory)}
}

// Add implements app.Requests: draft makes the request from its institution, read under
// a shared lock so that it cannot change until the request is stored.
func (r *Requests) Add(ctx context.Context, id, institutionID string, md events.Metadata, key command.Key, draft func(request.Institution) (*request.Request, error)) (*request.Request, command.Outcome, error) {
	if _, err := uuid.Parse(institutionID); err != nil {
		return nil, command.Outcome{}, institution.ErrNotFound
	}
	return r.store.Create(ctx, expertevents.RequestStreamID(id), md, key, func(tx pgx.Tx) (*request.Request, error) {
		stream := expertevents.InstitutionStreamID(institutionID)
		if err := streams.Lock(ctx, tx, stream, true); err != nil {
			return nil, err
		}
		i, err := r.institutions.Read(ctx, tx, stream)
		if err != nil {
			return nil, err
		}
		req, err := draft(request.Institution{ID: i.ID(), Verified: i.Status() == institution.Verified})
		if err != nil {
			return nil, err
		}
		return req, writeRequest(ctx, tx, req)
	})
}

// Update implements app.Requests: change may rate experts (for a proposal) in the same
// transaction, with the lookup it is given.
func (r *Requests) Update(ctx context.Context, id string, md events.Metadata, key command.Key, change func(*request.Request, app.CandidateLookup) error) (*request.Request, command.Outcome, error) {
	if _, err := uuid.Parse(id); err != nil {
		return nil, command.Outcome{}, request.ErrNotFound
	}
	return r.store.Update(ctx, expertevents.RequestStreamID(id), md, key, func(tx pgx.Tx, req *request.Request) error {
		if err := change(req, txLookup{ctx: ctx, tx: tx}); err != nil {
			return err
		}
		return writeRequest(ctx, tx, req)
	})
}

// Read returns a request as its events tell it.
func (r *Requests) Read(ctx context.Context, id string) (*request.Request, error) {
	if _, err := uuid.Parse(id); err != nil {
		return nil, request.ErrNotFound
	}
	return r.store.Read(ctx, nil, expertevents.RequestStreamID(id))
}

// txLookup rates experts inside a command's transaction. An expert's row is read FOR
// SHARE: an erasure (which deletes it) waits for the command, or has already happened
// and the expert is not a candidate.
type txLookup struct {
	ctx context.Context
	tx  pgx.Tx
}

// Candidate implements app.CandidateLookup.
func (l txLookup) Candidate(expertID string, needs matching.Needs) (request.Candidate, error) {
	c := request.Candidate{ExpertID: expertID}
	if _, err := uuid.Parse(expertID); err != nil {
		return c, expert.ErrNotFound
	}
	var (
		status   string
		consents []string
		p        expertevents.Profile
	)
	err := l.tx.QueryRow(l.ctx, `SELECT status, consents, profile FROM experts.profiles WHERE expert_id = $1 FOR SHARE`, expertID).
		Scan(&status, &consents, &p)
	if errors.Is(err, pgx.ErrNoRows) {
		return c, expert.ErrNotFound
	}
	if err != nil {
		return c, fmt.Errorf("expert %s: %w", expertID, err)
	}
	if status != string(expert.Verified) || !slices.Contains(consents, expertevents.Processing) {
		return c, nil
	}
	m, ok := matching.Score(expertID, p, needs)
	c.Eligible, c.Score = ok, m.Score
	return c, nil
}

// Present implements app.CandidateLookup.
func (l txLookup) Present(expertID string) (bool, error) {
	var one int
	err := l.tx.QueryRow(l.ctx, `SELECT 1 FROM experts.profiles WHERE expert_id = $1 FOR SHARE`, expertID).Scan(&one)
	if errors.Is(err, pgx.ErrNoRows) {
		return false, nil
	}
	return err == nil, err
}

func writeRequest(ctx context.Context, tx pgx.Tx, r *request.Request) error {
	t := r.Terms()
	var opened any
	if at := r.OpenedAt(); !at.IsZero() {
		opened = at
	}
	_, err := tx.Exec(ctx, `INSERT INTO experts.requests (request_id, institution_id, status, terms, country, fields, reason, created_at, opened_at, version, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, now())
		ON CONFLICT (request_id) DO UPDATE SET status = excluded.status, terms = excluded.terms, country = excluded.country,
			fields = excluded.fields, reason = excluded.reason, opened_at = excluded.opened_at, version = excluded.version, updated_at = now()`,
		r.ID(), r.InstitutionID(), string(r.Status()), t, t.Country, t.Fields, r.CancellationReason(), r.CreatedAt(), opened,
		r.Version()+int64(len(r.PendingEvents())))
	if err != nil {
		return fmt.Errorf("the read of request %s: %w", r.ID(), err)
	}
	for _, m := range r.Matches() {
		if _, err := tx.Exec(ctx, `INSERT INTO experts.matches (request_id, expert_id, status, score, declined_by, proposed_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7)
			ON CONFLICT (request_id, expert_id) DO UPDATE SET status = excluded.status, declined_by = excluded.declined_by, updated_at = excluded.updated_at`,
			r.ID(), m.ExpertID, string(m.Status), m.Score, m.DeclinedBy, m.ProposedAt, m.UpdatedAt); err != nil {
			return fmt.Errorf("the read of a match of request %s: %w", r.ID(), err)
		}
	}
	return nil
}
