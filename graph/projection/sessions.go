package projection

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

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
func (Cities) Apply(ctx context.Context, tx pgx.Tx, ev events.Recorded, payload any) error {
	return applyFold(ctx, tx, citiesFold{}, []events.Recorded{ev}, []any{payload})
}

// ApplyPage implements projector.PageApplier.
func (Cities) ApplyPage(ctx context.Context, tx pgx.Tx, evs []events.Recorded, payloads []any) error {
	return applyFold(ctx, tx, citiesFold{}, evs, payloads)
}

var (
	citiesTable      = newTable("cities", 1, "slug", "seq", "name", "time_zone", "country", "opened_at")
	coordinatorTable = newTable("city_coordinators", 2, "city", "id", "name", "appointed_at")
)

// citiesFold is how a city's events make its row and its coordinators'.
type citiesFold struct{}

func (citiesFold) tables() []*table     { return []*table{citiesTable, coordinatorTable} }
func (citiesFold) streamPrefix() string { return sessionevents.CityStreamPrefix }
func (citiesFold) sums() []*sumTable    { return nil }
func (citiesFold) newEntity(stream string) entity {
	return &cityState{slug: strings.TrimPrefix(stream, sessionevents.CityStreamPrefix)}
}

type cityState struct {
	slug, name, timeZone, country string
	seq                           int64
	openedAt                      time.Time
	coordinators                  []coordinatorRow
	exists                        bool
}

type coordinatorRow struct {
	id, name    string
	appointedAt time.Time
}

func (c *cityState) apply(rec events.Recorded, payload any) error {
	if _, opened := payload.(sessionevents.CityOpened); !opened && !c.exists {
		return projector.Permanent(fmt.Errorf("city %s is not in the read model", c.slug))
	}
	switch e := payload.(type) {
	case sessionevents.CityOpened:
		if c.exists {
			return projector.Permanent(fmt.Errorf("city %s opened twice", c.slug))
		}
		c.exists, c.seq = true, rec.Position.GlobalPosition
		c.name, c.timeZone, c.country, c.openedAt = e.Name, e.TimeZone, e.Country, e.OpenedAt
	case sessionevents.CoordinatorAppointed:
		if slices.ContainsFunc(c.coordinators, func(r coordinatorRow) bool { return r.id == e.CoordinatorID }) {
			return projector.Permanent(fmt.Errorf("city %s: coordinator %s appointed twice", c.slug, e.CoordinatorID))
		}
		c.coordinators = append(slices.Clip(c.coordinators), coordinatorRow{id: e.CoordinatorID, name: e.Name, appointedAt: e.At})
	case sessionevents.CoordinatorDismissed:
		c.coordinators = slices.DeleteFunc(slices.Clone(c.coordinators), func(r coordinatorRow) bool { return r.id == e.CoordinatorID })
	default:
		return projector.Permanent(fmt.Errorf("city %s: unknown event %T", c.slug, payload))
	}
	return nil
}

func (c *cityState) rows(emit func(int, []any)) {
	if !c.exists {
		return
	}
	emit(0, []any{&c.slug, &c.seq, &c.name, &c.timeZone, &c.country, &c.openedAt})
	for i := range c.coordinators {
		r := &c.coordinators[i]
		emit(1, []any{&c.slug, &r.id, &r.name, &r.appointedAt})
	}
}

func (citiesFold) load(ctx context.Context, tx pgx.Tx, streams []string) (map[string]entity, error) {
	slugs := make([]string, len(streams))
	for i, s := range streams {
		slugs[i] = strings.TrimPrefix(s, sessionevents.CityStreamPrefix)
	}
	out := map[string]entity{}
	batch := &pgx.Batch{}
	batch.Queue(`SELECT slug, seq, name, time_zone, country, opened_at FROM graph.cities WHERE slug = ANY($1)`, slugs).
		Query(func(rows pgx.Rows) error {
			c := &cityState{exists: true}
			_, err := pgx.ForEachRow(rows, []any{&c.slug, &c.seq, &c.name, &c.timeZone, &c.country, &c.openedAt}, func() error {
				copied := *c
				out[sessionevents.CityStreamID(c.slug)] = &copied
				return nil
			})
			return err
		})
	batch.Queue(`SELECT city, id::text, name, appointed_at FROM graph.city_coordinators WHERE city = ANY($1) ORDER BY appointed_at, id`, slugs).
		Query(func(rows pgx.Rows) error {
			var (
				city string
				r    coordinatorRow
			)
			_, err := pgx.ForEachRow(rows, []any{&city, &r.id, &r.name, &r.appointedAt}, func() error {
				if c, ok := out[sessionevents.CityStreamID(city)].(*cityState); ok {
					c.coordinators = append(c.coordinators, r)
				}
				return nil
			})
			return err
		})
	if err := tx.SendBatch(ctx, batch).Close(); err != nil {
		return nil, fmt.Errorf("read cities: %w", err)
	}
	return out, nil
}

// Reset implements projector.Projection.
func (Cities) Reset(ctx context.Context, tx pgx.Tx) error {
	_, err := tx.Exec(ctx, `TRUNCATE graph.city_coordinators, graph.cities`)
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
	return strings.HasPrefix(eventType, "sessions.") && !slices.Contains(sessionevents.CityEventTypes, eventType) &&
		!slices.Contains(sessionevents.SeriesEventTypes, eventType)
}

// Apply implements projector.Projection.
func (Sessions) Apply(ctx context.Context, tx pgx.Tx, ev events.Recorded, payload any) error {
	return applyFold(ctx, tx, sessionsFold{}, []events.Recorded{ev}, []any{payload})
}

// ApplyPage implements projector.PageApplier.
func (Sessions) ApplyPage(ctx context.Context, tx pgx.Tx, evs []events.Recorded, payloads []any) error {
	return applyFold(ctx, tx, sessionsFold{}, evs, payloads)
}

var (
	sessionsTable = newTable("sessions", 1, "id", "seq", "city", "title_en", "title_fr", "title_es", "description_en",
		"description_fr", "description_es", "theme", "origin_countries", "venue_name", "venue_address", "start_at", "end_at",
		"local_start", "time_zone", "duration_minutes", "registration_deadline", "capacity", "confirmed_seats",
		"waitlist_length", "status", "cancellation_reason", "stakeholders", "outcome", "attended_seats", "updated_at",
		"stream_version", "offer_hours", "offered_seats", "series_id", "occurrence")
	registrationsTable = newTable("session_registrations", 1, "id", "session_id", "association_id", "seats", "status",
		"arrival", "registered_at", "attended_seats", "checked_in_at", "offer_expires_at")
)

// sessionsFold is how a session's events make its row and its registrations'.
type sessionsFold struct{}

func (sessionsFold) tables() []*table     { return []*table{sessionsTable, registrationsTable} }
func (sessionsFold) streamPrefix() string { return sessionevents.SessionStreamPrefix }
func (sessionsFold) sums() []*sumTable    { return nil }
func (sessionsFold) newEntity(stream string) entity {
	id, _ := sessionevents.SessionIDFromStream(stream)
	return &sessionState{id: id}
}

// sessionState is a row of graph.sessions with its registrations, in arrival order.
type sessionState struct {
	id, city                       string
	seq                            int64
	title, description             sessionevents.Text
	theme                          string
	origins                        []string
	venue                          sessionevents.Venue
	start, end                     time.Time
	localStart, timeZone           string
	duration, capacity             int
	deadline                       time.Time
	confirmedSeats, waitlistLength int
	offerHours, offeredSeats       int
	seriesID, occurrence           *string
	status, cancellationReason     string
	stakeholders, outcome          []byte
	attendedSeats                  *int
	updatedAt                      time.Time
	streamVersion                  int64
	registrations                  []registrationRow
	exists                         bool
}

type registrationRow struct {
	id, association, status string
	seats                   int
	arrival                 int64
	registeredAt            time.Time
	attendedSeats           *int
	checkedInAt             *time.Time
	offerExpiresAt          *time.Time
}

func (s *sessionState) registration(id string) (int, error) {
	i := slices.IndexFunc(s.registrations, func(r registrationRow) bool { return r.id == id })
	if i < 0 {
		return 0, projector.Permanent(fmt.Errorf("registration %s is not in the read model", id))
	}
	return i, nil
}

func (s *sessionState) apply(rec events.Recorded, payload any) error {
	if _, scheduled := payload.(sessionevents.SessionScheduled); !scheduled && !s.exists {
		return projector.Permanent(fmt.Errorf("session %s is not in the read model", s.id))
	}
	// Every change is made on a copy of the registrations: a refused event leaves the
	// state as it was, and rows emitted before stay as they were.
	regs := slices.Clone(s.registrations)
	register := func(id, association string, seats int, status string, at time.Time) error {
		if slices.ContainsFunc(regs, func(r registrationRow) bool { return r.id == id }) {
			return projector.Permanent(fmt.Errorf("registration %s is in the read model already", id))
		}
		regs = append(regs, registrationRow{id: id, association: association, seats: seats, status: status,
			arrival: rec.StreamVersion, registeredAt: at})
		s.updatedAt = at
		return nil
	}
	setStatus := func(id, status string, at time.Time) error {
		i, err := s.registration(id)
		if err != nil {
			return err
		}
		regs[i].status = status
		if status != "OFFERED" {
			regs[i].offerExpiresAt = nil
		}
		s.updatedAt = at
		return nil
	}
	var err error
	switch e := payload.(type) {
	case sessionevents.SessionScheduled:
		if s.exists {
			return projector.Permanent(fmt.Errorf("session %s scheduled twice", s.id))
		}
		stakeholders, err := json.Marshal(nonNil(e.Stakeholders))
		if err != nil {
			return projector.Permanent(err)
		}
		t := e.Timing
		*s = sessionState{id: s.id, seq: rec.Position.GlobalPosition, city: e.City, title: e.Title, description: e.Description,
			theme: e.Theme, origins: e.OriginCountries, venue: e.Venue, start: t.Start, end: t.End(), localStart: t.LocalStart,
			timeZone: t.TimeZone, duration: t.DurationMinutes, deadline: t.Deadline, capacity: e.Capacity,
			status: "SCHEDULED", stakeholders: stakeholders, offerHours: e.OfferHours, seriesID: optionalText(e.SeriesID),
			occurrence: optionalText(e.Occurrence), updatedAt: e.ScheduledAt, exists: true}
		regs = nil
	case sessionevents.SessionRescheduled:
		t := e.Timing
		s.start, s.end, s.localStart, s.duration, s.deadline, s.updatedAt = t.Start, t.End(), t.LocalStart, t.DurationMinutes, t.Deadline, e.At
	case sessionevents.SessionCapacityChanged:
		s.capacity, s.updatedAt = e.Capacity, e.At
	case sessionevents.SessionCancelled:
		for i := range regs {
			if active(regs[i].status) {
				regs[i].status, regs[i].offerExpiresAt = "CANCELLED", nil
			}
		}
		s.status, s.cancellationReason, s.updatedAt = "CANCELLED", e.Reason, e.At
	case sessionevents.RegistrationConfirmed:
		err = register(e.RegistrationID, e.AssociationID, e.Seats, "CONFIRMED", e.At)
	case sessionevents.RegistrationWaitlisted:
		err = register(e.RegistrationID, e.AssociationID, e.Seats, "WAITLISTED", e.At)
	case sessionevents.RegistrationPromoted:
		err = setStatus(e.RegistrationID, "CONFIRMED", e.At)
	case sessionevents.RegistrationCancelled:
		err = setStatus(e.RegistrationID, "CANCELLED", e.At)
	case sessionevents.WaitlistOffersChanged:
		s.offerHours, s.updatedAt = e.OfferHours, e.At
	case sessionevents.WaitlistOfferMade:
		if err = setStatus(e.RegistrationID, "OFFERED", e.At); err == nil {
			i, _ := s.registration(e.RegistrationID)
			expires := e.ExpiresAt
			regs[i].offerExpiresAt = &expires
		}
	case sessionevents.WaitlistOfferAccepted:
		err = setStatus(e.RegistrationID, "CONFIRMED", e.At)
	case sessionevents.WaitlistOfferDeclined:
		err = setStatus(e.RegistrationID, "OFFER_DECLINED", e.At)
	case sessionevents.WaitlistOfferExpired:
		err = setStatus(e.RegistrationID, "OFFER_EXPIRED", e.At)
	case sessionevents.AttendanceRecorded:
		for _, a := range e.Attendance {
			if i := slices.IndexFunc(regs, func(r registrationRow) bool { return r.id == a.RegistrationID }); i >= 0 {
				regs[i].attendedSeats = &a.AttendedSeats
			}
		}
		s.attendedSeats, s.updatedAt = attendedOf(regs), e.At
	case sessionevents.RegistrationCheckedIn:
		var i int
		if i, err = s.registration(e.RegistrationID); err == nil {
			seats, at := e.Seats, e.At
			regs[i].attendedSeats, regs[i].checkedInAt = &seats, &at
			s.attendedSeats, s.updatedAt = attendedOf(regs), e.At
		}
	case sessionevents.CheckInUndone:
		var i int
		if i, err = s.registration(e.RegistrationID); err == nil {
			regs[i].attendedSeats, regs[i].checkedInAt = nil, nil
			s.attendedSeats, s.updatedAt = attendedOf(regs), e.At
		}
	case sessionevents.OutcomeRecorded:
		outcome, err := json.Marshal(e)
		if err != nil {
			return projector.Permanent(err)
		}
		s.outcome, s.updatedAt = outcome, e.At
	default:
		return projector.Permanent(fmt.Errorf("session %s: unknown event %T", s.id, payload))
	}
	if err != nil {
		return err
	}
	s.registrations, s.streamVersion = regs, rec.StreamVersion
	// The seat counts are what the registrations say.
	s.confirmedSeats, s.waitlistLength, s.offeredSeats = 0, 0, 0
	for _, r := range regs {
		switch r.status {
		case "CONFIRMED":
			s.confirmedSeats += r.seats
		case "WAITLISTED":
			s.waitlistLength++
		case "OFFERED":
			s.offeredSeats += r.seats
		}
	}
	return nil
}

// optionalText is NULL for an empty string.
func optionalText(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// active tells whether a registration still holds or waits for seats.
func active(status string) bool {
	return status == "CONFIRMED" || status == "WAITLISTED" || status == "OFFERED"
}

// attendedOf sums the seats used by the registrations whose attendance is known (checked
// in, or recorded after the session); nil while none is.
func attendedOf(regs []registrationRow) *int {
	known, n := false, 0
	for _, r := range regs {
		if r.attendedSeats != nil {
			known, n = true, n+*r.attendedSeats
		}
	}
	if !known {
		return nil
	}
	return &n
}

func (s *sessionState) rows(emit func(int, []any)) {
	if !s.exists {
		return
	}
	emit(0, []any{&s.id, &s.seq, &s.city, &s.title.EN, &s.title.FR, &s.title.ES, &s.description.EN, &s.description.FR,
		&s.description.ES, &s.theme, &s.origins, &s.venue.Name, &s.venue.Address, &s.start, &s.end, &s.localStart,
		&s.timeZone, &s.duration, &s.deadline, &s.capacity, &s.confirmedSeats, &s.waitlistLength, &s.status,
		&s.cancellationReason, &s.stakeholders, &s.outcome, &s.attendedSeats, &s.updatedAt, &s.streamVersion,
		&s.offerHours, &s.offeredSeats, &s.seriesID, &s.occurrence})
	for i := range s.registrations {
		r := &s.registrations[i]
		emit(1, []any{&r.id, &s.id, &r.association, &r.seats, &r.status, &r.arrival, &r.registeredAt, &r.attendedSeats,
			&r.checkedInAt, &r.offerExpiresAt})
	}
}

func (sessionsFold) load(ctx context.Context, tx pgx.Tx, streams []string) (map[string]entity, error) {
	ids := make([]string, 0, len(streams))
	for _, st := range streams {
		if id, ok := sessionevents.SessionIDFromStream(st); ok {
			ids = append(ids, id)
		}
	}
	out := map[string]entity{}
	batch := &pgx.Batch{}
	batch.Queue(`SELECT id::text, seq, city, title_en, title_fr, title_es, description_en, description_fr, description_es,
		theme, origin_countries, venue_name, venue_address, start_at, end_at, local_start, time_zone, duration_minutes,
		registration_deadline, capacity, confirmed_seats, waitlist_length, status, cancellation_reason, stakeholders,
		outcome, attended_seats, updated_at, stream_version, offer_hours, offered_seats, series_id::text, occurrence FROM graph.sessions WHERE id = ANY($1::uuid[])`, ids).
		Query(func(rows pgx.Rows) error {
			for rows.Next() {
				s := &sessionState{exists: true}
				if err := rows.Scan(fieldsOf(s, 0)...); err != nil {
					return err
				}
				out[sessionevents.SessionStreamID(s.id)] = s
			}
			return rows.Err()
		})
	batch.Queue(`SELECT id::text, session_id::text, association_id::text, seats, status, arrival, registered_at, attended_seats,
		checked_in_at, offer_expires_at FROM graph.session_registrations WHERE session_id = ANY($1::uuid[])
		ORDER BY session_id, arrival`, ids).
		Query(func(rows pgx.Rows) error {
			var (
				session string
				r       registrationRow
			)
			_, err := pgx.ForEachRow(rows, []any{&r.id, &session, &r.association, &r.seats, &r.status, &r.arrival, &r.registeredAt,
				&r.attendedSeats, &r.checkedInAt, &r.offerExpiresAt}, func() error {
				if s, ok := out[sessionevents.SessionStreamID(session)].(*sessionState); ok {
					s.registrations = append(s.registrations, r)
				}
				r.attendedSeats, r.checkedInAt, r.offerExpiresAt = nil, nil, nil
				return nil
			})
			return err
		})
	if err := tx.SendBatch(ctx, batch).Close(); err != nil {
		return nil, fmt.Errorf("read sessions: %w", err)
	}
	return out, nil
}

// Reset implements projector.Projection.
func (Sessions) Reset(ctx context.Context, tx pgx.Tx) error {
	_, err := tx.Exec(ctx, `TRUNCATE graph.session_registrations, graph.sessions`)
	return err
}
