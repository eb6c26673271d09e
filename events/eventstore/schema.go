package eventstore

import (
	stdsql "database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	wmsql "github.com/ThreeDotsLabs/watermill-sql/v4/pkg/sql"
	"github.com/ThreeDotsLabs/watermill/message"
)

// SchemaAdapter lets watermill-sql publish into and subscribe from eventstore.events.
//
// Publishing is an optimistic-concurrency append: every message of one Publish call
// belongs to the same stream and carries consecutive stream versions in its metadata,
// and the rows are inserted only if the stream is still at the version just before the
// first of them. A stale version therefore inserts nothing (the store reports it), and a
// concurrent writer that took the same version loses on the unique (stream_id,
// stream_version) constraint.
//
// Subscribing reads in (transaction_id, global_position) order below the oldest running
// transaction, as watermill-sql's DefaultPostgreSQLSchema does, so nothing is skipped.
type SchemaAdapter struct {
	// SubscribeBatchSize is how many events a subscriber reads per transaction. Defaults
	// to 100.
	SubscribeBatchSize int
}

var _ wmsql.SchemaAdapter = SchemaAdapter{}

// insertEventSQL appends one event: the common case, without the arrays' cost.
const insertEventSQL = `INSERT INTO eventstore.events
	(event_id, stream_id, stream_version, event_type, schema_version, data, metadata)
SELECT $2::uuid, $1, $3::bigint, $4, $5::integer, $6::jsonb, $7::jsonb
WHERE (SELECT coalesce(max(stream_version), 0) FROM eventstore.events WHERE stream_id = $1) = $8
RETURNING ` + appendedColumns

const insertEventsSQL = `INSERT INTO eventstore.events
	(event_id, stream_id, stream_version, event_type, schema_version, data, metadata)
SELECT e.event_id, $1, e.stream_version, e.event_type, e.schema_version, e.data, e.metadata
FROM unnest($2::uuid[], $3::bigint[], $4::text[], $5::integer[], $6::jsonb[], $7::jsonb[])
	AS e(event_id, stream_version, event_type, schema_version, data, metadata)
WHERE (SELECT coalesce(max(stream_version), 0) FROM eventstore.events WHERE stream_id = $1) = $8
ORDER BY e.stream_version
RETURNING ` + appendedColumns

// storedMetadata is what the metadata column keeps; stream, type and versions have
// columns of their own.
type storedMetadata struct {
	CorrelationID string          `json:"correlationId,omitempty"`
	CausationID   string          `json:"causationId,omitempty"`
	Actor         json.RawMessage `json:"actor,omitempty"`
}

// InsertQuery implements wmsql.SchemaAdapter.
func (SchemaAdapter) InsertQuery(params wmsql.InsertQueryParams) (wmsql.Query, error) {
	if params.Topic != Topic {
		return wmsql.Query{}, fmt.Errorf("event store: topic %q, only %q is stored", params.Topic, Topic)
	}
	if len(params.Msgs) == 0 {
		return wmsql.Query{}, errors.New("event store: nothing to append")
	}
	stream := params.Msgs[0].Metadata.Get(MetaStreamID)
	if stream == "" {
		return wmsql.Query{}, errors.New("event store: message without stream id")
	}
	n := len(params.Msgs)
	var (
		ids      = make([]string, n)
		versions = make([]int64, n)
		types    = make([]string, n)
		schemas  = make([]int32, n)
		data     = make([]string, n)
		metadata = make([]string, n)
	)
	for i, msg := range params.Msgs {
		if got := msg.Metadata.Get(MetaStreamID); got != stream {
			return wmsql.Query{}, fmt.Errorf("event store: one append spans streams %q and %q", stream, got)
		}
		v, err := strconv.ParseInt(msg.Metadata.Get(MetaStreamVersion), 10, 64)
		if err != nil {
			return wmsql.Query{}, fmt.Errorf("event store: message %s: stream version: %w", msg.UUID, err)
		}
		if i > 0 && v != versions[i-1]+1 {
			return wmsql.Query{}, fmt.Errorf("event store: message %s: stream version %d does not follow %d", msg.UUID, v, versions[i-1])
		}
		sv, err := strconv.ParseInt(msg.Metadata.Get(MetaSchemaVersion), 10, 32)
		if err != nil {
			return wmsql.Query{}, fmt.Errorf("event store: message %s: schema version: %w", msg.UUID, err)
		}
		md, err := json.Marshal(storedMetadata{
			CorrelationID: msg.Metadata.Get(MetaCorrelationID),
			CausationID:   msg.Metadata.Get(MetaCausationID),
			Actor:         json.RawMessage(msg.Metadata.Get(MetaActor)),
		})
		if err != nil {
			return wmsql.Query{}, fmt.Errorf("event store: message %s: metadata: %w", msg.UUID, err)
		}
		ids[i], versions[i], types[i], schemas[i] = msg.UUID, v, msg.Metadata.Get(MetaEventType), int32(sv)
		data[i], metadata[i] = string(msg.Payload), string(md)
	}
	if n == 1 {
		return wmsql.Query{
			Query: insertEventSQL,
			Args:  []any{stream, ids[0], versions[0], types[0], schemas[0], data[0], metadata[0], versions[0] - 1},
		}, nil
	}
	return wmsql.Query{
		Query: insertEventsSQL,
		Args:  []any{stream, ids, versions, types, schemas, data, metadata, versions[0] - 1},
	}, nil
}

// appendedColumns are what an append reads back: where each event landed. The payload
// and metadata are the writer's own; sending them back would cost both sides.
//
// Text casts get names of their own: an output column named transaction_id would be
// what ORDER BY transaction_id sorts by — the text, in the wrong order and without the
// index.
const appendedColumns = `event_id::text AS event_id_text, stream_id, stream_version, event_type, global_position,
	transaction_id::text AS transaction_id_text, recorded_at`

// The columns every event read selects, in the order collectEvents expects.
const eventColumns = `global_position, transaction_id::text AS transaction_id_text, event_id::text AS event_id_text, stream_id, stream_version,
	event_type, schema_version, data, metadata, recorded_at`

// SelectQuery implements wmsql.SchemaAdapter.
func (s SchemaAdapter) SelectQuery(params wmsql.SelectQueryParams) (wmsql.Query, error) {
	if params.Topic != Topic {
		return wmsql.Query{}, fmt.Errorf("event store: topic %q, only %q is stored", params.Topic, Topic)
	}
	next, err := params.OffsetsAdapter.NextOffsetQuery(wmsql.NextOffsetQueryParams{
		Topic:         params.Topic,
		ConsumerGroup: params.ConsumerGroup,
	})
	if err != nil {
		return wmsql.Query{}, err
	}
	batch := s.SubscribeBatchSize
	if batch <= 0 {
		batch = 100
	}
	// The row comparison walks events_delivery_idx from the consumer's position. The
	// events are read in a LATERAL subquery so that the position is the index scan's
	// start: joined plainly, the position is only a filter, and every poll walks the
	// whole log from its first event (half a second at 300,000 events).
	q := `WITH last_processed AS (` + next.Query + `)
SELECT e.* FROM last_processed lp CROSS JOIN LATERAL (
  SELECT ` + eventColumns + `
  FROM eventstore.events e
  WHERE (e.transaction_id, e.global_position) > (lp.last_processed_transaction_id, lp.offset_acked)
    AND e.transaction_id < pg_snapshot_xmin(pg_current_snapshot())
  ORDER BY e.transaction_id, e.global_position
  LIMIT ` + strconv.Itoa(batch) + `) e`
	return wmsql.Query{Query: q, Args: next.Args}, nil
}

// UnmarshalMessage implements wmsql.SchemaAdapter.
func (SchemaAdapter) UnmarshalMessage(params wmsql.UnmarshalMessageParams) (wmsql.Row, error) {
	var (
		row   wmsql.Row
		ev    scannedEvent
		txid  wmsql.XID8
		actor json.RawMessage
	)
	if err := params.Row.Scan(&ev.globalPosition, &txid, &ev.eventID, &ev.streamID, &ev.streamVersion,
		&ev.eventType, &ev.schemaVersion, &ev.data, &ev.metadata, &ev.recordedAt); err != nil {
		return row, fmt.Errorf("event store: scan event: %w", err)
	}
	var md storedMetadata
	if err := json.Unmarshal(ev.metadata, &md); err != nil {
		return row, fmt.Errorf("event store: event %s: metadata: %w", ev.eventID, err)
	}
	actor = md.Actor
	msg := message.NewMessage(ev.eventID, message.Payload(ev.data))
	msg.Metadata.Set(MetaStreamID, ev.streamID)
	msg.Metadata.Set(MetaStreamVersion, strconv.FormatInt(ev.streamVersion, 10))
	msg.Metadata.Set(MetaEventType, ev.eventType)
	msg.Metadata.Set(MetaSchemaVersion, strconv.Itoa(int(ev.schemaVersion)))
	msg.Metadata.Set(MetaCorrelationID, md.CorrelationID)
	msg.Metadata.Set(MetaCausationID, md.CausationID)
	msg.Metadata.Set(MetaActor, string(actor))
	msg.Metadata.Set(MetaGlobalPosition, strconv.FormatInt(ev.globalPosition, 10))
	msg.Metadata.Set(MetaTransactionID, strconv.FormatUint(uint64(txid), 10))
	msg.Metadata.Set(MetaRecordedAt, ev.recordedAt.UTC().Format(time.RFC3339Nano))

	row.Offset = ev.globalPosition
	row.UUID = []byte(ev.eventID)
	row.Payload = ev.data
	row.Metadata = ev.metadata
	row.Msg = msg
	row.ExtraData = map[string]any{"transaction_id": txid}
	return row, nil
}

type scannedEvent struct {
	globalPosition int64
	eventID        string
	streamID       string
	streamVersion  int64
	eventType      string
	schemaVersion  int32
	data           []byte
	metadata       []byte
	recordedAt     time.Time
}

// SchemaInitializingQueries implements wmsql.SchemaAdapter. The schema comes from the
// embedded migrations, never from a subscriber or publisher at run time.
func (SchemaAdapter) SchemaInitializingQueries(wmsql.SchemaInitializingQueriesParams) ([]wmsql.Query, error) {
	return nil, errors.New("event store: the schema is created by migrations (passerelle migrate), not by Watermill")
}

// SubscribeIsolationLevel implements wmsql.SchemaAdapter. Repeatable read gives the
// select and the ack one snapshot, as watermill-sql's PostgreSQL schema does.
func (SchemaAdapter) SubscribeIsolationLevel() stdsql.IsolationLevel {
	return stdsql.LevelRepeatableRead
}

// CheckpointChannel is the PostgreSQL notification channel on which a consumer group
// announces that its position advanced (payload: the group name).
const CheckpointChannel = "passerelle_checkpoints"

// OffsetsAdapter keeps consumer positions in eventstore.consumer_offsets. Acking also
// notifies CheckpointChannel, so that a request waiting to read its own write wakes up
// the moment the projection commits.
type OffsetsAdapter struct {
	wmsql.DefaultPostgreSQLOffsetsAdapter
}

// NewOffsetsAdapter returns the offsets adapter over eventstore.consumer_offsets.
func NewOffsetsAdapter() OffsetsAdapter {
	return OffsetsAdapter{wmsql.DefaultPostgreSQLOffsetsAdapter{
		GenerateMessagesOffsetsTableName: func(string) string { return "eventstore.consumer_offsets" },
	}}
}

var _ wmsql.OffsetsAdapter = OffsetsAdapter{}

// AckMessageQuery implements wmsql.OffsetsAdapter.
func (OffsetsAdapter) AckMessageQuery(params wmsql.AckMessageQueryParams) (wmsql.Query, error) {
	q := `WITH acked AS (
	INSERT INTO eventstore.consumer_offsets (consumer_group, offset_acked, last_processed_transaction_id, updated_at)
	VALUES ($3, $1, $2, now())
	ON CONFLICT (consumer_group) DO UPDATE SET
		offset_acked = excluded.offset_acked,
		last_processed_transaction_id = excluded.last_processed_transaction_id,
		updated_at = excluded.updated_at
	RETURNING consumer_group
)
SELECT pg_notify('` + CheckpointChannel + `', consumer_group) FROM acked`
	return wmsql.Query{Query: q, Args: []any{
		params.LastRow.Offset, params.LastRow.ExtraData["transaction_id"], params.ConsumerGroup,
	}}, nil
}

// SchemaInitializingQueries implements wmsql.OffsetsAdapter; see SchemaAdapter's.
func (OffsetsAdapter) SchemaInitializingQueries(wmsql.OffsetsSchemaInitializingQueriesParams) ([]wmsql.Query, error) {
	return nil, errors.New("event store: the schema is created by migrations (passerelle migrate), not by Watermill")
}
