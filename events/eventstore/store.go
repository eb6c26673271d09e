// Package eventstore keeps Passerelle's events in PostgreSQL and moves them through
// Watermill.
//
// Writers append through a watermill-sql Publisher whose SchemaAdapter inserts into
// eventstore.events with an optimistic-concurrency guard, inside the writer's own
// transaction: the event is stored and published in one commit, so there is no dual
// write and nothing to lose. Readers subscribe through a watermill-sql Subscriber over
// the same table, with a durable position per consumer group, woken by LISTEN/NOTIFY.
package eventstore

import (
	"context"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"strconv"
	"time"

	"github.com/ThreeDotsLabs/watermill"
	wmsql "github.com/ThreeDotsLabs/watermill-sql/v4/pkg/sql"
	"github.com/ThreeDotsLabs/watermill/message"
	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"passerelle.dev/events"
	"passerelle.dev/kernel/fault"
	"passerelle.dev/kernel/pgmigrate"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// Migrations returns the event store's schema migrations.
func Migrations() pgmigrate.Set {
	return pgmigrate.Embedded("eventstore", migrationFiles, "migrations")
}

// ExpectedVersion is what a writer believes a stream's version to be.
type ExpectedVersion struct{ v int64 }

var (
	// AnyVersion appends whatever the stream's version. Use it only where ordering with
	// other writers does not matter.
	AnyVersion = ExpectedVersion{-1}
	// NoStream appends only if the stream does not exist yet.
	NoStream = ExpectedVersion{0}
)

// AtVersion appends only if the stream is exactly at version v (0 = does not exist).
func AtVersion(v int64) ExpectedVersion {
	if v < 0 {
		panic("eventstore: negative stream version")
	}
	return ExpectedVersion{v}
}

// String describes the expectation for error messages.
func (e ExpectedVersion) String() string {
	switch e.v {
	case -1:
		return "any version"
	case 0:
		return "no stream"
	}
	return "version " + strconv.FormatInt(e.v, 10)
}

// ErrWrongExpectedVersion is matched (errors.Is) by every optimistic-concurrency
// failure: another writer changed the stream since the caller read it.
var ErrWrongExpectedVersion = errors.New("wrong expected stream version")

// WrongExpectedVersionError says which stream and versions clashed.
type WrongExpectedVersionError struct {
	Stream   string
	Expected ExpectedVersion
	// Actual is the stream's version when the clash was detected, -1 if unknown (the
	// writer lost a race on the same version).
	Actual int64
}

func (e *WrongExpectedVersionError) Error() string {
	if e.Actual < 0 {
		return fmt.Sprintf("stream %s: expected %s, but another writer appended first", e.Stream, e.Expected)
	}
	return fmt.Sprintf("stream %s: expected %s, found version %d", e.Stream, e.Expected, e.Actual)
}

// Is makes errors.Is(err, ErrWrongExpectedVersion) true.
func (e *WrongExpectedVersionError) Is(target error) bool { return target == ErrWrongExpectedVersion }

// Code reports a concurrency clash to clients as a conflict.
func (e *WrongExpectedVersionError) Code() fault.Code { return fault.Conflict }

// ErrDuplicateEventID means an event id was reused for a different event.
var ErrDuplicateEventID = errors.New("event id already used by another event")

// EventsChannel is the PostgreSQL notification channel on which writers announce that
// events were committed.
const EventsChannel = "passerelle_events"

// Config configures a Store.
type Config struct {
	// Pool is the connection pool to the database holding the eventstore schema.
	// Required.
	Pool *pgxpool.Pool
	// Logger defaults to slog.Default().
	Logger *slog.Logger
}

// Store appends and reads events. It is safe for concurrent use.
type Store struct {
	pool     *pgxpool.Pool
	schema   SchemaAdapter
	logger   *slog.Logger
	wmLogger watermill.LoggerAdapter
	notifier *appendNotifier
}

// NewStore returns a store. Close it to stop its notifier.
func NewStore(cfg Config) (*Store, error) {
	if cfg.Pool == nil {
		return nil, errors.New("eventstore: Config.Pool is required")
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	logger := cfg.Logger.With("component", "eventstore")
	return &Store{
		pool:     cfg.Pool,
		logger:   logger,
		wmLogger: WatermillLogger(logger),
		notifier: startAppendNotifier(cfg.Pool, logger),
	}, nil
}

// Pool is the connection pool the store appends through, for writers whose own tables
// live in the same database.
func (s *Store) Pool() *pgxpool.Pool { return s.pool }

// Close stops the store's background notifier. Appends after Close still work but no
// longer wake subscribers in other processes.
func (s *Store) Close() { s.notifier.stop() }

// Append appends events to a stream in a transaction of its own and returns them as
// stored. Retrying with the same event ids after an unknown outcome is safe: events
// already stored are returned as they were stored.
func (s *Store) Append(ctx context.Context, stream string, expected ExpectedVersion, evs ...events.Event) ([]events.Recorded, error) {
	if expected == AnyVersion {
		return s.appendAnyVersion(ctx, stream, evs)
	}
	recs, err := s.append(ctx, s.pool, stream, expected, evs, true)
	if err != nil {
		return nil, err
	}
	s.notifier.poke()
	return recs, nil
}

// appendAnyVersion serialises "any version" writers of a stream with an advisory lock,
// so that they queue instead of failing each other; only a writer with an exact
// expected version can still get in between, and then we go again.
func (s *Store) appendAnyVersion(ctx context.Context, stream string, evs []events.Event) ([]events.Recorded, error) {
	for attempt := 1; ; attempt++ {
		var recs []events.Recorded
		err := s.Transact(ctx, func(tx pgx.Tx) error {
			if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, stream); err != nil {
				return fmt.Errorf("eventstore: lock %s: %w", stream, err)
			}
			var err error
			recs, err = s.AppendInTx(ctx, tx, stream, AnyVersion, evs...)
			return err
		})
		if err == nil || !errors.Is(err, ErrWrongExpectedVersion) || attempt == 5 {
			return recs, err
		}
	}
}

// AppendInTx appends events within tx, for writers that must change something else
// atomically with the append (a uniqueness reservation, say). Subscribers in other
// processes are woken by Transact; outside it they find the events at their next poll.
func (s *Store) AppendInTx(ctx context.Context, tx pgx.Tx, stream string, expected ExpectedVersion, evs ...events.Event) ([]events.Recorded, error) {
	if expected == AnyVersion {
		var v int64
		if err := tx.QueryRow(ctx, streamVersionSQL, stream).Scan(&v); err != nil {
			return nil, fmt.Errorf("eventstore: version of %s: %w", stream, err)
		}
		expected = AtVersion(v)
	}
	return s.append(ctx, tx, stream, expected, evs, false)
}

// Transact runs fn in a transaction, commits it, and then wakes subscribers.
func (s *Store) Transact(ctx context.Context, fn func(tx pgx.Tx) error) error {
	if err := pgx.BeginFunc(ctx, s.pool, fn); err != nil {
		return err
	}
	s.notifier.poke()
	return nil
}

// querier is what an append runs on: the pool (a transaction of its own) or the
// caller's transaction.
type querier interface {
	SendBatch(ctx context.Context, b *pgx.Batch) pgx.BatchResults
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

const selectByIDsSQL = `SELECT ` + appendedColumns + ` FROM eventstore.events WHERE event_id = ANY($1::uuid[])`

// landed is where an appended event was stored.
type landed struct {
	streamID      string
	streamVersion int64
	eventType     string
	position      events.Position
	recordedAt    time.Time
}

func collectLanded(rows pgx.Rows) (map[string]landed, error) {
	out := map[string]landed{}
	var (
		id, txid string
		l        landed
	)
	_, err := pgx.ForEachRow(rows, []any{&id, &l.streamID, &l.streamVersion, &l.eventType, &l.position.GlobalPosition, &txid, &l.recordedAt}, func() error {
		var err error
		if l.position.TransactionID, err = strconv.ParseUint(txid, 10, 64); err != nil {
			return fmt.Errorf("transaction id %q: %w", txid, err)
		}
		out[id] = l
		return nil
	})
	return out, err
}

// append publishes the events through a watermill-sql Publisher whose handle queues the
// guarded insert into a pgx batch instead of running it; sending the batch runs it
// (outside an explicit transaction, in an implicit one) and reads back the rows it
// RETURNs — one round trip. Watermill's own Publisher would Exec the same statement and
// ignore the rows.
func (s *Store) append(ctx context.Context, q querier, stream string, expected ExpectedVersion, evs []events.Event, ownTx bool) ([]events.Recorded, error) {
	if stream == "" {
		return nil, errors.New("eventstore: append to an empty stream id")
	}
	if len(evs) == 0 {
		return nil, errors.New("eventstore: append of no events")
	}
	msgs := make([]*message.Message, len(evs))
	ids := make([]string, len(evs))
	for i, ev := range evs {
		if ev.ID == uuid.Nil || ev.Type == "" || ev.SchemaVersion < 1 {
			return nil, fmt.Errorf("eventstore: event %d of %d is missing its id, type or schema version", i+1, len(evs))
		}
		msg, err := toMessage(ctx, stream, expected.v+int64(i)+1, ev)
		if err != nil {
			return nil, fmt.Errorf("eventstore: append to %s: %w", stream, err)
		}
		msgs[i], ids[i] = msg, ev.ID.String()
	}

	var b pgx.Batch
	pub, err := wmsql.NewPublisher(pipeline{&b}, wmsql.PublisherConfig{SchemaAdapter: s.schema}, s.wmLogger)
	if err != nil {
		return nil, fmt.Errorf("eventstore: publisher: %w", err)
	}
	if err := pub.Publish(Topic, msgs...); err != nil {
		return nil, fmt.Errorf("eventstore: append to %s: %w", stream, err)
	}

	stored, err := sendAppend(ctx, q, &b)
	if err != nil {
		var pgErr *pgconn.PgError
		if !errors.As(err, &pgErr) || pgErr.Code != "23505" {
			return nil, fmt.Errorf("eventstore: append to %s: %w", stream, err)
		}
		// A unique violation: either another writer took these versions, or a retry of
		// this very append raced with its first attempt. Outside a transaction we can
		// look again; inside one the transaction is aborted and the caller retries.
		if !ownTx {
			return nil, s.clashError(stream, expected, -1, pgErr)
		}
		if stored, err = readByIDs(ctx, s.pool, ids); err != nil {
			return nil, err
		}
		if len(stored) == 0 {
			return nil, s.clashError(stream, expected, -1, pgErr)
		}
	} else if len(stored) == 0 {
		// The guard refused the expected version. The events may be there already, from
		// an earlier attempt of this append whose answer was lost.
		if stored, err = readByIDs(ctx, q, ids); err != nil {
			return nil, err
		}
	}
	return s.checkStored(ctx, q, stream, expected, evs, stored)
}

// sendAppend sends the queued insert and collects the rows it returns: nothing when
// its guard refused the expected version. One statement goes as a plain query: in a
// pipeline it would be written apart from its sync, two writes and two wake-ups of the
// server instead of one (a tenth of an append's time at 16 writers).
func sendAppend(ctx context.Context, q querier, b *pgx.Batch) (stored map[string]landed, err error) {
	if len(b.QueuedQueries) == 1 {
		qq := b.QueuedQueries[0]
		rows, err := q.Query(ctx, qq.SQL, qq.Arguments...)
		if err != nil {
			return nil, err
		}
		return collectLanded(rows)
	}
	br := q.SendBatch(ctx, b)
	defer func() {
		if closeErr := br.Close(); closeErr != nil && err == nil {
			err = closeErr
		}
	}()
	rows, err := br.Query()
	if err != nil {
		return nil, err
	}
	return collectLanded(rows)
}

func (s *Store) clashError(stream string, expected ExpectedVersion, actual int64, pgErr *pgconn.PgError) error {
	if pgErr != nil && pgErr.ConstraintName == "events_event_id_key" {
		return fmt.Errorf("eventstore: append to %s: %w", stream, ErrDuplicateEventID)
	}
	return &WrongExpectedVersionError{Stream: stream, Expected: expected, Actual: actual}
}

// checkStored decides what an append did from the events found under its ids: all of
// them in place means success (now or in an earlier attempt); none means the guard
// refused a stale expected version; anything else means ids were reused.
func (s *Store) checkStored(ctx context.Context, q querier, stream string, expected ExpectedVersion, evs []events.Event, stored map[string]landed) ([]events.Recorded, error) {
	if len(stored) == 0 {
		var actual int64
		if err := q.QueryRow(ctx, streamVersionSQL, stream).Scan(&actual); err != nil {
			return nil, fmt.Errorf("eventstore: version of %s: %w", stream, err)
		}
		return nil, &WrongExpectedVersionError{Stream: stream, Expected: expected, Actual: actual}
	}
	out := make([]events.Recorded, len(evs))
	for i, ev := range evs {
		l, ok := stored[ev.ID.String()]
		if !ok || l.streamID != stream || l.streamVersion != expected.v+int64(i)+1 || l.eventType != ev.Type {
			return nil, fmt.Errorf("eventstore: append to %s: %w", stream, ErrDuplicateEventID)
		}
		out[i] = events.Recorded{Event: ev, StreamID: stream, StreamVersion: l.streamVersion, Position: l.position, RecordedAt: l.recordedAt}
	}
	return out, nil
}

func readByIDs(ctx context.Context, q interface {
	Query(context.Context, string, ...any) (pgx.Rows, error)
}, ids []string) (map[string]landed, error) {
	rows, err := q.Query(ctx, selectByIDsSQL, ids)
	if err != nil {
		return nil, fmt.Errorf("eventstore: read events by id: %w", err)
	}
	return collectLanded(rows)
}

const streamVersionSQL = `SELECT coalesce(max(stream_version), 0) FROM eventstore.events WHERE stream_id = $1`

// StreamVersion returns a stream's current version, 0 if it does not exist.
func (s *Store) StreamVersion(ctx context.Context, stream string) (int64, error) {
	var v int64
	if err := s.pool.QueryRow(ctx, streamVersionSQL, stream).Scan(&v); err != nil {
		return 0, fmt.Errorf("eventstore: version of %s: %w", stream, err)
	}
	return v, nil
}

// ReadStream returns a stream's events from version from (1 = the beginning) on.
func (s *Store) ReadStream(ctx context.Context, stream string, from int64) ([]events.Recorded, error) {
	return readStream(ctx, s.pool, stream, from)
}

// ReadStreamIn is ReadStream within tx: a writer that serialises its changes of a stream
// reads it after taking its lock.
func (s *Store) ReadStreamIn(ctx context.Context, tx pgx.Tx, stream string, from int64) ([]events.Recorded, error) {
	return readStream(ctx, tx, stream, from)
}

func readStream(ctx context.Context, q interface {
	Query(context.Context, string, ...any) (pgx.Rows, error)
}, stream string, from int64) ([]events.Recorded, error) {
	rows, err := q.Query(ctx, `SELECT `+eventColumns+` FROM eventstore.events
		WHERE stream_id = $1 AND stream_version >= $2 ORDER BY stream_version`, stream, from)
	if err != nil {
		return nil, fmt.Errorf("eventstore: read stream %s: %w", stream, err)
	}
	recs, err := collectEvents(rows)
	if err != nil {
		return nil, fmt.Errorf("eventstore: read stream %s: %w", stream, err)
	}
	return recs, nil
}

// ReadStreamBackward returns up to limit events of stream below version before (all
// of them when before is 0), newest first: a stream's history, paged from its end.
func (s *Store) ReadStreamBackward(ctx context.Context, stream string, before int64, limit int) ([]events.Recorded, error) {
	if before <= 0 {
		before = math.MaxInt64
	}
	rows, err := s.pool.Query(ctx, `SELECT `+eventColumns+` FROM eventstore.events
		WHERE stream_id = $1 AND stream_version < $2 ORDER BY stream_version DESC LIMIT $3`, stream, before, limit)
	if err != nil {
		return nil, fmt.Errorf("eventstore: read stream %s backward: %w", stream, err)
	}
	recs, err := collectEvents(rows)
	if err != nil {
		return nil, fmt.Errorf("eventstore: read stream %s backward: %w", stream, err)
	}
	return recs, nil
}

// EventsAfter counts the events committed after position, up to max: how far a
// consumer at position is behind the log.
func (s *Store) EventsAfter(ctx context.Context, after events.Position, max int64) (int64, error) {
	var n int64
	err := s.pool.QueryRow(ctx, `SELECT count(*) FROM (SELECT 1 FROM eventstore.events e
		WHERE (e.transaction_id, e.global_position) > ($1::text::xid8, $2)
		  AND e.transaction_id < pg_snapshot_xmin(pg_current_snapshot())
		LIMIT $3) behind`, strconv.FormatUint(after.TransactionID, 10), after.GlobalPosition, max).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("eventstore: count events after %s: %w", after, err)
	}
	return n, nil
}

// ReadAll returns up to limit events after position, in delivery order, stopping below
// the oldest running transaction so that no event can later appear before the last one
// returned.
func (s *Store) ReadAll(ctx context.Context, after events.Position, limit int) ([]events.Recorded, error) {
	return readAll(ctx, s.pool, after, limit)
}

// ReadAllIn is ReadAll within tx.
func (s *Store) ReadAllIn(ctx context.Context, tx pgx.Tx, after events.Position, limit int) ([]events.Recorded, error) {
	return readAll(ctx, tx, after, limit)
}

// ReadAllInTx is ReadAll within tx, for readers that hold no Store (a projector).
func ReadAllInTx(ctx context.Context, tx pgx.Tx, after events.Position, limit int) ([]events.Recorded, error) {
	return readAll(ctx, tx, after, limit)
}

const readAllSQL = `SELECT ` + eventColumns + ` FROM eventstore.events e
	WHERE (e.transaction_id, e.global_position) > ($1::text::xid8, $2)
	  AND e.transaction_id < pg_snapshot_xmin(pg_current_snapshot())
	ORDER BY e.transaction_id, e.global_position
	LIMIT $3`

func readAll(ctx context.Context, q interface {
	Query(context.Context, string, ...any) (pgx.Rows, error)
}, after events.Position, limit int) ([]events.Recorded, error) {
	if limit <= 0 {
		return nil, errors.New("eventstore: read all: limit must be positive")
	}
	rows, err := q.Query(ctx, readAllSQL, strconv.FormatUint(after.TransactionID, 10), after.GlobalPosition, limit)
	if err != nil {
		return nil, fmt.Errorf("eventstore: read all after %s: %w", after, err)
	}
	recs, err := collectEvents(rows)
	if err != nil {
		return nil, fmt.Errorf("eventstore: read all after %s: %w", after, err)
	}
	return recs, nil
}

// StreamPosition is where a reader of the log in stream order stands: after version
// Version of stream Stream. The zero value is before every stream.
type StreamPosition struct {
	Stream  string
	Version int64
}

// readByStreamSQL reads the events of the streams with a prefix in stream order. The
// prefix filters instead of bounding the index scan, which a range could only do in the
// C collation: the last page walks the index to its end, a fraction of a second on a
// million events.
const readByStreamSQL = `SELECT global_position, transaction_id::text AS transaction_id_text, event_id::text AS event_id_text,
	stream_id, stream_version, event_type, schema_version, data, NULL::jsonb AS metadata, recorded_at FROM eventstore.events e
	WHERE (e.stream_id, e.stream_version) > ($2, $3)
	  AND starts_with(e.stream_id, $1)
	  AND (e.transaction_id, e.global_position) <= ($4::text::xid8, $5)
	ORDER BY e.stream_id, e.stream_version
	LIMIT $6`

// ReadByStream returns up to limit events after from of the streams whose ids start
// with prefix, stream by stream (streams in the order of their ids, each stream's events
// in order), among the events at or before upTo in delivery order. upTo must be a
// position a reader has seen (Head): every event before it is committed, so the events
// it bounds are a fixed set, which a reader can page through while others append. A
// rebuild reads the log this way to fold each stream's events at once.
//
// The events come without their metadata, which folding does not need.
func (s *Store) ReadByStream(ctx context.Context, prefix string, from StreamPosition, upTo events.Position, limit int) ([]events.Recorded, error) {
	if limit <= 0 {
		return nil, errors.New("eventstore: read by stream: limit must be positive")
	}
	rows, err := s.pool.Query(ctx, readByStreamSQL, prefix, from.Stream, from.Version,
		strconv.FormatUint(upTo.TransactionID, 10), upTo.GlobalPosition, limit)
	if err != nil {
		return nil, fmt.Errorf("eventstore: read by stream after %s@%d: %w", from.Stream, from.Version, err)
	}
	recs, err := collectEvents(rows)
	if err != nil {
		return nil, fmt.Errorf("eventstore: read by stream after %s@%d: %w", from.Stream, from.Version, err)
	}
	return recs, nil
}

const headSQL = `SELECT e.transaction_id::text AS transaction_id_text, e.global_position FROM eventstore.events e
	WHERE e.transaction_id < pg_snapshot_xmin(pg_current_snapshot())
	ORDER BY e.transaction_id DESC, e.global_position DESC LIMIT 1`

const lastCommittedSQL = `SELECT e.transaction_id::text AS transaction_id_text, e.global_position FROM eventstore.events e
	ORDER BY e.transaction_id DESC, e.global_position DESC LIMIT 1`

// LastCommitted returns the position of the last event committed so far (zero if none).
// A consumer that has reached it has seen everything committed before the call — what
// a caller waits for to read its own writes. It may be ahead of Head, which stops below
// transactions still running.
func (s *Store) LastCommitted(ctx context.Context) (events.Position, error) {
	return s.position(ctx, lastCommittedSQL)
}

// Head returns the position of the last event a reader can see now (zero if none).
func (s *Store) Head(ctx context.Context) (events.Position, error) {
	return s.position(ctx, headSQL)
}

func (s *Store) position(ctx context.Context, sql string) (events.Position, error) {
	var (
		txid string
		pos  events.Position
	)
	err := s.pool.QueryRow(ctx, sql).Scan(&txid, &pos.GlobalPosition)
	if errors.Is(err, pgx.ErrNoRows) {
		return events.Position{}, nil
	}
	if err != nil {
		return events.Position{}, fmt.Errorf("eventstore: head: %w", err)
	}
	if pos.TransactionID, err = strconv.ParseUint(txid, 10, 64); err != nil {
		return events.Position{}, fmt.Errorf("eventstore: head: transaction id %q: %w", txid, err)
	}
	return pos, nil
}

func collectEvents(rows pgx.Rows) ([]events.Recorded, error) {
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (events.Recorded, error) {
		var (
			r    events.Recorded
			txid string
			id   string
			sv   int32
			data []byte // scanned as bytes: PostgreSQL already checked the JSON
			md   []byte
		)
		if err := row.Scan(&r.Position.GlobalPosition, &txid, &id, &r.StreamID, &r.StreamVersion,
			&r.Type, &sv, &data, &md, &r.RecordedAt); err != nil {
			return r, err
		}
		var err error
		if r.Position.TransactionID, err = strconv.ParseUint(txid, 10, 64); err != nil {
			return r, fmt.Errorf("transaction id %q: %w", txid, err)
		}
		if r.ID, err = uuid.Parse(id); err != nil {
			return r, fmt.Errorf("event id %q: %w", id, err)
		}
		r.SchemaVersion = int(sv)
		r.Data = data
		if md == nil {
			return r, nil // a read that leaves the metadata out (ReadByStream)
		}
		if err := json.Unmarshal(md, &r.Metadata); err != nil {
			return r, fmt.Errorf("event %s: metadata: %w", id, err)
		}
		return r, nil
	})
}

// pipeline is the database handle given to the watermill-sql Publisher: it queues the
// insert into a pgx batch instead of running it, so that the insert and the read-back
// share one round trip.
type pipeline struct{ b *pgx.Batch }

func (p pipeline) ExecContext(_ context.Context, query string, args ...any) (wmsql.Result, error) {
	p.b.Queue(query, args...)
	return queuedResult{}, nil
}

func (p pipeline) QueryContext(context.Context, string, ...any) (wmsql.Rows, error) {
	return nil, errors.New("eventstore: the append pipeline only queues inserts")
}

type queuedResult struct{}

func (queuedResult) RowsAffected() (int64, error) {
	return 0, errors.New("eventstore: rows affected are known once the batch is sent")
}

// appendNotifier tells other processes that events were committed. It runs the NOTIFY
// in a transaction of its own after the append committed, coalescing bursts into one
// notification: a NOTIFY inside the append would make PostgreSQL serialise every
// appending commit behind a global lock, giving up group commit.
type appendNotifier struct {
	pool    *pgxpool.Pool
	logger  *slog.Logger
	pokes   chan struct{}
	done    chan struct{}
	stopped chan struct{}
}

func startAppendNotifier(pool *pgxpool.Pool, logger *slog.Logger) *appendNotifier {
	n := &appendNotifier{
		pool:    pool,
		logger:  logger,
		pokes:   make(chan struct{}, 1),
		done:    make(chan struct{}),
		stopped: make(chan struct{}),
	}
	go n.run()
	return n
}

func (n *appendNotifier) poke() {
	select {
	case n.pokes <- struct{}{}:
	default: // a notification is already due; it will cover this append too
	}
}

// notifyInterval is the shortest time between two notifications: under load, appends
// share notifications instead of each paying for one (a transaction of its own).
const notifyInterval = 5 * time.Millisecond

func (n *appendNotifier) run() {
	defer close(n.stopped)
	for {
		select {
		case <-n.done:
			return
		case <-n.pokes:
		}
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		// Nothing durable is written: the commit need not wait for the disk.
		_, err := n.pool.Exec(ctx, `SELECT set_config('synchronous_commit', 'off', true), pg_notify($1, '')`, EventsChannel)
		cancel()
		if err != nil && !errors.Is(err, context.Canceled) {
			n.logger.Warn("could not notify subscribers; they will find the events at their next poll", "err", err)
		}
		// Appends committed meanwhile poke again and are notified after the pause.
		select {
		case <-n.done:
			return
		case <-time.After(notifyInterval):
		}
	}
}

func (n *appendNotifier) stop() {
	select {
	case <-n.done:
	default:
		close(n.done)
	}
	<-n.stopped
}

// TypesCommittedWith returns the types of the events appended in the transaction of
// the event at pos: what a command appended, which tells whom it concerns.
func (s *Store) TypesCommittedWith(ctx context.Context, pos events.Position) ([]string, error) {
	rows, err := s.pool.Query(ctx, `SELECT DISTINCT event_type FROM eventstore.events WHERE transaction_id = $1::text::xid8`,
		strconv.FormatUint(pos.TransactionID, 10))
	if err != nil {
		return nil, fmt.Errorf("eventstore: events committed with %s: %w", pos, err)
	}
	types, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, fmt.Errorf("eventstore: events committed with %s: %w", pos, err)
	}
	return types, nil
}
