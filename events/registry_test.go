package events_test

import (
	"encoding/json"
	"errors"
	"reflect"
	"testing"

	"passerelle.dev/events"
)

type greetingV3 struct {
	Text     string `json:"text"`
	Language string `json:"language"`
	Loud     bool   `json:"loud"`
}

func TestRegistryUpcastsOldVersionsToTheCurrentShape(t *testing.T) {
	t.Parallel()
	r := events.NewRegistry()
	err := events.Register[greetingV3](r, "test.Greeting", 3,
		events.Upcast{From: 1, Up: func(d json.RawMessage) (json.RawMessage, error) {
			// v1 had "message"; v2 renamed it "text" and added a language.
			var v1 struct {
				Message string `json:"message"`
			}
			if err := json.Unmarshal(d, &v1); err != nil {
				return nil, err
			}
			return json.Marshal(map[string]any{"text": v1.Message, "language": "en"})
		}},
		events.Upcast{From: 2, Up: func(d json.RawMessage) (json.RawMessage, error) {
			var v2 map[string]any
			if err := json.Unmarshal(d, &v2); err != nil {
				return nil, err
			}
			v2["loud"] = false
			return json.Marshal(v2)
		}},
	)
	if err != nil {
		t.Fatal(err)
	}

	cases := []struct {
		name    string
		version int
		data    string
		want    greetingV3
	}{
		{"v1", 1, `{"message":"bonjour"}`, greetingV3{Text: "bonjour", Language: "en"}},
		{"v2", 2, `{"text":"hola","language":"es"}`, greetingV3{Text: "hola", Language: "es"}},
		{"v3", 3, `{"text":"HELLO","language":"en","loud":true}`, greetingV3{Text: "HELLO", Language: "en", Loud: true}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := r.Decode("test.Greeting", c.version, json.RawMessage(c.data))
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, c.want) {
				t.Fatalf("got %#v, want %#v", got, c.want)
			}
		})
	}
}

func TestRegistryRefusesWhatItCannotRead(t *testing.T) {
	t.Parallel()
	r := events.NewRegistry()
	events.MustRegister[greetingV3](r, "test.Greeting", 1)

	if _, err := r.Decode("test.Farewell", 1, json.RawMessage(`{}`)); !errors.Is(err, events.ErrUnknownEventType) {
		t.Errorf("unknown type: got %v, want ErrUnknownEventType", err)
	}
	if _, err := r.Decode("test.Greeting", 2, json.RawMessage(`{}`)); err == nil {
		t.Error("a schema version newer than this build must be refused")
	}
	if _, err := r.Decode("test.Greeting", 1, json.RawMessage(`{"text":`)); err == nil {
		t.Error("malformed JSON must be refused")
	}
	if err := events.Register[struct{ A int }](r, "test.Gap", 3, events.Upcast{From: 1, Up: func(d json.RawMessage) (json.RawMessage, error) { return d, nil }}); err == nil {
		t.Error("a missing upcaster (2→3) must be refused at registration")
	}
	if err := events.Register[greetingV3](r, "test.Other", 1); err == nil {
		t.Error("the same Go type under two names must be refused")
	}
}

func TestRegistryNewStampsTypeAndVersion(t *testing.T) {
	t.Parallel()
	r := events.NewRegistry()
	events.MustRegister[greetingV3](r, "test.Greeting", 1)

	md := events.Metadata{CorrelationID: "req-1", Actor: events.Actor{Role: events.RoleAdmin, Subject: "a1"}}
	ev, err := r.New(greetingV3{Text: "salut", Language: "fr"}, md)
	if err != nil {
		t.Fatal(err)
	}
	if ev.Type != "test.Greeting" || ev.SchemaVersion != 1 || ev.ID.Version() != 7 {
		t.Fatalf("got type %s v%d id version %d", ev.Type, ev.SchemaVersion, ev.ID.Version())
	}
	if ev.Metadata != md {
		t.Fatalf("metadata not kept: %+v", ev.Metadata)
	}
	if _, err := r.New(struct{}{}, md); !errors.Is(err, events.ErrUnknownEventType) {
		t.Fatalf("unregistered payload: got %v", err)
	}
}

func TestPositionOrdersByTransactionThenGlobalPosition(t *testing.T) {
	t.Parallel()
	// A transaction that started first (lower id) but took a higher global position
	// still comes first: that is what makes delivery gap-free.
	a := events.Position{TransactionID: 10, GlobalPosition: 7}
	b := events.Position{TransactionID: 11, GlobalPosition: 5}
	c := events.Position{TransactionID: 11, GlobalPosition: 6}
	if !a.Before(b) || !b.Before(c) || c.Before(a) || a.Before(a) {
		t.Fatal("unexpected order")
	}
}

func TestRoleJSONRoundTripAndUnknownRoles(t *testing.T) {
	t.Parallel()
	in := events.Actor{Role: events.RoleCoordinator, City: "geneva", Subject: "c-7"}
	b, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	var out events.Actor
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	if out != in {
		t.Fatalf("round trip: %+v != %+v", out, in)
	}
	if err := json.Unmarshal([]byte(`{"role":"superuser"}`), &out); err == nil {
		t.Fatal("unknown role accepted")
	}
	if !in.CoordinatesCity("geneva") || in.CoordinatesCity("london") || in.IsAdmin() {
		t.Fatal("coordinator predicates wrong")
	}
}
