package gateway_test

import (
	"context"
	"encoding/base64"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"passerelle.dev/events"
)

const registerExpertMutation = `mutation($in: RegisterExpertInput!, $key: String) { registerExpert(input: $in, idempotencyKey: $key) {
  token keyWithheld { reason } expert { id status name email consents } } }`

type expertView struct {
	ID       string    `json:"id"`
	Status   string    `json:"status"`
	Name     string    `json:"name"`
	Email    *string   `json:"email"`
	Consents *[]string `json:"consents"`
	Fields   []struct {
		Code string `json:"code"`
	} `json:"fields"`
}

func expertInput(name string, consents ...string) map[string]any {
	wordings := map[string]string{"PROCESSING": "2026-12-processing-1", "ROSTER": "2026-12-roster-1", "CONTACT": "2026-12-contact-1"}
	cs := []map[string]any{}
	for _, c := range consents {
		cs = append(cs, map[string]any{"purpose": c, "wordingVersion": wordings[c]})
	}
	return map[string]any{"profile": map[string]any{"name": name, "fields": []string{"2212", "2221"}, "languages": []string{"fr", "wo"},
		"originCountries": []string{"SN"}, "residenceCountry": "CH", "availability": map[string]any{"onSite": false, "remote": true, "daysPerYear": 20},
		"bio": map[string]any{"fr": "Cardiologue à Genève."}, "email": "amina@example.org"}, "consents": cs}
}

func TestExpertsOfTheSkillsRosterThroughGraphQL(t *testing.T) {
	t.Parallel()
	p := start(t, db.Fresh(t), true)
	a := p.actors(t)
	// Bad input is refused and writes nothing; consent to processing is required.
	for _, c := range []struct {
		name string
		in   map[string]any
		code string
	}{
		{"no consent", expertInput("Dr Amina Diallo"), "BAD_USER_INPUT"},
		{"an unknown field", func() map[string]any {
			in := expertInput("Dr Amina Diallo", "PROCESSING")
			in["profile"].(map[string]any)["fields"] = []string{"9999"}
			return in
		}(), "BAD_USER_INPUT"},
	} {
		written := p.events(t)
		if r := p.gql(t, "", registerExpertMutation, map[string]any{"in": c.in}); r.code() != c.code {
			t.Fatalf("%s: got %q, want %s: %s", c.name, r.code(), c.code, r.raw)
		}
		if p.events(t) != written {
			t.Fatalf("%s: a refused registration wrote events", c.name)
		}
	}
	expertKey := uuid.NewString()
	reg := decode[struct {
		Token  string
		Expert expertView
	}](t, p.mustDo(t, "", registerExpertMutation, map[string]any{"in": expertInput("Dr Amina Diallo", "PROCESSING", "ROSTER"), "key": expertKey}), "registerExpert")
	if reg.Token == "" || reg.Expert.Status != "PENDING" || reg.Expert.Email == nil || *reg.Expert.Email != "amina@example.org" {
		t.Fatalf("registered %+v", reg)
	}
	// A retry within the replay window (the answer was lost) hands out the key again;
	// after the window, nothing but why.
	type replay struct {
		Token       *string
		Expert      *expertView
		KeyWithheld *struct{ Reason string }
	}
	again := decode[replay](t, p.mustDo(t, "", registerExpertMutation, map[string]any{"in": expertInput("Dr Amina Diallo", "PROCESSING", "ROSTER"), "key": expertKey}), "registerExpert")
	if again.Token == nil || again.Expert == nil || again.Expert.ID != reg.Expert.ID || again.KeyWithheld != nil {
		t.Fatalf("a retry answered %+v", again)
	}
	if _, err := p.pool.Exec(context.Background(), `UPDATE experts.idempotency_keys SET created_at = created_at - interval '25 hours'
		WHERE key = $1`, expertKey); err != nil {
		t.Fatal(err)
	}
	late := decode[replay](t, p.mustDo(t, "", registerExpertMutation, map[string]any{"in": expertInput("Dr Amina Diallo", "PROCESSING", "ROSTER"), "key": expertKey}), "registerExpert")
	if late.Token != nil || late.Expert != nil || late.KeyWithheld == nil || late.KeyWithheld.Reason != "REPLAY_WINDOW_PASSED" {
		t.Fatalf("a late retry answered %+v", late)
	}
	roster := `query($f: String) { experts(field: $f) { edges { node { id name email consents } } } }`
	rosterOf := func(r gqlResponse) []expertView {
		c := decode[struct{ Edges []struct{ Node expertView } }](t, r, "experts")
		out := []expertView{}
		for _, e := range c.Edges {
			out = append(out, e.Node)
		}
		return out
	}
	if got := rosterOf(p.gql(t, "", roster, nil)); len(got) != 0 {
		t.Fatalf("in the roster before verification: %+v", got)
	}
	pending := decode[[]expertView](t, p.gql(t, a.geneva, `{ pendingExperts { id name email } }`, nil), "pendingExperts")
	if len(pending) != 1 || pending[0].ID != reg.Expert.ID {
		t.Fatalf("pending %+v", pending)
	}
	if r := p.gql(t, reg.Token, `{ pendingExperts { id } }`, nil); r.code() != "FORBIDDEN" {
		t.Fatalf("an expert reads the queue: %s", r.raw)
	}
	if r := p.gql(t, reg.Token, `mutation($id: ID!) { verifyExpert(id: $id) { expert { status } } }`, map[string]any{"id": reg.Expert.ID}); r.code() != "FORBIDDEN" {
		t.Fatalf("an expert verifies themselves: %s", r.raw)
	}
	p.mustDo(t, a.geneva, `mutation($id: ID!) { verifyExpert(id: $id) { expert { status } } }`, map[string]any{"id": reg.Expert.ID})
	public := rosterOf(p.gql(t, "", roster, map[string]any{"f": "2212"}))
	if len(public) != 1 || public[0].Name != "Dr Amina Diallo" || public[0].Email != nil || public[0].Consents != nil {
		t.Fatalf("the public roster %+v", public)
	}
	viewer := decode[struct {
		Role   string
		Expert expertView
	}](t, p.gql(t, reg.Token, `{ viewer { role expert { id status consents } } }`, nil), "viewer")
	if viewer.Role != "EXPERT" || viewer.Expert.ID != reg.Expert.ID || viewer.Expert.Status != "VERIFIED" {
		t.Fatalf("the expert's viewer %+v", viewer)
	}
	// The expert withdraws from the roster, then erases themselves.
	other := p.token(t, events.Actor{Role: events.RoleExpert, Subject: "01900000-0000-7000-8000-000000000000"})
	if r := p.gql(t, other, `mutation($id: ID!) { withdrawConsent(expertId: $id, purpose: ROSTER) { expert { id } } }`, map[string]any{"id": reg.Expert.ID}); r.code() != "FORBIDDEN" {
		t.Fatalf("another expert withdrew: %s", r.raw)
	}
	p.mustDo(t, reg.Token, `mutation($id: ID!) { withdrawConsent(expertId: $id, purpose: ROSTER) { expert { consents } } }`, map[string]any{"id": reg.Expert.ID})
	if got := rosterOf(p.gql(t, "", roster, nil)); len(got) != 0 {
		t.Fatalf("in the roster after withdrawing: %+v", got)
	}
	erased := decode[struct{ Expert *expertView }](t, p.mustDo(t, reg.Token, `mutation($id: ID!) { eraseExpert(id: $id) { expert { id } } }`,
		map[string]any{"id": reg.Expert.ID}), "eraseExpert")
	if erased.Expert != nil {
		t.Fatalf("after erasure: %+v", erased.Expert)
	}
	if got := decode[*expertView](t, p.gql(t, a.admin, `query($id: ID!) { expert(id: $id) { id name } }`, map[string]any{"id": reg.Expert.ID}), "expert"); got != nil {
		t.Fatalf("an admin reads an erased expert: %+v", got)
	}
}

// TestEveryRoleAgainstEveryExpertMutation sends each experts mutation as each kind of
// caller, each against an expert of its own: the allowed write, the refused are told why
// and write nothing.
func TestEveryRoleAgainstEveryExpertMutation(t *testing.T) {
	t.Parallel()
	p := start(t, db.Fresh(t), false)
	a := p.actors(t)
	_, associationToken := p.verifiedAssociation(t, a.admin, "Ghana Nurses Belgium", "brussels")
	type fixture struct{ id, token string }
	n := 0
	newExpert := func(t *testing.T) fixture {
		n++
		reg := decode[struct {
			Token  string
			Expert expertView
		}](t, p.mustDo(t, "", registerExpertMutation, map[string]any{"in": expertInput(fmt.Sprintf("Dr Expert %d", n), "PROCESSING")}), "registerExpert")
		return fixture{id: reg.Expert.ID, token: reg.Token}
	}
	other := newExpert(t)
	profile := expertInput("Dr Amina Diallo")["profile"]
	mutations := []struct {
		name, query string
		vars        func(f fixture) map[string]any
		allowed     []string
	}{
		{"updateExpertProfile", `mutation($id: ID!, $in: ExpertProfileInput!) { updateExpertProfile(id: $id, input: $in) { expert { id } } }`,
			func(f fixture) map[string]any { return map[string]any{"id": f.id, "in": profile} }, []string{"the expert"}},
		{"verifyExpert", `mutation($id: ID!) { verifyExpert(id: $id) { expert { id } } }`,
			func(f fixture) map[string]any { return map[string]any{"id": f.id} }, []string{"coordinator", "admin"}},
		{"rejectExpert", `mutation($id: ID!) { rejectExpert(id: $id, reason: "not a health professional") { expert { id } } }`,
			func(f fixture) map[string]any { return map[string]any{"id": f.id} }, []string{"coordinator", "admin"}},
		{"giveConsent", `mutation($id: ID!) { giveConsent(expertId: $id, purpose: ROSTER, wordingVersion: "2026-12-roster-1") { expert { id } } }`,
			func(f fixture) map[string]any { return map[string]any{"id": f.id} }, []string{"the expert"}},
		{"withdrawConsent", `mutation($id: ID!) { withdrawConsent(expertId: $id, purpose: PROCESSING) { expert { id } } }`,
			func(f fixture) map[string]any { return map[string]any{"id": f.id} }, []string{"the expert"}},
		{"eraseExpert", `mutation($id: ID!) { eraseExpert(id: $id) { expert { id } } }`,
			func(f fixture) map[string]any { return map[string]any{"id": f.id} }, []string{"the expert", "admin"}},
	}
	roles := []struct {
		name    string
		token   func(f fixture) string
		refusal string
	}{
		{"anonymous", func(fixture) string { return "" }, "UNAUTHENTICATED"},
		{"the expert", func(f fixture) string { return f.token }, "FORBIDDEN"},
		{"another expert", func(fixture) string { return other.token }, "FORBIDDEN"},
		{"an association", func(fixture) string { return associationToken }, "FORBIDDEN"},
		{"coordinator", func(fixture) string { return a.geneva }, "FORBIDDEN"},
		{"admin", func(fixture) string { return a.admin }, "FORBIDDEN"},
	}
	for _, m := range mutations {
		for _, role := range roles {
			t.Run(m.name+" by "+role.name, func(t *testing.T) {
				f := newExpert(t)
				written := p.events(t)
				r := p.gql(t, role.token(f), m.query, m.vars(f))
				if slices.Contains(m.allowed, role.name) {
					if len(r.Errors) > 0 || p.events(t) <= written {
						t.Fatalf("allowed, but: %s", r.raw)
					}
					return
				}
				if r.code() != role.refusal {
					t.Fatalf("got %q, want %s: %s", r.code(), role.refusal, r.raw)
				}
				if p.events(t) != written {
					t.Fatal("a refused mutation wrote events")
				}
			})
		}
	}
}

// TestTheRosterPagesAndFollowsAnExpert pages through the roster with cursors that name
// no one, and follows an expert's changes over a subscription with the public's view.
func TestTheRosterPagesAndFollowsAnExpert(t *testing.T) {
	t.Parallel()
	p := start(t, db.Fresh(t), false)
	a := p.actors(t)
	var ids []string
	for _, name := range []string{"Dr Awa Ba", "Dr Binta Cissé", "Dr Coumba Diop"} {
		ids = append(ids, p.verifiedExpert(t, a.geneva, name, "ROSTER").id)
	}
	page := `query($after: String) { experts(first: 2, after: $after) { edges { cursor node { name } } pageInfo { hasNextPage endCursor } } }`
	type conn struct {
		Edges []struct {
			Cursor string
			Node   struct{ Name string }
		}
		PageInfo struct {
			HasNextPage bool
			EndCursor   string
		}
	}
	first := decode[conn](t, p.gql(t, "", page, nil), "experts")
	if len(first.Edges) != 2 || !first.PageInfo.HasNextPage || first.Edges[0].Node.Name != "Dr Awa Ba" {
		t.Fatalf("first page %+v", first)
	}
	raw, _ := base64.RawURLEncoding.DecodeString(first.PageInfo.EndCursor)
	if strings.Contains(string(raw), "Binta") {
		t.Fatalf("a cursor names an expert: %s", raw)
	}
	second := decode[conn](t, p.gql(t, "", page, map[string]any{"after": first.PageInfo.EndCursor}), "experts")
	if len(second.Edges) != 1 || second.PageInfo.HasNextPage || second.Edges[0].Node.Name != "Dr Coumba Diop" {
		t.Fatalf("second page %+v", second)
	}

	// The public follows Coumba: her withdrawal from the roster is the last it hears.
	ws := p.dialWS(t)
	ws.init("")
	ws.subscribe("x", `subscription($id: ID!) { expertChanged(id: $id) { name email } }`, map[string]any{"id": ids[2]})
	self := p.token(t, events.Actor{Role: events.RoleExpert, Subject: localID(t, ids[2])})
	p.mustDo(t, self, `mutation($id: ID!) { giveConsent(expertId: $id, purpose: CONTACT, wordingVersion: "2026-12-contact-1") { expert { id } } }`, map[string]any{"id": ids[2]})
	seen := ws.expect("next")
	if !strings.Contains(string(seen.Payload), "Coumba") || strings.Contains(string(seen.Payload), "@") {
		t.Fatalf("the public's update: %s", seen.Payload)
	}
	// The withdrawal reaches the public as nothing: at most a copy of what it saw before,
	// already on its way.
	p.mustDo(t, self, `mutation($id: ID!) { withdrawConsent(expertId: $id, purpose: ROSTER) { expert { id } } }`, map[string]any{"id": ids[2]})
	for {
		m, err := ws.read(500 * time.Millisecond)
		if err != nil {
			break
		}
		if string(m.Payload) != string(seen.Payload) {
			t.Fatalf("the public heard of an expert no longer in the roster: %s", m.Payload)
		}
	}
	// A cursor whose expert left the roster says so.
	if r := p.gql(t, "", page, map[string]any{"after": ids[2]}); r.reason() != "CURSOR_GONE" {
		t.Fatalf("a cursor after a withdrawn expert: %s", r.raw)
	}
}
