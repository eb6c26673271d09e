package projection

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"

	"passerelle.dev/events"
	"passerelle.dev/events/projector"
	"passerelle.dev/events/proposalevents"
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
	return eventType == proposalevents.CallOpenedType || eventType == proposalevents.CallClosedType
}

// Apply implements projector.Projection.
func (Calls) Apply(ctx context.Context, tx pgx.Tx, _ events.Recorded, payload any) error {
	var err error
	switch e := payload.(type) {
	case proposalevents.CallOpened:
		_, err = tx.Exec(ctx, `INSERT INTO graph.calls (id, title_en, title_fr, title_es, description_en, description_fr,
				description_es, themes, eligible_countries, ceiling, currency, opens_at, closes_at, opened_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
			e.CallID, e.Title.EN, e.Title.FR, e.Title.ES, e.Description.EN, e.Description.FR, e.Description.ES,
			e.Themes, e.EligibleCountries, e.Ceiling.Amount, e.Ceiling.Currency, e.OpensAt, e.ClosesAt, e.At)
	case proposalevents.CallClosed:
		_, err = tx.Exec(ctx, `UPDATE graph.calls SET closed_at = $2 WHERE id = $1`, e.CallID, e.At)
	}
	return err
}

// Reset implements projector.Projection.
func (Calls) Reset(ctx context.Context, tx pgx.Tx) error {
	_, err := tx.Exec(ctx, `TRUNCATE graph.calls RESTART IDENTITY`)
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
	return strings.HasPrefix(eventType, "proposals.Proposal") || eventType == proposalevents.SupportPledgedType
}

// contentColumns sets a proposal's content ($2…).
const contentColumns = `title_en = $2, title_fr = $3, title_es = $4, summary_en = $5, summary_fr = $6, summary_es = $7,
	sector = $8, countries = $9, budget = $10, currency = $11, duration_months = $12, budget_lines = $13,
	partner_kinds = $14, session_id = $15`

func contentArgs(id string, c proposalevents.Content) ([]any, error) {
	lines, err := json.Marshal(nonNil(c.BudgetLines))
	if err != nil {
		return nil, projector.Permanent(err)
	}
	var session any
	if c.SessionID != "" {
		session = c.SessionID
	}
	return []any{id, c.Title.EN, c.Title.FR, c.Title.ES, c.Summary.EN, c.Summary.FR, c.Summary.ES, c.Sector,
		nonNil(c.Countries), c.Budget.Amount, c.Budget.Currency, c.DurationMonths, lines, nonNil(c.PartnerKinds), session}, nil
}

// Apply implements projector.Projection.
func (Proposals) Apply(ctx context.Context, tx pgx.Tx, ev events.Recorded, payload any) error {
	switch e := payload.(type) {
	case proposalevents.ProposalDrafted:
		args, err := contentArgs(e.ProposalID, e.Content)
		if err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `INSERT INTO graph.proposals (id, title_en, title_fr, title_es, summary_en, summary_fr, summary_es,
				sector, countries, budget, currency, duration_months, budget_lines, partner_kinds, session_id,
				call_id, association_id, status, drafted_at, updated_at, stream_version)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, 'DRAFT', $18, $18, $19)`,
			append(args, e.CallID, e.AssociationID, e.At, ev.StreamVersion)...)
		return err
	case proposalevents.ProposalUpdated:
		args, err := contentArgs(e.ProposalID, e.Content)
		if err != nil {
			return err
		}
		return proposalRow(ctx, tx, ev, e.At, contentColumns, args[1:]...)
	case proposalevents.ProposalSubmitted:
		return proposalRow(ctx, tx, ev, e.At, `status = 'SUBMITTED', status_reason = '', submitted_at = $2`, e.At)
	case proposalevents.ProposalWithdrawn:
		return proposalRow(ctx, tx, ev, e.At, `status = 'WITHDRAWN', status_reason = $2`, e.Reason)
	case proposalevents.ProposalReviewStarted:
		return proposalRow(ctx, tx, ev, e.At, `status = 'UNDER_REVIEW'`)
	case proposalevents.ProposalChangesRequested:
		return proposalRow(ctx, tx, ev, e.At, `status = 'CHANGES_REQUESTED', status_reason = $2`, e.Reason)
	case proposalevents.ProposalDecided:
		return proposalRow(ctx, tx, ev, e.At, `status = $2, status_reason = $3, decided_at = $4`, e.Decision, e.Reason, e.At)
	case proposalevents.ProposalReviewed:
		scores, err := json.Marshal(e.Scores)
		if err != nil {
			return projector.Permanent(err)
		}
		if _, err := tx.Exec(ctx, `INSERT INTO graph.proposal_reviews (proposal_id, reviewer_id, reviewer_role, scores, comment, reviewed_at)
			VALUES ($1, $2, $3, $4, $5, $6)
			ON CONFLICT (proposal_id, reviewer_id) DO UPDATE SET scores = excluded.scores, comment = excluded.comment,
				reviewed_at = excluded.reviewed_at, revisions = graph.proposal_reviews.revisions + 1`,
			e.ProposalID, e.ReviewerID, e.ReviewerRole, scores, e.Comment, e.At); err != nil {
			return err
		}
		return proposalRow(ctx, tx, ev, e.At, ``)
	case proposalevents.SupportPledged:
		var amount, currency any
		if e.Money != nil {
			amount, currency = e.Money.Amount, e.Money.Currency
		}
		if _, err := tx.Exec(ctx, `INSERT INTO graph.proposal_pledges (id, proposal_id, partner_name, partner_kind, partner_country,
				amount, currency, in_kind, pledged_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
			e.PledgeID, e.ProposalID, e.Partner.Name, e.Partner.Kind, e.Partner.Country, amount, currency, e.InKind, e.At); err != nil {
			return err
		}
		if e.Money != nil {
			if _, err := tx.Exec(ctx, `INSERT INTO graph.proposal_pledge_totals (proposal_id, currency, amount, pledges)
				VALUES ($1, $2, $3, 1)
				ON CONFLICT (proposal_id, currency) DO UPDATE SET amount = graph.proposal_pledge_totals.amount + excluded.amount,
					pledges = graph.proposal_pledge_totals.pledges + 1`, e.ProposalID, e.Money.Currency, e.Money.Amount); err != nil {
				return err
			}
		}
		return proposalRow(ctx, tx, ev, e.At, ``)
	}
	return nil
}

// proposalRow updates a proposal's row (its id from the event's stream): set, with
// arguments from $2, then its update time and stream version. The row must exist: the
// log delivers a stream's events in order.
func proposalRow(ctx context.Context, tx pgx.Tx, ev events.Recorded, at any, set string, args ...any) error {
	id, ok := proposalevents.ProposalIDFromStream(ev.StreamID)
	if !ok {
		return projector.Permanent(fmt.Errorf("event %s is not in a proposal's stream", ev.ID))
	}
	n := len(args)
	sets := fmt.Sprintf(`updated_at = $%d, stream_version = $%d`, n+2, n+3)
	if set != "" {
		sets = set + ", " + sets
	}
	tag, err := tx.Exec(ctx, `UPDATE graph.proposals SET `+sets+` WHERE id = $1`, append(append([]any{id}, args...), at, ev.StreamVersion)...)
	if err != nil {
		return err
	}
	if tag.RowsAffected() != 1 {
		return projector.Permanent(fmt.Errorf("proposal %s is not in the read model", id))
	}
	return nil
}

// Reset implements projector.Projection.
func (Proposals) Reset(ctx context.Context, tx pgx.Tx) error {
	_, err := tx.Exec(ctx, `TRUNCATE graph.proposal_pledge_totals, graph.proposal_pledges, graph.proposal_reviews, graph.proposals RESTART IDENTITY`)
	return err
}
