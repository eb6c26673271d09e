package resolver

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"
	"time"

	graphql "github.com/graph-gophers/graphql-go"

	"passerelle.dev/directory/domain/association"
	"passerelle.dev/events"
	"passerelle.dev/events/sessionevents"
	"passerelle.dev/graph/calendar"
	"passerelle.dev/graph/readmodel"
	"passerelle.dev/graph/tables"
	"passerelle.dev/kernel/fault"
	"passerelle.dev/servicekit/auth"
	"passerelle.dev/sessions/domain/session"
)

// Kinds of global ids of the Dialogue en continu.
const (
	kindSession      = "DialogueSession"
	kindRegistration = "SessionRegistration"
	kindCoordinator  = "Coordinator"
	kindCity         = "City"
)

// Cities resolves Query.cities.
func (r *Resolver) Cities(ctx context.Context) ([]*CityResolver, error) {
	cities, err := r.deps.Sessions.Cities(ctx)
	if err != nil {
		return nil, toGraphQL(ctx, r.deps.Logger, err)
	}
	out := make([]*CityResolver, len(cities))
	for i, c := range cities {
		out[i] = &CityResolver{r: r, row: c}
	}
	return out, nil
}

// City resolves Query.city.
func (r *Resolver) City(ctx context.Context, args struct{ Slug string }) (*CityResolver, error) {
	c, ok, err := r.deps.Sessions.City(ctx, args.Slug)
	if err != nil || !ok {
		return nil, toGraphQL(ctx, r.deps.Logger, err)
	}
	return &CityResolver{r: r, row: c}, nil
}

// CityResolver resolves City.
type CityResolver struct {
	r   *Resolver
	row readmodel.City
}

// ID resolves City.id.
func (c *CityResolver) ID() graphql.ID { return globalID(kindCity, c.row.Slug) }

// Slug resolves City.slug.
func (c *CityResolver) Slug() string { return c.row.Slug }

// Name resolves City.name.
func (c *CityResolver) Name() string { return c.row.Name }

// TimeZone resolves City.timeZone.
func (c *CityResolver) TimeZone() string { return c.row.TimeZone }

// Country resolves City.country.
func (c *CityResolver) Country() string { return c.row.Country }

// CalendarPath resolves City.calendarPath.
func (c *CityResolver) CalendarPath() string { return calendar.CityPath(c.row.Slug) }

// Coordinators resolves City.coordinators: for admins and the city's coordinators.
func (c *CityResolver) Coordinators(ctx context.Context) (*[]*CoordinatorResolver, error) {
	reader := auth.ActorFrom(ctx)
	if !reader.IsAdmin() && !reader.CoordinatesCity(c.row.Slug) {
		return nil, nil
	}
	list, err := c.r.deps.Sessions.Coordinators(ctx, c.row.Slug)
	if err != nil {
		return nil, toGraphQL(ctx, c.r.deps.Logger, err)
	}
	out := make([]*CoordinatorResolver, len(list))
	for i, co := range list {
		out[i] = &CoordinatorResolver{r: c.r, row: co, city: c}
	}
	return &out, nil
}

// CoordinatorResolver resolves Coordinator.
type CoordinatorResolver struct {
	r   *Resolver
	row readmodel.Coordinator
	// city is the coordinator's city when the one who built it had it.
	city *CityResolver
}

// ID resolves Coordinator.id.
func (c *CoordinatorResolver) ID() graphql.ID { return globalID(kindCoordinator, c.row.ID) }

// Name resolves Coordinator.name.
func (c *CoordinatorResolver) Name() string { return c.row.Name }

// City resolves Coordinator.city.
func (c *CoordinatorResolver) City(ctx context.Context) (*CityResolver, error) {
	if c.city != nil {
		return c.city, nil
	}
	return c.r.cityBySlug(ctx, c.row.City)
}

// cityBySlug is a city that must exist (an object names it): its absence is an error.
func (r *Resolver) cityBySlug(ctx context.Context, slug string) (*CityResolver, error) {
	row, ok, err := batchesOf(ctx).cities.get(ctx, slug, r.citiesBySlug)
	if err != nil {
		return nil, toGraphQL(ctx, r.deps.Logger, err)
	}
	if !ok {
		return nil, toGraphQL(ctx, r.deps.Logger, fmt.Errorf("no city %q in the read model", slug))
	}
	return &CityResolver{r: r, row: row}, nil
}

// AppointedAt resolves Coordinator.appointedAt.
func (c *CoordinatorResolver) AppointedAt() DateTime { return DateTime{c.row.AppointedAt} }

// DialogueSession resolves Query.dialogueSession.
func (r *Resolver) DialogueSession(ctx context.Context, args AsOfArgs) (*SessionResolver, error) {
	id, err := parseGlobalID(args.ID, kindSession)
	if err != nil {
		return nil, err
	}
	if args.AsOf != nil {
		return r.pastSession(ctx, id, args.AsOf.Time)
	}
	s, ok, err := r.deps.Sessions.Session(ctx, id)
	if err != nil || !ok {
		return nil, toGraphQL(ctx, r.deps.Logger, err)
	}
	return r.oneSession(ctx, s, "")
}

// pastSession is a session as of asOf, with the registrations it had then; its status
// (held or not, registration open or not) is told at that instant.
func (r *Resolver) pastSession(ctx context.Context, id string, asOf time.Time) (*SessionResolver, error) {
	tables.ReadOutside(ctx) // the event log
	past, ok, err := r.deps.Past.Session(ctx, id, asOf)
	if err != nil || !ok {
		return nil, toGraphQL(ctx, r.deps.Logger, err)
	}
	b := newBatches()
	b.registrations.preload(id, nonNil(past.Registrations))
	s, err := r.oneSession(withBatchesOf(ctx, b), past.Session, "")
	if err != nil {
		return nil, err
	}
	if asOf.Before(s.now) {
		s.now = asOf
	}
	return s, nil
}

// SessionFilterInput is the DialogueSessionFilter input.
type SessionFilterInput struct {
	City          *string
	From, To      *DateTime
	Theme         *string
	OriginCountry *string
	Status        *string
}

func (r *Resolver) sessionFilter(ctx context.Context, f *SessionFilterInput) (readmodel.SessionFilter, error) {
	out := readmodel.SessionFilter{Now: r.deps.Now()}
	if f == nil {
		return out, nil
	}
	if f.City != nil {
		_, ok, err := r.deps.Sessions.City(ctx, *f.City)
		if err != nil {
			return out, err
		}
		if !ok {
			return out, &Error{code: fault.BadUserInput, message: fmt.Sprintf("%q is not a city of the dialogue", *f.City), details: map[string]any{"field": "city"}}
		}
		out.City = *f.City
	}
	if f.OriginCountry != nil {
		c, err := association.ParseCountryCode(*f.OriginCountry)
		if err != nil {
			return out, err
		}
		out.OriginCountry = c.String()
	}
	if f.From != nil {
		out.From = &f.From.Time
	}
	if f.To != nil {
		out.To = &f.To.Time
	}
	out.Theme, out.Status = stringOf(f.Theme), stringOf(f.Status) // enums graphql-go checked
	return out, nil
}

// DialogueSessions resolves Query.dialogueSessions.
func (r *Resolver) DialogueSessions(ctx context.Context, args struct {
	First  *int32
	After  *string
	Filter *SessionFilterInput
}) (*SessionConnectionResolver, error) {
	first := int32(20)
	if args.First != nil {
		first = *args.First
	}
	if first < 0 || first > MaxPageSize {
		return nil, badInput("first must be between 0 and 100")
	}
	var after *readmodel.SessionCursor
	if args.After != nil {
		c, err := decodeSessionCursor(*args.After)
		if err != nil {
			return nil, err
		}
		after = c
	}
	filter, err := r.sessionFilter(ctx, args.Filter)
	if err != nil {
		return nil, toGraphQL(ctx, r.deps.Logger, err)
	}
	page, err := r.deps.Sessions.List(ctx, filter, after, int(first))
	if err != nil {
		return nil, toGraphQL(ctx, r.deps.Logger, err)
	}
	nodes, err := r.sessions(ctx, page.Items, "edges.node.")
	if err != nil {
		return nil, err
	}
	return &SessionConnectionResolver{nodes: nodes, page: page, after: after != nil}, nil
}

// sessionCursor is a session cursor's content: the start and sequence of the session it
// points after.
type sessionCursor struct {
	Order string    `json:"o"`
	At    time.Time `json:"t"`
	Seq   int64     `json:"s"`
}

func encodeSessionCursor(s readmodel.Session) string {
	b, _ := json.Marshal(sessionCursor{Order: "S", At: s.Start, Seq: s.Seq})
	return base64.RawURLEncoding.EncodeToString(b)
}

func decodeSessionCursor(s string) (*readmodel.SessionCursor, error) {
	raw, err := base64.RawURLEncoding.DecodeString(s)
	var c sessionCursor
	if err != nil || json.Unmarshal(raw, &c) != nil || c.Order != "S" || c.Seq < 0 {
		return nil, badInput("malformed cursor: pass an endCursor or an edge cursor from an earlier page of sessions")
	}
	return &readmodel.SessionCursor{Start: c.At, Seq: c.Seq}, nil
}

// SessionConnectionResolver resolves DialogueSessionConnection.
type SessionConnectionResolver struct {
	nodes []*SessionResolver
	page  readmodel.SessionPage
	after bool
}

// Edges resolves DialogueSessionConnection.edges.
func (c *SessionConnectionResolver) Edges() []*SessionEdgeResolver {
	out := make([]*SessionEdgeResolver, len(c.nodes))
	for i, n := range c.nodes {
		out[i] = &SessionEdgeResolver{node: n}
	}
	return out
}

// PageInfo resolves DialogueSessionConnection.pageInfo.
func (c *SessionConnectionResolver) PageInfo() *PageInfoResolver {
	p := &PageInfoResolver{hasNext: c.page.HasNext, hasPrevious: c.after}
	if n := len(c.nodes); n > 0 {
		start, end := encodeSessionCursor(c.nodes[0].row), encodeSessionCursor(c.nodes[n-1].row)
		p.start, p.end = &start, &end
	}
	return p
}

// TotalCount resolves DialogueSessionConnection.totalCount.
func (c *SessionConnectionResolver) TotalCount() int32 { return int32(c.page.Total) }

// SessionEdgeResolver resolves DialogueSessionEdge.
type SessionEdgeResolver struct{ node *SessionResolver }

// Cursor resolves DialogueSessionEdge.cursor.
func (e *SessionEdgeResolver) Cursor() string { return encodeSessionCursor(e.node.row) }

// Node resolves DialogueSessionEdge.node.
func (e *SessionEdgeResolver) Node() *SessionResolver { return e.node }

// SessionResolver resolves DialogueSession from a read model row, for one reader. Who
// registered it shows only to those who may see it.
type SessionResolver struct {
	r      *Resolver
	row    readmodel.Session
	reader events.Actor
	now    time.Time
	b      *batches
	// loc is the city's zone, loaded when the resolver is built: the times' fields then
	// take no context, and graphql-go does not run each in a goroutine of its own.
	loc *time.Location
	// links are the session's city, registrations and proposals, loaded for a whole list
	// of sessions at once by linkSessions when the query selects them. Their fields then
	// take no context either: graphql-go runs a field that takes one (or returns an
	// error) in a goroutine of its own, with every field beside it and every parent, and
	// a calendar page of twenty sessions with their registrations started hundreds.
	links sessionLinks
	// ctx is the request's context, kept only for linked's fallback: links a list did
	// not load because the query's selection did not show them.
	ctx      context.Context
	linkOnce sync.Once
	fallback sessionLinks
}

// sessionLinks are what a session links to, as its reader may see them.
type sessionLinks struct {
	loaded        link
	city          *CityResolver
	registrations []*RegistrationResolver
	proposals     []*ProposalResolver
}

// session wraps a row for the request's reader, and queues its registrations for loading
// when the reader may see some: a page of sessions costs one query for all of them.
func (r *Resolver) session(ctx context.Context, row readmodel.Session) *SessionResolver {
	reader, b := auth.ActorFrom(ctx), batchesOf(ctx)
	if seesRegistrations(reader, row) != noRegistrations {
		b.registrations.queue(row.ID)
	}
	b.cities.queue(row.City)
	b.sessionProposals.queue(row.ID)
	loc, err := r.zones.load(row.TimeZone)
	if err != nil {
		// Zones are checked when a city opens, and their data is in the binary: this
		// cannot happen short of a bug. The times then resolve to null, which their
		// non-null fields turn into an error for the client.
		r.deps.Logger.ErrorContext(ctx, "a session's time zone does not load", "session", row.ID, "zone", row.TimeZone, "err", err)
	}
	return &SessionResolver{r: r, row: row, reader: reader, now: r.deps.Now(), b: b, loc: loc, ctx: ctx}
}

// sessions wraps rows for the request's reader, and loads the links the query selects
// under each of them for all of them at once: at are the paths of a session from the
// current field ("edges.node." in a connection, "" for the field itself).
func (r *Resolver) sessions(ctx context.Context, rows []readmodel.Session, at ...string) ([]*SessionResolver, error) {
	out := make([]*SessionResolver, len(rows))
	for i, row := range rows {
		out[i] = r.session(ctx, row)
	}
	if err := r.linkSessions(ctx, out, selectionAt(ctx, at...)); err != nil {
		return nil, err
	}
	return out, nil
}

// oneSession is sessions for a single row.
func (r *Resolver) oneSession(ctx context.Context, row readmodel.Session, at string) (*SessionResolver, error) {
	out, err := r.sessions(ctx, []readmodel.Session{row}, at)
	if err != nil {
		return nil, err
	}
	return out[0], nil
}

// linkSessions loads the selected links of sessions: one query per kind of link,
// whatever the number of sessions.
func (r *Resolver) linkSessions(ctx context.Context, ss []*SessionResolver, sel selection) error {
	if len(ss) == 0 {
		return nil
	}
	b := ss[0].b
	if sel.has("city") {
		for _, s := range ss {
			c, ok, err := b.cities.get(ctx, s.row.City, r.citiesBySlug)
			if err != nil {
				return toGraphQL(ctx, r.deps.Logger, err)
			}
			if !ok { // the cities projection is behind the sessions projection
				c = readmodel.City{Slug: s.row.City, Name: s.row.City, TimeZone: s.row.TimeZone}
			}
			s.links.city = &CityResolver{r: r, row: c}
			s.links.loaded |= linkCity
		}
	}
	if sel.has("registrations") {
		withAssociations := sel.has("registrations.association")
		namesOnly := withAssociations && sel.only("registrations.association", "id", "name")
		if withAssociations {
			if err := r.loadRegistrationsWithAssociations(ctx, b, ss, namesOnly); err != nil {
				return err
			}
		}
		var all []*RegistrationResolver
		for _, s := range ss {
			s.links.registrations = []*RegistrationResolver{}
			s.links.loaded |= linkRegistrations
			sight := seesRegistrations(s.reader, s.row)
			if sight == noRegistrations {
				continue
			}
			regs, err := r.registrationsOf(ctx, b, s.row.ID)
			if err != nil {
				return toGraphQL(ctx, r.deps.Logger, err)
			}
			for _, reg := range regs {
				if sight == allRegistrations || s.reader.SpeaksFor(reg.AssociationID) {
					g := r.registration(withBatchesOf(ctx, b), reg)
					s.links.registrations = append(s.links.registrations, g)
					all = append(all, g)
				}
			}
		}
		if namesOnly {
			for _, g := range all {
				if a, ok := b.associationNames[g.row.AssociationID]; ok {
					g.assoc = r.association(withBatchesOf(ctx, b), a)
				}
			}
		} else if err := r.withAssociations(ctx, withAssociations, all); err != nil {
			return err
		}
	}
	if sel.has("proposals") {
		vis := proposalVisibility(ss[0].reader)
		var all []*ProposalResolver
		for _, s := range ss {
			list, _, err := b.sessionProposals.get(ctx, s.row.ID, func(ctx context.Context, ids []string) (map[string][]readmodel.Proposal, error) {
				return r.deps.Proposals.BySession(ctx, ids, vis)
			})
			if err != nil {
				return toGraphQL(ctx, r.deps.Logger, err)
			}
			s.links.proposals = make([]*ProposalResolver, len(list))
			for i, p := range list {
				s.links.proposals[i] = r.proposal(withBatchesOf(ctx, b), p)
			}
			s.links.loaded |= linkProposals
			all = append(all, s.links.proposals...)
		}
		if err := r.linkProposals(withBatchesOf(ctx, b), all, sel.under("proposals.")); err != nil {
			return err
		}
	}
	return nil
}

// loadRegistrationsWithAssociations loads, in one round trip, the registrations of the
// sessions whose registrations the reader sees and the associations behind them, into
// the request's batches.
//
// With namesOnly, the associations come with their ids and names only, into
// b.associationNames.
func (r *Resolver) loadRegistrationsWithAssociations(ctx context.Context, b *batches, ss []*SessionResolver, namesOnly bool) error {
	var ids []string
	for _, s := range ss {
		if seesRegistrations(s.reader, s.row) != noRegistrations && !b.registrations.has(s.row.ID) {
			ids = append(ids, s.row.ID)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	regs, assocs, err := r.deps.Sessions.RegistrationsWithAssociations(ctx, ids, visibility(ss[0].reader), namesOnly)
	if err != nil {
		return toGraphQL(ctx, r.deps.Logger, err)
	}
	b.registrations.settle(ids, regs)
	if namesOnly {
		if b.associationNames == nil {
			b.associationNames = map[string]readmodel.Association{}
		}
		maps.Copy(b.associationNames, assocs)
		return nil
	}
	var assocIDs []string
	for _, list := range regs {
		for _, reg := range list {
			assocIDs = append(assocIDs, reg.AssociationID)
		}
	}
	b.associations.settle(assocIDs, assocs)
	return nil
}

// linked returns the session's links with kind among them. A kind its list did not load
// (a selection graphql-go did not show) loads here, with every other, once: a null in a
// non-null field, and a logged error, if that fails.
func (s *SessionResolver) linked(kind link) sessionLinks {
	if s.links.loaded&kind != 0 {
		return s.links
	}
	s.linkOnce.Do(func() {
		// Into a copy: other fields may be reading s.links meanwhile.
		c := &SessionResolver{r: s.r, row: s.row, reader: s.reader, now: s.now, b: s.b, loc: s.loc, ctx: s.ctx}
		if err := s.r.linkSessions(s.ctx, []*SessionResolver{c}, selection{}); err != nil {
			s.r.deps.Logger.ErrorContext(s.ctx, "a session's links do not load", "session", s.row.ID, "err", err)
		}
		s.fallback = c.links
	})
	return s.fallback
}

// citiesBySlug loads every city: there are a handful.
func (r *Resolver) citiesBySlug(ctx context.Context, _ []string) (map[string]readmodel.City, error) {
	all, err := r.deps.Sessions.Cities(ctx)
	if err != nil {
		return nil, err
	}
	bySlug := make(map[string]readmodel.City, len(all))
	for _, c := range all {
		bySlug[c.Slug] = c
	}
	return bySlug, nil
}

// selection tells which fields a query selects under the paths of an object from the
// current field. When graphql-go shows no selection (an object built outside a field's
// resolver), every field counts as selected.
type selection struct {
	ctx   context.Context
	at    []string
	known bool
}

func selectionAt(ctx context.Context, at ...string) selection {
	if len(at) == 0 {
		at = []string{""}
	}
	return selection{ctx: ctx, at: at, known: len(graphql.SelectedFieldNames(ctx)) > 0}
}

// under is the selection of the objects at path under these.
func (s selection) under(path string) selection {
	at := make([]string, len(s.at))
	for i, a := range s.at {
		at[i] = a + path
	}
	return selection{ctx: s.ctx, at: at, known: s.known}
}

// only tells whether the fields selected under path (under any of the paths) are among
// allowed; false when graphql-go shows no selection.
func (s selection) only(path string, allowed ...string) bool {
	if !s.known {
		return false
	}
	for _, f := range graphql.SelectedFieldNames(s.ctx) {
		for _, at := range s.at {
			rest, ok := strings.CutPrefix(f, at+path+".")
			if ok && !slices.Contains(allowed, rest) {
				return false
			}
		}
	}
	return true
}

// has tells whether field (a dotted path) is selected under any of the paths.
func (s selection) has(field string) bool {
	if !s.known {
		return true
	}
	for _, at := range s.at {
		if graphql.HasSelectedField(s.ctx, at+field) {
			return true
		}
	}
	return false
}

// registrationSight is which registrations of a session a reader sees.
type registrationSight int

const (
	noRegistrations registrationSight = iota
	ownRegistration
	allRegistrations
)

// seesRegistrations is who sees which registrations: coordinators of the city and
// admins all of them, an association its own, anybody else none. Which associations
// register for a dialogue with their countries of origin can endanger their members.
func seesRegistrations(a events.Actor, s readmodel.Session) registrationSight {
	switch {
	case a.IsAdmin() || a.CoordinatesCity(s.City):
		return allRegistrations
	case a.Role == events.RoleAssociation && a.AssociationID != "":
		return ownRegistration
	}
	return noRegistrations
}

// ID resolves DialogueSession.id.
func (s *SessionResolver) ID() graphql.ID { return globalID(kindSession, s.row.ID) }

// City resolves DialogueSession.city. The cities are read once per request, however many
// sessions ask.
func (s *SessionResolver) City() *CityResolver { return s.linked(linkCity).city }

// Title resolves DialogueSession.title.
func (s *SessionResolver) Title() *LocalizedTextResolver {
	return &LocalizedTextResolver{s.row.Title.EN, s.row.Title.FR, s.row.Title.ES}
}

// Description resolves DialogueSession.description.
func (s *SessionResolver) Description() *LocalizedTextResolver {
	return &LocalizedTextResolver{s.row.Description.EN, s.row.Description.FR, s.row.Description.ES}
}

// Theme resolves DialogueSession.theme.
func (s *SessionResolver) Theme() string { return s.row.Theme }

// OriginCountries resolves DialogueSession.originCountries.
func (s *SessionResolver) OriginCountries() []string { return s.row.OriginCountries }

// Venue resolves DialogueSession.venue.
func (s *SessionResolver) Venue() *VenueResolver {
	return &VenueResolver{s.row.Venue.Name, s.row.Venue.Address}
}

func (s *SessionResolver) at(t time.Time) *SessionTimeResolver {
	if s.loc == nil {
		return nil
	}
	return &SessionTimeResolver{t: t.In(s.loc), zone: s.row.TimeZone}
}

// Start resolves DialogueSession.start.
func (s *SessionResolver) Start() *SessionTimeResolver { return s.at(s.row.Start) }

// End resolves DialogueSession.end.
func (s *SessionResolver) End() *SessionTimeResolver { return s.at(s.row.End) }

// RegistrationDeadline resolves DialogueSession.registrationDeadline.
func (s *SessionResolver) RegistrationDeadline() *SessionTimeResolver { return s.at(s.row.Deadline) }

// DurationMinutes resolves DialogueSession.durationMinutes.
func (s *SessionResolver) DurationMinutes() int32 { return int32(s.row.DurationMinutes) }

// RegistrationOpen resolves DialogueSession.registrationOpen.
func (s *SessionResolver) RegistrationOpen() bool {
	return s.row.Status == "SCHEDULED" && s.now.Before(s.row.Deadline)
}

// CheckInOpen resolves DialogueSession.checkInOpen: the session's day on the city's
// clocks, by the rule the sessions service applies.
func (s *SessionResolver) CheckInOpen() bool {
	if s.row.Status != "SCHEDULED" || s.loc == nil {
		return false
	}
	from, until := session.CheckInWindow(sessionevents.Timing{Start: s.row.Start, DurationMinutes: s.row.DurationMinutes}, s.loc)
	return !s.now.Before(from) && s.now.Before(until)
}

// Version resolves DialogueSession.version.
func (s *SessionResolver) Version() int32 { return int32(s.row.StreamVersion) }

// Capacity resolves DialogueSession.capacity.
func (s *SessionResolver) Capacity() int32 { return int32(s.row.Capacity) }

// ConfirmedSeats resolves DialogueSession.confirmedSeats.
func (s *SessionResolver) ConfirmedSeats() int32 { return int32(s.row.ConfirmedSeats) }

// SeatsLeft resolves DialogueSession.seatsLeft.
func (s *SessionResolver) SeatsLeft() int32 {
	if s.row.Status == "CANCELLED" {
		return 0
	}
	return int32(max(s.row.Capacity-s.row.ConfirmedSeats-s.row.OfferedSeats, 0))
}

// OfferedSeats resolves DialogueSession.offeredSeats.
func (s *SessionResolver) OfferedSeats() int32 { return int32(s.row.OfferedSeats) }

// OfferHours resolves DialogueSession.offerHours.
func (s *SessionResolver) OfferHours() int32 { return int32(s.row.OfferHours) }

// WaitlistLength resolves DialogueSession.waitlistLength.
func (s *SessionResolver) WaitlistLength() int32 { return int32(s.row.WaitlistLength) }

// Status resolves DialogueSession.status: a scheduled session is HELD once it ended.
func (s *SessionResolver) Status() string {
	if s.row.Status == "SCHEDULED" && !s.now.Before(s.row.End) {
		return "HELD"
	}
	return s.row.Status
}

// CancellationReason resolves DialogueSession.cancellationReason.
func (s *SessionResolver) CancellationReason() *string { return optional(s.row.CancellationReason) }

// Stakeholders resolves DialogueSession.stakeholders.
func (s *SessionResolver) Stakeholders() []*StakeholderResolver {
	out := make([]*StakeholderResolver, len(s.row.Stakeholders))
	for i, st := range s.row.Stakeholders {
		out[i] = &StakeholderResolver{st.Name, st.Kind, st.Country}
	}
	return out
}

// Registrations resolves DialogueSession.registrations: all of them for the city's
// coordinators and admins, its own for an association, none for anybody else.
func (s *SessionResolver) Registrations() []*RegistrationResolver {
	return s.linked(linkRegistrations).registrations
}

// AttendedSeats resolves DialogueSession.attendedSeats.
func (s *SessionResolver) AttendedSeats() *int32 { return optionalInt(s.row.AttendedSeats) }

// Outcome resolves DialogueSession.outcome.
func (s *SessionResolver) Outcome() *OutcomeResolver {
	if s.row.Outcome == nil {
		return nil
	}
	return &OutcomeResolver{o: *s.row.Outcome}
}

// Proposals resolves DialogueSession.proposals: the proposals presented at the session
// that the reader may see.
func (s *SessionResolver) Proposals() []*ProposalResolver { return s.linked(linkProposals).proposals }

// CalendarPath resolves DialogueSession.calendarPath.
func (s *SessionResolver) CalendarPath() string { return calendar.SessionPath(s.row.ID) }

// SessionTimeResolver resolves SessionTime: t is in the city's zone.
type SessionTimeResolver struct {
	t    time.Time
	zone string
}

// Utc resolves SessionTime.utc.
func (t *SessionTimeResolver) Utc() DateTime { return DateTime{t.t.UTC()} }

// Local resolves SessionTime.local.
func (t *SessionTimeResolver) Local() string { return t.t.Format("2006-01-02T15:04") }

// LocalDateTime resolves SessionTime.localDateTime.
func (t *SessionTimeResolver) LocalDateTime() string { return t.t.Format(time.RFC3339) }

// TimeZone resolves SessionTime.timeZone.
func (t *SessionTimeResolver) TimeZone() string { return t.zone }

// UtcOffset resolves SessionTime.utcOffset.
func (t *SessionTimeResolver) UtcOffset() string { return t.t.Format("-07:00") }

// LocalizedTextResolver resolves LocalizedText.
type LocalizedTextResolver struct{ en, fr, es string }

// En resolves LocalizedText.en.
func (l *LocalizedTextResolver) En() *string { return optional(l.en) }

// Fr resolves LocalizedText.fr.
func (l *LocalizedTextResolver) Fr() *string { return optional(l.fr) }

// Es resolves LocalizedText.es.
func (l *LocalizedTextResolver) Es() *string { return optional(l.es) }

// VenueResolver resolves Venue.
type VenueResolver struct{ name, address string }

// Name resolves Venue.name.
func (v *VenueResolver) Name() string { return v.name }

// Address resolves Venue.address.
func (v *VenueResolver) Address() string { return v.address }

// StakeholderResolver resolves Stakeholder.
type StakeholderResolver struct{ name, kind, country string }

// Name resolves Stakeholder.name.
func (s *StakeholderResolver) Name() string { return s.name }

// Kind resolves Stakeholder.kind.
func (s *StakeholderResolver) Kind() string { return s.kind }

// Country resolves Stakeholder.country.
func (s *StakeholderResolver) Country() string { return s.country }

// OutcomeResolver resolves SessionOutcome.
type OutcomeResolver struct{ o sessionevents.OutcomeRecorded }

// Summary resolves SessionOutcome.summary.
func (o *OutcomeResolver) Summary() *LocalizedTextResolver {
	return &LocalizedTextResolver{o.o.Summary.EN, o.o.Summary.FR, o.o.Summary.ES}
}

// FollowUps resolves SessionOutcome.followUps.
func (o *OutcomeResolver) FollowUps() []*FollowUpResolver {
	out := make([]*FollowUpResolver, len(o.o.FollowUps))
	for i, f := range o.o.FollowUps {
		out[i] = &FollowUpResolver{f.Action, f.Owner, f.Due}
	}
	return out
}

// RecordedAt resolves SessionOutcome.recordedAt.
func (o *OutcomeResolver) RecordedAt() DateTime { return DateTime{o.o.At} }

// FollowUpResolver resolves FollowUp.
type FollowUpResolver struct{ action, owner, due string }

// Action resolves FollowUp.action.
func (f *FollowUpResolver) Action() string { return f.action }

// Owner resolves FollowUp.owner.
func (f *FollowUpResolver) Owner() *string { return optional(f.owner) }

// Due resolves FollowUp.due.
func (f *FollowUpResolver) Due() *string { return optional(f.due) }

// RegistrationResolver resolves SessionRegistration. Only readers who may see the
// registration get one (see seesRegistrations).
//
// Its association is loaded by whoever builds it (withAssociations), so that its own
// fields take no context: graphql-go runs a field that takes a context in a goroutine
// of its own, with every field beside it, and a calendar page of twenty sessions has a
// hundred registrations.
type RegistrationResolver struct {
	r     *Resolver
	row   readmodel.Registration
	b     *batches
	assoc *AssociationResolver
}

// registration wraps a row, and queues its association for loading.
func (r *Resolver) registration(ctx context.Context, row readmodel.Registration) *RegistrationResolver {
	b := batchesOf(ctx)
	b.associations.queue(row.AssociationID)
	return &RegistrationResolver{r: r, row: row, b: b}
}

// ID resolves SessionRegistration.id.
func (g *RegistrationResolver) ID() graphql.ID { return globalID(kindRegistration, g.row.ID) }

// Association resolves SessionRegistration.association: null when the reader may not
// see the association.
func (g *RegistrationResolver) Association() *AssociationResolver { return g.assoc }

// withAssociations loads the associations of registrations, in one query with every
// association the request queued, when the query selects them.
func (r *Resolver) withAssociations(ctx context.Context, selected bool, regs []*RegistrationResolver) error {
	if len(regs) == 0 || !selected {
		return nil
	}
	reader := auth.ActorFrom(ctx)
	for _, g := range regs {
		a, ok, err := g.b.associations.get(ctx, g.row.AssociationID, func(ctx context.Context, ids []string) (map[string]readmodel.Association, error) {
			return r.deps.Associations.GetMany(ctx, ids, visibility(reader))
		})
		if err != nil {
			return toGraphQL(ctx, r.deps.Logger, err)
		}
		if ok {
			g.assoc = r.association(withBatchesOf(ctx, g.b), a)
		}
	}
	return nil
}

// Seats resolves SessionRegistration.seats.
func (g *RegistrationResolver) Seats() int32 { return int32(g.row.Seats) }

// Status resolves SessionRegistration.status.
func (g *RegistrationResolver) Status() string { return g.row.Status }

// WaitlistPosition resolves SessionRegistration.waitlistPosition.
func (g *RegistrationResolver) WaitlistPosition() *int32 {
	if g.row.Status != "WAITLISTED" || g.row.WaitlistPosition == 0 {
		return nil
	}
	n := int32(g.row.WaitlistPosition)
	return &n
}

// RegisteredAt resolves SessionRegistration.registeredAt.
func (g *RegistrationResolver) RegisteredAt() DateTime { return DateTime{g.row.RegisteredAt} }

// AttendedSeats resolves SessionRegistration.attendedSeats.
func (g *RegistrationResolver) AttendedSeats() *int32 { return optionalInt(g.row.AttendedSeats) }

// CheckedInAt resolves SessionRegistration.checkedInAt.
func (g *RegistrationResolver) CheckedInAt() *DateTime { return optionalTime(g.row.CheckedInAt) }

// OfferExpiresAt resolves SessionRegistration.offerExpiresAt.
func (g *RegistrationResolver) OfferExpiresAt() *DateTime { return optionalTime(g.row.OfferExpiresAt) }

// registrationsOf returns a session's registrations, loading those of every session of
// the request queued so far in one query.
func (r *Resolver) registrationsOf(ctx context.Context, b *batches, sessionID string) ([]readmodel.Registration, error) {
	regs, _, err := b.registrations.get(ctx, sessionID, r.deps.Sessions.Registrations)
	return regs, err
}

// zones caches time zones: loading one reads the zone database.
type zones struct{ cache sync.Map }

func (z *zones) load(name string) (*time.Location, error) {
	if loc, ok := z.cache.Load(name); ok {
		return loc.(*time.Location), nil
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, fmt.Errorf("time zone %q: %w", name, err)
	}
	z.cache.Store(name, loc)
	return loc, nil
}
