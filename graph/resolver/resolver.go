// Package resolver implements the gateway's GraphQL schema: queries read the read models,
// mutations call the services and then wait until the read models reflect the change.
//
// Its files are named for the service whose part of the schema they serve
// (directory_*, sessions_*, proposals_*, experts_*, notifications_*); what every part
// shares — the root resolver, ids, errors and their codes, scalars, batching, nodes,
// history, statistics and subscriptions — has files of its own. It stays one package
// because graphql-go resolves the whole schema from one root type, and the parts'
// types point at each other (a registration's association, an association's city, a
// proposal's session): packages per service would import each other in a circle.
package resolver

import (
	"context"
	"errors"
	"log/slog"
	"time"

	directoryapp "passerelle.dev/directory/app"
	"passerelle.dev/directory/domain/association"
	"passerelle.dev/events"
	expertsapp "passerelle.dev/experts/app"
	"passerelle.dev/graph/readmodel"
	"passerelle.dev/graph/tables"
	"passerelle.dev/graph/timetravel"
	"passerelle.dev/kernel/fault"
	notificationsapp "passerelle.dev/notifications/app"
	proposalsapp "passerelle.dev/proposals/app"
	"passerelle.dev/servicekit/auth"
	sessionsapp "passerelle.dev/sessions/app"
)

// MaxPageSize caps `first` on every connection.
const MaxPageSize = 100

// Consistency waits, bounded, until the read models a write concerns have projected it
// (see projector.Consistency): a late read model makes a mutation slow, not wrong.
type Consistency interface {
	AfterWrite(ctx context.Context, pos events.Position) []string
}

// Past rebuilds objects as they stood at an instant, from their events.
type Past interface {
	Association(ctx context.Context, id string, asOf time.Time, vis readmodel.Visibility) (readmodel.Association, bool, error)
	Session(ctx context.Context, id string, asOf time.Time) (timetravel.Session, bool, error)
	Proposal(ctx context.Context, id string, asOf time.Time, vis readmodel.ProposalVisibility) (timetravel.Proposal, bool, error)
}

// Deps are the resolver's collaborators. All are required.
type Deps struct {
	Associations *readmodel.Associations
	Sessions     *readmodel.Sessions
	Directory    directoryapp.Commands
	// SessionCommands is the sessions service.
	SessionCommands sessionsapp.Commands
	Proposals       *readmodel.Proposals
	// History reads an object's events for its timeline.
	History History
	// Past rebuilds objects as of an instant (asOf arguments).
	Past Past
	// Stats counts across the read models.
	Stats *readmodel.Stats
	// Changes feeds the subscriptions.
	Changes Changes
	// ProposalCommands is the proposals service.
	ProposalCommands proposalsapp.Commands
	// Mail is the notifications service's mailbox; nil when it does not run.
	Mail notificationsapp.Commands
	// Experts is the skills roster's service; nil when it does not run.
	Experts     expertsapp.Commands
	Consistency Consistency
	Logger      *slog.Logger
	// Now is the clock that tells a held session from a scheduled one. Defaults to
	// time.Now.
	Now func() time.Time
}

// Config tunes the resolver.
type Config struct{}

// Resolver is the root resolver. It holds no per-request state and is safe for
// concurrent use.
type Resolver struct {
	deps  Deps
	cfg   Config
	zones *zones
}

// New returns the root resolver.
func New(deps Deps, cfg Config) (*Resolver, error) {
	var errs []error
	if deps.Associations == nil {
		errs = append(errs, errors.New("the Associations dependency is required"))
	}
	if deps.Directory == nil {
		errs = append(errs, errors.New("the Directory dependency is required"))
	}
	if deps.Sessions == nil {
		errs = append(errs, errors.New("the Sessions dependency is required"))
	}
	if deps.SessionCommands == nil {
		errs = append(errs, errors.New("the SessionCommands dependency is required"))
	}
	if deps.Proposals == nil || deps.ProposalCommands == nil {
		errs = append(errs, errors.New("Proposals and ProposalCommands are required"))
	}
	if deps.History == nil || deps.Past == nil || deps.Stats == nil || deps.Changes == nil {
		errs = append(errs, errors.New("History, Past, Stats and Changes are required"))
	}
	if deps.Consistency == nil {
		errs = append(errs, errors.New("the Consistency dependency is required"))
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	if deps.Logger == nil {
		deps.Logger = slog.Default()
	}
	if deps.Now == nil {
		deps.Now = time.Now
	}
	return &Resolver{deps: deps, cfg: cfg, zones: &zones{}}, nil
}

// RequestInfo is what the HTTP layer tells resolvers about the request.
type RequestInfo struct {
	CorrelationID string
	// ReadOnly is set for GET requests: mutations are refused.
	ReadOnly bool
}

type requestInfoKey struct{}

// WithSubscriptionInfo returns a context carrying info for a subscription: without
// batches, which would keep what the first event loaded for all the next ones.
func WithSubscriptionInfo(ctx context.Context, info RequestInfo) context.Context {
	return context.WithValue(ctx, requestInfoKey{}, info)
}

// WithRequestInfo returns a context carrying info, and the request's own batches (a
// resolver holds no per-request state).
func WithRequestInfo(ctx context.Context, info RequestInfo) context.Context {
	return withBatches(context.WithValue(ctx, requestInfoKey{}, info))
}

// CorrelationID returns the correlation id of the request ctx belongs to: the database
// queries a request causes carry it in their context.
func CorrelationID(ctx context.Context) string { return requestInfo(ctx).CorrelationID }

func requestInfo(ctx context.Context) RequestInfo {
	info, _ := ctx.Value(requestInfoKey{}).(RequestInfo)
	return info
}

// allStatuses sees associations whatever their status.
var allStatuses = func() readmodel.Visibility {
	var v readmodel.Visibility
	for _, s := range association.Statuses {
		v.Statuses = append(v.Statuses, s.String())
	}
	return v
}()

// visibility is who sees which associations: the public and associations see verified
// ones (an association also sees itself), coordinators and admins see every status.
func visibility(a events.Actor) readmodel.Visibility {
	if a.IsAdmin() || a.Role == events.RoleCoordinator {
		return allStatuses
	}
	return readmodel.Visibility{Statuses: []string{association.StatusVerified.String()}, OwnID: a.AssociationID}
}

// Association resolves Query.association.
func (r *Resolver) Association(ctx context.Context, args AsOfArgs) (*AssociationResolver, error) {
	id, err := parseGlobalID(args.ID, kindAssociation)
	if err != nil {
		return nil, err
	}
	var (
		a  readmodel.Association
		ok bool
	)
	if args.AsOf != nil {
		tables.ReadOutside(ctx) // the event log
		a, ok, err = r.deps.Past.Association(ctx, id, args.AsOf.Time, visibility(auth.ActorFrom(ctx)))
	} else {
		a, ok, err = r.deps.Associations.Get(ctx, id, visibility(auth.ActorFrom(ctx)))
	}
	if err != nil {
		return nil, toGraphQL(ctx, r.deps.Logger, err)
	}
	if !ok {
		return nil, nil
	}
	return r.association(ctx, a), nil
}

// MaxSearchLength bounds a search text.
const MaxSearchLength = 200

// Associations resolves Query.associations.
func (r *Resolver) Associations(ctx context.Context, args struct {
	First   *int32
	After   *string
	Filter  *AssociationFilterInput
	OrderBy *AssociationOrderInput
}) (*AssociationConnectionResolver, error) {
	first := int32(20)
	if args.First != nil {
		first = *args.First
	}
	if first < 0 || first > MaxPageSize {
		return nil, badInput("first must be between 0 and 100")
	}
	var order readmodel.Order
	if args.OrderBy != nil {
		order = readmodel.Order{ByName: args.OrderBy.Field == "NAME", Descending: args.OrderBy.Direction == "DESC"}
	}
	var after *readmodel.Cursor
	if args.After != nil {
		c, err := decodeCursor(*args.After, order)
		if err != nil {
			return nil, err
		}
		after = c
	}
	filter, err := args.Filter.parse()
	if err == nil && filter.City != "" {
		if _, ok, cerr := r.deps.Sessions.City(ctx, filter.City); cerr != nil {
			return nil, toGraphQL(ctx, r.deps.Logger, cerr)
		} else if !ok {
			err = &Error{code: fault.BadUserInput, message: "no city " + filter.City + " is open", details: map[string]any{"field": "filter.city"}}
		}
	}
	if err != nil {
		return nil, toGraphQL(ctx, r.deps.Logger, err)
	}
	page, err := r.deps.Associations.List(ctx, filter, visibility(auth.ActorFrom(ctx)), order, after, int(first))
	if err != nil {
		return nil, toGraphQL(ctx, r.deps.Logger, err)
	}
	nodes := make([]*AssociationResolver, len(page.Items))
	for i, row := range page.Items {
		nodes[i] = r.association(ctx, row)
	}
	return &AssociationConnectionResolver{nodes: nodes, page: page, order: order, after: after != nil}, nil
}

// Countries resolves Query.countries.
func (r *Resolver) Countries() []*CountryResolver {
	codes := association.CountryCodes()
	out := make([]*CountryResolver, len(codes))
	for i, c := range codes {
		out[i] = &CountryResolver{code: c}
	}
	return out
}

// Viewer resolves Query.viewer.
func (r *Resolver) Viewer(ctx context.Context) *ViewerResolver {
	return &ViewerResolver{r: r, actor: auth.ActorFrom(ctx)}
}

// CountryResolver resolves Country.
type CountryResolver struct{ code association.CountryCode }

// Code resolves Country.code.
func (c *CountryResolver) Code() string { return c.code.String() }

// Name resolves Country.name.
func (c *CountryResolver) Name() string { return c.code.Name() }

// ViewerResolver resolves Viewer.
type ViewerResolver struct {
	r     *Resolver
	actor events.Actor
}

// Role resolves Viewer.role.
func (v *ViewerResolver) Role() string { return roleName(v.actor) }

// roleName is an actor's role as the schema's Role enum names it.
func roleName(a events.Actor) string {
	switch a.Role {
	case events.RoleAdmin:
		return "ADMIN"
	case events.RoleCoordinator:
		return "COORDINATOR"
	case events.RoleAssociation:
		return "ASSOCIATION"
	case events.RoleExpert:
		return "EXPERT"
	case events.RoleInstitution:
		return "INSTITUTION"
	case events.RoleSystem:
		return "SYSTEM"
	}
	return "ANONYMOUS"
}

// Expert resolves Viewer.expert.
func (v *ViewerResolver) Expert(ctx context.Context) (*ExpertResolver, error) {
	if v.actor.Role != events.RoleExpert {
		return nil, nil
	}
	return v.r.expertAs(ctx, v.actor.Subject, v.actor)
}

// City resolves Viewer.city.
func (v *ViewerResolver) City(ctx context.Context) (*CityResolver, error) {
	if v.actor.City == "" {
		return nil, nil
	}
	return v.r.cityBySlug(ctx, v.actor.City)
}

// Association resolves Viewer.association.
func (v *ViewerResolver) Association(ctx context.Context) (*AssociationResolver, error) {
	if v.actor.AssociationID == "" {
		return nil, nil
	}
	a, ok, err := v.r.deps.Associations.Get(ctx, v.actor.AssociationID, visibility(v.actor))
	if err != nil || !ok {
		return nil, toGraphQL(ctx, v.r.deps.Logger, err)
	}
	return v.r.association(ctx, a), nil
}
