package session_test

import (
	"errors"
	"testing"
	"time"

	"github.com/google/uuid"

	"passerelle.dev/events"
	"passerelle.dev/events/sessionevents"
	"passerelle.dev/kernel/fault"
	"passerelle.dev/sessions/domain/session"
)

// withOffers schedules a Brussels session on 2027-03-20 at 18:00 (17:00Z) with offers of
// hours, full with capacity registrations of one seat, and waiting registrations behind.
func withOffers(t *testing.T, hours, capacity int, waiting []int) (*session.DialogueSession, *log, []string, []string) {
	t.Helper()
	loc := zone(t, "Europe/Brussels")
	p := plan("2027-03-20T18:00", capacity)
	p.OfferHours = hours
	s, err := session.Schedule(uuid.Must(uuid.NewV7()), session.City{Slug: "brussels", Location: loc}, brussels, p, now)
	if err != nil {
		t.Fatal(err)
	}
	l := &log{t: t, loc: loc}
	var confirmed, waited []string
	for i := range capacity + len(waiting) {
		seats := 1
		if i >= capacity {
			seats = waiting[i-capacity]
		}
		pl, err := s.Register(admin, uuid.Must(uuid.NewV7()), association(i), seats, now)
		if err != nil {
			t.Fatal(err)
		}
		if i < capacity {
			confirmed = append(confirmed, pl.RegistrationID)
		} else {
			waited = append(waited, pl.RegistrationID)
		}
	}
	return l.save(s), l, confirmed, waited
}

func TestAFreedSeatIsOfferedToTheHeadOfTheWaitlistAndHeldForIt(t *testing.T) {
	t.Parallel()
	s, l, confirmed, waiting := withOffers(t, 48, 2, []int{1, 1})
	if err := s.CancelRegistration(admin, confirmed[0], now); err != nil {
		t.Fatal(err)
	}
	given := s.PromoteWaitlist(now)
	if len(given) != 1 || given[0] != waiting[0] {
		t.Fatalf("offered to %v, want the head %s", given, waiting[0])
	}
	made := s.PendingEvents()[len(s.PendingEvents())-1].(sessionevents.WaitlistOfferMade)
	if !made.ExpiresAt.Equal(now.Add(48*time.Hour)) || made.Seats != 1 {
		t.Fatalf("offer %+v", made)
	}
	s = l.save(s)
	// The seat is held: nobody behind the head, nor a newcomer, gets it.
	if s.SeatsLeft() != 0 || s.ConfirmedSeats() != 1 {
		t.Fatalf("seats left %d, confirmed %d", s.SeatsLeft(), s.ConfirmedSeats())
	}
	if again := s.PromoteWaitlist(now); len(again) != 0 {
		t.Fatalf("offered again to %v", again)
	}
	p, err := s.Register(admin, uuid.Must(uuid.NewV7()), association(50), 1, now)
	if err != nil || p.Status != session.Waitlisted {
		t.Fatalf("a newcomer got %+v, %v", p, err)
	}
	// The capacity cannot drop below the seats confirmed and held.
	if err := s.ChangeCapacity(brussels, 1, now); codeOf(err) != fault.Conflict {
		t.Fatalf("capacity below the seats held: %v", err)
	}
	// Only its association, the city's coordinators and admins answer.
	other := events.Actor{Role: events.RoleAssociation, AssociationID: association(1)}
	if err := s.AcceptOffer(other, waiting[0], now); !errors.Is(err, session.ErrRegistrationForbidden) {
		t.Fatalf("another association accepted: %v", err)
	}
	if err := s.AcceptOffer(admin, waiting[1], now); !errors.Is(err, session.ErrNoOffer) {
		t.Fatalf("accepting a seat never offered: %v", err)
	}
	self := events.Actor{Role: events.RoleAssociation, AssociationID: association(2)}
	if err := s.AcceptOffer(self, waiting[0], now.Add(47*time.Hour)); err != nil {
		t.Fatal(err)
	}
	s = l.save(s)
	if s.ConfirmedSeats() != 2 || len(s.Offers()) != 0 {
		t.Fatalf("after acceptance: confirmed %d, offers %v", s.ConfirmedSeats(), s.Offers())
	}
	if err := s.AcceptOffer(self, waiting[0], now.Add(47*time.Hour)); !errors.Is(err, session.ErrNoOffer) {
		t.Fatalf("accepting twice: %v", err)
	}
}

func TestAnExpiredOrDeclinedOfferPassesToTheNext(t *testing.T) {
	t.Parallel()
	s, l, confirmed, waiting := withOffers(t, 24, 1, []int{1, 1, 1})
	if err := s.CancelRegistration(admin, confirmed[0], now); err != nil {
		t.Fatal(err)
	}
	s.PromoteWaitlist(now)
	s = l.save(s)
	due := now.Add(24 * time.Hour)
	if expired := s.ExpireOffers(due.Add(-time.Second)); len(expired) != 0 {
		t.Fatalf("expired %v before its time", expired)
	}
	// Too late to accept at the expiry, even before the timer records it.
	if err := s.AcceptOffer(admin, waiting[0], due); !errors.Is(err, session.ErrOfferExpired) {
		t.Fatalf("accepting at the expiry: %v", err)
	}
	if expired := s.ExpireOffers(due); len(expired) != 1 || expired[0] != waiting[0] {
		t.Fatalf("expired %v", expired)
	}
	if again := s.ExpireOffers(due); len(again) != 0 {
		t.Fatal("expired twice")
	}
	if given := s.PromoteWaitlist(due); len(given) != 1 || given[0] != waiting[1] {
		t.Fatalf("after the expiry, offered to %v, want %s", given, waiting[1])
	}
	s = l.save(s)
	if err := s.AcceptOffer(admin, waiting[0], due); !errors.Is(err, session.ErrOfferExpired) {
		t.Fatalf("accepting an expired offer: %v", err)
	}
	if err := s.DeclineOffer(admin, waiting[1], due); err != nil {
		t.Fatal(err)
	}
	if given := s.PromoteWaitlist(due); len(given) != 1 || given[0] != waiting[2] {
		t.Fatalf("after the refusal, offered to %v, want %s", given, waiting[2])
	}
	s = l.save(s)
	// Those who let an offer go may register again, at the back of the line.
	p, err := s.Register(admin, uuid.Must(uuid.NewV7()), association(1), 1, due)
	if err != nil || p.Status != session.Waitlisted {
		t.Fatalf("registering again after an expired offer: %+v, %v", p, err)
	}
	if err := s.CancelRegistration(admin, waiting[0], due); !errors.Is(err, session.ErrRegistrationClosed) {
		t.Fatalf("cancelling an expired offer's registration: %v", err)
	}
}

func TestOffersNeverOutlastTheStartAndStopAtTheDeadline(t *testing.T) {
	t.Parallel()
	s, l, confirmed, _ := withOffers(t, 48, 1, []int{1, 1})
	start := time.Date(2027, 3, 20, 17, 0, 0, 0, time.UTC)
	if err := s.CancelRegistration(admin, confirmed[0], start.Add(-10*time.Hour)); err != nil {
		t.Fatal(err)
	}
	s.PromoteWaitlist(start.Add(-10 * time.Hour))
	made := s.PendingEvents()[len(s.PendingEvents())-1].(sessionevents.WaitlistOfferMade)
	if !made.ExpiresAt.Equal(start) {
		t.Fatalf("an offer ten hours before the start expires at %s, want the start", made.ExpiresAt)
	}
	s = l.save(s)
	// At the start (the deadline here), the offer expires and the next is promoted at once.
	s.ExpireOffers(start)
	s.PromoteWaitlist(start)
	last := s.PendingEvents()[len(s.PendingEvents())-1]
	if _, ok := last.(sessionevents.RegistrationPromoted); !ok {
		t.Fatalf("after the deadline, %T, want a promotion", last)
	}
}

func TestChangingWaitlistOffers(t *testing.T) {
	t.Parallel()
	s, l := scheduled(t, 1)
	if s.OfferHours() != 0 {
		t.Fatalf("offers by default: %d hours", s.OfferHours())
	}
	for _, c := range []struct {
		who   events.Actor
		hours int
		code  fault.Code
	}{
		{london, 24, fault.Forbidden},
		{events.Anonymous, 24, fault.Unauthenticated},
		{brussels, -1, fault.BadUserInput},
		{brussels, session.MaxOfferHours + 1, fault.BadUserInput},
		{brussels, 24, ""},
	} {
		if err := s.ChangeWaitlistOffers(c.who, c.hours, now); codeOf(err) != c.code {
			t.Fatalf("%v, %d hours: %v, want %q", c.who, c.hours, err, c.code)
		}
	}
	s = l.save(s)
	if s.OfferHours() != 24 {
		t.Fatalf("offers of %d hours", s.OfferHours())
	}
	if err := s.ChangeWaitlistOffers(admin, 24, now); err != nil || len(s.PendingEvents()) != 0 {
		t.Fatalf("the same again recorded %v (%v)", s.PendingEvents(), err)
	}
	p := plan("2027-03-20T18:00", 1)
	p.OfferHours = session.MaxOfferHours + 1
	if _, err := session.Schedule(uuid.Must(uuid.NewV7()), session.City{Slug: "brussels", Location: l.loc}, brussels, p, now); codeOf(err) != fault.BadUserInput {
		t.Fatalf("scheduling with offers too long: %v", err)
	}
}

func TestAWaitlistHeadThatLeavesNoLongerBlocksThoseBehind(t *testing.T) {
	t.Parallel()
	s, l, confirmed, waiting := withOffers(t, 0, 2, []int{2, 1})
	if err := s.CancelRegistration(admin, confirmed[0], now); err != nil {
		t.Fatal(err)
	}
	if given := s.PromoteWaitlist(now); len(given) != 0 {
		t.Fatalf("promoted %v past a head needing two seats", given)
	}
	if err := s.CancelRegistration(admin, waiting[0], now); err != nil {
		t.Fatal(err)
	}
	if given := s.PromoteWaitlist(now); len(given) != 1 || given[0] != waiting[1] {
		t.Fatalf("promoted %v, want %s", given, waiting[1])
	}
	l.save(s)
}
