// Package readmodel answers the gateway's queries from the tables the projections keep.
// It decides nothing about who may see what: callers pass what is visible.
package readmodel

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Association is a row of the associations read model.
type Association struct {
	ID              string
	Seq             int64
	Name            string
	City            string
	OriginCountries []string
	Status          string
	RegisteredAt    time.Time
	VerifiedAt      *time.Time
}

// AssociationFilter narrows a listing; empty fields do not filter.
type AssociationFilter struct {
	City          string
	OriginCountry string
	Status        string
}

// Visibility is what the reader may see: associations in one of Statuses, and the
// association OwnID whatever its status.
type Visibility struct {
	Statuses []string
	OwnID    string
}

// AssociationPage is one page of a listing.
type AssociationPage struct {
	Items   []Association
	HasNext bool
	// Total counts every association matching the filter and visibility.
	Total int
}

// Associations reads the associations read model. It is safe for concurrent use.
type Associations struct {
	pool *pgxpool.Pool
}

// NewAssociations returns the reader.
func NewAssociations(pool *pgxpool.Pool) *Associations { return &Associations{pool: pool} }

const associationColumns = `id::text, seq, name, city, origin_countries, status, registered_at, verified_at`

func scanAssociation(row pgx.Row) (Association, error) {
	var a Association
	err := row.Scan(&a.ID, &a.Seq, &a.Name, &a.City, &a.OriginCountries, &a.Status, &a.RegisteredAt, &a.VerifiedAt)
	return a, err
}

// Get returns one association if it exists and is visible.
func (r *Associations) Get(ctx context.Context, id string, vis Visibility) (Association, bool, error) {
	a, err := scanAssociation(r.pool.QueryRow(ctx, `SELECT `+associationColumns+` FROM graph.associations
		WHERE id = $1 AND (status = ANY($2) OR id::text = $3)`, id, vis.Statuses, vis.OwnID))
	if errors.Is(err, pgx.ErrNoRows) {
		return Association{}, false, nil
	}
	if err != nil {
		return Association{}, false, fmt.Errorf("read association %s: %w", id, err)
	}
	return a, true, nil
}

// List returns up to first associations after the one at seq after, in registration
// order, with the total count. The page and the count share one snapshot.
func (r *Associations) List(ctx context.Context, f AssociationFilter, vis Visibility, after int64, first int) (AssociationPage, error) {
	const where = `WHERE ($1 = '' OR city = $1)
		AND ($2 = '' OR origin_countries @> ARRAY[$2])
		AND ($3 = '' OR status = $3)
		AND (status = ANY($4) OR id::text = $5)`
	args := []any{f.City, f.OriginCountry, f.Status, vis.Statuses, vis.OwnID}

	// One round trip, one snapshot: the transaction's BEGIN and COMMIT travel in the
	// batch. After an error the connection is left inside the failed transaction, and
	// the pool discards it instead of reusing it.
	b := &pgx.Batch{}
	b.Queue(`BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY`)
	b.Queue(`SELECT `+associationColumns+` FROM graph.associations `+where+` AND seq > $6 ORDER BY seq LIMIT $7`,
		append(args, after, first+1)...)
	b.Queue(`SELECT count(*) FROM graph.associations `+where, args...)
	b.Queue(`COMMIT`)
	var page AssociationPage
	err := func() error {
		br := r.pool.SendBatch(ctx, b)
		defer br.Close()
		if _, err := br.Exec(); err != nil {
			return err
		}
		rows, err := br.Query()
		if err != nil {
			return err
		}
		if page.Items, err = pgx.CollectRows(rows, func(row pgx.CollectableRow) (Association, error) { return scanAssociation(row) }); err != nil {
			return err
		}
		if err := br.QueryRow().Scan(&page.Total); err != nil {
			return err
		}
		if _, err := br.Exec(); err != nil {
			return err
		}
		return br.Close()
	}()
	if err != nil {
		return AssociationPage{}, fmt.Errorf("list associations: %w", err)
	}
	if len(page.Items) > first {
		page.Items, page.HasNext = page.Items[:first], true
	}
	return page, nil
}
