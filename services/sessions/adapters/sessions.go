// Package adapters connects the sessions service to PostgreSQL: cities and sessions are
// event streams; venue bookings, idempotency keys and what the service knows of
// associations live in its own tables.
package adapters

import (
	"context"
	"embed"
	"errors"
	"fmt"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"passerelle.dev/events"
	"passerelle.dev/events/eventstore"
	"passerelle.dev/events/sessionevents"
	"passerelle.dev/kernel/pgmigrate"
	"passerelle.dev/servicekit/command"
	"passerelle.dev/sessions/app"
	"passerelle.dev/sessions/domain/session"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// Migrations returns the sessions service's schema migrations.
func Migrations() pgmigrate.Set {
	return pgmigrate.Embedded("sessions", migrationFiles, "migrations")
}

// SessionRepository stores sessions in the event store. Changes of one session are
// serialised by an advisory lock on its stream: concurrent registrations queue in the
// order they arrive instead of failing each other.
type SessionRepository struct {
	store    *eventstore.Store
	registry *events.Registry
	cities   *CityRepository
	keys     command.Keys
}

var _ app.SessionRepository = (*SessionRepository)(nil)

// NewSessionRepository returns a repository; registry must know the sessions events.
func NewSessionRepository(store *eventstore.Store, registry *events.Registry, cities *CityRepository) *SessionRepository {
	return &SessionRepository{store: store, registry: registry, cities: cities, keys: command.NewKeys("sessions")}
}

func (r *SessionRepository) toEvents(pending []any, md events.Metadata) ([]events.Event, error) {
	evs := make([]events.Event, len(pending))
	for i, p := range pending {
		ev, err := r.registry.New(p, md)
		if err != nil {
			return nil, err
		}
		evs[i] = ev
	}
	return evs, nil
}

// Add implements app.SessionRepository.
func (r *SessionRepository) Add(ctx context.Context, s *session.DialogueSession, md events.Metadata, key command.Key) (command.Outcome, error) {
	evs, err := r.toEvents(s.PendingEvents(), md)
	if err != nil {
		return command.Outcome{}, err
	}
	var o command.Outcome
	err = r.store.Transact(ctx, func(tx pgx.Tx) error {
		if err := r.keys.Claim(ctx, tx, key); err != nil {
			return err
		}
		if err := r.react(ctx, tx, s); err != nil {
			return err
		}
		recs, err := r.store.AppendInTx(ctx, tx, sessionevents.SessionStreamID(s.ID()), eventstore.NoStream, evs...)
		if err != nil {
			return err
		}
		last := recs[len(recs)-1]
		o = command.Outcome{StreamID: last.StreamID, Version: last.StreamVersion, Position: last.Position}
		return r.keys.Record(ctx, tx, key, o)
	})
	return r.settle(ctx, key, o, err)
}

// settle turns a transaction's end into the command's outcome: a twin that committed
// first is replayed.
func (r *SessionRepository) settle(ctx context.Context, key command.Key, o command.Outcome, err error) (command.Outcome, error) {
	return settleTwin(ctx, r.keys, r.store.Pool(), key, o, err)
}

// settleTwin turns a transaction's end into the command's outcome: when a twin request
// with the same idempotency key committed first, its outcome is the answer.
func settleTwin(ctx context.Context, keys command.Keys, db command.Querier, key command.Key, o command.Outcome, err error) (command.Outcome, error) {
	if !errors.Is(err, command.ErrTwin) {
		return o, err
	}
	replayed, ok, err := keys.Find(ctx, db, key)
	if err != nil {
		return command.Outcome{}, err
	}
	if !ok {
		return command.Outcome{}, fmt.Errorf("idempotency key %q claimed but not recorded", key.Key)
	}
	return replayed, nil
}

// Update implements app.SessionRepository.
func (r *SessionRepository) Update(ctx context.Context, id string, md events.Metadata, key command.Key, change func(*session.DialogueSession) error) (*session.DialogueSession, command.Outcome, error) {
	if _, err := uuid.Parse(id); err != nil {
		return nil, command.Outcome{}, session.ErrNotFound
	}
	stream := sessionevents.SessionStreamID(id)
	var (
		s *session.DialogueSession
		o command.Outcome
	)
	err := r.store.Transact(ctx, func(tx pgx.Tx) error {
		if err := r.keys.Claim(ctx, tx, key); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, stream); err != nil {
			return fmt.Errorf("lock %s: %w", stream, err)
		}
		var err error
		if s, _, err = r.load(ctx, tx, id, 0); err != nil {
			return err
		}
		if err := change(s); err != nil {
			return err
		}
		o = command.Outcome{StreamID: stream, Version: s.Version()}
		if len(s.PendingEvents()) > 0 {
			evs, err := r.toEvents(s.PendingEvents(), md)
			if err != nil {
				return err
			}
			if err := r.react(ctx, tx, s); err != nil {
				return err
			}
			recs, err := r.store.AppendInTx(ctx, tx, stream, eventstore.AtVersion(s.Version()), evs...)
			if err != nil {
				return err
			}
			last := recs[len(recs)-1]
			o.Version, o.Position = last.StreamVersion, last.Position
		}
		return r.keys.Record(ctx, tx, key, o)
	})
	o, err = r.settle(ctx, key, o, err)
	if err != nil {
		return nil, command.Outcome{}, err
	}
	return s, o, nil
}

// react keeps the venue bookings and the offer deadlines in step with the session's pending events.
func (r *SessionRepository) react(ctx context.Context, tx pgx.Tx, s *session.DialogueSession) error {
	for _, ev := range s.PendingEvents() {
		switch e := ev.(type) {
		case sessionevents.SessionScheduled:
			if err := bookVenue(ctx, tx, s, e.Timing, false); err != nil {
				return err
			}
		case sessionevents.SessionRescheduled:
			if err := bookVenue(ctx, tx, s, e.Timing, true); err != nil {
				return err
			}
		case sessionevents.SessionCancelled:
			if _, err := tx.Exec(ctx, `DELETE FROM sessions.venue_bookings WHERE session_id = $1`, s.ID()); err != nil {
				return fmt.Errorf("free the venue: %w", err)
			}
			if _, err := tx.Exec(ctx, `DELETE FROM sessions.offer_deadlines WHERE session_id = $1`, s.ID()); err != nil {
				return fmt.Errorf("drop the session's offer deadlines: %w", err)
			}
		default:
			if err := keepOfferDeadline(ctx, tx, ev); err != nil {
				return err
			}
		}
	}
	return nil
}

// bookVenue books the session's venue for its time. The exclusion constraint decides;
// the query before it only finds which session holds the venue, for the error.
func bookVenue(ctx context.Context, tx pgx.Tx, s *session.DialogueSession, t sessionevents.Timing, move bool) error {
	var other string
	err := tx.QueryRow(ctx, `SELECT session_id::text FROM sessions.venue_bookings
		WHERE venue_key = $1 AND during && tstzrange($2, $3) AND session_id <> $4 LIMIT 1`,
		s.VenueKey(), t.Start, t.End(), s.ID()).Scan(&other)
	if err == nil {
		return &session.VenueTakenError{Venue: s.Venue().Name, OtherSessionID: other}
	}
	if !errors.Is(err, pgx.ErrNoRows) {
		return fmt.Errorf("check the venue: %w", err)
	}
	if move {
		_, err = tx.Exec(ctx, `UPDATE sessions.venue_bookings SET during = tstzrange($2, $3) WHERE session_id = $1`, s.ID(), t.Start, t.End())
	} else {
		_, err = tx.Exec(ctx, `INSERT INTO sessions.venue_bookings (session_id, venue_key, during) VALUES ($1, $2, tstzrange($3, $4))`,
			s.ID(), s.VenueKey(), t.Start, t.End())
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Code == "23P01" { // exclusion_violation: booked meanwhile
		return &session.VenueTakenError{Venue: s.Venue().Name}
	}
	if err != nil {
		return fmt.Errorf("book the venue: %w", err)
	}
	return nil
}

// load reads a session's events up to version (0: all) and rebuilds it, with its city's
// time zone.
func (r *SessionRepository) load(ctx context.Context, tx pgx.Tx, id string, version int64) (*session.DialogueSession, any, error) {
	stream := sessionevents.SessionStreamID(id)
	var (
		recs []events.Recorded
		err  error
	)
	if tx != nil {
		recs, err = r.store.ReadStreamIn(ctx, tx, stream, 1)
	} else {
		recs, err = r.store.ReadStream(ctx, stream, 1)
	}
	if err != nil {
		return nil, nil, err
	}
	if version > 0 && int64(len(recs)) > version {
		recs = recs[:version]
	}
	if len(recs) == 0 {
		return nil, nil, session.ErrNotFound
	}
	history := make([]any, len(recs))
	for i, rec := range recs {
		if history[i], err = r.registry.Decode(rec.Type, rec.SchemaVersion, rec.Data); err != nil {
			return nil, nil, fmt.Errorf("load %s: %w", stream, err)
		}
	}
	scheduled, ok := history[0].(sessionevents.SessionScheduled)
	if !ok {
		return nil, nil, fmt.Errorf("load %s: it does not start with its scheduling", stream)
	}
	loc, err := r.cities.location(ctx, tx, scheduled.City)
	if err != nil {
		return nil, nil, err
	}
	s, err := session.FromHistory(history, loc)
	if err != nil {
		return nil, nil, fmt.Errorf("load %s: %w", stream, err)
	}
	return s, history[len(history)-1], nil
}

// LoadAt implements app.SessionRepository.
func (r *SessionRepository) LoadAt(ctx context.Context, id string, version int64) (*session.DialogueSession, any, error) {
	return r.load(ctx, nil, id, version)
}

// Replay implements app.SessionRepository.
func (r *SessionRepository) Replay(ctx context.Context, key command.Key) (command.Outcome, bool, error) {
	return r.keys.Find(ctx, r.store.Pool(), key)
}
