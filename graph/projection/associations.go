// Package projection keeps the gateway's read models from the event log. Each
// projection is a projector.Projection: it writes its tables in the transaction that
// advances its position, so the tables always reflect a prefix of the log.
package projection

import (
	"context"
	"embed"
	"fmt"

	"github.com/jackc/pgx/v5"

	"passerelle.dev/events"
	"passerelle.dev/events/directoryevents"
	"passerelle.dev/events/pgmigrate"
	"passerelle.dev/events/projector"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// Migrations returns the read models' schema migrations.
func Migrations() pgmigrate.Set { return pgmigrate.Embedded("graph", migrationFiles, "migrations") }

// AssociationsName is the associations projection's consumer group. Never rename it.
const AssociationsName = "graph.associations"

// Associations keeps graph.associations.
type Associations struct{}

var _ projector.Projection = Associations{}

// Name implements projector.Projection.
func (Associations) Name() string { return AssociationsName }

// Handles implements projector.Projection.
func (Associations) Handles(eventType string) bool {
	switch eventType {
	case directoryevents.AssociationRegisteredType, directoryevents.AssociationVerifiedType:
		return true
	}
	return false
}

// Apply implements projector.Projection.
func (Associations) Apply(ctx context.Context, tx pgx.Tx, ev events.Recorded, payload any) error {
	switch e := payload.(type) {
	case directoryevents.AssociationRegistered:
		_, err := tx.Exec(ctx, `INSERT INTO graph.associations
			(id, name, city, origin_countries, status, registered_at, stream_version)
			VALUES ($1, $2, $3, $4, 'PENDING', $5, $6)`,
			e.AssociationID, e.Name, e.City, e.OriginCountries, e.RegisteredAt, ev.StreamVersion)
		return err
	case directoryevents.AssociationVerified:
		return updateOne(ctx, tx, e.AssociationID, `UPDATE graph.associations
			SET status = 'VERIFIED', verified_at = $2, stream_version = $3 WHERE id = $1`,
			e.AssociationID, e.VerifiedAt, ev.StreamVersion)
	}
	return nil
}

// updateOne runs an update that must find its row: the log delivers a stream's events in
// order, so a missing row means the read model is broken, not late.
func updateOne(ctx context.Context, tx pgx.Tx, id, sql string, args ...any) error {
	tag, err := tx.Exec(ctx, sql, args...)
	if err != nil {
		return err
	}
	if tag.RowsAffected() != 1 {
		return projector.Permanent(fmt.Errorf("association %s is not in the read model", id))
	}
	return nil
}

// Reset implements projector.Projection.
func (Associations) Reset(ctx context.Context, tx pgx.Tx) error {
	_, err := tx.Exec(ctx, `TRUNCATE graph.associations RESTART IDENTITY`)
	return err
}
