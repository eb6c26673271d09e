package platform_test

import (
	"context"
	"encoding/base64"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/coder/websocket/wsjson"
)

// BenchmarkSubscriptionDelivery measures how long after a mutation returns its change
// reaches a subscriber over WebSocket (graphql-transport-ws), beside the mutation's own
// round trip in the same run: `make bench` judges the ratio (the subscriber should hear
// of a change no later than one more round trip). It replaces the timed assertion the
// subscription tests once made, which failed on loaded machines.
func BenchmarkSubscriptionDelivery(b *testing.B) {
	env := setupReadBench(b)
	ctx := context.Background()
	var id, city string
	if err := env.pool.QueryRow(ctx, `SELECT id::text, city FROM graph.sessions WHERE status = 'SCHEDULED' AND start_at > now()
		ORDER BY start_at LIMIT 1`).Scan(&id, &city); err != nil {
		b.Fatal(err)
	}
	session := base64.RawURLEncoding.EncodeToString([]byte("DialogueSession:" + id))
	token := env.coordinate[city]

	ws, _, err := websocket.Dial(ctx, strings.Replace(env.url, "http", "ws", 1)+"/graphql",
		&websocket.DialOptions{Subprotocols: []string{"graphql-transport-ws"}, HTTPHeader: http.Header{"Origin": {env.url}}})
	if err != nil {
		b.Fatal(err)
	}
	defer ws.CloseNow()
	type message struct {
		Type    string         `json:"type"`
		ID      string         `json:"id,omitempty"`
		Payload map[string]any `json:"payload,omitempty"`
	}
	send := func(m message) {
		if err := wsjson.Write(ctx, ws, m); err != nil {
			b.Fatal(err)
		}
	}
	read := func() message {
		rctx, cancel := context.WithTimeout(ctx, 30*time.Second)
		defer cancel()
		var m message
		if err := wsjson.Read(rctx, ws, &m); err != nil {
			b.Fatal(err)
		}
		return m
	}
	send(message{Type: "connection_init", Payload: map[string]any{"Authorization": "Bearer " + token}})
	if m := read(); m.Type != "connection_ack" {
		b.Fatalf("got %+v", m)
	}
	send(message{Type: "subscribe", ID: "s", Payload: map[string]any{
		"query": `subscription($c: String!) { sessionChanged(city: $c) { id capacity } }`, "variables": map[string]any{"c": city}}})

	var capacity int
	if err := env.pool.QueryRow(ctx, `SELECT capacity FROM graph.sessions WHERE id = $1`, id).Scan(&capacity); err != nil {
		b.Fatal(err)
	}
	mutation := `mutation($s: ID!, $c: Int!) { changeSessionCapacity(sessionId: $s, capacity: $c) { session { id } } }`
	rounds := make([]time.Duration, b.N)
	delivery := make([]time.Duration, b.N)
	b.ResetTimer()
	for i := range b.N {
		want := capacity + 1 + i%2
		began := time.Now()
		var out struct{}
		if err := env.query(token, mutation, map[string]any{"s": session, "c": want}, &out); err != nil {
			b.Fatal(err)
		}
		returned := time.Now()
		rounds[i] = returned.Sub(began)
		for {
			m := read()
			if m.Type != "next" {
				b.Fatalf("got %+v", m)
			}
			if strings.Contains(fmt.Sprint(m.Payload), fmt.Sprintf("capacity:%d", want)) {
				break
			}
		}
		delivery[i] = time.Since(returned)
	}
	b.StopTimer()
	// Back to where it was, for the other benchmarks.
	_ = env.query(token, mutation, map[string]any{"s": session, "c": capacity}, &struct{}{})
	pct := func(ds []time.Duration, p float64) float64 {
		s := append([]time.Duration(nil), ds...)
		sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
		return float64(s[min(len(s)-1, int(p*float64(len(s))))].Microseconds()) / 1000
	}
	b.ReportMetric(pct(delivery, 0.50), "p50-ms")
	b.ReportMetric(pct(delivery, 0.99), "p99-ms")
	b.ReportMetric(pct(rounds, 0.50), "mutation-p50-ms")
}
