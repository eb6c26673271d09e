package adapters_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"passerelle.dev/events"
	"passerelle.dev/events/eventstore"
	"passerelle.dev/events/expertevents"
	"passerelle.dev/experts/adapters"
	"passerelle.dev/experts/app"
	"passerelle.dev/experts/domain/expert"
	"passerelle.dev/kernel/pgtest"
	"passerelle.dev/servicekit/auth"
)

var db *pgtest.Database

func TestMain(m *testing.M) {
	os.Exit(pgtest.Run(m, &db, eventstore.Migrations(), adapters.Migrations()))
}

type testClock struct{ offset atomic.Int64 }

func (c *testClock) now() time.Time      { return time.Now().Add(time.Duration(c.offset.Load())) }
func (c *testClock) add(d time.Duration) { c.offset.Add(int64(d)) }

type fixture struct {
	app   *app.Application
	store *eventstore.Store
	clock *testClock
}

func newFixture(t *testing.T) fixture {
	t.Helper()
	pool := pgtest.PoolFor(t, db.Fresh(t))
	store, err := eventstore.NewStore(eventstore.Config{Pool: pool})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(store.Close)
	registry := events.NewRegistry()
	if err := expertevents.Register(registry); err != nil {
		t.Fatal(err)
	}
	repo, err := adapters.NewExperts(store, registry, bytes.Repeat([]byte{3}, 32))
	if err != nil {
		t.Fatal(err)
	}
	tokens, err := auth.NewTokens([]byte("experts-test-secret-experts-test-secret"))
	if err != nil {
		t.Fatal(err)
	}
	clock := &testClock{}
	reads := adapters.NewReads(pool)
	a, err := app.New(app.Deps{Experts: repo, Institutions: adapters.NewInstitutions(store, registry), Requests: adapters.NewRequests(store, registry),
		Reads: reads, RequestReads: reads, Tokens: tokens}, app.Config{Now: clock.now,
		Retention: expert.Retention{InactiveFor: 365 * 24 * time.Hour, GraceFor: 30 * 24 * time.Hour}})
	if err != nil {
		t.Fatal(err)
	}
	return fixture{app: a, store: store, clock: clock}
}

func consent(purpose string) expert.Consent {
	return expert.Consent{Purpose: purpose, WordingVersion: expert.Wording[purpose]}
}

func profile(name string) expertevents.Profile {
	return expertevents.Profile{Name: name, Fields: []string{"2212"}, Languages: []string{"fr", "wo"}, OriginCountries: []string{"SN"},
		ResidenceCountry: "CH", Availability: expertevents.Availability{Remote: true, DaysPerYear: 20},
		Bio: expertevents.Text{FR: "Cardiologue."}, Email: "amina@example.org"}
}

var coordinator = app.Request{Actor: events.Actor{Role: events.RoleCoordinator, City: "geneva", Subject: "c-ge"}}

func TestAnExpertsPersonalDataIsSealedAndGoneOnceErased(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	res, err := f.app.RegisterExpert(ctx, app.RegisterExpert{Profile: profile("Dr Amina Diallo"),
		Consents: []expert.Consent{consent(expertevents.Processing), consent(expertevents.Roster)}})
	if err != nil {
		t.Fatal(err)
	}
	self := app.Request{Actor: events.Actor{Role: events.RoleExpert, Subject: res.ExpertID}}
	if res.Token == "" {
		t.Fatal("no token for the new expert")
	}
	// Nothing personal in the log's clear text.
	recs, err := f.store.ReadStream(ctx, expertevents.StreamID(res.ExpertID), 1)
	if err != nil {
		t.Fatal(err)
	}
	for _, rec := range recs {
		// (Strings long enough that base64 ciphertext cannot hold them by chance.)
		if bytes.Contains(rec.Data, []byte("Amina Diallo")) || bytes.Contains(rec.Data, []byte("amina@example")) ||
			bytes.Contains(rec.Data, []byte("originCountries")) || bytes.Contains(rec.Data, []byte("Cardiologue")) {
			t.Fatalf("%s holds personal data in clear: %s", rec.Type, rec.Data)
		}
	}
	if roster, _ := f.app.Roster(ctx, app.RosterQuery{}); len(roster) != 0 {
		t.Fatalf("in the roster before verification: %+v", roster)
	}
	if _, err := f.app.VerifyExpert(ctx, app.VerifyExpert{ExpertID: res.ExpertID, Request: self}); !errors.Is(err, expert.ErrModeratorsOnly) {
		t.Fatalf("verifying oneself: %v", err)
	}
	if _, err := f.app.VerifyExpert(ctx, app.VerifyExpert{ExpertID: res.ExpertID, Request: coordinator}); err != nil {
		t.Fatal(err)
	}
	roster, err := f.app.Roster(ctx, app.RosterQuery{Field: "2212", Country: "SN"})
	if err != nil || len(roster) != 1 || roster[0].Profile.Name != "Dr Amina Diallo" || roster[0].Profile.Email != "" {
		t.Fatalf("roster %+v, %v", roster, err)
	}
	if other, _ := f.app.Roster(ctx, app.RosterQuery{Field: "2221"}); len(other) != 0 {
		t.Fatalf("a nurse's roster lists %+v", other)
	}
	// Withdrawn, out of the roster at once; the public no longer sees the expert at all.
	if _, err := f.app.WithdrawConsent(ctx, app.WithdrawConsent{ExpertID: res.ExpertID, Purpose: expertevents.Roster, Request: self}); err != nil {
		t.Fatal(err)
	}
	if roster, _ := f.app.Roster(ctx, app.RosterQuery{}); len(roster) != 0 {
		t.Fatalf("in the roster after withdrawing: %+v", roster)
	}
	if _, ok, _ := f.app.Expert(ctx, app.ExpertQuery{ExpertID: res.ExpertID, Request: app.Request{}}); ok {
		t.Fatal("the public sees an expert who withdrew from the roster")
	}
	if me, ok, _ := f.app.Expert(ctx, app.ExpertQuery{ExpertID: res.ExpertID, Request: self}); !ok || me.Profile.Email != "amina@example.org" {
		t.Fatalf("the expert sees %+v", me)
	}

	// Erased: the events stay, nothing personal can be read again.
	if _, err := f.app.EraseExpert(ctx, app.EraseExpert{ExpertID: res.ExpertID, Request: self}); err != nil {
		t.Fatal(err)
	}
	if _, ok, _ := f.app.Expert(ctx, app.ExpertQuery{ExpertID: res.ExpertID, Request: coordinator}); ok {
		t.Fatal("a coordinator still reads an erased expert")
	}
	after, err := f.store.ReadStream(ctx, expertevents.StreamID(res.ExpertID), 1)
	if err != nil || len(after) <= len(recs) || after[len(after)-1].Type != expertevents.ExpertErasedType {
		t.Fatalf("the stream after erasure: %d events, %v", len(after), err)
	}
	if _, err := f.app.GiveConsent(ctx, app.GiveConsent{ExpertID: res.ExpertID, Purpose: expertevents.Roster,
		WordingVersion: expert.Wording[expertevents.Roster], Request: self}); !errors.Is(err, expert.ErrErased) {
		t.Fatalf("consenting after erasure: %v", err)
	}
}

func TestRetentionRemindsThenErasesTheInactive(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	quiet, err := f.app.RegisterExpert(ctx, app.RegisterExpert{Profile: profile("Dr Quiet"), Consents: []expert.Consent{consent(expertevents.Processing)}})
	if err != nil {
		t.Fatal(err)
	}
	active, err := f.app.RegisterExpert(ctx, app.RegisterExpert{Profile: profile("Dr Active"), Consents: []expert.Consent{consent(expertevents.Processing)}})
	if err != nil {
		t.Fatal(err)
	}
	f.clock.add(366 * 24 * time.Hour)
	if reminded, erased, err := f.app.ApplyRetention(ctx); err != nil || reminded != 2 || erased != 0 {
		t.Fatalf("after a year: %d reminded, %d erased, %v", reminded, erased, err)
	}
	if reminded, erased, _ := f.app.ApplyRetention(ctx); reminded != 0 || erased != 0 {
		t.Fatalf("again: %d reminded, %d erased", reminded, erased)
	}
	// One answers the reminder; a month later the other is erased.
	self := app.Request{Actor: events.Actor{Role: events.RoleExpert, Subject: active.ExpertID}}
	if _, err := f.app.GiveConsent(ctx, app.GiveConsent{ExpertID: active.ExpertID, Purpose: expertevents.Roster,
		WordingVersion: expert.Wording[expertevents.Roster], Request: self}); err != nil {
		t.Fatal(err)
	}
	f.clock.add(31 * 24 * time.Hour)
	if reminded, erased, err := f.app.ApplyRetention(ctx); err != nil || reminded != 0 || erased != 1 {
		t.Fatalf("a month after: %d reminded, %d erased, %v", reminded, erased, err)
	}
	if _, ok, _ := f.app.Expert(ctx, app.ExpertQuery{ExpertID: quiet.ExpertID, Request: coordinator}); ok {
		t.Fatal("the quiet expert is still there")
	}
	if _, ok, _ := f.app.Expert(ctx, app.ExpertQuery{ExpertID: active.ExpertID, Request: coordinator}); !ok {
		t.Fatal("the expert who answered was erased")
	}
}

// TestRacingChangesAndAnErasure races consents given and withdrawn by the expert against
// an admin's erasure: every change lands before the erasure or is refused after it, no
// event follows the erasure, and nothing of the expert can be read afterwards.
func TestRacingChangesAndAnErasure(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	res, err := f.app.RegisterExpert(ctx, app.RegisterExpert{Profile: profile("Dr Race"), Consents: []expert.Consent{consent(expertevents.Processing)}})
	if err != nil {
		t.Fatal(err)
	}
	self := app.Request{Actor: events.Actor{Role: events.RoleExpert, Subject: res.ExpertID}}
	admin := app.Request{Actor: events.Actor{Role: events.RoleAdmin, Subject: "admin"}}
	var (
		wg      sync.WaitGroup
		mu      sync.Mutex
		unknown []error
	)
	start := make(chan struct{})
	for i := range 20 {
		wg.Go(func() {
			<-start
			var err error
			if i%2 == 0 {
				_, err = f.app.GiveConsent(ctx, app.GiveConsent{ExpertID: res.ExpertID, Purpose: expertevents.Roster, WordingVersion: expert.Wording[expertevents.Roster], Request: self})
			} else {
				_, err = f.app.WithdrawConsent(ctx, app.WithdrawConsent{ExpertID: res.ExpertID, Purpose: expertevents.Roster, Request: self})
			}
			if err != nil && !errors.Is(err, expert.ErrErased) {
				mu.Lock()
				unknown = append(unknown, err)
				mu.Unlock()
			}
		})
	}
	wg.Go(func() {
		<-start
		if _, err := f.app.EraseExpert(ctx, app.EraseExpert{ExpertID: res.ExpertID, Request: admin}); err != nil {
			mu.Lock()
			unknown = append(unknown, err)
			mu.Unlock()
		}
	})
	close(start)
	wg.Wait()
	if len(unknown) > 0 {
		t.Fatal(errors.Join(unknown...))
	}
	recs, err := f.store.ReadStream(ctx, expertevents.StreamID(res.ExpertID), 1)
	if err != nil {
		t.Fatal(err)
	}
	for i, rec := range recs {
		if rec.Type == expertevents.ExpertErasedType && i != len(recs)-1 {
			t.Fatalf("%d events after the erasure", len(recs)-1-i)
		}
	}
	if recs[len(recs)-1].Type != expertevents.ExpertErasedType {
		t.Fatalf("the last event is %s", recs[len(recs)-1].Type)
	}
	if _, ok, _ := f.app.Expert(ctx, app.ExpertQuery{ExpertID: res.ExpertID, Request: admin}); ok {
		t.Fatal("the erased expert can still be read")
	}
}
