package adapters

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"passerelle.dev/events"
	"passerelle.dev/events/directoryevents"
	"passerelle.dev/events/eventstore"
	"passerelle.dev/events/projector"
	"passerelle.dev/events/sessionevents"
	"passerelle.dev/sessions/app"
)

// AssociationsProjectionName is the consumer group keeping sessions.associations.
const AssociationsProjectionName = "sessions.associations"

// AssociationStatuses knows, from the directory's events, which associations are
// verified. It is safe for concurrent use.
type AssociationStatuses struct {
	store       *eventstore.Store
	checkpoints *projector.Checkpoints
	// catchUp bounds the wait for the directory's latest events before an association
	// is declared not verified.
	catchUp time.Duration
}

var _ app.Associations = (*AssociationStatuses)(nil)

// NewAssociationStatuses returns the lookup over sessions.associations.
func NewAssociationStatuses(store *eventstore.Store, checkpoints *projector.Checkpoints) *AssociationStatuses {
	return &AssociationStatuses{store: store, checkpoints: checkpoints, catchUp: 3 * time.Second}
}

// IsVerified implements app.Associations. A verification committed a moment ago may not
// be projected yet: before saying no, it waits (bounded) for the projection to reach the
// last event committed.
func (a *AssociationStatuses) IsVerified(ctx context.Context, id string) (bool, error) {
	verified, err := a.verified(ctx, id)
	if err != nil || verified {
		return verified, err
	}
	head, err := a.store.LastCommitted(ctx)
	if err != nil {
		return false, err
	}
	waitCtx, cancel := context.WithTimeout(ctx, a.catchUp)
	defer cancel()
	if err := a.checkpoints.WaitFor(waitCtx, head, AssociationsProjectionName); err != nil && !errors.Is(err, context.DeadlineExceeded) {
		return false, err
	}
	return a.verified(ctx, id)
}

func (a *AssociationStatuses) verified(ctx context.Context, id string) (bool, error) {
	var status string
	err := a.store.Pool().QueryRow(ctx, `SELECT status FROM sessions.associations WHERE id = $1`, id).Scan(&status)
	if errors.Is(err, pgx.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("association status: %w", err)
	}
	return status == "VERIFIED", nil
}

// AssociationsProjection keeps sessions.associations from the directory's events.
type AssociationsProjection struct{}

var _ projector.Projection = AssociationsProjection{}

// Name implements projector.Projection.
func (AssociationsProjection) Name() string { return AssociationsProjectionName }

// Handles implements projector.Projection.
func (AssociationsProjection) Handles(eventType string) bool {
	switch eventType {
	case directoryevents.AssociationRegisteredType, directoryevents.AssociationVerifiedType,
		directoryevents.AssociationRejectedType, directoryevents.AssociationSuspendedType,
		directoryevents.AssociationReinstatedType, directoryevents.AssociationDissolvedType:
		return true
	}
	return false
}

// Apply implements projector.Projection.
func (AssociationsProjection) Apply(ctx context.Context, tx pgx.Tx, ev events.Recorded, payload any) error {
	id, ok := directoryevents.AssociationIDFromStream(ev.StreamID)
	if !ok {
		return projector.Permanent(fmt.Errorf("event %s is not in an association's stream", ev.ID))
	}
	status := map[string]string{
		directoryevents.AssociationRegisteredType: "PENDING", directoryevents.AssociationVerifiedType: "VERIFIED",
		directoryevents.AssociationRejectedType: "REJECTED", directoryevents.AssociationSuspendedType: "SUSPENDED",
		directoryevents.AssociationReinstatedType: "VERIFIED", directoryevents.AssociationDissolvedType: "DISSOLVED",
	}[ev.Type]
	_, err := tx.Exec(ctx, `INSERT INTO sessions.associations (id, status) VALUES ($1, $2)
		ON CONFLICT (id) DO UPDATE SET status = excluded.status`, id, status)
	return err
}

// Reset implements projector.Projection.
func (AssociationsProjection) Reset(ctx context.Context, tx pgx.Tx) error {
	_, err := tx.Exec(ctx, `TRUNCATE sessions.associations`)
	return err
}

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
