// Package projection keeps the gateway's read models from the event log. Each
// projection is a projector.Projection: it writes its tables in the transaction that
// advances its position, so the tables always reflect a prefix of the log.
package projection

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"passerelle.dev/directory/domain/association"
	"passerelle.dev/events"
	"passerelle.dev/events/directoryevents"
	"passerelle.dev/events/pgmigrate"
	"passerelle.dev/events/projector"
	"passerelle.dev/events/textsearch"
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

// associationRow is a row of graph.associations, as the projection writes it.
type associationRow struct {
	id                       string
	profile                  directoryevents.Profile
	contactErased            bool
	status, statusReason     string
	registeredAt, verifiedAt time.Time
	statusChangedAt          time.Time
	streamVersion            int64
	exists                   bool
}

// Apply implements projector.Projection: it loads the association's row, applies the
// event to it, and writes it back.
func (Associations) Apply(ctx context.Context, tx pgx.Tx, ev events.Recorded, payload any) error {
	id, ok := directoryevents.AssociationIDFromStream(ev.StreamID)
	if !ok {
		return projector.Permanent(fmt.Errorf("event %s is not in an association's stream", ev.ID))
	}
	row, err := loadRow(ctx, tx, id)
	if err != nil {
		return err
	}
	if err := row.apply(payload); err != nil {
		return projector.Permanent(fmt.Errorf("association %s: %w", id, err))
	}
	row.streamVersion = ev.StreamVersion
	return row.save(ctx, tx)
}

func (r *associationRow) apply(payload any) error {
	if _, registered := payload.(directoryevents.AssociationRegistered); !registered && !r.exists {
		return errors.New("not in the read model: its registration was not projected")
	}
	switch e := payload.(type) {
	case directoryevents.AssociationRegistered:
		if r.exists {
			return errors.New("registered twice")
		}
		r.exists = true
		r.profile, r.status, r.registeredAt, r.statusChangedAt = e.Profile, "PENDING", e.RegisteredAt, e.RegisteredAt
	case directoryevents.AssociationProfileUpdated:
		r.profile = r.profile.Apply(e)
		if e.Changed("contact") {
			r.contactErased = false
		}
	case directoryevents.AssociationVerified:
		r.setStatus("VERIFIED", "", e.VerifiedAt)
		r.verifiedAt = e.VerifiedAt
	case directoryevents.AssociationRejected:
		r.setStatus("REJECTED", e.Reason, e.RejectedAt)
	case directoryevents.AssociationSuspended:
		r.setStatus("SUSPENDED", e.Reason, e.SuspendedAt)
	case directoryevents.AssociationReinstated:
		r.setStatus("VERIFIED", "", e.ReinstatedAt)
	case directoryevents.AssociationDissolved:
		r.setStatus("DISSOLVED", e.Reason, e.DissolvedAt)
	case directoryevents.AssociationContactForgotten:
		r.profile.Contact, r.contactErased = nil, true
	default:
		return fmt.Errorf("unknown event %T", payload)
	}
	return nil
}

func (r *associationRow) setStatus(status, reason string, at time.Time) {
	r.status, r.statusReason, r.statusChangedAt = status, reason, at
}

func loadRow(ctx context.Context, tx pgx.Tx, id string) (*associationRow, error) {
	r := &associationRow{id: id}
	var (
		contact    []byte
		verifiedAt *time.Time
		p          = &r.profile
	)
	err := tx.QueryRow(ctx, `SELECT name, acronym, kind, origin_countries, city, country_of_residence, sectors,
		languages, description_en, description_fr, description_es, website, member_count, year_founded,
		contact_ciphertext, contact_erased, status, status_reason, registered_at, verified_at, status_changed_at
		FROM graph.associations WHERE id = $1`, id).Scan(&p.Name, &p.Acronym, &p.Kind, &p.OriginCountries, &p.City,
		&p.CountryOfResidence, &p.Sectors, &p.Languages, &p.Description.EN, &p.Description.FR, &p.Description.ES,
		&p.Website, &p.MemberCount, &p.YearFounded, &contact, &r.contactErased, &r.status, &r.statusReason,
		&r.registeredAt, &verifiedAt, &r.statusChangedAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return r, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read association %s: %w", id, err)
	}
	r.exists = true
	if contact != nil {
		// The digest only matters to the directory; the read model keeps the ciphertext.
		p.Contact = &directoryevents.SealedContact{Ciphertext: contact}
	}
	if verifiedAt != nil {
		r.verifiedAt = *verifiedAt
	}
	return r, nil
}

// save writes the row, with what the queries search on: the folded name, the website as
// compared for duplicates, and the search document.
func (r *associationRow) save(ctx context.Context, tx pgx.Tx) error {
	p := r.profile
	var contact []byte
	if p.Contact != nil {
		contact = p.Contact.Ciphertext
	}
	var verifiedAt *time.Time
	if !r.verifiedAt.IsZero() {
		verifiedAt = &r.verifiedAt
	}
	names := textsearch.Fold(p.Name + " " + p.Acronym)
	texts := textsearch.Fold(strings.Join([]string{p.Name, p.Acronym, p.Description.EN, p.Description.FR, p.Description.ES}, " "))
	_, err := tx.Exec(ctx, `INSERT INTO graph.associations (id, name, name_folded, acronym, kind, origin_countries, city,
			country_of_residence, sectors, languages, description_en, description_fr, description_es, website,
			website_key, member_count, year_founded, contact_ciphertext, contact_erased, status, status_reason,
			registered_at, verified_at, status_changed_at, stream_version, search_doc)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21,
			$22, $23, $24, $25,
			setweight(to_tsvector('simple', $26), 'A') ||
			setweight(to_tsvector('english', $27), 'B') ||
			setweight(to_tsvector('french', $27), 'B') ||
			setweight(to_tsvector('simple', $27), 'C'))
		ON CONFLICT (id) DO UPDATE SET
			name = excluded.name, name_folded = excluded.name_folded, acronym = excluded.acronym,
			kind = excluded.kind, origin_countries = excluded.origin_countries, city = excluded.city,
			country_of_residence = excluded.country_of_residence, sectors = excluded.sectors,
			languages = excluded.languages, description_en = excluded.description_en,
			description_fr = excluded.description_fr, description_es = excluded.description_es,
			website = excluded.website, website_key = excluded.website_key, member_count = excluded.member_count,
			year_founded = excluded.year_founded, contact_ciphertext = excluded.contact_ciphertext,
			contact_erased = excluded.contact_erased, status = excluded.status,
			status_reason = excluded.status_reason, verified_at = excluded.verified_at,
			status_changed_at = excluded.status_changed_at, stream_version = excluded.stream_version,
			search_doc = excluded.search_doc`,
		r.id, p.Name, textsearch.Fold(p.Name), p.Acronym, p.Kind, nonNil(p.OriginCountries), p.City,
		p.CountryOfResidence, nonNil(p.Sectors), nonNil(p.Languages), p.Description.EN, p.Description.FR,
		p.Description.ES, p.Website, association.WebsiteKey(p.Website), p.MemberCount, p.YearFounded, contact,
		r.contactErased, r.status, r.statusReason, r.registeredAt, verifiedAt, r.statusChangedAt,
		r.streamVersion, names, texts)
	return err
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
	_, err := tx.Exec(ctx, `TRUNCATE graph.associations RESTART IDENTITY`)
	return err
}
