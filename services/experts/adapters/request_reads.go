package adapters

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"passerelle.dev/events/expertevents"
	"passerelle.dev/experts/app"
)

var _ app.RequestReads = Reads{}

// Institution implements app.RequestReads.
func (r Reads) Institution(ctx context.Context, id string) (app.InstitutionEntry, bool, error) {
	out, err := r.institutions(ctx, `WHERE institution_id = $1`, id)
	if err != nil || len(out) == 0 {
		return app.InstitutionEntry{}, false, err
	}
	return out[0], true, nil
}

// Institutions implements app.RequestReads.
func (r Reads) Institutions(ctx context.Context, status string, limit int) ([]app.InstitutionEntry, error) {
	return r.institutions(ctx, `WHERE $1 = '' OR status = $1 ORDER BY registered_at, institution_id LIMIT $2`, status, limit)
}

func (r Reads) institutions(ctx context.Context, where string, args ...any) ([]app.InstitutionEntry, error) {
	rows, err := r.pool.Query(ctx, `SELECT institution_id::text, status, profile, reason, registered_at FROM experts.institutions `+where, args...)
	if err != nil {
		return nil, fmt.Errorf("institutions: %w", err)
	}
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (app.InstitutionEntry, error) {
		var e app.InstitutionEntry
		err := row.Scan(&e.ID, &e.Status, &e.Profile, &e.Reason, &e.RegisteredAt)
		return e, err
	})
}

const requestColumns = `r.request_id::text, r.institution_id::text, i.profile->>'name', r.status, r.terms, r.reason, r.created_at, r.opened_at, r.version,
	(SELECT count(*) FROM experts.matches m WHERE m.request_id = r.request_id AND m.status = 'PROPOSED'),
	(SELECT count(*) FROM experts.matches m WHERE m.request_id = r.request_id AND m.status = 'CONFIRMED')`

func scanRequest(row pgx.CollectableRow) (app.RequestEntry, error) {
	var e app.RequestEntry
	err := row.Scan(&e.ID, &e.InstitutionID, &e.InstitutionName, &e.Status, &e.Terms, &e.Reason, &e.CreatedAt, &e.OpenedAt, &e.Version, &e.Awaiting, &e.Confirmed)
	return e, err
}

// Requests implements app.RequestReads.
func (r Reads) Requests(ctx context.Context, q app.RequestsQuery, drafts app.RequestDrafts) ([]app.RequestEntry, error) {
	afterAt, afterID := time.Time{}, ""
	if q.After != nil {
		afterAt, afterID = q.After.CreatedAt, q.After.ID
	}
	rows, err := r.pool.Query(ctx, `SELECT `+requestColumns+`
		FROM experts.requests r JOIN experts.institutions i USING (institution_id)
		WHERE (r.status <> 'DRAFT' OR $1 OR r.institution_id::text = $2)
		  AND ($3 = '' OR r.status = $3) AND ($4 = '' OR r.country = $4) AND ($5 = '' OR $5 = ANY (r.fields))
		  AND ($6 = '' OR r.institution_id::text = $6)
		  AND ($7 = '' OR (r.created_at, r.request_id) < ($8, $7::uuid))
		ORDER BY r.created_at DESC, r.request_id DESC LIMIT $9`,
		drafts.All, drafts.Of, q.Status, q.Country, q.Field, q.InstitutionID, afterID, afterAt, q.First)
	if err != nil {
		return nil, fmt.Errorf("requests: %w", err)
	}
	return pgx.CollectRows(rows, scanRequest)
}

// Request implements app.RequestReads.
func (r Reads) Request(ctx context.Context, id string) (app.RequestEntry, bool, error) {
	rows, err := r.pool.Query(ctx, `SELECT `+requestColumns+` FROM experts.requests r JOIN experts.institutions i USING (institution_id)
		WHERE r.request_id = $1`, id)
	if err != nil {
		return app.RequestEntry{}, false, fmt.Errorf("request %s: %w", id, err)
	}
	out, err := pgx.CollectRows(rows, scanRequest)
	if err != nil || len(out) == 0 {
		return app.RequestEntry{}, false, err
	}
	e := out[0]
	if e.Matches, err = r.matches(ctx, `WHERE request_id = $1 ORDER BY proposed_at, expert_id`, id); err != nil {
		return app.RequestEntry{}, false, err
	}
	return e, true, nil
}

func (r Reads) matches(ctx context.Context, where string, args ...any) ([]app.MatchEntry, error) {
	rows, err := r.pool.Query(ctx, `SELECT request_id::text, expert_id::text, status, score, declined_by, proposed_at, updated_at FROM experts.matches `+where, args...)
	if err != nil {
		return nil, fmt.Errorf("matches: %w", err)
	}
	var requestID string
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (app.MatchEntry, error) {
		var m app.MatchEntry
		err := row.Scan(&requestID, &m.ExpertID, &m.Status, &m.Score, &m.DeclinedBy, &m.ProposedAt, &m.UpdatedAt)
		return m, err
	})
}

// Candidates implements app.RequestReads.
func (r Reads) Candidates(ctx context.Context, fields, exclude []string) (map[string]expertevents.Profile, error) {
	if exclude == nil {
		exclude = []string{}
	}
	rows, err := r.pool.Query(ctx, `SELECT expert_id::text, profile FROM experts.profiles
		WHERE status = 'VERIFIED' AND 'PROCESSING' = ANY (consents) AND profile->'fields' ?| $1
		  AND NOT expert_id = ANY ($2::uuid[])`, fields, exclude)
	if err != nil {
		return nil, fmt.Errorf("candidates: %w", err)
	}
	out := map[string]expertevents.Profile{}
	var (
		id string
		p  expertevents.Profile
	)
	_, err = pgx.ForEachRow(rows, []any{&id, &p}, func() error {
		out[id] = p
		p = expertevents.Profile{}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("candidates: %w", err)
	}
	return out, nil
}

// MatchesOf implements app.RequestReads.
func (r Reads) MatchesOf(ctx context.Context, expertID string) ([]app.RequestEntry, error) {
	rows, err := r.pool.Query(ctx, `SELECT `+requestColumns+`, m.status, m.score, m.declined_by, m.proposed_at, m.updated_at
		FROM experts.matches m JOIN experts.requests r USING (request_id) JOIN experts.institutions i ON i.institution_id = r.institution_id
		WHERE m.expert_id = $1 ORDER BY m.proposed_at DESC, r.request_id LIMIT 200`, expertID)
	if err != nil {
		return nil, fmt.Errorf("matches of %s: %w", expertID, err)
	}
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (app.RequestEntry, error) {
		var (
			e app.RequestEntry
			m = app.MatchEntry{ExpertID: expertID}
		)
		err := row.Scan(&e.ID, &e.InstitutionID, &e.InstitutionName, &e.Status, &e.Terms, &e.Reason, &e.CreatedAt, &e.OpenedAt, &e.Version, &e.Awaiting, &e.Confirmed,
			&m.Status, &m.Score, &m.DeclinedBy, &m.ProposedAt, &m.UpdatedAt)
		e.Matches = []app.MatchEntry{m}
		return e, err
	})
}

// Stats implements app.RequestReads: a request counts once for each field it asks.
func (r Reads) Stats(ctx context.Context) ([]app.ExpertiseCount, error) {
	rows, err := r.pool.Query(ctx, `SELECT r.country, f.field, count(DISTINCT r.request_id),
			count(m.expert_id), count(m.expert_id) FILTER (WHERE m.status = 'CONFIRMED')
		FROM experts.requests r CROSS JOIN LATERAL unnest(r.fields) AS f(field)
		LEFT JOIN experts.matches m ON m.request_id = r.request_id
		WHERE r.status <> 'DRAFT'
		GROUP BY r.country, f.field ORDER BY r.country, f.field`)
	if err != nil {
		return nil, fmt.Errorf("expertise stats: %w", err)
	}
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (app.ExpertiseCount, error) {
		var c app.ExpertiseCount
		err := row.Scan(&c.Country, &c.Field, &c.Requests, &c.Matches, &c.Missions)
		return c, err
	})
}
