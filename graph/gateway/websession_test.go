package gateway_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"passerelle.dev/events"
	"passerelle.dev/graph/server"
)

// browser is a page of the gateway's own site in a browser: it sends the session
// cookie it was given, with the origin and Sec-Fetch-Site a browser sends.
type browser struct {
	p      *platform
	cookie *http.Cookie
	origin string
	site   string
}

func (p *platform) browser() *browser { return &browser{p: p, origin: p.url, site: "same-origin"} }

func (b *browser) request(t *testing.T, method, path, contentType string, body []byte) *http.Response {
	t.Helper()
	req, err := http.NewRequest(method, b.p.url+path, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if b.origin != "" {
		req.Header.Set("Origin", b.origin)
	}
	if b.site != "" {
		req.Header.Set("Sec-Fetch-Site", b.site)
	}
	if b.cookie != nil {
		req.AddCookie(b.cookie)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range resp.Cookies() {
		if c.Name == server.SessionCookie {
			if c.MaxAge < 0 {
				b.cookie = nil
			} else {
				b.cookie = c
			}
		}
	}
	return resp
}

// signIn exchanges a token for a session; it returns the status and the answer.
func (b *browser) signIn(t *testing.T, token string) (int, map[string]any) {
	t.Helper()
	body, _ := json.Marshal(map[string]string{"token": token})
	resp := b.request(t, http.MethodPost, server.SessionRoute, "application/json", body)
	defer resp.Body.Close()
	var out map[string]any
	raw, _ := io.ReadAll(resp.Body)
	_ = json.Unmarshal(raw, &out)
	return resp.StatusCode, out
}

func (b *browser) gql(t *testing.T, query string, vars map[string]any) gqlResponse {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	resp := b.request(t, http.MethodPost, "/graphql", "application/json", body)
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	out := gqlResponse{status: resp.StatusCode, raw: raw}
	if err := json.Unmarshal(raw, &out); err != nil {
		t.Fatalf("not JSON (%d): %s", resp.StatusCode, raw)
	}
	return out
}

const viewerQuery = `{ viewer { role city { slug } association { id status } } }`

type viewerView struct {
	Role        string
	City        *struct{ Slug string }
	Association *struct{ ID, Status string }
}

func TestABrowserKeepsSignedInWithASessionCookieOnlyFromItsOwnSite(t *testing.T) {
	t.Parallel()
	p := start(t, db.URL, false)
	reg := p.register(t, "Diaspora Health Network of Geneva", "geneva", "CM")

	b := p.browser()
	status, answer := b.signIn(t, reg.Token)
	if status != http.StatusOK || answer["role"] != "ASSOCIATION" || b.cookie == nil {
		t.Fatalf("sign-in: %d %v", status, answer)
	}
	if !b.cookie.HttpOnly || b.cookie.SameSite != http.SameSiteStrictMode || b.cookie.Path != "/" || b.cookie.Value == reg.Token {
		t.Fatalf("the cookie: %+v", b.cookie)
	}
	// The table holds the secret's hash, never the secret.
	var hashed, bare int
	if err := p.pool.QueryRow(context.Background(), `SELECT count(*) FILTER (WHERE secret_hash = sha256(convert_to($1, 'UTF8'))),
		count(*) FILTER (WHERE secret_hash = convert_to($1, 'UTF8')) FROM web.sessions`, b.cookie.Value).Scan(&hashed, &bare); err != nil {
		t.Fatal(err)
	}
	if hashed != 1 || bare != 0 {
		t.Fatalf("sessions by hash %d, by the secret itself %d", hashed, bare)
	}

	v := decode[viewerView](t, b.gql(t, viewerQuery, nil), "viewer")
	if v.Role != "ASSOCIATION" || v.Association == nil || v.Association.ID != reg.Association.ID {
		t.Fatalf("the viewer with the cookie: %+v", v)
	}
	// Its own PENDING profile shows to the session (to nobody anonymous).
	own := `query($id: ID!) { association(id: $id) { id status } }`
	if r := b.gql(t, own, map[string]any{"id": reg.Association.ID}); !strings.Contains(string(r.raw), reg.Association.ID) {
		t.Fatalf("its own pending profile: %s", r.raw)
	}

	// The same cookie from another site's page, or without JSON, is not a session.
	for name, tweak := range map[string]func(*browser){
		"another origin":                func(x *browser) { x.origin = "https://evil.example" },
		"a cross-site fetch":            func(x *browser) { x.origin, x.site = "", "cross-site" },
		"another scheme":                func(x *browser) { x.origin = strings.Replace(p.url, "http://", "https://", 1) },
		"same site but another subsite": func(x *browser) { x.site = "same-site" },
	} {
		x := &browser{p: p, cookie: b.cookie, origin: b.origin, site: b.site}
		tweak(x)
		if v := decode[viewerView](t, x.gql(t, viewerQuery, nil), "viewer"); v.Role != "ANONYMOUS" {
			t.Fatalf("%s: %+v", name, v)
		}
	}
	plain := &browser{p: p, cookie: b.cookie, origin: b.origin, site: b.site}
	resp := plain.request(t, http.MethodPost, "/graphql", "", []byte(`{"query":"mutation { dissolveAssociation(id: \"`+reg.Association.ID+`\") { association { status } } }"}`))
	raw, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(raw), "UNAUTHENTICATED") {
		t.Fatalf("a POST without a content type acted with the session: %s", raw)
	}

	// Signing in from another site's page, or with a bad token, opens nothing.
	evil := &browser{p: p, origin: "https://evil.example", site: "cross-site"}
	if status, _ := evil.signIn(t, reg.Token); status != http.StatusForbidden || evil.cookie != nil {
		t.Fatalf("a cross-site sign-in: %d", status)
	}
	bad := p.browser()
	if status, answer := bad.signIn(t, reg.Token[:len(reg.Token)-3]+"abc"); status != http.StatusUnauthorized || bad.cookie != nil ||
		!strings.Contains(toJSON(answer), "UNAUTHENTICATED") {
		t.Fatalf("a bad token: %d %v", status, answer)
	}

	// Signing out ends the session for good: the old cookie opens nothing any more.
	old := *b.cookie
	resp = b.request(t, http.MethodDelete, server.SessionRoute, "", nil)
	resp.Body.Close()
	if resp.StatusCode != http.StatusNoContent || b.cookie != nil {
		t.Fatalf("sign-out: %d, cookie %v", resp.StatusCode, b.cookie)
	}
	replay := &browser{p: p, cookie: &old, origin: p.url, site: "same-origin"}
	if v := decode[viewerView](t, replay.gql(t, viewerQuery, nil), "viewer"); v.Role != "ANONYMOUS" || replay.cookie != nil {
		t.Fatalf("the cookie after signing out: %+v (cookie %v)", v, replay.cookie)
	}
}

func TestASessionEndsWithItsTokenAndWithACoordinatorsAppointment(t *testing.T) {
	t.Parallel()
	p := start(t, db.URL, false)
	admin := p.token(t, events.Actor{Role: events.RoleAdmin, Subject: "admin"})
	appointed := decode[struct {
		Coordinator struct{ ID string }
		Token       string
	}](t, p.mustDo(t, admin, `mutation { appointCoordinator(city: "brussels", name: "Kofi Mensah") { coordinator { id } token } }`, nil), "appointCoordinator")

	b := p.browser()
	status, answer := b.signIn(t, appointed.Token)
	if status != http.StatusOK || answer["role"] != "COORDINATOR" {
		t.Fatalf("sign-in: %d %v", status, answer)
	}
	expires, err := time.Parse(time.RFC3339, answer["expiresAt"].(string))
	if err != nil || expires.After(time.Now().Add(30*24*time.Hour+time.Minute)) {
		t.Fatalf("a session past its bound: %v %v", answer["expiresAt"], err)
	}
	if v := decode[viewerView](t, b.gql(t, viewerQuery, nil), "viewer"); v.Role != "COORDINATOR" || v.City == nil || v.City.Slug != "brussels" {
		t.Fatalf("the coordinator's viewer: %+v", v)
	}
	p.mustDo(t, admin, `mutation($id: ID!) { dismissCoordinator(city: "brussels", coordinatorId: $id) { city { slug } } }`,
		map[string]any{"id": appointed.Coordinator.ID})
	if r := b.gql(t, viewerQuery, nil); r.code() != "UNAUTHENTICATED" || b.cookie != nil {
		t.Fatalf("a dismissed coordinator's session: %s (cookie %v)", r.raw, b.cookie)
	}

	// A session never outlives its token.
	short := p.token(t, events.Actor{Role: events.RoleAdmin, Subject: "admin"}) // valid an hour
	b = p.browser()
	_, answer = b.signIn(t, short)
	if expires, _ := time.Parse(time.RFC3339, answer["expiresAt"].(string)); expires.After(time.Now().Add(time.Hour + time.Minute)) {
		t.Fatalf("a session outlives its token: %v", answer["expiresAt"])
	}
}

func TestAWebSocketFromTheSitesPageActsWithItsSession(t *testing.T) {
	t.Parallel()
	p := start(t, db.URL, false)
	reg := p.register(t, "Association des Maliens de Bruxelles", "brussels", "ML")
	b := p.browser()
	if status, _ := b.signIn(t, reg.Token); status != http.StatusOK {
		t.Fatalf("sign-in: %d", status)
	}
	header := http.Header{"Origin": {p.url}, "Cookie": {b.cookie.String()}}
	ws := p.dialWSWith(t, header)
	ws.init("")
	ws.subscribe("me", viewerQuery, nil)
	next := ws.expect("next")
	if !strings.Contains(string(next.Payload), `"role":"ASSOCIATION"`) {
		t.Fatalf("the viewer over the socket: %s", next.Payload)
	}
}

func toJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}
