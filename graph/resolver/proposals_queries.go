package resolver

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	graphql "github.com/graph-gophers/graphql-go"

	"passerelle.dev/directory/domain/association"
	"passerelle.dev/events"
	"passerelle.dev/events/proposalevents"
	"passerelle.dev/graph/readmodel"
	"passerelle.dev/graph/tables"
	"passerelle.dev/kernel/money"
	"passerelle.dev/servicekit/auth"
)

// Kinds of global ids of calls and proposals.
const (
	kindCall     = "Call"
	kindProposal = "Proposal"
	kindPledge   = "Pledge"
)

// isStaff: coordinators and admins review proposals and see drafts.
func isStaff(a events.Actor) bool { return a.IsAdmin() || a.Role == events.RoleCoordinator }

func proposalVisibility(a events.Actor) readmodel.ProposalVisibility {
	return readmodel.ProposalVisibility{SeesDrafts: isStaff(a), OwnID: a.AssociationID}
}

// seqCursor is the cursor of listings ordered by sequence: kind tells which listing.
type seqCursor struct {
	Kind string `json:"k"`
	Seq  int64  `json:"s"`
}

func encodeSeqCursor(kind string, seq int64) string {
	b, _ := json.Marshal(seqCursor{Kind: kind, Seq: seq})
	return base64.RawURLEncoding.EncodeToString(b)
}

func decodeSeqCursor(kind string, s *string) (int64, error) {
	if s == nil {
		return 0, nil
	}
	raw, err := base64.RawURLEncoding.DecodeString(*s)
	var c seqCursor
	if err != nil || json.Unmarshal(raw, &c) != nil || c.Kind != kind || c.Seq < 1 {
		return 0, badInput("malformed cursor: pass an endCursor or an edge cursor from an earlier page of this listing")
	}
	return c.Seq, nil
}

func pageSize(first *int32) (int, error) {
	if first == nil {
		return 20, nil
	}
	if *first < 0 || *first > MaxPageSize {
		return 0, badInput("first must be between 0 and 100")
	}
	return int(*first), nil
}

// MoneyResolver resolves Money.
type MoneyResolver struct{ m money.Money }

// Amount resolves Money.amount.
func (m *MoneyResolver) Amount() string { return m.m.Decimal() }

// Currency resolves Money.currency.
func (m *MoneyResolver) Currency() string { return m.m.Currency }

// MinorUnits resolves Money.minorUnits.
func (m *MoneyResolver) MinorUnits() string { return strconv.FormatInt(m.m.Amount, 10) }

// Call resolves Query.call.
func (r *Resolver) Call(ctx context.Context, args struct{ ID graphql.ID }) (*CallResolver, error) {
	id, err := parseGlobalID(args.ID, kindCall)
	if err != nil {
		return nil, err
	}
	c, ok, err := r.deps.Proposals.Call(ctx, id)
	if err != nil || !ok {
		return nil, toGraphQL(ctx, r.deps.Logger, err)
	}
	return &CallResolver{row: c, r: r}, nil
}

// CallFilterInput is the CallFilter input.
type CallFilterInput struct {
	Status, Theme, Country *string
}

// Calls resolves Query.calls.
func (r *Resolver) Calls(ctx context.Context, args struct {
	First  *int32
	After  *string
	Filter *CallFilterInput
}) (*CallConnectionResolver, error) {
	first, err := pageSize(args.First)
	if err != nil {
		return nil, err
	}
	after, err := decodeSeqCursor(kindCall, args.After)
	if err != nil {
		return nil, err
	}
	f := readmodel.CallFilter{Now: r.deps.Now()}
	if in := args.Filter; in != nil {
		f.Status, f.Theme = stringOf(in.Status), stringOf(in.Theme)
		if in.Country != nil {
			c, err := association.ParseCountryCode(*in.Country)
			if err != nil {
				return nil, toGraphQL(ctx, r.deps.Logger, err)
			}
			f.Country = c.String()
		}
	}
	page, err := r.deps.Proposals.Calls(ctx, f, after, first)
	if err != nil {
		return nil, toGraphQL(ctx, r.deps.Logger, err)
	}
	return &CallConnectionResolver{r: r, page: page, after: after > 0}, nil
}

// CallConnectionResolver resolves CallConnection.
type CallConnectionResolver struct {
	r     *Resolver
	page  readmodel.Page[readmodel.Call]
	after bool
}

// Edges resolves CallConnection.edges.
func (c *CallConnectionResolver) Edges() []*CallEdgeResolver {
	out := make([]*CallEdgeResolver, len(c.page.Items))
	for i, row := range c.page.Items {
		out[i] = &CallEdgeResolver{node: &CallResolver{r: c.r, row: row}}
	}
	return out
}

// PageInfo resolves CallConnection.pageInfo.
func (c *CallConnectionResolver) PageInfo() *PageInfoResolver {
	p := &PageInfoResolver{hasNext: c.page.HasNext, hasPrevious: c.after}
	if n := len(c.page.Items); n > 0 {
		start, end := encodeSeqCursor(kindCall, c.page.Items[0].Seq), encodeSeqCursor(kindCall, c.page.Items[n-1].Seq)
		p.start, p.end = &start, &end
	}
	return p
}

// TotalCount resolves CallConnection.totalCount.
func (c *CallConnectionResolver) TotalCount() int32 { return int32(c.page.Total) }

// CallEdgeResolver resolves CallEdge.
type CallEdgeResolver struct{ node *CallResolver }

// Cursor resolves CallEdge.cursor.
func (e *CallEdgeResolver) Cursor() string { return encodeSeqCursor(kindCall, e.node.row.Seq) }

// Node resolves CallEdge.node.
func (e *CallEdgeResolver) Node() *CallResolver { return e.node }

// CallResolver resolves Call.
type CallResolver struct {
	r   *Resolver
	row readmodel.Call
}

// ID resolves Call.id.
func (c *CallResolver) ID() graphql.ID { return globalID(kindCall, c.row.ID) }

// Title resolves Call.title.
func (c *CallResolver) Title() *LocalizedTextResolver {
	return &LocalizedTextResolver{c.row.Title.EN, c.row.Title.FR, c.row.Title.ES}
}

// Description resolves Call.description.
func (c *CallResolver) Description() *LocalizedTextResolver {
	return &LocalizedTextResolver{c.row.Description.EN, c.row.Description.FR, c.row.Description.ES}
}

// Themes resolves Call.themes.
func (c *CallResolver) Themes() []string { return c.row.Themes }

// EligibleCountries resolves Call.eligibleCountries.
func (c *CallResolver) EligibleCountries() []string { return c.row.EligibleCountries }

// BudgetCeiling resolves Call.budgetCeiling.
func (c *CallResolver) BudgetCeiling() *MoneyResolver { return &MoneyResolver{c.row.Ceiling} }

// OpensAt resolves Call.opensAt.
func (c *CallResolver) OpensAt() DateTime { return DateTime{c.row.OpensAt} }

// ClosesAt resolves Call.closesAt.
func (c *CallResolver) ClosesAt() DateTime { return DateTime{c.row.ClosesAt} }

// ClosedAt resolves Call.closedAt.
func (c *CallResolver) ClosedAt() *DateTime {
	if c.row.ClosedAt == nil {
		return nil
	}
	return &DateTime{*c.row.ClosedAt}
}

// Status resolves Call.status.
func (c *CallResolver) Status() string { return c.row.StatusAt(c.r.deps.Now()) }

// Proposal resolves Query.proposal.
func (r *Resolver) Proposal(ctx context.Context, args AsOfArgs) (*ProposalResolver, error) {
	id, err := parseGlobalID(args.ID, kindProposal)
	if err != nil {
		return nil, err
	}
	if args.AsOf != nil {
		tables.ReadOutside(ctx) // the event log
		past, ok, err := r.deps.Past.Proposal(ctx, id, args.AsOf.Time, proposalVisibility(auth.ActorFrom(ctx)))
		if err != nil || !ok {
			return nil, toGraphQL(ctx, r.deps.Logger, err)
		}
		b := newBatches()
		b.reviews.preload(id, nonNil(past.Reviews))
		b.pledges.preload(id, nonNil(past.Pledges))
		b.totals.preload(id, nonNil(past.Totals))
		return r.oneProposal(withBatchesOf(ctx, b), past.Proposal, "")
	}
	// The details the query selects come in the same round trip as the proposal.
	sel := selectionAt(ctx)
	var want readmodel.DetailsWanted
	if sel.has("reviews") || sel.has("averageScores") {
		want.Reviews = []string{id}
	}
	if sel.has("pledges") {
		want.Pledges = []string{id}
	}
	if sel.has("pledgedTotals") {
		want.Totals = []string{id}
	}
	p, ok, d, err := r.deps.Proposals.ProposalWithDetails(ctx, id, proposalVisibility(auth.ActorFrom(ctx)), want)
	if err != nil || !ok {
		return nil, toGraphQL(ctx, r.deps.Logger, err)
	}
	b := batchesOf(ctx)
	for _, rid := range want.Reviews {
		b.reviews.preload(rid, nonNil(d.Reviews[rid]))
	}
	for _, pid := range want.Pledges {
		b.pledges.preload(pid, nonNil(d.Pledges[pid]))
	}
	for _, tid := range want.Totals {
		b.totals.preload(tid, nonNil(d.Totals[tid]))
	}
	return r.oneProposal(ctx, p, "")
}

// ProposalFilterInput is the ProposalFilter input.
type ProposalFilterInput struct {
	Status, Sector, Country *string
	CallID, AssociationID   *graphql.ID
}

// Proposals resolves Query.proposals.
func (r *Resolver) Proposals(ctx context.Context, args struct {
	First  *int32
	After  *string
	Filter *ProposalFilterInput
}) (*ProposalConnectionResolver, error) {
	first, err := pageSize(args.First)
	if err != nil {
		return nil, err
	}
	after, err := decodeSeqCursor(kindProposal, args.After)
	if err != nil {
		return nil, err
	}
	var f readmodel.ProposalFilter
	if in := args.Filter; in != nil {
		f.Status, f.Sector = stringOf(in.Status), stringOf(in.Sector)
		if in.Country != nil {
			c, err := association.ParseCountryCode(*in.Country)
			if err != nil {
				return nil, toGraphQL(ctx, r.deps.Logger, err)
			}
			f.Country = c.String()
		}
		if in.CallID != nil {
			if f.CallID, err = parseGlobalID(*in.CallID, kindCall); err != nil {
				return nil, err
			}
		}
		if in.AssociationID != nil {
			if f.AssociationID, err = parseGlobalID(*in.AssociationID, kindAssociation); err != nil {
				return nil, err
			}
		}
	}
	page, err := r.deps.Proposals.ListProposals(ctx, f, proposalVisibility(auth.ActorFrom(ctx)), after, first)
	if err != nil {
		return nil, toGraphQL(ctx, r.deps.Logger, err)
	}
	nodes, err := r.proposals(ctx, page.Items, "edges.node.")
	if err != nil {
		return nil, err
	}
	return &ProposalConnectionResolver{nodes: nodes, page: page, after: after > 0}, nil
}

// ProposalConnectionResolver resolves ProposalConnection.
type ProposalConnectionResolver struct {
	nodes []*ProposalResolver
	page  readmodel.Page[readmodel.Proposal]
	after bool
}

// Edges resolves ProposalConnection.edges.
func (c *ProposalConnectionResolver) Edges() []*ProposalEdgeResolver {
	out := make([]*ProposalEdgeResolver, len(c.nodes))
	for i, n := range c.nodes {
		out[i] = &ProposalEdgeResolver{node: n}
	}
	return out
}

// PageInfo resolves ProposalConnection.pageInfo.
func (c *ProposalConnectionResolver) PageInfo() *PageInfoResolver {
	p := &PageInfoResolver{hasNext: c.page.HasNext, hasPrevious: c.after}
	if n := len(c.nodes); n > 0 {
		start, end := encodeSeqCursor(kindProposal, c.nodes[0].row.Seq), encodeSeqCursor(kindProposal, c.nodes[n-1].row.Seq)
		p.start, p.end = &start, &end
	}
	return p
}

// TotalCount resolves ProposalConnection.totalCount.
func (c *ProposalConnectionResolver) TotalCount() int32 { return int32(c.page.Total) }

// ProposalEdgeResolver resolves ProposalEdge.
type ProposalEdgeResolver struct{ node *ProposalResolver }

// Cursor resolves ProposalEdge.cursor.
func (e *ProposalEdgeResolver) Cursor() string { return encodeSeqCursor(kindProposal, e.node.row.Seq) }

// Node resolves ProposalEdge.node.
func (e *ProposalEdgeResolver) Node() *ProposalResolver { return e.node }

// ProposalResolver resolves Proposal for one reader: reviews, scores, pledges and
// reasons show only to those who may see them.
type ProposalResolver struct {
	r      *Resolver
	row    readmodel.Proposal
	reader events.Actor
	b      *batches
	// links are the proposal's call, association, reviews, pledges and totals, loaded
	// for a whole list at once by linkProposals: their fields then take no context, and
	// graphql-go resolves them in the request's goroutine (see SessionResolver).
	links proposalLinks
	// ctx is the request's, for linked's fallback only.
	ctx      context.Context
	linkOnce sync.Once
	fallback proposalLinks
}

// proposalLinks are what a proposal links to, as its reader may see them.
type proposalLinks struct {
	loaded      link
	call        *CallResolver
	association *AssociationResolver
	reviews     []readmodel.Review
	pledges     []readmodel.Pledge
	totals      []money.Money
}

// proposal wraps a row for the request's reader, queueing what it will load with the
// other proposals of the request.
func (r *Resolver) proposal(ctx context.Context, row readmodel.Proposal) *ProposalResolver {
	b := batchesOf(ctx)
	p := &ProposalResolver{r: r, row: row, reader: auth.ActorFrom(ctx), b: b, ctx: ctx}
	b.calls.queue(row.CallID)
	b.associations.queue(row.AssociationID)
	if p.seesReviews() || p.seesScores() {
		b.reviews.queue(row.ID)
	}
	if p.seesPledges() {
		b.pledges.queue(row.ID)
		b.totals.queue(row.ID)
	}
	return p
}

// proposals wraps rows for the request's reader, and loads the links the query selects
// under each of them for all of them at once; at are the paths of a proposal from the
// current field.
func (r *Resolver) proposals(ctx context.Context, rows []readmodel.Proposal, at ...string) ([]*ProposalResolver, error) {
	out := make([]*ProposalResolver, len(rows))
	for i, row := range rows {
		out[i] = r.proposal(ctx, row)
	}
	if err := r.linkProposals(ctx, out, selectionAt(ctx, at...)); err != nil {
		return nil, err
	}
	return out, nil
}

// oneProposal is proposals for a single row.
func (r *Resolver) oneProposal(ctx context.Context, row readmodel.Proposal, at string) (*ProposalResolver, error) {
	out, err := r.proposals(ctx, []readmodel.Proposal{row}, at)
	if err != nil {
		return nil, err
	}
	return out[0], nil
}

// linkProposals loads the selected links of proposals: reviews, pledges and totals in
// one round trip, calls and associations in one query each.
func (r *Resolver) linkProposals(ctx context.Context, ps []*ProposalResolver, sel selection) error {
	if len(ps) == 0 {
		return nil
	}
	b := ps[0].b
	if sel.has("call") {
		for _, p := range ps {
			c, ok, err := b.calls.get(ctx, p.row.CallID, r.deps.Proposals.CallsByID)
			if err != nil {
				return toGraphQL(ctx, r.deps.Logger, err)
			}
			if ok {
				p.links.call = &CallResolver{r: r, row: c}
			}
			p.links.loaded |= linkCall
		}
	}
	if sel.has("association") {
		for _, p := range ps {
			a, ok, err := b.associations.get(ctx, p.row.AssociationID, func(ctx context.Context, ids []string) (map[string]readmodel.Association, error) {
				return r.deps.Associations.GetMany(ctx, ids, visibility(p.reader))
			})
			if err != nil {
				return toGraphQL(ctx, r.deps.Logger, err)
			}
			if ok {
				p.links.association = r.association(withBatchesOf(ctx, b), a)
			}
			p.links.loaded |= linkAssociation
		}
	}
	var want readmodel.DetailsWanted
	wantReviews := sel.has("reviews") || sel.has("averageScores")
	for _, p := range ps {
		if wantReviews && (p.seesReviews() || p.seesScores()) && !b.reviews.has(p.row.ID) {
			want.Reviews = append(want.Reviews, p.row.ID)
		}
		if p.seesPledges() && sel.has("pledges") && !b.pledges.has(p.row.ID) {
			want.Pledges = append(want.Pledges, p.row.ID)
		}
		if p.seesPledges() && sel.has("pledgedTotals") && !b.totals.has(p.row.ID) {
			want.Totals = append(want.Totals, p.row.ID)
		}
	}
	d, err := r.deps.Proposals.Details(ctx, want)
	if err != nil {
		return toGraphQL(ctx, r.deps.Logger, err)
	}
	for _, id := range want.Reviews {
		b.reviews.preload(id, d.Reviews[id])
	}
	for _, id := range want.Pledges {
		b.pledges.preload(id, d.Pledges[id])
	}
	for _, id := range want.Totals {
		b.totals.preload(id, d.Totals[id])
	}
	for _, p := range ps {
		p.links.reviews, _ = b.reviews.peek(p.row.ID)
		p.links.pledges, _ = b.pledges.peek(p.row.ID)
		p.links.totals, _ = b.totals.peek(p.row.ID)
		if wantReviews {
			p.links.loaded |= linkReviews
		}
		if sel.has("pledges") {
			p.links.loaded |= linkPledges
		}
		if sel.has("pledgedTotals") {
			p.links.loaded |= linkTotals
		}
	}
	return nil
}

// linked returns the proposal's links with kind among them, loading every kind its list
// did not once (see SessionResolver.linked).
func (p *ProposalResolver) linked(kind link) proposalLinks {
	if p.links.loaded&kind != 0 {
		return p.links
	}
	p.linkOnce.Do(func() {
		c := &ProposalResolver{r: p.r, row: p.row, reader: p.reader, b: p.b, ctx: p.ctx}
		if err := p.r.linkProposals(p.ctx, []*ProposalResolver{c}, selection{}); err != nil {
			p.r.deps.Logger.ErrorContext(p.ctx, "a proposal's links do not load", "proposal", p.row.ID, "err", err)
		}
		p.fallback = c.links
	})
	return p.fallback
}

func (p *ProposalResolver) owner() bool { return p.reader.SpeaksFor(p.row.AssociationID) }

func (p *ProposalResolver) seesReviews() bool { return isStaff(p.reader) }

func (p *ProposalResolver) seesScores() bool {
	decided := p.row.Status == "APPROVED" || p.row.Status == "REJECTED"
	return isStaff(p.reader) || p.owner() && decided
}

func (p *ProposalResolver) seesPledges() bool {
	return p.row.Status == "APPROVED" || p.owner() || isStaff(p.reader)
}

// ID resolves Proposal.id.
func (p *ProposalResolver) ID() graphql.ID { return globalID(kindProposal, p.row.ID) }

// Call resolves Proposal.call.
func (p *ProposalResolver) Call() *CallResolver { return p.linked(linkCall).call }

// Association resolves Proposal.association: null when the reader may not see it.
func (p *ProposalResolver) Association() *AssociationResolver {
	return p.linked(linkAssociation).association
}

// Status resolves Proposal.status.
func (p *ProposalResolver) Status() string { return p.row.Status }

// Title resolves Proposal.title.
func (p *ProposalResolver) Title() *LocalizedTextResolver {
	return &LocalizedTextResolver{p.row.Title.EN, p.row.Title.FR, p.row.Title.ES}
}

// Summary resolves Proposal.summary.
func (p *ProposalResolver) Summary() *LocalizedTextResolver {
	return &LocalizedTextResolver{p.row.Summary.EN, p.row.Summary.FR, p.row.Summary.ES}
}

// Sector resolves Proposal.sector.
func (p *ProposalResolver) Sector() *string { return optional(p.row.Sector) }

// Countries resolves Proposal.countries.
func (p *ProposalResolver) Countries() []string { return p.row.Countries }

// Budget resolves Proposal.budget.
func (p *ProposalResolver) Budget() *MoneyResolver {
	if p.row.Budget.Amount == 0 {
		return nil
	}
	return &MoneyResolver{p.row.Budget}
}

// DurationMonths resolves Proposal.durationMonths.
func (p *ProposalResolver) DurationMonths() *int32 {
	if p.row.DurationMonths == 0 {
		return nil
	}
	n := int32(p.row.DurationMonths)
	return &n
}

// BudgetLines resolves Proposal.budgetLines.
func (p *ProposalResolver) BudgetLines() []*BudgetLineResolver {
	out := make([]*BudgetLineResolver, len(p.row.BudgetLines))
	for i, l := range p.row.BudgetLines {
		out[i] = &BudgetLineResolver{label: l.Label, amount: money.Money{Amount: l.Amount, Currency: p.row.Budget.Currency}}
	}
	return out
}

// PartnerKinds resolves Proposal.partnerKinds.
func (p *ProposalResolver) PartnerKinds() []string { return p.row.PartnerKinds }

// Session resolves Proposal.session.
func (p *ProposalResolver) Session(ctx context.Context) (*SessionResolver, error) {
	if p.row.SessionID == nil {
		return nil, nil
	}
	s, ok, err := p.r.deps.Sessions.Session(ctx, *p.row.SessionID)
	if err != nil || !ok {
		return nil, toGraphQL(ctx, p.r.deps.Logger, err)
	}
	return p.r.oneSession(ctx, s, "")
}

// StatusReason resolves Proposal.statusReason.
func (p *ProposalResolver) StatusReason() *string {
	if !p.owner() && !isStaff(p.reader) {
		return nil
	}
	return optional(p.row.StatusReason)
}

// DraftedAt resolves Proposal.draftedAt.
func (p *ProposalResolver) DraftedAt() DateTime { return DateTime{p.row.DraftedAt} }

// SubmittedAt resolves Proposal.submittedAt.
func (p *ProposalResolver) SubmittedAt() *DateTime { return optionalTime(p.row.SubmittedAt) }

// DecidedAt resolves Proposal.decidedAt.
func (p *ProposalResolver) DecidedAt() *DateTime { return optionalTime(p.row.DecidedAt) }

func optionalTime(t *time.Time) *DateTime {
	if t == nil {
		return nil
	}
	return &DateTime{*t}
}

// Reviews resolves Proposal.reviews. A reviewer sees the others' reviews only once they
// have submitted their own, so that no score sways theirs; admins, who decide, see them
// all.
func (p *ProposalResolver) Reviews() *[]*ReviewResolver {
	if !p.seesReviews() {
		return nil
	}
	out := []*ReviewResolver{}
	for _, rv := range p.linked(linkReviews).reviews {
		if p.seesOthersReviews() || p.isReader(rv.ReviewerID, rv.ReviewerRole) {
			out = append(out, &ReviewResolver{rv})
		}
	}
	return &out
}

// Conflicts resolves Proposal.conflicts: for admins.
func (p *ProposalResolver) Conflicts() *[]*ConflictResolver {
	if !p.reader.IsAdmin() {
		return nil
	}
	out := []*ConflictResolver{}
	for _, c := range p.row.Conflicts {
		out = append(out, &ConflictResolver{c})
	}
	return &out
}

// ViewerHasConflict resolves Proposal.viewerHasConflict.
func (p *ProposalResolver) ViewerHasConflict() bool {
	return p.reader.IsAuthenticated() && slices.ContainsFunc(p.row.Conflicts, func(c readmodel.Conflict) bool {
		return p.isReader(c.ReviewerID, c.ReviewerRole)
	})
}

// ConflictResolver resolves ConflictOfInterest.
type ConflictResolver struct{ c readmodel.Conflict }

// ReviewerID resolves ConflictOfInterest.reviewerId.
func (c *ConflictResolver) ReviewerID() string { return c.c.ReviewerID }

// ReviewerRole resolves ConflictOfInterest.reviewerRole.
func (c *ConflictResolver) ReviewerRole() string { return strings.ToLower(c.c.ReviewerRole) }

// Reason resolves ConflictOfInterest.reason.
func (c *ConflictResolver) Reason() string { return c.c.Reason }

// DeclaredAt resolves ConflictOfInterest.declaredAt.
func (c *ConflictResolver) DeclaredAt() DateTime { return DateTime{c.c.DeclaredAt} }

// ReviewsHidden resolves Proposal.reviewsHidden.
func (p *ProposalResolver) ReviewsHidden() bool {
	return p.seesReviews() && !p.seesOthersReviews() && len(p.linked(linkReviews).reviews) > 0
}

// seesOthersReviews: admins, and a reviewer who has reviewed the proposal.
func (p *ProposalResolver) seesOthersReviews() bool {
	if p.reader.IsAdmin() {
		return true
	}
	for _, rv := range p.linked(linkReviews).reviews {
		if p.isReader(rv.ReviewerID, rv.ReviewerRole) {
			return true
		}
	}
	return false
}

// isReader tells whether a reviewer (of a review, of a declared conflict) is the reader.
func (p *ProposalResolver) isReader(reviewerID, role string) bool {
	return reviewerID == p.reader.Subject && strings.EqualFold(role, p.reader.Role.String())
}

// AverageScores resolves Proposal.averageScores: hidden, like the reviews, from a
// reviewer who has not reviewed yet.
func (p *ProposalResolver) AverageScores() *[]*CriterionScoreResolver {
	if !p.seesScores() || isStaff(p.reader) && !p.seesOthersReviews() {
		return nil
	}
	list := p.linked(linkReviews).reviews
	if len(list) == 0 {
		return nil
	}
	out := make([]*CriterionScoreResolver, len(proposalevents.Criteria))
	for i, c := range proposalevents.Criteria {
		sum := 0
		for _, rv := range list {
			sum += rv.Scores[c]
		}
		out[i] = &CriterionScoreResolver{criterion: c, score: float64(sum) / float64(len(list))}
	}
	return &out
}

// Pledges resolves Proposal.pledges.
func (p *ProposalResolver) Pledges() *[]*PledgeResolver {
	if !p.seesPledges() {
		return nil
	}
	list := p.linked(linkPledges).pledges
	out := make([]*PledgeResolver, len(list))
	for i, pl := range list {
		out[i] = &PledgeResolver{pl}
	}
	return &out
}

// PledgedTotals resolves Proposal.pledgedTotals.
func (p *ProposalResolver) PledgedTotals() *[]*MoneyResolver {
	if !p.seesPledges() {
		return nil
	}
	list := p.linked(linkTotals).totals
	out := make([]*MoneyResolver, len(list))
	for i, m := range list {
		out[i] = &MoneyResolver{m}
	}
	return &out
}

// BudgetLineResolver resolves BudgetLine.
type BudgetLineResolver struct {
	label  string
	amount money.Money
}

// Label resolves BudgetLine.label.
func (b *BudgetLineResolver) Label() string { return b.label }

// Amount resolves BudgetLine.amount.
func (b *BudgetLineResolver) Amount() *MoneyResolver { return &MoneyResolver{b.amount} }

// CriterionScoreResolver resolves CriterionScore.
type CriterionScoreResolver struct {
	criterion string
	score     float64
}

// Criterion resolves CriterionScore.criterion.
func (c *CriterionScoreResolver) Criterion() string { return c.criterion }

// Score resolves CriterionScore.score.
func (c *CriterionScoreResolver) Score() float64 { return c.score }

// ReviewResolver resolves Review.
type ReviewResolver struct{ row readmodel.Review }

// ReviewerID resolves Review.reviewerId.
func (r *ReviewResolver) ReviewerID() string { return r.row.ReviewerID }

// ReviewerRole resolves Review.reviewerRole.
func (r *ReviewResolver) ReviewerRole() string { return r.row.ReviewerRole }

// Scores resolves Review.scores.
func (r *ReviewResolver) Scores() []*CriterionScoreResolver {
	out := make([]*CriterionScoreResolver, 0, len(proposalevents.Criteria))
	for _, c := range proposalevents.Criteria {
		if s, ok := r.row.Scores[c]; ok {
			out = append(out, &CriterionScoreResolver{criterion: c, score: float64(s)})
		}
	}
	return out
}

// Comment resolves Review.comment.
func (r *ReviewResolver) Comment() string { return r.row.Comment }

// Revisions resolves Review.revisions.
func (r *ReviewResolver) Revisions() int32 { return int32(r.row.Revisions) }

// ReviewedAt resolves Review.reviewedAt.
func (r *ReviewResolver) ReviewedAt() DateTime { return DateTime{r.row.ReviewedAt} }

// PledgeResolver resolves Pledge.
type PledgeResolver struct{ row readmodel.Pledge }

// ID resolves Pledge.id.
func (p *PledgeResolver) ID() graphql.ID { return globalID(kindPledge, p.row.ID) }

// Partner resolves Pledge.partner.
func (p *PledgeResolver) Partner() *PartnerResolver {
	return &PartnerResolver{p.row.PartnerName, p.row.PartnerKind, p.row.PartnerCountry}
}

// Money resolves Pledge.money.
func (p *PledgeResolver) Money() *MoneyResolver {
	if p.row.Money == nil {
		return nil
	}
	return &MoneyResolver{*p.row.Money}
}

// InKind resolves Pledge.inKind.
func (p *PledgeResolver) InKind() *string { return optional(p.row.InKind) }

// PledgedAt resolves Pledge.pledgedAt.
func (p *PledgeResolver) PledgedAt() DateTime { return DateTime{p.row.PledgedAt} }

// PartnerResolver resolves Partner.
type PartnerResolver struct{ name, kind, country string }

// Name resolves Partner.name.
func (p *PartnerResolver) Name() string { return p.name }

// Kind resolves Partner.kind.
func (p *PartnerResolver) Kind() string { return p.kind }

// Country resolves Partner.country.
func (p *PartnerResolver) Country() string { return p.country }
