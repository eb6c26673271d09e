package adapters_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"passerelle.dev/events/proposalevents"
	"passerelle.dev/kernel/fault"
	"passerelle.dev/proposals/app"
	"passerelle.dev/proposals/domain/call"
	"passerelle.dev/proposals/domain/proposal"
	"passerelle.dev/proposals/service"
)

// openCallWith opens a call whose envelope holds envelope EUR (and 1,000,000 XOF).
func (f fixture) openCallWith(t *testing.T, envelope string) string {
	t.Helper()
	res, err := f.svc.Commands.OpenCall(context.Background(), app.OpenCall{
		Title: proposalevents.Text{EN: "Diaspora health partnerships"}, Description: proposalevents.Text{EN: "Health projects."},
		Themes: []string{"HEALTH"}, EligibleCountries: []string{"GH", "SN"}, BudgetCeiling: app.MoneyInput{Amount: "50000", Currency: "EUR"},
		Envelope: []app.MoneyInput{{Amount: envelope, Currency: "EUR"}, {Amount: "1000000", Currency: "XOF"}},
		OpensAt:  start, ClosesAt: start.Add(30 * 24 * time.Hour), Request: admin,
	})
	if err != nil {
		t.Fatal(err)
	}
	return res.CallID
}

// reviewed drafts, submits and reviews a proposal of 48,000 EUR to callID.
func (f fixture) reviewed(t *testing.T, callID string) string {
	t.Helper()
	ctx := context.Background()
	id, owner := f.association(t)
	pid := f.draft(t, callID, id, owner)
	for _, step := range []func() (app.Result, error){
		func() (app.Result, error) {
			return f.svc.Commands.SubmitProposal(ctx, app.SubmitProposal{ProposalID: pid, Request: owner})
		},
		func() (app.Result, error) {
			return f.svc.Commands.StartReview(ctx, app.StartReview{ProposalID: pid, Request: coordinator(1)})
		},
		func() (app.Result, error) {
			return f.svc.Commands.ReviewProposal(ctx, app.ReviewProposal{ProposalID: pid, Request: coordinator(1),
				Scores: map[string]int{"RELEVANCE": 4, "FEASIBILITY": 4, "DEVELOPMENT_IMPACT": 5, "PARTNERSHIP": 3}, Comment: "Sound."})
		},
	} {
		if _, err := step(); err != nil {
			t.Fatal(err)
		}
	}
	return pid
}

func (f fixture) count(t *testing.T, stream, eventType string) int {
	t.Helper()
	recs, err := f.store.ReadStream(context.Background(), stream, 1)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, r := range recs {
		if r.Type == eventType {
			n++
		}
	}
	return n
}

// Admins approving proposals at the same time, one by one and in batches, never commit
// more than the envelope: an envelope of 150,000 EUR takes three proposals of 48,000,
// whatever the race; every other approval is refused with ENVELOPE_EXCEEDED.
func TestRacingApprovalsNeverOverCommitTheEnvelope(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	callID := f.openCallWith(t, "150000")
	const n = 8
	ids := make([]string, n)
	for i := range ids {
		ids[i] = f.reviewed(t, callID)
	}
	var (
		wg       sync.WaitGroup
		begin    = make(chan struct{})
		mu       sync.Mutex
		approved int
		exceeded int
		others   []error
	)
	tally := func(k int, err error) {
		mu.Lock()
		defer mu.Unlock()
		var over *call.EnvelopeExceededError
		switch {
		case err == nil:
			approved += k
		case errors.As(err, &over):
			exceeded++
		default:
			others = append(others, err)
		}
	}
	// Four single approvals, and two batches of two.
	for _, id := range ids[:4] {
		wg.Go(func() {
			<-begin
			_, err := f.svc.Commands.DecideProposal(ctx, app.DecideProposal{ProposalID: id, Decision: "APPROVED", Reason: "Ranked high.", Request: admin})
			tally(1, err)
		})
	}
	for _, pair := range [][]string{ids[4:6], ids[6:8]} {
		wg.Go(func() {
			<-begin
			_, err := f.svc.Commands.DecideProposals(ctx, app.DecideProposals{CallID: callID, Request: admin, Decisions: []app.Decision{
				{ProposalID: pair[0], Decision: "APPROVED", Reason: "Ranked high."}, {ProposalID: pair[1], Decision: "APPROVED", Reason: "Ranked high."}}})
			tally(2, err)
		})
	}
	close(begin)
	wg.Wait()
	if len(others) > 0 {
		t.Fatal(errors.Join(others...))
	}
	committed := f.count(t, proposalevents.CallStreamID(callID), proposalevents.CallFundsCommittedType)
	decided := 0
	for _, id := range ids {
		decided += f.count(t, proposalevents.ProposalStreamID(id), proposalevents.ProposalDecidedType)
	}
	c, err := call.FromHistory(f.history(t, proposalevents.CallStreamID(callID)))
	if err != nil {
		t.Fatal(err)
	}
	if approved > 3 || committed != approved || decided != approved || c.Committed("EUR") != int64(approved)*48000*100 || exceeded == 0 {
		t.Fatalf("%d approved, %d commitments, %d decisions, %d EUR cents committed, %d refused", approved, committed, decided, c.Committed("EUR"), exceeded)
	}
	if c.Committed("EUR") > 150000*100 {
		t.Fatalf("the envelope is over-committed: %d", c.Committed("EUR"))
	}
	t.Logf("%d approved, %d refusals for the envelope", approved, exceeded)
}

// A batch is recorded whole or not at all: one refused decision (here the third
// approval, beyond the envelope) writes none of it, and says which proposal and why.
func TestABatchOfDecisionsIsAllOrNothing(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	callID := f.openCallWith(t, "100000")
	a, b, c := f.reviewed(t, callID), f.reviewed(t, callID), f.reviewed(t, callID)
	batch := app.DecideProposals{CallID: callID, Request: admin, Decisions: []app.Decision{
		{ProposalID: a, Decision: "APPROVED", Reason: "First."}, {ProposalID: b, Decision: "APPROVED", Reason: "Second."},
		{ProposalID: c, Decision: "APPROVED", Reason: "Third."}}}
	_, err := f.svc.Commands.DecideProposals(ctx, batch)
	var over *call.EnvelopeExceededError
	if !errors.As(err, &over) || over.ProposalID != c || over.Remaining.Amount != 4000*100 || fault.CodeOf(err) != fault.Conflict {
		t.Fatalf("an over-committing batch: %v", err)
	}
	for _, id := range []string{a, b, c} {
		if n := f.count(t, proposalevents.ProposalStreamID(id), proposalevents.ProposalDecidedType); n != 0 {
			t.Fatalf("a refused batch decided %s", id)
		}
	}
	batch.Decisions[2].Decision = "REJECTED"
	batch.Decisions[2].Reason = "Below the line this round."
	if _, err := f.svc.Commands.DecideProposals(ctx, batch); err != nil {
		t.Fatal(err)
	}
	if n := f.count(t, proposalevents.CallStreamID(callID), proposalevents.CallFundsCommittedType); n != 2 {
		t.Fatalf("%d commitments for two approvals", n)
	}
	// Bad input, and who may not, write nothing.
	for name, cmd := range map[string]app.DecideProposals{
		"no decisions":   {CallID: callID, Request: admin},
		"twice the same": {CallID: callID, Request: admin, Decisions: []app.Decision{{ProposalID: a, Decision: "APPROVED", Reason: "x"}, {ProposalID: a, Decision: "REJECTED", Reason: "y"}}},
		"a coordinator":  {CallID: callID, Request: coordinator(1), Decisions: []app.Decision{{ProposalID: a, Decision: "APPROVED", Reason: "Good."}}},
		"another call":   {CallID: f.openCallWith(t, "100000"), Request: admin, Decisions: []app.Decision{{ProposalID: a, Decision: "APPROVED", Reason: "Good."}}},
	} {
		if _, err := f.svc.Commands.DecideProposals(ctx, cmd); err == nil || fault.CodeOf(err) == fault.Internal {
			t.Errorf("%s: %v", name, err)
		}
	}
	if n := f.count(t, proposalevents.CallStreamID(callID), proposalevents.CallFundsCommittedType); n != 2 {
		t.Fatalf("refused batches wrote: %d commitments", n)
	}
	// A refusal of one proposal's own names it, with its own code and reason.
	id, owner := f.association(t)
	submitted := f.draft(t, callID, id, owner)
	if _, err := f.svc.Commands.SubmitProposal(ctx, app.SubmitProposal{ProposalID: submitted, Request: owner}); err != nil {
		t.Fatal(err)
	}
	_, err = f.svc.Commands.DecideProposals(ctx, app.DecideProposals{CallID: callID, Request: admin, Decisions: []app.Decision{
		{ProposalID: submitted, Decision: "REJECTED", Reason: "Not reviewed yet."}}})
	if d := fault.DetailsOf(err); fault.CodeOf(err) != fault.Conflict || d["proposalId"] != submitted || d["status"] != "SUBMITTED" {
		t.Fatalf("a proposal not under review: %v %v", err, d)
	}
}

func (f fixture) history(t *testing.T, stream string) []any {
	t.Helper()
	recs, err := f.store.ReadStream(context.Background(), stream, 1)
	if err != nil {
		t.Fatal(err)
	}
	reg, err := service.Registry()
	if err != nil {
		t.Fatal(err)
	}
	out := make([]any, len(recs))
	for i, r := range recs {
		if out[i], err = reg.Decode(r.Type, r.SchemaVersion, r.Data); err != nil {
			t.Fatal(fmt.Errorf("decode: %w", err))
		}
	}
	return out
}

// A reviewer's revisions racing their own declaration of a conflict of interest: once
// the declaration lands, no review of theirs counts and every later one is refused —
// whatever the order the race gives.
func TestAConflictDeclaredWhileReviewingLeavesNoReviewOfTheirs(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	callID := f.openCallWith(t, "150000")
	pid := f.reviewed(t, callID) // reviewed by coordinator 1
	conflicted := coordinator(2)
	var (
		wg    sync.WaitGroup
		begin = make(chan struct{})
		mu    sync.Mutex
		errs  []error
	)
	for i := range 10 {
		wg.Go(func() {
			<-begin
			_, err := f.svc.Commands.ReviewProposal(ctx, app.ReviewProposal{ProposalID: pid, Request: conflicted,
				Scores: map[string]int{"RELEVANCE": 5, "FEASIBILITY": 5, "DEVELOPMENT_IMPACT": 5, "PARTNERSHIP": 5}, Comment: fmt.Sprintf("revision %d", i)})
			if err != nil && !errors.Is(err, proposal.ErrConflictOfInterest) {
				mu.Lock()
				errs = append(errs, err)
				mu.Unlock()
			}
		})
	}
	for range 3 {
		wg.Go(func() {
			<-begin
			if _, err := f.svc.Commands.DeclareConflictOfInterest(ctx, app.DeclareConflictOfInterest{ProposalID: pid, Request: conflicted,
				Reason: "I advised the association last year."}); err != nil {
				mu.Lock()
				errs = append(errs, err)
				mu.Unlock()
			}
		})
	}
	close(begin)
	wg.Wait()
	if len(errs) > 0 {
		t.Fatal(errors.Join(errs...))
	}
	p, err := proposal.FromHistory(f.history(t, proposalevents.ProposalStreamID(pid)))
	if err != nil {
		t.Fatal(err)
	}
	if n := f.count(t, proposalevents.ProposalStreamID(pid), proposalevents.ConflictDeclaredType); n != 1 || p.ReviewCount() != 1 {
		t.Fatalf("%d declarations, %d reviews counting (want 1 and the other reviewer's)", n, p.ReviewCount())
	}
}
