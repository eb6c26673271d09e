package adapters_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgxpool"

	"passerelle.dev/directory/adapters"
	"passerelle.dev/directory/app"
	"passerelle.dev/directory/domain/association"
	"passerelle.dev/directory/service"
	"passerelle.dev/events"
	"passerelle.dev/events/directoryevents"
	"passerelle.dev/events/eventstore"
	"passerelle.dev/kernel/fault"
	"passerelle.dev/kernel/pgtest"
	"passerelle.dev/servicekit/auth"
	"passerelle.dev/servicekit/command"
)

var db *pgtest.Database

func TestMain(m *testing.M) {
	os.Exit(pgtest.Run(m, &db, service.Migrations()...))
}

var masterKey = bytes.Repeat([]byte{7}, 32)

type fixture struct {
	app    *app.Application
	repo   *adapters.AssociationRepository
	store  *eventstore.Store
	pool   *pgxpool.Pool
	tokens *auth.Tokens
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
	svc := startDirectory(t, store, tokens, masterKey)
	registry := events.NewRegistry()
	if err := directoryevents.Register(registry); err != nil {
		t.Fatal(err)
	}
	return fixture{app: svc.Commands, repo: adapters.NewAssociationRepository(store, registry), store: store, pool: pool, tokens: tokens}
}

// uniqueName keeps the tests of this package apart: they share one database.
func uniqueName(base string) string {
	return fmt.Sprintf("%s %s", base, events.NewEventID().String()[24:])
}

var (
	admin = app.Request{Actor: events.Actor{Role: events.RoleAdmin, Subject: "admin"}}
	awa   = &app.ContactInput{Name: "Awa Diop", Email: "awa.diop@example.org", Phone: "+41 22 555 12 34"}
)

func coordinator(city string) app.Request {
	return app.Request{Actor: events.Actor{Role: events.RoleCoordinator, City: city, Subject: "c-" + city}}
}

func speaksFor(id string) app.Request {
	return app.Request{Actor: events.Actor{Role: events.RoleAssociation, AssociationID: id}}
}

func registration(name, city string, origins ...string) app.RegisterAssociation {
	return app.RegisterAssociation{Profile: app.ProfileInput{Name: name, City: city, OriginCountries: origins}}
}

func (f fixture) register(t *testing.T, cmd app.RegisterAssociation) app.Result {
	t.Helper()
	res, err := f.app.RegisterAssociation(context.Background(), cmd)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func (f fixture) count(t *testing.T, sql string, args ...any) int {
	t.Helper()
	var n int
	if err := f.pool.QueryRow(context.Background(), sql, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestRegisterThenVerify(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	reg := f.register(t, registration(uniqueName("Ghanaian Nurses Network"), "london", "GH"))
	if reg.Association.Status != "PENDING" || reg.Token == "" || reg.Position.IsZero() {
		t.Fatalf("registration: %+v", reg)
	}
	cmd := app.VerifyAssociation{AssociationID: reg.Association.ID, Request: coordinator("london")}
	cmd.Request.CorrelationID = "req-42"
	ver, err := f.app.VerifyAssociation(ctx, cmd)
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
	name := uniqueName("Association des Sénégalais de Genève")
	first := f.register(t, registration(name, "geneva", "SN"))

	shouting := "  " + strings.ToUpper(strings.NewReplacer("é", "E", "è", "E").Replace(name)) + " !! "
	_, err := f.app.RegisterAssociation(ctx, registration(shouting, "geneva", "SN"))
	var dup *association.DuplicateNameError
	if !errors.As(err, &dup) {
		t.Fatalf("got %v, want a duplicate name error", err)
	}
	if dup.ExistingID != first.Association.ID || dup.ExistingName != name {
		t.Fatalf("the error names %s %q, want %s %q", dup.ExistingID, dup.ExistingName, first.Association.ID, name)
	}
	// The same name elsewhere is another association.
	f.register(t, registration(name, "brussels", "SN"))
}

func TestNamesFollowRenamesRejectionsAndDissolutions(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	taken, free := uniqueName("Congolese Engineers"), uniqueName("Kinshasa Builders")
	a := f.register(t, registration(uniqueName("Engineers of the Congo"), "brussels", "CD"))
	f.register(t, registration(taken, "brussels", "CD"))

	rename := func(to string) error {
		_, err := f.app.UpdateAssociationProfile(ctx, app.UpdateAssociationProfile{AssociationID: a.Association.ID,
			Patch: app.ProfilePatch{Name: app.Some(to)}, Request: speaksFor(a.Association.ID)})
		return err
	}
	var dup *association.DuplicateNameError
	if err := rename(strings.ToLower(taken)); !errors.As(err, &dup) {
		t.Fatalf("renaming to a taken name: %v", err)
	}
	if err := rename(free); err != nil {
		t.Fatal(err)
	}
	// The old name is free now, the new one taken.
	f.register(t, registration(a.Association.Name, "brussels", "CD"))
	if _, err := f.app.RegisterAssociation(ctx, registration(free, "brussels", "CD")); !errors.As(err, &dup) {
		t.Fatalf("registering the new name: %v", err)
	}

	// A rejected registration frees its name for a corrected one.
	rejected := f.register(t, registration(uniqueName("Double Registration"), "paris", "ML"))
	if _, err := f.app.RejectAssociation(ctx, app.RejectAssociation{AssociationID: rejected.Association.ID,
		Reason: "registered twice; see the original", Request: coordinator("paris")}); err != nil {
		t.Fatal(err)
	}
	f.register(t, registration(rejected.Association.Name, "paris", "ML"))
}

func TestConcurrentRegistrationsOfOneNameLeaveExactlyOne(t *testing.T) {
	t.Parallel()
	const clients = 20
	f := newFixture(t)
	ctx := context.Background()
	name := uniqueName("Moroccan Investors Club")

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
			reg, err := f.app.RegisterAssociation(ctx, registration(name, "paris", "MA"))
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
	if n := f.count(t, `SELECT count(*) FROM directory.association_names WHERE name = $1`, name); n != 1 {
		t.Fatalf("%d reservations of the name", n)
	}
}

func TestConcurrentVerificationsRecordOneEvent(t *testing.T) {
	t.Parallel()
	const clients = 10
	f := newFixture(t)
	ctx := context.Background()
	reg := f.register(t, registration(uniqueName("Cap-Verdean Credit Union"), "washington", "CV"))
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
			var transition *association.TransitionError
			switch {
			case err == nil:
				ok++
			case errors.As(err, &transition):
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

func TestARetriedRegistrationCreatesOneAssociation(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	cmd := registration(uniqueName("Malian Postal Remittances"), "paris", "ML")
	cmd.Contact = awa
	cmd.Request.IdempotencyKey = uuid.NewString()

	first := f.register(t, cmd)
	again := f.register(t, cmd)
	if again.Association.ID != first.Association.ID || again.Position != first.Position || !again.Replayed || again.Token == "" {
		t.Fatalf("retry: %+v\nfirst: %+v", again, first)
	}
	// One registration; the retry's fresh key is the only other event.
	stream := directoryevents.StreamID(first.Association.ID)
	if n := f.count(t, `SELECT count(*) FROM eventstore.events WHERE stream_id = $1 AND event_type = $2`, stream, directoryevents.AssociationRegisteredType); n != 1 {
		t.Fatalf("%d registrations for one registration retried", n)
	}

	// The same key with another request is refused, and writes nothing.
	other := cmd
	other.Profile.Name = uniqueName("Someone Else")
	if _, err := f.app.RegisterAssociation(ctx, other); !errors.Is(err, command.ErrKeyReused) {
		t.Fatalf("reused key: %v", err)
	}
	if n := f.count(t, `SELECT count(*) FROM directory.association_names WHERE name = $1`, other.Profile.Name); n != 0 {
		t.Fatal("a refused request reserved its name")
	}
}

// A repeat of a registration within the replay window answers with a fresh key and
// ends the first one: whoever repeats a leaked idempotency key never holds a key the
// association does not know has changed — its own stops working.
func TestARepeatedRegistrationGivesAFreshKeyAndEndsTheFirst(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	cmd := registration(uniqueName("Ghanaian Nurses in Geneva"), "geneva", "GH")
	cmd.Request.IdempotencyKey = uuid.NewString()
	first := f.register(t, cmd)
	again := f.register(t, cmd)
	firstKey, err := f.tokens.Parse(first.Token)
	if err != nil {
		t.Fatal(err)
	}
	againKey, err := f.tokens.Parse(again.Token)
	if err != nil {
		t.Fatal(err)
	}
	gen, err := f.app.KeyGeneration(ctx, first.Association.ID)
	if err != nil {
		t.Fatal(err)
	}
	if firstKey.KeyGeneration != 0 || againKey.KeyGeneration != 1 || gen != 1 || againKey.AssociationID != first.Association.ID {
		t.Fatalf("first key of generation %d, repeat's %d, current %d", firstKey.KeyGeneration, againKey.KeyGeneration, gen)
	}
	if n := f.count(t, `SELECT count(*) FROM eventstore.events WHERE stream_id = $1 AND event_type = $2`,
		directoryevents.StreamID(first.Association.ID), directoryevents.AssociationKeyRenewedType); n != 1 {
		t.Fatalf("%d key renewals for one repeat", n)
	}
}

// After the replay window, a repeat answers with the association and no key, and writes
// nothing.
func TestARepeatAfterTheReplayWindowCarriesNoKey(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	cmd := registration(uniqueName("Eritrean Women of Geneva"), "geneva", "ER")
	cmd.Request.IdempotencyKey = uuid.NewString()
	first := f.register(t, cmd)
	// The first answer is 25 hours old (the window is 24).
	if _, err := f.pool.Exec(context.Background(), `UPDATE directory.idempotency_keys SET created_at = created_at - interval '25 hours'
		WHERE key = $1`, cmd.Request.IdempotencyKey); err != nil {
		t.Fatal(err)
	}
	late := f.register(t, cmd)
	if late.Token != "" || late.KeyWithheld != command.KeyWithheld || !late.Replayed || late.Association.ID != first.Association.ID {
		t.Fatalf("a late repeat answered %+v", late)
	}
	if n := f.count(t, `SELECT count(*) FROM eventstore.events WHERE stream_id = $1`, directoryevents.StreamID(first.Association.ID)); n != 1 {
		t.Fatalf("a late repeat wrote: %d events", n)
	}
}

// Without a token, everyone shares one space of idempotency keys: a guessable one is
// refused before anything is written.
func TestAGuessableAnonymousKeyIsRefused(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	cmd := registration(uniqueName("Congolese Doctors of Brussels"), "brussels", "CD")
	for _, key := range []string{"key-12345678", "registration-0001", "aaaaaaaaaaaaaaaaaaaaaaaa"} {
		cmd.Request.IdempotencyKey = key
		if _, err := f.app.RegisterAssociation(context.Background(), cmd); !errors.Is(err, command.ErrGuessableKey) {
			t.Fatalf("the key %q: %v", key, err)
		}
	}
	if n := f.count(t, `SELECT count(*) FROM directory.association_names WHERE name = $1`, cmd.Profile.Name); n != 0 {
		t.Fatal("a refused registration reserved its name")
	}
}

func TestRetriesRacingEachOtherCreateOneAssociation(t *testing.T) {
	t.Parallel()
	const attempts = 8
	f := newFixture(t)
	cmd := registration(uniqueName("Somali Health Professionals"), "london", "SO")
	cmd.Request.IdempotencyKey = uuid.NewString()
	var (
		wg    sync.WaitGroup
		start = make(chan struct{})
		mu    sync.Mutex
		ids   = map[string]int{}
		errs  []error
	)
	for i := 0; i < attempts; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			res, err := f.app.RegisterAssociation(context.Background(), cmd)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				errs = append(errs, err)
				return
			}
			ids[res.Association.ID]++
		}()
	}
	close(start)
	wg.Wait()
	if len(errs) > 0 || len(ids) != 1 {
		t.Fatalf("%d associations from %d copies of one request (errors %v)", len(ids), attempts, errs)
	}
}

func TestARetriedVerificationReturnsTheFirstResult(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	reg := f.register(t, registration(uniqueName("Filipino Nurses"), "london", "PH"))
	cmd := app.VerifyAssociation{AssociationID: reg.Association.ID, Request: coordinator("london")}
	cmd.Request.IdempotencyKey = "verify-" + events.NewEventID().String()
	first, err := f.app.VerifyAssociation(ctx, cmd)
	if err != nil {
		t.Fatal(err)
	}
	again, err := f.app.VerifyAssociation(ctx, cmd)
	if err != nil || again.Position != first.Position || again.Association.Status != "VERIFIED" {
		t.Fatalf("retry: %+v, %v", again, err)
	}
	// Without the key, verifying again is the conflict it is.
	cmd.Request.IdempotencyKey = ""
	if _, err := f.app.VerifyAssociation(ctx, cmd); fault.CodeOf(err) != fault.Conflict {
		t.Fatalf("verifying twice: %v", err)
	}
}

func TestContactIsSealedAndForgettingDestroysIt(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	cmd := registration(uniqueName("Eritrean Women in Geneva"), "geneva", "ER")
	cmd.Contact = awa
	reg := f.register(t, cmd)
	id := reg.Association.ID

	// In the event log the contact is sealed: the clear values appear nowhere.
	var raw string
	if err := f.pool.QueryRow(ctx, `SELECT data::text FROM eventstore.events WHERE stream_id = $1`, directoryevents.StreamID(id)).Scan(&raw); err != nil {
		t.Fatal(err)
	}
	for _, v := range []string{awa.Name, awa.Email, "41225551234", "555 12 34"} { // the phone, as given and as normalised
		if strings.Contains(raw, v) {
			t.Fatalf("the event holds %q in clear: %s", v, raw)
		}
	}
	sealed := sealedContacts(t, f, id)
	reveal := func(req app.Request) map[string]app.RevealedContact {
		t.Helper()
		out, err := f.app.RevealContacts(ctx, app.RevealContacts{Sealed: []app.SealedRef{{AssociationID: id, Ciphertext: sealed[0]}}, Request: req})
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	for name, c := range map[string]struct {
		req  app.Request
		sees bool
	}{
		"admin": {admin, true}, "itself": {speaksFor(id), true}, "geneva coordinator": {coordinator("geneva"), true},
		"london coordinator": {coordinator("london"), false}, "another association": {speaksFor(events.NewEventID().String()), false},
		"anonymous": {app.Request{}, false},
	} {
		got, ok := reveal(c.req)[id]
		if ok != c.sees || (ok && (got.Contact == nil || got.Contact.Email != awa.Email || got.Contact.Phone != "+41225551234")) {
			t.Errorf("%s: got %+v (present %v), should see: %v", name, got, ok, c.sees)
		}
	}

	if _, err := f.app.ForgetAssociationContact(ctx, app.ForgetAssociationContact{AssociationID: id, Request: speaksFor(id)}); err != nil {
		t.Fatal(err)
	}
	if n := f.count(t, `SELECT count(*) FROM directory.contact_keys WHERE association_id = $1`, id); n != 0 {
		t.Fatal("the key survived forgetting")
	}
	// The sealed copy is still in the (immutable) log, and now nobody can open it.
	if got := reveal(admin)[id]; !got.Erased || got.Contact != nil {
		t.Fatalf("after forgetting, the admin gets %+v", got)
	}
	a, err := f.repo.Load(ctx, id)
	if err != nil || a.Contact() != nil {
		t.Fatalf("the association still has a contact: %v", err)
	}

	// A new contact can be given afterwards; it is sealed under a new key, and the old
	// copies stay unreadable.
	if _, err := f.app.UpdateAssociationProfile(ctx, app.UpdateAssociationProfile{AssociationID: id,
		Patch:   app.ProfilePatch{Contact: app.Some(app.ContactInput{Name: "Senait Tesfay", Email: "senait@example.org"})},
		Request: speaksFor(id)}); err != nil {
		t.Fatal(err)
	}
	if got := reveal(admin)[id]; !got.Erased {
		t.Fatalf("the forgotten contact opened under the new key: %+v", got)
	}
}

// sealedContacts returns the sealed contacts in an association's events, oldest first.
func sealedContacts(t *testing.T, f fixture, id string) [][]byte {
	t.Helper()
	rows, err := f.pool.Query(context.Background(), `SELECT decode(coalesce(data #>> '{profile,contact,ciphertext}', data #>> '{changes,contact,ciphertext}'), 'base64')
		FROM eventstore.events WHERE stream_id = $1 ORDER BY stream_version`, directoryevents.StreamID(id))
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out [][]byte
	for rows.Next() {
		var b []byte
		if err := rows.Scan(&b); err != nil {
			t.Fatal(err)
		}
		if b != nil {
			out = append(out, b)
		}
	}
	return out
}

func TestAnUpdateThatChangesNothingWritesNothing(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	cmd := registration(uniqueName("Tunisian Students"), "paris", "TN")
	cmd.Contact = awa
	reg := f.register(t, cmd)
	res, err := f.app.UpdateAssociationProfile(ctx, app.UpdateAssociationProfile{AssociationID: reg.Association.ID,
		Patch:   app.ProfilePatch{Name: app.Some(reg.Association.Name), Contact: app.Some(*awa)},
		Request: speaksFor(reg.Association.ID)})
	if err != nil || len(res.ChangedFields) != 0 || !res.Position.IsZero() {
		t.Fatalf("no-op update: %+v, %v", res, err)
	}
	if n := f.count(t, `SELECT count(*) FROM eventstore.events WHERE stream_id = $1`, directoryevents.StreamID(reg.Association.ID)); n != 1 {
		t.Fatalf("%d events after a no-op update", n)
	}
}

func TestRefusedCommandsWriteNothing(t *testing.T) {
	t.Parallel()
	f := newFixtureOn(t, db.Fresh(t)) // a log of its own, to count every row
	ctx := context.Background()
	reg := f.register(t, registration("Liberian Teachers", "washington", "LR"))
	id := reg.Association.ID
	cases := []struct {
		name string
		run  func() error
	}{
		{"unknown city", func() error {
			_, err := f.app.RegisterAssociation(ctx, registration("Atlantean Union", "atlantis", "LR"))
			return err
		}},
		{"duplicate name", func() error {
			_, err := f.app.RegisterAssociation(ctx, registration("LIBERIAN teachers", "washington", "LR"))
			return err
		}},
		{"bad contact", func() error {
			cmd := registration("Liberian Nurses", "washington", "LR")
			cmd.Contact = &app.ContactInput{Name: "X", Email: "not-an-email"}
			_, err := f.app.RegisterAssociation(ctx, cmd)
			return err
		}},
		{"verify anonymously", func() error {
			_, err := f.app.VerifyAssociation(ctx, app.VerifyAssociation{AssociationID: id})
			return err
		}},
		{"verify from another city", func() error {
			_, err := f.app.VerifyAssociation(ctx, app.VerifyAssociation{AssociationID: id, Request: coordinator("london")})
			return err
		}},
		{"update by a coordinator", func() error {
			_, err := f.app.UpdateAssociationProfile(ctx, app.UpdateAssociationProfile{AssociationID: id,
				Patch: app.ProfilePatch{Acronym: app.Some("LT")}, Request: coordinator("washington")})
			return err
		}},
		{"contact set by another association", func() error {
			_, err := f.app.UpdateAssociationProfile(ctx, app.UpdateAssociationProfile{AssociationID: id,
				Patch: app.ProfilePatch{Contact: app.Some(*awa)}, Request: speaksFor(events.NewEventID().String())})
			return err
		}},
		{"suspend a pending association", func() error {
			_, err := f.app.SuspendAssociation(ctx, app.SuspendAssociation{AssociationID: id, Reason: "inactive", Request: admin})
			return err
		}},
		{"reject without a reason", func() error {
			_, err := f.app.RejectAssociation(ctx, app.RejectAssociation{AssociationID: id, Request: admin})
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
			evs := f.count(t, `SELECT count(*) FROM eventstore.events`)
			names := f.count(t, `SELECT count(*) FROM directory.association_names`)
			keys := f.count(t, `SELECT count(*) FROM directory.contact_keys`)
			if evs != 1 || names != 1 || keys != 0 {
				t.Fatalf("%d events, %d names, %d keys after a refused command, want 1, 1, 0", evs, names, keys)
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

// A repeat for an association dissolved since gets no key, and says why.
func TestARepeatForADissolvedAssociationCarriesNoKey(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	cmd := registration(uniqueName("Somali Doctors of London"), "london", "SO")
	cmd.Request.IdempotencyKey = uuid.NewString()
	first := f.register(t, cmd)
	if _, err := f.app.DissolveAssociation(context.Background(), app.DissolveAssociation{AssociationID: first.Association.ID, Request: speaksFor(first.Association.ID)}); err != nil {
		t.Fatal(err)
	}
	late := f.register(t, cmd)
	if late.Token != "" || late.KeyWithheld != app.KeyWithheldDissolved || !late.Replayed {
		t.Fatalf("a repeat after the dissolution: %+v", late)
	}
}
