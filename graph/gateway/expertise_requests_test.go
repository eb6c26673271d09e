package gateway_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
)

const registerInstitutionMutation = `mutation($in: InstitutionInput!) { registerInstitution(input: $in) { token institution { id status email } } }`

func institutionInput(name string) map[string]any {
	return map[string]any{"name": name, "kind": "HOSPITAL", "country": "SN", "website": "https://chr-thies.example.sn",
		"email": "direction@chr-thies.example.sn", "description": map[string]any{"fr": "Centre hospitalier régional de Thiès."}}
}

func requestInput(experts int) map[string]any {
	return map[string]any{"title": "Cardiology mentoring in Thiès", "termsOfReference": "Mentor the cardiology team of the regional hospital for a month.",
		"fields": []string{"2212"}, "languages": []string{"fr"}, "mode": "EITHER", "from": time.Now().AddDate(0, 2, 0).Format(time.DateOnly),
		"to": time.Now().AddDate(0, 3, 0).Format(time.DateOnly), "country": "SN", "expertsNeeded": experts}
}

type institutionFixture struct{ id, token string }

// verifiedInstitution registers an institution that an admin verifies.
func (p *platform) verifiedInstitution(t *testing.T, admin, name string) institutionFixture {
	t.Helper()
	reg := decode[struct {
		Token       string
		Institution struct{ ID, Status string }
	}](t, p.mustDo(t, "", registerInstitutionMutation, map[string]any{"in": institutionInput(name)}), "registerInstitution")
	p.mustDo(t, admin, `mutation($id: ID!) { verifyInstitution(id: $id) { institution { status } } }`, map[string]any{"id": reg.Institution.ID})
	return institutionFixture{id: reg.Institution.ID, token: reg.Token}
}

// verifiedExpert registers an expert a coordinator verifies.
func (p *platform) verifiedExpert(t *testing.T, verifier, name string, consents ...string) institutionFixture {
	t.Helper()
	reg := decode[struct {
		Token  string
		Expert expertView
	}](t, p.mustDo(t, "", registerExpertMutation, map[string]any{"in": expertInput(name, append([]string{"PROCESSING"}, consents...)...)}), "registerExpert")
	p.mustDo(t, verifier, `mutation($id: ID!) { verifyExpert(id: $id) { expert { status } } }`, map[string]any{"id": reg.Expert.ID})
	return institutionFixture{id: reg.Expert.ID, token: reg.Token}
}

func (p *platform) openRequest(t *testing.T, inst institutionFixture, experts int) string {
	t.Helper()
	id := decode[struct{ ExpertiseRequest struct{ ID string } }](t, p.mustDo(t, inst.token,
		`mutation($in: ExpertiseRequestInput!) { draftExpertiseRequest(input: $in) { expertiseRequest { id } } }`,
		map[string]any{"in": requestInput(experts)}), "draftExpertiseRequest").ExpertiseRequest.ID
	p.mustDo(t, inst.token, `mutation($id: ID!) { openExpertiseRequest(id: $id) { expertiseRequest { status } } }`, map[string]any{"id": id})
	return id
}

type matchView struct {
	Status string
	Score  int
	Expert *struct {
		ID    string
		Name  string
		Email *string
	}
}

type requestView struct {
	ID              string
	Status          string
	AwaitingAnswers int
	Confirmed       int
	Institution     *struct{ Name string }
	Matches         []matchView
}

const requestQuery = `query($id: ID!) { expertiseRequest(id: $id) { id status awaitingAnswers confirmed institution { name }
  matches { status score expert { id name email } } } }`

func TestARequestForExpertiseThroughGraphQL(t *testing.T) {
	t.Parallel()
	p := start(t, db.Fresh(t), true)
	a := p.actors(t)

	// An institution registers; its key works only once an admin verified it.
	reg := decode[struct {
		Token       string
		Institution struct {
			ID, Status string
			Email      *string
		}
	}](t, p.mustDo(t, "", registerInstitutionMutation, map[string]any{"in": institutionInput("CHR de Thiès")}), "registerInstitution")
	if reg.Token == "" || reg.Institution.Status != "PENDING" || reg.Institution.Email == nil {
		t.Fatalf("registered %+v", reg)
	}
	inst := institutionFixture{id: reg.Institution.ID, token: reg.Token}
	draft := `mutation($in: ExpertiseRequestInput!) { draftExpertiseRequest(input: $in) { expertiseRequest { id status } } }`
	if r := p.gql(t, inst.token, draft, map[string]any{"in": requestInput(1)}); r.code() != "CONFLICT" || r.reason() != "INSTITUTION_NOT_VERIFIED" {
		t.Fatalf("a pending institution drafts: %s", r.raw)
	}
	pending := decode[[]struct{ ID string }](t, p.gql(t, a.admin, `{ institutions(status: PENDING) { id } }`, nil), "institutions")
	if len(pending) != 1 || pending[0].ID != inst.id {
		t.Fatalf("pending institutions %+v", pending)
	}
	if r := p.gql(t, a.geneva, `{ institutions { id } }`, nil); r.code() != "FORBIDDEN" {
		t.Fatalf("a coordinator lists institutions: %s", r.raw)
	}
	p.mustDo(t, a.admin, `mutation($id: ID!) { verifyInstitution(id: $id) { institution { status } } }`, map[string]any{"id": inst.id})
	if public := decode[struct{ Email *string }](t, p.gql(t, "", `query($id: ID!) { institution(id: $id) { email } }`, map[string]any{"id": inst.id}), "institution"); public.Email != nil {
		t.Fatal("the public reads the institution's desk")
	}

	// Bad terms are refused with the field and write nothing.
	written := p.events(t)
	bad := requestInput(1)
	bad["from"] = "2020-01-01"
	if r := p.gql(t, inst.token, draft, map[string]any{"in": bad}); r.code() != "BAD_USER_INPUT" || !strings.Contains(string(r.raw), `"field":"from"`) {
		t.Fatalf("a mission in the past: %s", r.raw)
	}
	if p.events(t) != written {
		t.Fatal("refused terms wrote events")
	}
	id := decode[struct{ ExpertiseRequest struct{ ID, Status string } }](t, p.mustDo(t, inst.token, draft, map[string]any{"in": requestInput(1)}), "draftExpertiseRequest").ExpertiseRequest.ID
	list := `query($f: ExpertiseRequestFilter) { expertiseRequests(first: 10, filter: $f) { edges { node { id status } } pageInfo { hasNextPage endCursor } } }`
	type listing struct {
		Edges []struct{ Node struct{ ID, Status string } }
	}
	if got := decode[listing](t, p.gql(t, "", list, nil), "expertiseRequests"); len(got.Edges) != 0 {
		t.Fatalf("the public sees a draft: %+v", got)
	}
	if got := decode[listing](t, p.gql(t, inst.token, list, nil), "expertiseRequests"); len(got.Edges) != 1 {
		t.Fatalf("the institution does not see its draft: %+v", got)
	}
	p.mustDo(t, inst.token, `mutation($id: ID!) { openExpertiseRequest(id: $id) { expertiseRequest { status } } }`, map[string]any{"id": id})
	if got := decode[listing](t, p.gql(t, "", list, map[string]any{"f": map[string]any{"field": "2212", "country": "SN"}}), "expertiseRequests"); len(got.Edges) != 1 || got.Edges[0].Node.Status != "OPEN" {
		t.Fatalf("the public listing %+v", got)
	}

	// Two experts; the matching ranks them with its reasons.
	amina := p.verifiedExpert(t, a.geneva, "Dr Amina Diallo", "CONTACT")
	moussa := p.verifiedExpert(t, a.geneva, "Dr Moussa Ndiaye")
	type candidate struct {
		Expert  struct{ ID string }
		Score   int
		Reasons []struct {
			Criterion   string
			Points, Max int
			Matched     []string
		}
	}
	cands := decode[struct{ Candidates []candidate }](t, p.gql(t, a.london, `query($id: ID!) { expertiseRequest(id: $id) { candidates { expert { id } score reasons { criterion points max matched } } } }`,
		map[string]any{"id": id}), "expertiseRequest").Candidates
	if len(cands) != 2 || cands[0].Reasons[0].Criterion != "EXPERTISE" || cands[0].Reasons[0].Points != 40 || cands[0].Reasons[2].Matched[0] != "ORIGIN" {
		t.Fatalf("candidates %+v", cands)
	}
	if r := p.gql(t, inst.token, `query($id: ID!) { expertiseRequest(id: $id) { candidates { score } } }`, map[string]any{"id": id}); r.code() != "FORBIDDEN" {
		t.Fatalf("the institution ranks the roster: %s", r.raw)
	}

	// A subscriber on the request hears each change, as it may see it.
	ws := p.dialWS(t)
	ws.init(inst.token)
	ws.subscribe("r", `subscription($id: ID!) { expertiseRequestChanged(id: $id) { status awaitingAnswers matches { status expert { name email } } } }`, map[string]any{"id": id})

	propose := `mutation($r: ID!, $e: ID!) { proposeExpert(requestId: $r, expertId: $e) { expertiseRequest { awaitingAnswers matches { status } } } }`
	for _, e := range []institutionFixture{amina, moussa} {
		p.mustDo(t, a.london, propose, map[string]any{"r": id, "e": e.id})
	}
	if r := p.gql(t, a.geneva, propose, map[string]any{"r": id, "e": amina.id}); r.reason() != "ALREADY_PROPOSED" {
		t.Fatalf("proposed twice: %s", r.raw)
	}
	// Changes close together may come as one delivery, in the latest state.
	until := func(want string) string {
		t.Helper()
		for {
			m := ws.expect("next")
			if strings.Contains(string(m.Payload), want) {
				return string(m.Payload)
			}
			if strings.Contains(string(m.Payload), "Amina") && !strings.Contains(string(m.Payload), "ACCEPTED") {
				t.Fatalf("the institution heard of a mere proposal's expert: %s", m.Payload)
			}
		}
	}
	if got := until(`"awaitingAnswers":2`); strings.Contains(got, "Amina") {
		t.Fatalf("the institution heard of a mere proposal's expert: %s", got)
	}
	seen := decode[requestView](t, p.gql(t, inst.token, requestQuery, map[string]any{"id": id}), "expertiseRequest")
	if seen.AwaitingAnswers != 2 || len(seen.Matches) != 0 {
		t.Fatalf("the institution before any answer: %+v", seen)
	}
	// The experts answer; the institution sees Amina's contact (she consents), not Moussa's.
	mine := decode[struct {
		Expert struct{ Matches []struct{ Status string } }
	}](t, p.gql(t, amina.token, `{ viewer { expert { matches { status request { title } } } } }`, nil), "viewer")
	if len(mine.Expert.Matches) != 1 || mine.Expert.Matches[0].Status != "PROPOSED" {
		t.Fatalf("amina's matches %+v", mine)
	}
	accept := `mutation($r: ID!) { acceptMatch(requestId: $r) { expertiseRequest { matches { status expert { name } } } } }`
	p.mustDo(t, amina.token, accept, map[string]any{"r": id})
	p.mustDo(t, moussa.token, accept, map[string]any{"r": id})
	if got := until(`"awaitingAnswers":0`); !strings.Contains(got, "amina@example.org") {
		t.Fatalf("the institution's update after both accepted: %s", got)
	}
	seen = decode[requestView](t, p.gql(t, inst.token, requestQuery, map[string]any{"id": id}), "expertiseRequest")
	emails := map[string]bool{}
	for _, m := range seen.Matches {
		emails[m.Expert.Name] = m.Expert.Email != nil
	}
	if len(emails) != 2 || !emails["Dr Amina Diallo"] || emails["Dr Moussa Ndiaye"] {
		t.Fatalf("contacts the institution sees: %v", emails)
	}
	// A stranger sees the request, never a match.
	if pub := decode[requestView](t, p.gql(t, "", requestQuery, map[string]any{"id": id}), "expertiseRequest"); len(pub.Matches) != 0 || pub.Institution == nil {
		t.Fatalf("the public's view %+v", pub)
	}
	confirm := `mutation($r: ID!, $e: ID!) { confirmMatch(requestId: $r, expertId: $e) { expertiseRequest { status confirmed } } }`
	done := decode[struct{ ExpertiseRequest requestView }](t, p.mustDo(t, inst.token, confirm, map[string]any{"r": id, "e": amina.id}), "confirmMatch")
	if done.ExpertiseRequest.Status != "MATCHED" || done.ExpertiseRequest.Confirmed != 1 {
		t.Fatalf("after confirming %+v", done)
	}
	if r := p.gql(t, inst.token, confirm, map[string]any{"r": id, "e": moussa.id}); r.reason() != "REQUEST_NOT_OPEN" {
		t.Fatalf("a second expert on a mission of one: %s", r.raw)
	}
	p.mustDo(t, inst.token, `mutation($id: ID!) { closeExpertiseRequest(id: $id) { expertiseRequest { status } } }`, map[string]any{"id": id})

	// Stats, node ids and the history.
	stats := decode[struct {
		Expertise []struct {
			Country                     string
			Field                       struct{ Code string }
			Requests, Matches, Missions int
		}
	}](t, p.gql(t, "", `{ stats { expertise { country field { code } requests matches missions } } }`, nil), "stats")
	if len(stats.Expertise) != 1 || stats.Expertise[0].Field.Code != "2212" || stats.Expertise[0].Requests != 1 || stats.Expertise[0].Matches != 2 || stats.Expertise[0].Missions != 1 {
		t.Fatalf("stats %+v", stats)
	}
	node := decode[struct{ Typename, Status string }](t, p.gql(t, "", `query($id: ID!) { node(id: $id) { typename: __typename ... on ExpertiseRequest { status } } }`,
		map[string]any{"id": id}), "node")
	if node.Typename != "ExpertiseRequest" || node.Status != "CLOSED" {
		t.Fatalf("node %+v", node)
	}
	history := decode[struct {
		Edges []struct{ Node struct{ Type string } }
	}](t, p.gql(t, "", `query($id: ID!) { history(id: $id) { edges { node { type } } } }`,
		map[string]any{"id": id}), "history")
	var types []string
	for _, e := range history.Edges {
		types = append(types, e.Node.Type)
	}
	if len(types) != 9 || types[0] != "RequestClosed" {
		t.Fatalf("history %v", types)
	}
	if h := p.gql(t, "", `query($id: ID!) { history(id: $id) { edges { node { type } } } }`, map[string]any{"id": amina.id}); !strings.Contains(string(h.raw), `"history":null`) {
		t.Fatalf("the public reads an expert's timeline: %s", h.raw)
	}
	// Erased, Amina leaves nothing in the institution's view.
	p.mustDo(t, amina.token, `mutation($id: ID!) { eraseExpert(id: $id) { expert { id } } }`, map[string]any{"id": amina.id})
	seen = decode[requestView](t, p.gql(t, inst.token, requestQuery, map[string]any{"id": id}), "expertiseRequest")
	for _, m := range seen.Matches {
		if m.Status == "CONFIRMED" && m.Expert != nil {
			t.Fatalf("the erased expert is still shown: %+v", m.Expert)
		}
	}
}

// TestEveryRoleAgainstEveryRequestMutation sends each mutation of institutions,
// requests and matches as each kind of caller, each on fixtures of its own: the allowed
// write; the refused are told why and write nothing.
func TestEveryRoleAgainstEveryRequestMutation(t *testing.T) {
	t.Parallel()
	p := start(t, db.Fresh(t), false)
	a := p.actors(t)
	_, associationToken := p.verifiedAssociation(t, a.admin, "Ghana Nurses Belgium", "brussels")
	otherInstitution := p.verifiedInstitution(t, a.admin, "Another ministry")
	otherExpert := p.verifiedExpert(t, a.geneva, "Dr Other")
	type fixture struct {
		inst           institutionFixture
		pendingInst    string
		expert         institutionFixture
		draft, request string
	}
	n := 0
	// newFixture makes a pending institution, a verified one with a draft and an open
	// request on which the expert was proposed and accepted: any one mutation has what
	// it needs.
	newFixture := func(t *testing.T, accepted bool) fixture {
		n++
		f := fixture{inst: p.verifiedInstitution(t, a.admin, fmt.Sprintf("Institution %d", n)), expert: p.verifiedExpert(t, a.geneva, fmt.Sprintf("Dr Expert %d", n))}
		f.pendingInst = decode[struct{ Institution struct{ ID string } }](t, p.mustDo(t, "", registerInstitutionMutation,
			map[string]any{"in": institutionInput(fmt.Sprintf("Pending %d", n))}), "registerInstitution").Institution.ID
		f.draft = decode[struct{ ExpertiseRequest struct{ ID string } }](t, p.mustDo(t, f.inst.token,
			`mutation($in: ExpertiseRequestInput!) { draftExpertiseRequest(input: $in) { expertiseRequest { id } } }`,
			map[string]any{"in": requestInput(1)}), "draftExpertiseRequest").ExpertiseRequest.ID
		f.request = p.openRequest(t, f.inst, 1)
		if accepted {
			p.mustDo(t, a.geneva, `mutation($r: ID!, $e: ID!) { proposeExpert(requestId: $r, expertId: $e) { expertiseRequest { id } } }`, map[string]any{"r": f.request, "e": f.expert.id})
			p.mustDo(t, f.expert.token, `mutation($r: ID!) { acceptMatch(requestId: $r) { expertiseRequest { id } } }`, map[string]any{"r": f.request})
		}
		return f
	}
	mutations := []struct {
		name, query string
		accepted    bool
		vars        func(f fixture) map[string]any
		allowed     []string
	}{
		{"verifyInstitution", `mutation($id: ID!) { verifyInstitution(id: $id) { institution { id } } }`, false,
			func(f fixture) map[string]any { return map[string]any{"id": f.pendingInst} }, []string{"admin"}},
		{"rejectInstitution", `mutation($id: ID!) { rejectInstitution(id: $id, reason: "not an institution of a country of origin") { institution { id } } }`, false,
			func(f fixture) map[string]any { return map[string]any{"id": f.pendingInst} }, []string{"admin"}},
		{"draftExpertiseRequest", `mutation($in: ExpertiseRequestInput!) { draftExpertiseRequest(input: $in) { expertiseRequest { id } } }`, false,
			func(fixture) map[string]any { return map[string]any{"in": requestInput(1)} }, []string{"the institution", "another institution"}},
		{"reviseExpertiseRequest", `mutation($id: ID!, $in: ExpertiseRequestInput!) { reviseExpertiseRequest(id: $id, input: $in) { expertiseRequest { id } } }`, false,
			func(f fixture) map[string]any { return map[string]any{"id": f.draft, "in": requestInput(2)} }, []string{"the institution"}},
		{"openExpertiseRequest", `mutation($id: ID!) { openExpertiseRequest(id: $id) { expertiseRequest { id } } }`, false,
			func(f fixture) map[string]any { return map[string]any{"id": f.draft} }, []string{"the institution"}},
		{"cancelExpertiseRequest", `mutation($id: ID!) { cancelExpertiseRequest(id: $id, reason: "no longer needed") { expertiseRequest { id } } }`, false,
			func(f fixture) map[string]any { return map[string]any{"id": f.request} }, []string{"the institution", "admin"}},
		{"proposeExpert", `mutation($r: ID!, $e: ID!) { proposeExpert(requestId: $r, expertId: $e) { expertiseRequest { id } } }`, false,
			func(f fixture) map[string]any { return map[string]any{"r": f.request, "e": f.expert.id} }, []string{"coordinator", "admin"}},
		{"acceptMatch", `mutation($r: ID!) { acceptMatch(requestId: $r) { expertiseRequest { id } } }`, false,
			func(f fixture) map[string]any { return map[string]any{"r": f.request} }, []string{}},
		{"declineMatch", `mutation($r: ID!, $e: ID!) { declineMatch(requestId: $r, expertId: $e) { expertiseRequest { id } } }`, true,
			func(f fixture) map[string]any { return map[string]any{"r": f.request, "e": f.expert.id} }, []string{"the expert", "the institution"}},
		{"confirmMatch", `mutation($r: ID!, $e: ID!) { confirmMatch(requestId: $r, expertId: $e) { expertiseRequest { id } } }`, true,
			func(f fixture) map[string]any { return map[string]any{"r": f.request, "e": f.expert.id} }, []string{"the institution"}},
	}
	roles := []struct {
		name    string
		token   func(f fixture) string
		refusal string
	}{
		{"anonymous", func(fixture) string { return "" }, "UNAUTHENTICATED"},
		{"the institution", func(f fixture) string { return f.inst.token }, "FORBIDDEN"},
		{"another institution", func(fixture) string { return otherInstitution.token }, "FORBIDDEN"},
		{"the expert", func(f fixture) string { return f.expert.token }, "FORBIDDEN"},
		{"another expert", func(fixture) string { return otherExpert.token }, "FORBIDDEN"},
		{"an association", func(fixture) string { return associationToken }, "FORBIDDEN"},
		{"coordinator", func(fixture) string { return a.geneva }, "FORBIDDEN"},
		{"admin", func(fixture) string { return a.admin }, "FORBIDDEN"},
	}
	for _, m := range mutations {
		for _, role := range roles {
			t.Run(m.name+" by "+role.name, func(t *testing.T) {
				f := newFixture(t, m.accepted)
				written := p.events(t)
				r := p.gql(t, role.token(f), m.query, m.vars(f))
				if slices.Contains(m.allowed, role.name) {
					if len(r.Errors) > 0 || p.events(t) <= written {
						t.Fatalf("allowed, but: %s", r.raw)
					}
					return
				}
				want := role.refusal
				// The expert who was only proposed is told the match awaits nothing of
				// them yet (it is theirs to accept once proposed); another expert that
				// they have no match.
				switch {
				case m.name == "acceptMatch" && role.name == "the expert":
					want = "NOT_FOUND" // not proposed in this fixture
				case m.name == "acceptMatch" && role.name == "another expert":
					want = "NOT_FOUND"
				}
				if r.code() != want {
					t.Fatalf("got %q, want %s: %s", r.code(), want, r.raw)
				}
				if p.events(t) != written {
					t.Fatal("a refused mutation wrote events")
				}
			})
		}
	}
	// acceptMatch's allowed case: the proposed expert.
	t.Run("acceptMatch by the proposed expert", func(t *testing.T) {
		f := newFixture(t, false)
		p.mustDo(t, a.geneva, `mutation($r: ID!, $e: ID!) { proposeExpert(requestId: $r, expertId: $e) { expertiseRequest { id } } }`, map[string]any{"r": f.request, "e": f.expert.id})
		p.mustDo(t, f.expert.token, `mutation($r: ID!) { acceptMatch(requestId: $r) { expertiseRequest { id } } }`, map[string]any{"r": f.request})
	})
}
