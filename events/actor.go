package events

import (
	"encoding/json"
	"fmt"
)

// Role is what an actor may do on the platform. It is a struct so that callers can only
// use the roles declared here.
type Role struct{ name string }

// The roles. Anonymous is the zero value, so a missing actor is never mistaken for a
// privileged one.
var (
	RoleAnonymous   = Role{}
	RoleAdmin       = Role{"admin"}
	RoleCoordinator = Role{"coordinator"}
	RoleAssociation = Role{"association"}
	// RoleExpert is an individual expert of the skills roster, acting for themselves
	// (Subject is their expert id).
	RoleExpert = Role{"expert"}
	// RoleInstitution is an institution of a country of origin that requests expertise;
	// its Subject is the institution's id.
	RoleInstitution = Role{"institution"}
	// RoleSystem is the platform itself (process managers, migrations, seeding).
	RoleSystem = Role{"system"}
)

// ParseRole turns a role name into a Role.
func ParseRole(s string) (Role, error) {
	switch s {
	case "", "anonymous":
		return RoleAnonymous, nil
	case RoleAdmin.name:
		return RoleAdmin, nil
	case RoleCoordinator.name:
		return RoleCoordinator, nil
	case RoleAssociation.name:
		return RoleAssociation, nil
	case RoleExpert.name:
		return RoleExpert, nil
	case RoleInstitution.name:
		return RoleInstitution, nil
	case RoleSystem.name:
		return RoleSystem, nil
	}
	return Role{}, fmt.Errorf("unknown role %q", s)
}

// String returns the role's name ("anonymous" for the zero value).
func (r Role) String() string {
	if r.name == "" {
		return "anonymous"
	}
	return r.name
}

// MarshalJSON encodes the role as its name.
func (r Role) MarshalJSON() ([]byte, error) { return json.Marshal(r.String()) }

// UnmarshalJSON decodes a role name, refusing unknown ones.
func (r *Role) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	role, err := ParseRole(s)
	if err != nil {
		return err
	}
	*r = role
	return nil
}

// Actor is who performs an action. It carries ids, never names or contact details, so it
// can be stored in every event's metadata and shown in histories.
type Actor struct {
	Role Role `json:"role"`
	// Subject is an opaque id of the token holder (a coordinator's or admin's account).
	Subject string `json:"sub,omitempty"`
	// City is the city a coordinator coordinates.
	City string `json:"city,omitempty"`
	// AssociationID is the association an association token speaks for.
	AssociationID string `json:"associationId,omitempty"`
	// KeyGeneration is which of the association's keys the token is: renewing the key
	// makes a new generation, and the tokens of the older ones stop working.
	KeyGeneration int `json:"gen,omitempty"`
}

// Anonymous is the actor of requests that carry no token.
var Anonymous = Actor{}

// System is the actor of changes the platform makes on its own.
var System = Actor{Role: RoleSystem, Subject: "passerelle"}

// IsAuthenticated reports whether the actor presented a valid token (or is the platform).
func (a Actor) IsAuthenticated() bool { return a.Role != RoleAnonymous }

// IsAdmin reports whether the actor may act anywhere.
func (a Actor) IsAdmin() bool { return a.Role == RoleAdmin || a.Role == RoleSystem }

// CoordinatesCity reports whether the actor is a coordinator of city.
func (a Actor) CoordinatesCity(city string) bool {
	return a.Role == RoleCoordinator && a.City != "" && a.City == city
}

// IsExpert reports whether the actor is the given expert, acting for themselves.
func (a Actor) IsExpert(expertID string) bool {
	return a.Role == RoleExpert && a.Subject != "" && a.Subject == expertID
}

// IsInstitution reports whether the actor holds the token of the given institution.
func (a Actor) IsInstitution(institutionID string) bool {
	return a.Role == RoleInstitution && a.Subject != "" && a.Subject == institutionID
}

// SpeaksFor reports whether the actor holds the token of the given association.
func (a Actor) SpeaksFor(associationID string) bool {
	return a.Role == RoleAssociation && a.AssociationID != "" && a.AssociationID == associationID
}
