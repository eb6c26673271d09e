// Package projection keeps the gateway's read models from the event log. Each
// projection is a projector.Projection: it writes its tables in the transaction that
// advances its position, so the tables always reflect a prefix of the log.
package projection

import (
	"context"
	"embed"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"passerelle.dev/directory/domain/association"
	"passerelle.dev/events"
	"passerelle.dev/events/directoryevents"
	"passerelle.dev/events/projector"
	"passerelle.dev/kernel/pgmigrate"
	"passerelle.dev/kernel/textsearch"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// Migrations returns the read models' schema migrations.
func Migrations() pgmigrate.Set {
	return pgmigrate.Embedded("graph", migrationFiles, "migrations")
}

// AssociationsName is the associations projection's consumer group. A new version of
// the projection takes a new name, and its migration empties the table: the new group
// then replays the log from the start.
const AssociationsName = "graph.associations.v2"

// Associations keeps graph.associations.
type Associations struct{}

var _ projector.Projection = Associations{}

// Name implements projector.Projection.
func (Associations) Name() string { return AssociationsName }

// Handles implements projector.Projection.
func (Associations) Handles(eventType string) bool {
	return strings.HasPrefix(eventType, "directory.Association")
}

// Apply implements projector.Projection: a page of one event.
func (a Associations) Apply(ctx context.Context, tx pgx.Tx, ev events.Recorded, payload any) error {
	return applyFold(ctx, tx, associationsFold{}, []events.Recorded{ev}, []any{payload})
}

// ApplyPage implements projector.PageApplier: the page's associations are read in one
// query, and written back with the counts in one pipeline.
func (a Associations) ApplyPage(ctx context.Context, tx pgx.Tx, evs []events.Recorded, payloads []any) error {
	return applyFold(ctx, tx, associationsFold{}, evs, payloads)
}

// searchDocument is the search document of an association, all of it folded: its names
// (weight A); its names and English description stemmed in English, its names and
// French description stemmed in French (B); and all its texts as they are (C), which
// finds words in any language. Each text is stemmed in its own language only: the
// English stemmer makes nothing useful of French, and it halves what a rebuild spends
// on the documents.
const searchDocument = `setweight(to_tsvector('simple', {search_names}), 'A') ||
	setweight(to_tsvector('english', {search_en}), 'B') ||
	setweight(to_tsvector('french', {search_fr}), 'B') ||
	setweight(to_tsvector('simple', {search_text}), 'C')`

var associationsTable = newTable("associations", 1, "id", "seq", "name", "name_folded", "acronym", "kind",
	"origin_countries", "city", "country_of_residence", "sectors", "languages", "description_en", "description_fr",
	"description_es", "website", "website_key", "member_count", "year_founded", "contact_ciphertext", "contact_erased",
	"status", "status_reason", "registered_at", "verified_at", "status_changed_at", "stream_version",
	"search_names", "search_en", "search_fr", "search_text").
	withDerived([]string{"search_names", "search_en", "search_fr", "search_text"}, derivedColumn{"search_doc", searchDocument})

// associationCountsTable is graph.association_counts: how many associations there are
// by status, city and origin ("" for all of them).
var associationCountsTable = newTable("association_counts", 3, "status", "city", "origin_country", "n")

var associationCounts = &sumTable{table: associationCountsTable, of: func(e entity, add func([]string, int64)) {
	a := e.(*associationState)
	if !a.exists {
		return
	}
	seen := map[string]bool{}
	for _, o := range append(append([]string(nil), a.profile.OriginCountries...), "") {
		if seen[o] {
			continue
		}
		seen[o] = true
		add([]string{a.status, a.profile.City, o}, 1)
		add([]string{a.status, "", o}, 1)
	}
}}

// associationsFold is how an association's events make its row.
type associationsFold struct{}

func (associationsFold) tables() []*table     { return []*table{associationsTable} }
func (associationsFold) streamPrefix() string { return directoryevents.StreamPrefix }
func (associationsFold) sums() []*sumTable    { return []*sumTable{associationCounts} }

func (associationsFold) newEntity(stream string) entity {
	id, _ := directoryevents.AssociationIDFromStream(stream)
	return &associationState{id: id}
}

// associationState is a row of graph.associations, as the projection folds it.
type associationState struct {
	id                       string
	seq                      int64
	profile                  directoryevents.Profile
	contactErased            bool
	status, statusReason     string
	registeredAt, verifiedAt time.Time
	statusChangedAt          time.Time
	streamVersion            int64
	exists                   bool
}

func (a *associationState) apply(rec events.Recorded, payload any) error {
	if _, registered := payload.(directoryevents.AssociationRegistered); !registered && !a.exists {
		return projector.Permanent(fmt.Errorf("association %s: not in the read model: its registration was not projected", a.id))
	}
	status := func(s, reason string, at time.Time) {
		a.status, a.statusReason, a.statusChangedAt = s, reason, at
	}
	switch e := payload.(type) {
	case directoryevents.AssociationRegistered:
		if a.exists {
			return projector.Permanent(fmt.Errorf("association %s: registered twice", a.id))
		}
		a.exists, a.seq = true, rec.Position.GlobalPosition
		a.profile, a.registeredAt = e.Profile, e.RegisteredAt
		status("PENDING", "", e.RegisteredAt)
	case directoryevents.AssociationProfileUpdated:
		a.profile = a.profile.Apply(e)
		if e.Changed("contact") {
			a.contactErased = false
		}
	case directoryevents.AssociationVerified:
		status("VERIFIED", "", e.VerifiedAt)
		a.verifiedAt = e.VerifiedAt
	case directoryevents.AssociationRejected:
		status("REJECTED", e.Reason, e.RejectedAt)
	case directoryevents.AssociationSuspended:
		status("SUSPENDED", e.Reason, e.SuspendedAt)
	case directoryevents.AssociationReinstated:
		status("VERIFIED", "", e.ReinstatedAt)
	case directoryevents.AssociationDissolved:
		status("DISSOLVED", e.Reason, e.DissolvedAt)
	case directoryevents.AssociationContactForgotten:
		a.profile.Contact, a.contactErased = nil, true
	case directoryevents.AssociationKeyRenewed:
		// Keys are the directory's and the gateway's business, not the read model's.
	default:
		return projector.Permanent(fmt.Errorf("association %s: unknown event %T", a.id, payload))
	}
	a.streamVersion = rec.StreamVersion
	return nil
}

func (a *associationState) rows(emit func(int, []any)) {
	if !a.exists {
		return
	}
	p := &a.profile
	var contact []byte
	if p.Contact != nil {
		contact = p.Contact.Ciphertext
	}
	var verifiedAt *time.Time
	if !a.verifiedAt.IsZero() {
		verifiedAt = &a.verifiedAt
	}
	// What the queries search on: the folded name, the website as compared for
	// duplicates, and the folded texts of the search document.
	names := textsearch.Fold(p.Name + " " + p.Acronym)
	en, fr, es := textsearch.Fold(p.Description.EN), textsearch.Fold(p.Description.FR), textsearch.Fold(p.Description.ES)
	texts := strings.Join([]string{names, en, fr, es}, " ")
	emit(0, []any{&a.id, &a.seq, &p.Name, textsearch.Fold(p.Name), &p.Acronym, &p.Kind, &p.OriginCountries, &p.City,
		&p.CountryOfResidence, &p.Sectors, &p.Languages, &p.Description.EN, &p.Description.FR, &p.Description.ES,
		&p.Website, association.WebsiteKey(p.Website), &p.MemberCount, &p.YearFounded, contact, &a.contactErased,
		&a.status, &a.statusReason, &a.registeredAt, &verifiedAt, &a.statusChangedAt, &a.streamVersion, names, names + " " + en, names + " " + fr, texts})
}

func (associationsFold) load(ctx context.Context, tx pgx.Tx, streams []string) (map[string]entity, error) {
	ids := make([]string, 0, len(streams))
	for _, s := range streams {
		if id, ok := directoryevents.AssociationIDFromStream(s); ok {
			ids = append(ids, id)
		}
	}
	rows, err := tx.Query(ctx, `SELECT id::text, seq, name, acronym, kind, origin_countries, city, country_of_residence,
		sectors, languages, description_en, description_fr, description_es, website, member_count, year_founded,
		contact_ciphertext, contact_erased, status, status_reason, registered_at, verified_at, status_changed_at, stream_version
		FROM graph.associations WHERE id = ANY($1::uuid[])`, ids)
	if err != nil {
		return nil, fmt.Errorf("read associations: %w", err)
	}
	out := make(map[string]entity, len(ids))
	for rows.Next() {
		a := &associationState{exists: true}
		var (
			contact    []byte
			verifiedAt *time.Time
			p          = &a.profile
		)
		if err := rows.Scan(&a.id, &a.seq, &p.Name, &p.Acronym, &p.Kind, &p.OriginCountries, &p.City,
			&p.CountryOfResidence, &p.Sectors, &p.Languages, &p.Description.EN, &p.Description.FR, &p.Description.ES,
			&p.Website, &p.MemberCount, &p.YearFounded, &contact, &a.contactErased, &a.status, &a.statusReason,
			&a.registeredAt, &verifiedAt, &a.statusChangedAt, &a.streamVersion); err != nil {
			rows.Close()
			return nil, fmt.Errorf("read associations: %w", err)
		}
		if contact != nil {
			// The digest only matters to the directory; the read model keeps the ciphertext.
			p.Contact = &directoryevents.SealedContact{Ciphertext: contact}
		}
		if verifiedAt != nil {
			a.verifiedAt = *verifiedAt
		}
		out[directoryevents.StreamID(a.id)] = a
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read associations: %w", err)
	}
	return out, nil
}

// nonNil is an empty list for nil: the read models' array columns are NOT NULL.
func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// Reset implements projector.Projection.
func (Associations) Reset(ctx context.Context, tx pgx.Tx) error {
	_, err := tx.Exec(ctx, `TRUNCATE graph.associations, graph.association_counts`)
	return err
}
