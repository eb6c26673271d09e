package projection

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/jackc/pgx/v5"

	"passerelle.dev/events"
	"passerelle.dev/events/projector"
	"passerelle.dev/events/sessionevents"
)

// CitiesName is the cities projection's consumer group.
const CitiesName = "graph.cities"

// Cities keeps graph.cities and graph.city_coordinators.
type Cities struct{}

var _ projector.Projection = Cities{}

// Name implements projector.Projection.
func (Cities) Name() string { return CitiesName }

// Handles implements projector.Projection.
func (Cities) Handles(eventType string) bool {
	return slices.Contains(sessionevents.CityEventTypes, eventType)
}

// Apply implements projector.Projection.
func (Cities) Apply(ctx context.Context, tx pgx.Tx, _ events.Recorded, payload any) error {
	var err error
	switch e := payload.(type) {
	case sessionevents.CityOpened:
		_, err = tx.Exec(ctx, `INSERT INTO graph.cities (slug, name, time_zone, country, opened_at) VALUES ($1, $2, $3, $4, $5)`,
			e.Slug, e.Name, e.TimeZone, e.Country, e.OpenedAt)
	case sessionevents.CoordinatorAppointed:
		_, err = tx.Exec(ctx, `INSERT INTO graph.city_coordinators (city, id, name, appointed_at) VALUES ($1, $2, $3, $4)`,
			e.City, e.CoordinatorID, e.Name, e.At)
	case sessionevents.CoordinatorDismissed:
		_, err = tx.Exec(ctx, `DELETE FROM graph.city_coordinators WHERE city = $1 AND id = $2`, e.City, e.CoordinatorID)
	}
	return err
}

// Reset implements projector.Projection.
func (Cities) Reset(ctx context.Context, tx pgx.Tx) error {
	_, err := tx.Exec(ctx, `TRUNCATE graph.city_coordinators, graph.cities RESTART IDENTITY`)
	return err
}

// SessionsName is the sessions projection's consumer group.
const SessionsName = "graph.sessions"

// Sessions keeps graph.sessions and graph.session_registrations.
type Sessions struct{}

var _ projector.Projection = Sessions{}

// Name implements projector.Projection.
func (Sessions) Name() string { return SessionsName }

// Handles implements projector.Projection.
func (Sessions) Handles(eventType string) bool {
	return strings.HasPrefix(eventType, "sessions.") && !slices.Contains(sessionevents.CityEventTypes, eventType)
}

// Apply implements projector.Projection.
func (Sessions) Apply(ctx context.Context, tx pgx.Tx, ev events.Recorded, payload any) error {
	exec := func(sql string, args ...any) error {
		_, err := tx.Exec(ctx, sql, args...)
		return err
	}
	switch e := payload.(type) {
	case sessionevents.SessionScheduled:
		stakeholders, err := json.Marshal(nonNil(e.Stakeholders))
		if err != nil {
			return projector.Permanent(err)
		}
		t := e.Timing
		return exec(`INSERT INTO graph.sessions (id, city, title_en, title_fr, title_es, description_en, description_fr,
				description_es, theme, origin_countries, venue_name, venue_address, start_at, end_at, local_start, time_zone,
				duration_minutes, registration_deadline, capacity, status, stakeholders, updated_at, stream_version)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, 'SCHEDULED', $20, $21, $22)`,
			e.SessionID, e.City, e.Title.EN, e.Title.FR, e.Title.ES, e.Description.EN, e.Description.FR, e.Description.ES,
			e.Theme, e.OriginCountries, e.Venue.Name, e.Venue.Address, t.Start, t.End(), t.LocalStart, t.TimeZone,
			t.DurationMinutes, t.Deadline, e.Capacity, stakeholders, e.ScheduledAt, ev.StreamVersion)
	case sessionevents.SessionRescheduled:
		t := e.Timing
		return session(ctx, tx, e.SessionID, ev, `start_at = $2, end_at = $3, local_start = $4, duration_minutes = $5,
			registration_deadline = $6, updated_at = $7`, t.Start, t.End(), t.LocalStart, t.DurationMinutes, t.Deadline, e.At)
	case sessionevents.SessionCapacityChanged:
		return session(ctx, tx, e.SessionID, ev, `capacity = $2, updated_at = $3`, e.Capacity, e.At)
	case sessionevents.SessionCancelled:
		if err := exec(`UPDATE graph.session_registrations SET status = 'CANCELLED' WHERE session_id = $1`, e.SessionID); err != nil {
			return err
		}
		if err := session(ctx, tx, e.SessionID, ev, `status = 'CANCELLED', cancellation_reason = $2, updated_at = $3`, e.Reason, e.At); err != nil {
			return err
		}
		return recount(ctx, tx, e.SessionID)
	case sessionevents.RegistrationConfirmed:
		return register(ctx, tx, ev, e.SessionID, e.RegistrationID, e.AssociationID, e.Seats, "CONFIRMED", e.At)
	case sessionevents.RegistrationWaitlisted:
		return register(ctx, tx, ev, e.SessionID, e.RegistrationID, e.AssociationID, e.Seats, "WAITLISTED", e.At)
	case sessionevents.RegistrationPromoted:
		return registrationStatus(ctx, tx, ev, e.SessionID, e.RegistrationID, "CONFIRMED", e.At)
	case sessionevents.RegistrationCancelled:
		return registrationStatus(ctx, tx, ev, e.SessionID, e.RegistrationID, "CANCELLED", e.At)
	case sessionevents.AttendanceRecorded:
		for _, a := range e.Attendance {
			if err := exec(`UPDATE graph.session_registrations SET attended_seats = $2 WHERE id = $1`, a.RegistrationID, a.AttendedSeats); err != nil {
				return err
			}
		}
		return session(ctx, tx, e.SessionID, ev, `updated_at = $2, attended_seats = (SELECT coalesce(sum(attended_seats), 0)
			FROM graph.session_registrations WHERE session_id = $1 AND attended_seats IS NOT NULL)`, e.At)
	case sessionevents.OutcomeRecorded:
		outcome, err := json.Marshal(e)
		if err != nil {
			return projector.Permanent(err)
		}
		return session(ctx, tx, e.SessionID, ev, `outcome = $2, updated_at = $3`, outcome, e.At)
	}
	return nil
}

// session updates a session's row ($1 is its id) and its stream version; the row must
// exist, the log delivering a stream's events in order.
func session(ctx context.Context, tx pgx.Tx, id string, ev events.Recorded, set string, args ...any) error {
	tag, err := tx.Exec(ctx, `UPDATE graph.sessions SET `+set+`, stream_version = `+fmt.Sprintf("$%d", len(args)+2)+` WHERE id = $1`,
		append(append([]any{id}, args...), ev.StreamVersion)...)
	if err != nil {
		return err
	}
	if tag.RowsAffected() != 1 {
		return projector.Permanent(fmt.Errorf("session %s is not in the read model", id))
	}
	return nil
}

func register(ctx context.Context, tx pgx.Tx, ev events.Recorded, sessionID, id, association string, seats int, status string, at any) error {
	if _, err := tx.Exec(ctx, `INSERT INTO graph.session_registrations (id, session_id, association_id, seats, status, arrival, registered_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7)`, id, sessionID, association, seats, status, ev.StreamVersion, at); err != nil {
		return err
	}
	if err := session(ctx, tx, sessionID, ev, `updated_at = $2`, at); err != nil {
		return err
	}
	return recount(ctx, tx, sessionID)
}

func registrationStatus(ctx context.Context, tx pgx.Tx, ev events.Recorded, sessionID, id, status string, at any) error {
	tag, err := tx.Exec(ctx, `UPDATE graph.session_registrations SET status = $2 WHERE id = $1`, id, status)
	if err != nil {
		return err
	}
	if tag.RowsAffected() != 1 {
		return projector.Permanent(fmt.Errorf("registration %s is not in the read model", id))
	}
	if err := session(ctx, tx, sessionID, ev, `updated_at = $2`, at); err != nil {
		return err
	}
	return recount(ctx, tx, sessionID)
}

// recount keeps the session's seat counts equal to what its registrations say.
func recount(ctx context.Context, tx pgx.Tx, sessionID string) error {
	_, err := tx.Exec(ctx, `UPDATE graph.sessions s SET
		confirmed_seats = (SELECT coalesce(sum(seats), 0) FROM graph.session_registrations WHERE session_id = s.id AND status = 'CONFIRMED'),
		waitlist_length = (SELECT count(*) FROM graph.session_registrations WHERE session_id = s.id AND status = 'WAITLISTED')
		WHERE s.id = $1`, sessionID)
	return err
}

// Reset implements projector.Projection.
func (Sessions) Reset(ctx context.Context, tx pgx.Tx) error {
	_, err := tx.Exec(ctx, `TRUNCATE graph.session_registrations, graph.sessions RESTART IDENTITY`)
	return err
}
