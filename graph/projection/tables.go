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
	// fold is how the projection's events make its rows: the one definition that every
	// way of making them (live, rebuild, time travel) applies.
	fold() fold
}

func (Associations) fold() fold { return associationsFold{} }
func (Cities) fold() fold       { return citiesFold{} }
func (Sessions) fold() fold     { return sessionsFold{} }
func (Calls) fold() fold        { return callsFold{} }
func (Proposals) fold() fold    { return proposalsFold{} }

// Tables implements Owner.
func (p Associations) Tables() []string { return tableNames(p.fold()) }

// Tables implements Owner.
func (p Cities) Tables() []string { return tableNames(p.fold()) }

// Tables implements Owner.
func (p Sessions) Tables() []string { return tableNames(p.fold()) }

// Tables implements Owner.
func (p Calls) Tables() []string { return tableNames(p.fold()) }

// Tables implements Owner.
func (p Proposals) Tables() []string { return tableNames(p.fold()) }

// tableNames are the tables a fold writes: its entities' tables, the referenced ones
// first, then its sums.
func tableNames(f fold) []string {
	var out []string
	for _, t := range f.tables() {
		out = append(out, t.name)
	}
	for _, st := range f.sums() {
		out = append(out, st.table.name)
	}
	return out
}

// The projections' versions. 3 (2 for the others): rows are numbered by the position
// of the event that created them, and folded (see fold.go); 2: graph.association_counts.

// Version implements Owner.
func (Associations) Version() int { return 3 }

// Version implements Owner.
func (Cities) Version() int { return 2 }

// Version implements Owner.
func (Sessions) Version() int { return 2 }

// Version implements Owner. 3: amounts in ISO 4217 minor units (events of schema
// version 1 are upcast; rows written before hold display digits); 4: envelopes and
// what approvals committed of them.
func (Calls) Version() int { return 4 }

// Version implements Owner. 3: amounts in ISO 4217 minor units, as for calls; 4:
// conflicts of interest (and the reviews they remove).
func (Proposals) Version() int { return 4 }
