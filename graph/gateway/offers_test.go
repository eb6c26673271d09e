package gateway_test

import (
	"testing"
	"time"

	"passerelle.dev/kernel/pgtest"
)

const offersQuery = `query($id: ID!) { dialogueSession(id: $id) { capacity confirmedSeats seatsLeft offeredSeats waitlistLength offerHours
  registrations { id status seats waitlistPosition offerExpiresAt association { name } } } }`

type offeredSession struct {
	Capacity       int `json:"capacity"`
	ConfirmedSeats int `json:"confirmedSeats"`
	SeatsLeft      int `json:"seatsLeft"`
	OfferedSeats   int `json:"offeredSeats"`
	WaitlistLength int `json:"waitlistLength"`
	OfferHours     int `json:"offerHours"`
	Registrations  []struct {
		ID             string  `json:"id"`
		Status         string  `json:"status"`
		Seats          int     `json:"seats"`
		OfferExpiresAt *string `json:"offerExpiresAt"`
	} `json:"registrations"`
}

const (
	acceptOfferMutation  = `mutation($s: ID!, $r: ID!, $key: String) { acceptWaitlistOffer(sessionId: $s, registrationId: $r, idempotencyKey: $key) { position } }`
	declineOfferMutation = `mutation($s: ID!, $r: ID!) { declineWaitlistOffer(sessionId: $s, registrationId: $r) { position } }`
	changeOffersMutation = `mutation($s: ID!, $h: Int!) { changeWaitlistOffers(sessionId: $s, offerHours: $h) { session { id } } }`
	cancelRegMutation    = `mutation($s: ID!, $r: ID!) { cancelSessionRegistration(sessionId: $s, registrationId: $r) { position } }`
)

func (r gqlResponse) reason() string {
	if len(r.Errors) == 0 {
		return ""
	}
	s, _ := r.Errors[0].Extensions["reason"].(string)
	return s
}

func TestWaitlistOffersThroughGraphQL(t *testing.T) {
	t.Parallel()
	p := start(t, db.Fresh(t), true)
	p.clock.set(sessionsEpoch)
	a := p.actors(t)
	nurses, nursesToken := p.verifiedAssociation(t, a.admin, "Ghana Nurses Belgium", "brussels")
	teranga, terangaToken := p.verifiedAssociation(t, a.admin, "Teranga Bruxelles", "brussels")
	congo, congoToken := p.verifiedAssociation(t, a.admin, "Diaspora congolaise", "brussels")
	input := sessionInput("brussels", "Résidence Palace", "2027-02-10T18:00", 2)
	input["offerHours"] = 48
	s := p.schedule(t, a.brussels, input)
	register := func(token, association string) string {
		return decode[registerForSessionPayload](t, p.gql(t, token, registerForSessionMutation,
			map[string]any{"sessionId": s.ID, "associationId": association, "seats": 2}), "registerForSession").Registration.ID
	}
	first, second, third := register(nursesToken, nurses), register(terangaToken, teranga), register(congoToken, congo)
	look := func(token string) offeredSession {
		return decode[offeredSession](t, p.gql(t, token, offersQuery, map[string]any{"id": s.ID}), "dialogueSession")
	}
	if got := look(a.brussels); got.OfferHours != 48 || got.WaitlistLength != 2 {
		t.Fatalf("scheduled with offers: %+v", got)
	}
	refused := func(t *testing.T, token, mutation string, v map[string]any, code, reason string) {
		t.Helper()
		written := p.events(t)
		r := p.gql(t, token, mutation, v)
		if r.code() != code || (reason != "" && r.reason() != reason) {
			t.Fatalf("got %q %q, want %s %s: %s", r.code(), r.reason(), code, reason, r.raw)
		}
		if p.events(t) != written {
			t.Fatal("a refused request wrote events")
		}
	}
	refused(t, a.brussels, changeOffersMutation, map[string]any{"s": s.ID, "h": 999}, "BAD_USER_INPUT", "")
	refused(t, a.london, changeOffersMutation, map[string]any{"s": s.ID, "h": 24}, "FORBIDDEN", "")
	refused(t, terangaToken, acceptOfferMutation, map[string]any{"s": s.ID, "r": second}, "CONFLICT", "NO_OFFER")

	// The nurses withdraw: their two seats are offered to Teranga, held, until 3 December.
	p.mustDo(t, nursesToken, cancelRegMutation, map[string]any{"s": s.ID, "r": first})
	var got offeredSession
	pgtest.Eventually(t, 10*time.Second, "the offer to the head of the waitlist", func() (bool, error) {
		got = look(a.brussels)
		// One answer reads the session's row and its registrations' apart: wait for both.
		return got.Registrations[1].Status == "OFFERED" && got.OfferedSeats == 2, nil
	})
	// The platform's clock runs on from the epoch: the offer expires 48 hours after it was made.
	var expiry time.Time
	if at := got.Registrations[1].OfferExpiresAt; at != nil {
		expiry, _ = time.Parse(time.RFC3339, *at)
	}
	if got.SeatsLeft != 0 || got.OfferedSeats != 2 || got.WaitlistLength != 1 ||
		expiry.Before(sessionsEpoch.Add(48*time.Hour)) || expiry.After(p.clock.now().Add(48*time.Hour)) {
		t.Fatalf("after the withdrawal: %+v, offer until %s (want 48 hours after the withdrawal)", got, expiry)
	}
	// Teranga sees its offer; the Congolese association sees only its own registration.
	if own := look(terangaToken); len(own.Registrations) != 1 || own.Registrations[0].Status != "OFFERED" {
		t.Fatalf("Teranga sees %+v", own.Registrations)
	}
	if other := look(congoToken); len(other.Registrations) != 1 || other.Registrations[0].ID != third {
		t.Fatalf("the Congolese association sees %+v", other.Registrations)
	}
	refused(t, congoToken, acceptOfferMutation, map[string]any{"s": s.ID, "r": second}, "FORBIDDEN", "")
	refused(t, "", acceptOfferMutation, map[string]any{"s": s.ID, "r": second}, "UNAUTHENTICATED", "")
	refused(t, terangaToken, acceptOfferMutation, map[string]any{"s": s.ID, "r": "nope"}, "BAD_USER_INPUT", "")

	// Teranga lets it expire: the timer passes the seats to the next, who accepts. (An
	// acceptance after the expiry but before the timer records it is refused too: see the
	// domain's tests; here the timer may be quicker than any request.)
	p.clock.set(expiry)
	pgtest.Eventually(t, 10*time.Second, "the offer passed on", func() (bool, error) {
		got = look(a.brussels)
		return got.Registrations[1].Status == "OFFER_EXPIRED" && got.Registrations[2].Status == "OFFERED", nil
	})
	refused(t, terangaToken, acceptOfferMutation, map[string]any{"s": s.ID, "r": second}, "CONFLICT", "OFFER_EXPIRED")
	key := "accept-" + third
	p.mustDo(t, congoToken, acceptOfferMutation, map[string]any{"s": s.ID, "r": third, "key": key})
	// A retry with the same key answers as the first did.
	p.mustDo(t, congoToken, acceptOfferMutation, map[string]any{"s": s.ID, "r": third, "key": key})
	got = look(a.brussels)
	if got.ConfirmedSeats != 2 || got.OfferedSeats != 0 || got.Registrations[2].Status != "CONFIRMED" || got.Registrations[2].OfferExpiresAt != nil {
		t.Fatalf("after the acceptance: %+v", got)
	}

	// Teranga registers again, at the back; offers off: a freed seat is promoted at once.
	again := register(terangaToken, teranga)
	p.mustDo(t, a.admin, changeOffersMutation, map[string]any{"s": s.ID, "h": 0})
	p.mustDo(t, congoToken, cancelRegMutation, map[string]any{"s": s.ID, "r": third})
	pgtest.Eventually(t, 10*time.Second, "a promotion without an offer", func() (bool, error) {
		got = look(a.brussels)
		return got.Registrations[3].ID == again && got.Registrations[3].Status == "CONFIRMED", nil
	})
	if got.OfferHours != 0 {
		t.Fatalf("offers after turning them off: %d hours", got.OfferHours)
	}
}

func TestDecliningAnOfferPassesItOn(t *testing.T) {
	t.Parallel()
	p := start(t, db.Fresh(t), false)
	p.clock.set(sessionsEpoch)
	a := p.actors(t)
	input := sessionInput("brussels", "Résidence Palace", "2027-02-10T18:00", 1)
	s := p.schedule(t, a.brussels, input)
	p.mustDo(t, a.brussels, changeOffersMutation, map[string]any{"s": s.ID, "h": 24})
	var regs []string
	for _, name := range []string{"Ghana Nurses Belgium", "Teranga Bruxelles", "Diaspora congolaise"} {
		id, _ := p.verifiedAssociation(t, a.admin, name, "brussels")
		regs = append(regs, decode[registerForSessionPayload](t, p.gql(t, a.brussels, registerForSessionMutation,
			map[string]any{"sessionId": s.ID, "associationId": id}), "registerForSession").Registration.ID)
	}
	p.mustDo(t, a.brussels, cancelRegMutation, map[string]any{"s": s.ID, "r": regs[0]})
	look := func() offeredSession {
		return decode[offeredSession](t, p.gql(t, a.brussels, offersQuery, map[string]any{"id": s.ID}), "dialogueSession")
	}
	pgtest.Eventually(t, 10*time.Second, "the first offer", func() (bool, error) { return look().Registrations[1].Status == "OFFERED", nil })
	p.mustDo(t, a.brussels, declineOfferMutation, map[string]any{"s": s.ID, "r": regs[1]})
	pgtest.Eventually(t, 10*time.Second, "the offer passed on", func() (bool, error) {
		got := look()
		return got.Registrations[1].Status == "OFFER_DECLINED" && got.Registrations[2].Status == "OFFERED", nil
	})
	if r := p.gql(t, a.brussels, declineOfferMutation, map[string]any{"s": s.ID, "r": regs[1]}); r.reason() != "NO_OFFER" {
		t.Fatalf("declining twice: %s", r.raw)
	}
}
