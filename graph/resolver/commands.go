package resolver

import (
	"context"
	"strconv"

	graphql "github.com/graph-gophers/graphql-go"

	directoryapp "passerelle.dev/directory/app"
	"passerelle.dev/events"
	"passerelle.dev/graph/tables"
	"passerelle.dev/servicekit/auth"
)

// command is how every mutation begins: refused on a GET request, else the request's
// actor, correlation id and idempotency key for the service.
func command(ctx context.Context, idempotencyKey *string) (directoryapp.Request, error) {
	// A mutation's answer is never tagged nor kept.
	tables.ReadOutside(ctx)
	info := requestInfo(ctx)
	if info.ReadOnly {
		return directoryapp.Request{}, badInput("mutations must be sent with POST")
	}
	req := directoryapp.Request{Actor: auth.ActorFrom(ctx), CorrelationID: info.CorrelationID}
	if idempotencyKey != nil {
		req.IdempotencyKey = *idempotencyKey
	}
	return req, nil
}

func positionString(p events.Position) *string {
	if p.IsZero() {
		return nil
	}
	s := strconv.FormatInt(p.GlobalPosition, 10)
	return &s
}

func intOf(n *int32) *int {
	if n == nil {
		return nil
	}
	v := int(*n)
	return &v
}

func stringOf(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func listOf(s *[]string) []string {
	if s == nil {
		return nil
	}
	return *s
}

type idArgs struct {
	ID             graphql.ID
	IdempotencyKey *string
}

type reasonArgs struct {
	ID             graphql.ID
	Reason         string
	IdempotencyKey *string
}
