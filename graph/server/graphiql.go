package server

import "net/http"

// graphiqlPage loads GraphiQL from a CDN into the browser: nothing of it is served from
// here. It targets this gateway's /graphql, and a token can be set in the Headers tab as
// {"Authorization": "Bearer …"}.
const graphiqlPage = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Passerelle — GraphQL</title>
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <link rel="stylesheet" href="https://unpkg.com/graphiql@3.8.3/graphiql.min.css">
  <style>body { margin: 0; height: 100vh; } #graphiql { height: 100vh; }</style>
</head>
<body>
  <div id="graphiql">Loading GraphiQL…</div>
  <script crossorigin src="https://unpkg.com/react@18.3.1/umd/react.production.min.js"></script>
  <script crossorigin src="https://unpkg.com/react-dom@18.3.1/umd/react-dom.production.min.js"></script>
  <script crossorigin src="https://unpkg.com/graphiql@3.8.3/graphiql.min.js"></script>
  <script>
    const fetcher = GraphiQL.createFetcher({ url: new URL('/graphql', window.location.href).toString() });
    ReactDOM.createRoot(document.getElementById('graphiql')).render(
      React.createElement(GraphiQL, {
        fetcher,
        defaultEditorToolsVisibility: true,
        defaultQuery: '# Verified associations of the Geneva dialogue\n{\n  associations(first: 10, filter: {city: "geneva"}) {\n    totalCount\n    edges { node { id name originCountries status } }\n  }\n}\n',
      }),
    );
  </script>
</body>
</html>
`

func serveGraphiQL(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	_, _ = w.Write([]byte(graphiqlPage))
}
