package resolver

import (
	"context"
	"slices"

	"github.com/graph-gophers/graphql-go"

	"passerelle.dev/events"
	"passerelle.dev/events/expertevents"
	expertsapp "passerelle.dev/experts/app"
	"passerelle.dev/experts/domain/expert"
	"passerelle.dev/experts/domain/expertise"
	"passerelle.dev/graph/changes"
	"passerelle.dev/graph/tables"
	"passerelle.dev/kernel/fault"
	"passerelle.dev/servicekit/auth"
)

const kindExpert = "Expert"

// errNoExperts answers when the experts service does not run.
var errNoExperts = NewError(fault.Unavailable, "the experts service is not configured")

func (r *Resolver) experts() (expertsapp.Commands, error) {
	if r.deps.Experts == nil {
		return nil, errNoExperts
	}
	return r.deps.Experts, nil
}

// Experts resolves Query.experts.
func (r *Resolver) Experts(ctx context.Context, args struct {
	Field, Country *string
	First          *int32
	After          *string
}) (*ExpertConnectionResolver, error) {
	// Answers come from another service: never tagged nor kept.
	tables.ReadOutside(ctx)
	svc, err := r.experts()
	if err != nil {
		return nil, err
	}
	q := expertsapp.RosterQuery{First: 50}
	if args.Field != nil {
		q.Field = *args.Field
	}
	if args.Country != nil {
		q.Country = *args.Country
	}
	if args.First != nil {
		if *args.First < 1 || *args.First > 100 {
			return nil, badInput("first: from 1 to 100")
		}
		q.First = int(*args.First)
	}
	c := &ExpertConnectionResolver{after: args.After != nil}
	if args.After != nil {
		id, err := parseGlobalID(graphql.ID(*args.After), kindExpert)
		if err != nil {
			return nil, badInput("malformed cursor: pass an endCursor or an edge cursor from an earlier page")
		}
		q.After = id
	}
	n := q.First
	q.First++
	entries, err := svc.Roster(ctx, q)
	if err != nil {
		return nil, toGraphQL(ctx, r.deps.Logger, err)
	}
	if len(entries) > n {
		entries, c.hasNext = entries[:n], true
	}
	for _, e := range entries {
		c.nodes = append(c.nodes, &ExpertResolver{r: r, e: e})
	}
	return c, nil
}

// ExpertConnectionResolver resolves ExpertConnection. A cursor is the expert's global
// id: it carries no name.
type ExpertConnectionResolver struct {
	nodes          []*ExpertResolver
	hasNext, after bool
}

// Edges resolves ExpertConnection.edges.
func (c *ExpertConnectionResolver) Edges() []*ExpertEdgeResolver {
	out := make([]*ExpertEdgeResolver, len(c.nodes))
	for i, n := range c.nodes {
		out[i] = &ExpertEdgeResolver{n}
	}
	return out
}

// PageInfo resolves ExpertConnection.pageInfo.
func (c *ExpertConnectionResolver) PageInfo() *PageInfoResolver {
	p := &PageInfoResolver{hasNext: c.hasNext, hasPrevious: c.after}
	if n := len(c.nodes); n > 0 {
		start, end := string(c.nodes[0].ID()), string(c.nodes[n-1].ID())
		p.start, p.end = &start, &end
	}
	return p
}

// ExpertEdgeResolver resolves ExpertEdge.
type ExpertEdgeResolver struct{ node *ExpertResolver }

// Cursor resolves ExpertEdge.cursor.
func (e *ExpertEdgeResolver) Cursor() string { return string(e.node.ID()) }

// Node resolves ExpertEdge.node.
func (e *ExpertEdgeResolver) Node() *ExpertResolver { return e.node }

// ExpertChanged resolves Subscription.expertChanged.
func (r *Resolver) ExpertChanged(ctx context.Context, args struct{ ID graphql.ID }) (<-chan *ExpertResolver, error) {
	id, err := parseGlobalID(args.ID, kindExpert)
	if err != nil {
		return nil, err
	}
	if _, err := r.experts(); err != nil {
		return nil, err
	}
	return follow(ctx, r.deps.Changes, changes.Topic{Kind: changes.Expert, Key: id}, func(ctx context.Context, id string) (*ExpertResolver, bool) {
		x, err := r.expertAs(ctx, id, auth.ActorFrom(ctx))
		return x, err == nil && x != nil
	}), nil
}

// Expert resolves Query.expert.
func (r *Resolver) Expert(ctx context.Context, args struct{ ID graphql.ID }) (*ExpertResolver, error) {
	tables.ReadOutside(ctx)
	id, err := parseGlobalID(args.ID, kindExpert)
	if err != nil {
		return nil, err
	}
	return r.expertAs(ctx, id, auth.ActorFrom(ctx))
}

func (r *Resolver) expertAs(ctx context.Context, id string, actor events.Actor) (*ExpertResolver, error) {
	svc, err := r.experts()
	if err != nil {
		return nil, err
	}
	e, ok, err := svc.Expert(ctx, expertsapp.ExpertQuery{ExpertID: id, Request: expertsapp.Request{Actor: actor}})
	if err != nil || !ok {
		return nil, toGraphQL(ctx, r.deps.Logger, err)
	}
	return &ExpertResolver{r: r, e: e, private: actor.IsExpert(id) || actor.IsAdmin() || actor.Role == events.RoleCoordinator}, nil
}

// PendingExperts resolves Query.pendingExperts.
func (r *Resolver) PendingExperts(ctx context.Context) ([]*ExpertResolver, error) {
	tables.ReadOutside(ctx)
	svc, err := r.experts()
	if err != nil {
		return nil, err
	}
	entries, err := svc.PendingExperts(ctx, expertsapp.PendingQuery{Request: expertsapp.Request{Actor: auth.ActorFrom(ctx)}})
	if err != nil {
		return nil, toGraphQL(ctx, r.deps.Logger, err)
	}
	out := make([]*ExpertResolver, len(entries))
	for i, e := range entries {
		out[i] = &ExpertResolver{r: r, e: e, private: true}
	}
	return out, nil
}

// ExpertiseFields resolves Query.expertiseFields.
func (r *Resolver) ExpertiseFields() []*ExpertiseFieldResolver {
	out := make([]*ExpertiseFieldResolver, len(expertise.Fields))
	for i, f := range expertise.Fields {
		out[i] = &ExpertiseFieldResolver{f}
	}
	return out
}

// ConsentWordings resolves Query.consentWordings.
func (r *Resolver) ConsentWordings() []*ConsentWordingResolver {
	out := make([]*ConsentWordingResolver, 0, len(expertevents.Purposes))
	for _, p := range expertevents.Purposes {
		out = append(out, &ConsentWordingResolver{purpose: p, version: expert.Wording[p]})
	}
	return out
}

// ExpertProfileInput is the ExpertProfileInput input.
type ExpertProfileInput struct {
	Name             string
	Fields           []string
	Languages        []string
	OriginCountries  []string
	ResidenceCountry string
	Availability     struct {
		OnSite, Remote bool
		From, To       *string
		DaysPerYear    int32
	}
	Bio           *LocalizedTextInput
	AssociationID *graphql.ID
	Email         string
	Phone         *string
}

func (in ExpertProfileInput) profile() (expertevents.Profile, error) {
	p := expertevents.Profile{Name: in.Name, Fields: in.Fields, Languages: in.Languages, OriginCountries: in.OriginCountries,
		ResidenceCountry: in.ResidenceCountry, Email: in.Email,
		Availability: expertevents.Availability{OnSite: in.Availability.OnSite, Remote: in.Availability.Remote, DaysPerYear: int(in.Availability.DaysPerYear)}}
	if in.Availability.From != nil {
		p.Availability.From = *in.Availability.From
	}
	if in.Availability.To != nil {
		p.Availability.To = *in.Availability.To
	}
	if in.Bio != nil {
		t := in.Bio.text()
		p.Bio = expertevents.Text{EN: t.EN, FR: t.FR, ES: t.ES}
	}
	if in.Phone != nil {
		p.Phone = *in.Phone
	}
	if in.AssociationID != nil {
		id, err := parseGlobalID(*in.AssociationID, kindAssociation)
		if err != nil {
			return p, err
		}
		p.AssociationID = id
	}
	return p, nil
}

// RegisterExpert resolves Mutation.registerExpert.
func (r *Resolver) RegisterExpert(ctx context.Context, args struct {
	Input struct {
		Profile  ExpertProfileInput
		Consents []struct {
			Purpose        string
			WordingVersion string
		}
	}
	IdempotencyKey *string
}) (*RegisterExpertPayload, error) {
	req, err := command(ctx, args.IdempotencyKey)
	if err != nil {
		return nil, err
	}
	svc, err := r.experts()
	if err != nil {
		return nil, err
	}
	profile, err := args.Input.Profile.profile()
	if err != nil {
		return nil, err
	}
	consents := make([]expert.Consent, len(args.Input.Consents))
	for i, c := range args.Input.Consents {
		consents[i] = expert.Consent{Purpose: c.Purpose, WordingVersion: c.WordingVersion}
	}
	res, err := svc.RegisterExpert(ctx, expertsapp.RegisterExpert{Profile: profile, Consents: consents, Request: req})
	if err != nil {
		return nil, toGraphQL(ctx, r.deps.Logger, err)
	}
	out := &RegisterExpertPayload{position: positionString(res.Position), keyWithheld: keyWithheld(res.KeyWithheld, newRegistrantKey)}
	if res.Token != "" {
		out.token = &res.Token
		// The new expert sees themselves as the token says.
		if out.expert, err = r.expertAs(ctx, res.ExpertID, events.Actor{Role: events.RoleExpert, Subject: res.ExpertID}); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// expertPayload answers an expert's mutation with the expert as the actor now sees them.
func (r *Resolver) expertPayload(ctx context.Context, res expertsapp.Result, err error) (*ExpertPayload, error) {
	if err != nil {
		return nil, toGraphQL(ctx, r.deps.Logger, err)
	}
	e, err := r.expertAs(ctx, res.ExpertID, auth.ActorFrom(ctx))
	if err != nil {
		return nil, err
	}
	return &ExpertPayload{expert: e, position: positionString(res.Position)}, nil
}

func expertCommand(ctx context.Context, id graphql.ID, key *string) (string, expertsapp.Request, error) {
	req, err := command(ctx, key)
	if err != nil {
		return "", req, err
	}
	local, err := parseGlobalID(id, kindExpert)
	return local, req, err
}

// expertMutation runs a mutation about one expert: its id read, the service called, and
// the expert as the actor now sees them.
func (r *Resolver) expertMutation(ctx context.Context, expertID graphql.ID, key *string,
	run func(svc expertsapp.Commands, id string, req expertsapp.Request) (expertsapp.Result, error)) (*ExpertPayload, error) {
	id, req, err := expertCommand(ctx, expertID, key)
	if err != nil {
		return nil, err
	}
	svc, err := r.experts()
	if err != nil {
		return nil, err
	}
	res, err := run(svc, id, req)
	return r.expertPayload(ctx, res, err)
}

// UpdateExpertProfile resolves Mutation.updateExpertProfile.
func (r *Resolver) UpdateExpertProfile(ctx context.Context, args struct {
	ID             graphql.ID
	Input          ExpertProfileInput
	IdempotencyKey *string
}) (*ExpertPayload, error) {
	profile, err := args.Input.profile()
	if err != nil {
		return nil, err
	}
	return r.expertMutation(ctx, args.ID, args.IdempotencyKey, func(svc expertsapp.Commands, id string, req expertsapp.Request) (expertsapp.Result, error) {
		return svc.UpdateExpertProfile(ctx, expertsapp.UpdateExpertProfile{ExpertID: id, Profile: profile, Request: req})
	})
}

// VerifyExpert resolves Mutation.verifyExpert.
func (r *Resolver) VerifyExpert(ctx context.Context, args struct {
	ID             graphql.ID
	IdempotencyKey *string
}) (*ExpertPayload, error) {
	return r.expertMutation(ctx, args.ID, args.IdempotencyKey, func(svc expertsapp.Commands, id string, req expertsapp.Request) (expertsapp.Result, error) {
		return svc.VerifyExpert(ctx, expertsapp.VerifyExpert{ExpertID: id, Request: req})
	})
}

// RejectExpert resolves Mutation.rejectExpert.
func (r *Resolver) RejectExpert(ctx context.Context, args struct {
	ID             graphql.ID
	Reason         string
	IdempotencyKey *string
}) (*ExpertPayload, error) {
	return r.expertMutation(ctx, args.ID, args.IdempotencyKey, func(svc expertsapp.Commands, id string, req expertsapp.Request) (expertsapp.Result, error) {
		return svc.RejectExpert(ctx, expertsapp.RejectExpert{ExpertID: id, Reason: args.Reason, Request: req})
	})
}

// GiveConsent resolves Mutation.giveConsent.
func (r *Resolver) GiveConsent(ctx context.Context, args struct {
	ExpertID       graphql.ID
	Purpose        string
	WordingVersion string
	IdempotencyKey *string
}) (*ExpertPayload, error) {
	return r.expertMutation(ctx, args.ExpertID, args.IdempotencyKey, func(svc expertsapp.Commands, id string, req expertsapp.Request) (expertsapp.Result, error) {
		return svc.GiveConsent(ctx, expertsapp.GiveConsent{ExpertID: id, Purpose: args.Purpose, WordingVersion: args.WordingVersion, Request: req})
	})
}

// WithdrawConsent resolves Mutation.withdrawConsent.
func (r *Resolver) WithdrawConsent(ctx context.Context, args struct {
	ExpertID       graphql.ID
	Purpose        string
	IdempotencyKey *string
}) (*ExpertPayload, error) {
	return r.expertMutation(ctx, args.ExpertID, args.IdempotencyKey, func(svc expertsapp.Commands, id string, req expertsapp.Request) (expertsapp.Result, error) {
		return svc.WithdrawConsent(ctx, expertsapp.WithdrawConsent{ExpertID: id, Purpose: args.Purpose, Request: req})
	})
}

// EraseExpert resolves Mutation.eraseExpert.
func (r *Resolver) EraseExpert(ctx context.Context, args struct {
	ID             graphql.ID
	IdempotencyKey *string
}) (*ExpertPayload, error) {
	return r.expertMutation(ctx, args.ID, args.IdempotencyKey, func(svc expertsapp.Commands, id string, req expertsapp.Request) (expertsapp.Result, error) {
		return svc.EraseExpert(ctx, expertsapp.EraseExpert{ExpertID: id, Request: req})
	})
}

// RegisterExpertPayload resolves RegisterExpertPayload.
type RegisterExpertPayload struct {
	expert      *ExpertResolver
	token       *string
	position    *string
	keyWithheld *KeyWithheldResolver
}

// Expert resolves RegisterExpertPayload.expert.
func (p *RegisterExpertPayload) Expert() *ExpertResolver { return p.expert }

// Token resolves RegisterExpertPayload.token.
func (p *RegisterExpertPayload) Token() *string { return p.token }

// KeyWithheld resolves RegisterExpertPayload.keyWithheld.
func (p *RegisterExpertPayload) KeyWithheld() *KeyWithheldResolver { return p.keyWithheld }

// Position resolves RegisterExpertPayload.position.
func (p *RegisterExpertPayload) Position() *string { return p.position }

// ExpertPayload resolves ExpertPayload.
type ExpertPayload struct {
	expert   *ExpertResolver
	position *string
}

// Expert resolves ExpertPayload.expert.
func (p *ExpertPayload) Expert() *ExpertResolver { return p.expert }

// Position resolves ExpertPayload.position.
func (p *ExpertPayload) Position() *string { return p.position }

// ExpertResolver resolves Expert. private is set when the reader may see the contact
// and the consents; contact when the service already left out the contact the reader
// may not see (an institution reading its matches).
type ExpertResolver struct {
	r       *Resolver
	e       expertsapp.Entry
	private bool
	contact bool
}

// ID resolves Expert.id.
func (x *ExpertResolver) ID() graphql.ID { return globalID(kindExpert, x.e.ID) }

// Status resolves Expert.status.
func (x *ExpertResolver) Status() string { return x.e.Status }

// Name resolves Expert.name.
func (x *ExpertResolver) Name() string { return x.e.Profile.Name }

// Fields resolves Expert.fields.
func (x *ExpertResolver) Fields() []*ExpertiseFieldResolver { return fieldsOf(x.e.Profile.Fields) }

// fieldsOf are the fields of expertise of codes, in their order; an unknown code (from
// a list that has since changed) keeps its code as its name.
func fieldsOf(codes []string) []*ExpertiseFieldResolver {
	out := make([]*ExpertiseFieldResolver, 0, len(codes))
	for _, code := range codes {
		i := slices.IndexFunc(expertise.Fields, func(f expertise.Field) bool { return f.Code == code })
		if i < 0 {
			out = append(out, &ExpertiseFieldResolver{expertise.Field{Code: code, EN: code, FR: code, ES: code}})
			continue
		}
		out = append(out, &ExpertiseFieldResolver{expertise.Fields[i]})
	}
	return out
}

// Languages resolves Expert.languages.
func (x *ExpertResolver) Languages() []string { return nonNil(x.e.Profile.Languages) }

// OriginCountries resolves Expert.originCountries.
func (x *ExpertResolver) OriginCountries() []string { return nonNil(x.e.Profile.OriginCountries) }

// ResidenceCountry resolves Expert.residenceCountry.
func (x *ExpertResolver) ResidenceCountry() string { return x.e.Profile.ResidenceCountry }

// Availability resolves Expert.availability.
func (x *ExpertResolver) Availability() *ExpertAvailabilityResolver {
	return &ExpertAvailabilityResolver{x.e.Profile.Availability}
}

// Bio resolves Expert.bio.
func (x *ExpertResolver) Bio() *LocalizedTextResolver {
	b := x.e.Profile.Bio
	return &LocalizedTextResolver{b.EN, b.FR, b.ES}
}

// Email resolves Expert.email.
func (x *ExpertResolver) Email() *string {
	if !x.private && !x.contact {
		return nil
	}
	return optional(x.e.Profile.Email)
}

// Phone resolves Expert.phone.
func (x *ExpertResolver) Phone() *string {
	if !x.private && !x.contact {
		return nil
	}
	return optional(x.e.Profile.Phone)
}

// Consents resolves Expert.consents.
func (x *ExpertResolver) Consents() *[]string {
	if !x.private {
		return nil
	}
	out := nonNil(x.e.Consents)
	return &out
}

// ExpertAvailabilityResolver resolves ExpertAvailability.
type ExpertAvailabilityResolver struct{ a expertevents.Availability }

// OnSite resolves ExpertAvailability.onSite.
func (a *ExpertAvailabilityResolver) OnSite() bool { return a.a.OnSite }

// Remote resolves ExpertAvailability.remote.
func (a *ExpertAvailabilityResolver) Remote() bool { return a.a.Remote }

// From resolves ExpertAvailability.from.
func (a *ExpertAvailabilityResolver) From() *string { return optional(a.a.From) }

// To resolves ExpertAvailability.to.
func (a *ExpertAvailabilityResolver) To() *string { return optional(a.a.To) }

// DaysPerYear resolves ExpertAvailability.daysPerYear.
func (a *ExpertAvailabilityResolver) DaysPerYear() int32 { return int32(a.a.DaysPerYear) }

// ExpertiseFieldResolver resolves ExpertiseField.
type ExpertiseFieldResolver struct{ f expertise.Field }

// Code resolves ExpertiseField.code.
func (f *ExpertiseFieldResolver) Code() string { return f.f.Code }

// Name resolves ExpertiseField.name.
func (f *ExpertiseFieldResolver) Name() *LocalizedTextResolver {
	return &LocalizedTextResolver{f.f.EN, f.f.FR, f.f.ES}
}

// Health resolves ExpertiseField.health.
func (f *ExpertiseFieldResolver) Health() bool { return f.f.HealthCategory }

// ConsentWordingResolver resolves ConsentWording.
type ConsentWordingResolver struct{ purpose, version string }

// Purpose resolves ConsentWording.purpose.
func (c *ConsentWordingResolver) Purpose() string { return c.purpose }

// Version resolves ConsentWording.version.
func (c *ConsentWordingResolver) Version() string { return c.version }
