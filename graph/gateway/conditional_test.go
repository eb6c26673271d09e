package gateway_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"testing"
	"time"

	"passerelle.dev/events"
	"passerelle.dev/graph/gateway"
	"passerelle.dev/graph/server"
	"passerelle.dev/kernel/pgtest"
)

// answer is one GraphQL answer with its caching headers.
type answer struct {
	status            int
	body              []byte
	tag, cacheControl string
	correlationID     string
}

// ask posts a query with an If-None-Match header (when tag is not empty).
func (p *platform) ask(t *testing.T, token, query string, vars map[string]any, tag string) answer {
	t.Helper()
	body, err := json.Marshal(map[string]any{"query": query, "variables": vars})
	if err != nil {
		t.Fatal(err)
	}
	req := p.postRequest(t, token, body)
	if tag != "" {
		req.Header.Set("If-None-Match", tag)
	}
	r := do(t, req)
	return answer{status: r.status, body: r.raw, tag: r.header.Get("ETag"), cacheControl: r.header.Get("Cache-Control"),
		correlationID: r.header.Get(server.CorrelationHeader)}
}

// tagged asks until the answer carries a tag: the gateway tags answers once it knows
// its projections' marks, a moment after it starts.
func (p *platform) tagged(t *testing.T, token, query string, vars map[string]any) answer {
	t.Helper()
	var a answer
	pgtest.Eventually(t, 10*time.Second, "a tagged answer", func() (bool, error) {
		a = p.ask(t, token, query, vars, "")
		return a.tag != "", nil
	})
	return a
}

const directoryPage = `query($city: String) { associations(first: 10, filter: {city: $city}) { totalCount edges { node { name status } } } }`

// TestAnAnswerThatDidNotChangeIsNotSentAgain: an answer carries a tag of what it read;
// sent back, the tag gets 304 Not Modified until a projection the answer read from
// commits — an event for another read model does not count — and never for another
// reader or another question. Mutations, history, time travel and contacts are never
// tagged.
func TestAnAnswerThatDidNotChangeIsNotSentAgain(t *testing.T) {
	t.Parallel()
	p := start(t, db.Fresh(t), false)
	a := p.actors(t)
	reg := p.registerWith(t, map[string]any{"name": "Association des Maliens de Genève", "city": "geneva", "originCountries": []string{"ML"},
		"contact": map[string]any{"name": "Awa Diop", "email": "awa@example.org"}})
	vars := map[string]any{"city": "geneva"}

	first := p.tagged(t, "", directoryPage, vars)
	if first.status != http.StatusOK || first.cacheControl != "public, no-cache" {
		t.Fatalf("first answer: %d %q %s", first.status, first.cacheControl, first.body)
	}
	again := p.ask(t, "", directoryPage, vars, first.tag)
	if again.status != http.StatusNotModified || len(again.body) != 0 || again.tag != first.tag {
		t.Fatalf("the same question again: %d %q %s", again.status, again.tag, again.body)
	}

	// Another reader, another question: a full answer.
	if got := p.ask(t, a.admin, directoryPage, vars, first.tag); got.status != http.StatusOK || got.cacheControl != "private, no-cache" {
		t.Fatalf("an admin with the public tag: %d %q", got.status, got.cacheControl)
	}
	if got := p.ask(t, "", directoryPage, map[string]any{"city": "london"}, first.tag); got.status != http.StatusOK {
		t.Fatalf("another city with the tag of Geneva's: %d", got.status)
	}

	// A call opened: the calls' read model moves, the directory's does not.
	p.clock.set(proposalsEpoch)
	p.openCall(t, a.admin, proposalsEpoch.Add(30*24*time.Hour))
	if got := p.ask(t, "", directoryPage, vars, first.tag); got.status != http.StatusNotModified {
		t.Fatalf("after an event the answer does not depend on: %d %s", got.status, got.body)
	}

	// The association verified: the answer changes, and says so at once (the mutation
	// made the gateway learn of its write before it answered).
	p.mustDo(t, a.geneva, `mutation($id: ID!) { verifyAssociation(id: $id) { position } }`, map[string]any{"id": reg.Association.ID})
	changed := p.ask(t, "", directoryPage, vars, first.tag)
	if changed.status != http.StatusOK || changed.tag == first.tag || !bytes.Contains(changed.body, []byte(`"VERIFIED"`)) {
		t.Fatalf("after the association was verified: %d %q %s", changed.status, changed.tag, changed.body)
	}

	// Never tagged: a mutation, a history, a past state, a contact.
	untagged := map[string]struct {
		token, query string
		vars         map[string]any
	}{
		"mutation": {a.geneva, `mutation($id: ID!) { suspendAssociation(id: $id, reason: "audit") { position } }`, map[string]any{"id": reg.Association.ID}},
		"history":  {a.admin, `query($id: ID!) { history(id: $id, first: 5) { edges { node { type } } } }`, map[string]any{"id": reg.Association.ID}},
		"past":     {a.admin, `query($id: ID!, $at: DateTime) { association(id: $id, asOf: $at) { status } }`, map[string]any{"id": reg.Association.ID, "at": time.Now().Format(time.RFC3339)}},
		"contact":  {a.admin, `query($id: ID!) { association(id: $id) { contact { name erased } } }`, map[string]any{"id": reg.Association.ID}},
	}
	for name, q := range untagged {
		got := p.ask(t, q.token, q.query, q.vars, "")
		if got.status != http.StatusOK || got.tag != "" || got.cacheControl != "no-store" || bytes.Contains(got.body, []byte(`"errors"`)) {
			t.Errorf("%s: %d, tag %q, %q: %s", name, got.status, got.tag, got.cacheControl, got.body)
		}
	}
}

// TestKeptAnswersAreServedUntilWhatTheyReadChanges: with a response cache, an anonymous
// question asked again is answered without reading the database, until a projection
// the answer read from commits.
func TestKeptAnswersAreServedUntilWhatTheyReadChanges(t *testing.T) {
	t.Parallel()
	p := startWith(t, db.Fresh(t), false, func(c *gateway.Config) { c.Server.ResponseCacheEntries = 100 })
	a := p.actors(t)
	reg := p.register(t, "Ethiopian Community in Brussels", "brussels", "ET")
	vars := map[string]any{"city": "brussels"}
	first := p.tagged(t, "", directoryPage, vars)
	if p.statements.of(first.correlationID) == 0 {
		t.Fatal("the first answer read nothing")
	}
	kept := p.ask(t, "", directoryPage, vars, "")
	if kept.status != http.StatusOK || !bytes.Equal(kept.body, first.body) || kept.tag != first.tag {
		t.Fatalf("asked again: %d %q %s", kept.status, kept.tag, kept.body)
	}
	if n := p.statements.of(kept.correlationID); n != 0 {
		t.Fatalf("the kept answer sent %d statements", n)
	}
	// A reader with a token is always answered afresh.
	if got := p.ask(t, a.admin, directoryPage, vars, ""); p.statements.of(got.correlationID) == 0 {
		t.Fatal("an admin was served a kept answer")
	}
	p.mustDo(t, a.brussels, `mutation($id: ID!) { verifyAssociation(id: $id) { position } }`, map[string]any{"id": reg.Association.ID})
	fresh := p.ask(t, "", directoryPage, vars, "")
	if p.statements.of(fresh.correlationID) == 0 || !bytes.Contains(fresh.body, []byte(`"VERIFIED"`)) {
		t.Fatalf("after the change, the kept answer was served: %s", fresh.body)
	}
}

// TestAMutationWaitsForTheReadModelsItsEventsFeed: a registration concerns the
// associations' read model only, a session scheduled the sessions' (the projector's own
// test shows a write waits for those and no other).
func TestAMutationWaitsForTheReadModelsItsEventsFeed(t *testing.T) {
	t.Parallel()
	p := start(t, db.Fresh(t), false)
	a := p.actors(t)
	ctx := context.Background()
	reg := p.register(t, "Somali Diaspora Health Network", "london", "SO")
	if got, err := p.gateway.Concerned(ctx, p.positionOf(t, reg.Position)); err != nil || !slices.Equal(got, []string{"graph.associations.v2"}) {
		t.Fatalf("a registration concerns %v (%v)", got, err)
	}
	r := p.gql(t, reg.Token, `query($id: ID!) { association(id: $id) { name } }`, map[string]any{"id": reg.Association.ID})
	if !bytes.Contains(r.raw, []byte("Somali Diaspora Health Network")) {
		t.Fatalf("the association does not show right after the mutation: %s", r.raw)
	}
	s := decode[struct{ Position string }](t, p.gql(t, a.london, `mutation($in: ScheduleSessionInput!) { scheduleSession(input: $in) { position } }`,
		map[string]any{"in": sessionInput("london", "Africa Centre", "2027-04-08T18:00", 10)}), "scheduleSession")
	if got, err := p.gateway.Concerned(ctx, p.positionOf(t, s.Position)); err != nil || !slices.Equal(got, []string{"graph.sessions"}) {
		t.Fatalf("a session scheduled concerns %v (%v)", got, err)
	}
}

// positionOf reads an event's position back from the global position a mutation
// returned.
func (p *platform) positionOf(t *testing.T, global string) events.Position {
	t.Helper()
	var (
		pos  events.Position
		txid string
	)
	if err := p.pool.QueryRow(context.Background(), `SELECT global_position, transaction_id::text FROM eventstore.events
		WHERE global_position = $1::bigint`, global).Scan(&pos.GlobalPosition, &txid); err != nil {
		t.Fatal(err)
	}
	var err error
	if pos.TransactionID, err = strconv.ParseUint(txid, 10, 64); err != nil {
		t.Fatal(err)
	}
	return pos
}
