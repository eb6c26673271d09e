package projector

import (
	"context"
	"fmt"
	"strconv"

	"github.com/jackc/pgx/v5"

	"passerelle.dev/events"
	"passerelle.dev/events/eventstore"
)

// HoldPosition locks a consumer group's position within tx, creating it at the start of
// the log if the group is new, and returns it: the group's subscribers, here or in
// another process, wait until tx ends. Catching up and rebuilds write a projection's
// rows under it.
func HoldPosition(ctx context.Context, tx pgx.Tx, group string) (events.Position, error) {
	if _, err := tx.Exec(ctx, `INSERT INTO eventstore.consumer_offsets (consumer_group) VALUES ($1) ON CONFLICT DO NOTHING`, group); err != nil {
		return events.Position{}, fmt.Errorf("projector: position of %s: %w", group, err)
	}
	var (
		pos  events.Position
		txid string
	)
	if err := tx.QueryRow(ctx, `SELECT offset_acked, last_processed_transaction_id::text FROM eventstore.consumer_offsets
		WHERE consumer_group = $1 FOR UPDATE`, group).Scan(&pos.GlobalPosition, &txid); err != nil {
		return events.Position{}, fmt.Errorf("projector: position of %s: %w", group, err)
	}
	var err error
	if pos.TransactionID, err = strconv.ParseUint(txid, 10, 64); err != nil {
		return events.Position{}, fmt.Errorf("projector: position of %s: %w", group, err)
	}
	return pos, nil
}

// SetPosition moves a consumer group's position within tx (which holds it, see
// HoldPosition), counts a revision of what it keeps (see Revised), and wakes whoever
// waits for the group on CheckpointChannel once tx commits, as a subscriber's
// acknowledgement does.
func SetPosition(ctx context.Context, tx pgx.Tx, group string, pos events.Position) error {
	if _, err := tx.Exec(ctx, `UPDATE eventstore.consumer_offsets
		SET offset_acked = $2, last_processed_transaction_id = $3::text::xid8, updated_at = now(), revision = revision + 1
		WHERE consumer_group = $1`, group, pos.GlobalPosition, strconv.FormatUint(pos.TransactionID, 10)); err != nil {
		return fmt.Errorf("projector: move %s to %s: %w", group, pos, err)
	}
	if _, err := tx.Exec(ctx, `SELECT pg_notify($1, $2)`, eventstore.CheckpointChannel, group); err != nil {
		return fmt.Errorf("projector: move %s to %s: %w", group, pos, err)
	}
	return nil
}

// Revised counts, within tx, a change of what a consumer group keeps: a projection that
// applied an event. Its position moves with every event; its revision only when its
// tables may have changed.
func Revised(ctx context.Context, tx pgx.Tx, group string) error {
	if _, err := tx.Exec(ctx, `UPDATE eventstore.consumer_offsets SET revision = revision + 1 WHERE consumer_group = $1`, group); err != nil {
		return fmt.Errorf("projector: revision of %s: %w", group, err)
	}
	return nil
}
