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
// reacts to a cancelled registration (confirmed, offered seats, or at the head of the
// waitlist and blocking those behind it), to an offer declined or expired, or to a
// capacity change, by running the PromoteWaitlist command, which promotes or makes
// offers. The command is idempotent, so an event delivered again (after a crash before
// its acknowledgement) gives nothing twice.
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
	switch eventType {
	case sessionevents.RegistrationCancelledType, sessionevents.SessionCapacityChangedType,
		sessionevents.WaitlistOfferDeclinedType, sessionevents.WaitlistOfferExpiredType:
		return true
	}
	return false
}

// Apply implements projector.Projection. It runs the command in a transaction of its
// own: the consumer's transaction only records that the event was handled.
func (p WaitlistPolicy) Apply(ctx context.Context, _ pgx.Tx, ev events.Recorded, payload any) error {
	var sessionID string
	switch e := payload.(type) {
	case sessionevents.RegistrationCancelled:
		sessionID = e.SessionID
	case sessionevents.SessionCapacityChanged:
		sessionID = e.SessionID
	case sessionevents.WaitlistOfferDeclined:
		sessionID = e.SessionID
	case sessionevents.WaitlistOfferExpired:
		sessionID = e.SessionID
	default:
		return nil
	}
	_, err := p.Sessions.PromoteWaitlist(ctx, sessionID, ev)
	return err
}

// Reset implements projector.Projection: the policy keeps no state.
func (WaitlistPolicy) Reset(context.Context, pgx.Tx) error { return nil }
