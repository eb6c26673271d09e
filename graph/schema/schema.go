// Package schema holds the gateway's GraphQL schema (SDL), embedded in the binary.
package schema

import _ "embed"

// SDL is the schema in GraphQL's schema definition language.
//
//go:embed schema.graphql
var SDL string
