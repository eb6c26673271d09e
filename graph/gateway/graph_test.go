package gateway_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"passerelle.dev/events"
	"passerelle.dev/graph/gateway"
)

// TestNodeFetchesEveryKindWithItsVisibility fetches one object of every kind through
// node(id), as different readers.
func TestNodeFetchesEveryKindWithItsVisibility(t *testing.T) {
	t.Parallel()
	p := start(t, db.Fresh(t), false)
	p.clock.set(proposalsEpoch)
	a := p.proposalActors(t)
	coordinatorID := decode[struct{ Coordinator struct{ ID string } }](t, p.mustDo(t, a.admin,
		`mutation { appointCoordinator(city: "london", name: "Kwame Asante") { coordinator { id } } }`, nil), "appointCoordinator").Coordinator.ID
	session := p.schedule(t, a.admin, sessionInput("london", "Africa Centre", "2027-04-10T18:00", 30))
	registration := decode[registerForSessionPayload](t, p.gql(t, a.owner, registerForSessionMutation,
		map[string]any{"sessionId": session.ID, "associationId": a.ownerID}), "registerForSession").Registration.ID
	callID := p.openCall(t, a.admin, proposalsEpoch.Add(30*24*time.Hour))
	draft := p.proposalAt(t, a, callID, "DRAFT")
	city := decode[struct{ ID string }](t, p.gql(t, "", `{ city(slug: "geneva") { id } }`, nil), "city").ID

	node := `query($id: ID!) { node(id: $id) { __typename id
	  ... on Association { name } ... on City { slug } ... on Coordinator { name } ... on DialogueSession { capacity }
	  ... on SessionRegistration { seats } ... on Call { callStatus: status } ... on Proposal { proposalStatus: status } } }`
	for _, c := range []struct {
		name, id, typename string
		visibleTo          []string // the readers who get it; the others get null
	}{
		{"association", a.ownerID, "Association", []string{"anonymous", "other", "owner", "coordinator", "admin"}},
		{"city", city, "City", []string{"anonymous", "other", "owner", "coordinator", "admin"}},
		{"coordinator", coordinatorID, "Coordinator", []string{"coordinator", "admin"}},
		{"session", session.ID, "DialogueSession", []string{"anonymous", "other", "owner", "coordinator", "admin"}},
		{"registration", registration, "SessionRegistration", []string{"owner", "coordinator", "admin"}},
		{"call", callID, "Call", []string{"anonymous", "other", "owner", "coordinator", "admin"}},
		{"draft proposal", draft, "Proposal", []string{"owner", "coordinator", "admin"}},
	} {
		for reader, token := range map[string]string{"anonymous": "", "other": a.other, "owner": a.owner, "coordinator": a.coordinator, "admin": a.admin} {
			r := p.gql(t, token, node, map[string]any{"id": c.id})
			if len(r.Errors) > 0 {
				t.Fatalf("%s as %s: %s", c.name, reader, r.raw)
			}
			got := decode[*struct{ Typename, ID string }](t, r, "node")
			want := strings.Contains(strings.Join(c.visibleTo, ","), reader)
			if (got != nil) != want {
				t.Fatalf("%s as %s: %s, want visible %v", c.name, reader, r.raw, want)
			}
			if got != nil && (got.ID != c.id || !strings.Contains(string(r.raw), `"__typename":"`+c.typename+`"`)) {
				t.Fatalf("%s as %s: %s", c.name, reader, r.raw)
			}
		}
	}
	if r := p.gql(t, "", node, map[string]any{"id": "bm9wZTpub3Bl"}); r.code() != "BAD_USER_INPUT" {
		t.Fatalf("an id of no kind: %s", r.raw)
	}
}

func TestHistoryShowsWhatHappenedNeverTheData(t *testing.T) {
	t.Parallel()
	p := start(t, db.Fresh(t), false)
	a := p.actors(t)
	reg := p.registerWith(t, map[string]any{"name": "Eritrean Women in Geneva", "city": "geneva", "originCountries": []string{"ER"},
		"contact": map[string]any{"name": "Senait Tesfay", "email": "senait.tesfay@example.org"}})
	id := reg.Association.ID
	self := p.token(t, events.Actor{Role: events.RoleAssociation, AssociationID: localID(t, id)})
	p.mustDo(t, a.geneva, lifecycleMutations["verify"], map[string]any{"id": id})
	p.mustDo(t, self, `mutation($id: ID!) { updateAssociationProfile(id: $id, input: {acronym: "EWG", memberCount: 120}) { changedFields } }`, map[string]any{"id": id})
	p.mustDo(t, a.admin, lifecycleMutations["suspend"], map[string]any{"id": id})

	history := `query($id: ID!, $after: String) { history(id: $id, first: 2, after: $after) {
	  totalCount edges { node { type version changedFields actor { role id city } } } pageInfo { hasNextPage endCursor } } }`
	type entry struct {
		Type          string
		Version       int
		ChangedFields []string
		Actor         struct {
			Role string
			ID   *string
			City *string
		}
	}
	type page struct {
		TotalCount int
		Edges      []struct{ Node entry }
		PageInfo   struct {
			HasNextPage bool
			EndCursor   *string
		}
	}
	var all []entry
	var after any
	for {
		r := p.gql(t, a.admin, history, map[string]any{"id": id, "after": after})
		if strings.Contains(string(r.raw), "Senait") || strings.Contains(string(r.raw), "example.org") {
			t.Fatalf("the history shows personal data: %s", r.raw)
		}
		pg := decode[page](t, r, "history")
		if pg.TotalCount != 4 {
			t.Fatalf("totalCount %d", pg.TotalCount)
		}
		for _, e := range pg.Edges {
			all = append(all, e.Node)
		}
		if !pg.PageInfo.HasNextPage {
			break
		}
		after = *pg.PageInfo.EndCursor
	}
	want := []struct {
		typ, role string
		fields    string
	}{
		{"AssociationSuspended", "ADMIN", "status,statusReason"},
		{"AssociationProfileUpdated", "ASSOCIATION", "acronym,memberCount"},
		{"AssociationVerified", "COORDINATOR", "status,verifiedAt"},
		{"AssociationRegistered", "ANONYMOUS", ""},
	}
	if len(all) != len(want) {
		t.Fatalf("history %+v", all)
	}
	for i, w := range want {
		e := all[i]
		if e.Type != w.typ || e.Actor.Role != w.role || strings.Join(e.ChangedFields, ",") != w.fields || e.Version != len(want)-i {
			t.Fatalf("entry %d: %+v, want %+v", i, e, w)
		}
	}
	if all[2].Actor.City == nil || *all[2].Actor.City != "geneva" || all[2].Actor.ID == nil {
		t.Fatalf("the verifying coordinator, to an admin: %+v", all[2].Actor)
	}
	// Others who may see the association see the roles, not who.
	r := p.gql(t, a.london, history, map[string]any{"id": id})
	if pg := decode[page](t, r, "history"); len(pg.Edges) != 2 || pg.Edges[0].Node.Actor.ID != nil {
		t.Fatalf("a coordinator of another city sees who acted: %s", r.raw)
	}
	// A pending association's history is not public.
	pending := p.register(t, "Not Yet Verified", "geneva", "ER")
	if r := p.gql(t, "", history, map[string]any{"id": pending.Association.ID}); string(r.Data["history"]) != "null" {
		t.Fatalf("the history of a pending association, to the public: %s", r.raw)
	}
}

func TestStatsCountAcrossTheReadModels(t *testing.T) {
	t.Parallel()
	p := start(t, db.Fresh(t), false)
	p.clock.set(proposalsEpoch)
	a := p.proposalActors(t) // two verified associations: london (GH), brussels (GH)
	p.register(t, "Still Pending", "paris", "ML")
	p.schedule(t, a.admin, sessionInput("london", "Africa Centre", "2027-04-10T18:00", 30))
	p.schedule(t, a.admin, sessionInput("london", "Africa Centre", "2027-04-30T23:30", 20)) // 22:30 UTC, and April in London
	cancelled := p.schedule(t, a.admin, sessionInput("london", "Africa Centre", "2027-05-10T18:00", 50))
	p.mustDo(t, a.admin, `mutation($s: ID!) { cancelSession(sessionId: $s, reason: "no speakers") { session { id } } }`, map[string]any{"s": cancelled.ID})
	callID := p.openCall(t, a.admin, proposalsEpoch.Add(30*24*time.Hour))
	approved := p.proposalAt(t, a, callID, "APPROVED")
	p.proposalAt(t, a, callID, "DRAFT")
	p.mustDo(t, a.coordinator, `mutation($p: ID!) { pledgeSupport(proposalId: $p, input: {partner: {name: "La Poste", kind: GOVERNMENT, country: "SN"}, money: {amount: "1500.50", currency: "EUR"}}) { position } }`,
		map[string]any{"p": approved})

	stats := decode[struct {
		AssociationsByCity []struct {
			Key   string
			Count int
		}
		AssociationsByOriginCountry []struct {
			Key   string
			Count int
		}
		AssociationsByStatus []struct {
			Key   string
			Count int
		}
		SessionsByMonth []struct {
			City, Month                            string
			Sessions, SeatsOffered, SeatsConfirmed int
		}
		ProposalsByStatus []struct {
			Key   string
			Count int
		}
		PledgedTotals []struct{ Amount, Currency string }
	}](t, p.gql(t, "", `{ stats { associationsByCity { key count } associationsByOriginCountry { key count } associationsByStatus { key count }
	  sessionsByMonth(city: "london") { city month sessions seatsOffered seatsConfirmed } proposalsByStatus { key count } pledgedTotals { amount currency } } }`, nil), "stats")
	if len(stats.AssociationsByCity) != 2 || len(stats.AssociationsByOriginCountry) != 1 || stats.AssociationsByOriginCountry[0].Count != 2 {
		t.Fatalf("associations: %+v", stats)
	}
	if len(stats.AssociationsByStatus) != 2 || stats.AssociationsByStatus[0].Key != "VERIFIED" || stats.AssociationsByStatus[1].Count != 1 {
		t.Fatalf("by status: %+v", stats.AssociationsByStatus)
	}
	if len(stats.SessionsByMonth) != 1 || stats.SessionsByMonth[0].Month != "2027-04" || stats.SessionsByMonth[0].Sessions != 2 || stats.SessionsByMonth[0].SeatsOffered != 50 {
		t.Fatalf("sessions by month: %+v", stats.SessionsByMonth)
	}
	if len(stats.ProposalsByStatus) != 1 || stats.ProposalsByStatus[0].Key != "APPROVED" {
		t.Fatalf("proposals by status (drafts left out): %+v", stats.ProposalsByStatus)
	}
	if len(stats.PledgedTotals) != 1 || stats.PledgedTotals[0].Amount != "1500.50" {
		t.Fatalf("pledged: %+v", stats.PledgedTotals)
	}
}

func TestMetricsShowProjectionsAndRequests(t *testing.T) {
	t.Parallel()
	p := start(t, db.Fresh(t), false)
	p.register(t, "Ghanaian Nurses Network UK", "london", "GH")
	p.post(t, "", []byte(`{"query": "query CityList { cities { slug } }", "operationName": "CityList"}`))
	// Protected: nobody but an admin (or the metrics token's holder) reads them.
	get := func(token string) *http.Response {
		req, _ := http.NewRequest(http.MethodGet, p.url+"/metrics", nil)
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		return resp
	}
	a := p.actors(t)
	for _, token := range []string{"", a.london} {
		if resp := get(token); resp.StatusCode != http.StatusUnauthorized {
			t.Fatalf("/metrics answered %d without an admin's token", resp.StatusCode)
		} else {
			resp.Body.Close()
		}
	}
	resp := get(a.admin)
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	text := string(body)
	for _, want := range []string{
		`passerelle_graphql_requests_total{operation="CityList",outcome="ok"} 1`,
		`passerelle_graphql_request_duration_seconds_bucket{operation="CityList"`,
		`passerelle_projection_lag_events{projection="graph.associations.v2"} 0`,
		`passerelle_projection_scrape_ok 1`,
	} {
		if !strings.Contains(text, want) {
			t.Fatalf("/metrics lacks %q:\n%s", want, text)
		}
	}
	m := regexp.MustCompile(`passerelle_projection_position\{projection="graph.associations.v2"\} (\d+)`).FindStringSubmatch(text)
	if m == nil {
		t.Fatalf("no position:\n%s", text)
	}
	if n, _ := strconv.Atoi(m[1]); n < 6 {
		t.Fatalf("the associations projection at %d, after the cities and a registration", n)
	}
}

// TestAPageOfSessionsCostsTheSameStatementsWhateverItsSize loads pages of 5 and 50
// sessions with their city, registrations, the associations behind them and the
// proposals presented at them: the statements sent to PostgreSQL do not grow with the
// page.
func TestAPageOfSessionsCostsTheSameStatementsWhateverItsSize(t *testing.T) {
	t.Parallel()
	p := start(t, db.Fresh(t), false)
	p.clock.set(proposalsEpoch)
	a := p.proposalActors(t)
	callID := p.openCall(t, a.admin, proposalsEpoch.Add(30*24*time.Hour))
	for i := range 50 {
		s := p.schedule(t, a.admin, sessionInput("london", "Hall "+strconv.Itoa(i), "2027-04-10T18:00", 30))
		// Each session has an association of its own: their associations must come in one
		// query, not one per session.
		member, token := p.verifiedAssociation(t, a.admin, "Ghanaian Nurses of Hall "+strconv.Itoa(i), "london")
		p.mustDo(t, token, registerForSessionMutation, map[string]any{"sessionId": s.ID, "associationId": member})
		if i%5 == 0 {
			in := proposalInput(callID, a.ownerID)
			in["sessionId"] = s.ID
			p.draftProposal(t, a.owner, in)
		}
	}
	query := `query($first: Int) { dialogueSessions(first: $first) { totalCount edges { node { id city { name timeZone }
	  registrations { status association { name contact { email } } }
	  proposals { title { en } association { name } call { status } } } } } }`
	statements := func(first int) int {
		t.Helper()
		corr := "page-of-" + strconv.Itoa(first)
		req, _ := http.NewRequest(http.MethodPost, p.url+"/graphql", strings.NewReader(
			`{"query": `+strconv.Quote(query)+`, "variables": {"first": `+strconv.Itoa(first)+`}}`))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+a.admin)
		req.Header.Set("X-Correlation-ID", corr)
		r := do(t, req)
		page := decode[struct {
			Edges []struct {
				Node struct {
					Registrations []struct{ Association *struct{ Name string } }
					Proposals     []struct{ Title struct{ En string } }
				}
			}
		}](t, r, "dialogueSessions")
		proposals := 0
		for _, e := range page.Edges {
			if len(e.Node.Registrations) != 1 || e.Node.Registrations[0].Association == nil {
				t.Fatalf("a session's registrations: %+v", e.Node.Registrations)
			}
			proposals += len(e.Node.Proposals)
		}
		if len(page.Edges) != first || first == 50 && proposals != 10 {
			t.Fatalf("%d sessions, %d proposals", len(page.Edges), proposals)
		}
		return p.statements.of(corr)
	}
	small, large := statements(5), statements(50)
	t.Logf("statements for 5 sessions: %d; for 50: %d", small, large)
	// The associations behind registrations and behind proposals share a batch: one
	// query or two, depending on which the page asks for first; never one per object.
	if large > small+1 || small > large+1 || large > 20 {
		t.Fatalf("5 sessions cost %d statements, 50 cost %d: a link is loaded per object", small, large)
	}
}

// TestMetricsByTokenOrOnTheirOwnAddress: a scraper's token opens /metrics on the public
// port; with an address of their own, the public port does not serve them at all.
func TestMetricsByTokenOrOnTheirOwnAddress(t *testing.T) {
	t.Parallel()
	p := startWith(t, db.Fresh(t), false, func(c *gateway.Config) { c.Server.MetricsToken = "scrape-0123456789abcdef" })
	req, _ := http.NewRequest(http.MethodGet, p.url+"/metrics", nil)
	req.Header.Set("Authorization", "Bearer scrape-0123456789abcdef")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), "passerelle_projection_scrape_ok") {
		t.Fatalf("with the metrics token: %d %s", resp.StatusCode, body)
	}

	own := startWith(t, db.Fresh(t), false, func(c *gateway.Config) { c.Server.MetricsAddress = "127.0.0.1:0" })
	req, _ = http.NewRequest(http.MethodGet, own.url+"/metrics", nil)
	req.Header.Set("Authorization", "Bearer "+own.actors(t).admin)
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	if strings.Contains(string(body), "passerelle_projection") {
		t.Fatalf("the public port still serves the metrics: %d", resp.StatusCode)
	}
	addr, h := own.gateway.Metrics()
	if addr != "127.0.0.1:0" {
		t.Fatalf("metrics address %q", addr)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "passerelle_projection_scrape_ok") {
		t.Fatalf("the metrics listener: %d", rec.Code)
	}
}
