// The GraphQL client: queries and mutations over HTTP, subscriptions over one WebSocket
// (graphql-transport-ws, the protocol the gateway speaks). Both carry the browser's
// session cookie; no token is ever attached by script.
import { createClient as createWSClient, type Client as WSClient } from 'graphql-ws';
import { Client, cacheExchange, fetchExchange, subscriptionExchange } from 'urql';

export interface Connection {
  client: Client;
  close: () => void;
}

/** connect builds a client; onReconnect runs when the socket comes back after a cut, so
 * that live pages load what they missed. A new session (sign in, sign out) gets a new
 * client: nothing cached for one reader shows to the next. */
export function connect(onReconnect: () => void): Connection {
  const scheme = window.location.protocol === 'https:' ? 'wss' : 'ws';
  let connectedBefore = false;
  const ws: WSClient = createWSClient({
    url: `${scheme}://${window.location.host}/graphql`,
    lazy: true,
    retryAttempts: Number.MAX_SAFE_INTEGER,
    shouldRetry: () => true,
    on: {
      connected: () => {
        if (connectedBefore) onReconnect();
        connectedBefore = true;
      },
    },
  });
  const client = new Client({
    url: '/graphql',
    preferGetMethod: false,
    requestPolicy: 'cache-and-network',
    fetchOptions: { credentials: 'same-origin' },
    exchanges: [
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
