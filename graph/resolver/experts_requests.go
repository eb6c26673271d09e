package resolver

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"strings"

	"github.com/graph-gophers/graphql-go"

	"passerelle.dev/events"
	"passerelle.dev/events/expertevents"
	expertsapp "passerelle.dev/experts/app"
	"passerelle.dev/experts/domain/matching"
	"passerelle.dev/graph/changes"
	"passerelle.dev/graph/tables"
	"passerelle.dev/kernel/fault"
	"passerelle.dev/servicekit/auth"
)

// Kinds of global ids of the experts service's objects.
const (
	kindInstitution      = "Institution"
	kindExpertiseRequest = "ExpertiseRequest"
)

func asRequest(ctx context.Context) expertsapp.Request {
	return expertsapp.Request{Actor: auth.ActorFrom(ctx)}
}

// Institutions resolves Query.institutions.
func (r *Resolver) Institutions(ctx context.Context, args struct{ Status *string }) ([]*InstitutionResolver, error) {
	tables.ReadOutside(ctx)
	svc, err := r.experts()
	if err != nil {
		return nil, err
	}
	q := expertsapp.InstitutionsQuery{Status: stringOf(args.Status), Request: asRequest(ctx)}
	list, err := svc.Institutions(ctx, q)
	if err != nil {
		return nil, toGraphQL(ctx, r.deps.Logger, err)
	}
	out := make([]*InstitutionResolver, len(list))
	for i, e := range list {
		out[i] = &InstitutionResolver{r: r, e: e}
	}
	return out, nil
}

// Institution resolves Query.institution.
func (r *Resolver) Institution(ctx context.Context, args struct{ ID graphql.ID }) (*InstitutionResolver, error) {
	tables.ReadOutside(ctx)
	id, err := parseGlobalID(args.ID, kindInstitution)
	if err != nil {
		return nil, err
	}
	return r.institutionAs(ctx, id, auth.ActorFrom(ctx))
}

func (r *Resolver) institutionAs(ctx context.Context, id string, actor events.Actor) (*InstitutionResolver, error) {
	svc, err := r.experts()
	if err != nil {
		return nil, err
	}
	e, ok, err := svc.Institution(ctx, expertsapp.InstitutionQuery{InstitutionID: id, Request: expertsapp.Request{Actor: actor}})
	if err != nil || !ok {
		return nil, toGraphQL(ctx, r.deps.Logger, err)
	}
	return &InstitutionResolver{r: r, e: e}, nil
}

// ExpertiseRequestFilter is the ExpertiseRequestFilter input.
type ExpertiseRequestFilter struct {
	Status, Country, Field *string
	InstitutionID          *graphql.ID
}

// ExpertiseRequests resolves Query.expertiseRequests.
func (r *Resolver) ExpertiseRequests(ctx context.Context, args struct {
	First  *int32
	After  *string
	Filter *ExpertiseRequestFilter
}) (*ExpertiseRequestConnectionResolver, error) {
	q := expertsapp.RequestsQuery{}
	if f := args.Filter; f != nil {
		q.Status, q.Country, q.Field = stringOf(f.Status), stringOf(f.Country), stringOf(f.Field)
		if f.InstitutionID != nil {
			id, err := parseGlobalID(*f.InstitutionID, kindInstitution)
			if err != nil {
				return nil, err
			}
			q.InstitutionID = id
		}
	}
	return r.expertiseRequests(ctx, q, args.First, args.After)
}

func (r *Resolver) expertiseRequests(ctx context.Context, q expertsapp.RequestsQuery, first *int32, after *string) (*ExpertiseRequestConnectionResolver, error) {
	tables.ReadOutside(ctx)
	n, err := pageSize(first)
	if err != nil {
		return nil, err
	}
	if after != nil {
		c, err := decodeRequestCursor(*after)
		if err != nil {
			return nil, err
		}
		q.After = c
	}
	svc, err := r.experts()
	if err != nil {
		return nil, err
	}
	q.First, q.Request = n+1, asRequest(ctx)
	list, err := svc.Requests(ctx, q)
	if err != nil {
		return nil, toGraphQL(ctx, r.deps.Logger, err)
	}
	c := &ExpertiseRequestConnectionResolver{after: after != nil}
	if len(list) > n {
		list, c.hasNext = list[:n], true
	}
	for _, e := range list {
		c.nodes = append(c.nodes, &ExpertiseRequestResolver{r: r, e: e})
	}
	return c, nil
}

func encodeRequestCursor(e expertsapp.RequestEntry) string {
	b, _ := json.Marshal(struct {
		Order string `json:"o"`
		expertsapp.RequestCursor
	}{"ER", expertsapp.RequestCursor{CreatedAt: e.CreatedAt, ID: e.ID}})
	return base64.RawURLEncoding.EncodeToString(b)
}

func decodeRequestCursor(s string) (*expertsapp.RequestCursor, error) {
	var c struct {
		Order string `json:"o"`
		expertsapp.RequestCursor
	}
	raw, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || json.Unmarshal(raw, &c) != nil || c.Order != "ER" || c.ID == "" {
		return nil, badInput("malformed cursor: pass an endCursor or an edge cursor from an earlier page")
	}
	return &c.RequestCursor, nil
}

// ExpertiseRequest resolves Query.expertiseRequest.
func (r *Resolver) ExpertiseRequest(ctx context.Context, args struct{ ID graphql.ID }) (*ExpertiseRequestResolver, error) {
	tables.ReadOutside(ctx)
	id, err := parseGlobalID(args.ID, kindExpertiseRequest)
	if err != nil {
		return nil, err
	}
	return r.expertiseRequestAs(ctx, id, auth.ActorFrom(ctx))
}

func (r *Resolver) expertiseRequestAs(ctx context.Context, id string, actor events.Actor) (*ExpertiseRequestResolver, error) {
	svc, err := r.experts()
	if err != nil {
		return nil, err
	}
	e, ok, err := svc.Request(ctx, expertsapp.RequestQuery{RequestID: id, Request: expertsapp.Request{Actor: actor}})
	if err != nil || !ok {
		return nil, toGraphQL(ctx, r.deps.Logger, err)
	}
	return &ExpertiseRequestResolver{r: r, e: e, full: true}, nil
}

// ExpertiseRequestChanged resolves Subscription.expertiseRequestChanged.
func (r *Resolver) ExpertiseRequestChanged(ctx context.Context, args struct{ ID graphql.ID }) (<-chan *ExpertiseRequestResolver, error) {
	id, err := parseGlobalID(args.ID, kindExpertiseRequest)
	if err != nil {
		return nil, err
	}
	if _, err := r.experts(); err != nil {
		return nil, err
	}
	return follow(ctx, r.deps.Changes, changes.Topic{Kind: changes.ExpertiseRequest, Key: id}, func(ctx context.Context, id string) (*ExpertiseRequestResolver, bool) {
		req, err := r.expertiseRequestAs(ctx, id, auth.ActorFrom(ctx))
		return req, err == nil && req != nil
	}), nil
}

// InstitutionInput is the InstitutionInput input.
type InstitutionInput struct {
	Name, Kind, Country string
	Website             *string
	Email               string
	Description         *LocalizedTextInput
	Language            *string
}

// RegisterInstitution resolves Mutation.registerInstitution.
func (r *Resolver) RegisterInstitution(ctx context.Context, args struct {
	Input          InstitutionInput
	IdempotencyKey *string
}) (*RegisterInstitutionPayload, error) {
	req, err := command(ctx, args.IdempotencyKey)
	if err != nil {
		return nil, err
	}
	svc, err := r.experts()
	if err != nil {
		return nil, err
	}
	in := args.Input
	d := in.Description.text()
	res, err := svc.RegisterInstitution(ctx, expertsapp.RegisterInstitution{Institution: expertevents.Institution{Name: in.Name, Kind: in.Kind,
		Country: in.Country, Website: stringOf(in.Website), Email: in.Email, Description: expertevents.Text{EN: d.EN, FR: d.FR, ES: d.ES},
		Language: strings.ToLower(stringOf(in.Language))}, Request: req})
	if err != nil {
		return nil, toGraphQL(ctx, r.deps.Logger, err)
	}
	out := &RegisterInstitutionPayload{position: positionString(res.Position), keyWithheld: keyWithheld(res.KeyWithheld, newRegistrantKey)}
	if res.Token != "" {
		out.token = &res.Token
		if out.institution, err = r.institutionAs(ctx, res.InstitutionID, events.Actor{Role: events.RoleInstitution, Subject: res.InstitutionID}); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// institutionMutation runs a mutation about one institution and answers with it as the
// actor now sees it.
func (r *Resolver) institutionMutation(ctx context.Context, gid graphql.ID, key *string,
	run func(svc expertsapp.Commands, id string, req expertsapp.Request) (expertsapp.Result, error)) (*InstitutionPayload, error) {
	req, err := command(ctx, key)
	if err != nil {
		return nil, err
	}
	id, err := parseGlobalID(gid, kindInstitution)
	if err != nil {
		return nil, err
	}
	svc, err := r.experts()
	if err != nil {
		return nil, err
	}
	res, err := run(svc, id, req)
	if err != nil {
		return nil, toGraphQL(ctx, r.deps.Logger, err)
	}
	i, err := r.institutionAs(ctx, id, req.Actor)
	if err != nil {
		return nil, err
	}
	return &InstitutionPayload{institution: i, position: positionString(res.Position)}, nil
}

// VerifyInstitution resolves Mutation.verifyInstitution.
func (r *Resolver) VerifyInstitution(ctx context.Context, args struct {
	ID             graphql.ID
	IdempotencyKey *string
}) (*InstitutionPayload, error) {
	return r.institutionMutation(ctx, args.ID, args.IdempotencyKey, func(svc expertsapp.Commands, id string, req expertsapp.Request) (expertsapp.Result, error) {
		return svc.VerifyInstitution(ctx, expertsapp.VerifyInstitution{InstitutionID: id, Request: req})
	})
}

// RejectInstitution resolves Mutation.rejectInstitution.
func (r *Resolver) RejectInstitution(ctx context.Context, args struct {
	ID             graphql.ID
	Reason         string
	IdempotencyKey *string
}) (*InstitutionPayload, error) {
	return r.institutionMutation(ctx, args.ID, args.IdempotencyKey, func(svc expertsapp.Commands, id string, req expertsapp.Request) (expertsapp.Result, error) {
		return svc.RejectInstitution(ctx, expertsapp.RejectInstitution{InstitutionID: id, Reason: args.Reason, Request: req})
	})
}

// ExpertiseRequestInput is the ExpertiseRequestInput input.
type ExpertiseRequestInput struct {
	Title, TermsOfReference string
	Fields, Languages       []string
	Mode, From, To, Country string
	ExpertsNeeded           int32
}

func (in ExpertiseRequestInput) terms() expertevents.Terms {
	return expertevents.Terms{Title: in.Title, TermsOfReference: in.TermsOfReference, Fields: in.Fields, Languages: in.Languages,
		Mode: in.Mode, From: in.From, To: in.To, Country: in.Country, Experts: int(in.ExpertsNeeded)}
}

// requestMutation runs a mutation about one request (gid, when given, is its id) and
// answers with it as the actor now sees it.
func (r *Resolver) requestMutation(ctx context.Context, gid *graphql.ID, key *string,
	run func(svc expertsapp.Commands, id string, req expertsapp.Request) (expertsapp.Result, error)) (*ExpertiseRequestPayload, error) {
	req, err := command(ctx, key)
	if err != nil {
		return nil, err
	}
	var id string
	if gid != nil {
		if id, err = parseGlobalID(*gid, kindExpertiseRequest); err != nil {
			return nil, err
		}
	}
	svc, err := r.experts()
	if err != nil {
		return nil, err
	}
	res, err := run(svc, id, req)
	if err != nil {
		return nil, toGraphQL(ctx, r.deps.Logger, err)
	}
	out, err := r.expertiseRequestAs(ctx, res.RequestID, req.Actor)
	if err != nil {
		return nil, err
	}
	return &ExpertiseRequestPayload{request: out, position: positionString(res.Position)}, nil
}

// DraftExpertiseRequest resolves Mutation.draftExpertiseRequest.
func (r *Resolver) DraftExpertiseRequest(ctx context.Context, args struct {
	Input          ExpertiseRequestInput
	IdempotencyKey *string
}) (*ExpertiseRequestPayload, error) {
	return r.requestMutation(ctx, nil, args.IdempotencyKey, func(svc expertsapp.Commands, _ string, req expertsapp.Request) (expertsapp.Result, error) {
		return svc.DraftRequest(ctx, expertsapp.DraftRequest{Terms: args.Input.terms(), Request: req})
	})
}

// ReviseExpertiseRequest resolves Mutation.reviseExpertiseRequest.
func (r *Resolver) ReviseExpertiseRequest(ctx context.Context, args struct {
	ID             graphql.ID
	Input          ExpertiseRequestInput
	IdempotencyKey *string
}) (*ExpertiseRequestPayload, error) {
	return r.requestMutation(ctx, &args.ID, args.IdempotencyKey, func(svc expertsapp.Commands, id string, req expertsapp.Request) (expertsapp.Result, error) {
		return svc.ReviseRequest(ctx, expertsapp.ReviseRequest{RequestID: id, Terms: args.Input.terms(), Request: req})
	})
}

type requestArgs struct {
	ID             graphql.ID
	IdempotencyKey *string
}

// OpenExpertiseRequest resolves Mutation.openExpertiseRequest.
func (r *Resolver) OpenExpertiseRequest(ctx context.Context, args requestArgs) (*ExpertiseRequestPayload, error) {
	return r.requestMutation(ctx, &args.ID, args.IdempotencyKey, func(svc expertsapp.Commands, id string, req expertsapp.Request) (expertsapp.Result, error) {
		return svc.OpenRequest(ctx, expertsapp.RequestCommand{RequestID: id, Request: req})
	})
}

// CloseExpertiseRequest resolves Mutation.closeExpertiseRequest.
func (r *Resolver) CloseExpertiseRequest(ctx context.Context, args requestArgs) (*ExpertiseRequestPayload, error) {
	return r.requestMutation(ctx, &args.ID, args.IdempotencyKey, func(svc expertsapp.Commands, id string, req expertsapp.Request) (expertsapp.Result, error) {
		return svc.CloseRequest(ctx, expertsapp.RequestCommand{RequestID: id, Request: req})
	})
}

// CancelExpertiseRequest resolves Mutation.cancelExpertiseRequest.
func (r *Resolver) CancelExpertiseRequest(ctx context.Context, args struct {
	ID             graphql.ID
	Reason         string
	IdempotencyKey *string
}) (*ExpertiseRequestPayload, error) {
	return r.requestMutation(ctx, &args.ID, args.IdempotencyKey, func(svc expertsapp.Commands, id string, req expertsapp.Request) (expertsapp.Result, error) {
		return svc.CancelRequest(ctx, expertsapp.CancelRequest{RequestID: id, Reason: args.Reason, Request: req})
	})
}

type matchArgs struct {
	RequestID      graphql.ID
	ExpertID       graphql.ID
	IdempotencyKey *string
}

// matchMutation runs a mutation about one expert's match.
func (r *Resolver) matchMutation(ctx context.Context, args matchArgs, run func(expertsapp.Commands, context.Context, expertsapp.MatchCommand) (expertsapp.Result, error)) (*ExpertiseRequestPayload, error) {
	var expertID string
	if args.ExpertID != "" {
		var err error
		if expertID, err = parseGlobalID(args.ExpertID, kindExpert); err != nil {
			return nil, err
		}
	}
	return r.requestMutation(ctx, &args.RequestID, args.IdempotencyKey, func(svc expertsapp.Commands, id string, req expertsapp.Request) (expertsapp.Result, error) {
		return run(svc, ctx, expertsapp.MatchCommand{RequestID: id, ExpertID: expertID, Request: req})
	})
}

// ProposeExpert resolves Mutation.proposeExpert.
func (r *Resolver) ProposeExpert(ctx context.Context, args matchArgs) (*ExpertiseRequestPayload, error) {
	return r.matchMutation(ctx, args, expertsapp.Commands.ProposeMatch)
}

// AcceptMatch resolves Mutation.acceptMatch.
func (r *Resolver) AcceptMatch(ctx context.Context, args struct {
	RequestID      graphql.ID
	IdempotencyKey *string
}) (*ExpertiseRequestPayload, error) {
	return r.matchMutation(ctx, matchArgs{RequestID: args.RequestID, IdempotencyKey: args.IdempotencyKey}, expertsapp.Commands.AcceptMatch)
}

// DeclineMatch resolves Mutation.declineMatch.
func (r *Resolver) DeclineMatch(ctx context.Context, args matchArgs) (*ExpertiseRequestPayload, error) {
	return r.matchMutation(ctx, args, expertsapp.Commands.DeclineMatch)
}

// ConfirmMatch resolves Mutation.confirmMatch.
func (r *Resolver) ConfirmMatch(ctx context.Context, args matchArgs) (*ExpertiseRequestPayload, error) {
	return r.matchMutation(ctx, args, expertsapp.Commands.ConfirmMatch)
}

// RegisterInstitutionPayload resolves RegisterInstitutionPayload.
type RegisterInstitutionPayload struct {
	institution *InstitutionResolver
	token       *string
	position    *string
	keyWithheld *KeyWithheldResolver
}

// Institution resolves RegisterInstitutionPayload.institution.
func (p *RegisterInstitutionPayload) Institution() *InstitutionResolver { return p.institution }

// Token resolves RegisterInstitutionPayload.token.
func (p *RegisterInstitutionPayload) Token() *string { return p.token }

// KeyWithheld resolves RegisterInstitutionPayload.keyWithheld.
func (p *RegisterInstitutionPayload) KeyWithheld() *KeyWithheldResolver { return p.keyWithheld }

// Position resolves RegisterInstitutionPayload.position.
func (p *RegisterInstitutionPayload) Position() *string { return p.position }

// InstitutionPayload resolves InstitutionPayload.
type InstitutionPayload struct {
	institution *InstitutionResolver
	position    *string
}

// Institution resolves InstitutionPayload.institution.
func (p *InstitutionPayload) Institution() *InstitutionResolver { return p.institution }

// Position resolves InstitutionPayload.position.
func (p *InstitutionPayload) Position() *string { return p.position }

// ExpertiseRequestPayload resolves ExpertiseRequestPayload.
type ExpertiseRequestPayload struct {
	request  *ExpertiseRequestResolver
	position *string
}

// ExpertiseRequest resolves ExpertiseRequestPayload.expertiseRequest.
func (p *ExpertiseRequestPayload) ExpertiseRequest() *ExpertiseRequestResolver { return p.request }

// Position resolves ExpertiseRequestPayload.position.
func (p *ExpertiseRequestPayload) Position() *string { return p.position }

// InstitutionResolver resolves Institution. The entry holds only what the reader may
// see (the service left the rest out).
type InstitutionResolver struct {
	r *Resolver
	e expertsapp.InstitutionEntry
}

// ID resolves Institution.id.
func (i *InstitutionResolver) ID() graphql.ID { return globalID(kindInstitution, i.e.ID) }

// Name resolves Institution.name.
func (i *InstitutionResolver) Name() string { return i.e.Profile.Name }

// Kind resolves Institution.kind.
func (i *InstitutionResolver) Kind() string { return i.e.Profile.Kind }

// Country resolves Institution.country.
func (i *InstitutionResolver) Country() string { return i.e.Profile.Country }

// Website resolves Institution.website.
func (i *InstitutionResolver) Website() *string { return optional(i.e.Profile.Website) }

// Description resolves Institution.description.
func (i *InstitutionResolver) Description() *LocalizedTextResolver {
	d := i.e.Profile.Description
	return &LocalizedTextResolver{d.EN, d.FR, d.ES}
}

// Status resolves Institution.status.
func (i *InstitutionResolver) Status() string { return i.e.Status }

// Email resolves Institution.email.
func (i *InstitutionResolver) Email() *string { return optional(i.e.Profile.Email) }

// Language resolves Institution.language.
func (i *InstitutionResolver) Language() string {
	if i.e.Profile.Language == "" {
		return "EN"
	}
	return strings.ToUpper(i.e.Profile.Language)
}

// RejectionReason resolves Institution.rejectionReason.
func (i *InstitutionResolver) RejectionReason() *string { return optional(i.e.Reason) }

// RegisteredAt resolves Institution.registeredAt.
func (i *InstitutionResolver) RegisteredAt() DateTime { return DateTime{i.e.RegisteredAt} }

// Requests resolves Institution.requests.
func (i *InstitutionResolver) Requests(ctx context.Context, args struct {
	First *int32
	After *string
}) (*ExpertiseRequestConnectionResolver, error) {
	return i.r.expertiseRequests(ctx, expertsapp.RequestsQuery{InstitutionID: i.e.ID}, args.First, args.After)
}

// ExpertiseRequestConnectionResolver resolves ExpertiseRequestConnection.
type ExpertiseRequestConnectionResolver struct {
	nodes          []*ExpertiseRequestResolver
	hasNext, after bool
}

// Edges resolves ExpertiseRequestConnection.edges.
func (c *ExpertiseRequestConnectionResolver) Edges() []*ExpertiseRequestEdgeResolver {
	out := make([]*ExpertiseRequestEdgeResolver, len(c.nodes))
	for i, n := range c.nodes {
		out[i] = &ExpertiseRequestEdgeResolver{n}
	}
	return out
}

// PageInfo resolves ExpertiseRequestConnection.pageInfo.
func (c *ExpertiseRequestConnectionResolver) PageInfo() *PageInfoResolver {
	p := &PageInfoResolver{hasNext: c.hasNext, hasPrevious: c.after}
	if n := len(c.nodes); n > 0 {
		start, end := encodeRequestCursor(c.nodes[0].e), encodeRequestCursor(c.nodes[n-1].e)
		p.start, p.end = &start, &end
	}
	return p
}

// ExpertiseRequestEdgeResolver resolves ExpertiseRequestEdge.
type ExpertiseRequestEdgeResolver struct{ node *ExpertiseRequestResolver }

// Cursor resolves ExpertiseRequestEdge.cursor.
func (e *ExpertiseRequestEdgeResolver) Cursor() string { return encodeRequestCursor(e.node.e) }

// Node resolves ExpertiseRequestEdge.node.
func (e *ExpertiseRequestEdgeResolver) Node() *ExpertiseRequestResolver { return e.node }

// ExpertiseRequestResolver resolves ExpertiseRequest. full is set when the entry came
// from a query of the one request, with the matches the reader may see; a listing has
// none, and loads them when asked.
type ExpertiseRequestResolver struct {
	r    *Resolver
	e    expertsapp.RequestEntry
	full bool
}

// ID resolves ExpertiseRequest.id.
func (x *ExpertiseRequestResolver) ID() graphql.ID { return globalID(kindExpertiseRequest, x.e.ID) }

// Title resolves ExpertiseRequest.title.
func (x *ExpertiseRequestResolver) Title() string { return x.e.Terms.Title }

// TermsOfReference resolves ExpertiseRequest.termsOfReference.
func (x *ExpertiseRequestResolver) TermsOfReference() string { return x.e.Terms.TermsOfReference }

// Fields resolves ExpertiseRequest.fields.
func (x *ExpertiseRequestResolver) Fields() []*ExpertiseFieldResolver {
	return fieldsOf(x.e.Terms.Fields)
}

// Languages resolves ExpertiseRequest.languages.
func (x *ExpertiseRequestResolver) Languages() []string { return nonNil(x.e.Terms.Languages) }

// Mode resolves ExpertiseRequest.mode.
func (x *ExpertiseRequestResolver) Mode() string { return x.e.Terms.Mode }

// From resolves ExpertiseRequest.from.
func (x *ExpertiseRequestResolver) From() string { return x.e.Terms.From }

// To resolves ExpertiseRequest.to.
func (x *ExpertiseRequestResolver) To() string { return x.e.Terms.To }

// Country resolves ExpertiseRequest.country.
func (x *ExpertiseRequestResolver) Country() string { return x.e.Terms.Country }

// ExpertsNeeded resolves ExpertiseRequest.expertsNeeded.
func (x *ExpertiseRequestResolver) ExpertsNeeded() int32 { return int32(x.e.Terms.Experts) }

// Status resolves ExpertiseRequest.status.
func (x *ExpertiseRequestResolver) Status() string { return x.e.Status }

// CancellationReason resolves ExpertiseRequest.cancellationReason.
func (x *ExpertiseRequestResolver) CancellationReason() *string { return optional(x.e.Reason) }

// Institution resolves ExpertiseRequest.institution.
func (x *ExpertiseRequestResolver) Institution(ctx context.Context) (*InstitutionResolver, error) {
	return x.r.institutionAs(ctx, x.e.InstitutionID, auth.ActorFrom(ctx))
}

// CreatedAt resolves ExpertiseRequest.createdAt.
func (x *ExpertiseRequestResolver) CreatedAt() DateTime { return DateTime{x.e.CreatedAt} }

// OpenedAt resolves ExpertiseRequest.openedAt.
func (x *ExpertiseRequestResolver) OpenedAt() *DateTime { return optionalTime(x.e.OpenedAt) }

// AwaitingAnswers resolves ExpertiseRequest.awaitingAnswers.
func (x *ExpertiseRequestResolver) AwaitingAnswers() int32 { return int32(x.e.Awaiting) }

// Confirmed resolves ExpertiseRequest.confirmed.
func (x *ExpertiseRequestResolver) Confirmed() int32 { return int32(x.e.Confirmed) }

// Version resolves ExpertiseRequest.version.
func (x *ExpertiseRequestResolver) Version() int32 { return int32(x.e.Version) }

// Matches resolves ExpertiseRequest.matches.
func (x *ExpertiseRequestResolver) Matches(ctx context.Context) ([]*ExpertMatchResolver, error) {
	e := x.e
	if !x.full {
		full, err := x.r.expertiseRequestAs(ctx, x.e.ID, auth.ActorFrom(ctx))
		if err != nil || full == nil {
			return nil, err
		}
		e = full.e
	}
	out := make([]*ExpertMatchResolver, len(e.Matches))
	for i, m := range e.Matches {
		out[i] = &ExpertMatchResolver{r: x.r, m: m, request: &ExpertiseRequestResolver{r: x.r, e: e, full: true}}
	}
	return out, nil
}

// Candidates resolves ExpertiseRequest.candidates.
func (x *ExpertiseRequestResolver) Candidates(ctx context.Context, args struct{ First *int32 }) ([]*MatchCandidateResolver, error) {
	svc, err := x.r.experts()
	if err != nil {
		return nil, err
	}
	q := expertsapp.CandidatesQuery{RequestID: x.e.ID, Request: asRequest(ctx)}
	if args.First != nil {
		if *args.First < 1 || *args.First > 50 {
			return nil, badInput("first: from 1 to 50")
		}
		q.First = int(*args.First)
	}
	list, err := svc.Candidates(ctx, q)
	if err != nil {
		return nil, toGraphQL(ctx, x.r.deps.Logger, err)
	}
	out := make([]*MatchCandidateResolver, len(list))
	for i, c := range list {
		out[i] = &MatchCandidateResolver{r: x.r, c: c}
	}
	return out, nil
}

// ExpertMatchResolver resolves ExpertMatch.
type ExpertMatchResolver struct {
	r       *Resolver
	m       expertsapp.MatchEntry
	request *ExpertiseRequestResolver
}

// Request resolves ExpertMatch.request.
func (m *ExpertMatchResolver) Request() *ExpertiseRequestResolver { return m.request }

// Expert resolves ExpertMatch.expert: the service left out what the reader may not see.
func (m *ExpertMatchResolver) Expert(ctx context.Context) *ExpertResolver {
	if m.m.Expert == nil {
		return nil
	}
	a := auth.ActorFrom(ctx)
	return &ExpertResolver{r: m.r, e: *m.m.Expert, private: a.IsExpert(m.m.ExpertID) || a.IsAdmin() || a.Role == events.RoleCoordinator, contact: true}
}

// Status resolves ExpertMatch.status.
func (m *ExpertMatchResolver) Status() string { return m.m.Status }

// Score resolves ExpertMatch.score.
func (m *ExpertMatchResolver) Score() int32 { return int32(m.m.Score) }

// DeclinedBy resolves ExpertMatch.declinedBy.
func (m *ExpertMatchResolver) DeclinedBy() *string { return optional(m.m.DeclinedBy) }

// ProposedAt resolves ExpertMatch.proposedAt.
func (m *ExpertMatchResolver) ProposedAt() DateTime { return DateTime{m.m.ProposedAt} }

// UpdatedAt resolves ExpertMatch.updatedAt.
func (m *ExpertMatchResolver) UpdatedAt() DateTime { return DateTime{m.m.UpdatedAt} }

// MatchCandidateResolver resolves MatchCandidate.
type MatchCandidateResolver struct {
	r *Resolver
	c expertsapp.Candidate
}

// Expert resolves MatchCandidate.expert: candidates are for coordinators and admins.
func (c *MatchCandidateResolver) Expert() *ExpertResolver {
	return &ExpertResolver{r: c.r, e: c.c.Expert, private: true}
}

// Score resolves MatchCandidate.score.
func (c *MatchCandidateResolver) Score() int32 { return int32(c.c.Score) }

// Reasons resolves MatchCandidate.reasons.
func (c *MatchCandidateResolver) Reasons() []*MatchReasonResolver {
	out := make([]*MatchReasonResolver, len(c.c.Reasons))
	for i, r := range c.c.Reasons {
		out[i] = &MatchReasonResolver{r}
	}
	return out
}

// MatchReasonResolver resolves MatchReason.
type MatchReasonResolver struct{ r matching.Reason }

// Criterion resolves MatchReason.criterion.
func (m *MatchReasonResolver) Criterion() string { return m.r.Criterion }

// Points resolves MatchReason.points.
func (m *MatchReasonResolver) Points() int32 { return int32(m.r.Points) }

// Max resolves MatchReason.max.
func (m *MatchReasonResolver) Max() int32 { return int32(m.r.Max) }

// Matched resolves MatchReason.matched.
func (m *MatchReasonResolver) Matched() []string { return nonNil(m.r.Matched) }

// Matches resolves Expert.matches.
func (x *ExpertResolver) Matches(ctx context.Context) (*[]*ExpertMatchResolver, error) {
	if !x.private || x.r == nil {
		return nil, nil
	}
	svc, err := x.r.experts()
	if err != nil {
		return nil, err
	}
	list, err := svc.ExpertMatches(ctx, expertsapp.ExpertMatchesQuery{ExpertID: x.e.ID, Request: asRequest(ctx)})
	if err != nil {
		return nil, toGraphQL(ctx, x.r.deps.Logger, err)
	}
	out := make([]*ExpertMatchResolver, 0, len(list))
	for _, e := range list {
		for _, m := range e.Matches {
			out = append(out, &ExpertMatchResolver{r: x.r, m: m, request: &ExpertiseRequestResolver{r: x.r, e: e}})
		}
	}
	return &out, nil
}

// Expertise resolves Stats.expertise.
func (s *StatsResolver) Expertise(ctx context.Context) ([]*ExpertiseCountResolver, error) {
	tables.ReadOutside(ctx)
	svc, err := s.r.experts()
	if err != nil {
		if fault.CodeOf(err) == fault.Unavailable {
			return []*ExpertiseCountResolver{}, nil // a platform without the experts service has none
		}
		return nil, err
	}
	list, err := svc.ExpertiseStats(ctx)
	if err != nil {
		return nil, toGraphQL(ctx, s.r.deps.Logger, err)
	}
	out := make([]*ExpertiseCountResolver, len(list))
	for i, c := range list {
		out[i] = &ExpertiseCountResolver{c}
	}
	return out, nil
}

// ExpertiseCountResolver resolves ExpertiseCount.
type ExpertiseCountResolver struct{ c expertsapp.ExpertiseCount }

// Country resolves ExpertiseCount.country.
func (c *ExpertiseCountResolver) Country() string { return c.c.Country }

// Field resolves ExpertiseCount.field.
func (c *ExpertiseCountResolver) Field() *ExpertiseFieldResolver {
	return fieldsOf([]string{c.c.Field})[0]
}

// Requests resolves ExpertiseCount.requests.
func (c *ExpertiseCountResolver) Requests() int32 { return int32(c.c.Requests) }

// Matches resolves ExpertiseCount.matches.
func (c *ExpertiseCountResolver) Matches() int32 { return int32(c.c.Matches) }

// Missions resolves ExpertiseCount.missions.
func (c *ExpertiseCountResolver) Missions() int32 { return int32(c.c.Missions) }

// Institution resolves Viewer.institution.
func (v *ViewerResolver) Institution(ctx context.Context) (*InstitutionResolver, error) {
	if v.actor.Role != events.RoleInstitution {
		return nil, nil
	}
	return v.r.institutionAs(ctx, v.actor.Subject, v.actor)
}
