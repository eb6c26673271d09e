// Package directoryevents is the published contract of the directory service: the events
// it appends about associations, as stored and as every consumer reads them. Changing a
// field's meaning needs a new schema version and an upcaster, never an edit in place.
package directoryevents

import (
	"strings"
	"time"

	"passerelle.dev/events"
)

// Event type names. They are stored with every event and must never change.
const (
	AssociationRegisteredType = "directory.AssociationRegistered"
	AssociationVerifiedType   = "directory.AssociationVerified"
)

// StreamPrefix starts the stream id of every association.
const StreamPrefix = "association-"

// StreamID is the stream of the association with the given id.
func StreamID(associationID string) string { return StreamPrefix + associationID }

// AssociationIDFromStream returns the association id of a stream, ok false for streams
// that are not associations'.
func AssociationIDFromStream(stream string) (string, bool) {
	return strings.CutPrefix(stream, StreamPrefix)
}

// AssociationRegistered: an association registered online and awaits verification.
type AssociationRegistered struct {
	AssociationID string `json:"associationId"`
	Name          string `json:"name"`
	// City is the platform city slug (london, geneva, …).
	City string `json:"city"`
	// OriginCountries are ISO 3166-1 alpha-2 codes, upper case.
	OriginCountries []string  `json:"originCountries"`
	RegisteredAt    time.Time `json:"registeredAt"`
}

// AssociationVerified: a coordinator of the association's city, or an admin, checked
// that the association is who it says it is.
type AssociationVerified struct {
	AssociationID string    `json:"associationId"`
	VerifiedAt    time.Time `json:"verifiedAt"`
}

// Register adds the directory's events to a registry.
func Register(r *events.Registry) error {
	if err := events.Register[AssociationRegistered](r, AssociationRegisteredType, 1); err != nil {
		return err
	}
	return events.Register[AssociationVerified](r, AssociationVerifiedType, 1)
}
