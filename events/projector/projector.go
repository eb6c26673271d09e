// Package projector keeps read models (projections) up to date from the event store,
// exactly once: each projection consumes through a Watermill router from its own
// subscriber, and writes its rows in the subscriber's transaction, the one that also
// advances its position. A crash at any point either commits both or neither.
package projector

import (
	"context"
	"errors"

	"github.com/jackc/pgx/v5"

	"passerelle.dev/events"
)

// Projection is a read model kept from events.
type Projection interface {
	// Name is the projection's consumer group. It must never change: a new name
	// re-projects every event into the same tables.
	Name() string
	// Handles reports whether the projection cares about an event type. Other events
	// only advance its position.
	Handles(eventType string) bool
	// Apply changes the read model for one event, within tx. It must not commit or
	// roll back tx. An error marked Permanent sends the event to the poison table;
	// any other error is retried, and the projection waits until it succeeds.
	Apply(ctx context.Context, tx pgx.Tx, ev events.Recorded, payload any) error
	// Reset empties the read model before a rebuild, within tx.
	Reset(ctx context.Context, tx pgx.Tx) error
}

type permanentError struct{ err error }

func (e permanentError) Error() string { return "permanent: " + e.err.Error() }
func (e permanentError) Unwrap() error { return e.err }

// Permanent marks an error that retrying cannot fix (an event that can never be
// projected). The event is recorded in eventstore.poisoned_messages and skipped.
func Permanent(err error) error {
	if err == nil {
		return nil
	}
	return permanentError{err}
}

// IsPermanent reports whether err was marked Permanent.
func IsPermanent(err error) bool {
	var p permanentError
	return errors.As(err, &p)
}
