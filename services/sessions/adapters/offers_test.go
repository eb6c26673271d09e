package adapters_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"passerelle.dev/events"
	"passerelle.dev/events/sessionevents"
	"passerelle.dev/kernel/pgtest"
	"passerelle.dev/sessions/adapters"
	"passerelle.dev/sessions/app"
	"passerelle.dev/sessions/domain/session"
)

// testClock is a clock the test moves.
type testClock struct{ at atomic.Int64 }

func newTestClock(t time.Time) *testClock {
	c := &testClock{}
	c.set(t)
	return c
}
func (c *testClock) now() time.Time      { return time.Unix(0, c.at.Load()).UTC() }
func (c *testClock) set(t time.Time)     { c.at.Store(t.UnixNano()) }
func (c *testClock) add(d time.Duration) { c.set(c.now().Add(d)) }

func as(id string) app.Request {
	return app.Request{Actor: events.Actor{Role: events.RoleAssociation, AssociationID: id}}
}

// sessionEvent is what the tests read of a session's event.
type sessionEvent struct {
	Type           string
	RegistrationID string `json:"registrationId"`
	AssociationID  string `json:"associationId"`
	Seats          int    `json:"seats"`
	Capacity       int    `json:"capacity"`
}

func (f fixture) sessionEvents(t *testing.T, sessionID string) []sessionEvent {
	t.Helper()
	recs, err := f.store.ReadStream(context.Background(), sessionevents.SessionStreamID(sessionID), 1)
	if err != nil {
		t.Fatal(err)
	}
	out := make([]sessionEvent, len(recs))
	for i, rec := range recs {
		if err := json.Unmarshal(rec.Data, &out[i]); err != nil {
			t.Fatal(err)
		}
		out[i].Type = rec.Type
	}
	return out
}

func count(evs []sessionEvent, typ string) int {
	n := 0
	for _, e := range evs {
		if e.Type == typ {
			n++
		}
	}
	return n
}

func (f fixture) deadlines(t *testing.T) map[string]time.Time {
	t.Helper()
	rows, err := f.pool.Query(context.Background(), `SELECT registration_id::text, due_at FROM sessions.offer_deadlines`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string]time.Time{}
	for rows.Next() {
		var (
			id  string
			due time.Time
		)
		if err := rows.Scan(&id, &due); err != nil {
			t.Fatal(err)
		}
		out[id] = due
	}
	return out
}

func TestWaitlistOffersExpireAfterARestart(t *testing.T) {
	t.Parallel()
	clock := newTestClock(now)
	pool := pgtest.PoolFor(t, db.Fresh(t))
	f := startService(t, pool, clock.now)
	ctx := context.Background()
	ids := f.verifiedAssociations(t, 3)
	cmd := schedule("2027-03-20T18:00", 1, "Résidence Palace")
	cmd.OfferHours = 48
	sessionID := f.schedule(t, cmd)
	var regs []string
	for _, id := range ids {
		res, err := f.svc.Commands.RegisterForSession(ctx, app.RegisterForSession{SessionID: sessionID, AssociationID: id, Seats: 1, Request: as(id)})
		if err != nil {
			t.Fatal(err)
		}
		regs = append(regs, res.Registration.RegistrationID)
	}
	if _, err := f.svc.Commands.CancelSessionRegistration(ctx, app.CancelSessionRegistration{SessionID: sessionID, RegistrationID: regs[0], Request: as(ids[0])}); err != nil {
		t.Fatal(err)
	}
	pgtest.Eventually(t, 10*time.Second, "an offer to the head of the waitlist", func() (bool, error) {
		return count(f.sessionEvents(t, sessionID), sessionevents.WaitlistOfferMadeType) == 1, nil
	})
	if d := f.deadlines(t); len(d) != 1 || !d[regs[1]].Equal(now.Add(48*time.Hour)) {
		t.Fatalf("deadlines %v, want the head's at %s", d, now.Add(48*time.Hour))
	}

	// The service stops; the offer falls due while it is down; started again, it expires
	// the offer at once and the seat passes to the next.
	f.stop()
	clock.add(48 * time.Hour)
	f = startService(t, pool, clock.now)
	pgtest.Eventually(t, 10*time.Second, "the offer expired and passed on", func() (bool, error) {
		evs := f.sessionEvents(t, sessionID)
		return count(evs, sessionevents.WaitlistOfferExpiredType) == 1 && count(evs, sessionevents.WaitlistOfferMadeType) == 2, nil
	})
	evs := f.sessionEvents(t, sessionID)
	last := evs[len(evs)-1]
	if last.Type != sessionevents.WaitlistOfferMadeType || last.RegistrationID != regs[2] {
		t.Fatalf("last event %+v, want an offer to %s", last, regs[2])
	}
	if d := f.deadlines(t); len(d) != 1 || d[regs[2]].IsZero() {
		t.Fatalf("deadlines %v, want the next one's only", d)
	}
	_, err := f.svc.Commands.AcceptWaitlistOffer(ctx, app.AcceptWaitlistOffer{SessionID: sessionID, RegistrationID: regs[1], Request: as(ids[1])})
	if !errors.Is(err, session.ErrOfferExpired) {
		t.Fatalf("accepting the expired offer: %v", err)
	}
	if _, err := f.svc.Commands.AcceptWaitlistOffer(ctx, app.AcceptWaitlistOffer{SessionID: sessionID, RegistrationID: regs[2], Request: as(ids[2])}); err != nil {
		t.Fatal(err)
	}
	if d := f.deadlines(t); len(d) != 0 {
		t.Fatalf("deadlines %v after the acceptance", d)
	}
	// A timer firing late or twice changes nothing.
	timer := adapters.NewOfferTimer(pool, f.svc.Commands, nil, 0, nil)
	if _, err := timer.ExpireDue(ctx); err != nil {
		t.Fatal(err)
	}
	if n := len(f.sessionEvents(t, sessionID)); n != len(evs)+1 {
		t.Fatalf("%d events after a late timer, want %d", n, len(evs)+1)
	}
}

// TestWaitlistOffersUnderRacingAnswers races answers to offers, cancellations, new
// registrations, a capacity change and three offer timers against one session, round
// after round until its waitlist is empty, and checks every event of its stream: the
// seats confirmed and held never exceed the capacity, and no offer or promotion ever
// overtakes a registration waiting before it.
func TestWaitlistOffersUnderRacingAnswers(t *testing.T) {
	t.Parallel()
	const capacity, waiting = 6, 30
	clock := newTestClock(now)
	f := startService(t, pgtest.PoolFor(t, db.Fresh(t)), clock.now)
	ctx := context.Background()
	ids := f.verifiedAssociations(t, capacity+waiting+10)
	cmd := schedule("2027-03-20T18:00", capacity, "Résidence Palace")
	cmd.OfferHours = 24
	sessionID := f.schedule(t, cmd)
	association := map[string]string{} // registration → association
	var order []string
	for _, id := range ids[:capacity+waiting] {
		res, err := f.svc.Commands.RegisterForSession(ctx, app.RegisterForSession{SessionID: sessionID, AssociationID: id, Seats: 1 + rand.IntN(2)*bool2int(len(order) >= capacity), Request: as(id)})
		if err != nil {
			t.Fatal(err)
		}
		association[res.Registration.RegistrationID] = id
		order = append(order, res.Registration.RegistrationID)
	}
	timers := make([]*adapters.OfferTimer, 3)
	for i := range timers {
		timers[i] = adapters.NewOfferTimer(f.pool, f.svc.Commands, nil, 0, nil)
	}
	newcomers := ids[capacity+waiting:]
	tolerated := func(err error) bool {
		return err == nil || errors.Is(err, session.ErrOfferExpired) || errors.Is(err, session.ErrNoOffer) ||
			errors.Is(err, session.ErrRegistrationClosed)
	}
	var errs []error
	var mu sync.Mutex
	fail := func(err error) {
		mu.Lock()
		errs = append(errs, err)
		mu.Unlock()
	}
	// Round 0 frees every confirmed seat at once.
	var wg sync.WaitGroup
	for _, reg := range order[:capacity] {
		wg.Go(func() {
			_, err := f.svc.Commands.CancelSessionRegistration(ctx, app.CancelSessionRegistration{SessionID: sessionID, RegistrationID: reg, Request: as(association[reg])})
			if err != nil {
				fail(err)
			}
		})
	}
	wg.Wait()
	expiryForced := false
	for round := 0; round < 40; round++ {
		// Let the waitlist policy catch up: an offer outstanding, or nobody left waiting.
		pgtest.Eventually(t, 10*time.Second, "the policy's offers", func() (bool, error) {
			st := fold(t, f.sessionEvents(t, sessionID))
			return len(st.offered) > 0 || st.waiting == 0 || st.headSeats > st.free, nil
		})
		st := fold(t, f.sessionEvents(t, sessionID))
		if st.waiting == 0 && len(st.offered) == 0 {
			break
		}
		start := make(chan struct{})
		// The race must see both outcomes whatever the dice say: the first offer of round 0
		// is accepted before anything else moves, and the first offer of a later round is
		// left to the timers.
		offered := st.offered
		if round == 0 && len(offered) > 0 {
			reg := offered[0]
			if _, err := f.svc.Commands.AcceptWaitlistOffer(ctx, app.AcceptWaitlistOffer{SessionID: sessionID, RegistrationID: reg, Request: as(association[reg])}); err != nil {
				t.Fatalf("the first acceptance: %v", err)
			}
			offered = offered[1:]
		}
		// The clock moves past this round's expiries once half the answers are in: the
		// other half race the timers.
		var answered atomic.Int32
		halfway := make(chan struct{})
		half := int32((len(offered) + 1) / 2)
		for _, reg := range offered {
			answer := rand.IntN(3)
			if round > 0 && !expiryForced {
				answer, expiryForced = 2, true
			}
			wg.Go(func() {
				<-start
				defer func() {
					if answered.Add(1) == half {
						close(halfway)
					}
				}()
				var err error
				switch answer {
				case 0:
					_, err = f.svc.Commands.AcceptWaitlistOffer(ctx, app.AcceptWaitlistOffer{SessionID: sessionID, RegistrationID: reg, Request: as(association[reg])})
				case 1:
					_, err = f.svc.Commands.DeclineWaitlistOffer(ctx, app.DeclineWaitlistOffer{SessionID: sessionID, RegistrationID: reg, Request: as(association[reg])})
				default: // left to expire
				}
				if !tolerated(err) {
					fail(fmt.Errorf("answer of %s: %w", reg, err))
				}
			})
		}
		// Someone still waiting withdraws, a confirmed one cancels, a newcomer arrives.
		for _, reg := range st.someWaiting(2) {
			wg.Go(func() {
				<-start
				_, err := f.svc.Commands.CancelSessionRegistration(ctx, app.CancelSessionRegistration{SessionID: sessionID, RegistrationID: reg, Request: as(association[reg])})
				if !tolerated(err) {
					fail(fmt.Errorf("withdrawal of %s: %w", reg, err))
				}
			})
		}
		if (round%3 == 0 || st.headSeats > st.free) && len(st.confirmed) > 0 {
			reg := st.confirmed[rand.IntN(len(st.confirmed))]
			wg.Go(func() {
				<-start
				_, err := f.svc.Commands.CancelSessionRegistration(ctx, app.CancelSessionRegistration{SessionID: sessionID, RegistrationID: reg, Request: as(association[reg])})
				if !tolerated(err) {
					fail(fmt.Errorf("cancellation of %s: %w", reg, err))
				}
			})
		}
		if round < len(newcomers) {
			id := newcomers[round]
			wg.Go(func() {
				<-start
				res, err := f.svc.Commands.RegisterForSession(ctx, app.RegisterForSession{SessionID: sessionID, AssociationID: id, Seats: 1, Request: as(id)})
				if err != nil {
					fail(fmt.Errorf("newcomer: %w", err))
					return
				}
				mu.Lock()
				association[res.Registration.RegistrationID] = id
				mu.Unlock()
			})
		}
		if round == 5 {
			wg.Go(func() {
				<-start
				_, err := f.svc.Commands.ChangeSessionCapacity(ctx, app.ChangeSessionCapacity{SessionID: sessionID, Capacity: capacity + 2, Request: brussels})
				if err != nil {
					fail(fmt.Errorf("capacity: %w", err))
				}
			})
		}
		// The offers of this round fall due while the answers race the timers.
		if half == 0 {
			close(halfway)
		}
		for _, timer := range timers {
			wg.Go(func() {
				<-halfway
				clock.set(now.Add(time.Duration(round+1) * 24 * time.Hour))
				if _, err := timer.ExpireDue(ctx); err != nil {
					fail(fmt.Errorf("timer: %w", err))
				}
			})
		}
		close(start)
		wg.Wait()
		if len(errs) > 0 {
			t.Fatal(errors.Join(errs...))
		}
	}
	st := fold(t, f.sessionEvents(t, sessionID))
	if st.waiting != 0 || len(st.offered) != 0 {
		t.Fatalf("after the rounds, %d waiting and %d offered", st.waiting, len(st.offered))
	}
	evs := f.sessionEvents(t, sessionID)
	t.Logf("%d events: %d offers, %d accepted, %d declined, %d expired, %d promotions",
		len(evs), count(evs, sessionevents.WaitlistOfferMadeType), count(evs, sessionevents.WaitlistOfferAcceptedType),
		count(evs, sessionevents.WaitlistOfferDeclinedType), count(evs, sessionevents.WaitlistOfferExpiredType),
		count(evs, sessionevents.RegistrationPromotedType))
	if count(evs, sessionevents.WaitlistOfferExpiredType) == 0 || count(evs, sessionevents.WaitlistOfferAcceptedType) == 0 {
		t.Fatal("the race never saw both an acceptance and an expiry")
	}
}

func bool2int(b bool) int {
	if b {
		return 1
	}
	return 0
}

// waitlistState is a session's registrations as its events tell them, folded
// independently of the domain.
type waitlistState struct {
	arrival   []string
	status    map[string]string
	confirmed []string
	offered   []string
	waiting   int
	// free is the seats neither confirmed nor held; headSeats those the head of the
	// waitlist asks.
	free, headSeats int
}

func (s waitlistState) someWaiting(n int) []string {
	var out []string
	for _, id := range s.arrival {
		if s.status[id] == "WAITLISTED" && rand.IntN(4) == 0 && len(out) < n {
			out = append(out, id)
		}
	}
	return out
}

// fold replays evs, failing the test on the first event that overbooks the session or
// gives seats past a registration waiting before.
func fold(t *testing.T, evs []sessionEvent) waitlistState {
	t.Helper()
	st := waitlistState{status: map[string]string{}}
	seats := map[string]int{}
	capacity := 0
	overtakes := func(id string) bool {
		for _, earlier := range st.arrival {
			if earlier == id {
				return false
			}
			if st.status[earlier] == "WAITLISTED" {
				return true
			}
		}
		return false
	}
	for i, e := range evs {
		switch e.Type {
		case sessionevents.SessionScheduledType, sessionevents.SessionCapacityChangedType:
			capacity = e.Capacity
		case sessionevents.RegistrationConfirmedType:
			st.arrival, st.status[e.RegistrationID], seats[e.RegistrationID] = append(st.arrival, e.RegistrationID), "CONFIRMED", e.Seats
		case sessionevents.RegistrationWaitlistedType:
			st.arrival, st.status[e.RegistrationID], seats[e.RegistrationID] = append(st.arrival, e.RegistrationID), "WAITLISTED", e.Seats
		case sessionevents.WaitlistOfferMadeType, sessionevents.RegistrationPromotedType:
			if st.status[e.RegistrationID] != "WAITLISTED" {
				t.Fatalf("event %d: %s to %s, which is %s", i+1, e.Type, e.RegistrationID, st.status[e.RegistrationID])
			}
			if overtakes(e.RegistrationID) {
				t.Fatalf("event %d: %s to %s overtakes a registration waiting before it", i+1, e.Type, e.RegistrationID)
			}
			st.status[e.RegistrationID] = map[string]string{sessionevents.WaitlistOfferMadeType: "OFFERED", sessionevents.RegistrationPromotedType: "CONFIRMED"}[e.Type]
		case sessionevents.WaitlistOfferAcceptedType:
			st.status[e.RegistrationID] = "CONFIRMED"
		case sessionevents.WaitlistOfferDeclinedType, sessionevents.WaitlistOfferExpiredType, sessionevents.RegistrationCancelledType:
			st.status[e.RegistrationID] = "GONE"
		}
		used := 0
		for id, s := range st.status {
			if s == "CONFIRMED" || s == "OFFERED" {
				used += seats[id]
			}
		}
		if used > capacity {
			t.Fatalf("event %d (%s): %d seats confirmed or held for %d", i+1, e.Type, used, capacity)
		}
	}
	for _, id := range st.arrival {
		switch st.status[id] {
		case "CONFIRMED":
			st.confirmed = append(st.confirmed, id)
		case "OFFERED":
			st.offered = append(st.offered, id)
		case "WAITLISTED":
			if st.waiting == 0 {
				st.headSeats = seats[id]
			}
			st.waiting++
		}
	}
	st.free = capacity
	for id, s := range st.status {
		if s == "CONFIRMED" || s == "OFFERED" {
			st.free -= seats[id]
		}
	}
	return st
}
