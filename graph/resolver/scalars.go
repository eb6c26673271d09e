package resolver

import (
	"encoding/json"
	"fmt"
	"time"

	graphql "github.com/graph-gophers/graphql-go"
)

// DateTime is the DateTime scalar: an instant written as RFC 3339, in UTC on output.
type DateTime struct{ time.Time }

// ImplementsGraphQLType maps DateTime to the schema's DateTime scalar.
func (DateTime) ImplementsGraphQLType(name string) bool { return name == "DateTime" }

// UnmarshalGraphQL reads a DateTime argument.
func (d *DateTime) UnmarshalGraphQL(input any) error {
	s, ok := input.(string)
	if !ok {
		return fmt.Errorf("a DateTime is an RFC 3339 string, got %T", input)
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return fmt.Errorf("a DateTime is an RFC 3339 string with a time zone, e.g. 2026-11-28T18:30:00Z: %w", err)
	}
	d.Time = t
	return nil
}

// MarshalJSON writes the instant in UTC.
func (d DateTime) MarshalJSON() ([]byte, error) {
	return json.Marshal(d.UTC().Format(time.RFC3339Nano))
}

// AsOfArgs are the arguments of the queries that fetch one object, now or as it stood
// at an instant.
type AsOfArgs struct {
	ID   graphql.ID
	AsOf *DateTime
}
