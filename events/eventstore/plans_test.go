package eventstore_test

import (
	"context"
	"strings"
	"testing"

	wmsql "github.com/ThreeDotsLabs/watermill-sql/v4/pkg/sql"

	"passerelle.dev/events/eventstore"
	"passerelle.dev/kernel/pgtest"
)

// TestReadsWalkTheDeliveryIndexInOrder guards the order readers see events in: the reads
// must follow events_delivery_idx (transaction id, global position) — no sort, and above
// all no sort by some other expression of the same name — from their position.
func TestReadsWalkTheDeliveryIndexInOrder(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := pgtest.PoolFor(t, db.Fresh(t))
	// Enough rows that a sequential scan and a sort would be cheaper if the index could
	// not serve the order.
	if _, err := pool.Exec(ctx, `INSERT INTO eventstore.events (event_id, stream_id, stream_version, event_type, schema_version, data, metadata)
		SELECT gen_random_uuid(), 'plan-' || (g / 10), g % 10 + 1, 'test.Planned', 1, '{}', '{}' FROM generate_series(0, 19999) g`); err != nil {
		t.Fatal(err)
	}
	if _, err := pool.Exec(ctx, `ANALYZE eventstore.events`); err != nil {
		t.Fatal(err)
	}
	subscribe, err := eventstore.SchemaAdapter{}.SelectQuery(wmsql.SelectQueryParams{Topic: eventstore.Topic, ConsumerGroup: "plan", OffsetsAdapter: eventstore.NewOffsetsAdapter()})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := pool.Exec(ctx, `INSERT INTO eventstore.consumer_offsets (consumer_group) VALUES ('plan')`); err != nil {
		t.Fatal(err)
	}
	queries := map[string]struct {
		sql  string
		args []any
	}{
		"read all":  {eventstore.ReadAllSQL, []any{"0", int64(0), 1000}},
		"head":      {eventstore.HeadSQL, nil},
		"last":      {eventstore.LastCommittedSQL, nil},
		"subscribe": {subscribe.Query, subscribe.Args},
	}
	for name, q := range queries {
		t.Run(name, func(t *testing.T) {
			var plan []byte
			if err := pool.QueryRow(ctx, "EXPLAIN (FORMAT JSON) "+q.sql, q.args...).Scan(&plan); err != nil {
				t.Fatal(err)
			}
			text := string(plan)
			if !strings.Contains(text, "events_delivery_idx") || strings.Contains(text, `"Node Type": "Sort"`) {
				t.Fatalf("the read does not walk events_delivery_idx in order:\n%s", text)
			}
			// Reads from a position must start the index scan there, not filter every
			// event from the first.
			if name == "read all" || name == "subscribe" {
				if !strings.Contains(text, `"Index Cond": "((ROW(transaction_id, global_position) > ROW(`) {
					t.Fatalf("the read does not start at its position:\n%s", text)
				}
			}
		})
	}
}
