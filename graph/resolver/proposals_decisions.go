package resolver

import (
	"cmp"
	"context"
	"slices"

	"passerelle.dev/events/proposalevents"
	"passerelle.dev/graph/readmodel"
	"passerelle.dev/kernel/fault"
	"passerelle.dev/kernel/money"
	"passerelle.dev/servicekit/auth"
)

// maxMeeting bounds the proposals a decision meeting lists (a call's proposals under
// review or decided).
const maxMeeting = 1000

// Envelope resolves Call.envelope.
func (c *CallResolver) Envelope() []*MoneyResolver {
	out := []*MoneyResolver{}
	for _, m := range c.row.Envelope {
		out = append(out, &MoneyResolver{m})
	}
	return out
}

// Committed resolves Call.committed: every currency of the envelope (zero when nothing
// is committed in it), then any other a call without envelope committed.
func (c *CallResolver) Committed() []*MoneyResolver {
	out := []*MoneyResolver{}
	for _, cur := range c.currencies() {
		out = append(out, &MoneyResolver{money.Money{Amount: c.row.Committed[cur], Currency: cur}})
	}
	return out
}

// Remaining resolves Call.remaining: what the envelope has left, by currency.
func (c *CallResolver) Remaining() []*MoneyResolver {
	out := []*MoneyResolver{}
	for _, m := range c.row.Envelope {
		out = append(out, &MoneyResolver{money.Money{Amount: m.Amount - c.row.Committed[m.Currency], Currency: m.Currency}})
	}
	return out
}

func (c *CallResolver) currencies() []string {
	var out []string
	for _, m := range c.row.Envelope {
		out = append(out, m.Currency)
	}
	var others []string
	for cur := range c.row.Committed {
		if !slices.Contains(out, cur) {
			others = append(others, cur)
		}
	}
	slices.Sort(others)
	return append(out, others...)
}

// DecisionMeeting resolves Call.decisionMeeting: admins only.
func (c *CallResolver) DecisionMeeting(ctx context.Context) ([]*RankedProposalResolver, error) {
	reader := auth.ActorFrom(ctx)
	switch {
	case !reader.IsAuthenticated():
		return nil, NewError(fault.Unauthenticated, "the decision meeting needs an admin's token")
	case !reader.IsAdmin():
		return nil, NewError(fault.Forbidden, "the decision meeting is for admins")
	}
	page, err := c.r.deps.Proposals.ListProposals(ctx, readmodel.ProposalFilter{CallID: c.row.ID}, readmodel.ProposalVisibility{SeesDrafts: true}, 0, maxMeeting)
	if err != nil {
		return nil, toGraphQL(ctx, c.r.deps.Logger, err)
	}
	var rows []readmodel.Proposal
	var ids []string
	for _, p := range page.Items {
		switch p.Status {
		case "UNDER_REVIEW", "APPROVED", "REJECTED":
			rows = append(rows, p)
			ids = append(ids, p.ID)
		}
	}
	details, err := c.r.deps.Proposals.Details(ctx, readmodel.DetailsWanted{Reviews: ids})
	if err != nil {
		return nil, toGraphQL(ctx, c.r.deps.Logger, err)
	}
	// The proposals' own fields find the reviews read here instead of reading them again.
	b := batchesOf(ctx)
	for _, p := range rows {
		b.reviews.preload(p.ID, nonNil(details.Reviews[p.ID]))
	}
	out := make([]*RankedProposalResolver, len(rows))
	for i, p := range rows {
		out[i] = rank(p, details.Reviews[p.ID])
		out[i].proposal = c.r.proposal(ctx, p)
	}
	// Best average first; unreviewed last; ties by the smaller budget, then by age.
	slices.SortStableFunc(out, func(a, b *RankedProposalResolver) int {
		switch {
		case a.average == nil && b.average == nil:
			return 0
		case a.average == nil:
			return 1
		case b.average == nil:
			return -1
		}
		if c := cmp.Compare(*b.average, *a.average); c != 0 {
			return c
		}
		return cmp.Compare(a.budget.Amount, b.budget.Amount)
	})
	for i, r := range out {
		if r.average != nil {
			n := int32(i + 1)
			r.rank = &n
		}
	}
	return out, nil
}

// rank summarises a proposal's reviews: each criterion's average and spread, and the
// mean of the criteria's averages.
func rank(p readmodel.Proposal, reviews []readmodel.Review) *RankedProposalResolver {
	out := &RankedProposalResolver{reviews: int32(len(reviews)), budget: p.Budget}
	var sum float64
	var scored int
	for _, criterion := range proposalevents.Criteria {
		s := &CriterionSummaryResolver{criterion: criterion}
		var total, n int32
		for _, r := range reviews {
			v, ok := r.Scores[criterion]
			if !ok {
				continue
			}
			score := int32(v)
			if n == 0 || score < *s.lowest {
				s.lowest = &score
			}
			if n == 0 || score > *s.highest {
				s.highest = &score
			}
			total += score
			n++
		}
		if n > 0 {
			avg := float64(total) / float64(n)
			s.average = &avg
			sum += avg
			scored++
		}
		out.criteria = append(out.criteria, s)
	}
	if scored > 0 {
		avg := sum / float64(scored)
		out.average = &avg
	}
	return out
}

// RankedProposalResolver resolves RankedProposal.
type RankedProposalResolver struct {
	rank     *int32
	proposal *ProposalResolver
	reviews  int32
	average  *float64
	criteria []*CriterionSummaryResolver
	budget   money.Money
}

// Rank resolves RankedProposal.rank.
func (r *RankedProposalResolver) Rank() *int32 { return r.rank }

// Proposal resolves RankedProposal.proposal.
func (r *RankedProposalResolver) Proposal() *ProposalResolver { return r.proposal }

// ReviewCount resolves RankedProposal.reviewCount.
func (r *RankedProposalResolver) ReviewCount() int32 { return r.reviews }

// AverageScore resolves RankedProposal.averageScore.
func (r *RankedProposalResolver) AverageScore() *float64 { return r.average }

// Criteria resolves RankedProposal.criteria.
func (r *RankedProposalResolver) Criteria() []*CriterionSummaryResolver { return r.criteria }

// Budget resolves RankedProposal.budget.
func (r *RankedProposalResolver) Budget() *MoneyResolver { return &MoneyResolver{r.budget} }

// CriterionSummaryResolver resolves CriterionSummary.
type CriterionSummaryResolver struct {
	criterion       string
	average         *float64
	lowest, highest *int32
}

// Criterion resolves CriterionSummary.criterion.
func (s *CriterionSummaryResolver) Criterion() string { return s.criterion }

// Average resolves CriterionSummary.average.
func (s *CriterionSummaryResolver) Average() *float64 { return s.average }

// Lowest resolves CriterionSummary.lowest.
func (s *CriterionSummaryResolver) Lowest() *int32 { return s.lowest }

// Highest resolves CriterionSummary.highest.
func (s *CriterionSummaryResolver) Highest() *int32 { return s.highest }
