package resolver

import (
	"context"

	graphql "github.com/graph-gophers/graphql-go"

	directoryapp "passerelle.dev/directory/app"
	"passerelle.dev/events"
	"passerelle.dev/graph/readmodel"
	"passerelle.dev/kernel/fault"
	"passerelle.dev/servicekit/auth"
)

// AssociationResolver resolves Association from a read model row. What a reader may not
// see (contact, status reason, possible duplicates) it decides here, per reader.
type AssociationResolver struct {
	r      *Resolver
	row    readmodel.Association
	reader events.Actor
	// b are the batches of the request (or of the subscription's event) that built it.
	b *batches
	// ctx is the request's, kept for City, which loads the request's cities once and
	// takes no context of its own: graphql-go would run it in a goroutine of its own,
	// with every field beside it, on every row of a directory page.
	ctx context.Context
}

// association wraps a row for the request's reader, and queues its sealed contact for
// opening when the reader may see it.
func (r *Resolver) association(ctx context.Context, row readmodel.Association) *AssociationResolver {
	reader, b := auth.ActorFrom(ctx), batchesOf(ctx)
	if row.ContactCiphertext != nil && mayReadPrivate(reader, row) {
		b.contacts.queue(row.ID, row.ContactCiphertext)
	}
	return &AssociationResolver{r: r, row: row, reader: reader, b: b, ctx: ctx}
}

// rowFromCommand stands in for the read model when it is late: the association as the
// command left it, without its sealed contact.
func rowFromCommand(a directoryapp.Association) readmodel.Association {
	return readmodel.Association{
		ID: a.ID, Name: a.Name, Acronym: a.Acronym, Kind: a.Kind, OriginCountries: a.OriginCountries, City: a.City,
		CountryOfResidence: a.CountryOfResidence, Sectors: a.Sectors, Languages: a.Languages,
		DescriptionEN: a.Description.EN, DescriptionFR: a.Description.FR, DescriptionES: a.Description.ES,
		Website: a.Website, MemberCount: a.MemberCount, YearFounded: a.YearFounded, Status: a.Status,
		StatusReason: a.StatusReason, RegisteredAt: a.RegisteredAt, VerifiedAt: a.VerifiedAt,
	}
}

func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func optionalInt(n *int) *int32 {
	if n == nil {
		return nil
	}
	v := int32(*n)
	return &v
}

// ID resolves Association.id.
func (a *AssociationResolver) ID() graphql.ID { return globalID(kindAssociation, a.row.ID) }

// Name resolves Association.name.
func (a *AssociationResolver) Name() string { return a.row.Name }

// Acronym resolves Association.acronym.
func (a *AssociationResolver) Acronym() *string { return optional(a.row.Acronym) }

// Kind resolves Association.kind.
func (a *AssociationResolver) Kind() string { return a.row.Kind }

// OriginCountries resolves Association.originCountries.
func (a *AssociationResolver) OriginCountries() []string { return a.row.OriginCountries }

// City resolves Association.city. The cities are read once per request, however many
// associations ask; null (an error in a non-null field) if that read fails.
func (a *AssociationResolver) City() *CityResolver {
	c, ok, err := a.b.cities.get(a.ctx, a.row.City, a.r.citiesBySlug)
	if err != nil || !ok {
		a.r.deps.Logger.ErrorContext(a.ctx, "an association's city does not load", "association", a.row.ID, "city", a.row.City, "err", err)
		return nil
	}
	return &CityResolver{r: a.r, row: c}
}

// CountryOfResidence resolves Association.countryOfResidence.
func (a *AssociationResolver) CountryOfResidence() string { return a.row.CountryOfResidence }

// Sectors resolves Association.sectors.
func (a *AssociationResolver) Sectors() []string { return nonNil(a.row.Sectors) }

// Languages resolves Association.languages.
func (a *AssociationResolver) Languages() []string { return nonNil(a.row.Languages) }

// nonNil is an empty list for nil: GraphQL lists declared non-null.
func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// Description resolves Association.description.
func (a *AssociationResolver) Description() *DescriptionResolver {
	return &DescriptionResolver{en: a.row.DescriptionEN, fr: a.row.DescriptionFR, es: a.row.DescriptionES}
}

// Website resolves Association.website.
func (a *AssociationResolver) Website() *string { return optional(a.row.Website) }

// MemberCount resolves Association.memberCount.
func (a *AssociationResolver) MemberCount() *int32 { return optionalInt(a.row.MemberCount) }

// YearFounded resolves Association.yearFounded.
func (a *AssociationResolver) YearFounded() *int32 { return optionalInt(a.row.YearFounded) }

// Status resolves Association.status.
func (a *AssociationResolver) Status() string { return a.row.Status }

// StatusReason resolves Association.statusReason, for those who may read it.
func (a *AssociationResolver) StatusReason() *string {
	if !mayReadPrivate(a.reader, a.row) {
		return nil
	}
	return optional(a.row.StatusReason)
}

// RegisteredAt resolves Association.registeredAt.
func (a *AssociationResolver) RegisteredAt() DateTime { return DateTime{a.row.RegisteredAt} }

// VerifiedAt resolves Association.verifiedAt.
func (a *AssociationResolver) VerifiedAt() *DateTime {
	if a.row.VerifiedAt == nil {
		return nil
	}
	return &DateTime{*a.row.VerifiedAt}
}

// Contact resolves Association.contact: null unless the reader may see it and there is
// one; erased once forgotten.
func (a *AssociationResolver) Contact(ctx context.Context) (*ContactPersonResolver, error) {
	if !mayReadPrivate(a.reader, a.row) {
		return nil, nil
	}
	if a.row.ContactErased && a.row.ContactCiphertext == nil {
		return &ContactPersonResolver{erased: true}, nil
	}
	if a.row.ContactCiphertext == nil {
		return nil, nil
	}
	req := directoryapp.Request{Actor: a.reader, CorrelationID: requestInfo(ctx).CorrelationID}
	c, ok, err := a.b.contacts.get(ctx, a.r.deps.Directory, req, a.row.ID)
	if err != nil {
		return nil, toGraphQL(ctx, a.r.deps.Logger, err)
	}
	if !ok {
		return nil, nil
	}
	if c.Erased || c.Contact == nil {
		return &ContactPersonResolver{erased: true}, nil
	}
	return &ContactPersonResolver{name: c.Contact.Name, email: c.Contact.Email, phone: c.Contact.Phone}, nil
}

// PossibleDuplicates resolves Association.possibleDuplicates, for those who moderate the
// association.
func (a *AssociationResolver) PossibleDuplicates(ctx context.Context) (*[]*AssociationResolver, error) {
	if !mayModerate(a.reader, a.row) {
		return nil, NewError(fault.Forbidden, "possible duplicates are for coordinators of the association's city and admins")
	}
	rows, err := a.r.deps.Associations.PossibleDuplicates(ctx, a.row.ID)
	if err != nil {
		return nil, toGraphQL(ctx, a.r.deps.Logger, err)
	}
	out := make([]*AssociationResolver, len(rows))
	for i, row := range rows {
		out[i] = a.r.association(ctx, row)
	}
	return &out, nil
}

// DescriptionResolver resolves Description.
type DescriptionResolver struct{ en, fr, es string }

// En resolves Description.en.
func (d *DescriptionResolver) En() *string { return optional(d.en) }

// Fr resolves Description.fr.
func (d *DescriptionResolver) Fr() *string { return optional(d.fr) }

// Es resolves Description.es.
func (d *DescriptionResolver) Es() *string { return optional(d.es) }

// ContactPersonResolver resolves ContactPerson.
type ContactPersonResolver struct {
	name, email, phone string
	erased             bool
}

// Name resolves ContactPerson.name.
func (c *ContactPersonResolver) Name() *string { return optional(c.name) }

// Email resolves ContactPerson.email.
func (c *ContactPersonResolver) Email() *string { return optional(c.email) }

// Phone resolves ContactPerson.phone.
func (c *ContactPersonResolver) Phone() *string { return optional(c.phone) }

// Erased resolves ContactPerson.erased.
func (c *ContactPersonResolver) Erased() bool { return c.erased }

// AssociationConnectionResolver resolves AssociationConnection.
type AssociationConnectionResolver struct {
	nodes []*AssociationResolver
	page  readmodel.AssociationPage
	order readmodel.Order
	after bool
}

// Edges resolves AssociationConnection.edges.
func (c *AssociationConnectionResolver) Edges() []*AssociationEdgeResolver {
	out := make([]*AssociationEdgeResolver, len(c.nodes))
	for i, n := range c.nodes {
		out[i] = &AssociationEdgeResolver{node: n, cursor: encodeCursor(readmodel.CursorOf(n.row, c.order))}
	}
	return out
}

// PageInfo resolves AssociationConnection.pageInfo.
func (c *AssociationConnectionResolver) PageInfo() *PageInfoResolver {
	p := &PageInfoResolver{hasNext: c.page.HasNext, hasPrevious: c.after}
	if n := len(c.nodes); n > 0 {
		start := encodeCursor(readmodel.CursorOf(c.nodes[0].row, c.order))
		end := encodeCursor(readmodel.CursorOf(c.nodes[n-1].row, c.order))
		p.start, p.end = &start, &end
	}
	return p
}

// TotalCount resolves AssociationConnection.totalCount.
func (c *AssociationConnectionResolver) TotalCount() int32 { return int32(c.page.Total) }

// AssociationEdgeResolver resolves AssociationEdge.
type AssociationEdgeResolver struct {
	node   *AssociationResolver
	cursor string
}

// Cursor resolves AssociationEdge.cursor.
func (e *AssociationEdgeResolver) Cursor() string { return e.cursor }

// Node resolves AssociationEdge.node.
func (e *AssociationEdgeResolver) Node() *AssociationResolver { return e.node }

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
