// Package events is the shared language of Passerelle's services: the envelope every
// event travels in, the actor who caused it, and the registry that turns stored JSON back
// into typed payloads across schema versions.
//
// Services append events through package eventstore; the gateway's projections consume
// them through package projector. Both only agree on what is defined here and in the
// contract packages (directoryevents, …), never on each other's internals.
package events

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/google/uuid"
)

// Event is an event about to be appended to a stream. Its ID is chosen by the writer so
// that a retried append stores it once.
type Event struct {
	ID            uuid.UUID
	Type          string
	SchemaVersion int
	Data          json.RawMessage
	Metadata      Metadata
}

// Recorded is an event as the event store holds it: the appended event plus where it
// landed (stream version, global position) and when.
type Recorded struct {
	Event
	StreamID      string
	StreamVersion int64
	Position      Position
	RecordedAt    time.Time
}

// Metadata travels with every event and answers "why and on whose behalf" — never
// "who as a person": actors are identified by role and opaque ids only.
type Metadata struct {
	// CorrelationID ties together everything caused by one user request.
	CorrelationID string `json:"correlationId,omitempty"`
	// CausationID is the id of the command or event that directly caused this event.
	CausationID string `json:"causationId,omitempty"`
	// Actor is who asked for the change.
	Actor Actor `json:"actor"`
}

// Position is an event's place in the global log. Events are delivered in
// (TransactionID, GlobalPosition) order: a transaction that took a lower global position
// but committed later still sorts by its transaction id, so a reader that only reads
// below the oldest running transaction never skips an event.
type Position struct {
	TransactionID  uint64 `json:"transactionId,string"`
	GlobalPosition int64  `json:"globalPosition"`
}

// Before reports whether p sorts strictly before q in delivery order.
func (p Position) Before(q Position) bool {
	if p.TransactionID != q.TransactionID {
		return p.TransactionID < q.TransactionID
	}
	return p.GlobalPosition < q.GlobalPosition
}

// IsZero reports whether p is the position before the first event.
func (p Position) IsZero() bool { return p == Position{} }

// String renders the position for logs.
func (p Position) String() string {
	return fmt.Sprintf("%d@%d", p.GlobalPosition, p.TransactionID)
}

// NewEventID returns a time-ordered id, which keeps the unique index on event ids
// append-mostly.
func NewEventID() uuid.UUID {
	return uuid.Must(uuid.NewV7())
}
