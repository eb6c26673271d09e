package readmodel

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"passerelle.dev/graph/tables"

	"passerelle.dev/kernel/money"
)

// Count is a number of things sharing a key.
type Count struct {
	Key   string
	Count int
}

// SessionMonth counts a city's sessions in a month of its own calendar.
type SessionMonth struct {
	City, Month                            string
	Sessions, SeatsOffered, SeatsConfirmed int
}

// Stats counts across the read models. It is safe for concurrent use.
type Stats struct{ db tables.Querier }

// NewStats returns the reader.
func NewStats(db tables.Querier) *Stats { return &Stats{db: db} }

func (s *Stats) counts(ctx context.Context, sql string, args ...any) ([]Count, error) {
	rows, err := s.db.Query(ctx, sql, args...)
	if err != nil {
		return nil, fmt.Errorf("stats: %w", err)
	}
	out, err := pgx.CollectRows(rows, pgx.RowToStructByPos[Count])
	if err != nil {
		return nil, fmt.Errorf("stats: %w", err)
	}
	return out, nil
}

// The counts, each by count then key.
const (
	associationsByCitySQL = `SELECT city, count(*)::int FROM graph.associations WHERE status = 'VERIFIED'
		GROUP BY city ORDER BY 2 DESC, 1`
	associationsByOriginSQL = `SELECT c, count(*)::int FROM graph.associations, unnest(origin_countries) c
		WHERE status = 'VERIFIED' GROUP BY c ORDER BY 2 DESC, 1`
	associationsBySectorSQL = `SELECT s, count(*)::int FROM graph.associations, unnest(sectors) s
		WHERE status = 'VERIFIED' GROUP BY s ORDER BY 2 DESC, 1`
	associationsByStatusSQL = `SELECT status, count(*)::int FROM graph.associations GROUP BY status ORDER BY 2 DESC, 1`
	proposalsBySectorSQL    = `SELECT sector, count(*)::int FROM graph.proposals WHERE status <> 'DRAFT' AND sector <> ''
		GROUP BY sector ORDER BY 2 DESC, 1`
	proposalsByStatusSQL = `SELECT status, count(*)::int FROM graph.proposals WHERE status <> 'DRAFT' GROUP BY status ORDER BY 2 DESC, 1`
)

// AssociationsByCity counts verified associations by city.
func (s *Stats) AssociationsByCity(ctx context.Context) ([]Count, error) {
	return s.counts(ctx, associationsByCitySQL)
}

// AssociationsByOriginCountry counts verified associations by country of origin.
func (s *Stats) AssociationsByOriginCountry(ctx context.Context) ([]Count, error) {
	return s.counts(ctx, associationsByOriginSQL)
}

// AssociationsBySector counts verified associations by sector.
func (s *Stats) AssociationsBySector(ctx context.Context) ([]Count, error) {
	return s.counts(ctx, associationsBySectorSQL)
}

// AssociationsByStatus counts associations by status.
func (s *Stats) AssociationsByStatus(ctx context.Context) ([]Count, error) {
	return s.counts(ctx, associationsByStatusSQL)
}

// ProposalsBySector counts proposals past their draft by sector.
func (s *Stats) ProposalsBySector(ctx context.Context) ([]Count, error) {
	return s.counts(ctx, proposalsBySectorSQL)
}

// ProposalsByStatus counts proposals past their draft by status.
func (s *Stats) ProposalsByStatus(ctx context.Context) ([]Count, error) {
	return s.counts(ctx, proposalsByStatusSQL)
}

// SessionsByMonth counts sessions not cancelled per city and month of the city's own
// calendar; city, when not empty, keeps one city.
func (s *Stats) SessionsByMonth(ctx context.Context, city string) ([]SessionMonth, error) {
	rows, err := s.db.Query(ctx, `SELECT city, to_char(start_at AT TIME ZONE time_zone, 'YYYY-MM') AS month, count(*)::int,
			sum(capacity)::int, sum(confirmed_seats)::int
		FROM graph.sessions WHERE status <> 'CANCELLED' AND ($1 = '' OR city = $1)
		GROUP BY 1, 2 ORDER BY 1, 2`, city)
	if err != nil {
		return nil, fmt.Errorf("stats: %w", err)
	}
	out, err := pgx.CollectRows(rows, pgx.RowToStructByPos[SessionMonth])
	if err != nil {
		return nil, fmt.Errorf("stats: %w", err)
	}
	return out, nil
}

// PledgedToApproved sums the money pledged to approved proposals, by currency.
func (s *Stats) PledgedToApproved(ctx context.Context) ([]money.Money, error) {
	rows, err := s.db.Query(ctx, `SELECT sum(t.amount)::bigint, t.currency FROM graph.proposal_pledge_totals t
		JOIN graph.proposals p ON p.id = t.proposal_id WHERE p.status = 'APPROVED' GROUP BY t.currency ORDER BY t.currency`)
	if err != nil {
		return nil, fmt.Errorf("stats: %w", err)
	}
	out, err := pgx.CollectRows(rows, pgx.RowToStructByPos[money.Money])
	if err != nil {
		return nil, fmt.Errorf("stats: %w", err)
	}
	return out, nil
}
