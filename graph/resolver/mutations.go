package resolver

import (
	"context"
	"strconv"

	graphql "github.com/graph-gophers/graphql-go"

	directoryapp "passerelle.dev/directory/app"
	"passerelle.dev/events"
	"passerelle.dev/events/auth"
)

// command is how every mutation begins: refused on a GET request, else the request's
// actor and correlation id for the service.
func command(ctx context.Context) (directoryapp.Request, error) {
	info := requestInfo(ctx)
	if info.ReadOnly {
		return directoryapp.Request{}, badInput("mutations must be sent with POST")
	}
	return directoryapp.Request{Actor: auth.ActorFrom(ctx), CorrelationID: info.CorrelationID}, nil
}

// settle waits, bounded, until the read models have projected pos, so that queries sent
// after the mutation returns see its effect. A read model that is late makes the
// mutation slow, not wrong: the change is stored, so it still returns success.
func (r *Resolver) settle(ctx context.Context, pos events.Position) {
	waitCtx, cancel := context.WithTimeout(ctx, r.cfg.ConsistencyTimeout)
	defer cancel()
	if err := r.deps.Consistency.WaitFor(waitCtx, pos, r.deps.Projections...); err != nil {
		r.deps.Logger.WarnContext(ctx, "read models are late; the mutation returns before they reflect it",
			"position", pos.String(), "err", err)
	}
}

// RegisterAssociationInput is the RegisterAssociationInput input.
type RegisterAssociationInput struct {
	Name            string
	City            string
	OriginCountries []string
}

// RegisterAssociation resolves Mutation.registerAssociation.
func (r *Resolver) RegisterAssociation(ctx context.Context, args struct{ Input RegisterAssociationInput }) (*RegisterAssociationPayload, error) {
	req, err := command(ctx)
	if err != nil {
		return nil, err
	}
	res, err := r.deps.Directory.RegisterAssociation(ctx, directoryapp.RegisterAssociation{
		Name: args.Input.Name, City: args.Input.City, OriginCountries: args.Input.OriginCountries, Request: req,
	})
	if err != nil {
		return nil, toGraphQL(ctx, r.deps.Logger, err)
	}
	r.settle(ctx, res.Position)
	return &RegisterAssociationPayload{association: associationFromCommand(res.Association), token: res.Token, position: res.Position}, nil
}

// RegisterAssociationPayload resolves RegisterAssociationPayload.
type RegisterAssociationPayload struct {
	association *AssociationResolver
	token       string
	position    events.Position
}

// Association resolves RegisterAssociationPayload.association.
func (p *RegisterAssociationPayload) Association() *AssociationResolver { return p.association }

// Token resolves RegisterAssociationPayload.token.
func (p *RegisterAssociationPayload) Token() string { return p.token }

// Position resolves RegisterAssociationPayload.position.
func (p *RegisterAssociationPayload) Position() string {
	return strconv.FormatInt(p.position.GlobalPosition, 10)
}

// VerifyAssociation resolves Mutation.verifyAssociation.
func (r *Resolver) VerifyAssociation(ctx context.Context, args struct{ ID graphql.ID }) (*VerifyAssociationPayload, error) {
	req, err := command(ctx)
	if err != nil {
		return nil, err
	}
	id, err := parseGlobalID(args.ID, kindAssociation)
	if err != nil {
		return nil, err
	}
	res, err := r.deps.Directory.VerifyAssociation(ctx, directoryapp.VerifyAssociation{AssociationID: id, Request: req})
	if err != nil {
		return nil, toGraphQL(ctx, r.deps.Logger, err)
	}
	r.settle(ctx, res.Position)
	return &VerifyAssociationPayload{association: associationFromCommand(res.Association), position: res.Position}, nil
}

// VerifyAssociationPayload resolves VerifyAssociationPayload.
type VerifyAssociationPayload struct {
	association *AssociationResolver
	position    events.Position
}

// Association resolves VerifyAssociationPayload.association.
func (p *VerifyAssociationPayload) Association() *AssociationResolver { return p.association }

// Position resolves VerifyAssociationPayload.position.
func (p *VerifyAssociationPayload) Position() string {
	return strconv.FormatInt(p.position.GlobalPosition, 10)
}
