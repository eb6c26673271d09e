// The GraphQL client: queries and mutations over HTTP, subscriptions over one WebSocket
// (graphql-transport-ws, the protocol the gateway speaks). Both carry the browser's
// session cookie; no token is ever attached by script.
import { createClient as createWSClient, type Client as WSClient } from 'graphql-ws';
import { pipe, tap } from 'wonka';
import { Client, cacheExchange, fetchExchange, makeOperation, mapExchange, subscriptionExchange, type Exchange, type Operation } from 'urql';

export interface Connection {
  client: Client;
  close: () => void;
}

export interface ConnectionEvents {
  /** reconnected: the socket came back after a cut (the page's queries reload). */
  reconnected?: () => void;
  /** sessionEnded: the gateway no longer honours the browser's session (it expired, or
   * its coordinator was dismissed). */
  sessionEnded?: () => void;
}

/** activeQueries keeps the queries pages are showing, so that all of them reload
 * together: after the live connection was cut, what it would have said is fetched. */
function activeQueries(): { exchange: Exchange; reloadAll: (client: Client) => void } {
  const active = new Map<number, Operation>();
  const exchange: Exchange =
    ({ forward }) =>
    (ops$) =>
      forward(
        pipe(
          ops$,
          tap((op) => {
            if (op.kind === 'query') active.set(op.key, op);
            else if (op.kind === 'teardown') active.delete(op.key);
          }),
        ),
      );
  const reloadAll = (client: Client) => {
    for (const op of active.values()) {
      client.reexecuteOperation(makeOperation(op.kind, op, { ...op.context, requestPolicy: 'network-only' }));
    }
  };
  return { exchange, reloadAll };
}

/** connect builds a client. A new session (sign in, sign out) gets a new client: nothing
 * cached for one reader shows to the next. */
export function connect(events: ConnectionEvents = {}): Connection {
  const scheme = window.location.protocol === 'https:' ? 'wss' : 'ws';
  let connectedBefore = false;
  const queries = activeQueries();
  let client: Client | null = null;
  const ws: WSClient = createWSClient({
    url: `${scheme}://${window.location.host}/graphql`,
    lazy: true,
    retryAttempts: Number.MAX_SAFE_INTEGER,
    shouldRetry: () => true,
    on: {
      connected: () => {
        if (connectedBefore && client) {
          queries.reloadAll(client);
          events.reconnected?.();
        }
        connectedBefore = true;
      },
    },
  });
  client = new Client({
    url: '/graphql',
    preferGetMethod: false,
    requestPolicy: 'cache-and-network',
    fetchOptions: { credentials: 'same-origin' },
    exchanges: [
      mapExchange({
        onError(error) {
          // A refused session (no reason: the token or the session itself is not valid),
          // as opposed to an action that needs one (its reason says which).
          const ended = error.graphQLErrors.some((e) => e.extensions?.code === 'UNAUTHENTICATED' && !e.extensions?.reason);
          if (ended) events.sessionEnded?.();
        },
      }),
      queries.exchange,
      cacheExchange,
      fetchExchange,
      subscriptionExchange({
        forwardSubscription(request) {
          const input = { ...request, query: request.query ?? '' };
          return {
            subscribe(sink) {
              const unsubscribe = ws.subscribe(input, sink);
              return { unsubscribe };
            },
          };
        },
      }),
    ],
  });
  return { client, close: () => void ws.dispose() };
}
