package servicehttp_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	"passerelle.dev/events"
	"passerelle.dev/kernel/fault"
	"passerelle.dev/servicekit/auth"
	"passerelle.dev/servicekit/command"
	"passerelle.dev/servicekit/servicehttp"
)

type renameSession struct {
	SessionID string          `json:"sessionId"`
	Title     string          `json:"title"`
	Request   command.Request `json:"-"`
}

type renamed struct {
	SessionID, Title, Actor, Key string
}

var rename = servicehttp.NewRoute[renameSession, renamed](http.MethodPut, "/v1/sessions/{sessionID}/title", http.StatusOK)

// The client fills the path from the message and the server fills the message from the
// path, over whatever the body said; the caller and the idempotency key cross with it.
func TestARouteCarriesTheMessageBothWays(t *testing.T) {
	tokens, err := auth.NewTokens([]byte("0123456789abcdef0123456789abcdef"))
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	rename.Serve(mux, tokens, nil, func(_ context.Context, cmd renameSession) (renamed, error) {
		if cmd.Title == "" {
			return renamed{}, fault.New(fault.BadUserInput, "a title is needed")
		}
		return renamed{SessionID: cmd.SessionID, Title: cmd.Title, Actor: cmd.Request.Actor.City, Key: cmd.Request.IdempotencyKey}, nil
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	client := servicehttp.NewClient(srv.URL, tokens, srv.Client())
	actor := events.Actor{Role: events.RoleCoordinator, City: "geneva"}
	got, err := rename.Call(context.Background(), client, renameSession{SessionID: "s/1", Title: "Santé",
		Request: command.Request{Actor: actor, IdempotencyKey: "0f8e3b1c-6a8e-4b57-9d0c-2b1b6f0c9a11"}})
	if err != nil {
		t.Fatal(err)
	}
	if want := (renamed{SessionID: "s/1", Title: "Santé", Actor: "geneva", Key: "0f8e3b1c-6a8e-4b57-9d0c-2b1b6f0c9a11"}); got != want {
		t.Fatalf("answer %+v, want %+v", got, want)
	}
	_, err = rename.Call(context.Background(), client, renameSession{SessionID: "s2"})
	if fault.CodeOf(err) != fault.BadUserInput {
		t.Fatalf("a coded error crosses as %v", err)
	}
}

func TestARouteNamingNoFieldIsRefusedAtOnce(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Fatal("a wildcard naming no field was accepted")
		}
	}()
	servicehttp.NewRoute[renameSession, renamed](http.MethodPut, "/v1/sessions/{seriesID}/title", http.StatusOK)
}
