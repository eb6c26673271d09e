package projector

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"passerelle.dev/events"
	"passerelle.dev/events/eventstore"
)

// DefaultConsistencyTimeout bounds how long a request waits for read models that have
// not yet applied what it needs (PASSERELLE_CONSISTENCY_TIMEOUT).
const DefaultConsistencyTimeout = 5 * time.Second

// Consistency is the one policy of Passerelle's services and gateway for a read model
// that is not there yet: wait, bounded by Timeout, for the projections concerned — and
// only those — then answer from what they hold. A late read model makes a request slow,
// never wrong and never failed: the write is stored, and it shows a moment later.
//
//   - After a write (AfterWrite), the projections concerned are those that handle the
//     events the write appended, read from the log by its transaction: a mutation that
//     registers an association waits for the associations' read model, not the five.
//   - Before answering "no such thing" (CaughtUp), a projection catches up with the
//     whole log as it is now: a session scheduled a moment ago may not be projected yet.
//
// It is safe for concurrent use.
type Consistency struct {
	Checkpoints *Checkpoints
	Store       *eventstore.Store
	// Projections are those AfterWrite chooses among.
	Projections []Projection
	// Timeout defaults to DefaultConsistencyTimeout.
	Timeout time.Duration
	Logger  *slog.Logger
	// Settled, if set, runs once the projections waited for have the write (or the wait
	// ended): the gateway refreshes its watermarks, so that the client's next read
	// is not answered from before its write.
	Settled func(ctx context.Context)
}

func (c *Consistency) timeout() time.Duration {
	if c.Timeout <= 0 {
		return DefaultConsistencyTimeout
	}
	return c.Timeout
}

func (c *Consistency) logger() *slog.Logger {
	if c.Logger == nil {
		return slog.Default()
	}
	return c.Logger
}

// Concerned returns the names of the projections that handle the events appended with
// the event at pos.
func (c *Consistency) Concerned(ctx context.Context, pos events.Position) ([]string, error) {
	types, err := c.Store.TypesCommittedWith(ctx, pos)
	if err != nil {
		return nil, err
	}
	var names []string
	for _, p := range c.Projections {
		for _, t := range types {
			if p.Handles(t) {
				names = append(names, p.Name())
				break
			}
		}
	}
	return names, nil
}

// AfterWrite waits until the projections that handle what was appended with the event
// at pos have applied it. It returns the names it waited for.
func (c *Consistency) AfterWrite(ctx context.Context, pos events.Position) []string {
	if pos.IsZero() {
		return nil
	}
	waitCtx, cancel := context.WithTimeout(ctx, c.timeout())
	defer cancel()
	names, err := c.Concerned(waitCtx, pos)
	if err != nil {
		// Not knowing whom the write concerns, wait for everyone.
		names = make([]string, len(c.Projections))
		for i, p := range c.Projections {
			names[i] = p.Name()
		}
	}
	if len(names) > 0 {
		c.wait(ctx, waitCtx, pos, names)
	}
	if c.Settled != nil {
		c.Settled(ctx)
	}
	return names
}

// CaughtUp waits until projection has applied every event committed so far.
func (c *Consistency) CaughtUp(ctx context.Context, projection string) {
	waitCtx, cancel := context.WithTimeout(ctx, c.timeout())
	defer cancel()
	head, err := c.Store.LastCommitted(waitCtx)
	if err != nil {
		c.late(ctx, events.Position{}, []string{projection}, err)
		return
	}
	if !head.IsZero() {
		c.wait(ctx, waitCtx, head, []string{projection})
	}
}

func (c *Consistency) wait(ctx, waitCtx context.Context, pos events.Position, names []string) {
	if err := c.Checkpoints.WaitFor(waitCtx, pos, names...); err != nil {
		c.late(ctx, pos, names, err)
	}
}

func (c *Consistency) late(ctx context.Context, pos events.Position, names []string, err error) {
	if ctx.Err() != nil {
		return // the client went away
	}
	c.logger().WarnContext(ctx, "read models are late; answering from what they hold",
		"projections", names, "position", pos.String(), "err", fmt.Sprint(err))
}
