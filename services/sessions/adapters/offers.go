package adapters

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"passerelle.dev/events/sessionevents"
	"passerelle.dev/kernel/due"
)

// keepOfferDeadline keeps sessions.offer_deadlines in step with an event about to be
// appended, in the append's transaction: an offer made is due at its expiry; an offer
// answered, expired or withdrawn with its registration is no longer due.
func keepOfferDeadline(ctx context.Context, tx pgx.Tx, ev any) error {
	var (
		sql  string
		args []any
	)
	switch e := ev.(type) {
	case sessionevents.WaitlistOfferMade:
		sql, args = `INSERT INTO sessions.offer_deadlines (registration_id, session_id, due_at) VALUES ($1, $2, $3)`,
			[]any{e.RegistrationID, e.SessionID, e.ExpiresAt}
	case sessionevents.WaitlistOfferAccepted:
		sql, args = `DELETE FROM sessions.offer_deadlines WHERE registration_id = $1`, []any{e.RegistrationID}
	case sessionevents.WaitlistOfferDeclined:
		sql, args = `DELETE FROM sessions.offer_deadlines WHERE registration_id = $1`, []any{e.RegistrationID}
	case sessionevents.WaitlistOfferExpired:
		sql, args = `DELETE FROM sessions.offer_deadlines WHERE registration_id = $1`, []any{e.RegistrationID}
	case sessionevents.RegistrationCancelled:
		sql, args = `DELETE FROM sessions.offer_deadlines WHERE registration_id = $1`, []any{e.RegistrationID}
	default:
		return nil
	}
	if _, err := tx.Exec(ctx, sql, args...); err != nil {
		return fmt.Errorf("offer deadline for %T: %w", ev, err)
	}
	return nil
}

// OfferExpirer is what the offer timer drives: the ExpireWaitlistOffers command, and
// the clock the sessions judge expiry by.
type OfferExpirer interface {
	ExpireWaitlistOffers(ctx context.Context, sessionID string) ([]string, error)
	Now() time.Time
}

// OfferTimer expires waitlist offers when they fall due. Its state is the
// sessions.offer_deadlines table, written with the offers themselves, so it survives
// restarts: started again, it expires at once whatever fell due while it was down.
// Several timers (one per process) may run: the command is idempotent and serialised per
// session, so an offer expires once.
type OfferTimer struct {
	pool     *pgxpool.Pool
	sessions OfferExpirer
	wake     <-chan struct{}
	interval time.Duration
	logger   *slog.Logger
}

// DefaultOfferTimerInterval is how often the timer looks again when nothing is due
// sooner and no event woke it: the bound on an expiry's lateness if the clock jumps or a
// notification is lost.
const DefaultOfferTimerInterval = time.Minute

// NewOfferTimer returns a timer; wake, when not nil, makes it look again (it is given
// the event store's notifications, so a new offer due soon is seen at once).
func NewOfferTimer(pool *pgxpool.Pool, sessions OfferExpirer, wake <-chan struct{}, interval time.Duration, logger *slog.Logger) *OfferTimer {
	if interval <= 0 {
		interval = DefaultOfferTimerInterval
	}
	if logger == nil {
		logger = slog.Default()
	}
	return &OfferTimer{pool: pool, sessions: sessions, wake: wake, interval: interval, logger: logger.With("component", "offer-timer")}
}

// Run expires offers as they fall due until ctx ends. A failure is logged and retried
// at the next look: an offer is late, never lost.
func (t *OfferTimer) Run(ctx context.Context) error {
	return due.Run(ctx, due.Loop{Interval: t.interval, Wake: t.wake, Now: t.sessions.Now, Logger: t.logger}, t.ExpireDue)
}

// ExpireDue expires every offer due by the sessions' clock, and returns when the next
// offer falls due (zero when none is outstanding).
func (t *OfferTimer) ExpireDue(ctx context.Context) (time.Time, error) {
	now := t.sessions.Now()
	rows, err := t.pool.Query(ctx, `SELECT DISTINCT session_id::text FROM sessions.offer_deadlines WHERE due_at <= $1`, now)
	if err != nil {
		return time.Time{}, fmt.Errorf("due offers: %w", err)
	}
	due, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return time.Time{}, fmt.Errorf("due offers: %w", err)
	}
	var errs []error
	for _, id := range due {
		expired, err := t.sessions.ExpireWaitlistOffers(ctx, id)
		if err != nil {
			errs = append(errs, fmt.Errorf("session %s: %w", id, err))
			continue
		}
		if len(expired) > 0 {
			t.logger.Info("waitlist offers expired", "session", id, "registrations", len(expired))
			continue
		}
		// The session expired nothing: what was due had been answered or withdrawn in
		// a way that left its deadline behind. Drop it, or it would be due forever.
		if _, err := t.pool.Exec(ctx, `DELETE FROM sessions.offer_deadlines WHERE session_id = $1 AND due_at <= $2`, id, now); err != nil {
			errs = append(errs, fmt.Errorf("session %s: drop stale deadlines: %w", id, err))
		}
	}
	var next time.Time
	err = t.pool.QueryRow(ctx, `SELECT due_at FROM sessions.offer_deadlines ORDER BY due_at LIMIT 1`).Scan(&next)
	if err != nil && !errors.Is(err, pgx.ErrNoRows) {
		errs = append(errs, fmt.Errorf("next offer: %w", err))
	}
	return next, errors.Join(errs...)
}
