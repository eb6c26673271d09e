package projection

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"passerelle.dev/events"
	"passerelle.dev/events/projector"
	"passerelle.dev/events/proposalevents"
	"passerelle.dev/graph/readmodel"
)

// CallsName is the calls projection's consumer group.
const CallsName = "graph.calls"

// Calls keeps graph.calls.
type Calls struct{}

var _ projector.Projection = Calls{}

// Name implements projector.Projection.
func (Calls) Name() string { return CallsName }

// Handles implements projector.Projection.
func (Calls) Handles(eventType string) bool {
	return eventType == proposalevents.CallOpenedType || eventType == proposalevents.CallClosedType ||
		eventType == proposalevents.CallFundsCommittedType
}

// Apply implements projector.Projection.
func (Calls) Apply(ctx context.Context, tx pgx.Tx, ev events.Recorded, payload any) error {
	return applyFold(ctx, tx, callsFold{}, []events.Recorded{ev}, []any{payload})
}

// ApplyPage implements projector.PageApplier.
func (Calls) ApplyPage(ctx context.Context, tx pgx.Tx, evs []events.Recorded, payloads []any) error {
	return applyFold(ctx, tx, callsFold{}, evs, payloads)
}

var callsTable = newTable("calls", 1, "id", "seq", "title_en", "title_fr", "title_es", "description_en", "description_fr",
	"description_es", "themes", "eligible_countries", "ceiling", "currency", "opens_at", "closes_at", "closed_at", "opened_at",
	"envelope", "committed")

// callsFold is how a call's events make its row.
type callsFold struct{}

func (callsFold) tables() []*table     { return []*table{callsTable} }
func (callsFold) streamPrefix() string { return proposalevents.CallStreamPrefix }
func (callsFold) sums() []*sumTable    { return nil }
func (callsFold) newEntity(stream string) entity {
	return &callState{id: strings.TrimPrefix(stream, proposalevents.CallStreamPrefix)}
}

type callState struct {
	id                          string
	seq, ceiling                int64
	title, description          proposalevents.Text
	themes, countries           []string
	currency                    string
	opensAt, closesAt, openedAt time.Time
	closedAt                    *time.Time
	// envelope ([{amount, currency}]) and committed ({currency: amount}) as JSON, the
	// way the fold compares and writes them.
	envelope, committed []byte
	exists              bool
}

func (c *callState) apply(rec events.Recorded, payload any) error {
	switch e := payload.(type) {
	case proposalevents.CallOpened:
		if c.exists {
			return projector.Permanent(fmt.Errorf("call %s opened twice", c.id))
		}
		*c = callState{id: c.id, seq: rec.Position.GlobalPosition, title: e.Title, description: e.Description, themes: e.Themes,
			countries: e.EligibleCountries, ceiling: e.Ceiling.Amount, currency: e.Ceiling.Currency, opensAt: e.OpensAt,
			closesAt: e.ClosesAt, openedAt: e.At, envelope: []byte("[]"), committed: []byte("{}"), exists: true}
		if len(e.Envelope) > 0 {
			envelope, err := json.Marshal(e.Envelope)
			if err != nil {
				return err
			}
			c.envelope = envelope
		}
	case proposalevents.CallClosed:
		if !c.exists {
			return projector.Permanent(fmt.Errorf("call %s is not in the read model", c.id))
		}
		c.closedAt = &e.At
	case proposalevents.CallFundsCommitted:
		if !c.exists {
			return projector.Permanent(fmt.Errorf("call %s is not in the read model", c.id))
		}
		committed := map[string]int64{}
		if err := json.Unmarshal(c.committed, &committed); err != nil {
			return projector.Permanent(fmt.Errorf("call %s: what it committed: %w", c.id, err))
		}
		committed[e.Amount.Currency] += e.Amount.Amount
		b, err := json.Marshal(committed)
		if err != nil {
			return err
		}
		c.committed = b
	default:
		return projector.Permanent(fmt.Errorf("call %s: unknown event %T", c.id, payload))
	}
	return nil
}

func (c *callState) rows(emit func(int, []any)) {
	if c.exists {
		emit(0, []any{&c.id, &c.seq, &c.title.EN, &c.title.FR, &c.title.ES, &c.description.EN, &c.description.FR,
			&c.description.ES, &c.themes, &c.countries, &c.ceiling, &c.currency, &c.opensAt, &c.closesAt, &c.closedAt, &c.openedAt,
			&c.envelope, &c.committed})
	}
}

func (f callsFold) load(ctx context.Context, tx pgx.Tx, streams []string) (map[string]entity, error) {
	ids := make([]string, len(streams))
	for i, s := range streams {
		ids[i] = strings.TrimPrefix(s, proposalevents.CallStreamPrefix)
	}
	rows, err := tx.Query(ctx, `SELECT id::text, seq, title_en, title_fr, title_es, description_en, description_fr, description_es,
		themes, eligible_countries, ceiling, currency, opens_at, closes_at, closed_at, opened_at, envelope, committed
		FROM graph.calls WHERE id = ANY($1::uuid[])`, ids)
	if err != nil {
		return nil, fmt.Errorf("read calls: %w", err)
	}
	out := map[string]entity{}
	for rows.Next() {
		c := &callState{exists: true}
		if err := rows.Scan(fieldsOf(c, 0)...); err != nil {
			rows.Close()
			return nil, fmt.Errorf("read calls: %w", err)
		}
		out[proposalevents.CallStreamID(c.id)] = c
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read calls: %w", err)
	}
	return out, nil
}

// Reset implements projector.Projection.
func (Calls) Reset(ctx context.Context, tx pgx.Tx) error {
	_, err := tx.Exec(ctx, `TRUNCATE graph.calls`)
	return err
}

// ProposalsName is the proposals projection's consumer group.
const ProposalsName = "graph.proposals"

// Proposals keeps graph.proposals, their reviews, pledges and pledged totals.
type Proposals struct{}

var _ projector.Projection = Proposals{}

// Name implements projector.Projection.
func (Proposals) Name() string { return ProposalsName }

// Handles implements projector.Projection.
func (Proposals) Handles(eventType string) bool {
	return strings.HasPrefix(eventType, "proposals.Proposal") || eventType == proposalevents.SupportPledgedType ||
		eventType == proposalevents.ConflictDeclaredType
}

// Apply implements projector.Projection.
func (Proposals) Apply(ctx context.Context, tx pgx.Tx, ev events.Recorded, payload any) error {
	return applyFold(ctx, tx, proposalsFold{}, []events.Recorded{ev}, []any{payload})
}

// ApplyPage implements projector.PageApplier.
func (Proposals) ApplyPage(ctx context.Context, tx pgx.Tx, evs []events.Recorded, payloads []any) error {
	return applyFold(ctx, tx, proposalsFold{}, evs, payloads)
}

var (
	proposalsTable = newTable("proposals", 1, "id", "seq", "call_id", "association_id", "status", "title_en", "title_fr",
		"title_es", "summary_en", "summary_fr", "summary_es", "sector", "countries", "budget", "currency", "duration_months",
		"budget_lines", "partner_kinds", "session_id", "status_reason", "drafted_at", "submitted_at", "decided_at",
		"updated_at", "stream_version", "conflicts")
	reviewsTable = newTable("proposal_reviews", 2, "proposal_id", "reviewer_id", "reviewer_role", "scores", "comment",
		"revisions", "reviewed_at")
	pledgesTable = newTable("proposal_pledges", 1, "id", "seq", "proposal_id", "partner_name", "partner_kind",
		"partner_country", "amount", "currency", "in_kind", "pledged_at")
	pledgeTotalsTable = newTable("proposal_pledge_totals", 2, "proposal_id", "currency", "amount", "pledges")
)

// proposalsFold is how a proposal's events make its row, its reviews, its pledges and
// what they add up to.
type proposalsFold struct{}

func (proposalsFold) tables() []*table {
	return []*table{proposalsTable, reviewsTable, pledgesTable, pledgeTotalsTable}
}
func (proposalsFold) streamPrefix() string { return proposalevents.ProposalStreamPrefix }
func (proposalsFold) sums() []*sumTable    { return nil }
func (proposalsFold) newEntity(stream string) entity {
	id, _ := proposalevents.ProposalIDFromStream(stream)
	return &proposalState{id: id}
}

type proposalState struct {
	id, call, association, status, statusReason string
	seq, streamVersion                          int64
	content                                     proposalContent
	draftedAt, updatedAt                        time.Time
	submittedAt, decidedAt                      *time.Time
	reviews                                     []reviewRow // in the order first given
	pledges                                     []pledgeRow // in the order pledged
	// conflicts are the declared conflicts of interest, as JSON ([{reviewerId,
	// reviewerRole, reason, declaredAt}]).
	conflicts []byte
	exists    bool
}

// proposalContent is a proposal's content as its columns hold it.
type proposalContent struct {
	title, summary      proposalevents.Text
	sector, currency    string
	countries, partners []string
	budget              int64
	months              int
	lines               []byte
	session             *string
}

func contentOf(c proposalevents.Content) (proposalContent, error) {
	lines, err := json.Marshal(nonNil(c.BudgetLines))
	if err != nil {
		return proposalContent{}, projector.Permanent(err)
	}
	var session *string
	if c.SessionID != "" {
		session = &c.SessionID
	}
	return proposalContent{title: c.Title, summary: c.Summary, sector: c.Sector, currency: c.Budget.Currency,
		countries: c.Countries, partners: c.PartnerKinds, budget: c.Budget.Amount, months: c.DurationMonths,
		lines: lines, session: session}, nil
}

type reviewRow struct {
	reviewer, role, comment string
	scores                  []byte
	revisions               int
	reviewedAt              time.Time
}

type pledgeRow struct {
	id, name, kind, country, inKind string
	seq                             int64
	amount                          *int64
	currency                        *string
	pledgedAt                       time.Time
}

func (p *proposalState) apply(rec events.Recorded, payload any) error {
	if _, drafted := payload.(proposalevents.ProposalDrafted); !drafted && !p.exists {
		return projector.Permanent(fmt.Errorf("proposal %s is not in the read model", p.id))
	}
	var at time.Time
	switch e := payload.(type) {
	case proposalevents.ProposalDrafted:
		if p.exists {
			return projector.Permanent(fmt.Errorf("proposal %s drafted twice", p.id))
		}
		content, err := contentOf(e.Content)
		if err != nil {
			return err
		}
		*p = proposalState{id: p.id, seq: rec.Position.GlobalPosition, call: e.CallID, association: e.AssociationID,
			status: "DRAFT", content: content, draftedAt: e.At, conflicts: []byte("[]"), exists: true}
		at = e.At
	case proposalevents.ProposalUpdated:
		content, err := contentOf(e.Content)
		if err != nil {
			return err
		}
		p.content, at = content, e.At
	case proposalevents.ProposalSubmitted:
		p.status, p.statusReason, p.submittedAt, at = "SUBMITTED", "", &e.At, e.At
	case proposalevents.ProposalWithdrawn:
		p.status, p.statusReason, at = "WITHDRAWN", e.Reason, e.At
	case proposalevents.ProposalReviewStarted:
		p.status, at = "UNDER_REVIEW", e.At
	case proposalevents.ProposalChangesRequested:
		p.status, p.statusReason, at = "CHANGES_REQUESTED", e.Reason, e.At
	case proposalevents.ProposalDecided:
		p.status, p.statusReason, p.decidedAt, at = e.Decision, e.Reason, &e.At, e.At
	case proposalevents.ProposalReviewed:
		scores, err := json.Marshal(e.Scores)
		if err != nil {
			return projector.Permanent(err)
		}
		reviews := slices.Clone(p.reviews)
		if i := slices.IndexFunc(reviews, func(r reviewRow) bool { return r.reviewer == e.ReviewerID }); i >= 0 {
			// A reviewer's second word replaces the first; the role stays the one first given.
			reviews[i].scores, reviews[i].comment, reviews[i].reviewedAt = scores, e.Comment, e.At
			reviews[i].revisions++
		} else {
			reviews = append(reviews, reviewRow{reviewer: e.ReviewerID, role: e.ReviewerRole, comment: e.Comment,
				scores: scores, reviewedAt: e.At})
		}
		p.reviews, at = reviews, e.At
	case proposalevents.ConflictOfInterestDeclared:
		var conflicts []readmodel.Conflict
		if err := json.Unmarshal(p.conflicts, &conflicts); err != nil {
			return projector.Permanent(fmt.Errorf("proposal %s: its conflicts of interest: %w", p.id, err))
		}
		conflicts = append(conflicts, readmodel.Conflict{ReviewerID: e.ReviewerID, ReviewerRole: e.ReviewerRole, Reason: e.Reason, DeclaredAt: e.At})
		b, err := json.Marshal(conflicts)
		if err != nil {
			return err
		}
		// The reviewer's review no longer counts.
		p.conflicts, at = b, e.At
		p.reviews = slices.DeleteFunc(slices.Clone(p.reviews), func(r reviewRow) bool { return r.reviewer == e.ReviewerID })
	case proposalevents.SupportPledged:
		if slices.ContainsFunc(p.pledges, func(r pledgeRow) bool { return r.id == e.PledgeID }) {
			return projector.Permanent(fmt.Errorf("pledge %s is in the read model already", e.PledgeID))
		}
		pledge := pledgeRow{id: e.PledgeID, seq: rec.Position.GlobalPosition, name: e.Partner.Name, kind: e.Partner.Kind,
			country: e.Partner.Country, inKind: e.InKind, pledgedAt: e.At}
		if e.Money != nil {
			pledge.amount, pledge.currency = &e.Money.Amount, &e.Money.Currency
		}
		p.pledges, at = append(slices.Clip(p.pledges), pledge), e.At
	default:
		return projector.Permanent(fmt.Errorf("proposal %s: unknown event %T", p.id, payload))
	}
	p.updatedAt, p.streamVersion = at, rec.StreamVersion
	return nil
}

func (p *proposalState) rows(emit func(int, []any)) {
	if !p.exists {
		return
	}
	c := &p.content
	emit(0, []any{&p.id, &p.seq, &p.call, &p.association, &p.status, &c.title.EN, &c.title.FR, &c.title.ES,
		&c.summary.EN, &c.summary.FR, &c.summary.ES, &c.sector, &c.countries, &c.budget, &c.currency, &c.months,
		&c.lines, &c.partners, &c.session, &p.statusReason, &p.draftedAt, &p.submittedAt, &p.decidedAt, &p.updatedAt,
		&p.streamVersion, &p.conflicts})
	for i := range p.reviews {
		r := &p.reviews[i]
		emit(1, []any{&p.id, &r.reviewer, &r.role, &r.scores, &r.comment, &r.revisions, &r.reviewedAt})
	}
	// The pledged totals, by currency, are what the pledges in money add up to.
	type total struct {
		currency string
		amount   int64
		pledges  int
	}
	var totals []total
	for i := range p.pledges {
		r := &p.pledges[i]
		emit(2, []any{&r.id, &r.seq, &p.id, &r.name, &r.kind, &r.country, &r.amount, &r.currency, &r.inKind, &r.pledgedAt})
		if r.amount == nil {
			continue
		}
		j := slices.IndexFunc(totals, func(t total) bool { return t.currency == *r.currency })
		if j < 0 {
			totals, j = append(totals, total{currency: *r.currency}), len(totals)
		}
		totals[j].amount += *r.amount
		totals[j].pledges++
	}
	for _, t := range totals {
		emit(3, []any{&p.id, t.currency, t.amount, t.pledges})
	}
}

func (proposalsFold) load(ctx context.Context, tx pgx.Tx, streams []string) (map[string]entity, error) {
	ids := make([]string, 0, len(streams))
	for _, st := range streams {
		if id, ok := proposalevents.ProposalIDFromStream(st); ok {
			ids = append(ids, id)
		}
	}
	out := map[string]entity{}
	of := func(id string) *proposalState {
		p, _ := out[proposalevents.ProposalStreamID(id)].(*proposalState)
		return p
	}
	batch := &pgx.Batch{}
	batch.Queue(`SELECT id::text, seq, call_id::text, association_id::text, status, title_en, title_fr, title_es,
		summary_en, summary_fr, summary_es, sector, countries, budget, currency, duration_months, budget_lines,
		partner_kinds, session_id::text, status_reason, drafted_at, submitted_at, decided_at, updated_at, stream_version, conflicts
		FROM graph.proposals WHERE id = ANY($1::uuid[])`, ids).
		Query(func(rows pgx.Rows) error {
			for rows.Next() {
				p := &proposalState{exists: true}
				if err := rows.Scan(fieldsOf(p, 0)...); err != nil {
					return err
				}
				out[proposalevents.ProposalStreamID(p.id)] = p
			}
			return rows.Err()
		})
	batch.Queue(`SELECT proposal_id::text, reviewer_id, reviewer_role, scores, comment, revisions, reviewed_at
		FROM graph.proposal_reviews WHERE proposal_id = ANY($1::uuid[]) ORDER BY proposal_id, reviewed_at, reviewer_id`, ids).
		Query(func(rows pgx.Rows) error {
			var (
				id string
				r  reviewRow
			)
			_, err := pgx.ForEachRow(rows, []any{&id, &r.reviewer, &r.role, &r.scores, &r.comment, &r.revisions, &r.reviewedAt}, func() error {
				if p := of(id); p != nil {
					p.reviews = append(p.reviews, r)
				}
				r.scores = nil
				return nil
			})
			return err
		})
	batch.Queue(`SELECT id::text, seq, proposal_id::text, partner_name, partner_kind, partner_country, amount, currency,
		in_kind, pledged_at FROM graph.proposal_pledges WHERE proposal_id = ANY($1::uuid[]) ORDER BY proposal_id, seq`, ids).
		Query(func(rows pgx.Rows) error {
			var (
				id string
				r  pledgeRow
			)
			_, err := pgx.ForEachRow(rows, []any{&r.id, &r.seq, &id, &r.name, &r.kind, &r.country, &r.amount, &r.currency, &r.inKind, &r.pledgedAt}, func() error {
				if p := of(id); p != nil {
					p.pledges = append(p.pledges, r)
				}
				r.amount, r.currency = nil, nil
				return nil
			})
			return err
		})
	if err := tx.SendBatch(ctx, batch).Close(); err != nil {
		return nil, fmt.Errorf("read proposals: %w", err)
	}
	return out, nil
}

// Reset implements projector.Projection.
func (Proposals) Reset(ctx context.Context, tx pgx.Tx) error {
	_, err := tx.Exec(ctx, `TRUNCATE graph.proposal_pledge_totals, graph.proposal_pledges, graph.proposal_reviews, graph.proposals`)
	return err
}
