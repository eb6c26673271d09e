package eventstore

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"time"

	"github.com/ThreeDotsLabs/watermill"
	"github.com/ThreeDotsLabs/watermill/message"
	"github.com/google/uuid"

	"passerelle.dev/events"
)

// Topic is the one Watermill topic of the event log. Every event of every service goes
// through it, so a consumer sees all events in one total order.
const Topic = "passerelle.events"

// Metadata keys of the Watermill messages that carry events.
const (
	MetaStreamID       = "stream_id"
	MetaStreamVersion  = "stream_version"
	MetaEventType      = "event_type"
	MetaSchemaVersion  = "schema_version"
	MetaCorrelationID  = "correlation_id"
	MetaCausationID    = "causation_id"
	MetaActor          = "actor"
	MetaGlobalPosition = "global_position"
	MetaTransactionID  = "transaction_id"
	MetaRecordedAt     = "recorded_at"
)

// toMessage wraps an event for publishing at a given stream version.
func toMessage(ctx context.Context, stream string, version int64, ev events.Event) (*message.Message, error) {
	actor, err := json.Marshal(ev.Metadata.Actor)
	if err != nil {
		return nil, fmt.Errorf("encode actor: %w", err)
	}
	msg := message.NewMessage(ev.ID.String(), message.Payload(ev.Data))
	msg.Metadata.Set(MetaStreamID, stream)
	msg.Metadata.Set(MetaStreamVersion, strconv.FormatInt(version, 10))
	msg.Metadata.Set(MetaEventType, ev.Type)
	msg.Metadata.Set(MetaSchemaVersion, strconv.Itoa(ev.SchemaVersion))
	msg.Metadata.Set(MetaCorrelationID, ev.Metadata.CorrelationID)
	msg.Metadata.Set(MetaCausationID, ev.Metadata.CausationID)
	msg.Metadata.Set(MetaActor, string(actor))
	msg.SetContext(ctx)
	return msg, nil
}

// RecordedFromMessage reads back an event delivered by a subscriber over the event store.
func RecordedFromMessage(msg *message.Message) (events.Recorded, error) {
	var (
		r   events.Recorded
		err error
	)
	if r.ID, err = uuid.Parse(msg.UUID); err != nil {
		return r, fmt.Errorf("message %q: event id: %w", msg.UUID, err)
	}
	md := msg.Metadata
	r.StreamID = md.Get(MetaStreamID)
	r.Type = md.Get(MetaEventType)
	r.Data = json.RawMessage(msg.Payload)
	r.Metadata.CorrelationID = md.Get(MetaCorrelationID)
	r.Metadata.CausationID = md.Get(MetaCausationID)
	if a := md.Get(MetaActor); a != "" {
		if err := json.Unmarshal([]byte(a), &r.Metadata.Actor); err != nil {
			return r, fmt.Errorf("message %s: actor: %w", msg.UUID, err)
		}
	}
	ints := []struct {
		key string
		set func(int64)
	}{
		{MetaStreamVersion, func(v int64) { r.StreamVersion = v }},
		{MetaSchemaVersion, func(v int64) { r.SchemaVersion = int(v) }},
		{MetaGlobalPosition, func(v int64) { r.Position.GlobalPosition = v }},
		{MetaTransactionID, func(v int64) { r.Position.TransactionID = uint64(v) }},
	}
	for _, f := range ints {
		v, err := strconv.ParseInt(md.Get(f.key), 10, 64)
		if err != nil {
			return r, fmt.Errorf("message %s: %s: %w", msg.UUID, f.key, err)
		}
		f.set(v)
	}
	if r.RecordedAt, err = time.Parse(time.RFC3339Nano, md.Get(MetaRecordedAt)); err != nil {
		return r, fmt.Errorf("message %s: %s: %w", msg.UUID, MetaRecordedAt, err)
	}
	if r.StreamID == "" || r.Type == "" {
		return r, fmt.Errorf("message %s: missing stream id or event type", msg.UUID)
	}
	return r, nil
}

// WatermillLogger adapts logger for Watermill, whose Info messages (handlers added,
// subscribers started and stopped) are lifecycle chatter: they are logged at Debug. So
// are the errors of a process stopping (a subscriber's query cancelled with its context):
// nothing failed, and an operator reading the last lines of a stopped process must not
// see ERROR.
func WatermillLogger(logger *slog.Logger) watermill.LoggerAdapter {
	return stoppingQuietly{watermill.NewSlogLoggerWithLevelMapping(logger, map[slog.Level]slog.Level{slog.LevelInfo: slog.LevelDebug})}
}

type stoppingQuietly struct{ watermill.LoggerAdapter }

// Error logs a cancellation at Debug, anything else as an error.
func (l stoppingQuietly) Error(msg string, err error, fields watermill.LogFields) {
	if errors.Is(err, context.Canceled) {
		l.LoggerAdapter.Debug(msg, fields.Add(watermill.LogFields{"err": err.Error()}))
		return
	}
	l.LoggerAdapter.Error(msg, err, fields)
}

// With keeps the adapter quiet about cancellations.
func (l stoppingQuietly) With(fields watermill.LogFields) watermill.LoggerAdapter {
	return stoppingQuietly{l.LoggerAdapter.With(fields)}
}
