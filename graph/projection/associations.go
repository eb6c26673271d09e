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
	"github.com/jackc/pgx/v5/pgconn"

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

// Apply implements projector.Projection: a page of one event.
func (a Associations) Apply(ctx context.Context, tx pgx.Tx, ev events.Recorded, payload any) error {
	return a.ApplyPage(ctx, tx, []events.Recorded{ev}, []any{payload})
}

// ApplyPage implements projector.PageApplier: registrations and status changes go out
// in one pipeline; a profile update, which reads the row, sends what is queued first.
func (a Associations) ApplyPage(ctx context.Context, tx pgx.Tx, evs []events.Recorded, payloads []any) error {
	batch := &pgx.Batch{}
	flush := func() error {
		if batch.Len() == 0 {
			return nil
		}
		err := tx.SendBatch(ctx, batch).Close()
		batch = &pgx.Batch{}
		return err
	}
	// expectOne queues a statement that must write exactly one row; else the event can
	// never be projected.
	expectOne := func(sql string, args []any, problem error) {
		batch.Queue(sql, args...).Exec(func(tag pgconn.CommandTag) error {
			if tag.RowsAffected() != 1 {
				return projector.Permanent(problem)
			}
			return nil
		})
	}
	// What the page adds to and takes from the counts, written in one statement at the
	// end (additions commute): a statement per event would update the same few rows
	// (every association is in the row of all cities and all origins) once per event,
	// each update a new row version to walk past in the page's transaction.
	counts := associationCounts{}
	// What counts of each association touched: as the page found it, then as its events
	// leave it.
	counted, err := countedBefore(ctx, tx, evs, payloads)
	if err != nil {
		return err
	}
	for i, ev := range evs {
		id, ok := directoryevents.AssociationIDFromStream(ev.StreamID)
		if !ok {
			return projector.Permanent(fmt.Errorf("event %s is not in an association's stream", ev.ID))
		}
		if set, args, ok := statusChange(payloads[i]); ok {
			// A status changes a few columns: no need to read the row, nor to build its
			// search document again.
			if status, changes := args[0].(string); changes {
				if was, ok := counted[id]; ok && was.status != status {
					counts.add(was.status, was.city, was.origins, -1)
					counts.add(status, was.city, was.origins, 1)
					was.status = status
					counted[id] = was
				}
			}
			n := len(args)
			expectOne(`UPDATE graph.associations SET `+set+fmt.Sprintf(`, stream_version = $%d WHERE id = $%d`, n+1, n+2),
				append(args, ev.StreamVersion, id),
				fmt.Errorf("association %s: not in the read model: its registration was not projected", id))
			continue
		}
		_, registered := payloads[i].(directoryevents.AssociationRegistered)
		row := &associationRow{id: id}
		if !registered {
			// A profile update names only what changed: fold it into the row as it is,
			// once what is queued has been written.
			if err := flush(); err != nil {
				return err
			}
			var err error
			if row, err = loadRow(ctx, tx, id); err != nil {
				return err
			}
		}
		before := *row
		if err := row.apply(payloads[i]); err != nil {
			return projector.Permanent(fmt.Errorf("association %s: %w", id, err))
		}
		if before.exists {
			counts.add(before.status, before.profile.City, before.profile.OriginCountries, -1)
		}
		counts.add(row.status, row.profile.City, row.profile.OriginCountries, 1)
		counted[id] = countedAs{row.status, row.profile.City, row.profile.OriginCountries}
		row.streamVersion = ev.StreamVersion
		sql, args := row.upsert(registered)
		expectOne(sql, args, fmt.Errorf("association %s: registered twice", id))
	}
	counts.queue(batch)
	return flush()
}

// countedAs is what an association is counted as.
type countedAs struct {
	status, city string
	origins      []string
}

// countedBefore reads how the associations whose status the page changes are counted
// before it, in one query.
func countedBefore(ctx context.Context, tx pgx.Tx, evs []events.Recorded, payloads []any) (map[string]countedAs, error) {
	out := map[string]countedAs{}
	var ids []string
	for i, ev := range evs {
		if _, args, ok := statusChange(payloads[i]); ok {
			if _, changes := args[0].(string); !changes {
				continue // a contact forgotten
			}
			if id, ok := directoryevents.AssociationIDFromStream(ev.StreamID); ok {
				ids = append(ids, id)
			}
		}
	}
	if len(ids) == 0 {
		return out, nil
	}
	rows, err := tx.Query(ctx, `SELECT id::text, status, city, origin_countries FROM graph.associations WHERE id = ANY($1::uuid[])`, ids)
	if err != nil {
		return nil, fmt.Errorf("associations' counts: %w", err)
	}
	var (
		id string
		c  countedAs
	)
	if _, err := pgx.ForEachRow(rows, []any{&id, &c.status, &c.city, &c.origins}, func() error {
		out[id] = c
		c.origins = nil
		return nil
	}); err != nil {
		return nil, fmt.Errorf("associations' counts: %w", err)
	}
	return out, nil
}

// countKey is a row of graph.association_counts; "" stands for every city or origin.
type countKey struct{ status, city, origin string }

// associationCounts are changes to graph.association_counts.
type associationCounts map[countKey]int64

// add counts an association of status, city and origins d times (d = -1 takes it away).
func (c associationCounts) add(status, city string, origins []string, d int64) {
	seen := map[string]bool{}
	for _, o := range append(append([]string(nil), origins...), "") {
		if seen[o] {
			continue
		}
		seen[o] = true
		c[countKey{status, city, o}] += d
		c[countKey{status, "", o}] += d
	}
}

// queue writes the changes that are not zero in one statement.
func (c associationCounts) queue(b *pgx.Batch) {
	var statuses, cities, origins []string
	var ds []int64
	for k, d := range c {
		if d != 0 {
			statuses, cities, origins, ds = append(statuses, k.status), append(cities, k.city), append(origins, k.origin), append(ds, d)
		}
	}
	if len(ds) == 0 {
		return
	}
	b.Queue(`INSERT INTO graph.association_counts AS counted (status, city, origin_country, n)
		SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[])
		ON CONFLICT (status, city, origin_country) DO UPDATE SET n = counted.n + excluded.n`, statuses, cities, origins, ds)
}

// statusChange is what an event that changes an association's status (or forgets its
// contact) sets, with its arguments from $1 (the new status first, for a status);
// ok is false for other events.
func statusChange(payload any) (set string, args []any, ok bool) {
	const status = `status = $1, status_reason = $2, status_changed_at = $3`
	switch e := payload.(type) {
	case directoryevents.AssociationVerified:
		return status + `, verified_at = $3`, []any{"VERIFIED", "", e.VerifiedAt}, true
	case directoryevents.AssociationRejected:
		return status, []any{"REJECTED", e.Reason, e.RejectedAt}, true
	case directoryevents.AssociationSuspended:
		return status, []any{"SUSPENDED", e.Reason, e.SuspendedAt}, true
	case directoryevents.AssociationReinstated:
		return status, []any{"VERIFIED", "", e.ReinstatedAt}, true
	case directoryevents.AssociationDissolved:
		return status, []any{"DISSOLVED", e.Reason, e.DissolvedAt}, true
	case directoryevents.AssociationContactForgotten:
		return `contact_ciphertext = NULL, contact_erased = $1`, []any{true}, true
	}
	return "", nil, false
}

// apply folds a registration or a profile update into the row; statusChange handles
// the other events.
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
	default:
		return fmt.Errorf("unknown event %T", payload)
	}
	return nil
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

// upsert is the statement that writes the row, and its arguments, with what the queries
// search on: the folded name, the website as compared for duplicates, and the search
// document. A new row is only inserted (nothing is written if the association is there
// already).
func (r *associationRow) upsert(isNew bool) (string, []any) {
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
	onConflict := `ON CONFLICT (id) DO UPDATE SET
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
			search_doc = excluded.search_doc`
	if isNew {
		onConflict = `ON CONFLICT (id) DO NOTHING`
	}
	return `INSERT INTO graph.associations (id, name, name_folded, acronym, kind, origin_countries, city,
			country_of_residence, sectors, languages, description_en, description_fr, description_es, website,
			website_key, member_count, year_founded, contact_ciphertext, contact_erased, status, status_reason,
			registered_at, verified_at, status_changed_at, stream_version, search_doc)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21,
			$22, $23, $24, $25,
			setweight(to_tsvector('simple', $26), 'A') ||
			setweight(to_tsvector('english', $27), 'B') ||
			setweight(to_tsvector('french', $27), 'B') ||
			setweight(to_tsvector('simple', $27), 'C'))
		` + onConflict, []any{r.id, p.Name, textsearch.Fold(p.Name), p.Acronym, p.Kind, nonNil(p.OriginCountries), p.City,
			p.CountryOfResidence, nonNil(p.Sectors), nonNil(p.Languages), p.Description.EN, p.Description.FR,
			p.Description.ES, p.Website, association.WebsiteKey(p.Website), p.MemberCount, p.YearFounded, contact,
			r.contactErased, r.status, r.statusReason, r.registeredAt, verifiedAt, r.statusChangedAt,
			r.streamVersion, names, texts}
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
	_, err := tx.Exec(ctx, `TRUNCATE graph.associations, graph.association_counts RESTART IDENTITY`)
	return err
}
