// Typed GraphQL documents: gql.tada reads the gateway's schema (graph/schema/schema.graphql,
// turned into src/graphql-env.d.ts by `npm run codegen`) and types every query written with
// `graphql(...)`, its variables and its result. A query that does not fit the schema does
// not compile.
import { initGraphQLTada } from 'gql.tada';
import type { introspection } from './graphql-env.d.ts';

export const graphql = initGraphQLTada<{
  introspection: introspection;
  scalars: { DateTime: string; ID: string };
  disableMasking: true;
}>();

export type { FragmentOf, ResultOf, VariablesOf } from 'gql.tada';
export { readFragment } from 'gql.tada';
