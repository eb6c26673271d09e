package gateway_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgxpool"

	"passerelle.dev/events"
	"passerelle.dev/events/eventstore"
	"passerelle.dev/events/projector"
	"passerelle.dev/graph/gateway"
	"passerelle.dev/graph/projection"
)

const fullRegistration = `mutation($input: RegisterAssociationInput!, $key: String) {
  registerAssociation(input: $input, idempotencyKey: $key) { association { id name status } token position }
}`

type actors struct {
	admin, geneva, london, brussels string
}

func (p *platform) actors(t *testing.T) actors {
	return actors{
		admin:    p.token(t, events.Actor{Role: events.RoleAdmin, Subject: "admin"}),
		geneva:   p.coordinator(t, "geneva"),
		london:   p.coordinator(t, "london"),
		brussels: p.coordinator(t, "brussels"),
	}
}

// coordinator has an admin appoint a coordinator of city, and returns their token.
func (p *platform) coordinator(t *testing.T, city string) string {
	t.Helper()
	admin := p.token(t, events.Actor{Role: events.RoleAdmin, Subject: "admin"})
	return decode[struct{ Token string }](t, p.gql(t, admin, `mutation($city: String!) { appointCoordinator(city: $city, name: "Coordinator") { token } }`,
		map[string]any{"city": city}), "appointCoordinator").Token
}

func (p *platform) registerWith(t *testing.T, input map[string]any) registered {
	t.Helper()
	return decode[registered](t, p.gql(t, "", fullRegistration, map[string]any{"input": input}), "registerAssociation")
}

// events counts the events written since the platform started (the default cities
// are not the test's).
func (p *platform) events(t *testing.T) int {
	t.Helper()
	return countEvents(t, p.pool) - p.startEvents
}

func countEvents(t *testing.T, pool *pgxpool.Pool) int {
	t.Helper()
	var n int
	if err := pool.QueryRow(context.Background(), `SELECT count(*) FROM eventstore.events`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// rebuildInPlace replays the whole log into proj's serving tables, emptied first.
func (p *platform) rebuildInPlace(t *testing.T, proj projector.Projection) (projector.RebuildResult, error) {
	t.Helper()
	store, registry := openLog(t, p.pool)
	return projector.Rebuild(context.Background(), store, registry, proj, nil)
}

// openLog is the event log through pool, closed when the test ends, and the registry
// of the events the gateway reads.
func openLog(t *testing.T, pool *pgxpool.Pool) (*eventstore.Store, *events.Registry) {
	t.Helper()
	store, err := eventstore.NewStore(eventstore.Config{Pool: pool})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(store.Close)
	registry, err := gateway.Registry()
	if err != nil {
		t.Fatal(err)
	}
	return store, registry
}

func (p *platform) mustDo(t *testing.T, token, query string, vars map[string]any) gqlResponse {
	t.Helper()
	r := p.gql(t, token, query, vars)
	if len(r.Errors) > 0 {
		t.Fatalf("%s: %s", query, r.raw)
	}
	return r
}

var lifecycleMutations = map[string]string{
	"verify":    `mutation($id: ID!) { verifyAssociation(id: $id) { association { status } } }`,
	"reject":    `mutation($id: ID!) { rejectAssociation(id: $id, reason: "a double registration") { association { status } } }`,
	"suspend":   `mutation($id: ID!) { suspendAssociation(id: $id, reason: "inactive for two years") { association { status } } }`,
	"reinstate": `mutation($id: ID!) { reinstateAssociation(id: $id) { association { status } } }`,
	"dissolve":  `mutation($id: ID!) { dissolveAssociation(id: $id, reason: "merged") { association { status } } }`,
	"forget":    `mutation($id: ID!) { forgetAssociationContact(id: $id) { association { status } } }`,
	"update":    `mutation($id: ID!) { updateAssociationProfile(id: $id, input: {acronym: "NEW"}) { changedFields } }`,
}

func TestEveryRoleAgainstEveryMutation(t *testing.T) {
	t.Parallel()
	p := start(t, db.Fresh(t), false)
	a := p.actors(t)
	other := p.register(t, "Some Other Association", "paris", "FR")

	// statusFor brings a new Geneva association to the status the mutation needs, so
	// that only the caller decides whether it is allowed.
	statusFor := map[string][]string{"suspend": {"verify"}, "reinstate": {"verify", "suspend"}}
	allowed := map[string][]string{ // mutation → roles that may send it
		"verify": {"geneva coordinator", "admin"}, "reject": {"geneva coordinator", "admin"},
		"suspend": {"geneva coordinator", "admin"}, "reinstate": {"geneva coordinator", "admin"},
		"dissolve": {"itself", "admin"}, "forget": {"itself", "admin"}, "update": {"itself", "admin"},
	}
	roles := []struct {
		name    string
		token   func(id string) string
		refusal string
	}{
		{"anonymous", func(string) string { return "" }, "UNAUTHENTICATED"},
		{"itself", func(id string) string {
			return p.token(t, events.Actor{Role: events.RoleAssociation, AssociationID: localID(t, id)})
		}, "FORBIDDEN"},
		{"another association", func(string) string {
			return p.token(t, events.Actor{Role: events.RoleAssociation, AssociationID: localID(t, other.Association.ID)})
		}, "FORBIDDEN"},
		{"geneva coordinator", func(string) string { return a.geneva }, "FORBIDDEN"},
		{"london coordinator", func(string) string { return a.london }, "FORBIDDEN"},
		{"admin", func(string) string { return a.admin }, "FORBIDDEN"},
	}
	n := 0
	for mutation, query := range lifecycleMutations {
		for _, role := range roles {
			t.Run(mutation+" by "+role.name, func(t *testing.T) {
				n++
				target := p.registerWith(t, map[string]any{"name": fmt.Sprintf("Geneva Association %d", n), "city": "geneva",
					"originCountries": []string{"CH"}, "contact": map[string]any{"name": "Awa Diop", "email": "awa@example.org"}})
				for _, step := range statusFor[mutation] {
					p.mustDo(t, a.admin, lifecycleMutations[step], map[string]any{"id": target.Association.ID})
				}
				before := p.events(t)
				r := p.gql(t, role.token(target.Association.ID), query, map[string]any{"id": target.Association.ID})
				mayDo := false
				for _, who := range allowed[mutation] {
					mayDo = mayDo || who == role.name
				}
				if mayDo {
					if len(r.Errors) > 0 || p.events(t) != before+1 {
						t.Fatalf("allowed, but: %s (events %d → %d)", r.raw, before, p.events(t))
					}
					return
				}
				if r.code() != role.refusal {
					t.Fatalf("got %q, want %s: %s", r.code(), role.refusal, r.raw)
				}
				if got := p.events(t); got != before {
					t.Fatalf("a refused mutation wrote %d events", got-before)
				}
			})
		}
	}
	// Registering needs no account: every role may.
	for _, role := range roles {
		r := p.gql(t, role.token(other.Association.ID), fullRegistration, map[string]any{"input": map[string]any{
			"name": "Registered by " + role.name, "city": "london", "originCountries": []string{"GB"}}})
		if len(r.Errors) > 0 {
			t.Errorf("registering as %s: %s", role.name, r.raw)
		}
	}
}

func localID(t *testing.T, global string) string {
	t.Helper()
	b, err := base64RawURL(global)
	if err != nil {
		t.Fatal(err)
	}
	_, local, ok := strings.Cut(string(b), ":")
	if !ok {
		t.Fatalf("%s is not a global id", global)
	}
	return local
}

func TestGenevaCoordinatorCannotVerifyALondonAssociation(t *testing.T) {
	t.Parallel()
	p := start(t, db.Fresh(t), false)
	a := p.actors(t)
	london := p.register(t, "Nigerian Doctors in London", "london", "NG")
	before := p.events(t)
	r := p.gql(t, a.geneva, lifecycleMutations["verify"], map[string]any{"id": london.Association.ID})
	if r.code() != "FORBIDDEN" || p.events(t) != before {
		t.Fatalf("got %s with %d new events", r.raw, p.events(t)-before)
	}
	p.mustDo(t, a.london, lifecycleMutations["verify"], map[string]any{"id": london.Association.ID})
}

const contactQuery = `query($id: ID!) {
  association(id: $id) { name contact { name email phone erased } statusReason }
  associations(filter: {status: PENDING}) { edges { node { name contact { name email phone erased } } } }
}`

func TestContactDataReachesOnlyThoseWhoMaySeeIt(t *testing.T) {
	t.Parallel()
	p := start(t, db.Fresh(t), false)
	a := p.actors(t)
	reg := p.registerWith(t, map[string]any{"name": "Eritrean Women in Geneva", "city": "geneva", "originCountries": []string{"ER"},
		"contact": map[string]any{"name": "Senait Tesfay", "email": "senait.tesfay@example.org", "phone": "+41 22 555 77 88"}})
	p.mustDo(t, a.admin, lifecycleMutations["verify"], map[string]any{"id": reg.Association.ID})
	secrets := []string{"Senait", "Tesfay", "senait.tesfay", "example.org", "555"}

	self := p.token(t, events.Actor{Role: events.RoleAssociation, AssociationID: localID(t, reg.Association.ID)})
	stranger := p.token(t, events.Actor{Role: events.RoleAssociation, AssociationID: "0190b2f4-0000-7000-8000-00000000abcd"})
	for name, c := range map[string]struct {
		token string
		sees  bool
	}{"anonymous": {"", false}, "another association": {stranger, false}, "london coordinator": {a.london, false},
		"itself": {self, true}, "geneva coordinator": {a.geneva, true}, "admin": {a.admin, true}} {
		r := p.gql(t, c.token, contactQuery, map[string]any{"id": reg.Association.ID})
		if len(r.Errors) > 0 {
			t.Fatalf("%s: %s", name, r.raw)
		}
		raw := string(r.raw)
		for _, s := range secrets {
			if strings.Contains(raw, s) != c.sees {
				t.Errorf("%s: the response %s %q: %s", name, map[bool]string{true: "lacks", false: "contains"}[c.sees], s, raw)
			}
		}
		if c.sees && !strings.Contains(raw, "+41225557788") {
			t.Errorf("%s: no phone in %s", name, raw)
		}
	}
	// Nor do refusals or validation errors repeat it.
	r := p.gql(t, "", fullRegistration, map[string]any{"input": map[string]any{"name": "Another One", "city": "geneva",
		"originCountries": []string{"ER"}, "contact": map[string]any{"name": "Senait Tesfay", "email": "senait.tesfay-at-example"}}})
	if r.code() != "BAD_USER_INPUT" || strings.Contains(string(r.raw), "senait") {
		t.Fatalf("bad email: %s", r.raw)
	}
}

func TestForgottenContactStaysErasedThroughARebuild(t *testing.T) {
	t.Parallel()
	dbURL := db.Fresh(t)
	p := start(t, dbURL, false)
	a := p.actors(t)
	reg := p.registerWith(t, map[string]any{"name": "Moroccan Engineers Brussels", "city": "brussels", "originCountries": []string{"MA"},
		"contact": map[string]any{"name": "Youssef Amrani", "email": "youssef@example.org"}})
	self := p.token(t, events.Actor{Role: events.RoleAssociation, AssociationID: localID(t, reg.Association.ID)})
	contact := func() string {
		r := p.mustDo(t, a.admin, `query($id: ID!) { association(id: $id) { contact { name email erased } } }`, map[string]any{"id": reg.Association.ID})
		return string(r.Data["association"])
	}
	if got := contact(); !strings.Contains(got, "Youssef Amrani") {
		t.Fatalf("before forgetting: %s", got)
	}
	p.mustDo(t, self, lifecycleMutations["forget"], map[string]any{"id": reg.Association.ID})
	erased := `{"contact":{"name":null,"email":null,"erased":true}}`
	if got := contact(); got != erased {
		t.Fatalf("after forgetting: %s", got)
	}

	// Rebuild the read model from the first event: the sealed contact is still in the
	// log, but nothing can open it any more.
	res, err := p.rebuildInPlace(t, projection.Associations{})
	if err != nil || res.Events < 2 || res.Skipped != 0 {
		t.Fatalf("rebuild: %+v, %v", res, err)
	}
	var sealed int
	if err := p.pool.QueryRow(context.Background(), `SELECT count(*) FROM eventstore.events WHERE data #> '{profile,contact,ciphertext}' IS NOT NULL`).Scan(&sealed); err != nil || sealed != 1 {
		t.Fatalf("the sealed contact should still be in the log: %d (%v)", sealed, err)
	}
	if got := contact(); got != erased {
		t.Fatalf("after a rebuild from zero: %s", got)
	}
	// The same through the operators' rebuild, into fresh tables swapped in.
	if _, err := p.gateway.Rebuild(context.Background(), projection.Associations{}); err != nil {
		t.Fatal(err)
	}
	if got := contact(); got != erased {
		t.Fatalf("after a rebuild into fresh tables: %s", got)
	}
	// Even if the read model had kept the sealed copy, the directory could not open it.
	if _, err := p.pool.Exec(context.Background(), `UPDATE graph.associations SET contact_ciphertext =
		(SELECT decode(data #>> '{profile,contact,ciphertext}', 'base64') FROM eventstore.events WHERE data #> '{profile,contact}' IS NOT NULL)`); err != nil {
		t.Fatal(err)
	}
	if got := contact(); got != erased {
		t.Fatalf("with the old sealed copy put back: %s", got)
	}
}

func TestSearchIgnoresAccentsBothWays(t *testing.T) {
	t.Parallel()
	p := start(t, db.Fresh(t), false)
	a := p.actors(t)
	accented := p.registerWith(t, map[string]any{"name": "Association des Sénégalais de Genève", "city": "geneva", "originCountries": []string{"SN"}})
	plain := p.registerWith(t, map[string]any{"name": "Union des Senegalais de Paris", "city": "paris", "originCountries": []string{"SN"},
		"description": map[string]any{"fr": "Transferts d'argent par la poste vers Dakar.", "en": "Remittances through postal networks to Dakar."}})
	nurses := p.registerWith(t, map[string]any{"name": "Ghana Health Diaspora", "acronym": "GHD", "city": "london", "originCountries": []string{"GH"},
		"description": map[string]any{"en": "Ghanaian nurses and doctors in British hospitals."}})
	for _, id := range []string{accented.Association.ID, plain.Association.ID, nurses.Association.ID} {
		p.mustDo(t, a.admin, lifecycleMutations["verify"], map[string]any{"id": id})
	}
	cases := []struct {
		search string
		want   []string
	}{
		{"senegalais", []string{accented.Association.ID, plain.Association.ID}},
		{"SÉNÉGALAIS", []string{accented.Association.ID, plain.Association.ID}},
		{"geneve", []string{accented.Association.ID}},
		{"Genève", []string{accented.Association.ID}},
		{"sénéga", []string{accented.Association.ID, plain.Association.ID}},
		{"remittance", []string{plain.Association.ID}},
		{"transfert poste", []string{plain.Association.ID}},
		{"hospital", []string{nurses.Association.ID}},
		{"ghd", []string{nurses.Association.ID}},
		{"'); DROP TABLE graph.associations; --", nil},
		{"lagos", nil},
	}
	for _, c := range cases {
		t.Run(c.search, func(t *testing.T) {
			got := decode[connection](t, p.gql(t, "", listQuery, map[string]any{"filter": map[string]any{"search": c.search}}), "associations")
			var ids []string
			for _, e := range got.Edges {
				ids = append(ids, e.Node.ID)
			}
			if strings.Join(ids, ",") != strings.Join(c.want, ",") || got.TotalCount != len(c.want) {
				t.Fatalf("found %v (total %d), want %v", ids, got.TotalCount, c.want)
			}
		})
	}
}

func TestConcurrentRegistrationsOfOneNameThroughGraphQL(t *testing.T) {
	t.Parallel()
	const clients = 20
	p := start(t, db.Fresh(t), false)
	var (
		wg            sync.WaitGroup
		start         = make(chan struct{})
		mu            sync.Mutex
		ok, conflicts int
		others        []string
	)
	for i := 0; i < clients; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			body, _ := json.Marshal(map[string]any{"query": fullRegistration, "variables": map[string]any{"input": map[string]any{
				"name": "Diaspora Investors Cooperative", "city": "brussels", "originCountries": []string{"CD"}}}})
			r := p.post(t, "", body)
			mu.Lock()
			defer mu.Unlock()
			switch {
			case len(r.Errors) == 0:
				ok++
			case r.code() == "CONFLICT":
				conflicts++
			default:
				others = append(others, string(r.raw))
			}
		}()
	}
	close(start)
	wg.Wait()
	if ok != 1 || conflicts != clients-1 || len(others) > 0 {
		t.Fatalf("%d registered, %d conflicts, others: %v", ok, conflicts, others)
	}
	if n := p.events(t); n != 1 {
		t.Fatalf("%d events", n)
	}
}

// An anonymous retry must not hand the association's key to whoever repeats the
// request: anonymous keys are random, a retry within the replay window gets a fresh key
// that ends the first one, and a later one none.
// Copies of one registration racing each other (a client retrying over a bad
// connection) make one association, every copy gets a key (they queue on the
// association's lock), and exactly one of those keys works afterwards: the newest. No
// key handed out by a retry outlives a later one.
func TestRacingRetriesOfARegistrationLeaveOneWorkingKey(t *testing.T) {
	t.Parallel()
	const copies = 8
	p := start(t, db.Fresh(t), false)
	body, _ := json.Marshal(map[string]any{"query": fullRegistration, "variables": map[string]any{"key": uuid.NewString(),
		"input": map[string]any{"name": "Nigerian Nurses of London", "city": "london", "originCountries": []string{"NG"}}}})
	var (
		wg     sync.WaitGroup
		begin  = make(chan struct{})
		mu     sync.Mutex
		tokens []string
		ids    = map[string]bool{}
		errs   []string
	)
	for range copies {
		wg.Go(func() {
			<-begin
			r := p.post(t, "", body)
			mu.Lock()
			defer mu.Unlock()
			if len(r.Errors) > 0 {
				errs = append(errs, string(r.raw))
				return
			}
			reg := decode[registered](t, r, "registerAssociation")
			ids[reg.Association.ID] = true
			tokens = append(tokens, reg.Token)
		})
	}
	close(begin)
	wg.Wait()
	if len(errs) > 0 || len(ids) != 1 || len(tokens) != copies {
		t.Fatalf("%d associations, %d keys, errors %v", len(ids), len(tokens), errs)
	}
	working := 0
	for _, token := range tokens {
		if r := p.gql(t, token, `{ viewer { role } }`, nil); len(r.Errors) == 0 {
			working++
		} else if r.reason() != "KEY_RENEWED" {
			t.Fatalf("a retry's key: %s", r.raw)
		}
	}
	if working != 1 {
		t.Fatalf("%d of %d keys work, want the newest only", working, len(tokens))
	}
	if n := p.events(t); n != len(tokens) {
		t.Fatalf("%d events, want one registration and %d new keys", n, len(tokens)-1)
	}
}

func TestIdempotencyKeysThroughGraphQL(t *testing.T) {
	t.Parallel()
	p := start(t, db.Fresh(t), false)
	me := `{ viewer { role } }`
	input := map[string]any{"name": "Ivorian Cocoa Cooperative", "city": "paris", "originCountries": []string{"CI"}}
	for _, guessable := range []string{"key-12345678", "bad-connection-7f3a9", "0123456789abcdef0123456789abcdef", "short"} {
		if r := p.gql(t, "", fullRegistration, map[string]any{"key": guessable, "input": input}); r.code() != "BAD_USER_INPUT" || p.events(t) != 0 {
			t.Fatalf("the guessable key %q: %s", guessable, r.raw)
		}
	}
	vars := map[string]any{"key": uuid.NewString(), "input": input}
	first := decode[registered](t, p.gql(t, "", fullRegistration, vars), "registerAssociation")
	again := decode[registered](t, p.gql(t, "", fullRegistration, vars), "registerAssociation")
	if again.Association.ID != first.Association.ID || again.Position != first.Position || again.Token == "" || again.Token == first.Token {
		t.Fatalf("retry gave %+v after %+v", again, first)
	}
	// The retry's key works; the first one (which its sender may never have received, or
	// which leaked) no longer does.
	if r := p.gql(t, first.Token, me, nil); r.code() != "UNAUTHENTICATED" || r.reason() != "KEY_RENEWED" {
		t.Fatalf("the first key after a retry: %s", r.raw)
	}
	if v := decode[struct{ Role string }](t, p.gql(t, again.Token, me, nil), "viewer"); v.Role != "ASSOCIATION" {
		t.Fatalf("the retry's key: %+v", v)
	}
	if n := p.events(t); n != 2 {
		t.Fatalf("%d events for a registration and its retry, want the registration and a new key", n)
	}
	other := map[string]any{"key": vars["key"], "input": map[string]any{"name": "Something Else", "city": "paris", "originCountries": []string{"CI"}}}
	if r := p.gql(t, "", fullRegistration, other); r.code() != "CONFLICT" || p.events(t) != 2 {
		t.Fatalf("the key with another request: %s", r.raw)
	}
	// After the replay window: the association, no key, and what to do instead.
	if _, err := p.pool.Exec(context.Background(), `UPDATE directory.idempotency_keys SET created_at = created_at - interval '25 hours'
		WHERE key = $1`, vars["key"]); err != nil {
		t.Fatal(err)
	}
	late := decode[struct {
		Association struct{ ID string }
		Token       *string
		KeyWithheld *struct{ Reason, Message string }
	}](t, p.mustDo(t, "", `mutation($input: RegisterAssociationInput!, $key: String) {
	  registerAssociation(input: $input, idempotencyKey: $key) { association { id } token keyWithheld { reason message } }
	}`, vars), "registerAssociation")
	if late.Token != nil || late.KeyWithheld == nil || late.KeyWithheld.Reason != "REPLAY_WINDOW_PASSED" ||
		!strings.Contains(late.KeyWithheld.Message, "admin") || late.Association.ID != first.Association.ID || p.events(t) != 2 {
		t.Fatalf("a late retry: %+v", late)
	}
	if v := decode[struct{ Role string }](t, p.gql(t, again.Token, me, nil), "viewer"); v.Role != "ASSOCIATION" {
		t.Fatalf("the retry's key after a late retry: %+v", v)
	}
}

func TestProfileUpdatesReportTheChangedFields(t *testing.T) {
	t.Parallel()
	p := start(t, db.Fresh(t), false)
	reg := p.registerWith(t, map[string]any{"name": "Cape Verdean Credit Union", "acronym": "CVCU", "city": "washington",
		"originCountries": []string{"CV"}, "memberCount": 300, "website": "cvcu.org"})
	self := p.token(t, events.Actor{Role: events.RoleAssociation, AssociationID: localID(t, reg.Association.ID)})
	update := `mutation($id: ID!, $in: UpdateAssociationProfileInput!) {
	  updateAssociationProfile(id: $id, input: $in) { changedFields position association { acronym memberCount website sectors languages } }
	}`
	type payload struct {
		ChangedFields []string `json:"changedFields"`
		Position      *string  `json:"position"`
		Association   struct {
			Acronym     *string  `json:"acronym"`
			MemberCount *int     `json:"memberCount"`
			Website     *string  `json:"website"`
			Sectors     []string `json:"sectors"`
			Languages   []string `json:"languages"`
		} `json:"association"`
	}
	got := decode[payload](t, p.gql(t, self, update, map[string]any{"id": reg.Association.ID, "in": map[string]any{
		"memberCount": nil, "sectors": []string{"REMITTANCES", "INVESTMENT"}, "languages": []string{"pt-CV", "en"}, "acronym": "CVCU"}}), "updateAssociationProfile")
	if strings.Join(got.ChangedFields, ",") != "sectors,languages,memberCount" || got.Position == nil ||
		got.Association.MemberCount != nil || *got.Association.Acronym != "CVCU" || *got.Association.Website != "https://cvcu.org" {
		t.Fatalf("update: %+v", got)
	}
	before := p.events(t)
	same := decode[payload](t, p.gql(t, self, update, map[string]any{"id": reg.Association.ID, "in": map[string]any{"acronym": "CVCU"}}), "updateAssociationProfile")
	if len(same.ChangedFields) != 0 || same.Position != nil || p.events(t) != before {
		t.Fatalf("a no-op update: %+v, %d new events", same, p.events(t)-before)
	}
	// A retry answers with the first result, even after a later update: the fields it
	// changed and the association as it left it.
	keyed := `mutation($id: ID!, $in: UpdateAssociationProfileInput!, $key: String) {
	  updateAssociationProfile(id: $id, input: $in, idempotencyKey: $key) { changedFields position association { acronym memberCount website sectors languages } }
	}`
	firstVars := map[string]any{"id": reg.Association.ID, "key": "update-acronym-7d1e2f", "in": map[string]any{"acronym": "CVC"}}
	firstTry := decode[payload](t, p.gql(t, self, keyed, firstVars), "updateAssociationProfile")
	p.gql(t, self, update, map[string]any{"id": reg.Association.ID, "in": map[string]any{"acronym": "CV-CU", "memberCount": 320}})
	retry := decode[payload](t, p.gql(t, self, keyed, firstVars), "updateAssociationProfile")
	if *retry.Association.Acronym != "CVC" || retry.Association.MemberCount != nil || strings.Join(retry.ChangedFields, ",") != "acronym" ||
		*retry.Position != *firstTry.Position {
		t.Fatalf("a retry after a later update answered %+v (first %+v)", retry, firstTry)
	}
	before = p.events(t)
	bad := p.gql(t, self, update, map[string]any{"id": reg.Association.ID, "in": map[string]any{"website": "ftp://cvcu.org"}})
	if bad.code() != "BAD_USER_INPUT" || bad.Errors[0].Extensions["field"] != "website" || p.events(t) != before {
		t.Fatalf("a bad website: %s", bad.raw)
	}
}

func TestCoordinatorsSeePossibleDuplicates(t *testing.T) {
	t.Parallel()
	p := start(t, db.Fresh(t), false)
	a := p.actors(t)
	original := p.registerWith(t, map[string]any{"name": "Ghana Nurses Network", "city": "geneva", "originCountries": []string{"GH"}, "website": "www.ghana-nurses.ch"})
	p.registerWith(t, map[string]any{"name": "Ghana Nurses Network", "city": "london", "originCountries": []string{"GH"}})
	p.registerWith(t, map[string]any{"name": "Swiss Alpine Club", "city": "geneva", "originCountries": []string{"CH"}})
	twin := p.registerWith(t, map[string]any{"name": "Ghanaian Nurses' Network", "city": "geneva", "originCountries": []string{"GH"}})
	sameSite := p.registerWith(t, map[string]any{"name": "GNN Switzerland", "city": "paris", "originCountries": []string{"GH"}, "website": "https://ghana-nurses.ch/"})

	q := `query($id: ID!) { association(id: $id) { possibleDuplicates { id name } } }`
	type dupes struct {
		PossibleDuplicates []struct{ ID, Name string } `json:"possibleDuplicates"`
	}
	got := decode[dupes](t, p.gql(t, a.geneva, q, map[string]any{"id": twin.Association.ID}), "association")
	if len(got.PossibleDuplicates) != 1 || got.PossibleDuplicates[0].ID != original.Association.ID {
		t.Fatalf("duplicates of the twin: %+v", got)
	}
	got = decode[dupes](t, p.gql(t, a.admin, q, map[string]any{"id": original.Association.ID}), "association")
	if len(got.PossibleDuplicates) != 2 || got.PossibleDuplicates[0].ID != sameSite.Association.ID {
		t.Fatalf("duplicates of the original (same website first): %+v", got)
	}
	if r := p.gql(t, a.london, q, map[string]any{"id": twin.Association.ID}); r.code() != "FORBIDDEN" {
		t.Fatalf("a London coordinator: %s", r.raw)
	}
	// Reject the double registration, pointing to the original.
	r := p.mustDo(t, a.geneva, `mutation($id: ID!, $why: String!) { rejectAssociation(id: $id, reason: $why) { association { status statusReason } } }`,
		map[string]any{"id": twin.Association.ID, "why": "Already registered as " + original.Association.ID})
	if !strings.Contains(string(r.raw), `"status":"REJECTED","statusReason":"Already registered as `+original.Association.ID) {
		t.Fatalf("rejection: %s", r.raw)
	}
}

func TestFiltersAndOrdering(t *testing.T) {
	t.Parallel()
	p := start(t, db.Fresh(t), false)
	a := p.actors(t)
	specs := []map[string]any{
		{"name": "Zambian Traders", "city": "london", "originCountries": []string{"ZM"}, "kind": "BUSINESS", "sectors": []string{"TRADE"}, "languages": []string{"en"}},
		{"name": "Amicale des Maliens", "city": "paris", "originCountries": []string{"ML"}, "sectors": []string{"CULTURE", "INTEGRATION"}, "languages": []string{"fr", "bm"}},
		{"name": "Église Évangélique Congolaise", "city": "brussels", "originCountries": []string{"CD"}, "kind": "FAITH_COMMUNITY", "languages": []string{"fr", "ln"}, "countryOfResidence": "FR"},
		{"name": "Bolivian Researchers", "city": "geneva", "originCountries": []string{"BO"}, "kind": "UNIVERSITY", "sectors": []string{"RESEARCH"}, "languages": []string{"es"}},
	}
	ids := map[string]string{}
	for _, s := range specs {
		reg := p.registerWith(t, s)
		ids[s["name"].(string)] = reg.Association.ID
		p.mustDo(t, a.admin, lifecycleMutations["verify"], map[string]any{"id": reg.Association.ID})
	}
	names := func(filter, order map[string]any, first int) []string {
		t.Helper()
		var out []string
		var after any
		for {
			c := decode[connection](t, p.gql(t, "", listQuery, map[string]any{"filter": filter, "first": first, "after": after, "orderBy": order}), "associations")
			for _, e := range c.Edges {
				out = append(out, e.Node.Name)
			}
			if !c.PageInfo.HasNextPage {
				return out
			}
			after = *c.PageInfo.EndCursor
		}
	}
	byName := map[string]any{"field": "NAME"}
	cases := []struct {
		name          string
		filter, order map[string]any
		want          string
	}{
		{"by name, accents ignored", nil, byName, "Amicale des Maliens,Bolivian Researchers,Église Évangélique Congolaise,Zambian Traders"},
		{"by name, descending", nil, map[string]any{"field": "NAME", "direction": "DESC"}, "Zambian Traders,Église Évangélique Congolaise,Bolivian Researchers,Amicale des Maliens"},
		{"by registration", nil, nil, "Zambian Traders,Amicale des Maliens,Église Évangélique Congolaise,Bolivian Researchers"},
		{"sector", map[string]any{"sector": "RESEARCH"}, byName, "Bolivian Researchers"},
		{"kind", map[string]any{"kind": "FAITH_COMMUNITY"}, byName, "Église Évangélique Congolaise"},
		{"language", map[string]any{"language": "FR"}, byName, "Amicale des Maliens,Église Évangélique Congolaise"},
		{"residence", map[string]any{"countryOfResidence": "fr"}, byName, "Amicale des Maliens,Église Évangélique Congolaise"},
		{"origin and city", map[string]any{"originCountry": "ML", "city": "paris"}, byName, "Amicale des Maliens"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			for _, first := range []int{1, 3, 100} {
				if got := strings.Join(names(c.filter, c.order, first), ","); got != c.want {
					t.Fatalf("pages of %d: %s\nwant %s", first, got, c.want)
				}
			}
		})
	}
	// A cursor from one ordering is refused in another.
	c := decode[connection](t, p.gql(t, "", listQuery, map[string]any{"first": 1, "orderBy": byName}), "associations")
	if r := p.gql(t, "", listQuery, map[string]any{"first": 1, "after": *c.PageInfo.EndCursor}); r.code() != "BAD_USER_INPUT" {
		t.Fatalf("a name cursor with the registration order: %s", r.raw)
	}
	// The public does not see suspended associations; coordinators do.
	p.mustDo(t, a.admin, lifecycleMutations["suspend"], map[string]any{"id": ids["Zambian Traders"]})
	if got := strings.Join(names(map[string]any{"city": "london"}, nil, 10), ","); got != "" {
		t.Fatalf("the public sees a suspended association: %s", got)
	}
	r := decode[connection](t, p.gql(t, a.london, listQuery, map[string]any{"filter": map[string]any{"status": "SUSPENDED"}}), "associations")
	if r.TotalCount != 1 || r.Edges[0].Node.Status != "SUSPENDED" {
		t.Fatalf("a coordinator filtering suspended associations: %+v", r)
	}
}

func base64RawURL(s string) ([]byte, error) { return base64.RawURLEncoding.DecodeString(s) }

// TestAnAssociationRegistersInACityAnAdminOpened: the directory learns the cities from
// the sessions service's events — one source of truth — so a city opened a moment ago
// takes registrations (its country the default residence) and filters the directory.
func TestAnAssociationRegistersInACityAnAdminOpened(t *testing.T) {
	t.Parallel()
	p := start(t, db.Fresh(t), true)
	a := p.actors(t)
	if r := p.gql(t, "", fullRegistration, map[string]any{"input": map[string]any{"name": "Cabo Verde em Lisboa", "city": "lisbon", "originCountries": []string{"CV"}}}); r.code() != "BAD_USER_INPUT" {
		t.Fatalf("a city not yet open: %s", r.raw)
	}
	p.mustDo(t, a.admin, `mutation { openCity(input: {slug: "lisbon", name: "Lisbon", timeZone: "Europe/Lisbon", country: "PT"}) { city { slug } } }`, nil)
	reg := decode[registered](t, p.mustDo(t, "", fullRegistration, map[string]any{"input": map[string]any{"name": "Cabo Verde em Lisboa", "city": "lisbon", "originCountries": []string{"CV"}}}), "registerAssociation")
	got := decode[struct {
		City               struct{ Slug string }
		CountryOfResidence string
	}](t, p.gql(t, a.admin, `query($id: ID!) { association(id: $id) { city { slug } countryOfResidence } }`, map[string]any{"id": reg.Association.ID}), "association")
	if got.City.Slug != "lisbon" || got.CountryOfResidence != "PT" {
		t.Fatalf("registered %+v", got)
	}
	p.mustDo(t, a.admin, `mutation($id: ID!) { verifyAssociation(id: $id) { association { status } } }`, map[string]any{"id": reg.Association.ID})
	list := decode[struct {
		Edges []struct{ Node struct{ Name string } }
	}](t,
		p.gql(t, "", `{ associations(filter: {city: "lisbon"}) { edges { node { name } } } }`, nil), "associations")
	if len(list.Edges) != 1 || list.Edges[0].Node.Name != "Cabo Verde em Lisboa" {
		t.Fatalf("the directory filtered by Lisbon: %+v", list)
	}
	if r := p.gql(t, "", `{ associations(filter: {city: "atlantis"}) { edges { node { name } } } }`, nil); r.code() != "BAD_USER_INPUT" {
		t.Fatalf("a filter by a city never opened: %s", r.raw)
	}
}

// TestARenewedKeyEndsTheOldOne: the association renews its key; the old token is refused
// at once, the new one works; a retry of the renewal hands out no key; an admin renews a
// lost key; nobody else may.
func TestARenewedKeyEndsTheOldOne(t *testing.T) {
	t.Parallel()
	p := start(t, db.Fresh(t), true)
	a := p.actors(t)
	id, old := p.verifiedAssociation(t, a.admin, "Senegalese Doctors Abroad", "paris")
	renew := `mutation($id: ID!, $key: String) { renewAssociationKey(id: $id, idempotencyKey: $key) { token association { id } } }`
	me := `{ viewer { role association { id } } }`
	paris := p.coordinator(t, "paris")
	other := p.register(t, "Malian Engineers", "paris", "ML").Token
	for _, who := range []struct{ name, token string }{{"anonymous", ""}, {"a coordinator of its city", paris}, {"another association", other}} {
		written := p.events(t)
		if r := p.gql(t, who.token, renew, map[string]any{"id": id}); r.code() == "" || p.events(t) != written {
			t.Fatalf("%s renewed the key: %s", who.name, r.raw)
		}
	}
	got := decode[struct{ Token *string }](t, p.mustDo(t, old, renew, map[string]any{"id": id, "key": "renew-0123456789abcdef"}), "renewAssociationKey")
	if got.Token == nil || *got.Token == old {
		t.Fatalf("renewed: %+v", got)
	}
	if r := p.gql(t, old, me, nil); r.code() != "UNAUTHENTICATED" {
		t.Fatalf("the old key still works: %s", r.raw)
	}
	if v := decode[struct{ Role string }](t, p.gql(t, *got.Token, me, nil), "viewer"); v.Role != "ASSOCIATION" {
		t.Fatalf("the new key: %+v", v)
	}
	// Repeating the renewal with the old key gets nothing: that key no longer opens anything.
	written := p.events(t)
	if r := p.gql(t, old, renew, map[string]any{"id": id, "key": "renew-0123456789abcdef"}); r.code() != "UNAUTHENTICATED" || p.events(t) != written {
		t.Fatalf("a repeat with the old key: %s", r.raw)
	}
	// Lost: an admin renews it; the association's current key ends too.
	lost := decode[struct{ Token *string }](t, p.mustDo(t, a.admin, renew, map[string]any{"id": id, "key": "admin-renew-0123456789"}), "renewAssociationKey")
	if r := p.gql(t, *got.Token, me, nil); r.code() != "UNAUTHENTICATED" || lost.Token == nil {
		t.Fatalf("after an admin's renewal: %s", r.raw)
	}
	// The admin's retry (the answer was lost) gets a fresher key, which ends the one of
	// the first answer.
	again := decode[struct{ Token *string }](t, p.mustDo(t, a.admin, renew, map[string]any{"id": id, "key": "admin-renew-0123456789"}), "renewAssociationKey")
	if again.Token == nil || *again.Token == *lost.Token {
		t.Fatalf("a retry of the renewal: %+v", again)
	}
	if r := p.gql(t, *lost.Token, me, nil); r.code() != "UNAUTHENTICATED" {
		t.Fatalf("the first answer's key after a retry: %s", r.raw)
	}
	if v := decode[struct{ Role string }](t, p.gql(t, *again.Token, me, nil), "viewer"); v.Role != "ASSOCIATION" {
		t.Fatalf("the admin's new key: %+v", v)
	}
	// After the replay window, a retry carries no key and renews nothing.
	if _, err := p.pool.Exec(context.Background(), `UPDATE directory.idempotency_keys SET created_at = created_at - interval '25 hours'
		WHERE key = 'admin-renew-0123456789'`); err != nil {
		t.Fatal(err)
	}
	written = p.events(t)
	late := decode[struct {
		Token       *string
		KeyWithheld *struct{ Reason string }
	}](t, p.mustDo(t, a.admin, `mutation($id: ID!, $key: String) { renewAssociationKey(id: $id, idempotencyKey: $key) { token keyWithheld { reason } } }`,
		map[string]any{"id": id, "key": "admin-renew-0123456789"}), "renewAssociationKey")
	if late.Token != nil || late.KeyWithheld == nil || late.KeyWithheld.Reason != "REPLAY_WINDOW_PASSED" || p.events(t) != written {
		t.Fatalf("a late retry of the renewal: %+v", late)
	}
}
