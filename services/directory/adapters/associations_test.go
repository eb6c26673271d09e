package adapters_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"

	"passerelle.dev/directory/adapters"
	"passerelle.dev/directory/app"
	"passerelle.dev/directory/domain/association"
	"passerelle.dev/directory/service"
	"passerelle.dev/events"
	"passerelle.dev/events/auth"
	"passerelle.dev/events/directoryevents"
	"passerelle.dev/events/eventstore"
	"passerelle.dev/events/pgtest"
)

var db *pgtest.Database

func TestMain(m *testing.M) {
	os.Exit(pgtest.Run(m, &db, eventstore.Migrations(), adapters.Migrations()))
}

type fixture struct {
	app   *app.Application
	repo  *adapters.AssociationRepository
	store *eventstore.Store
	pool  *pgxpool.Pool
}

func newFixture(t *testing.T) fixture {
	t.Helper()
	return newFixtureOn(t, db.URL)
}

func newFixtureOn(t *testing.T, dbURL string) fixture {
	t.Helper()
	pool := pgtest.PoolFor(t, dbURL)
	store, err := eventstore.NewStore(eventstore.Config{Pool: pool})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(store.Close)
	tokens, err := auth.NewTokens([]byte("test-secret-test-secret-test-secret"))
	if err != nil {
		t.Fatal(err)
	}
	svc, err := service.New(store, tokens, nil, app.Config{})
	if err != nil {
		t.Fatal(err)
	}
	registry := events.NewRegistry()
	if err := directoryevents.Register(registry); err != nil {
		t.Fatal(err)
	}
	return fixture{app: svc.Commands, repo: adapters.NewAssociationRepository(store, registry), store: store, pool: pool}
}

// uniqueName keeps the tests of this package apart: they share one database.
func uniqueName(t *testing.T, base string) string {
	return fmt.Sprintf("%s %s", base, events.NewEventID().String()[24:])
}

var admin = app.Request{Actor: events.Actor{Role: events.RoleAdmin, Subject: "admin"}}

func TestRegisterThenVerify(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	reg, err := f.app.RegisterAssociation(ctx, app.RegisterAssociation{
		Name: uniqueName(t, "Ghanaian Nurses Network"), City: "london", OriginCountries: []string{"GH"},
	})
	if err != nil {
		t.Fatal(err)
	}
	if reg.Association.Status != "PENDING" || reg.Token == "" || reg.Position.IsZero() {
		t.Fatalf("registration: %+v", reg)
	}
	ver, err := f.app.VerifyAssociation(ctx, app.VerifyAssociation{
		AssociationID: reg.Association.ID,
		Request:       app.Request{Actor: events.Actor{Role: events.RoleCoordinator, City: "london", Subject: "c"}, CorrelationID: "req-42"},
	})
	if err != nil {
		t.Fatal(err)
	}
	if ver.Association.Status != "VERIFIED" || !reg.Position.Before(ver.Position) {
		t.Fatalf("verification: %+v after %+v", ver, reg.Position)
	}
	recs, err := f.store.ReadStream(ctx, directoryevents.StreamID(reg.Association.ID), 1)
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 2 || recs[1].Type != directoryevents.AssociationVerifiedType {
		t.Fatalf("stream: %d events", len(recs))
	}
	md := recs[1].Metadata
	if md.CorrelationID != "req-42" || md.CausationID == "" || md.Actor.Role != events.RoleCoordinator || md.Actor.City != "london" {
		t.Fatalf("verification metadata: %+v", md)
	}
}

func TestSameNameInTheSameCityIsRefusedNamingTheFirst(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	name := uniqueName(t, "Association des Sénégalais de Genève")
	first, err := f.app.RegisterAssociation(ctx, app.RegisterAssociation{Name: name, City: "geneva", OriginCountries: []string{"SN"}})
	if err != nil {
		t.Fatal(err)
	}

	shouting := "  " + stripAccentsUpper(name) + " !! "
	_, err = f.app.RegisterAssociation(ctx, app.RegisterAssociation{Name: shouting, City: "geneva", OriginCountries: []string{"SN"}})
	var dup *association.DuplicateNameError
	if !errors.As(err, &dup) {
		t.Fatalf("got %v, want a duplicate name error", err)
	}
	if dup.ExistingID != first.Association.ID || dup.ExistingName != name {
		t.Fatalf("the error names %s %q, want %s %q", dup.ExistingID, dup.ExistingName, first.Association.ID, name)
	}

	// The same name elsewhere is another association.
	if _, err := f.app.RegisterAssociation(ctx, app.RegisterAssociation{Name: name, City: "brussels", OriginCountries: []string{"SN"}}); err != nil {
		t.Fatalf("same name in another city: %v", err)
	}
}

func stripAccentsUpper(s string) string {
	r := []rune(s)
	for i, c := range r {
		switch c {
		case 'é', 'è':
			r[i] = 'E'
		default:
			if c >= 'a' && c <= 'z' {
				r[i] = c - 'a' + 'A'
			}
		}
	}
	return string(r)
}

func TestConcurrentRegistrationsOfOneNameLeaveExactlyOne(t *testing.T) {
	t.Parallel()
	const clients = 20
	f := newFixture(t)
	ctx := context.Background()
	name := uniqueName(t, "Moroccan Investors Club")

	var (
		wg        sync.WaitGroup
		start     = make(chan struct{})
		mu        sync.Mutex
		winners   []string
		conflicts int
		others    []error
	)
	for i := 0; i < clients; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			reg, err := f.app.RegisterAssociation(ctx, app.RegisterAssociation{Name: name, City: "paris", OriginCountries: []string{"MA"}})
			mu.Lock()
			defer mu.Unlock()
			var dup *association.DuplicateNameError
			switch {
			case err == nil:
				winners = append(winners, reg.Association.ID)
			case errors.As(err, &dup):
				conflicts++
			default:
				others = append(others, err)
			}
		}()
	}
	close(start)
	wg.Wait()
	if len(others) > 0 || len(winners) != 1 || conflicts != clients-1 {
		t.Fatalf("%d registered, %d refused as duplicates, other errors %v", len(winners), conflicts, others)
	}
	a, err := f.repo.Load(ctx, winners[0])
	if err != nil || a.Name().String() != name {
		t.Fatalf("the winner does not load: %v", err)
	}
}

func TestConcurrentVerificationsRecordOneEvent(t *testing.T) {
	t.Parallel()
	const clients = 10
	f := newFixture(t)
	ctx := context.Background()
	reg, err := f.app.RegisterAssociation(ctx, app.RegisterAssociation{Name: uniqueName(t, "Cap-Verdean Credit Union"), City: "washington", OriginCountries: []string{"CV"}})
	if err != nil {
		t.Fatal(err)
	}
	var (
		wg                 sync.WaitGroup
		start              = make(chan struct{})
		mu                 sync.Mutex
		ok, already, other int
	)
	for i := 0; i < clients; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			_, err := f.app.VerifyAssociation(ctx, app.VerifyAssociation{AssociationID: reg.Association.ID, Request: admin})
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil:
				ok++
			case errors.Is(err, association.ErrAlreadyVerified):
				already++
			default:
				other++
				t.Log(err)
			}
		}()
	}
	close(start)
	wg.Wait()
	if ok != 1 || already != clients-1 || other != 0 {
		t.Fatalf("%d verified, %d already verified, %d other errors", ok, already, other)
	}
	v, err := f.store.StreamVersion(ctx, directoryevents.StreamID(reg.Association.ID))
	if err != nil || v != 2 {
		t.Fatalf("stream version %d (%v), want 2", v, err)
	}
}

func TestRefusedCommandsWriteNothing(t *testing.T) {
	t.Parallel()
	f := newFixtureOn(t, db.Fresh(t)) // a log of its own, to count every row
	ctx := context.Background()
	reg, err := f.app.RegisterAssociation(ctx, app.RegisterAssociation{Name: "Liberian Teachers", City: "washington", OriginCountries: []string{"LR"}})
	if err != nil {
		t.Fatal(err)
	}
	coordinator := func(city string) app.Request {
		return app.Request{Actor: events.Actor{Role: events.RoleCoordinator, City: city, Subject: "c"}}
	}
	cases := []struct {
		name string
		run  func() error
	}{
		{"unknown city", func() error {
			_, err := f.app.RegisterAssociation(ctx, app.RegisterAssociation{Name: "Atlantean Union", City: "atlantis", OriginCountries: []string{"LR"}})
			return err
		}},
		{"duplicate name", func() error {
			_, err := f.app.RegisterAssociation(ctx, app.RegisterAssociation{Name: "LIBERIAN teachers", City: "washington", OriginCountries: []string{"LR"}})
			return err
		}},
		{"verify anonymously", func() error {
			_, err := f.app.VerifyAssociation(ctx, app.VerifyAssociation{AssociationID: reg.Association.ID})
			return err
		}},
		{"verify from another city", func() error {
			_, err := f.app.VerifyAssociation(ctx, app.VerifyAssociation{AssociationID: reg.Association.ID, Request: coordinator("london")})
			return err
		}},
		{"verify an unknown association", func() error {
			_, err := f.app.VerifyAssociation(ctx, app.VerifyAssociation{AssociationID: events.NewEventID().String(), Request: admin})
			return err
		}},
		{"verify a malformed id", func() error {
			_, err := f.app.VerifyAssociation(ctx, app.VerifyAssociation{AssociationID: "'; DROP TABLE x; --", Request: admin})
			return err
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if err := c.run(); err == nil {
				t.Fatal("accepted")
			}
			var evs, names int
			if err := f.pool.QueryRow(ctx, `SELECT (SELECT count(*) FROM eventstore.events), (SELECT count(*) FROM directory.association_names)`).Scan(&evs, &names); err != nil {
				t.Fatal(err)
			}
			if evs != 1 || names != 1 {
				t.Fatalf("%d events and %d names after a refused command, want 1 and 1", evs, names)
			}
		})
	}
}
