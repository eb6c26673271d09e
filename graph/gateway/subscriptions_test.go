package gateway_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/coder/websocket/wsjson"

	"passerelle.dev/events"
)

type wsMessage struct {
	ID      string          `json:"id,omitempty"`
	Type    string          `json:"type"`
	Payload json.RawMessage `json:"payload,omitempty"`
}

// wsClient is a graphql-transport-ws client over a real WebSocket. A goroutine reads
// the connection (a read that times out would close it); the test waits on what it read.
type wsClient struct {
	t        *testing.T
	c        *websocket.Conn
	messages chan wsRead
}

type wsRead struct {
	m   wsMessage
	err error
}

var errNothing = errors.New("no message")

func (p *platform) dialWS(t *testing.T) *wsClient { return p.dialWSWith(t, nil) }

// dialWSWith opens the connection with the upgrade's headers (a browser's cookie and
// origin).
func (p *platform) dialWSWith(t *testing.T, header http.Header) *wsClient {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	c, _, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(p.url, "http")+"/graphql",
		&websocket.DialOptions{Subprotocols: []string{"graphql-transport-ws"}, HTTPHeader: header})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.CloseNow() })
	if c.Subprotocol() != "graphql-transport-ws" {
		t.Fatalf("subprotocol %q", c.Subprotocol())
	}
	w := &wsClient{t: t, c: c, messages: make(chan wsRead, 64)}
	go func() {
		for {
			var m wsMessage
			err := wsjson.Read(context.Background(), c, &m)
			w.messages <- wsRead{m, err}
			if err != nil {
				return
			}
		}
	}()
	return w
}

func (w *wsClient) send(m any) {
	w.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := wsjson.Write(ctx, w.c, m); err != nil {
		w.t.Fatal(err)
	}
}

// read returns the next message, the close error when the server closed, or
// errNothing when nothing came within timeout.
func (w *wsClient) read(timeout time.Duration) (wsMessage, error) {
	select {
	case r := <-w.messages:
		return r.m, r.err
	case <-time.After(timeout):
		return wsMessage{}, errNothing
	}
}

func (w *wsClient) expect(typ string) wsMessage {
	w.t.Helper()
	m, err := w.read(5 * time.Second)
	if err != nil || m.Type != typ {
		w.t.Fatalf("got %+v (%v), want %s", m, err, typ)
	}
	return m
}

func (w *wsClient) init(token string) {
	w.t.Helper()
	payload := map[string]any{}
	if token != "" {
		payload["Authorization"] = "Bearer " + token
	}
	w.send(map[string]any{"type": "connection_init", "payload": payload})
	w.expect("connection_ack")
}

func (w *wsClient) subscribe(id, query string, vars map[string]any) {
	w.t.Helper()
	w.send(map[string]any{"id": id, "type": "subscribe", "payload": map[string]any{"query": query, "variables": vars}})
}

func closeCode(err error) websocket.StatusCode { return websocket.CloseStatus(err) }

// TestSubscriptionsDeliverChanges waits for each change with a generous deadline: how
// fast it comes is measured by make bench (BenchmarkSubscriptionDelivery), never here —
// a timed assertion fails on a loaded machine.
func TestSubscriptionsDeliverChanges(t *testing.T) {
	t.Parallel()
	p := start(t, db.Fresh(t), false)
	p.clock.set(sessionsEpoch)
	a := p.actors(t)

	ws := p.dialWS(t)
	ws.init("")
	ws.send(map[string]any{"type": "ping"})
	ws.expect("pong")
	ws.subscribe("london", `subscription($c: String!) { sessionChanged(city: $c) { id capacity confirmedSeats start { local } city { name } registrations { id } } }`, map[string]any{"c": "london"})

	type changed struct {
		SessionChanged struct {
			ID            string
			Capacity      int
			City          struct{ Name string }
			Registrations []struct{ ID string }
		} `json:"sessionChanged"`
	}
	next := func(want func(changed) bool) changed {
		t.Helper()
		deadline := time.Now().Add(30 * time.Second)
		for {
			m, err := ws.read(time.Until(deadline))
			if err != nil || m.Type != "next" {
				t.Fatalf("got %+v (%v), want next", m, err)
			}
			var payload struct{ Data changed }
			if err := json.Unmarshal(m.Payload, &payload); err != nil {
				t.Fatal(err)
			}
			if want(payload.Data) {
				return payload.Data
			}
		}
	}

	s := p.schedule(t, a.london, sessionInput("london", "Africa Centre", "2027-02-10T18:00", 30))
	got := next(func(c changed) bool { return c.SessionChanged.ID == s.ID })
	// A session's links resolve in a subscription as in a query (and an anonymous
	// subscriber sees no registrations).
	if got.SessionChanged.City.Name != "London" || got.SessionChanged.Registrations == nil || len(got.SessionChanged.Registrations) != 0 {
		t.Fatalf("the new session's links: %+v", got.SessionChanged)
	}
	if got.SessionChanged.Capacity != 30 {
		t.Fatalf("the new session: %+v", got)
	}
	p.mustDo(t, a.london, `mutation($s: ID!) { changeSessionCapacity(sessionId: $s, capacity: 45) { session { id } } }`, map[string]any{"s": s.ID})
	next(func(c changed) bool { return c.SessionChanged.Capacity == 45 })
	// Another city's sessions do not come.
	p.schedule(t, a.geneva, sessionInput("geneva", "Palais des Nations", "2027-02-10T18:00", 30))
	if m, err := ws.read(300 * time.Millisecond); err == nil {
		t.Fatalf("a Geneva session reached London's subscribers: %+v", m)
	}

	// Completing the subscription stops it.
	ws.send(map[string]any{"id": "london", "type": "complete"})
	p.schedule(t, a.london, sessionInput("london", "Africa Centre", "2027-02-11T18:00", 30))
	if m, err := ws.read(300 * time.Millisecond); err == nil {
		t.Fatalf("a message after complete: %+v", m)
	}
}

func TestSubscriptionsKeepToWhatTheReaderMaySee(t *testing.T) {
	t.Parallel()
	p := start(t, db.Fresh(t), false)
	a := p.actors(t)
	reg := p.registerWith(t, map[string]any{"name": "Eritrean Women in Geneva", "city": "geneva", "originCountries": []string{"ER"},
		"contact": map[string]any{"name": "Senait Tesfay", "email": "senait.tesfay@example.org"}})
	query := `subscription($id: ID!) { associationChanged(id: $id) { name status contact { email } } }`

	public := p.dialWS(t)
	public.init("")
	public.subscribe("a", query, map[string]any{"id": reg.Association.ID})
	staff := p.dialWS(t)
	staff.init(a.geneva)
	staff.subscribe("a", query, map[string]any{"id": reg.Association.ID})

	// An update while pending: the coordinator hears of it, the public does not.
	self := p.token(t, events.Actor{Role: events.RoleAssociation, AssociationID: localID(t, reg.Association.ID)})
	p.mustDo(t, self, `mutation($id: ID!) { updateAssociationProfile(id: $id, input: {acronym: "EWG"}) { changedFields } }`, map[string]any{"id": reg.Association.ID})
	m := staff.expect("next")
	if !strings.Contains(string(m.Payload), "senait.tesfay@example.org") {
		t.Fatalf("the coordinator's update: %s", m.Payload)
	}
	if m, err := public.read(300 * time.Millisecond); err == nil {
		t.Fatalf("the public heard of a pending association: %+v", m)
	}
	// Verified, it is public — without its contact.
	p.mustDo(t, a.geneva, lifecycleMutations["verify"], map[string]any{"id": reg.Association.ID})
	m = public.expect("next")
	if !strings.Contains(string(m.Payload), `"status":"VERIFIED"`) || strings.Contains(string(m.Payload), "senait") {
		t.Fatalf("the public's update: %s", m.Payload)
	}
}

func TestTheWebSocketProtocolsRules(t *testing.T) {
	t.Parallel()
	p := start(t, db.URL, false)

	// Subscribing before connection_init: 4401.
	ws := p.dialWS(t)
	ws.subscribe("1", `subscription { sessionChanged(city: "london") { id } }`, nil)
	if _, err := ws.read(5 * time.Second); closeCode(err) != 4401 {
		t.Fatalf("subscribe before init: %v", err)
	}
	// connection_init twice: 4429.
	ws = p.dialWS(t)
	ws.init("")
	ws.send(map[string]any{"type": "connection_init"})
	if _, err := ws.read(5 * time.Second); closeCode(err) != 4429 {
		t.Fatalf("a second init: %v", err)
	}
	// A token that is not one: 4403.
	ws = p.dialWS(t)
	ws.send(map[string]any{"type": "connection_init", "payload": map[string]any{"Authorization": "Bearer nope"}})
	if _, err := ws.read(5 * time.Second); closeCode(err) != 4403 {
		t.Fatalf("a bad token: %v", err)
	}
	// Two operations with one id: 4409.
	ws = p.dialWS(t)
	ws.init("")
	ws.subscribe("1", `subscription { sessionChanged(city: "london") { id } }`, nil)
	ws.subscribe("1", `subscription { sessionChanged(city: "london") { id } }`, nil)
	if _, err := ws.read(5 * time.Second); closeCode(err) != 4409 {
		t.Fatalf("a reused id: %v", err)
	}
	// Refused operations are error messages with codes; a query answers once.
	ws = p.dialWS(t)
	ws.init("")
	ws.subscribe("bad", `subscription { sessionChanged(city: "atlantis") { id } }`, nil)
	m := ws.expect("error")
	if m.ID != "bad" || !strings.Contains(string(m.Payload), `"code":"BAD_USER_INPUT"`) {
		t.Fatalf("an unknown city: %+v", m)
	}
	ws.subscribe("syntax", `subscription { nope }`, nil)
	if m := ws.expect("error"); !strings.Contains(string(m.Payload), "BAD_USER_INPUT") {
		t.Fatalf("an unknown field: %s", m.Payload)
	}
	ws.subscribe("q", `{ cities { slug } }`, nil)
	if m := ws.expect("next"); m.ID != "q" || !strings.Contains(string(m.Payload), "london") {
		t.Fatalf("a query: %+v", m)
	}
	if m := ws.expect("complete"); m.ID != "q" {
		t.Fatalf("after a query: %+v", m)
	}
	// An unknown message type: 4400.
	ws.send(map[string]any{"type": "hello"})
	if _, err := ws.read(5 * time.Second); closeCode(err) != 4400 {
		t.Fatalf("an unknown message: %v", err)
	}
}

// TestADismissedCoordinatorHearsNoMore: a coordinator follows a pending association
// (which only coordinators and admins see); once dismissed, the next change closes
// their socket (4403) instead of reaching them.
func TestADismissedCoordinatorHearsNoMore(t *testing.T) {
	t.Parallel()
	p := start(t, db.Fresh(t), false)
	a := p.actors(t)
	appointed := decode[struct {
		Token       string
		Coordinator struct{ ID string }
	}](t, p.mustDo(t, a.admin, `mutation { appointCoordinator(city: "geneva", name: "Awa Diop") { token coordinator { id } } }`, nil), "appointCoordinator")
	reg := p.registerWith(t, map[string]any{"name": "Eritrean Women in Geneva", "city": "geneva", "originCountries": []string{"ER"},
		"contact": map[string]any{"name": "Senait Tesfay", "email": "senait.tesfay@example.org"}})
	self := p.token(t, events.Actor{Role: events.RoleAssociation, AssociationID: localID(t, reg.Association.ID)})
	update := func(acronym string) {
		p.mustDo(t, self, `mutation($id: ID!, $a: String) { updateAssociationProfile(id: $id, input: {acronym: $a}) { changedFields } }`,
			map[string]any{"id": reg.Association.ID, "a": acronym})
	}

	ws := p.dialWS(t)
	ws.init(appointed.Token)
	ws.subscribe("a", `subscription($id: ID!) { associationChanged(id: $id) { acronym contact { email } } }`, map[string]any{"id": reg.Association.ID})
	update("EWG")
	if m := ws.expect("next"); !strings.Contains(string(m.Payload), "senait.tesfay@example.org") {
		t.Fatalf("the appointed coordinator's update: %s", m.Payload)
	}
	p.mustDo(t, a.admin, `mutation($c: ID!) { dismissCoordinator(city: "geneva", coordinatorId: $c) { city { slug } } }`,
		map[string]any{"c": appointed.Coordinator.ID})
	update("EWGE")
	// A delivery sent before the dismissal took effect may still be on its way; nothing
	// of the change after it may come, and the socket closes.
	for {
		m, err := ws.read(30 * time.Second)
		if err != nil {
			if code := closeCode(err); code != 4403 {
				t.Fatalf("closed with %v (%v), want 4403", code, err)
			}
			break
		}
		if strings.Contains(string(m.Payload), "EWGE") {
			t.Fatalf("the dismissed coordinator heard of the change after the dismissal: %s", m.Payload)
		}
	}
}
