// Package associationstatus keeps, in a service's own schema, what the directory's events say of
// each association's status, for services that act only for verified associations
// (sessions, proposals). Each service owns its table — `<schema>.associations (id uuid
// PRIMARY KEY, status text NOT NULL)`, created by its own migrations — and its consumer
// group, so it never reads another service's tables.
package associationstatus

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"passerelle.dev/events"
	"passerelle.dev/events/directoryevents"
	"passerelle.dev/events/eventstore"
	"passerelle.dev/events/projector"
)

// statusOf is the status each directory event leaves an association in.
var statusOf = map[string]string{
	directoryevents.AssociationRegisteredType: "PENDING", directoryevents.AssociationVerifiedType: "VERIFIED",
	directoryevents.AssociationRejectedType: "REJECTED", directoryevents.AssociationSuspendedType: "SUSPENDED",
	directoryevents.AssociationReinstatedType: "VERIFIED", directoryevents.AssociationDissolvedType: "DISSOLVED",
}

// Projection keeps <Schema>.associations from the directory's events.
type Projection struct {
	// Schema is the owning service's schema. Required.
	Schema string
}

var _ projector.Projection = Projection{}

// Name implements projector.Projection: "<schema>.associations", never to change.
func (p Projection) Name() string { return p.Schema + ".associations" }

// Handles implements projector.Projection.
func (Projection) Handles(eventType string) bool {
	_, ok := statusOf[eventType]
	return ok
}

// Apply implements projector.Projection.
func (p Projection) Apply(ctx context.Context, tx pgx.Tx, ev events.Recorded, _ any) error {
	id, ok := directoryevents.AssociationIDFromStream(ev.StreamID)
	if !ok {
		return projector.Permanent(fmt.Errorf("event %s is not in an association's stream", ev.ID))
	}
	_, err := tx.Exec(ctx, `INSERT INTO `+p.table()+` (id, status) VALUES ($1, $2)
		ON CONFLICT (id) DO UPDATE SET status = excluded.status`, id, statusOf[ev.Type])
	return err
}

// Reset implements projector.Projection.
func (p Projection) Reset(ctx context.Context, tx pgx.Tx) error {
	_, err := tx.Exec(ctx, `TRUNCATE `+p.table())
	return err
}

func (p Projection) table() string { return pgx.Identifier{p.Schema, "associations"}.Sanitize() }

// Lookup answers whether an association is verified, from the projection. It is safe
// for concurrent use.
type Lookup struct {
	projection  Projection
	store       *eventstore.Store
	consistency *projector.Consistency
}

// NewLookup returns the lookup over the projection of schema.
func NewLookup(schema string, store *eventstore.Store, checkpoints *projector.Checkpoints) *Lookup {
	return &Lookup{projection: Projection{Schema: schema}, store: store,
		consistency: &projector.Consistency{Checkpoints: checkpoints, Store: store}}
}

// IsVerified reports whether the association is verified. A verification committed a
// moment ago may not be projected yet: before saying no, it waits (bounded, as every
// wait for a read model is: see projector.Consistency) for the projection to catch up
// with the log.
func (l *Lookup) IsVerified(ctx context.Context, id string) (bool, error) {
	verified, err := l.verified(ctx, id)
	if err != nil || verified {
		return verified, err
	}
	l.consistency.CaughtUp(ctx, l.projection.Name())
	return l.verified(ctx, id)
}

func (l *Lookup) verified(ctx context.Context, id string) (bool, error) {
	var status string
	err := l.store.Pool().QueryRow(ctx, `SELECT status FROM `+l.projection.table()+` WHERE id = $1`, id).Scan(&status)
	if errors.Is(err, pgx.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("association status: %w", err)
	}
	return status == "VERIFIED", nil
}
