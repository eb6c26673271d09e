// Package due runs work whose due times are kept in the database (offers to expire,
// reminders to write, messages to send, experts to remind): look, do what is due, sleep
// until the next due time, a bounded interval, or a wake-up, and again. The state stays in
// the database, so a restart loses nothing; the loop only decides when to look.
package due

import (
	"context"
	"log/slog"
	"time"
)

// Loop says how often to look.
type Loop struct {
	// Interval bounds the sleep when nothing is due sooner (a clock that moved, a lost
	// wake-up). Required.
	Interval time.Duration
	// Wake, when not nil, makes the loop look again at once (new work was written).
	Wake <-chan struct{}
	// Now is the clock the due times are read against. Defaults to time.Now.
	Now func() time.Time
	// Logger reports the failures, which are retried at the next look.
	Logger *slog.Logger
}

// failureWait is how soon a failed look is tried again: soon, but not in a tight loop.
const failureWait = time.Second

// Run calls step until ctx ends. step does what is due and returns when the next work
// falls due (zero when it does not know). A failure is logged and retried: work is late,
// never lost.
func Run(ctx context.Context, l Loop, step func(context.Context) (time.Time, error)) error {
	if l.Now == nil {
		l.Now = time.Now
	}
	if l.Logger == nil {
		l.Logger = slog.Default()
	}
	timer := time.NewTimer(0)
	defer timer.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-timer.C:
		case <-l.Wake:
		}
		next, err := step(ctx)
		wait := l.Interval
		switch {
		case err != nil:
			if ctx.Err() == nil {
				l.Logger.Warn("due work failed; trying again", "err", err)
			}
			wait = min(wait, failureWait)
		case !next.IsZero():
			wait = min(wait, max(next.Sub(l.Now()), 0))
		}
		if !timer.Stop() {
			select {
			case <-timer.C:
			default:
			}
		}
		timer.Reset(wait)
	}
}
