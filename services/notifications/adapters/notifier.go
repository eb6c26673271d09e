// Package adapters connects the notifications service to PostgreSQL and to mail: the
// notifier (a projection that turns events into messages in an outbox, in the
// transaction that handles each event), the sender (which delivers them), and the two
// ways of delivering — an SMTP server, or a folder of .eml files.
package adapters

import (
	"context"
	"embed"
	"encoding/base64"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"passerelle.dev/events"
	"passerelle.dev/events/directoryevents"
	"passerelle.dev/events/expertevents"
	"passerelle.dev/events/notificationevents"
	"passerelle.dev/events/projector"
	"passerelle.dev/events/proposalevents"
	"passerelle.dev/events/sessionevents"
	"passerelle.dev/kernel/pgmigrate"
	"passerelle.dev/notifications/domain/message"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// Migrations returns the notifications service's schema migrations.
func Migrations() pgmigrate.Set {
	return pgmigrate.Embedded("notifications", migrationFiles, "migrations")
}

// NotifierName is the notifier's consumer group.
const NotifierName = "notifications.notifier"

// Notifier is the projection that decides who is told what: it keeps what it needs to
// know of associations, sessions and proposals, and for each event that concerns an
// association it writes a message, composed in the association's language, to the
// outbox. Events older than MaxAge when handled (the notifier deployed on a platform
// with a history, or a rebuild) update what it knows and send nothing.
type Notifier struct {
	// PublicURL is where the web app is, for the links in messages.
	PublicURL string
	// MaxAge bounds how old an event may be and still cause a message.
	MaxAge time.Duration
	// Now is the clock.
	Now func() time.Time
}

var _ projector.Projection = Notifier{}

// Name implements projector.Projection.
func (Notifier) Name() string { return NotifierName }

// Handles implements projector.Projection.
func (Notifier) Handles(eventType string) bool {
	switch eventType {
	case directoryevents.AssociationRegisteredType, directoryevents.AssociationProfileUpdatedType,
		directoryevents.AssociationVerifiedType, directoryevents.AssociationRejectedType,
		directoryevents.AssociationContactForgottenType, directoryevents.AssociationKeyRenewedType,
		sessionevents.CityOpenedType, sessionevents.SessionScheduledType, sessionevents.SessionRescheduledType,
		sessionevents.SessionCancelledType, sessionevents.RegistrationConfirmedType, sessionevents.RegistrationWaitlistedType,
		sessionevents.RegistrationPromotedType, sessionevents.RegistrationCancelledType, sessionevents.WaitlistOfferMadeType,
		sessionevents.WaitlistOfferAcceptedType, sessionevents.WaitlistOfferDeclinedType, sessionevents.WaitlistOfferExpiredType,
		sessionevents.RegistrationCheckedInType, sessionevents.CheckInUndoneType, sessionevents.AttendanceRecordedType,
		proposalevents.ProposalDraftedType, proposalevents.ProposalUpdatedType, proposalevents.ProposalDecidedType,
		notificationevents.CoordinatorMessageSentType,
		expertevents.InstitutionRegisteredType, expertevents.InstitutionVerifiedType, expertevents.InstitutionRejectedType,
		expertevents.RequestDraftedType, expertevents.RequestRevisedType, expertevents.RequestCancelledType,
		expertevents.MatchProposedType, expertevents.MatchAcceptedType, expertevents.MatchDeclinedType, expertevents.MatchConfirmedType:
		return true
	}
	return false
}

// Reset implements projector.Projection. It empties what the notifier knows, never the
// outbox: handling the events again finds their messages there already.
func (Notifier) Reset(ctx context.Context, tx pgx.Tx) error {
	_, err := tx.Exec(ctx, `TRUNCATE notifications.recipients, notifications.cities, notifications.sessions,
		notifications.registrations, notifications.proposals, notifications.reminders, notifications.institutions,
		notifications.expertise_requests, notifications.expertise_matches`)
	return err
}

// Apply implements projector.Projection.
func (n Notifier) Apply(ctx context.Context, tx pgx.Tx, ev events.Recorded, payload any) error {
	w := writer{n: n, tx: tx, key: ev.ID.String(), at: ev.RecordedAt, fresh: n.fresh(ev)}
	var err error
	switch e := payload.(type) {
	case directoryevents.AssociationRegistered:
		_, err = tx.Exec(ctx, `INSERT INTO notifications.recipients (association_id, name, languages, contact) VALUES ($1, $2, $3, $4)
			ON CONFLICT (association_id) DO UPDATE SET name = excluded.name, languages = excluded.languages, contact = excluded.contact`,
			e.AssociationID, e.Profile.Name, nonNil(e.Profile.Languages), sealed(e.Profile.Contact))
	case directoryevents.AssociationProfileUpdated:
		err = n.updateRecipient(ctx, tx, e)
	case directoryevents.AssociationContactForgotten:
		_, err = tx.Exec(ctx, `UPDATE notifications.recipients SET contact = NULL WHERE association_id = $1`, e.AssociationID)
	case directoryevents.AssociationVerified:
		err = w.tell(ctx, e.AssociationID, message.AssociationVerified, message.Facts{Link: n.link("associations", "Association", e.AssociationID)})
	case directoryevents.AssociationRejected:
		err = w.tell(ctx, e.AssociationID, message.AssociationRejected, message.Facts{Reason: e.Reason})
	case directoryevents.AssociationKeyRenewed:
		err = w.tell(ctx, e.AssociationID, message.AssociationKeyRenewed, message.Facts{Link: n.link("associations", "Association", e.AssociationID)})
	case sessionevents.CityOpened:
		_, err = tx.Exec(ctx, `INSERT INTO notifications.cities (slug, name) VALUES ($1, $2) ON CONFLICT (slug) DO UPDATE SET name = excluded.name`,
			e.Slug, e.Name)
	case sessionevents.SessionScheduled:
		_, err = tx.Exec(ctx, `INSERT INTO notifications.sessions (id, city, title_en, title_fr, title_es, start_at, time_zone, venue_name, venue_address)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (id) DO NOTHING`,
			e.SessionID, e.City, e.Title.EN, e.Title.FR, e.Title.ES, e.Timing.Start, e.Timing.TimeZone, e.Venue.Name, e.Venue.Address)
		if err == nil {
			err = planReminders(ctx, tx, e.SessionID, e.Timing, e.ScheduledAt)
		}
	case sessionevents.SessionRescheduled:
		if _, err = tx.Exec(ctx, `UPDATE notifications.sessions SET start_at = $2 WHERE id = $1`, e.SessionID, e.Timing.Start); err == nil {
			if err = planReminders(ctx, tx, e.SessionID, e.Timing, e.At); err == nil {
				err = w.tellSession(ctx, e.SessionID, false, message.SessionRescheduled, message.Facts{})
			}
		}
	case sessionevents.SessionCancelled:
		if err = w.tellSession(ctx, e.SessionID, false, message.SessionCancelled, message.Facts{Reason: e.Reason}); err == nil {
			if _, err = tx.Exec(ctx, `UPDATE notifications.registrations SET active = false, confirmed = false WHERE session_id = $1`, e.SessionID); err == nil {
				_, err = tx.Exec(ctx, `DELETE FROM notifications.reminders WHERE session_id = $1`, e.SessionID)
			}
		}
	case sessionevents.RegistrationConfirmed:
		err = w.register(ctx, e.SessionID, e.RegistrationID, e.AssociationID, e.Seats, true, message.RegistrationConfirmed)
	case sessionevents.RegistrationWaitlisted:
		err = w.register(ctx, e.SessionID, e.RegistrationID, e.AssociationID, e.Seats, false, message.RegistrationWaitlisted)
	case sessionevents.RegistrationPromoted:
		if err = n.confirm(ctx, tx, e.RegistrationID); err == nil {
			err = w.tellRegistration(ctx, e.RegistrationID, message.RegistrationPromoted, message.Facts{})
		}
	case sessionevents.WaitlistOfferMade:
		err = w.tellRegistration(ctx, e.RegistrationID, message.OfferMade, message.Facts{Until: e.ExpiresAt})
	case sessionevents.WaitlistOfferExpired:
		if err = w.tellRegistration(ctx, e.RegistrationID, message.OfferExpired, message.Facts{Until: e.At}); err == nil {
			err = n.deactivate(ctx, tx, e.RegistrationID)
		}
	case sessionevents.WaitlistOfferAccepted:
		// The association accepted the seats itself: it knows; it is reminded with the others.
		err = n.confirm(ctx, tx, e.RegistrationID)
	case sessionevents.RegistrationCheckedIn:
		_, err = tx.Exec(ctx, `UPDATE notifications.registrations SET attended = $2 WHERE id = $1`, e.RegistrationID, e.Seats)
	case sessionevents.CheckInUndone:
		_, err = tx.Exec(ctx, `UPDATE notifications.registrations SET attended = NULL WHERE id = $1`, e.RegistrationID)
	case sessionevents.AttendanceRecorded:
		for _, a := range e.Attendance {
			if _, err = tx.Exec(ctx, `UPDATE notifications.registrations SET attended = $2 WHERE id = $1`, a.RegistrationID, a.AttendedSeats); err != nil {
				break
			}
		}
	case sessionevents.WaitlistOfferDeclined:
		err = n.deactivate(ctx, tx, e.RegistrationID)
	case sessionevents.RegistrationCancelled:
		err = n.deactivate(ctx, tx, e.RegistrationID)
	case proposalevents.ProposalDrafted:
		_, err = tx.Exec(ctx, `INSERT INTO notifications.proposals (id, association_id, title_en, title_fr, title_es) VALUES ($1, $2, $3, $4, $5)
			ON CONFLICT (id) DO NOTHING`, e.ProposalID, e.AssociationID, e.Content.Title.EN, e.Content.Title.FR, e.Content.Title.ES)
	case proposalevents.ProposalUpdated:
		_, err = tx.Exec(ctx, `UPDATE notifications.proposals SET title_en = $2, title_fr = $3, title_es = $4 WHERE id = $1`,
			e.ProposalID, e.Content.Title.EN, e.Content.Title.FR, e.Content.Title.ES)
	case proposalevents.ProposalDecided:
		err = w.tellProposal(ctx, e)
	case notificationevents.CoordinatorMessageSent:
		err = w.tellAudience(ctx, e)
	default:
		err = w.expertise(ctx, payload)
	}
	if err != nil {
		return fmt.Errorf("notifier, %s: %w", ev.Type, err)
	}
	return nil
}

func (n Notifier) updateRecipient(ctx context.Context, tx pgx.Tx, e directoryevents.AssociationProfileUpdated) error {
	for _, f := range e.Fields {
		var err error
		switch f {
		case "name":
			if e.Changes.Name != nil {
				_, err = tx.Exec(ctx, `UPDATE notifications.recipients SET name = $2 WHERE association_id = $1`, e.AssociationID, *e.Changes.Name)
			}
		case "languages":
			var langs []string
			if e.Changes.Languages != nil {
				langs = *e.Changes.Languages
			}
			_, err = tx.Exec(ctx, `UPDATE notifications.recipients SET languages = $2 WHERE association_id = $1`, e.AssociationID, nonNil(langs))
		case "contact":
			_, err = tx.Exec(ctx, `UPDATE notifications.recipients SET contact = $2 WHERE association_id = $1`, e.AssociationID, sealed(e.Changes.Contact))
		}
		if err != nil {
			return err
		}
	}
	return nil
}

func (n Notifier) deactivate(ctx context.Context, tx pgx.Tx, registrationID string) error {
	_, err := tx.Exec(ctx, `UPDATE notifications.registrations SET active = false, confirmed = false WHERE id = $1`, registrationID)
	return err
}

func (n Notifier) confirm(ctx context.Context, tx pgx.Tx, registrationID string) error {
	_, err := tx.Exec(ctx, `UPDATE notifications.registrations SET confirmed = true WHERE id = $1`, registrationID)
	return err
}

// fresh tells whether an event is recent enough to tell anyone.
func (n Notifier) fresh(ev events.Recorded) bool {
	if n.MaxAge <= 0 || ev.RecordedAt.IsZero() {
		return true
	}
	now := time.Now
	if n.Now != nil {
		now = n.Now
	}
	return now().Sub(ev.RecordedAt) <= n.MaxAge
}

// planReminders sets a session's reminders for its timing; one already due at the
// change (a session scheduled or moved to within two days) is not sent.
func planReminders(ctx context.Context, tx pgx.Tx, sessionID string, t sessionevents.Timing, at time.Time) error {
	loc, err := time.LoadLocation(t.TimeZone)
	if err != nil {
		return projector.Permanent(fmt.Errorf("session %s: %w", sessionID, err))
	}
	for kind, due := range message.Reminders(t.Start, loc) {
		if _, err := tx.Exec(ctx, `INSERT INTO notifications.reminders (session_id, kind, due_at, done) VALUES ($1, $2, $3, $4)
			ON CONFLICT (session_id, kind) DO UPDATE SET due_at = excluded.due_at, done = excluded.done`,
			sessionID, string(kind), due, !due.After(at)); err != nil {
			return err
		}
	}
	return nil
}

// link is the web app's page of an object: its path and GraphQL id.
func (n Notifier) link(path, kind, id string) string {
	if n.PublicURL == "" {
		return ""
	}
	return n.PublicURL + "/" + path + "/" + base64.RawURLEncoding.EncodeToString([]byte(kind+":"+id))
}

// writer writes the messages one cause (an event, a reminder) brings about.
type writer struct {
	n  Notifier
	tx pgx.Tx
	// key names the cause: with the recipient, it makes the message's id.
	key string
	// at is when the cause happened.
	at time.Time
	// fresh is false for a cause too old to tell anyone of.
	fresh bool
}

func (w writer) register(ctx context.Context, sessionID, registrationID, associationID string, seats int, confirmed bool, kind message.Kind) error {
	if _, err := w.tx.Exec(ctx, `INSERT INTO notifications.registrations (id, session_id, association_id, seats, active, confirmed)
		VALUES ($1, $2, $3, $4, true, $5) ON CONFLICT (id) DO NOTHING`, registrationID, sessionID, associationID, seats, confirmed); err != nil {
		return err
	}
	return w.tellRegistration(ctx, registrationID, kind, message.Facts{})
}

// tellRegistration tells a registration's association about its session.
func (w writer) tellRegistration(ctx context.Context, registrationID string, kind message.Kind, f message.Facts) error {
	var sessionID, associationID string
	err := w.tx.QueryRow(ctx, `SELECT session_id::text, association_id::text, seats FROM notifications.registrations WHERE id = $1`,
		registrationID).Scan(&sessionID, &associationID, &f.Seats)
	if errors.Is(err, pgx.ErrNoRows) {
		return projector.Permanent(fmt.Errorf("registration %s is unknown", registrationID))
	}
	if err != nil {
		return err
	}
	return w.tellAbout(ctx, sessionID, []string{associationID}, []int{f.Seats}, kind, f)
}

// tellSession tells every association holding or waiting for seats at a session, or
// only those holding confirmed ones.
func (w writer) tellSession(ctx context.Context, sessionID string, confirmedOnly bool, kind message.Kind, f message.Facts) error {
	ids, seats, err := w.recipients(ctx, `SELECT association_id::text, seats FROM notifications.registrations
		WHERE session_id = $1 AND active AND (confirmed OR NOT $2) ORDER BY id`, sessionID, confirmedOnly)
	if err != nil {
		return err
	}
	return w.tellAbout(ctx, sessionID, ids, seats, kind, f)
}

// tellAudience writes a coordinator's message to the associations of its audience.
func (w writer) tellAudience(ctx context.Context, e notificationevents.CoordinatorMessageSent) error {
	ids, seats, err := w.recipients(ctx, `SELECT association_id::text, max(seats) FROM notifications.registrations WHERE `+
		audienceSQL(e.Audience)+` GROUP BY association_id ORDER BY association_id`, e.SessionID)
	if err != nil {
		return err
	}
	return w.tellAbout(ctx, e.SessionID, ids, seats, message.CoordinatorMessage, message.Facts{Subject: e.Subject, Text: e.Body})
}

// recipients reads (association, seats) rows.
func (w writer) recipients(ctx context.Context, sql string, args ...any) ([]string, []int, error) {
	rows, err := w.tx.Query(ctx, sql, args...)
	if err != nil {
		return nil, nil, err
	}
	var (
		ids   []string
		seats []int
		id    string
		n     int
	)
	_, err = pgx.ForEachRow(rows, []any{&id, &n}, func() error { ids, seats = append(ids, id), append(seats, n); return nil })
	return ids, seats, err
}

func (w writer) tellAbout(ctx context.Context, sessionID string, associations []string, seats []int, kind message.Kind, f message.Facts) error {
	if len(associations) == 0 || !w.fresh {
		return nil
	}
	var (
		title sessionevents.Text
		zone  string
	)
	err := w.tx.QueryRow(ctx, `SELECT coalesce(c.name, s.city), s.title_en, s.title_fr, s.title_es, s.start_at, s.time_zone,
		s.venue_name, s.venue_address FROM notifications.sessions s LEFT JOIN notifications.cities c ON c.slug = s.city WHERE s.id = $1`,
		sessionID).Scan(&f.Session.City, &title.EN, &title.FR, &title.ES, &f.Session.Start, &zone, &f.Session.Venue, &f.Session.Address)
	if errors.Is(err, pgx.ErrNoRows) {
		return projector.Permanent(fmt.Errorf("session %s is unknown", sessionID))
	}
	if err != nil {
		return err
	}
	if f.Session.Location, err = time.LoadLocation(zone); err != nil {
		return projector.Permanent(fmt.Errorf("session %s: %w", sessionID, err))
	}
	f.Link = w.n.link("dialogues", "DialogueSession", sessionID)
	for i, a := range associations {
		f.Seats = seats[i]
		if err := w.write(ctx, a, kind, f, func(lang string, f *message.Facts) { f.Session.Title = title.In(lang) }); err != nil {
			return err
		}
	}
	return nil
}

func (w writer) tellProposal(ctx context.Context, e proposalevents.ProposalDecided) error {
	var (
		association string
		title       sessionevents.Text
	)
	err := w.tx.QueryRow(ctx, `SELECT association_id::text, title_en, title_fr, title_es FROM notifications.proposals WHERE id = $1`,
		e.ProposalID).Scan(&association, &title.EN, &title.FR, &title.ES)
	if errors.Is(err, pgx.ErrNoRows) {
		return projector.Permanent(fmt.Errorf("proposal %s is unknown", e.ProposalID))
	}
	if err != nil {
		return err
	}
	f := message.Facts{Reason: e.Reason, Approved: e.Decision == proposalevents.Approved, Link: w.n.link("proposals", "Proposal", e.ProposalID)}
	return w.write(ctx, association, message.ProposalDecided, f, func(lang string, f *message.Facts) { f.Proposal = title.In(lang) })
}

// tell writes one message to an association about itself.
func (w writer) tell(ctx context.Context, associationID string, kind message.Kind, f message.Facts) error {
	return w.write(ctx, associationID, kind, f, func(string, *message.Facts) {})
}

// write composes a message in the association's language (localize sets the facts that
// depend on it) and puts it in the outbox, once per event and association.
func (w writer) write(ctx context.Context, associationID string, kind message.Kind, f message.Facts, localize func(string, *message.Facts)) error {
	if !w.fresh {
		return nil
	}
	var (
		name      string
		languages []string
	)
	err := w.tx.QueryRow(ctx, `SELECT name, languages FROM notifications.recipients WHERE association_id = $1`, associationID).
		Scan(&name, &languages)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil // an association the directory never told of: nobody to write to
	}
	if err != nil {
		return err
	}
	lang := message.LanguageOf(languages)
	localize(lang, &f)
	f.Association = name
	m, err := message.Compose(kind, lang, f)
	if err != nil {
		return projector.Permanent(err)
	}
	return w.put(ctx, recipient{association: associationID}, m)
}

// recipient is whom an outbox message is for: one of an association, an expert, an
// institution.
type recipient struct{ association, expert, institution string }

func (r recipient) id() string { return r.association + r.expert + r.institution }

// put writes a composed message to the outbox, once per cause and recipient.
func (w writer) put(ctx context.Context, to recipient, m message.Message) error {
	id := uuid.NewSHA1(outboxNamespace, []byte(w.key+"/"+to.id()))
	at := w.at
	if at.IsZero() {
		at = time.Now()
	}
	null := func(s string) any {
		if s == "" {
			return nil
		}
		return s
	}
	_, err := w.tx.Exec(ctx, `INSERT INTO notifications.outbox (id, association_id, expert_id, institution_id, kind, language, subject, body, created_at, due_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) ON CONFLICT (id) DO NOTHING`,
		id, null(to.association), null(to.expert), null(to.institution), string(m.Kind), m.Language, m.Subject, m.Text, at)
	return err
}

// outboxNamespace derives a message's id from the event and the recipient.
var outboxNamespace = uuid.MustParse("4f1d9c3e-6a51-4d0e-9a7c-2b8e5f0c1d77")

func sealed(c *directoryevents.SealedContact) []byte {
	if c == nil {
		return nil
	}
	return c.Ciphertext
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
