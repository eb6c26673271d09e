package readmodel

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"passerelle.dev/graph/tables"

	"passerelle.dev/events/proposalevents"
	"passerelle.dev/kernel/money"
)

// Call is a row of the calls read model.
type Call struct {
	ID                string
	Seq               int64
	Title             proposalevents.Text
	Description       proposalevents.Text
	Themes            []string
	EligibleCountries []string
	Ceiling           money.Money
	OpensAt, ClosesAt time.Time
	ClosedAt          *time.Time
	// Envelope is what the call may grant, one amount per currency (none for calls
	// opened before envelopes); Committed is what approvals committed, by currency.
	Envelope  []money.Money
	Committed map[string]int64
}

// StatusAt is the call's status at now: UPCOMING, OPEN or CLOSED.
func (c Call) StatusAt(now time.Time) string {
	switch {
	case c.ClosedAt != nil || !now.Before(c.ClosesAt):
		return "CLOSED"
	case now.Before(c.OpensAt):
		return "UPCOMING"
	}
	return "OPEN"
}

// Proposal is a row of the proposals read model.
type Proposal struct {
	ID, CallID, AssociationID string
	Seq                       int64
	Status                    string
	Title, Summary            proposalevents.Text
	Sector                    string
	Countries                 []string
	Budget                    money.Money
	DurationMonths            int
	BudgetLines               []proposalevents.BudgetLine
	PartnerKinds              []string
	SessionID                 *string
	StatusReason              string
	DraftedAt                 time.Time
	SubmittedAt, DecidedAt    *time.Time
	UpdatedAt                 time.Time
	// Conflicts are the conflicts of interest reviewers declared.
	Conflicts []Conflict
}

// Conflict is a reviewer's declared conflict of interest with a proposal.
type Conflict struct {
	ReviewerID   string    `json:"reviewerId"`
	ReviewerRole string    `json:"reviewerRole"`
	Reason       string    `json:"reason"`
	DeclaredAt   time.Time `json:"declaredAt"`
}

// Review is a reviewer's review of a proposal.
type Review struct {
	ProposalID, ReviewerID, ReviewerRole string
	Scores                               map[string]int
	Comment                              string
	Revisions                            int
	ReviewedAt                           time.Time
}

// Pledge is a partner's pledge to a proposal.
type Pledge struct {
	ID, ProposalID                           string
	PartnerName, PartnerKind, PartnerCountry string
	Money                                    *money.Money
	InKind                                   string
	PledgedAt                                time.Time
}

// ProposalVisibility is which proposals a reader sees: drafts are for their owner,
// coordinators and admins.
type ProposalVisibility struct {
	SeesDrafts bool
	OwnID      string
}

// ProposalFilter narrows a listing; empty fields do not filter.
type ProposalFilter struct {
	Status, Sector, Country, CallID, AssociationID string
}

// CallFilter narrows a listing of calls; empty fields do not filter.
type CallFilter struct {
	// Status is UPCOMING, OPEN or CLOSED at Now.
	Status, Theme, Country string
	Now                    time.Time
}

// Page is one page of a listing, by sequence.
type Page[T any] struct {
	Items   []T
	HasNext bool
	Total   int
}

// Proposals reads the calls and proposals read models. It is safe for concurrent use.
type Proposals struct{ db tables.Querier }

// NewProposals returns the reader.
func NewProposals(db tables.Querier) *Proposals { return &Proposals{db: db} }

const callColumns = `c.id::text, c.seq, c.title_en, c.title_fr, c.title_es, c.description_en, c.description_fr, c.description_es,
	c.themes, c.eligible_countries, c.ceiling, c.currency, c.opens_at, c.closes_at, c.closed_at, c.envelope, c.committed`

func scanCall(row pgx.Row) (Call, error) {
	var c Call
	err := row.Scan(&c.ID, &c.Seq, &c.Title.EN, &c.Title.FR, &c.Title.ES, &c.Description.EN, &c.Description.FR, &c.Description.ES,
		&c.Themes, &c.EligibleCountries, &c.Ceiling.Amount, &c.Ceiling.Currency, &c.OpensAt, &c.ClosesAt, &c.ClosedAt, &c.Envelope, &c.Committed)
	return c, err
}

func collectCalls(rows pgx.Rows) ([]Call, error) {
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (Call, error) { return scanCall(row) })
}

// Call returns one call.
func (r *Proposals) Call(ctx context.Context, id string) (Call, bool, error) {
	c, err := scanCall(r.db.QueryRow(ctx, `SELECT `+callColumns+` FROM graph.calls c WHERE c.id = $1`, id))
	if errors.Is(err, pgx.ErrNoRows) {
		return Call{}, false, nil
	}
	if err != nil {
		return Call{}, false, fmt.Errorf("call %s: %w", id, err)
	}
	return c, true, nil
}

// CallsByID returns the calls among ids, by id.
func (r *Proposals) CallsByID(ctx context.Context, ids []string) (map[string]Call, error) {
	rows, err := r.db.Query(ctx, `SELECT `+callColumns+` FROM graph.calls c WHERE c.id = ANY($1::uuid[])`, ids)
	if err != nil {
		return nil, fmt.Errorf("calls: %w", err)
	}
	list, err := collectCalls(rows)
	if err != nil {
		return nil, fmt.Errorf("calls: %w", err)
	}
	out := make(map[string]Call, len(list))
	for _, c := range list {
		out[c.ID] = c
	}
	return out, nil
}

// Calls lists calls by the order they opened, after the sequence number after.
func (r *Proposals) Calls(ctx context.Context, f CallFilter, after int64, first int) (Page[Call], error) {
	var c conditions
	switch f.Status {
	case "UPCOMING":
		c.add("c.closed_at IS NULL AND c.opens_at > " + c.arg(f.Now))
	case "OPEN":
		c.add("c.closed_at IS NULL AND c.opens_at <= " + c.arg(f.Now) + " AND c.closes_at > " + c.arg(f.Now))
	case "CLOSED":
		c.add("(c.closed_at IS NOT NULL OR c.closes_at <= " + c.arg(f.Now) + ")")
	}
	if f.Theme != "" {
		c.add("c.themes @> ARRAY[" + c.arg(f.Theme) + "]::text[]")
	}
	if f.Country != "" {
		c.add("c.eligible_countries @> ARRAY[" + c.arg(f.Country) + "]::text[]")
	}
	countSQL, countArgs := `SELECT count(*) FROM graph.calls c`+c.sql(), append([]any(nil), c.args...)
	if after > 0 {
		c.add("c.seq > " + c.arg(after))
	}
	pageSQL := `SELECT ` + callColumns + ` FROM graph.calls c` + c.sql() + ` ORDER BY c.seq LIMIT ` + c.arg(first+1)
	items, total, err := snapshotPage(ctx, r.db, pageSQL, c.args, countSQL, countArgs, collectCalls)
	if err != nil {
		return Page[Call]{}, fmt.Errorf("list calls: %w", err)
	}
	return pageOf(items, total, first), nil
}

func pageOf[T any](items []T, total, first int) Page[T] {
	p := Page[T]{Items: items, Total: total}
	if len(items) > first {
		p.Items, p.HasNext = items[:first], true
	}
	return p
}

const proposalColumns = `p.id::text, p.call_id::text, p.association_id::text, p.seq, p.status, p.title_en, p.title_fr, p.title_es,
	p.summary_en, p.summary_fr, p.summary_es, p.sector, p.countries, p.budget, p.currency, p.duration_months, p.budget_lines,
	p.partner_kinds, p.session_id::text, p.status_reason, p.drafted_at, p.submitted_at, p.decided_at, p.updated_at, p.conflicts`

func scanProposal(row pgx.Row) (Proposal, error) {
	var p Proposal
	err := row.Scan(&p.ID, &p.CallID, &p.AssociationID, &p.Seq, &p.Status, &p.Title.EN, &p.Title.FR, &p.Title.ES,
		&p.Summary.EN, &p.Summary.FR, &p.Summary.ES, &p.Sector, &p.Countries, &p.Budget.Amount, &p.Budget.Currency,
		&p.DurationMonths, &p.BudgetLines, &p.PartnerKinds, &p.SessionID, &p.StatusReason, &p.DraftedAt, &p.SubmittedAt,
		&p.DecidedAt, &p.UpdatedAt, &p.Conflicts)
	return p, err
}

func collectProposals(rows pgx.Rows) ([]Proposal, error) {
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (Proposal, error) { return scanProposal(row) })
}

func (c *conditions) proposalVisibility(v ProposalVisibility) {
	if !v.SeesDrafts {
		c.add("(p.status <> 'DRAFT' OR p.association_id::text = " + c.arg(v.OwnID) + ")")
	}
}

// Proposal returns one proposal if the reader may see it.
func (r *Proposals) Proposal(ctx context.Context, id string, v ProposalVisibility) (Proposal, bool, error) {
	var c conditions
	c.add("p.id = " + c.arg(id))
	c.proposalVisibility(v)
	p, err := scanProposal(r.db.QueryRow(ctx, `SELECT `+proposalColumns+` FROM graph.proposals p`+c.sql(), c.args...))
	if errors.Is(err, pgx.ErrNoRows) {
		return Proposal{}, false, nil
	}
	if err != nil {
		return Proposal{}, false, fmt.Errorf("proposal %s: %w", id, err)
	}
	return p, true, nil
}

// ListProposals lists the proposals a reader sees, by the order they were drafted,
// after the sequence number after.
func (r *Proposals) ListProposals(ctx context.Context, f ProposalFilter, v ProposalVisibility, after int64, first int) (Page[Proposal], error) {
	var c conditions
	for _, eq := range []struct{ column, value string }{
		{"p.status", f.Status}, {"p.sector", f.Sector}, {"p.call_id::text", f.CallID}, {"p.association_id::text", f.AssociationID},
	} {
		if eq.value != "" {
			c.add(eq.column + " = " + c.arg(eq.value))
		}
	}
	if f.Country != "" {
		c.add("p.countries @> ARRAY[" + c.arg(f.Country) + "]::text[]")
	}
	c.proposalVisibility(v)
	countSQL, countArgs := `SELECT count(*) FROM graph.proposals p`+c.sql(), append([]any(nil), c.args...)
	if after > 0 {
		c.add("p.seq > " + c.arg(after))
	}
	pageSQL := `SELECT ` + proposalColumns + ` FROM graph.proposals p` + c.sql() + ` ORDER BY p.seq LIMIT ` + c.arg(first+1)
	items, total, err := snapshotPage(ctx, r.db, pageSQL, c.args, countSQL, countArgs, collectProposals)
	if err != nil {
		return Page[Proposal]{}, fmt.Errorf("list proposals: %w", err)
	}
	return pageOf(items, total, first), nil
}

// BySession returns, in one query, the proposals presented at several sessions that a
// reader sees, by session.
func (r *Proposals) BySession(ctx context.Context, sessionIDs []string, v ProposalVisibility) (map[string][]Proposal, error) {
	var c conditions
	c.add("p.session_id = ANY(" + c.arg(sessionIDs) + "::uuid[])")
	c.proposalVisibility(v)
	rows, err := r.db.Query(ctx, `SELECT `+proposalColumns+` FROM graph.proposals p`+c.sql()+` ORDER BY p.seq`, c.args...)
	if err != nil {
		return nil, fmt.Errorf("proposals of sessions: %w", err)
	}
	list, err := collectProposals(rows)
	if err != nil {
		return nil, fmt.Errorf("proposals of sessions: %w", err)
	}
	out := map[string][]Proposal{}
	for _, p := range list {
		out[*p.SessionID] = append(out[*p.SessionID], p)
	}
	return out, nil
}

// ProposalDetails are what a proposal's page shows beside it, by proposal id.
type ProposalDetails struct {
	Reviews map[string][]Review
	Pledges map[string][]Pledge
	// Totals are the money pledged, by currency (sorted by currency code).
	Totals map[string][]money.Money
}

// DetailsWanted says which details to load, and for which proposals.
type DetailsWanted struct {
	Reviews, Pledges, Totals []string
}

// Details returns the reviews, pledges and pledged totals asked for, in one round trip
// whatever the number of proposals and kinds: a proposal's page would otherwise wait on
// three.
func (r *Proposals) Details(ctx context.Context, want DetailsWanted) (ProposalDetails, error) {
	b := &pgx.Batch{}
	out := queueDetails(b, want)
	if b.Len() == 0 {
		return *out, nil
	}
	if err := r.db.SendBatch(ctx, b).Close(); err != nil {
		return ProposalDetails{}, fmt.Errorf("proposals' details: %w", err)
	}
	return *out, nil
}

// ProposalWithDetails is Proposal and Details of the one proposal, in one round trip:
// a reviewer's view of a proposal, which plain pgx reads in one batch too. The details
// are read whether or not the reader may see them; the resolvers decide what they show.
func (r *Proposals) ProposalWithDetails(ctx context.Context, id string, v ProposalVisibility, want DetailsWanted) (Proposal, bool, ProposalDetails, error) {
	var c conditions
	c.add("p.id = " + c.arg(id))
	c.proposalVisibility(v)
	b := &pgx.Batch{}
	var (
		p     Proposal
		found bool
	)
	b.Queue(`SELECT `+proposalColumns+` FROM graph.proposals p`+c.sql(), c.args...).QueryRow(func(row pgx.Row) error {
		var err error
		p, err = scanProposal(row)
		if errors.Is(err, pgx.ErrNoRows) {
			return nil
		}
		found = err == nil
		return err
	})
	out := queueDetails(b, want)
	if err := r.db.SendBatch(ctx, b).Close(); err != nil {
		return Proposal{}, false, ProposalDetails{}, fmt.Errorf("proposal %s: %w", id, err)
	}
	return p, found, *out, nil
}

// queueDetails queues the reads of the details wanted into b; what they read lands in
// the details returned once b is sent.
func queueDetails(b *pgx.Batch, want DetailsWanted) *ProposalDetails {
	out := &ProposalDetails{Reviews: map[string][]Review{}, Pledges: map[string][]Pledge{}, Totals: map[string][]money.Money{}}
	if len(want.Reviews) > 0 {
		b.Queue(`SELECT proposal_id::text, reviewer_id, reviewer_role, scores, comment, revisions, reviewed_at
			FROM graph.proposal_reviews WHERE proposal_id = ANY($1::uuid[]) ORDER BY proposal_id, reviewed_at, reviewer_id`, want.Reviews).
			Query(func(rows pgx.Rows) error {
				var rv Review
				_, err := pgx.ForEachRow(rows, []any{&rv.ProposalID, &rv.ReviewerID, &rv.ReviewerRole, &rv.Scores, &rv.Comment, &rv.Revisions, &rv.ReviewedAt}, func() error {
					out.Reviews[rv.ProposalID] = append(out.Reviews[rv.ProposalID], rv)
					rv = Review{} // scores are a map: the next row's must be its own
					return nil
				})
				if err != nil {
					return fmt.Errorf("reviews: %w", err)
				}
				return nil
			})
	}
	if len(want.Pledges) > 0 {
		b.Queue(`SELECT id::text, proposal_id::text, partner_name, partner_kind, partner_country, amount, currency,
				in_kind, pledged_at
			FROM graph.proposal_pledges WHERE proposal_id = ANY($1::uuid[]) ORDER BY seq`, want.Pledges).
			Query(func(rows pgx.Rows) error {
				var (
					p        Pledge
					amount   *int64
					currency *string
				)
				_, err := pgx.ForEachRow(rows, []any{&p.ID, &p.ProposalID, &p.PartnerName, &p.PartnerKind, &p.PartnerCountry, &amount, &currency, &p.InKind, &p.PledgedAt}, func() error {
					p.Money = nil
					if amount != nil && currency != nil {
						p.Money = &money.Money{Amount: *amount, Currency: *currency}
					}
					out.Pledges[p.ProposalID] = append(out.Pledges[p.ProposalID], p)
					return nil
				})
				if err != nil {
					return fmt.Errorf("pledges: %w", err)
				}
				return nil
			})
	}
	if len(want.Totals) > 0 {
		b.Queue(`SELECT proposal_id::text, currency, amount FROM graph.proposal_pledge_totals
			WHERE proposal_id = ANY($1::uuid[]) ORDER BY proposal_id, currency`, want.Totals).
			Query(func(rows pgx.Rows) error {
				var (
					id string
					m  money.Money
				)
				_, err := pgx.ForEachRow(rows, []any{&id, &m.Currency, &m.Amount}, func() error {
					out.Totals[id] = append(out.Totals[id], m)
					return nil
				})
				if err != nil {
					return fmt.Errorf("pledged totals: %w", err)
				}
				return nil
			})
	}
	return out
}
