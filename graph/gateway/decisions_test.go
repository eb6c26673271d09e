package gateway_test

import (
	"strings"
	"testing"
	"time"

	"passerelle.dev/events"
)

// openCallWithEnvelope opens a call in EUR (ceiling 50,000) whose envelope holds
// envelope EUR and 2,000,000 XOF.
func (p *platform) openCallWithEnvelope(t *testing.T, admin, envelope string) string {
	t.Helper()
	type opened struct{ Call struct{ ID string } }
	return decode[opened](t, p.mustDo(t, admin, openCallMutation, map[string]any{"in": map[string]any{
		"title":       map[string]any{"en": "Diaspora health partnerships 2027"},
		"description": map[string]any{"en": "Projects that bring diaspora health professionals and home-country hospitals together."},
		"themes":      []string{"HEALTH"}, "eligibleCountries": []string{"GH", "SN"},
		"budgetCeiling": map[string]any{"amount": "50000", "currency": "EUR"},
		"envelope":      []map[string]any{{"amount": envelope, "currency": "EUR"}, {"amount": "2000000", "currency": "XOF"}},
		"opensAt":       proposalsEpoch.Format(time.RFC3339), "closesAt": proposalsEpoch.Add(30 * 24 * time.Hour).Format(time.RFC3339),
	}}), "openCall").Call.ID
}

const decisionMeetingQuery = `query($id: ID!) { node(id: $id) { ... on Call {
  envelope { amount currency } committed { amount currency } remaining { amount currency }
  decisionMeeting { rank reviewCount averageScore budget { amount currency } proposal { id status }
    criteria { criterion average lowest highest } } } } }`

type meeting struct {
	Envelope, Committed, Remaining []struct{ Amount, Currency string }
	DecisionMeeting                []struct {
		Rank         *int
		ReviewCount  int
		AverageScore *float64
		Budget       struct{ Amount, Currency string }
		Proposal     struct{ ID, Status string }
		Criteria     []struct {
			Criterion       string
			Average         *float64
			Lowest, Highest *int
		}
	}
}

const decideMutation = `mutation($c: ID!, $d: [ProposalDecisionInput!]!) { decideProposals(callId: $c, decisions: $d) {
  call { committed { amount currency } remaining { amount currency } } } }`

// The decision meeting ranks a call's reviewed proposals by their average score with
// each criterion's spread, shows the envelope, and records a batch of decisions whole —
// or, when the batch would over-commit the envelope, none of it, saying why.
func TestADecisionMeetingThroughGraphQL(t *testing.T) {
	t.Parallel()
	p := start(t, db.Fresh(t), false)
	p.clock.set(proposalsEpoch)
	a := p.proposalActors(t)
	callID := p.openCallWithEnvelope(t, a.admin, "100000")
	// Three proposals of 48,000 EUR: one reviewed twice (5,4,4,3 and 3,2,4,1), one once
	// (5,4,4,3), one not yet reviewed (under review all the same).
	low := `mutation($p: ID!) { reviewProposal(proposalId: $p, scores: [{criterion: RELEVANCE, score: 3}, {criterion: FEASIBILITY, score: 2}, {criterion: DEVELOPMENT_IMPACT, score: 4}, {criterion: PARTNERSHIP, score: 1}], comment: "Thin on partners.") { proposal { status } } }`
	mixed := p.proposalAt(t, a, callID, "UNDER_REVIEW")
	p.mustDo(t, p.token(t, events.Actor{Role: events.RoleAdmin, Subject: "second-reviewer"}), low, map[string]any{"p": mixed})
	strong := p.proposalAt(t, a, callID, "UNDER_REVIEW")
	unreviewed := p.draftProposal(t, a.owner, proposalInput(callID, a.ownerID)).ID
	p.mustDo(t, a.owner, proposalMutations["submit"], map[string]any{"p": unreviewed})
	p.mustDo(t, a.coordinator, proposalMutations["startReview"], map[string]any{"p": unreviewed})

	m := decode[meeting](t, p.mustDo(t, a.admin, decisionMeetingQuery, map[string]any{"id": callID}), "node")
	if len(m.DecisionMeeting) != 3 || m.DecisionMeeting[0].Proposal.ID != strong || m.DecisionMeeting[1].Proposal.ID != mixed ||
		m.DecisionMeeting[2].Proposal.ID != unreviewed || m.DecisionMeeting[2].Rank != nil || *m.DecisionMeeting[0].Rank != 1 {
		t.Fatalf("the ranking: %+v", m.DecisionMeeting)
	}
	second := m.DecisionMeeting[1]
	if second.ReviewCount != 2 || *second.AverageScore != 3.25 || second.Criteria[0].Criterion != "RELEVANCE" ||
		*second.Criteria[0].Average != 4 || *second.Criteria[0].Lowest != 3 || *second.Criteria[0].Highest != 5 {
		t.Fatalf("the spread of the second: %+v", second)
	}
	if *m.DecisionMeeting[0].AverageScore != 4 || len(m.Envelope) != 2 || m.Remaining[0].Amount != "100000.00" || m.Budget(0) != "48000.00" {
		t.Fatalf("the first and the envelope: %+v", m)
	}

	// Who may not: nothing is shown, nothing is written.
	for _, who := range []struct{ name, token, code string }{
		{"anonymous", "", "UNAUTHENTICATED"}, {"the owner", a.owner, "FORBIDDEN"}, {"a coordinator", a.coordinator, "FORBIDDEN"},
	} {
		if r := p.gql(t, who.token, decisionMeetingQuery, map[string]any{"id": callID}); r.code() != who.code {
			t.Errorf("%s reads the meeting: %s", who.name, r.raw)
		}
		written := p.events(t)
		if r := p.gql(t, who.token, decideMutation, map[string]any{"c": callID, "d": []map[string]any{{"proposalId": strong, "decision": "APPROVED", "reason": "Best."}}}); r.code() != who.code || p.events(t) != written {
			t.Errorf("%s decides: %s", who.name, r.raw)
		}
	}

	// Three approvals of 48,000 do not fit in 100,000: the batch is refused whole.
	all := []map[string]any{
		{"proposalId": strong, "decision": "APPROVED", "reason": "Best on every criterion."},
		{"proposalId": mixed, "decision": "APPROVED", "reason": "Good enough."},
		{"proposalId": unreviewed, "decision": "APPROVED", "reason": "Urgent."},
	}
	written := p.events(t)
	r := p.gql(t, a.admin, decideMutation, map[string]any{"c": callID, "d": all})
	if r.code() != "BAD_USER_INPUT" && r.code() != "CONFLICT" || p.events(t) != written {
		t.Fatalf("an over-committing batch: %s", r.raw)
	}
	// The unreviewed one cannot be decided yet. With a third reviewed proposal instead,
	// the envelope takes two, and the third approval is ENVELOPE_EXCEEDED.
	third := p.draftProposal(t, a.owner, proposalInput(callID, a.ownerID)).ID
	for _, step := range []struct{ token, mutation string }{{a.owner, "submit"}, {a.coordinator, "startReview"}, {a.coordinator, "review"}} {
		p.mustDo(t, step.token, proposalMutations[step.mutation], map[string]any{"p": third})
	}
	over := []map[string]any{
		{"proposalId": strong, "decision": "APPROVED", "reason": "Best on every criterion."},
		{"proposalId": mixed, "decision": "APPROVED", "reason": "Good enough."},
		{"proposalId": third, "decision": "APPROVED", "reason": "Also good."},
	}
	written = p.events(t)
	r = p.gql(t, a.admin, decideMutation, map[string]any{"c": callID, "d": over})
	if r.code() != "CONFLICT" || r.reason() != "ENVELOPE_EXCEEDED" || p.events(t) != written ||
		!strings.Contains(string(r.raw), `"proposalId":"`+third+`"`) {
		t.Fatalf("a batch beyond the envelope: %s", r.raw)
	}
	over[2] = map[string]any{"proposalId": third, "decision": "REJECTED", "reason": "Below the line this round."}
	decided := decode[struct {
		Call struct {
			Committed, Remaining []struct{ Amount, Currency string }
		}
	}](t, p.mustDo(t, a.admin, decideMutation, map[string]any{"c": callID, "d": over}), "decideProposals")
	if decided.Call.Committed[0].Amount != "96000.00" || decided.Call.Remaining[0].Amount != "4000.00" || decided.Call.Remaining[1].Amount != "2000000" {
		t.Fatalf("after the meeting: %+v", decided.Call)
	}
	for id, want := range map[string]string{strong: "APPROVED", mixed: "APPROVED", third: "REJECTED", unreviewed: "UNDER_REVIEW"} {
		if got := p.proposal(t, a.admin, id).Status; got != want {
			t.Errorf("%s: %s, want %s", id, got, want)
		}
	}
	// A single approval obeys the envelope too.
	p.mustDo(t, a.coordinator, proposalMutations["review"], map[string]any{"p": unreviewed})
	if r := p.gql(t, a.admin, proposalMutations["approve"], map[string]any{"p": unreviewed}); r.reason() != "ENVELOPE_EXCEEDED" {
		t.Fatalf("a single approval beyond the envelope: %s", r.raw)
	}
}

func (m meeting) Budget(i int) string { return m.DecisionMeeting[i].Budget.Amount }

// A reviewer sees the other reviews of a proposal, and its averages, only once they have
// submitted their own, so that no score sways theirs; admins, who decide, see them all.
func TestReviewsStayHiddenFromAReviewerUntilTheirOwn(t *testing.T) {
	t.Parallel()
	p := start(t, db.Fresh(t), false)
	p.clock.set(proposalsEpoch)
	a := p.proposalActors(t)
	callID := p.openCall(t, a.admin, proposalsEpoch.Add(30*24*time.Hour))
	id := p.proposalAt(t, a, callID, "UNDER_REVIEW") // reviewed by a.coordinator
	second := p.coordinator(t, "geneva")
	const view = `query($id: ID!) { proposal(id: $id) { reviewsHidden reviews { reviewerRole comment } averageScores { criterion score } } }`
	type seen struct {
		ReviewsHidden bool
		Reviews       *[]struct{ ReviewerRole, Comment string }
		AverageScores *[]struct {
			Criterion string
			Score     float64
		}
	}
	look := func(token string) seen {
		return decode[seen](t, p.mustDo(t, token, view, map[string]any{"id": id}), "proposal")
	}
	if s := look(second); !s.ReviewsHidden || s.Reviews == nil || len(*s.Reviews) != 0 || s.AverageScores != nil {
		t.Fatalf("a reviewer who has not reviewed: %+v", s)
	}
	if s := look(a.admin); s.ReviewsHidden || len(*s.Reviews) != 1 || s.AverageScores == nil {
		t.Fatalf("an admin: %+v", s)
	}
	if s := look(a.coordinator); s.ReviewsHidden || len(*s.Reviews) != 1 {
		t.Fatalf("the reviewer who reviewed: %+v", s)
	}
	if s := look(a.owner); s.Reviews != nil || s.AverageScores != nil || s.ReviewsHidden {
		t.Fatalf("the owner before the decision: %+v", s)
	}
	p.mustDo(t, second, proposalMutations["review"], map[string]any{"p": id})
	if s := look(second); s.ReviewsHidden || len(*s.Reviews) != 2 || s.AverageScores == nil {
		t.Fatalf("once they reviewed: %+v", s)
	}
}

// A reviewer declares a conflict of interest: their review stops counting, they may no
// longer review or decide, admins see the declaration; the owner and the public may not
// declare one, and a declaration without a reason writes nothing.
func TestAConflictOfInterestThroughGraphQL(t *testing.T) {
	t.Parallel()
	p := start(t, db.Fresh(t), false)
	p.clock.set(proposalsEpoch)
	a := p.proposalActors(t)
	callID := p.openCall(t, a.admin, proposalsEpoch.Add(30*24*time.Hour))
	id := p.proposalAt(t, a, callID, "UNDER_REVIEW") // reviewed by a.coordinator
	declare := `mutation($p: ID!, $r: String!) { declareConflictOfInterest(proposalId: $p, reason: $r) { proposal { viewerHasConflict reviews { comment } } } }`
	for _, who := range []struct{ name, token, code string }{
		{"anonymous", "", "UNAUTHENTICATED"}, {"the owner", a.owner, "FORBIDDEN"}, {"another association", a.other, "FORBIDDEN"},
	} {
		written := p.events(t)
		if r := p.gql(t, who.token, declare, map[string]any{"p": id, "r": "I know them."}); r.code() != who.code || p.events(t) != written {
			t.Errorf("%s declares: %s", who.name, r.raw)
		}
	}
	written := p.events(t)
	if r := p.gql(t, a.coordinator, declare, map[string]any{"p": id, "r": " "}); r.code() != "BAD_USER_INPUT" || p.events(t) != written {
		t.Fatalf("no reason: %s", r.raw)
	}
	got := decode[struct {
		Proposal struct {
			ViewerHasConflict bool
			Reviews           *[]struct{ Comment string }
		}
	}](t, p.mustDo(t, a.coordinator, declare, map[string]any{"p": id, "r": "I chaired its board until last year."}), "declareConflictOfInterest")
	if !got.Proposal.ViewerHasConflict || got.Proposal.Reviews == nil || len(*got.Proposal.Reviews) != 0 {
		t.Fatalf("after declaring: %+v", got.Proposal)
	}
	if r := p.gql(t, a.coordinator, proposalMutations["review"], map[string]any{"p": id}); r.code() != "CONFLICT" || r.reason() != "CONFLICT_OF_INTEREST" {
		t.Fatalf("a review after declaring: %s", r.raw)
	}
	// The only review is gone: the proposal cannot be decided until someone else reviews.
	if r := p.gql(t, a.admin, proposalMutations["approve"], map[string]any{"p": id}); r.reason() != "NOT_REVIEWED" {
		t.Fatalf("deciding without a counting review: %s", r.raw)
	}
	const conflicts = `query($id: ID!) { proposal(id: $id) { conflicts { reviewerRole reason } averageScores { score } } }`
	type seen struct {
		Conflicts     *[]struct{ ReviewerRole, Reason string }
		AverageScores *[]struct{ Score float64 }
	}
	if s := decode[seen](t, p.mustDo(t, a.admin, conflicts, map[string]any{"id": id}), "proposal"); s.Conflicts == nil || len(*s.Conflicts) != 1 ||
		(*s.Conflicts)[0].Reason != "I chaired its board until last year." || (*s.Conflicts)[0].ReviewerRole != "coordinator" || s.AverageScores != nil {
		t.Fatalf("what an admin sees: %+v", s)
	}
	if s := decode[seen](t, p.mustDo(t, a.coordinator, conflicts, map[string]any{"id": id}), "proposal"); s.Conflicts != nil {
		t.Fatalf("a coordinator sees the declarations: %+v", s)
	}
}
