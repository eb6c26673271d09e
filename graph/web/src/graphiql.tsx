// GraphiQL, bundled with the app and served by the gateway at /graphiql: it works with no
// network beyond this server. Requests carry the browser's session cookie, so a signed-in
// reader explores the API as themselves; subscriptions go over the same WebSocket
// protocol the app uses.
import 'graphiql/setup-workers/vite';
import 'graphiql/style.css';
import { createGraphiQLFetcher } from '@graphiql/toolkit';
import { GraphiQL } from 'graphiql';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';

const scheme = window.location.protocol === 'https:' ? 'wss' : 'ws';
const fetcher = createGraphiQLFetcher({
  url: `${window.location.origin}/graphql`,
  subscriptionUrl: `${scheme}://${window.location.host}/graphql`,
});

const defaultQuery = `# Verified associations of the Geneva dialogue
{
  associations(first: 10, filter: { city: "geneva" }) {
    totalCount
    edges { node { id name originCountries status city { name } } }
  }
}
`;

const root = document.getElementById('graphiql');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <GraphiQL fetcher={fetcher} defaultQuery={defaultQuery} defaultEditorToolsVisibility />
    </StrictMode>,
  );
}
