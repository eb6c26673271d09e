// Package web serves the web app that associations, coordinators, admins and the
// public use, and GraphiQL at /graphiql. Both are built by Vite from this folder
// (`npm run build`, which `make build` runs) into dist/, which the binary embeds: the
// gateway serves them with no Node.js and no network at run time.
//
// The app routes in the browser (history API), so every path that names no file of the
// build answers with the app's page, which shows the page for that path.
package web

import (
	"bytes"
	"embed"
	"io/fs"
	"net/http"
	"path"
	"strings"
	"time"

	"github.com/klauspost/compress/gzhttp"
)

//go:embed all:dist
var dist embed.FS

// GraphiQLPath is where GraphiQL is served.
const GraphiQLPath = "/graphiql"

// Built tells whether the binary embeds a build of the app (a `go build` without
// `make build` embeds none).
func Built() bool {
	_, err := fs.Stat(dist, "dist/index.html")
	return err == nil
}

// contentSecurity keeps the app's pages to their own scripts and styles and to this
// server: an injected script or a framing site gets nothing.
const contentSecurity = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"

// graphiQLSecurity is GraphiQL's: its editor sets styles inline and runs its language
// service in workers made from blobs.
const graphiQLSecurity = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
	"font-src 'self' data:; connect-src 'self'; worker-src 'self' blob:; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"

// Handler serves the build: hashed assets cached for a year, the pages never cached
// (a new release shows at the next visit), everything compressed for clients that
// accept it.
func Handler() http.Handler {
	files, err := fs.Sub(dist, "dist")
	if err != nil {
		panic(err) // the embed pattern guarantees the folder
	}
	return handlerFor(files)
}

// handlerFor serves a build held in files.
func handlerFor(files fs.FS) http.Handler {
	_, err := fs.Stat(files, "index.html")
	return gzhttp.GzipHandler(&handler{files: files, built: err == nil})
}

type handler struct {
	files fs.FS
	built bool
}

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Referrer-Policy", "same-origin")
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	if !h.built {
		h.notBuilt(w)
		return
	}
	name := strings.TrimPrefix(path.Clean(r.URL.Path), "/")
	switch {
	case name == strings.TrimPrefix(GraphiQLPath, "/"):
		h.page(w, r, "graphiql.html", graphiQLSecurity)
		return
	case name == "" || name == "index.html":
		h.page(w, r, "index.html", contentSecurity)
		return
	}
	if info, err := fs.Stat(h.files, name); err == nil && !info.IsDir() && !strings.HasSuffix(name, ".html") {
		if strings.HasPrefix(name, "assets/") {
			// Vite names assets by their content: a changed file is a new name.
			w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
		} else {
			w.Header().Set("Cache-Control", "public, max-age=3600")
		}
		http.ServeFileFS(w, r, h.files, name)
		return
	}
	if path.Ext(name) != "" {
		// A file that is not there (an old asset, a typo): not the app's page.
		http.NotFound(w, r)
		return
	}
	h.page(w, r, "index.html", contentSecurity)
}

// page serves one of the build's HTML pages.
func (h *handler) page(w http.ResponseWriter, r *http.Request, name, security string) {
	body, err := fs.ReadFile(h.files, name)
	if err != nil {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Security-Policy", security)
	w.Header().Set("Cache-Control", "no-cache")
	w.Header().Set("X-Frame-Options", "DENY")
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	http.ServeContent(w, r, name, time.Time{}, bytes.NewReader(body))
}

func (h *handler) notBuilt(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusServiceUnavailable)
	_, _ = w.Write([]byte("This binary was built without the web app: run `make build` (or `make run`), which builds it with npm first.\n" +
		"The GraphQL API is at /graphql.\n"))
}
