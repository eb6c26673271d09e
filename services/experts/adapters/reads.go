package adapters

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"passerelle.dev/experts/app"
	"passerelle.dev/experts/domain/expert"
)

// Reads answers from experts.profiles, the service's clear read of its experts.
type Reads struct{ pool *pgxpool.Pool }

var _ app.Reads = Reads{}

// NewReads returns the reads over pool.
func NewReads(pool *pgxpool.Pool) Reads { return Reads{pool: pool} }

const entryColumns = `expert_id::text, status, consents, profile`

func collect(rows pgx.Rows) ([]app.Entry, error) {
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (app.Entry, error) {
		var e app.Entry
		err := row.Scan(&e.ID, &e.Status, &e.Consents, &e.Profile)
		return e, err
	})
}

// Roster implements app.Reads.
func (r Reads) Roster(ctx context.Context, q app.RosterQuery) ([]app.Entry, error) {
	rows, err := r.pool.Query(ctx, `SELECT `+entryColumns+` FROM experts.profiles
		WHERE status = 'VERIFIED' AND 'ROSTER' = ANY (consents)
		  AND ($1 = '' OR profile->'fields' ? $1)
		  AND ($2 = '' OR profile->'originCountries' ? $2 OR profile->>'residenceCountry' = $2)
		  AND ($4 = '' OR (profile->>'name', expert_id) > (SELECT profile->>'name', expert_id FROM experts.profiles WHERE expert_id::text = $4))
		ORDER BY profile->>'name', expert_id LIMIT $3`, q.Field, q.Country, q.First, q.After)
	if err != nil {
		return nil, fmt.Errorf("roster: %w", err)
	}
	return collect(rows)
}

// Get implements app.Reads.
func (r Reads) Get(ctx context.Context, id string) (app.Entry, bool, error) {
	rows, err := r.pool.Query(ctx, `SELECT `+entryColumns+` FROM experts.profiles WHERE expert_id = $1`, id)
	if err != nil {
		return app.Entry{}, false, fmt.Errorf("expert %s: %w", id, err)
	}
	out, err := collect(rows)
	if err != nil || len(out) == 0 {
		return app.Entry{}, false, err
	}
	return out[0], true, nil
}

// Pending implements app.Reads.
func (r Reads) Pending(ctx context.Context, limit int) ([]app.Entry, error) {
	rows, err := r.pool.Query(ctx, `SELECT `+entryColumns+` FROM experts.profiles WHERE status = 'PENDING'
		ORDER BY last_active, expert_id LIMIT $1`, limit)
	if err != nil {
		return nil, fmt.Errorf("pending experts: %w", err)
	}
	return collect(rows)
}

// DueForRetention implements app.Reads: inactive for the period and not reminded since,
// or reminded and the grace run out.
func (r Reads) DueForRetention(ctx context.Context, now time.Time, ret expert.Retention, limit int) ([]string, error) {
	rows, err := r.pool.Query(ctx, `SELECT expert_id::text FROM experts.profiles
		WHERE (reminded_at IS NULL OR reminded_at <= last_active) AND last_active <= $1
		   OR reminded_at > last_active AND reminded_at <= $2
		ORDER BY last_active LIMIT $3`, now.Add(-ret.InactiveFor), now.Add(-ret.GraceFor), limit)
	if err != nil {
		return nil, fmt.Errorf("experts due for retention: %w", err)
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil
	}
	return ids, err
}
