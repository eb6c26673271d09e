package eventstore_test

import (
	"context"
	"testing"
	"time"

	"github.com/ThreeDotsLabs/watermill/message"

	"passerelle.dev/events"
	"passerelle.dev/events/eventstore"
	"passerelle.dev/kernel/pgtest"
)

func TestSubscriberDeliversALateCommitBeforeEarlierCommittedLaterEvents(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := pgtest.PoolFor(t, db.Fresh(t))
	store := newStore(t, pool)

	notifications := eventstore.NewNotifications(pool, nil)
	listenCtx, stopListening := context.WithCancel(ctx)
	defer stopListening()
	go func() { _ = notifications.Run(listenCtx) }()

	sub, err := eventstore.NewSubscriber(eventstore.SubscriberConfig{
		// A poll interval well beyond the wait for the held-back events: what wakes the
		// subscriber is the commit's notification, then its short held-back retries.
		// Other packages' transactions on the same server can hold the visibility horizon
		// for seconds under a full test run; the interval still lets it catch up if they
		// outlast the retries.
		Pool: pool, ConsumerGroup: "ordering-test", Notifications: notifications, PollInterval: 5 * time.Second,
	})
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = sub.Close() }()
	msgs, err := sub.Subscribe(ctx, eventstore.Topic)
	if err != nil {
		t.Fatal(err)
	}

	// T1 appends first (lower global position) and stays open; T2 appends and commits.
	t1, err := pool.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer t1.Rollback(ctx)
	early, err := store.AppendInTx(ctx, t1, "early", eventstore.NoStream, newEvent(1))
	if err != nil {
		t.Fatal(err)
	}
	polls := sub.Polls()
	late, err := store.Append(ctx, "late", eventstore.NoStream, newEvent(2))
	if err != nil {
		t.Fatal(err)
	}

	// The append woke the subscriber; let it look twice and find nothing it may deliver.
	pgtest.Eventually(t, 10*time.Second, "the subscriber to poll after the commit", func() (bool, error) {
		return sub.Polls() >= polls+2, nil
	})
	select {
	case m := <-msgs:
		rec, _ := eventstore.RecordedFromMessage(m)
		t.Fatalf("delivered %s while an earlier transaction was still open: the early event would be skipped", rec.StreamID)
	default:
	}

	if err := t1.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	got := []events.Recorded{receive(t, msgs), receive(t, msgs)}
	if got[0].ID != early[0].ID || got[1].ID != late[0].ID {
		t.Fatalf("delivered %s then %s, want early then late", got[0].StreamID, got[1].StreamID)
	}
	if got[0].Position != early[0].Position || !got[0].Position.Before(got[1].Position) {
		t.Fatalf("positions %v, %v", got[0].Position, got[1].Position)
	}
}

func receive(t *testing.T, msgs <-chan *message.Message) events.Recorded {
	t.Helper()
	select {
	case m := <-msgs:
		rec, err := eventstore.RecordedFromMessage(m)
		if err != nil {
			t.Fatal(err)
		}
		m.Ack()
		return rec
	case <-time.After(60 * time.Second):
		// Generous on purpose: the horizon is cluster-wide, and a loaded CI run of every
		// package at once has held it for over ten seconds.
		t.Fatal("no event delivered")
	}
	return events.Recorded{}
}
