package adapters_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"passerelle.dev/events"
	"passerelle.dev/events/expertevents"
	"passerelle.dev/experts/app"
	"passerelle.dev/experts/domain/expert"
	"passerelle.dev/experts/domain/request"
	"passerelle.dev/kernel/fault"
	"passerelle.dev/servicekit/command"
)

var admin = app.Request{Actor: events.Actor{Role: events.RoleAdmin, Subject: "admin"}}

func as(a events.Actor) app.Request { return app.Request{Actor: a} }

// verifiedInstitution registers an institution and has an admin verify it.
func (f fixture) verifiedInstitution(t *testing.T) app.Request {
	t.Helper()
	ctx := context.Background()
	res, err := f.app.RegisterInstitution(ctx, app.RegisterInstitution{Institution: expertevents.Institution{
		Name: "Ministère de la Santé", Kind: "MINISTRY", Country: "SN", Email: "dp@sante.example.sn"}})
	if err != nil {
		t.Fatal(err)
	}
	if res.Token == "" {
		t.Fatal("no token for the new institution")
	}
	if _, err := f.app.VerifyInstitution(ctx, app.VerifyInstitution{InstitutionID: res.InstitutionID, Request: admin}); err != nil {
		t.Fatal(err)
	}
	return as(events.Actor{Role: events.RoleInstitution, Subject: res.InstitutionID})
}

// verifiedExpert registers a verified expert of field 2212 with the given consents.
func (f fixture) verifiedExpert(t *testing.T, name string, purposes ...string) app.Request {
	t.Helper()
	ctx := context.Background()
	consents := []expert.Consent{consent(expertevents.Processing)}
	for _, p := range purposes {
		consents = append(consents, consent(p))
	}
	res, err := f.app.RegisterExpert(ctx, app.RegisterExpert{Profile: profile(name), Consents: consents})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.app.VerifyExpert(ctx, app.VerifyExpert{ExpertID: res.ExpertID, Request: coordinator}); err != nil {
		t.Fatal(err)
	}
	return as(events.Actor{Role: events.RoleExpert, Subject: res.ExpertID})
}

func terms(experts int) expertevents.Terms {
	from := time.Now().AddDate(0, 2, 0).Format("2006-01-02")
	to := time.Now().AddDate(0, 3, 0).Format("2006-01-02")
	return expertevents.Terms{Title: "Cardiology mentoring in Thiès", TermsOfReference: "Mentor the cardiology team of the regional hospital for a month.",
		Fields: []string{"2212"}, Languages: []string{"fr"}, Mode: "EITHER", From: from, To: to, Country: "SN", Experts: experts}
}

func (f fixture) openRequest(t *testing.T, inst app.Request, experts int) string {
	t.Helper()
	ctx := context.Background()
	res, err := f.app.DraftRequest(ctx, app.DraftRequest{Terms: terms(experts), Request: inst})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.app.OpenRequest(ctx, app.RequestCommand{RequestID: res.RequestID, Request: inst}); err != nil {
		t.Fatal(err)
	}
	return res.RequestID
}

func TestARequestFromDraftToMission(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	inst := f.verifiedInstitution(t)
	amina := f.verifiedExpert(t, "Dr Amina Diallo", expertevents.Contact)
	moussa := f.verifiedExpert(t, "Dr Moussa Ndiaye")

	// A pending institution cannot post.
	pending, err := f.app.RegisterInstitution(ctx, app.RegisterInstitution{Institution: expertevents.Institution{
		Name: "Université Cheikh Anta Diop", Kind: "UNIVERSITY", Country: "SN", Email: "rectorat@ucad.example.sn"}})
	if err != nil {
		t.Fatal(err)
	}
	_, err = f.app.DraftRequest(ctx, app.DraftRequest{Terms: terms(1), Request: as(events.Actor{Role: events.RoleInstitution, Subject: pending.InstitutionID})})
	if !errors.Is(err, request.ErrNotVerified) {
		t.Fatalf("a pending institution drafts: %v", err)
	}

	id := f.openRequest(t, inst, 1)
	cands, err := f.app.Candidates(ctx, app.CandidatesQuery{RequestID: id, Request: coordinator})
	if err != nil {
		t.Fatal(err)
	}
	if len(cands) != 2 || cands[0].Score < cands[1].Score || len(cands[0].Reasons) != 4 {
		t.Fatalf("candidates %+v", cands)
	}
	if _, err := f.app.Candidates(ctx, app.CandidatesQuery{RequestID: id, Request: inst}); !errors.Is(err, request.ErrModeratorsOnly) {
		t.Fatalf("the institution ranks the roster: %v", err)
	}
	for _, e := range []app.Request{amina, moussa} {
		if _, err := f.app.ProposeMatch(ctx, app.MatchCommand{RequestID: id, ExpertID: e.Actor.Subject, Request: coordinator}); err != nil {
			t.Fatal(err)
		}
	}
	// Proposed experts are no longer candidates; the institution sees none of them yet.
	if cands, _ := f.app.Candidates(ctx, app.CandidatesQuery{RequestID: id, Request: coordinator}); len(cands) != 0 {
		t.Fatalf("still candidates: %+v", cands)
	}
	seen, _, _ := f.app.Request(ctx, app.RequestQuery{RequestID: id, Request: inst})
	if len(seen.Matches) != 0 || seen.Awaiting != 2 {
		t.Fatalf("the institution sees proposals before the experts answer: %+v", seen.Matches)
	}
	if _, err := f.app.AcceptMatch(ctx, app.MatchCommand{RequestID: id, Request: amina}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.app.AcceptMatch(ctx, app.MatchCommand{RequestID: id, Request: moussa}); err != nil {
		t.Fatal(err)
	}
	seen, _, _ = f.app.Request(ctx, app.RequestQuery{RequestID: id, Request: inst})
	contacts := map[string]string{}
	for _, m := range seen.Matches {
		contacts[m.ExpertID] = m.Expert.Profile.Email
		if m.Expert.Consents != nil {
			t.Fatalf("the institution sees the expert's consents")
		}
	}
	// Amina consents to be contacted, Moussa does not.
	if contacts[amina.Actor.Subject] == "" || contacts[moussa.Actor.Subject] != "" || len(contacts) != 2 {
		t.Fatalf("contacts the institution sees: %v", contacts)
	}
	// Withdrawing the consent takes effect at once.
	if _, err := f.app.WithdrawConsent(ctx, app.WithdrawConsent{ExpertID: amina.Actor.Subject, Purpose: expertevents.Contact, Request: amina}); err != nil {
		t.Fatal(err)
	}
	seen, _, _ = f.app.Request(ctx, app.RequestQuery{RequestID: id, Request: inst})
	for _, m := range seen.Matches {
		if m.Expert.Profile.Email != "" {
			t.Fatal("the contact is still shown after the consent was withdrawn")
		}
	}
	// An anonymous reader sees the terms, never a match.
	if pub, ok, _ := f.app.Request(ctx, app.RequestQuery{RequestID: id}); !ok || len(pub.Matches) != 0 {
		t.Fatalf("public view: %v %+v", ok, pub.Matches)
	}
	if _, err := f.app.ConfirmMatch(ctx, app.MatchCommand{RequestID: id, ExpertID: amina.Actor.Subject, Request: inst}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.app.ConfirmMatch(ctx, app.MatchCommand{RequestID: id, ExpertID: moussa.Actor.Subject, Request: inst}); !errors.Is(err, request.ErrNotOpen) {
		t.Fatalf("a second expert confirmed on a mission of one: %v", err)
	}
	if _, err := f.app.CloseRequest(ctx, app.RequestCommand{RequestID: id, Request: inst}); err != nil {
		t.Fatal(err)
	}
	stats, err := f.app.ExpertiseStats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(stats) != 1 || stats[0] != (app.ExpertiseCount{Country: "SN", Field: "2212", Requests: 1, Matches: 2, Missions: 1}) {
		t.Fatalf("stats %+v", stats)
	}
	mine, err := f.app.ExpertMatches(ctx, app.ExpertMatchesQuery{ExpertID: amina.Actor.Subject, Request: amina})
	if err != nil || len(mine) != 1 || mine[0].Status != "CLOSED" || mine[0].Matches[0].Status != "CONFIRMED" {
		t.Fatalf("amina's matches %+v %v", mine, err)
	}
	if others, _ := f.app.ExpertMatches(ctx, app.ExpertMatchesQuery{ExpertID: amina.Actor.Subject, Request: moussa}); len(others) != 0 {
		t.Fatal("an expert reads another's matches")
	}
}

// An erased expert is never proposed, cannot accept, and the institution sees nothing
// of them.
func TestAnErasedExpertLeavesNothingInTheirMatches(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	inst := f.verifiedInstitution(t)
	amina := f.verifiedExpert(t, "Dr Amina Diallo", expertevents.Contact)
	gone := f.verifiedExpert(t, "Dr Gone")
	id := f.openRequest(t, inst, 1)
	if _, err := f.app.ProposeMatch(ctx, app.MatchCommand{RequestID: id, ExpertID: amina.Actor.Subject, Request: coordinator}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.app.AcceptMatch(ctx, app.MatchCommand{RequestID: id, Request: amina}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.app.EraseExpert(ctx, app.EraseExpert{ExpertID: amina.Actor.Subject, Request: amina}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.app.EraseExpert(ctx, app.EraseExpert{ExpertID: gone.Actor.Subject, Request: gone}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.app.ProposeMatch(ctx, app.MatchCommand{RequestID: id, ExpertID: gone.Actor.Subject, Request: coordinator}); !errors.Is(err, expert.ErrNotFound) {
		t.Fatalf("proposing an erased expert: %v", err)
	}
	seen, _, _ := f.app.Request(ctx, app.RequestQuery{RequestID: id, Request: inst})
	if len(seen.Matches) != 1 || seen.Matches[0].Expert != nil {
		t.Fatalf("the institution still sees the erased expert: %+v", seen.Matches)
	}
	if _, err := f.app.ConfirmMatch(ctx, app.MatchCommand{RequestID: id, ExpertID: amina.Actor.Subject, Request: inst}); !errors.Is(err, expert.ErrErased) {
		t.Fatalf("confirming an erased expert: %v", err)
	}
}

// Coordinators racing to propose the same expert: exactly one proposal is recorded.
func TestRacingProposalsOfOneExpert(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	inst := f.verifiedInstitution(t)
	amina := f.verifiedExpert(t, "Dr Amina Diallo")
	id := f.openRequest(t, inst, 1)
	errs := race(12, func(i int) error {
		by := as(events.Actor{Role: events.RoleCoordinator, City: "geneva", Subject: fmt.Sprintf("c-%d", i)})
		_, err := f.app.ProposeMatch(ctx, app.MatchCommand{RequestID: id, ExpertID: amina.Actor.Subject, Request: by})
		return err
	})
	if n := count(errs, nil); n != 1 || count(errs, request.ErrAlreadyProposed) != 11 {
		t.Fatalf("%d proposals succeeded: %v", n, errs)
	}
	if n := f.eventsOf(t, id, expertevents.MatchProposedType); n != 1 {
		t.Fatalf("%d MatchProposed events", n)
	}
}

// Institutions racing to confirm more experts than the mission needs, while the
// experts accept and decline: never more confirmed than needed, nothing after the
// request is matched.
func TestRacingConfirmationsNeverOverfillAMission(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	inst := f.verifiedInstitution(t)
	const needed, accepted = 2, 6
	id := f.openRequest(t, inst, needed)
	var experts []app.Request
	for i := range accepted {
		e := f.verifiedExpert(t, fmt.Sprintf("Dr Expert %d", i))
		if _, err := f.app.ProposeMatch(ctx, app.MatchCommand{RequestID: id, ExpertID: e.Actor.Subject, Request: coordinator}); err != nil {
			t.Fatal(err)
		}
		experts = append(experts, e)
	}
	// Each expert accepts while the institution confirms them as soon as it may.
	errs := race(2*accepted, func(i int) error {
		e := experts[i/2]
		if i%2 == 0 {
			_, err := f.app.AcceptMatch(ctx, app.MatchCommand{RequestID: id, Request: e})
			return err
		}
		_, err := f.app.ConfirmMatch(ctx, app.MatchCommand{RequestID: id, ExpertID: e.Actor.Subject, Request: inst})
		return err
	})
	for _, err := range errs {
		if err != nil && !errors.Is(err, request.ErrNotAccepted) && !errors.Is(err, request.ErrNotOpen) {
			t.Fatalf("unexpected: %v", err)
		}
	}
	// Whatever the order was, confirm the accepted ones afterwards until full.
	for _, e := range experts {
		_, _ = f.app.AcceptMatch(ctx, app.MatchCommand{RequestID: id, Request: e})
		_, _ = f.app.ConfirmMatch(ctx, app.MatchCommand{RequestID: id, ExpertID: e.Actor.Subject, Request: inst})
	}
	if n := f.eventsOf(t, id, expertevents.MatchConfirmedType); n != needed {
		t.Fatalf("%d confirmed for a mission of %d", n, needed)
	}
	if n := f.eventsOf(t, id, expertevents.RequestMatchedType); n != 1 {
		t.Fatalf("matched %d times", n)
	}
	seen, _, _ := f.app.Request(ctx, app.RequestQuery{RequestID: id, Request: admin})
	if seen.Status != "MATCHED" || seen.Confirmed != needed {
		t.Fatalf("read model: %s, %d confirmed", seen.Status, seen.Confirmed)
	}
}

// An expert accepting while the institution cancels: the log never holds an
// acceptance after the cancellation.
func TestRacingAcceptanceAndCancellation(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	inst := f.verifiedInstitution(t)
	for range 5 {
		id := f.openRequest(t, inst, 1)
		e := f.verifiedExpert(t, "Dr Racing")
		if _, err := f.app.ProposeMatch(ctx, app.MatchCommand{RequestID: id, ExpertID: e.Actor.Subject, Request: coordinator}); err != nil {
			t.Fatal(err)
		}
		errs := race(2, func(i int) error {
			if i == 0 {
				_, err := f.app.AcceptMatch(ctx, app.MatchCommand{RequestID: id, Request: e})
				return err
			}
			_, err := f.app.CancelRequest(ctx, app.CancelRequest{RequestID: id, Reason: "funding withdrawn", Request: inst})
			return err
		})
		if errs[1] != nil || errs[0] != nil && !errors.Is(errs[0], request.ErrNotOpen) {
			t.Fatalf("accept: %v, cancel: %v", errs[0], errs[1])
		}
		recs, err := f.store.ReadStream(ctx, expertevents.RequestStreamID(id), 1)
		if err != nil {
			t.Fatal(err)
		}
		if last := recs[len(recs)-1].Type; last != expertevents.RequestCancelledType {
			t.Fatalf("the last event is %s", last)
		}
	}
}

func TestBadInputWritesNothing(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	inst := f.verifiedInstitution(t)
	before, _ := f.store.LastCommitted(ctx)
	bad := terms(1)
	bad.Fields = []string{"0000"}
	_, err := f.app.DraftRequest(ctx, app.DraftRequest{Terms: bad, Request: inst})
	if fault.CodeOf(err) != fault.BadUserInput {
		t.Fatalf("got %v", err)
	}
	_, err = f.app.RegisterInstitution(ctx, app.RegisterInstitution{Institution: expertevents.Institution{Name: "X", Kind: "CHURCH"}})
	if fault.CodeOf(err) != fault.BadUserInput {
		t.Fatalf("got %v", err)
	}
	if after, _ := f.store.LastCommitted(ctx); after != before {
		t.Fatalf("the log moved from %v to %v", before, after)
	}
}

// race runs n functions at once and returns their errors, by index.
func race(n int, run func(i int) error) []error {
	errs := make([]error, n)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			<-start
			errs[i] = run(i)
		})
	}
	close(start)
	wg.Wait()
	return errs
}

func count(errs []error, target error) int {
	n := 0
	for _, err := range errs {
		if target == nil && err == nil || target != nil && errors.Is(err, target) {
			n++
		}
	}
	return n
}

func (f fixture) eventsOf(t *testing.T, requestID, typ string) int {
	t.Helper()
	recs, err := f.store.ReadStream(context.Background(), expertevents.RequestStreamID(requestID), 1)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, rec := range recs {
		if rec.Type == typ {
			n++
		}
	}
	return n
}

// A repeat of a registration (same idempotency key, same request) within the replay
// window answers with the registrant's key again — the first answer may have been lost
// — and after it with none; a guessable key is refused, and one key with another
// request is a conflict.
func TestARepeatedRegistrationAnswersWithItsKeyOnlyWithinTheWindow(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	expertCmd := app.RegisterExpert{Profile: profile("Dr Idrissa Sow"), Consents: []expert.Consent{consent(expertevents.Processing)},
		Request: app.Request{IdempotencyKey: uuid.NewString()}}
	institutionCmd := app.RegisterInstitution{Institution: expertevents.Institution{
		Name: "Université Cheikh Anta Diop", Kind: "UNIVERSITY", Country: "SN", Email: "coop@ucad.example.sn"},
		Request: app.Request{IdempotencyKey: uuid.NewString()}}
	register := map[string]func() (app.Result, error){
		"expert":      func() (app.Result, error) { return f.app.RegisterExpert(ctx, expertCmd) },
		"institution": func() (app.Result, error) { return f.app.RegisterInstitution(ctx, institutionCmd) },
	}
	keys := map[string]string{"expert": expertCmd.Request.IdempotencyKey, "institution": institutionCmd.Request.IdempotencyKey}
	for who, run := range register {
		first, err := run()
		if err != nil || first.Token == "" {
			t.Fatalf("%s: %+v (%v)", who, first, err)
		}
		again, err := run()
		if err != nil || !again.Replayed || again.Token == "" || again.ExpertID != first.ExpertID || again.InstitutionID != first.InstitutionID {
			t.Fatalf("%s: a repeat within the window answered %+v (%v)", who, again, err)
		}
		if _, err := f.store.Pool().Exec(ctx, `UPDATE experts.idempotency_keys SET created_at = created_at - interval '25 hours'
			WHERE key = $1`, keys[who]); err != nil {
			t.Fatal(err)
		}
		late, err := run()
		if err != nil || !late.Replayed || late.Token != "" || late.KeyWithheld != command.KeyWithheld {
			t.Fatalf("%s: a repeat after the window answered %+v (%v)", who, late, err)
		}
	}
	other := expertCmd
	other.Profile.Name = "Dr Someone Else"
	if _, err := f.app.RegisterExpert(ctx, other); !errors.Is(err, command.ErrKeyReused) {
		t.Fatalf("one key, another request: %v", err)
	}
	weak := expertCmd
	weak.Request.IdempotencyKey = "expert-registration-1"
	if _, err := f.app.RegisterExpert(ctx, weak); !errors.Is(err, command.ErrGuessableKey) {
		t.Fatalf("a guessable key: %v", err)
	}
}
