package adapters

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"passerelle.dev/events"
	"passerelle.dev/events/eventstore"
	"passerelle.dev/events/notificationevents"
	"passerelle.dev/events/projector"
	"passerelle.dev/notifications/app"
	"passerelle.dev/servicekit/command"
)

// Letters stores coordinators' messages as events (one stream each) and answers who
// they go to from what the notifier knows.
type Letters struct {
	store       *eventstore.Store
	registry    *events.Registry
	keys        command.Keys
	consistency *projector.Consistency
}

var _ app.Letters = (*Letters)(nil)

// NewLetters returns the repository; registry must know the notifications events.
func NewLetters(store *eventstore.Store, registry *events.Registry, checkpoints *projector.Checkpoints) *Letters {
	return &Letters{store: store, registry: registry, keys: command.NewKeys("notifications"),
		consistency: &projector.Consistency{Checkpoints: checkpoints, Store: store}}
}

// SessionCity implements app.Letters. A session scheduled a moment ago may not be
// known yet: before saying so, it waits (bounded) for the notifier to catch up.
func (l *Letters) SessionCity(ctx context.Context, sessionID string) (string, bool, error) {
	city, ok, err := l.sessionCity(ctx, sessionID)
	if err != nil || ok {
		return city, ok, err
	}
	l.consistency.CaughtUp(ctx, NotifierName)
	return l.sessionCity(ctx, sessionID)
}

func (l *Letters) sessionCity(ctx context.Context, sessionID string) (string, bool, error) {
	var city string
	err := l.store.Pool().QueryRow(ctx, `SELECT city FROM notifications.sessions WHERE id = $1`, sessionID).Scan(&city)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", false, nil
	}
	if err != nil {
		return "", false, fmt.Errorf("session %s: %w", sessionID, err)
	}
	return city, true, nil
}

// audienceSQL selects the registrations of a session an audience is.
func audienceSQL(audience string) string {
	if audience == notificationevents.Attended {
		return `session_id = $1 AND attended > 0`
	}
	return `session_id = $1 AND active`
}

// Recipients implements app.Letters. A registration committed a moment ago may not be
// known yet: before saying nobody is in the audience, it waits (bounded) for the
// notifier to catch up.
func (l *Letters) Recipients(ctx context.Context, sessionID, audience string) (int, error) {
	n, err := l.recipients(ctx, sessionID, audience)
	if err != nil || n > 0 {
		return n, err
	}
	l.consistency.CaughtUp(ctx, NotifierName)
	return l.recipients(ctx, sessionID, audience)
}

func (l *Letters) recipients(ctx context.Context, sessionID, audience string) (int, error) {
	var n int
	err := l.store.Pool().QueryRow(ctx, `SELECT count(DISTINCT association_id) FROM notifications.registrations WHERE `+audienceSQL(audience), sessionID).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("recipients: %w", err)
	}
	return n, nil
}

// Add implements app.Letters.
func (l *Letters) Add(ctx context.Context, e notificationevents.CoordinatorMessageSent, md events.Metadata, key command.Key) (command.Outcome, error) {
	ev, err := l.registry.New(e, md)
	if err != nil {
		return command.Outcome{}, err
	}
	var o command.Outcome
	err = l.store.Transact(ctx, func(tx pgx.Tx) error {
		if err := l.keys.Claim(ctx, tx, key); err != nil {
			return err
		}
		recs, err := l.store.AppendInTx(ctx, tx, notificationevents.StreamID(e.MessageID), eventstore.NoStream, ev)
		if err != nil {
			return err
		}
		o = command.Outcome{StreamID: recs[0].StreamID, Version: recs[0].StreamVersion, Position: recs[0].Position}
		return l.keys.Record(ctx, tx, key, o)
	})
	if errors.Is(err, command.ErrTwin) {
		replayed, ok, ferr := l.keys.Find(ctx, l.store.Pool(), key)
		if ferr != nil || !ok {
			return command.Outcome{}, fmt.Errorf("idempotency key claimed but not recorded: %w", ferr)
		}
		replayed.Replayed = true
		return replayed, nil
	}
	return o, err
}

// Replay implements app.Letters.
func (l *Letters) Replay(ctx context.Context, key command.Key) (command.Outcome, bool, error) {
	return l.keys.Find(ctx, l.store.Pool(), key)
}
