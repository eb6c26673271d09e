// Package readmodel answers the gateway's queries from the tables the projections keep.
// It decides nothing about who may see what: callers pass what is visible.
package readmodel

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"passerelle.dev/graph/tables"

	"passerelle.dev/kernel/textsearch"
)

// Association is a row of the associations read model.
type Association struct {
	ID                 string
	Seq                int64
	Name               string
	NameFolded         string
	Acronym            string
	Kind               string
	OriginCountries    []string
	City               string
	CountryOfResidence string
	Sectors            []string
	Languages          []string
	DescriptionEN      string
	DescriptionFR      string
	DescriptionES      string
	Website            string
	MemberCount        *int
	YearFounded        *int
	// ContactCiphertext is the sealed contact person, nil if none.
	ContactCiphertext []byte
	// ContactErased is set once the contact was forgotten.
	ContactErased bool
	Status        string
	StatusReason  string
	RegisteredAt  time.Time
	VerifiedAt    *time.Time
}

// AssociationFilter narrows a listing; empty fields do not filter.
type AssociationFilter struct {
	City               string
	OriginCountry      string
	CountryOfResidence string
	Sector             string
	Kind               string
	Language           string
	Status             string
	// Search is free text over names, acronyms and descriptions.
	Search string
}

// Visibility is what the reader may see: associations in one of Statuses, and the
// association OwnID whatever its status.
type Visibility struct {
	Statuses []string
	OwnID    string
}

// Order is how a listing is sorted. Ties are broken by projection order, so the order
// is total and cursors never skip nor repeat a row.
type Order struct {
	ByName     bool // else by registration time
	Descending bool
}

// Cursor is where a page starts after: the sort key of the last row seen.
type Cursor struct {
	Order        Order
	NameFolded   string
	RegisteredAt time.Time
	Seq          int64
}

// CursorOf returns the cursor pointing after a.
func CursorOf(a Association, o Order) Cursor {
	return Cursor{Order: o, NameFolded: a.NameFolded, RegisteredAt: a.RegisteredAt, Seq: a.Seq}
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
	db tables.Querier
}

// NewAssociations returns the reader.
func NewAssociations(db tables.Querier) *Associations { return &Associations{db: db} }

const associationColumns = `a.id::text, a.seq, a.name, a.name_folded, a.acronym, a.kind, a.origin_countries, a.city,
	a.country_of_residence, a.sectors, a.languages, a.description_en, a.description_fr, a.description_es,
	a.website, a.member_count, a.year_founded, a.contact_ciphertext, a.contact_erased, a.status,
	a.status_reason, a.registered_at, a.verified_at`

func scanAssociation(row pgx.Row) (Association, error) {
	var a Association
	err := row.Scan(&a.ID, &a.Seq, &a.Name, &a.NameFolded, &a.Acronym, &a.Kind, &a.OriginCountries, &a.City,
		&a.CountryOfResidence, &a.Sectors, &a.Languages, &a.DescriptionEN, &a.DescriptionFR, &a.DescriptionES,
		&a.Website, &a.MemberCount, &a.YearFounded, &a.ContactCiphertext, &a.ContactErased, &a.Status,
		&a.StatusReason, &a.RegisteredAt, &a.VerifiedAt)
	return a, err
}

func collectAssociations(rows pgx.Rows) ([]Association, error) {
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (Association, error) { return scanAssociation(row) })
}

// Get returns one association if it exists and is visible.
func (r *Associations) Get(ctx context.Context, id string, vis Visibility) (Association, bool, error) {
	a, err := scanAssociation(r.db.QueryRow(ctx, `SELECT `+associationColumns+` FROM graph.associations a
		WHERE a.id = $1 AND (a.status = ANY($2) OR a.id::text = $3)`, id, vis.Statuses, vis.OwnID))
	if errors.Is(err, pgx.ErrNoRows) {
		return Association{}, false, nil
	}
	if err != nil {
		return Association{}, false, fmt.Errorf("read association %s: %w", id, err)
	}
	return a, true, nil
}

// GetMany returns the visible associations among ids, by id: one query for a page of
// registrations, not one per row.
func (r *Associations) GetMany(ctx context.Context, ids []string, vis Visibility) (map[string]Association, error) {
	rows, err := r.db.Query(ctx, `SELECT `+associationColumns+` FROM graph.associations a
		WHERE a.id = ANY($1::uuid[]) AND (a.status = ANY($2) OR a.id::text = $3)`, ids, vis.Statuses, vis.OwnID)
	if err != nil {
		return nil, fmt.Errorf("read associations: %w", err)
	}
	list, err := collectAssociations(rows)
	if err != nil {
		return nil, fmt.Errorf("read associations: %w", err)
	}
	out := make(map[string]Association, len(list))
	for _, a := range list {
		out[a.ID] = a
	}
	return out, nil
}

// conditions builds a WHERE clause with numbered arguments.
type conditions struct {
	parts []string
	args  []any
}

// arg adds an argument and returns its placeholder.
func (c *conditions) arg(v any) string {
	c.args = append(c.args, v)
	return "$" + strconv.Itoa(len(c.args))
}

func (c *conditions) add(part string) { c.parts = append(c.parts, part) }

func (c *conditions) sql() string {
	if len(c.parts) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(c.parts, " AND ")
}

func (c *conditions) filter(f AssociationFilter, vis Visibility) {
	if vis.OwnID == "" {
		// Not an OR with an id matching nothing: the planner would not use an index on
		// status for it.
		c.add("a.status = ANY(" + c.arg(vis.Statuses) + ")")
	} else {
		c.add("(a.status = ANY(" + c.arg(vis.Statuses) + ") OR a.id::text = " + c.arg(vis.OwnID) + ")")
	}
	for _, eq := range []struct{ column, value string }{
		{"a.city", f.City}, {"a.country_of_residence", f.CountryOfResidence}, {"a.kind", f.Kind}, {"a.status", f.Status},
	} {
		if eq.value != "" {
			c.add(eq.column + " = " + c.arg(eq.value))
		}
	}
	for _, has := range []struct{ column, value string }{
		{"a.origin_countries", f.OriginCountry}, {"a.sectors", f.Sector}, {"a.languages", f.Language},
	} {
		if has.value != "" {
			c.add(has.column + " @> ARRAY[" + c.arg(has.value) + "]::text[]")
		}
	}
	if folded := textsearch.Fold(f.Search); folded != "" {
		// Any of: the words stemmed in English or French, the words as written, or the
		// words as prefixes ("senega" finds "Sénégalais").
		q := c.arg(folded)
		query := "websearch_to_tsquery('simple', " + q + ") || websearch_to_tsquery('english', " + q +
			") || websearch_to_tsquery('french', " + q + ")"
		if prefix := textsearch.PrefixQuery(folded); prefix != "" {
			query += " || to_tsquery('simple', " + c.arg(prefix) + ")"
		}
		c.add("a.search_doc @@ (" + query + ")")
	}
}

// List returns up to first associations after the cursor, with the total count. The
// page and the count share one snapshot.
func (r *Associations) List(ctx context.Context, f AssociationFilter, vis Visibility, o Order, after *Cursor, first int) (AssociationPage, error) {
	var c conditions
	c.filter(f, vis)
	countSQL, countArgs := `SELECT count(*) FROM graph.associations a`+c.sql(), append([]any(nil), c.args...)
	if sql, args, ok := countedTotal(f, vis); ok {
		countSQL, countArgs = sql, args
	}

	key, dir, cmp := "a.registered_at", "ASC", ">"
	if o.ByName {
		key = "a.name_folded"
	}
	if o.Descending {
		dir, cmp = "DESC", "<"
	}
	if after != nil {
		var k any = after.RegisteredAt
		if o.ByName {
			k = after.NameFolded
		}
		c.add("(" + key + ", a.seq) " + cmp + " (" + c.arg(k) + ", " + c.arg(after.Seq) + ")")
	}
	pageSQL := `SELECT ` + associationColumns + ` FROM graph.associations a` + c.sql() +
		` ORDER BY ` + key + ` ` + dir + `, a.seq ` + dir + ` LIMIT ` + c.arg(first+1)

	var page AssociationPage
	var err error
	page.Items, page.Total, err = snapshotPage(ctx, r.db, pageSQL, c.args, countSQL, countArgs, collectAssociations)
	if err != nil {
		return AssociationPage{}, fmt.Errorf("list associations: %w", err)
	}
	if len(page.Items) > first {
		page.Items, page.HasNext = page.Items[:first], true
	}
	return page, nil
}

// countedTotal is the statement that counts the associations a filter on city, country
// of origin and status lets the reader see from graph.association_counts, reading one
// row per status instead of every association; ok is false for the other filters. The
// reader's own association, when its status is not among those the reader sees
// otherwise, is counted from its row.
func countedTotal(f AssociationFilter, vis Visibility) (sql string, args []any, ok bool) {
	if f.CountryOfResidence != "" || f.Sector != "" || f.Kind != "" || f.Language != "" || textsearch.Fold(f.Search) != "" {
		return "", nil, false
	}
	statuses := vis.Statuses
	if f.Status != "" {
		statuses = nil
		if slices.Contains(vis.Statuses, f.Status) {
			statuses = []string{f.Status}
		}
	}
	total := `SELECT (SELECT coalesce(sum(n), 0)::bigint FROM graph.association_counts
		WHERE status = ANY($1) AND city = $2 AND origin_country = $3)`
	args = []any{nonNilStrings(statuses), f.City, f.OriginCountry}
	if uuid.Validate(vis.OwnID) != nil {
		return total, args, true
	}
	own := conditions{args: args}
	own.add("a.id = " + own.arg(vis.OwnID) + "::uuid")
	own.add("NOT a.status = ANY(" + own.arg(nonNilStrings(vis.Statuses)) + ")")
	for _, eq := range []struct{ column, value string }{{"a.city", f.City}, {"a.status", f.Status}} {
		if eq.value != "" {
			own.add(eq.column + " = " + own.arg(eq.value))
		}
	}
	if f.OriginCountry != "" {
		own.add("a.origin_countries @> ARRAY[" + own.arg(f.OriginCountry) + "]::text[]")
	}
	return total + ` + (SELECT count(*) FROM graph.associations a` + own.sql() + `)`, own.args, true
}

func nonNilStrings(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// snapshotPage runs a page query and its count in one round trip and one snapshot, so
// that the total agrees with the page: BEGIN and COMMIT travel in the batch. After an
// error the connection is left in the failed transaction, and the pool discards it.
func snapshotPage[T any](ctx context.Context, db tables.Querier, pageSQL string, pageArgs []any, countSQL string, countArgs []any,
	collect func(pgx.Rows) ([]T, error)) (items []T, total int, err error) {
	b := &pgx.Batch{}
	b.Queue(`BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY`)
	b.Queue(pageSQL, pageArgs...)
	b.Queue(countSQL, countArgs...)
	b.Queue(`COMMIT`)
	br := db.SendBatch(ctx, b)
	defer br.Close()
	if _, err := br.Exec(); err != nil {
		return nil, 0, err
	}
	rows, err := br.Query()
	if err != nil {
		return nil, 0, err
	}
	if items, err = collect(rows); err != nil {
		return nil, 0, err
	}
	if err := br.QueryRow().Scan(&total); err != nil {
		return nil, 0, err
	}
	if _, err := br.Exec(); err != nil {
		return nil, 0, err
	}
	return items, total, br.Close()
}

// MaxDuplicates bounds the possible duplicates shown for one association.
const MaxDuplicates = 10

// PossibleDuplicates returns associations that may be the same as the one with id: a
// similar name (trigram similarity of the folded names) in the same city, or the same
// website. Same website first, then by similarity.
func (r *Associations) PossibleDuplicates(ctx context.Context, id string) ([]Association, error) {
	rows, err := r.db.Query(ctx, `WITH me AS (SELECT id, city, name_folded, website_key FROM graph.associations WHERE id = $1)
		SELECT `+associationColumns+` FROM graph.associations a, me
		WHERE a.id <> me.id
		  AND ((a.city = me.city AND a.name_folded % me.name_folded)
		    OR (me.website_key <> '' AND a.website_key = me.website_key))
		ORDER BY (me.website_key <> '' AND a.website_key = me.website_key) DESC,
		         similarity(a.name_folded, me.name_folded) DESC, a.seq
		LIMIT $2`, id, MaxDuplicates)
	if err != nil {
		return nil, fmt.Errorf("possible duplicates of %s: %w", id, err)
	}
	out, err := collectAssociations(rows)
	if err != nil {
		return nil, fmt.Errorf("possible duplicates of %s: %w", id, err)
	}
	return out, nil
}
