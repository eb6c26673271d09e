package proposal_test

import (
	"errors"
	"testing"
	"time"

	"github.com/google/uuid"

	"passerelle.dev/events"
	"passerelle.dev/events/proposalevents"
	"passerelle.dev/kernel/fault"
	"passerelle.dev/kernel/money"
	"passerelle.dev/proposals/domain/call"
	"passerelle.dev/proposals/domain/proposal"
)

var (
	now          = time.Date(2027, 3, 1, 12, 0, 0, 0, time.UTC)
	associationA = "0190b1d4-0000-7000-8000-00000000000a"
	owner        = events.Actor{Role: events.RoleAssociation, AssociationID: associationA, Subject: "a"}
	other        = events.Actor{Role: events.RoleAssociation, AssociationID: "0190b1d4-0000-7000-8000-00000000000b", Subject: "b"}
	coordinator  = events.Actor{Role: events.RoleCoordinator, City: "london", Subject: "coord-1"}
	admin        = events.Actor{Role: events.RoleAdmin, Subject: "admin"}
	anonymous    = events.Actor{}
)

func terms(status call.Status) proposal.Terms {
	return proposal.Terms{CallID: "0190b1d4-0000-7000-8000-0000000000c1", Themes: []string{"HEALTH", "REMITTANCES"},
		EligibleCountries: []string{"GH", "SN"}, Ceiling: money.Money{Amount: 5_000_000, Currency: "EUR"}, Status: status}
}

// content is a complete proposal: 48,000 EUR in two lines.
func content() proposal.Content {
	return proposal.Content{
		Title:   proposalevents.Text{EN: "Tele-medicine link with Tamale Teaching Hospital"},
		Summary: proposalevents.Text{EN: "Diaspora doctors in London give remote consultations.", FR: "Des médecins de la diaspora consultent à distance."},
		Sector:  "HEALTH", Countries: []string{"gh"}, Budget: "48000", DurationMonths: 18,
		BudgetLines:  []proposal.BudgetLineInput{{Label: "Equipment", Amount: "30000.00"}, {Label: "Training", Amount: "18000"}},
		PartnerKinds: []string{"UNIVERSITY", "PRIVATE_SECTOR"},
	}
}

func drafted(t *testing.T) *proposal.Proposal {
	t.Helper()
	p, err := proposal.DraftProposal(owner, uuid.Must(uuid.NewV7()), associationA, terms(call.Open), content(), now)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// at returns a proposal brought to status through its events, as loaded from the store.
func at(t *testing.T, status proposal.Status) *proposal.Proposal {
	t.Helper()
	history := drafted(t).PendingEvents()
	id := history[0].(proposalevents.ProposalDrafted).ProposalID
	submitted := proposalevents.ProposalSubmitted{ProposalID: id, At: now}
	started := proposalevents.ProposalReviewStarted{ProposalID: id, At: now}
	reviewed := proposalevents.ProposalReviewed{ProposalID: id, ReviewerID: "coord-2", ReviewerRole: "coordinator",
		Scores: map[string]int{"RELEVANCE": 4, "FEASIBILITY": 3, "DEVELOPMENT_IMPACT": 5, "PARTNERSHIP": 4}, Comment: "Sound.", At: now}
	switch status {
	case proposal.Submitted:
		history = append(history, submitted)
	case proposal.UnderReview:
		history = append(history, submitted, started, reviewed)
	case proposal.ChangesRequested:
		history = append(history, submitted, started, proposalevents.ProposalChangesRequested{ProposalID: id, Reason: "Detail the equipment.", At: now})
	case proposal.Approved, proposal.Rejected:
		decision := proposalevents.Approved
		if status == proposal.Rejected {
			decision = proposalevents.Rejected
		}
		history = append(history, submitted, started, reviewed, proposalevents.ProposalDecided{ProposalID: id, Decision: decision, Reason: "Scores.", At: now})
	case proposal.Withdrawn:
		history = append(history, proposalevents.ProposalWithdrawn{ProposalID: id, At: now})
	}
	p, err := proposal.FromHistory(history)
	if err != nil {
		t.Fatal(err)
	}
	if p.Status() != status {
		t.Fatalf("setup: %s, want %s", p.Status(), status)
	}
	return p
}

var scores = map[string]int{"RELEVANCE": 5, "FEASIBILITY": 4, "DEVELOPMENT_IMPACT": 4, "PARTNERSHIP": 3}

// steps are the commands, each sent by one who may send it.
var steps = []struct {
	name string
	do   func(p *proposal.Proposal) error
	from []proposal.Status
}{
	{"update", func(p *proposal.Proposal) error {
		title := proposalevents.Text{EN: "A new title"}
		_, err := p.Update(owner, terms(call.Open), proposal.Patch{Title: &title}, now)
		return err
	}, []proposal.Status{proposal.Draft, proposal.ChangesRequested}},
	{"submit", func(p *proposal.Proposal) error { return p.Submit(owner, terms(call.Open), now) },
		[]proposal.Status{proposal.Draft, proposal.ChangesRequested}},
	{"withdraw", func(p *proposal.Proposal) error { return p.Withdraw(owner, "", now) },
		[]proposal.Status{proposal.Draft, proposal.Submitted, proposal.UnderReview, proposal.ChangesRequested}},
	{"start review", func(p *proposal.Proposal) error { return p.StartReview(coordinator, now) }, []proposal.Status{proposal.Submitted}},
	{"review", func(p *proposal.Proposal) error { return p.Review(coordinator, scores, "Promising.", now) }, []proposal.Status{proposal.UnderReview}},
	{"request changes", func(p *proposal.Proposal) error { return p.RequestChanges(coordinator, "Detail the training.", now) },
		[]proposal.Status{proposal.UnderReview}},
	{"decide", func(p *proposal.Proposal) error {
		return p.Decide(admin, proposalevents.Approved, "Strong scores.", now)
	},
		[]proposal.Status{proposal.UnderReview}},
	{"pledge", func(p *proposal.Proposal) error {
		return p.Pledge(coordinator, uuid.Must(uuid.NewV7()), proposalevents.Partner{Name: "Ghana Health Service", Kind: "GOVERNMENT", Country: "GH"},
			nil, "Two nurses seconded for a year", now)
	}, []proposal.Status{proposal.UnderReview, proposal.Approved}},
}

func TestEveryTransitionAllowedAndRefused(t *testing.T) {
	t.Parallel()
	for _, step := range steps {
		for _, from := range proposal.Statuses {
			t.Run(step.name+" from "+from.String(), func(t *testing.T) {
				p := at(t, from)
				err := step.do(p)
				allowed := false
				for _, s := range step.from {
					allowed = allowed || s == from
				}
				if allowed {
					if err != nil || len(p.PendingEvents()) != 1 {
						t.Fatalf("allowed, but: %v (%d events)", err, len(p.PendingEvents()))
					}
					return
				}
				var te *proposal.TransitionError
				if !errors.As(err, &te) || fault.CodeOf(err) != fault.Conflict {
					t.Fatalf("got %v, want a transition error", err)
				}
				if len(p.PendingEvents()) != 0 {
					t.Fatal("a refused step recorded an event")
				}
			})
		}
	}
}

func TestTheResultingStatuses(t *testing.T) {
	t.Parallel()
	p := drafted(t)
	for _, s := range []struct {
		do   func() error
		want proposal.Status
	}{
		{func() error { return p.Submit(owner, terms(call.Open), now) }, proposal.Submitted},
		{func() error { return p.StartReview(admin, now) }, proposal.UnderReview},
		{func() error { return p.RequestChanges(coordinator, "Add a line for travel.", now) }, proposal.ChangesRequested},
		{func() error { return p.Submit(owner, terms(call.Closed), now) }, proposal.Submitted}, // a resubmission after the close
		{func() error { return p.StartReview(coordinator, now) }, proposal.UnderReview},
		{func() error { return p.Review(coordinator, scores, "Good.", now) }, proposal.UnderReview},
		{func() error { return p.Decide(admin, proposalevents.Rejected, "Out of scope this year.", now) }, proposal.Rejected},
	} {
		if err := s.do(); err != nil || p.Status() != s.want {
			t.Fatalf("%v: status %s, want %s", err, p.Status(), s.want)
		}
	}
}

func TestWhoMayDoWhat(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name string
		from proposal.Status
		do   func(p *proposal.Proposal) error
		code fault.Code
	}{
		{"another association submits", proposal.Draft, func(p *proposal.Proposal) error { return p.Submit(other, terms(call.Open), now) }, fault.Forbidden},
		{"a coordinator submits", proposal.Draft, func(p *proposal.Proposal) error { return p.Submit(coordinator, terms(call.Open), now) }, fault.Forbidden},
		{"anonymous withdraws", proposal.Submitted, func(p *proposal.Proposal) error { return p.Withdraw(anonymous, "", now) }, fault.Unauthenticated},
		{"the owner starts the review", proposal.Submitted, func(p *proposal.Proposal) error { return p.StartReview(owner, now) }, fault.Forbidden},
		{"the owner reviews its own", proposal.UnderReview, func(p *proposal.Proposal) error { return p.Review(owner, scores, "Excellent!", now) }, fault.Forbidden},
		{"another association reviews", proposal.UnderReview, func(p *proposal.Proposal) error { return p.Review(other, scores, "Meh.", now) }, fault.Forbidden},
		{"a coordinator decides", proposal.UnderReview, func(p *proposal.Proposal) error {
			return p.Decide(coordinator, proposalevents.Approved, "Looks fine.", now)
		}, fault.Forbidden},
		{"the owner pledges", proposal.Approved, func(p *proposal.Proposal) error {
			m := money.Money{Amount: 100, Currency: "EUR"}
			return p.Pledge(owner, uuid.Must(uuid.NewV7()), proposalevents.Partner{Name: "Us", Kind: "NGO", Country: "GH"}, &m, "", now)
		}, fault.Forbidden},
	} {
		p := at(t, c.from)
		if err := c.do(p); fault.CodeOf(err) != c.code || len(p.PendingEvents()) != 0 {
			t.Errorf("%s: %v, want %s and nothing recorded", c.name, err, c.code)
		}
	}
	if _, err := proposal.DraftProposal(other, uuid.Must(uuid.NewV7()), associationA, terms(call.Open), content(), now); fault.CodeOf(err) != fault.Forbidden {
		t.Errorf("drafting for another association: %v", err)
	}
}

func TestBudgets(t *testing.T) {
	t.Parallel()
	// Above the ceiling: refused as soon as it is written.
	in := content()
	in.Budget = "50000.01"
	_, err := proposal.DraftProposal(owner, uuid.Must(uuid.NewV7()), associationA, terms(call.Open), in, now)
	var above *proposal.BudgetAboveCeilingError
	if !errors.As(err, &above) || fault.CodeOf(err) != fault.BadUserInput || err.Error() != "the budget requested, 50000.01 EUR, is above the call's ceiling of 50000.00 EUR" {
		t.Fatalf("above the ceiling: %v", err)
	}
	// More decimals than the currency has.
	in.Budget = "100.001"
	if _, err := proposal.DraftProposal(owner, uuid.Must(uuid.NewV7()), associationA, terms(call.Open), in, now); fault.CodeOf(err) != fault.BadUserInput {
		t.Fatalf("three decimals of EUR: %v", err)
	}
	// Lines that do not add up: a draft may hold them, a submission may not.
	in = content()
	in.BudgetLines[1].Amount = "17999.99"
	p, err := proposal.DraftProposal(owner, uuid.Must(uuid.NewV7()), associationA, terms(call.Open), in, now)
	if err != nil {
		t.Fatal(err)
	}
	err = p.Submit(owner, terms(call.Open), now)
	var lines *proposal.BudgetLinesError
	if !errors.As(err, &lines) || err.Error() != "the budget lines add up to 47999.99 EUR, not to the budget of 48000.00 EUR" {
		t.Fatalf("lines that do not add up: %v", err)
	}
	// Incomplete.
	p, _ = proposal.DraftProposal(owner, uuid.Must(uuid.NewV7()), associationA, terms(call.Open), proposal.Content{Title: proposalevents.Text{FR: "Coopérative"}}, now)
	var incomplete *proposal.IncompleteError
	if err := p.Submit(owner, terms(call.Open), now); !errors.As(err, &incomplete) || incomplete.Field != "summary" {
		t.Fatalf("an incomplete proposal: %v", err)
	}
	// Not eligible, not a theme of the call.
	in = content()
	in.Countries = []string{"GH", "ML"}
	if _, err := proposal.DraftProposal(owner, uuid.Must(uuid.NewV7()), associationA, terms(call.Open), in, now); fault.CodeOf(err) != fault.BadUserInput {
		t.Fatalf("Mali is not eligible: %v", err)
	}
	in = content()
	in.Sector = "CULTURE"
	if _, err := proposal.DraftProposal(owner, uuid.Must(uuid.NewV7()), associationA, terms(call.Open), in, now); fault.CodeOf(err) != fault.BadUserInput {
		t.Fatalf("culture is not a theme of the call: %v", err)
	}
}

func TestSubmissionsFollowTheCallsClock(t *testing.T) {
	t.Parallel()
	p := drafted(t)
	if err := p.Submit(owner, terms(call.Upcoming), now); !errors.Is(err, proposal.ErrCallNotOpenYet) {
		t.Fatalf("before the call opens: %v", err)
	}
	if err := p.Submit(owner, terms(call.Closed), now); !errors.Is(err, call.ErrClosed) {
		t.Fatalf("after the call closed: %v", err)
	}
	if _, err := proposal.DraftProposal(owner, uuid.Must(uuid.NewV7()), associationA, terms(call.Closed), content(), now); !errors.Is(err, call.ErrClosed) {
		t.Fatalf("drafting for a closed call: %v", err)
	}
}

func TestReviewsAreOnePerReviewerAndRevisable(t *testing.T) {
	t.Parallel()
	p := at(t, proposal.UnderReview) // reviewed once by coord-2
	if err := p.Review(coordinator, map[string]int{"RELEVANCE": 5, "FEASIBILITY": 4, "DEVELOPMENT_IMPACT": 6, "PARTNERSHIP": 3}, "Hm.", now); fault.CodeOf(err) != fault.BadUserInput {
		t.Fatalf("a score of 6: %v", err)
	}
	if err := p.Review(coordinator, map[string]int{"RELEVANCE": 5}, "Hm.", now); fault.CodeOf(err) != fault.BadUserInput {
		t.Fatalf("one criterion only: %v", err)
	}
	if err := p.Review(coordinator, scores, "First look.", now); err != nil || p.ReviewCount() != 2 {
		t.Fatalf("a second reviewer: %v, %d reviews", err, p.ReviewCount())
	}
	if err := p.Review(coordinator, scores, "After the call with the applicant.", now); err != nil || p.ReviewCount() != 2 {
		t.Fatalf("a revision: %v, %d reviews", err, p.ReviewCount())
	}
	if rev := p.PendingEvents()[1].(proposalevents.ProposalReviewed); !rev.Revision {
		t.Fatal("the second review of a reviewer is not marked as a revision")
	}
}

func TestDecisionsNeedAReview(t *testing.T) {
	t.Parallel()
	p := at(t, proposal.Submitted)
	if err := p.StartReview(coordinator, now); err != nil {
		t.Fatal(err)
	}
	if err := p.Decide(admin, proposalevents.Approved, "Why not.", now); !errors.Is(err, proposal.ErrNotReviewed) {
		t.Fatalf("deciding without a review: %v", err)
	}
}

// A reviewer who declares a conflict of interest no longer reviews or decides, and the
// review they gave no longer counts; the owner may not declare one, nor may the public.
func TestAConflictOfInterestEndsTheReviewersPart(t *testing.T) {
	t.Parallel()
	p := at(t, proposal.UnderReview) // reviewed once by coord-2
	if err := p.Review(coordinator, scores, "First look.", now); err != nil || p.ReviewCount() != 2 {
		t.Fatalf("a review: %v", err)
	}
	for who, by := range map[string]events.Actor{"the owner": owner, "the public": anonymous} {
		if err := p.DeclareConflict(by, "I know them.", now); err == nil {
			t.Errorf("%s declared a conflict", who)
		}
	}
	if err := p.DeclareConflict(coordinator, "  ", now); fault.CodeOf(err) != fault.BadUserInput {
		t.Fatalf("no reason: %v", err)
	}
	if err := p.DeclareConflict(coordinator, "My sister chairs the association.", now); err != nil || p.ReviewCount() != 1 {
		t.Fatalf("a declaration: %v, %d reviews", err, p.ReviewCount())
	}
	n := len(p.PendingEvents())
	if err := p.DeclareConflict(coordinator, "Again.", now); err != nil || len(p.PendingEvents()) != n {
		t.Fatalf("declaring twice: %v, %d new events", err, len(p.PendingEvents())-n)
	}
	if err := p.Review(coordinator, scores, "Anyway.", now); !errors.Is(err, proposal.ErrConflictOfInterest) {
		t.Fatalf("a review after a declaration: %v", err)
	}
	conflictedAdmin := events.Actor{Role: events.RoleAdmin, Subject: "admin-2"}
	if err := p.DeclareConflict(conflictedAdmin, "A board member of the partner.", now); err != nil {
		t.Fatal(err)
	}
	if err := p.Decide(conflictedAdmin, proposalevents.Approved, "Good.", now); !errors.Is(err, proposal.ErrConflictOfInterest) {
		t.Fatalf("a decision by a conflicted admin: %v", err)
	}
	if err := p.Decide(admin, proposalevents.Approved, "Good.", now); err != nil {
		t.Fatalf("another admin decides: %v", err)
	}
	if err := p.DeclareConflict(coordinator, "Late.", now); fault.CodeOf(err) != fault.Conflict {
		t.Fatalf("a declaration after the decision: %v", err)
	}
}
