package adapters

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/jackc/pgx/v5"

	"passerelle.dev/events"
	"passerelle.dev/events/eventstore"
	"passerelle.dev/events/sessionevents"
	"passerelle.dev/servicekit/command"
	"passerelle.dev/sessions/domain/series"
	"passerelle.dev/sessions/domain/session"
)

// AddSeries stores a series and its sessions in one transaction: each date's session
// books its venue in a savepoint of its own, and a date whose venue is taken is refused
// (rolled back alone) instead of failing the series. build makes the series from what
// became of each date; the series' event is stored last.
func (r *SessionRepository) AddSeries(ctx context.Context, planned []series.Planned, build func([]sessionevents.Occurrence) (*series.Series, error),
	md events.Metadata, key command.Key) (command.Outcome, error) {
	var o command.Outcome
	err := r.store.Transact(ctx, func(tx pgx.Tx) error {
		if err := r.keys.Claim(ctx, tx, key); err != nil {
			return err
		}
		occurrences := make([]sessionevents.Occurrence, 0, len(planned))
		for _, p := range planned {
			if p.Session == nil {
				occurrences = append(occurrences, p.Refusal)
				continue
			}
			booked, err := r.bookInSavepoint(ctx, tx, p.Session)
			if err != nil {
				if refusal, ok := series.RefusalOf(err); ok {
					occurrences = append(occurrences, sessionevents.Occurrence{Date: p.Date, Refusal: refusal, Reason: err.Error()})
					continue
				}
				return err
			}
			if !booked {
				continue
			}
			evs, err := r.toEvents(p.Session.PendingEvents(), md)
			if err != nil {
				return err
			}
			if _, err := r.store.AppendInTx(ctx, tx, sessionevents.SessionStreamID(p.Session.ID()), eventstore.NoStream, evs...); err != nil {
				return err
			}
			occurrences = append(occurrences, sessionevents.Occurrence{Date: p.Date, SessionID: p.Session.ID()})
		}
		if !slices.ContainsFunc(occurrences, func(o sessionevents.Occurrence) bool { return o.SessionID != "" }) {
			return &series.NothingScheduledError{Occurrences: occurrences}
		}
		ser, err := build(occurrences)
		if err != nil {
			return err
		}
		evs, err := r.toEvents(ser.PendingEvents(), md)
		if err != nil {
			return err
		}
		recs, err := r.store.AppendInTx(ctx, tx, sessionevents.SeriesStreamID(ser.ID()), eventstore.NoStream, evs...)
		if err != nil {
			return err
		}
		last := recs[len(recs)-1]
		o = command.Outcome{StreamID: last.StreamID, Version: last.StreamVersion, Position: last.Position}
		return r.keys.Record(ctx, tx, key, o)
	})
	return r.settle(ctx, key, o, err)
}

// bookInSavepoint books a new session's venue; a conflict rolls back the booking alone.
func (r *SessionRepository) bookInSavepoint(ctx context.Context, tx pgx.Tx, s *session.DialogueSession) (bool, error) {
	sp, err := tx.Begin(ctx)
	if err != nil {
		return false, fmt.Errorf("savepoint: %w", err)
	}
	if err := r.react(ctx, sp, s); err != nil {
		if rerr := sp.Rollback(ctx); rerr != nil {
			return false, errors.Join(err, rerr)
		}
		return false, err
	}
	return true, sp.Commit(ctx)
}

// LoadSeries returns a series as its events tell it.
func (r *SessionRepository) LoadSeries(ctx context.Context, id string) (*series.Series, error) {
	return r.loadSeries(ctx, nil, id)
}

func (r *SessionRepository) loadSeries(ctx context.Context, tx pgx.Tx, id string) (*series.Series, error) {
	stream := sessionevents.SeriesStreamID(id)
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
		return nil, err
	}
	history := make([]any, len(recs))
	for i, rec := range recs {
		if history[i], err = r.registry.Decode(rec.Type, rec.SchemaVersion, rec.Data); err != nil {
			return nil, fmt.Errorf("load %s: %w", stream, err)
		}
	}
	return series.FromHistory(history)
}

// ChangeSeriesFrom changes a series and its sessions from one of them on, in one
// transaction: every stream concerned is locked (in one order, so two changes never
// wait for each other), decide sees the series and those sessions, and what they
// recorded is stored — all of it, or nothing.
func (r *SessionRepository) ChangeSeriesFrom(ctx context.Context, seriesID, fromSessionID string, md events.Metadata, key command.Key,
	decide func(ser *series.Series, fromDate string, sessions []*session.DialogueSession) error) (command.Outcome, error) {
	var o command.Outcome
	err := r.store.Transact(ctx, func(tx pgx.Tx) error {
		if err := r.keys.Claim(ctx, tx, key); err != nil {
			return err
		}
		seriesStream := sessionevents.SeriesStreamID(seriesID)
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, seriesStream); err != nil {
			return fmt.Errorf("lock %s: %w", seriesStream, err)
		}
		ser, err := r.loadSeries(ctx, tx, seriesID)
		if err != nil {
			return err
		}
		fromDate, ids, err := ser.From(fromSessionID)
		if err != nil {
			return err
		}
		locked := slices.Clone(ids)
		slices.Sort(locked)
		for _, id := range locked {
			if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, sessionevents.SessionStreamID(id)); err != nil {
				return fmt.Errorf("lock session %s: %w", id, err)
			}
		}
		sessions := make([]*session.DialogueSession, len(ids))
		for i, id := range ids {
			if sessions[i], _, err = r.load(ctx, tx, id, 0); err != nil {
				return err
			}
		}
		if err := decide(ser, fromDate, sessions); err != nil {
			return err
		}
		for _, s := range sessions {
			if len(s.PendingEvents()) == 0 {
				continue
			}
			evs, err := r.toEvents(s.PendingEvents(), md)
			if err != nil {
				return err
			}
			if err := r.react(ctx, tx, s); err != nil {
				return fmt.Errorf("%s: %w", s.Occurrence(), err)
			}
			if _, err := r.store.AppendInTx(ctx, tx, sessionevents.SessionStreamID(s.ID()), eventstore.AtVersion(s.Version()), evs...); err != nil {
				return err
			}
		}
		evs, err := r.toEvents(ser.PendingEvents(), md)
		if err != nil {
			return err
		}
		o = command.Outcome{StreamID: seriesStream, Version: ser.Version()}
		if len(evs) > 0 {
			recs, err := r.store.AppendInTx(ctx, tx, seriesStream, eventstore.AtVersion(ser.Version()), evs...)
			if err != nil {
				return err
			}
			last := recs[len(recs)-1]
			o.Version, o.Position = last.StreamVersion, last.Position
		}
		return r.keys.Record(ctx, tx, key, o)
	})
	return r.settle(ctx, key, o, err)
}
