package gateway_test

import (
	"strings"
	"testing"
)

// TestARegistrationNamesItsAssociationWhereverItIsReached: a registration's association
// is loaded by whoever hands the registration out — the session's list, the mutation's
// payload, node(id) — and shown to those who may see it.
func TestARegistrationNamesItsAssociationWhereverItIsReached(t *testing.T) {
	t.Parallel()
	p := start(t, db.Fresh(t), false)
	p.clock.set(sessionsEpoch)
	a := p.actors(t)
	s := p.schedule(t, a.brussels, sessionInput("brussels", "Flagey", "2027-05-06T18:00", 10))
	assoc, token := p.verifiedAssociation(t, a.admin, "Rwandan Diaspora Brussels", "brussels")

	r := p.mustDo(t, token, `mutation($s: ID!, $a: ID!) { registerForSession(sessionId: $s, associationId: $a, seats: 2) {
	  registration { id association { id name } } } }`, map[string]any{"s": s.ID, "a": assoc})
	if !strings.Contains(string(r.raw), `"association":{"id":"`+assoc+`","name":"Rwandan Diaspora Brussels"}`) {
		t.Fatalf("the payload's registration: %s", r.raw)
	}
	regID := decode[struct{ Registration struct{ ID string } }](t, r, "registerForSession").Registration.ID

	node := `query($id: ID!) { node(id: $id) { ... on SessionRegistration { seats association { name } } } }`
	if r := p.mustDo(t, a.brussels, node, map[string]any{"id": regID}); !strings.Contains(string(r.raw), `"association":{"name":"Rwandan Diaspora Brussels"}`) {
		t.Fatalf("node(id) to the city's coordinator: %s", r.raw)
	}
	list := `query($id: ID!) { dialogueSession(id: $id) { registrations { seats association { name } } } }`
	if r := p.mustDo(t, a.brussels, list, map[string]any{"id": s.ID}); !strings.Contains(string(r.raw), `"association":{"name":"Rwandan Diaspora Brussels"}`) {
		t.Fatalf("the session's registrations: %s", r.raw)
	}
	// Without association in the selection, no association is loaded, and nothing breaks.
	if r := p.mustDo(t, a.brussels, `query($id: ID!) { dialogueSession(id: $id) { registrations { seats } } }`, map[string]any{"id": s.ID}); !strings.Contains(string(r.raw), `"seats":2`) {
		t.Fatalf("registrations without their association: %s", r.raw)
	}
	// The public sees no registration at all.
	if r := p.gql(t, "", list, map[string]any{"id": s.ID}); strings.Contains(string(r.raw), "Rwandan") {
		t.Fatalf("the public sees who registered: %s", r.raw)
	}
}
