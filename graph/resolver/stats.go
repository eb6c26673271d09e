package resolver

import (
	"context"

	"passerelle.dev/graph/readmodel"
)

// Stats resolves Query.stats.
func (r *Resolver) Stats() *StatsResolver { return &StatsResolver{r: r} }

// StatsResolver resolves Stats: aggregate counts, which hold no personal data.
type StatsResolver struct{ r *Resolver }

func (s *StatsResolver) counts(ctx context.Context, read func(context.Context) ([]readmodel.Count, error)) ([]*CountResolver, error) {
	list, err := read(ctx)
	if err != nil {
		return nil, toGraphQL(ctx, s.r.deps.Logger, err)
	}
	out := make([]*CountResolver, len(list))
	for i, c := range list {
		out[i] = &CountResolver{c}
	}
	return out, nil
}

// AssociationsByCity resolves Stats.associationsByCity.
func (s *StatsResolver) AssociationsByCity(ctx context.Context) ([]*CountResolver, error) {
	return s.counts(ctx, s.r.deps.Stats.AssociationsByCity)
}

// AssociationsByOriginCountry resolves Stats.associationsByOriginCountry.
func (s *StatsResolver) AssociationsByOriginCountry(ctx context.Context) ([]*CountResolver, error) {
	return s.counts(ctx, s.r.deps.Stats.AssociationsByOriginCountry)
}

// AssociationsBySector resolves Stats.associationsBySector.
func (s *StatsResolver) AssociationsBySector(ctx context.Context) ([]*CountResolver, error) {
	return s.counts(ctx, s.r.deps.Stats.AssociationsBySector)
}

// AssociationsByStatus resolves Stats.associationsByStatus.
func (s *StatsResolver) AssociationsByStatus(ctx context.Context) ([]*CountResolver, error) {
	return s.counts(ctx, s.r.deps.Stats.AssociationsByStatus)
}

// ProposalsBySector resolves Stats.proposalsBySector.
func (s *StatsResolver) ProposalsBySector(ctx context.Context) ([]*CountResolver, error) {
	return s.counts(ctx, s.r.deps.Stats.ProposalsBySector)
}

// ProposalsByStatus resolves Stats.proposalsByStatus.
func (s *StatsResolver) ProposalsByStatus(ctx context.Context) ([]*CountResolver, error) {
	return s.counts(ctx, s.r.deps.Stats.ProposalsByStatus)
}

// SessionsByMonth resolves Stats.sessionsByMonth.
func (s *StatsResolver) SessionsByMonth(ctx context.Context, args struct{ City *string }) ([]*SessionMonthResolver, error) {
	list, err := s.r.deps.Stats.SessionsByMonth(ctx, stringOf(args.City))
	if err != nil {
		return nil, toGraphQL(ctx, s.r.deps.Logger, err)
	}
	out := make([]*SessionMonthResolver, len(list))
	for i, m := range list {
		out[i] = &SessionMonthResolver{m}
	}
	return out, nil
}

// PledgedTotals resolves Stats.pledgedTotals.
func (s *StatsResolver) PledgedTotals(ctx context.Context) ([]*MoneyResolver, error) {
	list, err := s.r.deps.Stats.PledgedToApproved(ctx)
	if err != nil {
		return nil, toGraphQL(ctx, s.r.deps.Logger, err)
	}
	out := make([]*MoneyResolver, len(list))
	for i, m := range list {
		out[i] = &MoneyResolver{m}
	}
	return out, nil
}

// CountResolver resolves Count.
type CountResolver struct{ c readmodel.Count }

// Key resolves Count.key.
func (c *CountResolver) Key() string { return c.c.Key }

// Count resolves Count.count.
func (c *CountResolver) Count() int32 { return int32(c.c.Count) }

// SessionMonthResolver resolves SessionMonth.
type SessionMonthResolver struct{ m readmodel.SessionMonth }

// City resolves SessionMonth.city.
func (m *SessionMonthResolver) City() string { return m.m.City }

// Month resolves SessionMonth.month.
func (m *SessionMonthResolver) Month() string { return m.m.Month }

// Sessions resolves SessionMonth.sessions.
func (m *SessionMonthResolver) Sessions() int32 { return int32(m.m.Sessions) }

// SeatsOffered resolves SessionMonth.seatsOffered.
func (m *SessionMonthResolver) SeatsOffered() int32 { return int32(m.m.SeatsOffered) }

// SeatsConfirmed resolves SessionMonth.seatsConfirmed.
func (m *SessionMonthResolver) SeatsConfirmed() int32 { return int32(m.m.SeatsConfirmed) }
