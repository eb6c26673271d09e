package adapters_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgxpool"

	"passerelle.dev/events"
	"passerelle.dev/events/directoryevents"
	"passerelle.dev/events/eventstore"
	"passerelle.dev/events/sessionevents"
	"passerelle.dev/kernel/fault"
	"passerelle.dev/kernel/pgtest"
	"passerelle.dev/servicekit/auth"
	"passerelle.dev/servicekit/command"
	"passerelle.dev/sessions/app"
	"passerelle.dev/sessions/domain/session"
	"passerelle.dev/sessions/service"
)

var db *pgtest.Database

func TestMain(m *testing.M) { os.Exit(pgtest.Run(m, &db, service.Migrations()...)) }

// now is the sessions' clock in these tests: before the 2027 dates they schedule.
var now = time.Date(2026, 11, 28, 18, 0, 0, 0, time.UTC)

var (
	admin    = app.Request{Actor: events.Actor{Role: events.RoleAdmin, Subject: "admin"}}
	brussels = app.Request{Actor: events.Actor{Role: events.RoleCoordinator, City: "brussels", Subject: "c-bx"}}
	london   = app.Request{Actor: events.Actor{Role: events.RoleCoordinator, City: "london", Subject: "c-lo"}}
)

type fixture struct {
	svc   *service.Service
	store *eventstore.Store
	pool  *pgxpool.Pool
	// stop ends the service (the test's end does too); a fixture started again on pool
	// finds the service's state as it was left.
	stop func()
}

// newFixture runs the sessions service (its projections included) on a database of its
// own.
func newFixture(t *testing.T) fixture {
	t.Helper()
	return startService(t, pgtest.PoolFor(t, db.Fresh(t)), func() time.Time { return now })
}

// startService runs the sessions service on pool with the clock given.
func startService(t *testing.T, pool *pgxpool.Pool, clock func() time.Time) fixture {
	t.Helper()
	store, err := eventstore.NewStore(eventstore.Config{Pool: pool})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(store.Close)
	tokens, err := auth.NewTokens([]byte("sessions-test-secret-sessions-test-secret"))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	notifications := eventstore.NewNotifications(pool, nil)
	svc, err := service.New(service.Deps{Store: store, Notifications: notifications, Tokens: tokens}, service.Config{App: app.Config{Now: clock}})
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { defer wg.Done(); _ = notifications.Run(ctx) }()
	go func() {
		defer wg.Done()
		if err := svc.Run(ctx); err != nil {
			t.Errorf("sessions service: %v", err)
		}
	}()
	stop := sync.OnceFunc(func() { cancel(); wg.Wait() })
	t.Cleanup(stop)
	pgtest.Eventually(t, 10*time.Second, "the default cities", func() (bool, error) {
		v, err := store.StreamVersion(ctx, sessionevents.CityStreamID("washington"))
		return v == 1, err
	})
	return fixture{svc: svc, store: store, pool: pool, stop: stop}
}

// verifiedAssociations appends the directory's events of n verified associations.
func (f fixture) verifiedAssociations(t *testing.T, n int) []string {
	t.Helper()
	reg := events.NewRegistry()
	if err := directoryevents.Register(reg); err != nil {
		t.Fatal(err)
	}
	ids := make([]string, n)
	for i := range ids {
		ids[i] = uuid.Must(uuid.NewV7()).String()
		registered, _ := reg.New(directoryevents.AssociationRegistered{AssociationID: ids[i],
			Profile: directoryevents.Profile{ProfileDetails: directoryevents.ProfileDetails{Name: fmt.Sprintf("Association %d", i), City: "brussels", OriginCountries: []string{"CD"}}}}, events.Metadata{Actor: events.System})
		verified, _ := reg.New(directoryevents.AssociationVerified{AssociationID: ids[i]}, events.Metadata{Actor: events.System})
		if _, err := f.store.Append(context.Background(), directoryevents.StreamID(ids[i]), eventstore.NoStream, registered, verified); err != nil {
			t.Fatal(err)
		}
	}
	return ids
}

func schedule(start string, capacity int, venue string) app.ScheduleSession {
	return app.ScheduleSession{
		City: "brussels", Title: sessionevents.Text{EN: "Diaspora health professionals"}, Theme: "HEALTH",
		OriginCountries: []string{"CD"}, Venue: sessionevents.Venue{Name: venue, Address: "Rue de la Loi 155"},
		When: app.When{Start: start, DurationMinutes: 120}, Capacity: capacity, Request: brussels,
	}
}

func (f fixture) schedule(t *testing.T, cmd app.ScheduleSession) string {
	t.Helper()
	res, err := f.svc.Commands.ScheduleSession(context.Background(), cmd)
	if err != nil {
		t.Fatal(err)
	}
	return res.SessionID
}

func TestFiftyRegistrationsForTenSeats(t *testing.T) {
	t.Parallel()
	const associations, seats = 50, 10
	f := newFixture(t)
	ctx := context.Background()
	ids := f.verifiedAssociations(t, associations)
	sessionID := f.schedule(t, schedule("2027-03-20T18:00", seats, "Résidence Palace"))

	type placement struct {
		association string
		p           *app.Placement
	}
	var (
		wg     sync.WaitGroup
		start  = make(chan struct{})
		mu     sync.Mutex
		placed []placement
		errs   []error
	)
	for _, id := range ids {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			res, err := f.svc.Commands.RegisterForSession(ctx, app.RegisterForSession{SessionID: sessionID, AssociationID: id, Seats: 1,
				Request: app.Request{Actor: events.Actor{Role: events.RoleAssociation, AssociationID: id}}})
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				errs = append(errs, err)
				return
			}
			placed = append(placed, placement{id, res.Registration})
		}()
	}
	close(start)
	wg.Wait()
	if len(errs) > 0 {
		t.Fatalf("errors: %v", errs)
	}
	confirmed, waitlisted := 0, map[int]string{}
	for _, p := range placed {
		switch p.p.Status {
		case "CONFIRMED":
			confirmed++
		case "WAITLISTED":
			if prev, dup := waitlisted[p.p.WaitlistPosition]; dup {
				t.Fatalf("waitlist position %d given twice (%s, %s)", p.p.WaitlistPosition, prev, p.association)
			}
			waitlisted[p.p.WaitlistPosition] = p.p.RegistrationID
		}
	}
	if confirmed != seats || len(waitlisted) != associations-seats {
		t.Fatalf("%d confirmed, %d waitlisted", confirmed, len(waitlisted))
	}
	// The waitlist order is the order in which the registrations were stored.
	recs, err := f.store.ReadStream(ctx, sessionevents.SessionStreamID(sessionID), 1)
	if err != nil {
		t.Fatal(err)
	}
	var stored []string
	for _, rec := range recs {
		if rec.Type == sessionevents.RegistrationWaitlistedType {
			var e struct {
				RegistrationID string `json:"registrationId"`
			}
			if err := jsonUnmarshal(rec.Data, &e); err != nil {
				t.Fatal(err)
			}
			stored = append(stored, e.RegistrationID)
		}
	}
	for i, id := range stored {
		if waitlisted[i+1] != id {
			t.Fatalf("waitlist position %d is %s, but the %d-th waitlisted registration stored is %s", i+1, waitlisted[i+1], i+1, id)
		}
	}

	// Three confirmed registrations are cancelled: the waitlist policy promotes the
	// first three waiting, and nobody else.
	var cancelled int
	for _, p := range placed {
		if p.p.Status == "CONFIRMED" && cancelled < 3 {
			if _, err := f.svc.Commands.CancelSessionRegistration(ctx, app.CancelSessionRegistration{SessionID: sessionID,
				RegistrationID: p.p.RegistrationID, Request: app.Request{Actor: events.Actor{Role: events.RoleAssociation, AssociationID: p.association}}}); err != nil {
				t.Fatal(err)
			}
			cancelled++
		}
	}
	pgtest.Eventually(t, 10*time.Second, "three promotions", func() (bool, error) {
		recs, err := f.store.ReadStream(ctx, sessionevents.SessionStreamID(sessionID), 1)
		n := 0
		for _, rec := range recs {
			if rec.Type == sessionevents.RegistrationPromotedType {
				n++
			}
		}
		return n >= 3, err
	})
	recs, _ = f.store.ReadStream(ctx, sessionevents.SessionStreamID(sessionID), 1)
	var promoted []string
	for _, rec := range recs {
		if rec.Type == sessionevents.RegistrationPromotedType {
			var e struct {
				RegistrationID string `json:"registrationId"`
			}
			if err := jsonUnmarshal(rec.Data, &e); err != nil {
				t.Fatal(err)
			}
			promoted = append(promoted, e.RegistrationID)
			if rec.Metadata.Actor.Role != events.RoleSystem || rec.Metadata.CausationID == "" {
				t.Fatalf("a promotion's metadata: %+v", rec.Metadata)
			}
		}
	}
	if len(promoted) != 3 || promoted[0] != waitlisted[1] || promoted[1] != waitlisted[2] || promoted[2] != waitlisted[3] {
		t.Fatalf("promoted %v, want the first three waiting %v", promoted, []string{waitlisted[1], waitlisted[2], waitlisted[3]})
	}
}

func TestVenuesAreNeverDoubleBooked(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	first := f.schedule(t, schedule("2027-03-20T18:00", 10, "Résidence Palace"))

	_, err := f.svc.Commands.ScheduleSession(ctx, schedule("2027-03-20T19:00", 10, "RESIDENCE PALACE"))
	var taken *session.VenueTakenError
	if !errors.As(err, &taken) || taken.OtherSessionID != first || fault.CodeOf(err) != fault.Conflict {
		t.Fatalf("an overlapping session: %v", err)
	}
	// Right after the first ends, the venue is free; elsewhere at the same time too.
	next := f.schedule(t, schedule("2027-03-20T20:00", 10, "Résidence Palace"))
	f.schedule(t, schedule("2027-03-20T18:00", 10, "Maison des Associations"))

	// Moving the next one into the first is refused; cancelling the first frees it.
	if _, err := f.svc.Commands.RescheduleSession(ctx, app.RescheduleSession{SessionID: next,
		When: app.When{Start: "2027-03-20T19:30", DurationMinutes: 60}, Request: brussels}); !errors.As(err, &taken) {
		t.Fatalf("rescheduling into another session: %v", err)
	}
	if _, err := f.svc.Commands.CancelSession(ctx, app.CancelSession{SessionID: first, Reason: "moved online", Request: brussels}); err != nil {
		t.Fatal(err)
	}
	f.schedule(t, schedule("2027-03-20T17:45", 10, "Résidence Palace")) // ends at 19:45, before the next
}

func TestRacingSchedulersBookAVenueOnce(t *testing.T) {
	t.Parallel()
	const schedulers = 10
	f := newFixture(t)
	var (
		wg          sync.WaitGroup
		start       = make(chan struct{})
		mu          sync.Mutex
		ok, refused int
		others      []error
	)
	for i := 0; i < schedulers; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			// Each starts ten minutes after the previous and lasts two hours: all overlap.
			_, err := f.svc.Commands.ScheduleSession(context.Background(), schedule(fmt.Sprintf("2027-04-10T%02d:%02d", 14+i/6, i%6*10), 10, "Salle Polyvalente"))
			mu.Lock()
			defer mu.Unlock()
			var taken *session.VenueTakenError
			switch {
			case err == nil:
				ok++
			case errors.As(err, &taken):
				refused++
			default:
				others = append(others, err)
			}
		}()
	}
	close(start)
	wg.Wait()
	if ok != 1 || refused != schedulers-1 || len(others) > 0 {
		t.Fatalf("%d scheduled, %d refused, others %v", ok, refused, others)
	}
}

func TestStartsAcrossDaylightSavingChanges(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	cases := []struct {
		name, city, start, offset string
		req                       app.Request
		reason                    string // "" = accepted
	}{
		{"02:30 on the spring-forward night in Brussels", "brussels", "2027-03-28T02:30", "", brussels, "NONEXISTENT_LOCAL_TIME"},
		{"01:30 on the fall-back night in London", "london", "2027-10-31T01:30", "", london, "AMBIGUOUS_LOCAL_TIME"},
		{"01:30 on the fall-back night in London, summer time", "london", "2027-10-31T01:30", "+01:00", london, ""},
		{"01:30 on the fall-back night in London, winter time", "london", "2027-10-31T01:30", "+00:00", london, ""},
	}
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cmd := schedule(c.start, 10, fmt.Sprintf("Venue %d", i))
			cmd.City, cmd.Request, cmd.When.StartOffset = c.city, c.req, c.offset
			res, err := f.svc.Commands.ScheduleSession(ctx, cmd)
			if c.reason == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if fault.CodeOf(err) != fault.BadUserInput || fault.DetailsOf(err)["reason"] != c.reason || res.SessionID != "" {
				t.Fatalf("got %v (details %v), want %s", err, fault.DetailsOf(err), c.reason)
			}
		})
	}
}

func TestOnlyVerifiedAssociationsRegister(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	sessionID := f.schedule(t, schedule("2027-03-20T18:00", 10, "Résidence Palace"))
	unknown := uuid.Must(uuid.NewV7()).String()
	_, err := f.svc.Commands.RegisterForSession(ctx, app.RegisterForSession{SessionID: sessionID, AssociationID: unknown, Seats: 1, Request: admin})
	if !errors.Is(err, app.ErrNotVerified) {
		t.Fatalf("an unknown association: %v", err)
	}
	// Verified a moment ago: the service waits for the directory's events.
	id := f.verifiedAssociations(t, 1)[0]
	res, err := f.svc.Commands.RegisterForSession(ctx, app.RegisterForSession{SessionID: sessionID, AssociationID: id, Seats: 2, Request: admin})
	if err != nil || res.Registration.Status != "CONFIRMED" {
		t.Fatalf("a verified association: %+v, %v", res, err)
	}
	// The same request again with an idempotency key: one registration.
	req := admin
	req.IdempotencyKey = "register-" + uuid.NewString()
	other := f.verifiedAssociations(t, 1)[0]
	first, err := f.svc.Commands.RegisterForSession(ctx, app.RegisterForSession{SessionID: sessionID, AssociationID: other, Seats: 1, Request: req})
	if err != nil {
		t.Fatal(err)
	}
	again, err := f.svc.Commands.RegisterForSession(ctx, app.RegisterForSession{SessionID: sessionID, AssociationID: other, Seats: 1, Request: req})
	if err != nil || !again.Replayed || again.Registration.RegistrationID != first.Registration.RegistrationID {
		t.Fatalf("a retried registration: %+v, %v", again, err)
	}
}

func TestOpeningACity(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	if _, err := f.svc.Commands.OpenCity(ctx, app.OpenCity{Slug: "madrid", Name: "Madrid", TimeZone: "Europe/Madrid", Country: "ES", Request: brussels}); fault.CodeOf(err) != fault.Forbidden {
		t.Fatalf("a coordinator opening a city: %v", err)
	}
	if _, err := f.svc.Commands.OpenCity(ctx, app.OpenCity{Slug: "madrid", Name: "Madrid", TimeZone: "Mars/Olympus", Country: "ES", Request: admin}); fault.CodeOf(err) != fault.BadUserInput {
		t.Fatalf("an unknown zone: %v", err)
	}
	if _, err := f.svc.Commands.OpenCity(ctx, app.OpenCity{Slug: "madrid", Name: "Madrid", TimeZone: "Europe/Madrid", Country: "ES", Request: admin}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Commands.OpenCity(ctx, app.OpenCity{Slug: "geneva", Name: "Genève", TimeZone: "Europe/Zurich", Country: "CH", Request: admin}); fault.CodeOf(err) != fault.Conflict {
		t.Fatalf("opening Geneva again: %v", err)
	}
	cmd := schedule("2027-05-06T19:00", 30, "Casa Árabe")
	cmd.City, cmd.Request = "madrid", admin
	res, err := f.svc.Commands.ScheduleSession(ctx, cmd)
	if err != nil {
		t.Fatal(err)
	}
	recs, _ := f.store.ReadStream(ctx, sessionevents.SessionStreamID(res.SessionID), 1)
	var e sessionevents.SessionScheduled
	if err := jsonUnmarshal(recs[0].Data, &e); err != nil || e.Timing.Start.Format(time.RFC3339) != "2027-05-06T17:00:00Z" || e.Timing.TimeZone != "Europe/Madrid" {
		t.Fatalf("a Madrid session: %+v, %v", e.Timing, err)
	}
}

func jsonUnmarshal(data []byte, v any) error { return json.Unmarshal(data, v) }

func TestConcurrentAppointmentsAreAllKept(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	const n = 12
	ids := make([]string, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			res, err := f.svc.Commands.AppointCoordinator(ctx, app.AppointCoordinator{City: "geneva", Name: fmt.Sprintf("Coordinator %d", i), Request: admin})
			if err != nil {
				t.Errorf("appointment %d: %v", i, err)
				return
			}
			ids[i] = res.Coordinator.ID
		})
	}
	wg.Wait()
	recs, err := f.store.ReadStream(ctx, sessionevents.CityStreamID("geneva"), 1)
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != n+1 {
		t.Fatalf("%d events in Geneva's stream, want the opening and %d appointments", len(recs), n)
	}

	// A retry with the same key appoints nobody new, and signs a token for the same
	// coordinator.
	req := admin
	req.IdempotencyKey = "appoint-geneva-7d2f"
	first, err := f.svc.Commands.AppointCoordinator(ctx, app.AppointCoordinator{City: "geneva", Name: "Awa Diop", Request: req})
	if err != nil {
		t.Fatal(err)
	}
	again, err := f.svc.Commands.AppointCoordinator(ctx, app.AppointCoordinator{City: "geneva", Name: "Awa Diop", Request: req})
	if err != nil || !again.Replayed || again.Coordinator.ID != first.Coordinator.ID || again.Position != first.Position || again.Coordinator.Token == "" {
		t.Fatalf("replay: %+v after %+v (%v)", again, first, err)
	}
	if v, _ := f.store.StreamVersion(ctx, sessionevents.CityStreamID("geneva")); v != n+2 {
		t.Fatalf("Geneva's stream at version %d after a replay", v)
	}
	// After the replay window (24 hours), a repeat names the coordinator and carries no
	// token: an idempotency key found in a log later yields nothing.
	if _, err := f.pool.Exec(ctx, `UPDATE sessions.idempotency_keys SET created_at = created_at - interval '25 hours'
		WHERE key = $1`, req.IdempotencyKey); err != nil {
		t.Fatal(err)
	}
	late, err := f.svc.Commands.AppointCoordinator(ctx, app.AppointCoordinator{City: "geneva", Name: "Awa Diop", Request: req})
	if err != nil || !late.Replayed || late.Coordinator.ID != first.Coordinator.ID || late.Coordinator.Token != "" ||
		late.Coordinator.KeyWithheld != command.KeyWithheld {
		t.Fatalf("late replay: %+v (%v)", late.Coordinator, err)
	}
	if _, err := f.svc.Commands.DismissCoordinator(ctx, app.DismissCoordinator{City: "geneva", CoordinatorID: ids[0], Request: brussels}); fault.CodeOf(err) != fault.Forbidden {
		t.Fatalf("a coordinator dismissing: %v", err)
	}
	if _, err := f.svc.Commands.DismissCoordinator(ctx, app.DismissCoordinator{City: "geneva", CoordinatorID: ids[0], Request: admin}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Commands.DismissCoordinator(ctx, app.DismissCoordinator{City: "atlantis", CoordinatorID: ids[1], Request: admin}); fault.CodeOf(err) != fault.NotFound {
		t.Fatalf("dismissing in an unknown city: %v", err)
	}
}
