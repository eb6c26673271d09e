package resolver

import (
	"context"
	"encoding/base64"
	"strings"

	graphql "github.com/graph-gophers/graphql-go"

	"passerelle.dev/servicekit/auth"
)

// NodeResolver resolves the Node interface: one of the object resolvers.
type NodeResolver struct{ node interface{ ID() graphql.ID } }

// ID resolves Node.id.
func (n *NodeResolver) ID() graphql.ID { return n.node.ID() }

// ToAssociation lets graphql-go tell the node's type.
func (n *NodeResolver) ToAssociation() (*AssociationResolver, bool) {
	r, ok := n.node.(*AssociationResolver)
	return r, ok
}

// ToCity lets graphql-go tell the node's type.
func (n *NodeResolver) ToCity() (*CityResolver, bool) {
	r, ok := n.node.(*CityResolver)
	return r, ok
}

// ToCoordinator lets graphql-go tell the node's type.
func (n *NodeResolver) ToCoordinator() (*CoordinatorResolver, bool) {
	r, ok := n.node.(*CoordinatorResolver)
	return r, ok
}

// ToDialogueSession lets graphql-go tell the node's type.
func (n *NodeResolver) ToDialogueSession() (*SessionResolver, bool) {
	r, ok := n.node.(*SessionResolver)
	return r, ok
}

// ToSessionRegistration lets graphql-go tell the node's type.
func (n *NodeResolver) ToSessionRegistration() (*RegistrationResolver, bool) {
	r, ok := n.node.(*RegistrationResolver)
	return r, ok
}

// ToCall lets graphql-go tell the node's type.
func (n *NodeResolver) ToCall() (*CallResolver, bool) {
	r, ok := n.node.(*CallResolver)
	return r, ok
}

// ToProposal lets graphql-go tell the node's type.
func (n *NodeResolver) ToProposal() (*ProposalResolver, bool) {
	r, ok := n.node.(*ProposalResolver)
	return r, ok
}

// ToExpert lets graphql-go tell the node's type.
func (n *NodeResolver) ToExpert() (*ExpertResolver, bool) {
	r, ok := n.node.(*ExpertResolver)
	return r, ok
}

// ToInstitution lets graphql-go tell the node's type.
func (n *NodeResolver) ToInstitution() (*InstitutionResolver, bool) {
	r, ok := n.node.(*InstitutionResolver)
	return r, ok
}

// ToExpertiseRequest lets graphql-go tell the node's type.
func (n *NodeResolver) ToExpertiseRequest() (*ExpertiseRequestResolver, bool) {
	r, ok := n.node.(*ExpertiseRequestResolver)
	return r, ok
}

// Node resolves Query.node: the id's kind says which query answers, with that query's
// visibility.
func (r *Resolver) Node(ctx context.Context, args struct{ ID graphql.ID }) (*NodeResolver, error) {
	raw, err := base64.RawURLEncoding.DecodeString(string(args.ID))
	if err != nil {
		return nil, badInput("malformed id")
	}
	kind, local, _ := strings.Cut(string(raw), ":")
	var node interface{ ID() graphql.ID }
	switch kind {
	case kindAssociation:
		a, err := r.Association(ctx, AsOfArgs{ID: args.ID})
		if err != nil || a == nil {
			return nil, err
		}
		node = a
	case kindCity:
		c, err := r.City(ctx, struct{ Slug string }{local})
		if err != nil || c == nil {
			return nil, err
		}
		node = c
	case kindCoordinator:
		id, err := parseGlobalID(args.ID, kindCoordinator)
		if err != nil {
			return nil, err
		}
		c, ok, err := r.deps.Sessions.Coordinator(ctx, id)
		reader := auth.ActorFrom(ctx)
		if err != nil || !ok || !reader.IsAdmin() && !reader.CoordinatesCity(c.City) {
			return nil, toGraphQL(ctx, r.deps.Logger, err)
		}
		node = &CoordinatorResolver{r: r, row: c}
	case kindSession:
		s, err := r.DialogueSession(ctx, AsOfArgs{ID: args.ID})
		if err != nil || s == nil {
			return nil, err
		}
		node = s
	case kindRegistration:
		reg, err := r.registrationNode(ctx, args.ID)
		if err != nil || reg == nil {
			return nil, err
		}
		node = reg
	case kindCall:
		c, err := r.Call(ctx, struct{ ID graphql.ID }{args.ID})
		if err != nil || c == nil {
			return nil, err
		}
		node = c
	case kindProposal:
		p, err := r.Proposal(ctx, AsOfArgs{ID: args.ID})
		if err != nil || p == nil {
			return nil, err
		}
		node = p
	case kindExpert:
		x, err := r.Expert(ctx, struct{ ID graphql.ID }{args.ID})
		if err != nil || x == nil {
			return nil, err
		}
		node = x
	case kindInstitution:
		i, err := r.Institution(ctx, struct{ ID graphql.ID }{args.ID})
		if err != nil || i == nil {
			return nil, err
		}
		node = i
	case kindExpertiseRequest:
		x, err := r.ExpertiseRequest(ctx, struct{ ID graphql.ID }{args.ID})
		if err != nil || x == nil {
			return nil, err
		}
		node = x
	default:
		return nil, badInput("this id is not the id of any object")
	}
	return &NodeResolver{node: node}, nil
}

// registrationNode is a registration, for those who may see it: the session's
// coordinators and admins, and the association itself.
func (r *Resolver) registrationNode(ctx context.Context, id graphql.ID) (*RegistrationResolver, error) {
	local, err := parseGlobalID(id, kindRegistration)
	if err != nil {
		return nil, err
	}
	reg, ok, err := r.deps.Sessions.Registration(ctx, local)
	if err != nil || !ok {
		return nil, toGraphQL(ctx, r.deps.Logger, err)
	}
	s, ok, err := r.deps.Sessions.Session(ctx, reg.SessionID)
	if err != nil || !ok {
		return nil, toGraphQL(ctx, r.deps.Logger, err)
	}
	reader := auth.ActorFrom(ctx)
	switch seesRegistrations(reader, s) {
	case allRegistrations:
	case ownRegistration:
		if !reader.SpeaksFor(reg.AssociationID) {
			return nil, nil
		}
	default:
		return nil, nil
	}
	g := r.registration(ctx, reg)
	if err := r.withAssociations(ctx, graphql.HasSelectedField(ctx, "association"), []*RegistrationResolver{g}); err != nil {
		return nil, err
	}
	return g, nil
}
