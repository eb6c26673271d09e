package gateway_test

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"passerelle.dev/events"
)

// proposalsEpoch is the platform's "now" in these tests; calls open at it.
var proposalsEpoch = time.Date(2027, 3, 1, 12, 0, 0, 0, time.UTC)

const proposalFields = `id status sector countries durationMonths statusReason partnerKinds
  title { en fr } summary { en }
  budget { amount currency minorUnits }
  budgetLines { label amount { amount } }
  call { id status budgetCeiling { amount currency } }
  association { id name }
  reviews { reviewerId reviewerRole comment revisions scores { criterion score } }
  averageScores { criterion score }
  pledges { partner { name kind country } money { amount currency } inKind }
  pledgedTotals { amount currency minorUnits }`

type proposalView struct {
	ID             string   `json:"id"`
	Status         string   `json:"status"`
	Sector         *string  `json:"sector"`
	Countries      []string `json:"countries"`
	DurationMonths *int     `json:"durationMonths"`
	StatusReason   *string  `json:"statusReason"`
	Budget         *struct {
		Amount, Currency, MinorUnits string
	} `json:"budget"`
	Call *struct {
		ID, Status string
	} `json:"call"`
	Association *struct{ ID, Name string } `json:"association"`
	Reviews     *[]struct {
		ReviewerID string `json:"reviewerId"`
		Comment    string `json:"comment"`
		Revisions  int    `json:"revisions"`
	} `json:"reviews"`
	AverageScores *[]struct {
		Criterion string  `json:"criterion"`
		Score     float64 `json:"score"`
	} `json:"averageScores"`
	Pledges *[]struct {
		Partner struct{ Name, Kind, Country string } `json:"partner"`
		Money   *struct{ Amount, Currency string }   `json:"money"`
		InKind  *string                              `json:"inKind"`
	} `json:"pledges"`
	PledgedTotals *[]struct {
		Amount, Currency, MinorUnits string
	} `json:"pledgedTotals"`
}

type proposalPayload struct {
	Proposal      proposalView `json:"proposal"`
	ChangedFields []string     `json:"changedFields"`
	Position      *string      `json:"position"`
}

const (
	openCallMutation = `mutation($in: OpenCallInput!) { openCall(input: $in) { call { id status budgetCeiling { amount currency } } } }`
	draftMutation    = `mutation($in: DraftProposalInput!, $key: String) { draftProposal(input: $in, idempotencyKey: $key) { proposal { ` + proposalFields + ` } changedFields position } }`
	proposalQuery    = `query($id: ID!) { proposal(id: $id) { ` + proposalFields + ` } }`
)

var proposalMutations = map[string]string{
	"submit":         `mutation($p: ID!) { submitProposal(proposalId: $p) { proposal { status } position } }`,
	"withdraw":       `mutation($p: ID!) { withdrawProposal(proposalId: $p, reason: "merged with another project") { proposal { status } position } }`,
	"startReview":    `mutation($p: ID!) { startReview(proposalId: $p) { proposal { status } position } }`,
	"review":         `mutation($p: ID!) { reviewProposal(proposalId: $p, scores: [{criterion: RELEVANCE, score: 5}, {criterion: FEASIBILITY, score: 4}, {criterion: DEVELOPMENT_IMPACT, score: 4}, {criterion: PARTNERSHIP, score: 3}], comment: "Well argued.") { proposal { status } position } }`,
	"requestChanges": `mutation($p: ID!) { requestChanges(proposalId: $p, reason: "Detail the equipment line.") { proposal { status } position } }`,
	"approve":        `mutation($p: ID!) { decideProposal(proposalId: $p, decision: APPROVED, reason: "Strong on every criterion.") { proposal { status } position } }`,
	"reject":         `mutation($p: ID!) { decideProposal(proposalId: $p, decision: REJECTED, reason: "Outside this year's priorities.") { proposal { status } position } }`,
	"update":         `mutation($p: ID!) { updateProposal(proposalId: $p, input: {durationMonths: 24}) { proposal { status } changedFields position } }`,
	"pledge":         `mutation($p: ID!) { pledgeSupport(proposalId: $p, input: {partner: {name: "Ghana Health Service", kind: GOVERNMENT, country: "GH"}, inKind: "Two nurses seconded"}) { proposal { status } position } }`,
}

// proposalActors are the tokens of a proposals test.
type proposalActors struct {
	admin, coordinator, owner, other string
	ownerID                          string
}

func (p *platform) proposalActors(t *testing.T) proposalActors {
	t.Helper()
	admin := p.token(t, events.Actor{Role: events.RoleAdmin, Subject: "admin"})
	ownerID, ownerToken := p.verifiedAssociation(t, admin, "Ghana Nurses Network UK", "london")
	_, otherToken := p.verifiedAssociation(t, admin, "Sénégalais de Bruxelles", "brussels")
	return proposalActors{admin: admin, coordinator: p.coordinator(t, "london"), owner: ownerToken, other: otherToken, ownerID: ownerID}
}

// openCall opens a call in EUR with a 50,000 ceiling, open from the epoch until closes.
func (p *platform) openCall(t *testing.T, admin string, closes time.Time) string {
	t.Helper()
	type opened struct{ Call struct{ ID string } }
	return decode[opened](t, p.gql(t, admin, openCallMutation, map[string]any{"in": map[string]any{
		"title":       map[string]any{"en": "Diaspora health partnerships 2027", "fr": "Partenariats santé de la diaspora 2027"},
		"description": map[string]any{"en": "Projects that bring diaspora health professionals and home-country hospitals together."},
		"themes":      []string{"HEALTH", "REMITTANCES"}, "eligibleCountries": []string{"GH", "SN", "ML"},
		"budgetCeiling": map[string]any{"amount": "50000", "currency": "EUR"},
		"opensAt":       proposalsEpoch.Format(time.RFC3339), "closesAt": closes.Format(time.RFC3339),
	}}), "openCall").Call.ID
}

// proposalInput is a complete proposal: 48,000 EUR in two lines.
func proposalInput(callID, associationID string) map[string]any {
	return map[string]any{
		"callId": callID, "associationId": associationID,
		"title":   map[string]any{"en": "Tele-medicine link with Tamale Teaching Hospital", "fr": "Télémédecine avec l'hôpital de Tamale"},
		"summary": map[string]any{"en": "Diaspora doctors in London give remote consultations and train staff."},
		"sector":  "HEALTH", "countries": []string{"GH"}, "budget": "48000", "durationMonths": 18,
		"budgetLines":  []map[string]any{{"label": "Equipment", "amount": "30000.00"}, {"label": "Training", "amount": "18000"}},
		"partnerKinds": []string{"UNIVERSITY", "PRIVATE_SECTOR"},
	}
}

func (p *platform) draftProposal(t *testing.T, token string, input map[string]any) proposalView {
	t.Helper()
	return decode[proposalPayload](t, p.gql(t, token, draftMutation, map[string]any{"in": input}), "draftProposal").Proposal
}

// proposalAt drafts a proposal and brings it to status through GraphQL.
func (p *platform) proposalAt(t *testing.T, a proposalActors, callID, status string) string {
	t.Helper()
	id := p.draftProposal(t, a.owner, proposalInput(callID, a.ownerID)).ID
	steps := map[string][]struct{ token, mutation string }{
		"DRAFT":             nil,
		"SUBMITTED":         {{a.owner, "submit"}},
		"UNDER_REVIEW":      {{a.owner, "submit"}, {a.coordinator, "startReview"}, {a.coordinator, "review"}},
		"CHANGES_REQUESTED": {{a.owner, "submit"}, {a.coordinator, "startReview"}, {a.coordinator, "requestChanges"}},
		"APPROVED":          {{a.owner, "submit"}, {a.coordinator, "startReview"}, {a.coordinator, "review"}, {a.admin, "approve"}},
		"REJECTED":          {{a.owner, "submit"}, {a.coordinator, "startReview"}, {a.coordinator, "review"}, {a.admin, "reject"}},
		"WITHDRAWN":         {{a.owner, "withdraw"}},
	}[status]
	for _, s := range steps {
		p.mustDo(t, s.token, proposalMutations[s.mutation], map[string]any{"p": id})
	}
	return id
}

var proposalStatuses = []string{"DRAFT", "SUBMITTED", "UNDER_REVIEW", "CHANGES_REQUESTED", "APPROVED", "REJECTED", "WITHDRAWN"}

// TestEveryProposalTransitionThroughGraphQL sends every proposal mutation, by one who may
// send it, to a proposal in every status: allowed ones write and land where they
// should; refused ones are a CONFLICT that writes nothing.
func TestEveryProposalTransitionThroughGraphQL(t *testing.T) {
	t.Parallel()
	p := start(t, db.Fresh(t), false)
	p.clock.set(proposalsEpoch)
	a := p.proposalActors(t)
	callID := p.openCall(t, a.admin, proposalsEpoch.Add(30*24*time.Hour))

	transitions := []struct {
		mutation, by string
		from         map[string]string // allowed source status → resulting status
	}{
		{"update", a.owner, map[string]string{"DRAFT": "DRAFT", "CHANGES_REQUESTED": "CHANGES_REQUESTED"}},
		{"submit", a.owner, map[string]string{"DRAFT": "SUBMITTED", "CHANGES_REQUESTED": "SUBMITTED"}},
		{"withdraw", a.owner, map[string]string{"DRAFT": "WITHDRAWN", "SUBMITTED": "WITHDRAWN", "UNDER_REVIEW": "WITHDRAWN", "CHANGES_REQUESTED": "WITHDRAWN"}},
		{"startReview", a.coordinator, map[string]string{"SUBMITTED": "UNDER_REVIEW"}},
		{"review", a.coordinator, map[string]string{"UNDER_REVIEW": "UNDER_REVIEW"}},
		{"requestChanges", a.coordinator, map[string]string{"UNDER_REVIEW": "CHANGES_REQUESTED"}},
		{"approve", a.admin, map[string]string{"UNDER_REVIEW": "APPROVED"}},
		{"reject", a.admin, map[string]string{"UNDER_REVIEW": "REJECTED"}},
		{"pledge", a.coordinator, map[string]string{"UNDER_REVIEW": "UNDER_REVIEW", "APPROVED": "APPROVED"}},
	}
	for _, tr := range transitions {
		for _, from := range proposalStatuses {
			t.Run(tr.mutation+" from "+from, func(t *testing.T) {
				id := p.proposalAt(t, a, callID, from)
				written := p.events(t)
				r := p.gql(t, tr.by, proposalMutations[tr.mutation], map[string]any{"p": id})
				to, allowed := tr.from[from]
				if !allowed {
					if r.code() != "CONFLICT" || p.events(t) != written {
						t.Fatalf("got %s with %d new events, want CONFLICT and none", r.raw, p.events(t)-written)
					}
					return
				}
				// An approval also commits its budget on the call's stream.
				want := written + 1
				if tr.mutation == "approve" {
					want++
				}
				if len(r.Errors) > 0 || p.events(t) != want {
					t.Fatalf("allowed, but: %s (%d new events)", r.raw, p.events(t)-written)
				}
				if got := p.proposal(t, a.admin, id).Status; got != to {
					t.Fatalf("now %s, want %s", got, to)
				}
			})
		}
	}
}

func (p *platform) proposal(t *testing.T, token, id string) proposalView {
	t.Helper()
	return decode[proposalView](t, p.gql(t, token, proposalQuery, map[string]any{"id": id}), "proposal")
}

func TestBudgetsAndTheCallsClosingThroughGraphQL(t *testing.T) {
	t.Parallel()
	p := start(t, db.Fresh(t), false)
	p.clock.set(proposalsEpoch)
	a := p.proposalActors(t)
	closes := proposalsEpoch.Add(14 * 24 * time.Hour)
	callID := p.openCall(t, a.admin, closes)

	refused := func(t *testing.T, r gqlResponse, code, field, message string) {
		t.Helper()
		if r.code() != code || field != "" && r.Errors[0].Extensions["field"] != field || message != "" && r.Errors[0].Message != message {
			t.Fatalf("got %s, want %s on %q: %q", r.raw, code, field, message)
		}
	}
	written := p.events(t)

	// A budget above the ceiling: refused when written.
	in := proposalInput(callID, a.ownerID)
	in["budget"] = "50000.01"
	refused(t, p.gql(t, a.owner, draftMutation, map[string]any{"in": in}), "BAD_USER_INPUT", "budget",
		"the budget requested, 50000.01 EUR, is above the call's ceiling of 50000.00 EUR")
	// A budget line in a currency's impossible precision.
	in = proposalInput(callID, a.ownerID)
	in["budgetLines"] = []map[string]any{{"label": "Equipment", "amount": "30000.001"}}
	refused(t, p.gql(t, a.owner, draftMutation, map[string]any{"in": in}), "BAD_USER_INPUT", "budgetLines.amount", "")
	if p.events(t) != written {
		t.Fatal("a refused draft was written")
	}

	// Lines that do not add up: a draft may hold them while being written, a submission
	// may not.
	in = proposalInput(callID, a.ownerID)
	in["budgetLines"] = []map[string]any{{"label": "Equipment", "amount": "30000"}, {"label": "Training", "amount": "17999.99"}}
	uneven := p.draftProposal(t, a.owner, in)
	written = p.events(t)
	refused(t, p.gql(t, a.owner, proposalMutations["submit"], map[string]any{"p": uneven.ID}), "BAD_USER_INPUT", "budgetLines",
		"the budget lines add up to 47999.99 EUR, not to the budget of 48000.00 EUR")
	if p.events(t) != written {
		t.Fatal("a refused submission was written")
	}
	// Fixed, it goes.
	fixed := decode[proposalPayload](t, p.gql(t, a.owner, `mutation($p: ID!) { updateProposal(proposalId: $p, input: {budgetLines: [{label: "Equipment", amount: "30000"}, {label: "Training", amount: "18000"}]}) { proposal { status } changedFields } }`,
		map[string]any{"p": uneven.ID}), "updateProposal")
	if !slices.Equal(fixed.ChangedFields, []string{"budgetLines"}) {
		t.Fatalf("changed fields %v", fixed.ChangedFields)
	}

	// One second before the close the submission goes; one second after, it is refused.
	ready := p.draftProposal(t, a.owner, proposalInput(callID, a.ownerID))
	p.clock.set(closes.Add(-time.Second))
	p.mustDo(t, a.owner, proposalMutations["submit"], map[string]any{"p": uneven.ID})
	p.clock.set(closes.Add(time.Second))
	written = p.events(t)
	refused(t, p.gql(t, a.owner, proposalMutations["submit"], map[string]any{"p": ready.ID}), "CONFLICT", "", "the call for proposals is closed")
	if p.events(t) != written {
		t.Fatal("a submission after the close was written")
	}
	if got := p.proposal(t, a.owner, ready.ID); got.Status != "DRAFT" || got.Call.Status != "CLOSED" {
		t.Fatalf("after the close: %s, call %s", got.Status, got.Call.Status)
	}
}

func TestPledgedTotalsEqualThoseFromTheEvents(t *testing.T) {
	t.Parallel()
	p := start(t, db.Fresh(t), false)
	p.clock.set(proposalsEpoch)
	a := p.proposalActors(t)
	callID := p.openCall(t, a.admin, proposalsEpoch.Add(30*24*time.Hour))
	ids := []string{p.proposalAt(t, a, callID, "APPROVED"), p.proposalAt(t, a, callID, "UNDER_REVIEW"), p.proposalAt(t, a, callID, "APPROVED")}

	pledge := `mutation($p: ID!, $m: MoneyInput, $k: String) { pledgeSupport(proposalId: $p, input: {partner: {name: "Banque de l'Habitat du Sénégal", kind: PRIVATE_SECTOR, country: "SN"}, money: $m, inKind: $k}) { position } }`
	amounts := []struct{ amount, currency string }{
		{"1000", "EUR"}, {"250.50", "EUR"}, {"5000000", "XOF"}, {"300", "GBP"}, {"0.01", "EUR"}, {"1250000", "XOF"}, {"99.99", "GBP"},
	}
	// Pledges race each other, on the same proposals.
	var wg sync.WaitGroup
	for i := range 42 {
		wg.Go(func() {
			m := amounts[i%len(amounts)]
			vars := map[string]any{"p": ids[i%len(ids)], "m": map[string]any{"amount": m.amount, "currency": m.currency}}
			if i%10 == 9 {
				vars = map[string]any{"p": ids[i%len(ids)], "k": "A cold-chain truck for a year"}
			}
			if r := p.gql(t, a.coordinator, pledge, vars); len(r.Errors) > 0 {
				t.Errorf("pledge %d: %s", i, r.raw)
			}
		})
	}
	wg.Wait()

	// Totals from the events, by proposal and currency.
	fromEvents := map[string]map[string]int64{}
	rows, err := p.pool.Query(context.Background(), `SELECT data FROM eventstore.events WHERE event_type = 'proposals.SupportPledged'`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var raw []byte
		if err := rows.Scan(&raw); err != nil {
			t.Fatal(err)
		}
		var e struct {
			ProposalID string `json:"proposalId"`
			Money      *struct {
				Amount   int64  `json:"amount"`
				Currency string `json:"currency"`
			} `json:"money"`
		}
		if err := json.Unmarshal(raw, &e); err != nil {
			t.Fatal(err)
		}
		if e.Money != nil {
			if fromEvents[e.ProposalID] == nil {
				fromEvents[e.ProposalID] = map[string]int64{}
			}
			fromEvents[e.ProposalID][e.Money.Currency] += e.Money.Amount
		}
	}
	if rows.Err() != nil {
		t.Fatal(rows.Err())
	}
	for _, id := range ids {
		got := p.proposal(t, a.admin, id)
		want := fromEvents[localID(t, id)]
		if got.PledgedTotals == nil || len(*got.PledgedTotals) != len(want) || len(want) != 3 {
			t.Fatalf("proposal %s: totals %+v, from the events %v", id, got.PledgedTotals, want)
		}
		for _, total := range *got.PledgedTotals {
			minor, err := strconv.ParseInt(total.MinorUnits, 10, 64)
			if err != nil || minor != want[total.Currency] {
				t.Fatalf("proposal %s, %s: %s from the read model, %d from the events", id, total.Currency, total.MinorUnits, want[total.Currency])
			}
		}
		if got.Pledges == nil || len(*got.Pledges) != 14 {
			t.Fatalf("proposal %s: %d pledges", id, len(*got.Pledges))
		}
	}
}

func TestWhoSeesWhatOfAProposal(t *testing.T) {
	t.Parallel()
	p := start(t, db.Fresh(t), false)
	p.clock.set(proposalsEpoch)
	a := p.proposalActors(t)
	callID := p.openCall(t, a.admin, proposalsEpoch.Add(30*24*time.Hour))
	draft := p.proposalAt(t, a, callID, "DRAFT")
	review := p.proposalAt(t, a, callID, "UNDER_REVIEW")
	p.mustDo(t, a.coordinator, proposalMutations["pledge"], map[string]any{"p": review})
	approved := p.proposalAt(t, a, callID, "APPROVED")
	p.mustDo(t, a.coordinator, proposalMutations["pledge"], map[string]any{"p": approved})

	readers := []struct {
		name, token string
		staff, own  bool
	}{
		{"anonymous", "", false, false}, {"another association", a.other, false, false},
		{"the owner", a.owner, false, true}, {"a coordinator", a.coordinator, true, false}, {"an admin", a.admin, true, false},
	}
	for _, rd := range readers {
		t.Run(rd.name, func(t *testing.T) {
			// Drafts: only the owner and the staff see them, in lookups and in listings.
			r := p.gql(t, rd.token, proposalQuery, map[string]any{"id": draft})
			seesDraft := string(r.Data["proposal"]) != "null"
			if seesDraft != (rd.staff || rd.own) {
				t.Fatalf("sees the draft: %v (%s)", seesDraft, r.raw)
			}
			list := decode[struct{ TotalCount int }](t, p.gql(t, rd.token, `{ proposals(filter: {status: DRAFT}) { totalCount } }`, nil), "proposals")
			if (list.TotalCount == 1) != (rd.staff || rd.own) {
				t.Fatalf("lists %d drafts", list.TotalCount)
			}

			under := p.proposal(t, rd.token, review)
			if (under.Reviews != nil) != rd.staff {
				t.Fatalf("reviews under review: %v", under.Reviews)
			}
			if (under.AverageScores != nil) != rd.staff {
				t.Fatalf("average scores before the decision: %v", under.AverageScores)
			}
			if (under.Pledges != nil) != (rd.staff || rd.own) {
				t.Fatalf("pledges before approval: %v", under.Pledges)
			}

			done := p.proposal(t, rd.token, approved)
			if (done.AverageScores != nil) != (rd.staff || rd.own) {
				t.Fatalf("average scores after the decision: %v", done.AverageScores)
			}
			if done.Pledges == nil || len(*done.Pledges) != 1 || done.PledgedTotals == nil {
				t.Fatalf("pledges of an approved proposal: %v", done.Pledges)
			}
			if (done.StatusReason != nil) != (rd.staff || rd.own) {
				t.Fatalf("the decision's reason: %v", done.StatusReason)
			}
			if rd.own && (*done.AverageScores)[0].Score != 5 {
				t.Fatalf("the owner's view of the scores: %+v", *done.AverageScores)
			}
		})
	}
}

func TestCallsAndProposalsListings(t *testing.T) {
	t.Parallel()
	p := start(t, db.Fresh(t), false)
	p.clock.set(proposalsEpoch)
	a := p.proposalActors(t)
	open := p.openCall(t, a.admin, proposalsEpoch.Add(30*24*time.Hour))
	closing := p.openCall(t, a.admin, proposalsEpoch.Add(24*time.Hour))
	p.mustDo(t, a.admin, `mutation($c: ID!) { closeCall(callId: $c) { call { status closedAt } } }`, map[string]any{"c": closing})
	if r := p.gql(t, a.admin, `mutation($c: ID!) { closeCall(callId: $c) { call { status } } }`, map[string]any{"c": closing}); r.code() != "CONFLICT" {
		t.Fatalf("closing twice: %s", r.raw)
	}
	for range 3 {
		p.proposalAt(t, a, open, "SUBMITTED")
	}
	p.proposalAt(t, a, open, "DRAFT")

	calls := decode[struct {
		TotalCount int
		Edges      []struct{ Node struct{ ID, Status string } }
	}](t, p.gql(t, "", `{ calls(filter: {status: OPEN}) { totalCount edges { node { id status } } } }`, nil), "calls")
	if calls.TotalCount != 1 || calls.Edges[0].Node.ID != open {
		t.Fatalf("open calls: %+v", calls)
	}
	var seen []string
	var after any
	for {
		page := decode[struct {
			TotalCount int
			Edges      []struct{ Node struct{ ID string } }
			PageInfo   struct {
				HasNextPage bool
				EndCursor   *string
			}
		}](t, p.gql(t, a.coordinator, `query($after: String, $c: ID) { proposals(first: 2, after: $after, filter: {callId: $c, country: "gh"}) {
			totalCount edges { node { id } } pageInfo { hasNextPage endCursor } } }`, map[string]any{"after": after, "c": open}), "proposals")
		if page.TotalCount != 4 {
			t.Fatalf("totalCount %d", page.TotalCount)
		}
		for _, e := range page.Edges {
			seen = append(seen, e.Node.ID)
		}
		if !page.PageInfo.HasNextPage {
			break
		}
		after = *page.PageInfo.EndCursor
	}
	if len(seen) != 4 || len(slices.Compact(slices.Clone(seen))) != 4 {
		t.Fatalf("paged through %v", seen)
	}
	if r := p.gql(t, "", `{ proposals(after: "bm9wZQ") { totalCount } }`, nil); r.code() != "BAD_USER_INPUT" {
		t.Fatalf("a broken cursor: %s", r.raw)
	}
	if r := p.gql(t, "", fmt.Sprintf(`{ proposals(filter: {callId: %q}) { totalCount } }`, "not-an-id"), nil); r.code() != "BAD_USER_INPUT" {
		t.Fatalf("a broken call id: %s", r.raw)
	}
}
