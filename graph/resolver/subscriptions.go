package resolver

import (
	"context"

	graphql "github.com/graph-gophers/graphql-go"

	"passerelle.dev/graph/changes"
	"passerelle.dev/kernel/fault"
	"passerelle.dev/servicekit/auth"
)

// Changes tells subscriptions which objects changed, once the read models show it.
type Changes interface {
	Subscribe(changes.Topic) *changes.Subscription
}

// follow runs a subscription: each time objects of the topic change, load sends the
// ones the reader may see, in their state now. It stops when the client goes.
func follow[T any](ctx context.Context, c Changes, topic changes.Topic, load func(ctx context.Context, id string) (T, bool)) <-chan T {
	sub := c.Subscribe(topic)
	out := make(chan T)
	go func() {
		defer close(out)
		defer sub.Close()
		for {
			select {
			case <-ctx.Done():
				return
			case <-sub.Signal():
			}
			for _, id := range sub.Take() {
				// Each event's objects load with batches of their own: what one event
				// loaded is stale for the next.
				v, ok := load(withBatches(ctx), id)
				if !ok {
					continue
				}
				select {
				case out <- v:
				case <-ctx.Done():
					return
				}
			}
		}
	}()
	return out
}

// SessionChanged resolves Subscription.sessionChanged.
func (r *Resolver) SessionChanged(ctx context.Context, args struct{ City string }) (<-chan *SessionResolver, error) {
	if _, ok, err := r.deps.Sessions.City(ctx, args.City); err != nil || !ok {
		if err == nil {
			err = &Error{code: fault.BadUserInput, message: "no city " + args.City, details: map[string]any{"field": "city"}}
		}
		return nil, toGraphQL(ctx, r.deps.Logger, err)
	}
	return follow(ctx, r.deps.Changes, changes.Topic{Kind: changes.CitySessions, Key: args.City}, func(ctx context.Context, id string) (*SessionResolver, bool) {
		s, ok, err := r.deps.Sessions.Session(ctx, id)
		if err != nil || !ok {
			return nil, false
		}
		ss, err := r.oneSession(ctx, s, "")
		return ss, err == nil
	}), nil
}

// AssociationChanged resolves Subscription.associationChanged.
func (r *Resolver) AssociationChanged(ctx context.Context, args struct{ ID graphql.ID }) (<-chan *AssociationResolver, error) {
	id, err := parseGlobalID(args.ID, kindAssociation)
	if err != nil {
		return nil, err
	}
	return follow(ctx, r.deps.Changes, changes.Topic{Kind: changes.Association, Key: id}, func(ctx context.Context, id string) (*AssociationResolver, bool) {
		a, ok, err := r.deps.Associations.Get(ctx, id, visibility(auth.ActorFrom(ctx)))
		if err != nil || !ok {
			return nil, false
		}
		return r.association(ctx, a), true
	}), nil
}

// ProposalChanged resolves Subscription.proposalChanged.
func (r *Resolver) ProposalChanged(ctx context.Context, args struct{ ID graphql.ID }) (<-chan *ProposalResolver, error) {
	id, err := parseGlobalID(args.ID, kindProposal)
	if err != nil {
		return nil, err
	}
	return follow(ctx, r.deps.Changes, changes.Topic{Kind: changes.Proposal, Key: id}, func(ctx context.Context, id string) (*ProposalResolver, bool) {
		p, ok, err := r.deps.Proposals.Proposal(ctx, id, proposalVisibility(auth.ActorFrom(ctx)))
		if err != nil || !ok {
			return nil, false
		}
		pr, err := r.oneProposal(ctx, p, "")
		return pr, err == nil
	}), nil
}
