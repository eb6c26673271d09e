package readmodel

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"passerelle.dev/graph/tables"

	"passerelle.dev/events/sessionevents"
)

// City is a row of the cities read model.
type City struct {
	Slug, Name, TimeZone, Country string
}

// Session is a row of the sessions read model.
type Session struct {
	ID                 string
	Seq                int64
	City               string
	Title              sessionevents.Text
	Description        sessionevents.Text
	Theme              string
	OriginCountries    []string
	Venue              sessionevents.Venue
	Start, End         time.Time
	LocalStart         string
	TimeZone           string
	DurationMinutes    int
	Deadline           time.Time
	Capacity           int
	ConfirmedSeats     int
	WaitlistLength     int
	Status             string // SCHEDULED or CANCELLED
	CancellationReason string
	Stakeholders       []sessionevents.Stakeholder
	Outcome            *sessionevents.OutcomeRecorded
	// AttendedSeats is nil until attendance is recorded.
	AttendedSeats *int
	UpdatedAt     time.Time
	StreamVersion int64
	// OfferHours is how long freed seats are offered to the head of the waitlist; zero
	// promotes it at once.
	OfferHours int
	// OfferedSeats are held by outstanding offers: neither confirmed nor free.
	OfferedSeats int
	// SeriesID and Occurrence place the session in a series: nil for one on its own.
	SeriesID, Occurrence *string
}

// Registration is a row of the registrations read model.
type Registration struct {
	ID            string
	SessionID     string
	AssociationID string
	Seats         int
	Status        string
	RegisteredAt  time.Time
	// AttendedSeats is nil until the registration is checked in or attendance is
	// recorded.
	AttendedSeats *int
	// CheckedInAt is when it was checked in at the door, nil if not (or undone).
	CheckedInAt *time.Time
	// OfferExpiresAt is when the seats offered to it pass to the next (status OFFERED).
	OfferExpiresAt *time.Time
	// WaitlistPosition counts from 1 among the waitlisted; 0 for the others.
	WaitlistPosition int
}

// SessionFilter narrows a listing; empty fields do not filter.
type SessionFilter struct {
	City          string
	Theme         string
	OriginCountry string
	// From and To bound the start: From ≤ start < To.
	From, To *time.Time
	// Status is SCHEDULED (not over), HELD (over) or CANCELLED.
	Status string
	// Now tells scheduled from held.
	Now time.Time
}

// SessionCursor is where a page of sessions starts after.
type SessionCursor struct {
	Start time.Time
	Seq   int64
}

// SessionPage is one page of sessions.
type SessionPage struct {
	Items   []Session
	HasNext bool
	Total   int
}

// Sessions reads the sessions and cities read models. It is safe for concurrent use.
type Sessions struct {
	db        tables.Querier
	cities    *memo[struct{}, []City]
	appointed *memo[[2]string, bool]
}

// NewSessions returns the reader.
func NewSessions(db tables.Querier) *Sessions { return &Sessions{db: db} }

// KeepingCities returns the reader keeping the cities and their coordinators' rolls in
// memory while the cities projection's revision (citiesRevision) stays the same.
func (r *Sessions) KeepingCities(citiesRevision Revision) *Sessions {
	return &Sessions{db: r.db, cities: newMemo[struct{}, []City](citiesRevision, "cities"),
		appointed: newMemo[[2]string, bool](citiesRevision, "city_coordinators")}
}

// Cities lists the open cities, in the order they opened.
func (r *Sessions) Cities(ctx context.Context) ([]City, error) {
	return r.cities.get(ctx, struct{}{}, r.readCities)
}

func (r *Sessions) readCities(ctx context.Context) ([]City, error) {
	rows, err := r.db.Query(ctx, `SELECT slug, name, time_zone, country FROM graph.cities ORDER BY seq`)
	if err != nil {
		return nil, fmt.Errorf("cities: %w", err)
	}
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (City, error) {
		var c City
		err := row.Scan(&c.Slug, &c.Name, &c.TimeZone, &c.Country)
		return c, err
	})
}

// City returns an open city.
func (r *Sessions) City(ctx context.Context, slug string) (City, bool, error) {
	var c City
	err := r.db.QueryRow(ctx, `SELECT slug, name, time_zone, country FROM graph.cities WHERE slug = $1`, slug).
		Scan(&c.Slug, &c.Name, &c.TimeZone, &c.Country)
	if errors.Is(err, pgx.ErrNoRows) {
		return City{}, false, nil
	}
	if err != nil {
		return City{}, false, fmt.Errorf("city %s: %w", slug, err)
	}
	return c, true, nil
}

// Coordinator is an appointed coordinator of a city.
type Coordinator struct {
	ID, City, Name string
	AppointedAt    time.Time
}

// Coordinators lists a city's appointed coordinators, in the order they were appointed.
func (r *Sessions) Coordinators(ctx context.Context, city string) ([]Coordinator, error) {
	rows, err := r.db.Query(ctx, `SELECT id::text, city, name, appointed_at FROM graph.city_coordinators
		WHERE city = $1 ORDER BY appointed_at, id`, city)
	if err != nil {
		return nil, fmt.Errorf("coordinators of %s: %w", city, err)
	}
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (Coordinator, error) {
		var c Coordinator
		err := row.Scan(&c.ID, &c.City, &c.Name, &c.AppointedAt)
		return c, err
	})
}

// Appointed reports whether id is an appointed coordinator of city.
func (r *Sessions) Appointed(ctx context.Context, city, id string) (bool, error) {
	if _, err := uuid.Parse(id); err != nil {
		return false, nil // not a coordinator's id at all
	}
	return r.appointed.get(ctx, [2]string{city, id}, func(ctx context.Context) (bool, error) { return r.readAppointed(ctx, city, id) })
}

func (r *Sessions) readAppointed(ctx context.Context, city, id string) (bool, error) {
	var ok bool
	err := r.db.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM graph.city_coordinators WHERE city = $1 AND id = $2)`, city, id).Scan(&ok)
	if err != nil {
		return false, fmt.Errorf("coordinator %s of %s: %w", id, city, err)
	}
	return ok, nil
}

const sessionColumns = `s.id::text, s.seq, s.city, s.title_en, s.title_fr, s.title_es, s.description_en, s.description_fr,
	s.description_es, s.theme, s.origin_countries, s.venue_name, s.venue_address, s.start_at, s.end_at, s.local_start,
	s.time_zone, s.duration_minutes, s.registration_deadline, s.capacity, s.confirmed_seats, s.waitlist_length, s.status,
	s.cancellation_reason, s.stakeholders, s.outcome, s.attended_seats, s.updated_at, s.stream_version, s.offer_hours,
	s.offered_seats, s.series_id::text, s.occurrence`

func scanSession(row pgx.Row) (Session, error) {
	var s Session
	err := row.Scan(&s.ID, &s.Seq, &s.City, &s.Title.EN, &s.Title.FR, &s.Title.ES, &s.Description.EN, &s.Description.FR,
		&s.Description.ES, &s.Theme, &s.OriginCountries, &s.Venue.Name, &s.Venue.Address, &s.Start, &s.End, &s.LocalStart,
		&s.TimeZone, &s.DurationMinutes, &s.Deadline, &s.Capacity, &s.ConfirmedSeats, &s.WaitlistLength, &s.Status,
		&s.CancellationReason, &s.Stakeholders, &s.Outcome, &s.AttendedSeats, &s.UpdatedAt, &s.StreamVersion, &s.OfferHours,
		&s.OfferedSeats, &s.SeriesID, &s.Occurrence)
	return s, err
}

func collectSessions(rows pgx.Rows) ([]Session, error) {
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (Session, error) { return scanSession(row) })
}

// Session returns one session.
func (r *Sessions) Session(ctx context.Context, id string) (Session, bool, error) {
	s, err := scanSession(r.db.QueryRow(ctx, `SELECT `+sessionColumns+` FROM graph.sessions s WHERE s.id = $1`, id))
	if errors.Is(err, pgx.ErrNoRows) {
		return Session{}, false, nil
	}
	if err != nil {
		return Session{}, false, fmt.Errorf("session %s: %w", id, err)
	}
	return s, true, nil
}

func (c *conditions) sessionFilter(f SessionFilter) {
	for _, eq := range []struct{ column, value string }{{"s.city", f.City}, {"s.theme", f.Theme}} {
		if eq.value != "" {
			c.add(eq.column + " = " + c.arg(eq.value))
		}
	}
	if f.OriginCountry != "" {
		c.add("s.origin_countries @> ARRAY[" + c.arg(f.OriginCountry) + "]::text[]")
	}
	if f.From != nil {
		c.add("s.start_at >= " + c.arg(*f.From))
	}
	if f.To != nil {
		c.add("s.start_at < " + c.arg(*f.To))
	}
	switch f.Status {
	case "CANCELLED":
		c.add("s.status = 'CANCELLED'")
	case "SCHEDULED":
		c.add("s.status = 'SCHEDULED' AND s.end_at >= " + c.arg(f.Now))
	case "HELD":
		c.add("s.status = 'SCHEDULED' AND s.end_at < " + c.arg(f.Now))
	}
}

// List returns up to first sessions after the cursor, by start, with the total count,
// from one snapshot.
func (r *Sessions) List(ctx context.Context, f SessionFilter, after *SessionCursor, first int) (SessionPage, error) {
	var c conditions
	c.sessionFilter(f)
	countSQL, countArgs := `SELECT count(*) FROM graph.sessions s`+c.sql(), append([]any(nil), c.args...)
	if after != nil {
		c.add("(s.start_at, s.seq) > (" + c.arg(after.Start) + ", " + c.arg(after.Seq) + ")")
	}
	pageSQL := `SELECT ` + sessionColumns + ` FROM graph.sessions s` + c.sql() + ` ORDER BY s.start_at, s.seq LIMIT ` + c.arg(first+1)

	var page SessionPage
	var err error
	page.Items, page.Total, err = snapshotPage(ctx, r.db, pageSQL, c.args, countSQL, countArgs, collectSessions)
	if err != nil {
		return SessionPage{}, fmt.Errorf("list sessions: %w", err)
	}
	if len(page.Items) > first {
		page.Items, page.HasNext = page.Items[:first], true
	}
	return page, nil
}

// Upcoming returns a city's sessions that have not ended by since, cancelled ones
// included (calendar programs then remove them), by start.
func (r *Sessions) Upcoming(ctx context.Context, city string, since time.Time, limit int) ([]Session, error) {
	rows, err := r.db.Query(ctx, `SELECT `+sessionColumns+` FROM graph.sessions s
		WHERE s.city = $1 AND s.end_at >= $2 ORDER BY s.start_at, s.seq LIMIT $3`, city, since, limit)
	if err != nil {
		return nil, fmt.Errorf("upcoming sessions of %s: %w", city, err)
	}
	return collectSessions(rows)
}

// Between returns a city's sessions starting in [from, to), by start, cancelled ones
// included: at most limit of them, and whether there were more.
func (r *Sessions) Between(ctx context.Context, city string, from, to time.Time, limit int) ([]Session, bool, error) {
	rows, err := r.db.Query(ctx, `SELECT `+sessionColumns+` FROM graph.sessions s
		WHERE s.city = $1 AND s.start_at >= $2 AND s.start_at < $3 ORDER BY s.start_at, s.seq LIMIT $4`, city, from, to, limit+1)
	if err != nil {
		return nil, false, fmt.Errorf("sessions of %s between %s and %s: %w", city, from, to, err)
	}
	out, err := collectSessions(rows)
	if err != nil {
		return nil, false, err
	}
	if len(out) > limit {
		return out[:limit], true, nil
	}
	return out, false, nil
}

const registrationsSQL = `SELECT id::text, session_id::text, association_id::text, seats, status, registered_at,
		attended_seats, checked_in_at, offer_expires_at,
		CASE WHEN status = 'WAITLISTED'
		     THEN row_number() OVER (PARTITION BY session_id, status = 'WAITLISTED' ORDER BY arrival) ELSE 0 END
	FROM graph.session_registrations WHERE session_id = ANY($1::uuid[]) ORDER BY session_id, arrival`

func collectRegistrations(rows pgx.Rows, out map[string][]Registration) error {
	var reg Registration
	_, err := pgx.ForEachRow(rows, []any{&reg.ID, &reg.SessionID, &reg.AssociationID, &reg.Seats, &reg.Status,
		&reg.RegisteredAt, &reg.AttendedSeats, &reg.CheckedInAt, &reg.OfferExpiresAt, &reg.WaitlistPosition}, func() error {
		r := reg
		if reg.AttendedSeats != nil {
			n := *reg.AttendedSeats
			r.AttendedSeats = &n
		}
		if reg.CheckedInAt != nil {
			at := *reg.CheckedInAt
			r.CheckedInAt = &at
		}
		if reg.OfferExpiresAt != nil {
			at := *reg.OfferExpiresAt
			r.OfferExpiresAt = &at
		}
		out[reg.SessionID] = append(out[reg.SessionID], r)
		return nil
	})
	if err != nil {
		return fmt.Errorf("registrations: %w", err)
	}
	return nil
}

// Registrations returns the registrations of several sessions in one query, in arrival
// order, with each waitlisted one's place in line.
func (r *Sessions) Registrations(ctx context.Context, sessionIDs []string) (map[string][]Registration, error) {
	rows, err := r.db.Query(ctx, registrationsSQL, sessionIDs)
	if err != nil {
		return nil, fmt.Errorf("registrations: %w", err)
	}
	out := make(map[string][]Registration, len(sessionIDs))
	if err := collectRegistrations(rows, out); err != nil {
		return nil, err
	}
	return out, nil
}

// RegistrationsWithAssociations is Registrations with the associations behind them that
// vis shows, in one round trip: a calendar page would otherwise wait for its
// registrations before asking for their associations.
//
// With namesOnly, the associations come with their id, name and status only: a calendar
// page asks nothing else of them, and whole rows were a tenth of its time.
func (r *Sessions) RegistrationsWithAssociations(ctx context.Context, sessionIDs []string, vis Visibility, namesOnly bool) (map[string][]Registration, map[string]Association, error) {
	regs := make(map[string][]Registration, len(sessionIDs))
	assocs := map[string]Association{}
	b := &pgx.Batch{}
	b.Queue(registrationsSQL, sessionIDs).Query(func(rows pgx.Rows) error { return collectRegistrations(rows, regs) })
	columns := associationColumns
	if namesOnly {
		columns = `a.id::text, a.name, a.status`
	}
	b.Queue(`SELECT `+columns+` FROM graph.associations a
		WHERE a.id IN (SELECT association_id FROM graph.session_registrations WHERE session_id = ANY($1::uuid[]))
		  AND (a.status = ANY($2) OR a.id::text = $3)`, sessionIDs, vis.Statuses, vis.OwnID).
		Query(func(rows pgx.Rows) error {
			if namesOnly {
				var a Association
				_, err := pgx.ForEachRow(rows, []any{&a.ID, &a.Name, &a.Status}, func() error {
					assocs[a.ID] = a
					return nil
				})
				if err != nil {
					return fmt.Errorf("associations of registrations: %w", err)
				}
				return nil
			}
			list, err := collectAssociations(rows)
			if err != nil {
				return fmt.Errorf("associations of registrations: %w", err)
			}
			for _, a := range list {
				assocs[a.ID] = a
			}
			return nil
		})
	if err := r.db.SendBatch(ctx, b).Close(); err != nil {
		return nil, nil, err
	}
	return regs, assocs, nil
}

// Registration returns one registration (without its waitlist position) and the id of
// its session.
func (r *Sessions) Registration(ctx context.Context, id string) (Registration, bool, error) {
	var reg Registration
	err := r.db.QueryRow(ctx, `SELECT id::text, session_id::text, association_id::text, seats, status, registered_at, attended_seats,
		checked_in_at, offer_expires_at FROM graph.session_registrations WHERE id = $1`, id).
		Scan(&reg.ID, &reg.SessionID, &reg.AssociationID, &reg.Seats, &reg.Status, &reg.RegisteredAt, &reg.AttendedSeats, &reg.CheckedInAt,
			&reg.OfferExpiresAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return Registration{}, false, nil
	}
	if err != nil {
		return Registration{}, false, fmt.Errorf("registration %s: %w", id, err)
	}
	return reg, true, nil
}

// Coordinator returns one appointed coordinator.
func (r *Sessions) Coordinator(ctx context.Context, id string) (Coordinator, bool, error) {
	var c Coordinator
	err := r.db.QueryRow(ctx, `SELECT id::text, city, name, appointed_at FROM graph.city_coordinators WHERE id = $1`, id).
		Scan(&c.ID, &c.City, &c.Name, &c.AppointedAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return Coordinator{}, false, nil
	}
	if err != nil {
		return Coordinator{}, false, fmt.Errorf("coordinator %s: %w", id, err)
	}
	return c, true, nil
}

// SessionSeries is a row of the series read model.
type SessionSeries struct {
	ID              string
	City            string
	Title           sessionevents.Text
	Recurrence      sessionevents.Recurrence
	FirstDate       string
	LocalTime       string
	DurationMinutes int
	// RuleLocalTime and RuleDurationMinutes are what the recurrence was scheduled with.
	RuleLocalTime       string
	RuleDurationMinutes int
	TimeZone            string
	Exceptions          []string
	Occurrences         []sessionevents.Occurrence
	CancelledFrom       *string
	UpdatedAt           time.Time
	StreamVersion       int64
}

// Series returns one series of sessions.
func (r *Sessions) Series(ctx context.Context, id string) (SessionSeries, bool, error) {
	var s SessionSeries
	err := r.db.QueryRow(ctx, `SELECT id::text, city, title_en, title_fr, title_es, recurrence, first_date, local_time,
		duration_minutes, rule_local_time, rule_duration_minutes, time_zone, exceptions, occurrences, cancelled_from, updated_at,
		stream_version FROM graph.session_series WHERE id = $1`, id).
		Scan(&s.ID, &s.City, &s.Title.EN, &s.Title.FR, &s.Title.ES, &s.Recurrence, &s.FirstDate, &s.LocalTime, &s.DurationMinutes,
			&s.RuleLocalTime, &s.RuleDurationMinutes, &s.TimeZone, &s.Exceptions, &s.Occurrences, &s.CancelledFrom, &s.UpdatedAt,
			&s.StreamVersion)
	if errors.Is(err, pgx.ErrNoRows) {
		return SessionSeries{}, false, nil
	}
	if err != nil {
		return SessionSeries{}, false, fmt.Errorf("series %s: %w", id, err)
	}
	return s, true, nil
}

// SessionsOf returns the sessions of a series, by start.
func (r *Sessions) SessionsOf(ctx context.Context, seriesID string) ([]Session, error) {
	rows, err := r.db.Query(ctx, `SELECT `+sessionColumns+` FROM graph.sessions s WHERE s.series_id = $1 ORDER BY s.start_at, s.seq`, seriesID)
	if err != nil {
		return nil, fmt.Errorf("sessions of series %s: %w", seriesID, err)
	}
	return collectSessions(rows)
}
