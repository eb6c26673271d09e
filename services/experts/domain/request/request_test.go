package request_test

import (
	"errors"
	"testing"
	"time"

	"passerelle.dev/events"
	"passerelle.dev/events/expertevents"
	"passerelle.dev/experts/domain/request"
	"passerelle.dev/kernel/fault"
)

var (
	now         = time.Date(2027, 1, 10, 9, 0, 0, 0, time.UTC)
	inst        = request.Institution{ID: "inst-1", Verified: true}
	owner       = events.Actor{Role: events.RoleInstitution, Subject: "inst-1"}
	other       = events.Actor{Role: events.RoleInstitution, Subject: "inst-2"}
	coordinator = events.Actor{Role: events.RoleCoordinator, Subject: "c", City: "geneva"}
	admin       = events.Actor{Role: events.RoleAdmin, Subject: "a"}
	expertA     = events.Actor{Role: events.RoleExpert, Subject: "exp-a"}
	expertB     = events.Actor{Role: events.RoleExpert, Subject: "exp-b"}
)

func terms() expertevents.Terms {
	return expertevents.Terms{Title: "Paediatric nursing mentors", TermsOfReference: "Three weeks of mentoring in the paediatric ward of the regional hospital.",
		Fields: []string{"2221"}, Languages: []string{"fr"}, Mode: "ON_SITE", From: "2027-03-01", To: "2027-03-21", Country: "sn", Experts: 1}
}

func open(t *testing.T) *request.Request {
	t.Helper()
	r, err := request.New(owner, "req-1", inst, terms(), now)
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Open(owner, now); err != nil {
		t.Fatal(err)
	}
	return r
}

func wantCode(t *testing.T, err error, want *fault.Error) {
	t.Helper()
	if !errors.Is(err, want) {
		t.Fatalf("got %v, want %v", err, want)
	}
}

func TestTermsAreCheckedAndTidied(t *testing.T) {
	r, err := request.New(owner, "req-1", inst, terms(), now)
	if err != nil {
		t.Fatal(err)
	}
	if got := r.Terms().Country; got != "SN" {
		t.Fatalf("country %q, want SN", got)
	}
	for name, change := range map[string]func(*expertevents.Terms){
		"title":            func(t *expertevents.Terms) { t.Title = "ab" },
		"termsOfReference": func(t *expertevents.Terms) { t.TermsOfReference = "short" },
		"fields":           func(t *expertevents.Terms) { t.Fields = []string{"9999"} },
		"languages":        func(t *expertevents.Terms) { t.Languages = []string{"not a tag!"} },
		"mode":             func(t *expertevents.Terms) { t.Mode = "SOMETIMES" },
		"from":             func(t *expertevents.Terms) { t.From = "2026-12-01" },
		"to":               func(t *expertevents.Terms) { t.To = "2027-02-01" },
		"country":          func(t *expertevents.Terms) { t.Country = "XX" },
		"experts":          func(t *expertevents.Terms) { t.Experts = 0 },
	} {
		tt := terms()
		change(&tt)
		_, err := request.New(owner, "req-1", inst, tt, now)
		if fault.CodeOf(err) != fault.BadUserInput || fault.DetailsOf(err)["field"] != name {
			t.Errorf("%s: got %v (%v)", name, err, fault.DetailsOf(err))
		}
	}
}

func TestOnlyAVerifiedInstitutionDraftsItsOwnRequests(t *testing.T) {
	_, err := request.New(other, "req-1", inst, terms(), now)
	wantCode(t, err, request.ErrInstitutionOnly)
	_, err = request.New(events.Anonymous, "req-1", inst, terms(), now)
	wantCode(t, err, request.ErrNeedsSignIn)
	_, err = request.New(owner, "req-1", request.Institution{ID: "inst-1"}, terms(), now)
	wantCode(t, err, request.ErrNotVerified)
}

func TestAMatchGoesFromProposalToMission(t *testing.T) {
	r := open(t)
	wantCode(t, r.Propose(owner, request.Candidate{ExpertID: "exp-a", Eligible: true, Score: 80}, now), request.ErrModeratorsOnly)
	wantCode(t, r.Propose(coordinator, request.Candidate{ExpertID: "exp-c", Eligible: false}, now), request.ErrNotCandidate)
	if err := r.Propose(coordinator, request.Candidate{ExpertID: "exp-a", Eligible: true, Score: 80}, now); err != nil {
		t.Fatal(err)
	}
	wantCode(t, r.Propose(admin, request.Candidate{ExpertID: "exp-a", Eligible: true, Score: 80}, now), request.ErrAlreadyProposed)
	wantCode(t, r.Confirm(owner, "exp-a", now), request.ErrNotAccepted)
	wantCode(t, r.Accept(expertB, now), request.ErrNoMatch)
	if err := r.Accept(expertA, now); err != nil {
		t.Fatal(err)
	}
	wantCode(t, r.Accept(expertA, now), request.ErrNotProposed)
	wantCode(t, r.Confirm(other, "exp-a", now), request.ErrInstitutionOnly)
	if err := r.Confirm(owner, "exp-a", now); err != nil {
		t.Fatal(err)
	}
	if r.Status() != request.Matched {
		t.Fatalf("status %s, want MATCHED once the one expert needed is confirmed", r.Status())
	}
	wantCode(t, r.Propose(coordinator, request.Candidate{ExpertID: "exp-b", Eligible: true}, now), request.ErrNotOpen)
	if err := r.Close(owner, now); err != nil {
		t.Fatal(err)
	}
	wantCode(t, r.Cancel(admin, "too late", now), request.ErrFinished)

	// The history rebuilds the same request.
	again, err := request.FromHistory(r.PendingEvents())
	if err != nil {
		t.Fatal(err)
	}
	if again.Status() != request.Closed || again.Matches()[0].Status != request.Confirmed {
		t.Fatalf("rebuilt %s %v", again.Status(), again.Matches())
	}
}

func TestDeclines(t *testing.T) {
	r := open(t)
	for _, id := range []string{"exp-a", "exp-b"} {
		if err := r.Propose(coordinator, request.Candidate{ExpertID: id, Eligible: true}, now); err != nil {
			t.Fatal(err)
		}
	}
	wantCode(t, r.Decline(owner, "exp-a", now), request.ErrNotAccepted) // the institution never sees a mere proposal
	wantCode(t, r.Decline(coordinator, "exp-a", now), request.ErrExpertOrOwnerOnly)
	wantCode(t, r.Decline(expertB, "exp-a", now), request.ErrExpertOrOwnerOnly)
	if err := r.Decline(expertA, "exp-a", now); err != nil {
		t.Fatal(err)
	}
	if err := r.Accept(expertB, now); err != nil {
		t.Fatal(err)
	}
	if err := r.Decline(owner, "exp-b", now); err != nil {
		t.Fatal(err)
	}
	m := r.Matches()
	if m[0].DeclinedBy != expertevents.DeclinedByExpert || m[1].DeclinedBy != expertevents.DeclinedByInstitution {
		t.Fatalf("declined by %q, %q", m[0].DeclinedBy, m[1].DeclinedBy)
	}
}

func TestLifecycleGuards(t *testing.T) {
	r, _ := request.New(owner, "req-1", inst, terms(), now)
	wantCode(t, r.Close(owner, now), request.ErrNotMatched)
	if err := r.Revise(owner, terms(), now); err != nil {
		t.Fatal(err)
	}
	if err := r.Open(owner, now); err != nil {
		t.Fatal(err)
	}
	wantCode(t, r.Revise(owner, terms(), now), request.ErrNotDraft)
	wantCode(t, r.Cancel(other, "no longer needed", now), request.ErrInstitutionOnly)
	if fault.CodeOf(r.Cancel(owner, "", now)) != fault.BadUserInput {
		t.Fatal("a cancellation needs a reason")
	}
	if err := r.Cancel(admin, "the ministry withdrew the funding", now); err != nil {
		t.Fatal(err)
	}
	wantCode(t, r.Accept(expertA, now), request.ErrNoMatch)
	if r.Status() != request.Cancelled || r.CancellationReason() == "" {
		t.Fatal("cancelled with its reason")
	}
	// A draft whose mission would now start in the past must be revised before it opens.
	late, _ := request.New(owner, "req-2", inst, terms(), now)
	if fault.CodeOf(late.Open(owner, now.AddDate(0, 3, 0))) != fault.BadUserInput {
		t.Fatal("a draft gone stale opens")
	}
}
