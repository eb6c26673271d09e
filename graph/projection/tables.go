package projection

import (
	"passerelle.dev/events/projector"
)

// Owner is a projection that owns tables of the serving schema: what it writes is
// nowhere else, so its tables can be copied, filled from the log and swapped in
// (rebuilds), or filled with one object's events in a transaction (time travel).
type Owner interface {
	projector.Projection
	// Tables names the projection's tables in the serving schema, the referenced ones
	// before those that reference them.
	Tables() []string
	// Version is the version of the code that writes the tables. Bump it when the
	// projection writes differently (a new column, a fix): the gateway rebuilds the
	// projection on its next start.
	Version() int
}

// Tables implements Owner.
func (Associations) Tables() []string { return []string{"associations", "association_counts"} }

// Tables implements Owner.
func (Cities) Tables() []string { return []string{"cities", "city_coordinators"} }

// Tables implements Owner.
func (Sessions) Tables() []string { return []string{"sessions", "session_registrations"} }

// Tables implements Owner.
func (Calls) Tables() []string { return []string{"calls"} }

// Tables implements Owner.
func (Proposals) Tables() []string {
	return []string{"proposals", "proposal_reviews", "proposal_pledges", "proposal_pledge_totals"}
}

// Version implements Owner. 2: graph.association_counts.
func (Associations) Version() int { return 2 }

// Version implements Owner.
func (Cities) Version() int { return 1 }

// Version implements Owner.
func (Sessions) Version() int { return 1 }

// Version implements Owner.
func (Calls) Version() int { return 1 }

// Version implements Owner.
func (Proposals) Version() int { return 1 }
