package gateway_test

import (
	"strings"
	"testing"
	"time"

	"passerelle.dev/kernel/pgtest"
)

// timeline returns when each of an object's events was recorded, oldest first, as the
// history shows them to token.
func (p *platform) timeline(t *testing.T, token, id string) []struct {
	Type string
	At   time.Time
} {
	t.Helper()
	type entry struct {
		Type string
		At   time.Time
	}
	page := decode[struct{ Edges []struct{ Node entry } }](t, p.gql(t, token,
		`query($id: ID!) { history(id: $id, first: 100) { edges { node { type at } } } }`, map[string]any{"id": id}), "history")
	out := make([]struct {
		Type string
		At   time.Time
	}, len(page.Edges))
	for i, e := range page.Edges {
		out[len(out)-1-i] = e.Node // newest first in the history
	}
	return out
}

func at(tm time.Time) string { return tm.UTC().Format(time.RFC3339Nano) }

func TestAssociationAsOfAnInstant(t *testing.T) {
	t.Parallel()
	p := start(t, db.Fresh(t), false)
	a := p.actors(t)
	reg := p.registerWith(t, map[string]any{"name": "Congolese Doctors in Geneva", "city": "geneva", "originCountries": []string{"CD"},
		"contact": map[string]any{"name": "Dr Mireille Kabongo", "email": "m.kabongo@example.org"}})
	id := reg.Association.ID
	p.mustDo(t, a.geneva, lifecycleMutations["verify"], map[string]any{"id": id})
	p.mustDo(t, reg.Token, `mutation($id: ID!) { updateAssociationProfile(id: $id, input: {acronym: "CDG", memberCount: 85}) { changedFields } }`, map[string]any{"id": id})
	p.mustDo(t, a.admin, lifecycleMutations["suspend"], map[string]any{"id": id})

	tl := p.timeline(t, a.admin, id)
	if len(tl) != 4 {
		t.Fatalf("timeline %+v", tl)
	}
	type past struct {
		Status      string
		Acronym     string
		MemberCount *int
		Contact     *struct {
			Name   *string
			Erased bool
		}
	}
	query := `query($id: ID!, $asOf: DateTime) { association(id: $id, asOf: $asOf) { status acronym memberCount contact { name erased } } }`
	asOf := func(token string, instant time.Time) *past {
		return decode[*past](t, p.gql(t, token, query, map[string]any{"id": id, "asOf": at(instant)}), "association")
	}

	if got := asOf(a.admin, tl[0].At.Add(-time.Millisecond)); got != nil {
		t.Fatalf("before its registration: %+v, want null", got)
	}
	registered := asOf(a.admin, tl[0].At)
	if registered == nil || registered.Status != "PENDING" || registered.Acronym != "" || registered.MemberCount != nil ||
		registered.Contact == nil || registered.Contact.Name == nil || *registered.Contact.Name != "Dr Mireille Kabongo" {
		t.Fatalf("as registered: %+v", registered)
	}
	if got := asOf(a.admin, tl[1].At); got == nil || got.Status != "VERIFIED" || got.MemberCount != nil {
		t.Fatalf("as verified: %+v", got)
	}
	if got := asOf(a.admin, tl[2].At); got == nil || got.Status != "VERIFIED" || got.Acronym != "CDG" || got.MemberCount == nil || *got.MemberCount != 85 {
		t.Fatalf("as updated: %+v", got)
	}
	if got := asOf(a.admin, tl[3].At.Add(time.Hour)); got == nil || got.Status != "SUSPENDED" {
		t.Fatalf("now: %+v", got)
	}

	// The past has today's visibility rules: pending then, hidden from the public; verified
	// then, public, without its contact.
	if r := p.gql(t, "", query, map[string]any{"id": id, "asOf": at(tl[0].At)}); string(r.Data["association"]) != "null" {
		t.Fatalf("a pending association's past, to the public: %s", r.raw)
	}
	r := p.gql(t, "", query, map[string]any{"id": id, "asOf": at(tl[2].At)})
	if got := decode[*past](t, r, "association"); got == nil || got.Status != "VERIFIED" || got.Contact != nil ||
		strings.Contains(string(r.raw), "Kabongo") || strings.Contains(string(r.raw), "example.org") {
		t.Fatalf("a verified association's past, to the public: %s", r.raw)
	}

	// Once the contact is forgotten, no instant of the past brings it back.
	p.mustDo(t, a.admin, `mutation($id: ID!) { forgetAssociationContact(id: $id) { association { id } } }`, map[string]any{"id": id})
	r = p.gql(t, a.admin, query, map[string]any{"id": id, "asOf": at(tl[0].At)})
	if got := decode[*past](t, r, "association"); got == nil || got.Contact == nil || !got.Contact.Erased || got.Contact.Name != nil ||
		strings.Contains(string(r.raw), "Kabongo") {
		t.Fatalf("the registration's contact after it was forgotten: %s", r.raw)
	}

	// Nothing of the replays stays behind.
	if now := p.gql(t, a.admin, query, map[string]any{"id": id}); !strings.Contains(string(now.raw), `"SUSPENDED"`) {
		t.Fatalf("the present after time travel: %s", now.raw)
	}
	r = p.gql(t, a.admin, query, map[string]any{"id": id, "asOf": "yesterday"})
	if r.code() != "BAD_USER_INPUT" {
		t.Fatalf("an asOf that is not a DateTime: %s", r.raw)
	}
}

func TestSessionAsOfAnInstantHasItsRegistrationsThen(t *testing.T) {
	t.Parallel()
	p := start(t, db.Fresh(t), false)
	p.clock.set(sessionsEpoch)
	a := p.actors(t)
	s := p.schedule(t, a.brussels, sessionInput("brussels", "Maison de la Francophonie", "2027-03-04T18:00", 2))
	var regs []string
	for _, name := range []string{"Ghana Union Belgium", "Sénégalais de Liège", "Malian Nurses Brussels"} {
		assoc, token := p.verifiedAssociation(t, a.admin, name, "brussels")
		r := decode[registerForSessionPayload](t, p.gql(t, token, registerForSessionMutation,
			map[string]any{"sessionId": s.ID, "associationId": assoc, "seats": 1}), "registerForSession")
		regs = append(regs, r.Registration.ID)
	}
	p.mustDo(t, a.brussels, `mutation($s: ID!, $r: ID!) { cancelSessionRegistration(sessionId: $s, registrationId: $r) { session { id } } }`,
		map[string]any{"s": s.ID, "r": regs[0]})
	// The waitlist policy promotes after the cancellation, on its own: wait for it before
	// the next change, so that the timeline's order is the one below.
	pgtest.Eventually(t, 10*time.Second, "the waitlisted registration to be promoted", func() (bool, error) {
		return p.session(t, a.brussels, s.ID).WaitlistLength == 0, nil
	})
	p.mustDo(t, a.brussels, `mutation($s: ID!) { changeSessionCapacity(sessionId: $s, capacity: 5) { session { id } } }`, map[string]any{"s": s.ID})

	tl := p.timeline(t, a.brussels, s.ID)
	types := make([]string, len(tl))
	for i, e := range tl {
		types[i] = e.Type
	}
	want := "SessionScheduled RegistrationConfirmed RegistrationConfirmed RegistrationWaitlisted RegistrationCancelled RegistrationPromoted SessionCapacityChanged"
	if strings.Join(types, " ") != want {
		t.Fatalf("timeline %v", types)
	}
	query := `query($id: ID!, $asOf: DateTime) { dialogueSession(id: $id, asOf: $asOf) {
	  capacity confirmedSeats seatsLeft waitlistLength registrations { id status waitlistPosition } } }`
	type past struct {
		Capacity, ConfirmedSeats, SeatsLeft, WaitlistLength int
		Registrations                                       []sessionRegistration
	}
	asOf := func(token string, instant time.Time) *past {
		return decode[*past](t, p.gql(t, token, query, map[string]any{"id": s.ID, "asOf": at(instant)}), "dialogueSession")
	}
	full := asOf(a.brussels, tl[3].At)
	if full == nil || full.Capacity != 2 || full.ConfirmedSeats != 2 || full.SeatsLeft != 0 || full.WaitlistLength != 1 || len(full.Registrations) != 3 {
		t.Fatalf("with three registrations: %+v", full)
	}
	if r := full.Registrations[2]; r.ID != regs[2] || r.Status != "WAITLISTED" || r.WaitlistPosition == nil || *r.WaitlistPosition != 1 {
		t.Fatalf("the third registration then: %+v", r)
	}
	cancelled := asOf(a.brussels, tl[4].At)
	if cancelled == nil || cancelled.ConfirmedSeats != 1 || cancelled.WaitlistLength != 1 || cancelled.Registrations[0].Status != "CANCELLED" {
		t.Fatalf("after the cancellation, before the promotion: %+v", cancelled)
	}
	now := asOf(a.brussels, tl[6].At)
	if now == nil || now.Capacity != 5 || now.ConfirmedSeats != 2 || now.SeatsLeft != 3 || now.WaitlistLength != 0 {
		t.Fatalf("after the capacity change: %+v", now)
	}
	if got := asOf(a.brussels, tl[0].At.Add(-time.Millisecond)); got != nil {
		t.Fatalf("before it was scheduled: %+v", got)
	}
	// An association sees its own registration of the past, and only that.
	r := p.gql(t, "", query, map[string]any{"id": s.ID, "asOf": at(tl[3].At)})
	if got := decode[*past](t, r, "dialogueSession"); got == nil || got.ConfirmedSeats != 2 || len(got.Registrations) != 0 {
		t.Fatalf("the public's view of the past: %s", r.raw)
	}
}

func TestProposalAsOfAnInstantHasItsReviewsAndPledgesThen(t *testing.T) {
	t.Parallel()
	p := start(t, db.Fresh(t), false)
	p.clock.set(proposalsEpoch)
	a := p.proposalActors(t)
	callID := p.openCall(t, a.admin, proposalsEpoch.Add(30*24*time.Hour))
	id := p.proposalAt(t, a, callID, "APPROVED")
	p.mustDo(t, a.coordinator, proposalMutations["pledge"], map[string]any{"p": id})

	tl := p.timeline(t, a.admin, id)
	types := make([]string, len(tl))
	for i, e := range tl {
		types[i] = e.Type
	}
	if strings.Join(types, " ") != "ProposalDrafted ProposalSubmitted ProposalReviewStarted ProposalReviewed ProposalDecided SupportPledged" {
		t.Fatalf("timeline %v", types)
	}
	query := `query($id: ID!, $asOf: DateTime) { proposal(id: $id, asOf: $asOf) { status reviews { comment } pledges { inKind } } }`
	type past struct {
		Status  string
		Reviews *[]struct{ Comment string }
		Pledges []struct{ InKind *string }
	}
	asOf := func(token string, instant time.Time) *past {
		return decode[*past](t, p.gql(t, token, query, map[string]any{"id": id, "asOf": at(instant)}), "proposal")
	}
	if got := asOf(a.admin, tl[1].At); got == nil || got.Status != "SUBMITTED" || got.Reviews == nil || len(*got.Reviews) != 0 {
		t.Fatalf("as submitted: %+v", got)
	}
	if got := asOf(a.admin, tl[3].At); got == nil || got.Status != "UNDER_REVIEW" || got.Reviews == nil || len(*got.Reviews) != 1 {
		t.Fatalf("as reviewed: %+v", got)
	}
	if got := asOf(a.admin, tl[4].At); got == nil || got.Status != "APPROVED" || len(got.Pledges) != 0 {
		t.Fatalf("as approved, before the pledge: %+v", got)
	}
	if got := asOf(a.admin, tl[5].At); got == nil || len(got.Pledges) != 1 {
		t.Fatalf("after the pledge: %+v", got)
	}
	// A draft of the past is the owner's, coordinators' and admins' only.
	if r := p.gql(t, a.other, query, map[string]any{"id": id, "asOf": at(tl[0].At)}); string(r.Data["proposal"]) != "null" {
		t.Fatalf("the draft it was, to another association: %s", r.raw)
	}
	if got := asOf(a.owner, tl[0].At); got == nil || got.Status != "DRAFT" {
		t.Fatalf("the draft it was, to its owner: %+v", got)
	}
}
