package adapters

import (
	"context"

	"github.com/jackc/pgx/v5"

	"passerelle.dev/events"
	"passerelle.dev/events/projector"
	"passerelle.dev/events/sessionevents"
)

// WaitlistPolicyName is the consumer group of the waitlist policy.
const WaitlistPolicyName = "sessions.waitlist-policy"

// WaitlistPolicy is the process manager that gives freed seats to the waitlist: it
// reacts to a cancelled confirmed registration, or to a capacity change, by running the
// PromoteWaitlist command. The command is idempotent, so an event delivered again (after
// a crash before its acknowledgement) promotes nobody twice.
type WaitlistPolicy struct {
	Sessions interface {
		PromoteWaitlist(ctx context.Context, sessionID string, causation events.Recorded) ([]string, error)
	}
}

var _ projector.Projection = WaitlistPolicy{}

// Name implements projector.Projection.
func (WaitlistPolicy) Name() string { return WaitlistPolicyName }

// Handles implements projector.Projection.
func (WaitlistPolicy) Handles(eventType string) bool {
	return eventType == sessionevents.RegistrationCancelledType || eventType == sessionevents.SessionCapacityChangedType
}

// Apply implements projector.Projection. It runs the command in a transaction of its
// own: the consumer's transaction only records that the event was handled.
func (p WaitlistPolicy) Apply(ctx context.Context, _ pgx.Tx, ev events.Recorded, payload any) error {
	var sessionID string
	switch e := payload.(type) {
	case sessionevents.RegistrationCancelled:
		if !e.WasConfirmed {
			return nil // nothing was freed
		}
		sessionID = e.SessionID
	case sessionevents.SessionCapacityChanged:
		sessionID = e.SessionID
	default:
		return nil
	}
	_, err := p.Sessions.PromoteWaitlist(ctx, sessionID, ev)
	return err
}

// Reset implements projector.Projection: the policy keeps no state.
func (WaitlistPolicy) Reset(context.Context, pgx.Tx) error { return nil }
