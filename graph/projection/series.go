package projection

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"

	"passerelle.dev/events"
	"passerelle.dev/events/projector"
	"passerelle.dev/events/sessionevents"
)

// SeriesName is the series projection's consumer group.
const SeriesName = "graph.series"

// Series keeps graph.session_series: each series of sessions, its recurrence and what
// became of each of its dates. Its sessions are in graph.sessions (series_id).
type Series struct{}

var _ projector.Projection = Series{}

// Name implements projector.Projection.
func (Series) Name() string { return SeriesName }

// Handles implements projector.Projection.
func (Series) Handles(eventType string) bool {
	return slices.Contains(sessionevents.SeriesEventTypes, eventType)
}

// Apply implements projector.Projection.
func (Series) Apply(ctx context.Context, tx pgx.Tx, ev events.Recorded, payload any) error {
	return applyFold(ctx, tx, seriesFold{}, []events.Recorded{ev}, []any{payload})
}

// ApplyPage implements projector.PageApplier.
func (Series) ApplyPage(ctx context.Context, tx pgx.Tx, evs []events.Recorded, payloads []any) error {
	return applyFold(ctx, tx, seriesFold{}, evs, payloads)
}

// Reset implements projector.Projection.
func (Series) Reset(ctx context.Context, tx pgx.Tx) error {
	_, err := tx.Exec(ctx, `TRUNCATE graph.session_series`)
	return err
}

func (Series) fold() fold { return seriesFold{} }

// Tables implements Owner.
func (p Series) Tables() []string { return tableNames(p.fold()) }

// Version implements Owner.
func (Series) Version() int { return 1 }

var seriesTable = newTable("session_series", 1, "id", "seq", "city", "title_en", "title_fr", "title_es", "recurrence",
	"first_date", "local_time", "duration_minutes", "rule_local_time", "rule_duration_minutes", "time_zone", "exceptions", "occurrences", "cancelled_from", "updated_at",
	"stream_version")

type seriesFold struct{}

func (seriesFold) tables() []*table     { return []*table{seriesTable} }
func (seriesFold) streamPrefix() string { return sessionevents.SeriesStreamPrefix }
func (seriesFold) sums() []*sumTable    { return nil }
func (seriesFold) newEntity(stream string) entity {
	id, _ := sessionevents.SeriesIDFromStream(stream)
	return &seriesState{id: id}
}

type seriesState struct {
	id, city                   string
	seq                        int64
	title                      sessionevents.Text
	recurrence, occurrences    []byte
	firstDate, localTime, zone string
	duration                   int
	ruleLocalTime              string
	ruleDuration               int
	exceptions                 []string
	cancelledFrom              *string
	updatedAt                  time.Time
	streamVersion              int64
	exists                     bool
}

func (s *seriesState) apply(rec events.Recorded, payload any) error {
	if _, scheduled := payload.(sessionevents.SeriesScheduled); !scheduled && !s.exists {
		return projector.Permanent(fmt.Errorf("series %s is not in the read model", s.id))
	}
	switch e := payload.(type) {
	case sessionevents.SeriesScheduled:
		if s.exists {
			return projector.Permanent(fmt.Errorf("series %s scheduled twice", s.id))
		}
		recurrence, err := json.Marshal(e.Recurrence)
		if err != nil {
			return projector.Permanent(err)
		}
		occurrences, err := json.Marshal(e.Occurrences)
		if err != nil {
			return projector.Permanent(err)
		}
		*s = seriesState{id: s.id, seq: rec.Position.GlobalPosition, city: e.City, title: e.Title, recurrence: recurrence,
			occurrences: occurrences, firstDate: e.FirstDate, localTime: e.LocalTime, zone: e.TimeZone, duration: e.DurationMinutes,
			ruleLocalTime: e.LocalTime, ruleDuration: e.DurationMinutes,
			exceptions: nonNil(e.Exceptions), updatedAt: e.At, exists: true}
	case sessionevents.SeriesMovedFrom:
		s.localTime, s.duration, s.updatedAt = e.LocalTime, e.DurationMinutes, e.At
	case sessionevents.SeriesCancelledFrom:
		if s.cancelledFrom == nil || e.FromDate < *s.cancelledFrom {
			from := e.FromDate
			s.cancelledFrom = &from
		}
		s.updatedAt = e.At
	default:
		return projector.Permanent(fmt.Errorf("series %s: unknown event %T", s.id, payload))
	}
	s.streamVersion = rec.StreamVersion
	return nil
}

func (s *seriesState) rows(emit func(int, []any)) {
	if !s.exists {
		return
	}
	emit(0, []any{&s.id, &s.seq, &s.city, &s.title.EN, &s.title.FR, &s.title.ES, &s.recurrence, &s.firstDate, &s.localTime,
		&s.duration, &s.ruleLocalTime, &s.ruleDuration, &s.zone, &s.exceptions, &s.occurrences, &s.cancelledFrom, &s.updatedAt, &s.streamVersion})
}

func (seriesFold) load(ctx context.Context, tx pgx.Tx, streams []string) (map[string]entity, error) {
	ids := make([]string, 0, len(streams))
	for _, st := range streams {
		if id, ok := sessionevents.SeriesIDFromStream(st); ok {
			ids = append(ids, id)
		}
	}
	out := map[string]entity{}
	rows, err := tx.Query(ctx, `SELECT id::text, seq, city, title_en, title_fr, title_es, recurrence, first_date, local_time,
		duration_minutes, rule_local_time, rule_duration_minutes, time_zone, exceptions, occurrences, cancelled_from, updated_at, stream_version
		FROM graph.session_series WHERE id = ANY($1::uuid[])`, ids)
	if err != nil {
		return nil, fmt.Errorf("read series: %w", err)
	}
	for rows.Next() {
		s := &seriesState{exists: true}
		if err := rows.Scan(&s.id, &s.seq, &s.city, &s.title.EN, &s.title.FR, &s.title.ES, &s.recurrence, &s.firstDate, &s.localTime,
			&s.duration, &s.ruleLocalTime, &s.ruleDuration, &s.zone, &s.exceptions, &s.occurrences, &s.cancelledFrom, &s.updatedAt, &s.streamVersion); err != nil {
			rows.Close()
			return nil, fmt.Errorf("read series: %w", err)
		}
		out[sessionevents.SeriesStreamID(s.id)] = s
	}
	return out, rows.Err()
}
