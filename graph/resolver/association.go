package resolver

import (
	"time"

	graphql "github.com/graph-gophers/graphql-go"

	directoryapp "passerelle.dev/directory/app"
	"passerelle.dev/graph/readmodel"
)

// AssociationResolver resolves Association, from the read model or from a command's
// result.
type AssociationResolver struct {
	id              string
	name            string
	city            string
	originCountries []string
	status          string
	registeredAt    time.Time
	verifiedAt      *time.Time
}

func associationFromRow(a readmodel.Association) *AssociationResolver {
	return &AssociationResolver{id: a.ID, name: a.Name, city: a.City, originCountries: a.OriginCountries,
		status: a.Status, registeredAt: a.RegisteredAt, verifiedAt: a.VerifiedAt}
}

func associationFromCommand(a directoryapp.Association) *AssociationResolver {
	return &AssociationResolver{id: a.ID, name: a.Name, city: a.City, originCountries: a.OriginCountries,
		status: a.Status, registeredAt: a.RegisteredAt, verifiedAt: a.VerifiedAt}
}

// ID resolves Association.id.
func (a *AssociationResolver) ID() graphql.ID { return globalID(kindAssociation, a.id) }

// Name resolves Association.name.
func (a *AssociationResolver) Name() string { return a.name }

// City resolves Association.city.
func (a *AssociationResolver) City() string { return a.city }

// OriginCountries resolves Association.originCountries.
func (a *AssociationResolver) OriginCountries() []string { return a.originCountries }

// Status resolves Association.status.
func (a *AssociationResolver) Status() string { return a.status }

// RegisteredAt resolves Association.registeredAt.
func (a *AssociationResolver) RegisteredAt() DateTime { return DateTime{a.registeredAt} }

// VerifiedAt resolves Association.verifiedAt.
func (a *AssociationResolver) VerifiedAt() *DateTime {
	if a.verifiedAt == nil {
		return nil
	}
	return &DateTime{*a.verifiedAt}
}

// AssociationConnectionResolver resolves AssociationConnection.
type AssociationConnectionResolver struct {
	page  readmodel.AssociationPage
	after bool
}

// Edges resolves AssociationConnection.edges.
func (c *AssociationConnectionResolver) Edges() []*AssociationEdgeResolver {
	out := make([]*AssociationEdgeResolver, len(c.page.Items))
	for i, a := range c.page.Items {
		out[i] = &AssociationEdgeResolver{a: a}
	}
	return out
}

// PageInfo resolves AssociationConnection.pageInfo.
func (c *AssociationConnectionResolver) PageInfo() *PageInfoResolver {
	p := &PageInfoResolver{hasNext: c.page.HasNext, hasPrevious: c.after}
	if n := len(c.page.Items); n > 0 {
		start, end := cursorOf(c.page.Items[0].Seq), cursorOf(c.page.Items[n-1].Seq)
		p.start, p.end = &start, &end
	}
	return p
}

// TotalCount resolves AssociationConnection.totalCount.
func (c *AssociationConnectionResolver) TotalCount() int32 { return int32(c.page.Total) }

// AssociationEdgeResolver resolves AssociationEdge.
type AssociationEdgeResolver struct{ a readmodel.Association }

// Cursor resolves AssociationEdge.cursor.
func (e *AssociationEdgeResolver) Cursor() string { return cursorOf(e.a.Seq) }

// Node resolves AssociationEdge.node.
func (e *AssociationEdgeResolver) Node() *AssociationResolver { return associationFromRow(e.a) }

// PageInfoResolver resolves PageInfo.
type PageInfoResolver struct {
	hasNext, hasPrevious bool
	start, end           *string
}

// HasNextPage resolves PageInfo.hasNextPage.
func (p *PageInfoResolver) HasNextPage() bool { return p.hasNext }

// HasPreviousPage resolves PageInfo.hasPreviousPage: true when the page starts after a
// cursor, as Relay allows for forward pagination.
func (p *PageInfoResolver) HasPreviousPage() bool { return p.hasPrevious }

// StartCursor resolves PageInfo.startCursor.
func (p *PageInfoResolver) StartCursor() *string { return p.start }

// EndCursor resolves PageInfo.endCursor.
func (p *PageInfoResolver) EndCursor() *string { return p.end }
