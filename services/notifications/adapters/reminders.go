package adapters

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"passerelle.dev/kernel/due"
	"passerelle.dev/notifications/domain/message"
)

// ReminderClock writes the reminders that fall due into the outbox. Its state is
// notifications.reminders, which the notifier keeps as sessions are scheduled, moved
// and cancelled: a reminder is marked done in the transaction that writes its messages,
// so a restart neither loses one nor sends one twice, and one that fell due while the
// service was down goes out when it starts — unless the session has started by then.
type ReminderClock struct {
	pool     *pgxpool.Pool
	notifier Notifier
	now      func() time.Time
	interval time.Duration
	logger   *slog.Logger
}

// NewReminderClock returns the clock; interval bounds how long it sleeps (default a
// minute).
func NewReminderClock(pool *pgxpool.Pool, notifier Notifier, now func() time.Time, interval time.Duration, logger *slog.Logger) *ReminderClock {
	if now == nil {
		now = time.Now
	}
	if interval <= 0 {
		interval = time.Minute
	}
	if logger == nil {
		logger = slog.Default()
	}
	return &ReminderClock{pool: pool, notifier: notifier, now: now, interval: interval, logger: logger.With("component", "reminders")}
}

// Run writes reminders as they fall due until ctx ends.
func (c *ReminderClock) Run(ctx context.Context) error {
	return due.Run(ctx, due.Loop{Interval: c.interval, Now: c.now, Logger: c.logger}, c.WriteDue)
}

// WriteDue writes every reminder due, and returns when the next one falls due (zero
// when none is planned).
func (c *ReminderClock) WriteDue(ctx context.Context) (time.Time, error) {
	now := c.now()
	err := pgx.BeginFunc(ctx, c.pool, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `SELECT r.session_id::text, r.kind, r.due_at, s.start_at FROM notifications.reminders r
			JOIN notifications.sessions s ON s.id = r.session_id
			WHERE NOT r.done AND r.due_at <= $1 ORDER BY r.due_at LIMIT 100 FOR UPDATE OF r SKIP LOCKED`, now)
		if err != nil {
			return err
		}
		type due struct {
			session, kind string
			at, start     time.Time
		}
		var all []due
		var d due
		if _, err := pgx.ForEachRow(rows, []any{&d.session, &d.kind, &d.at, &d.start}, func() error { all = append(all, d); return nil }); err != nil {
			return err
		}
		// The two-hour reminder makes the two-day one that fell due with it (a session
		// moved, a service down) pointless.
		soon := map[string]bool{}
		for _, d := range all {
			if d.kind == string(message.Reminder2h) {
				soon[d.session] = true
			}
		}
		for _, d := range all {
			// A reminder is no use once the session has started.
			if d.start.After(now) && !(d.kind == string(message.Reminder48h) && soon[d.session]) {
				w := writer{n: c.notifier, tx: tx, key: fmt.Sprintf("reminder/%s/%s/%s", d.session, d.kind, d.at.UTC().Format(time.RFC3339)), at: now, fresh: true}
				if err := w.tellSession(ctx, d.session, true, message.Kind(d.kind), message.Facts{}); err != nil {
					return fmt.Errorf("reminder %s of %s: %w", d.kind, d.session, err)
				}
			}
			if _, err := tx.Exec(ctx, `UPDATE notifications.reminders SET done = true WHERE session_id = $1 AND kind = $2`, d.session, d.kind); err != nil {
				return err
			}
		}
		if len(all) > 0 {
			c.logger.Info("reminders written", "reminders", len(all))
		}
		return nil
	})
	if err != nil {
		return time.Time{}, fmt.Errorf("reminders: %w", err)
	}
	var next time.Time
	err = c.pool.QueryRow(ctx, `SELECT due_at FROM notifications.reminders WHERE NOT done ORDER BY due_at LIMIT 1`).Scan(&next)
	if err != nil && !errors.Is(err, pgx.ErrNoRows) {
		return time.Time{}, fmt.Errorf("next reminder: %w", err)
	}
	return next, nil
}
