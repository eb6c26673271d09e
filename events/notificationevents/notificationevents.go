// Package notificationevents is the published contract of the notifications service:
// what coordinators write to the associations of a session. Changing a field's meaning
// needs a new schema version and an upcaster.
package notificationevents

import (
	"strings"
	"time"

	"passerelle.dev/events"
)

// Event type names. They are stored with every event and must never change.
const (
	CoordinatorMessageSentType = "notifications.CoordinatorMessageSent"
)

// StreamPrefix starts the stream of each coordinator's message.
const StreamPrefix = "message-"

// StreamID is the stream of a message.
func StreamID(id string) string { return StreamPrefix + id }

// MessageIDFromStream returns the message id of a stream, ok false for other streams.
func MessageIDFromStream(stream string) (string, bool) {
	return strings.CutPrefix(stream, StreamPrefix)
}

// Audiences of a coordinator's message.
const (
	// Registered: every association holding or waiting for seats at the session.
	Registered = "REGISTERED"
	// Attended: the associations whose people came (checked in, or attendance recorded).
	Attended = "ATTENDED"
)

// CoordinatorMessageSent: a coordinator of the session's city (or an admin) wrote to
// its associations. The notifier writes it to each one's contact person, as they stand
// when it handles the event.
type CoordinatorMessageSent struct {
	MessageID string `json:"messageId"`
	SessionID string `json:"sessionId"`
	// Audience is Registered or Attended.
	Audience string    `json:"audience"`
	Subject  string    `json:"subject"`
	Body     string    `json:"body"`
	At       time.Time `json:"at"`
}

// Register adds the notifications service's events to a registry.
func Register(r *events.Registry) error {
	return events.Register[CoordinatorMessageSent](r, CoordinatorMessageSentType, 1)
}
