package client_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	"passerelle.dev/directory/app"
	"passerelle.dev/directory/client"
	"passerelle.dev/directory/ports"
	"passerelle.dev/directory/service"
	"passerelle.dev/events"
	"passerelle.dev/events/eventstore"
	"passerelle.dev/kernel/fault"
	"passerelle.dev/kernel/pgtest"
	"passerelle.dev/servicekit/auth"
	"passerelle.dev/servicekit/servicehttp"
)

var db *pgtest.Database

func TestMain(m *testing.M) {
	os.Exit(pgtest.Run(m, &db, service.Migrations()...))
}

func serve(t *testing.T) (*client.Client, *httptest.Server, *auth.Tokens) {
	t.Helper()
	store, err := eventstore.NewStore(eventstore.Config{Pool: db.Pool(t)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(store.Close)
	tokens, err := auth.NewTokens([]byte("test-secret-test-secret-test-secret"))
	if err != nil {
		t.Fatal(err)
	}
	svc := startDirectory(t, store, tokens, bytes.Repeat([]byte{9}, 32))
	srv := httptest.NewServer(svc.HTTP)
	t.Cleanup(srv.Close)
	return client.New(srv.URL, tokens, srv.Client()), srv, tokens
}

func TestCommandsAcrossProcessesKeepTheirCodes(t *testing.T) {
	t.Parallel()
	c, _, tokens := serve(t)
	ctx := context.Background()
	name := "Ghanacoop UK " + events.NewEventID().String()[24:]
	london := app.Request{Actor: events.Actor{Role: events.RoleCoordinator, City: "london", Subject: "c"}}

	cmd := app.RegisterAssociation{
		Profile: app.ProfileInput{Name: name, Acronym: "GCUK", City: "london", OriginCountries: []string{"GH"}, MemberCount: intp(40)},
		Contact: &app.ContactInput{Name: "Kwame Mensah", Email: "kwame@example.org"},
		Request: app.Request{CorrelationID: "corr-1", IdempotencyKey: "client-test-" + events.NewEventID().String()},
	}
	reg, err := c.RegisterAssociation(ctx, cmd)
	if err != nil {
		t.Fatal(err)
	}
	if reg.Association.Status != "PENDING" || reg.Position.IsZero() || !reg.Association.HasContact {
		t.Fatalf("registration %+v", reg)
	}
	actor, err := tokens.Parse(reg.Token)
	if err != nil || !actor.SpeaksFor(reg.Association.ID) {
		t.Fatalf("registration token speaks for %+v (%v)", actor, err)
	}
	// The idempotency key crosses the process boundary.
	again, err := c.RegisterAssociation(ctx, cmd)
	if err != nil || again.Association.ID != reg.Association.ID || !again.Replayed {
		t.Fatalf("retry over HTTP: %+v, %v", again, err)
	}

	_, err = c.RegisterAssociation(ctx, app.RegisterAssociation{Profile: app.ProfileInput{Name: strings.ToUpper(name), City: "london", OriginCountries: []string{"GH"}}})
	if fault.CodeOf(err) != fault.Conflict || fault.DetailsOf(err)["existingAssociationId"] != reg.Association.ID {
		t.Fatalf("duplicate: got %v (details %v)", err, fault.DetailsOf(err))
	}

	// An explicit null clears a field; absent fields stay as they are.
	self := app.Request{Actor: events.Actor{Role: events.RoleAssociation, AssociationID: reg.Association.ID}}
	upd, err := c.UpdateAssociationProfile(ctx, app.UpdateAssociationProfile{AssociationID: reg.Association.ID,
		Patch: app.ProfilePatch{MemberCount: app.Optional[int]{Set: true}, Website: app.Some("ghanacoop.co.uk")}, Request: self})
	if err != nil || upd.Association.MemberCount != nil || upd.Association.Acronym != "GCUK" ||
		upd.Association.Website != "https://ghanacoop.co.uk" || strings.Join(upd.ChangedFields, ",") != "website,memberCount" {
		t.Fatalf("update over HTTP: %+v, %v", upd, err)
	}

	if _, err = c.VerifyAssociation(ctx, app.VerifyAssociation{AssociationID: reg.Association.ID}); fault.CodeOf(err) != fault.Unauthenticated {
		t.Fatalf("anonymous verification: got %v", err)
	}
	geneva := app.Request{Actor: events.Actor{Role: events.RoleCoordinator, City: "geneva", Subject: "c"}}
	if _, err = c.VerifyAssociation(ctx, app.VerifyAssociation{AssociationID: reg.Association.ID, Request: geneva}); fault.CodeOf(err) != fault.Forbidden {
		t.Fatalf("verification from Geneva: got %v", err)
	}
	ver, err := c.VerifyAssociation(ctx, app.VerifyAssociation{AssociationID: reg.Association.ID, Request: london})
	if err != nil || ver.Association.Status != "VERIFIED" {
		t.Fatalf("verification from London: %+v, %v", ver, err)
	}
	if _, err = c.SuspendAssociation(ctx, app.SuspendAssociation{AssociationID: reg.Association.ID, Reason: "under review", Request: london}); err != nil {
		t.Fatal(err)
	}
	if _, err = c.VerifyAssociation(ctx, app.VerifyAssociation{AssociationID: "not-an-id", Request: london}); fault.CodeOf(err) != fault.NotFound {
		t.Fatalf("unknown id: got %v", err)
	}
}

func intp(n int) *int { return &n }

func TestPortRefusesMalformedRequests(t *testing.T) {
	t.Parallel()
	_, srv, _ := serve(t)
	cases := []struct {
		name, auth, body string
		status           int
		code             fault.Code
	}{
		{"broken token", "Bearer abc.def.ghi", `{"profile":{"name":"X","city":"london","originCountries":["GH"]}}`, 401, fault.Unauthenticated},
		{"not JSON", "", `{"profile":`, 400, fault.BadUserInput},
		{"unknown field", "", `{"profile":{"name":"X","city":"london","originCountries":["GH"]},"admin":true}`, 400, fault.BadUserInput},
		{"two values", "", `{"profile":{"name":"X","city":"london","originCountries":["GH"]}} {}`, 400, fault.BadUserInput},
		{"oversized", "", `{"profile":{"name":"` + strings.Repeat("x", servicehttp.MaxBodyBytes) + `"}}`, 400, fault.BadUserInput},
		{"empty name", "", `{"profile":{"name":"  ","city":"london","originCountries":["GH"]}}`, 400, fault.BadUserInput},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			req, _ := http.NewRequest("POST", srv.URL+ports.Register.Path(), strings.NewReader(c.body))
			if c.auth != "" {
				req.Header.Set("Authorization", c.auth)
			}
			resp, err := srv.Client().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			var body servicehttp.ErrorBody
			if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
				t.Fatal(err)
			}
			if resp.StatusCode != c.status || body.Error.Code != c.code {
				t.Fatalf("got %d %s (%s), want %d %s", resp.StatusCode, body.Error.Code, body.Error.Message, c.status, c.code)
			}
		})
	}
}

// startDirectory runs the directory service (its cities projection included) until the
// test ends.
func startDirectory(t *testing.T, store *eventstore.Store, tokens *auth.Tokens, masterKey []byte) *service.Service {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	notifications := eventstore.NewNotifications(store.Pool(), nil)
	svc, err := service.New(service.Deps{Store: store, Notifications: notifications, Tokens: tokens, MasterKey: masterKey}, service.Config{})
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	done := make(chan struct{}, 2)
	go func() { _ = notifications.Run(ctx); done <- struct{}{} }()
	go func() { _ = svc.Run(ctx); done <- struct{}{} }()
	t.Cleanup(func() {
		cancel()
		<-done
		<-done
	})
	return svc
}
