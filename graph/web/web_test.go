package web

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"
)

var build = fstest.MapFS{
	"index.html":              {Data: []byte(`<!doctype html><title>Passerelle</title><script type="module" src="/assets/app-1a2b.js"></script>`)},
	"graphiql.html":           {Data: []byte(`<!doctype html><title>GraphiQL</title>`)},
	"assets/app-1a2b.js":      {Data: []byte(strings.Repeat("console.log('passerelle');\n", 200))},
	"favicon.svg":             {Data: []byte(`<svg xmlns="http://www.w3.org/2000/svg"/>`)},
	"assets/monaco-9f8e.woff": {Data: []byte("font")},
}

func get(t *testing.T, h http.Handler, method, path string, header ...string) *http.Response {
	t.Helper()
	req := httptest.NewRequest(method, path, nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec.Result()
}

func body(t *testing.T, resp *http.Response) string {
	t.Helper()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestTheAppAnswersItsRoutesAndAssetsAreCachedForever(t *testing.T) {
	t.Parallel()
	h := handlerFor(build)
	for _, path := range []string{"/", "/associations", "/associations/QXNzb2NpYXRpb246MQ", "/cities/geneva", "/dialogues/x", "/my"} {
		resp := get(t, h, http.MethodGet, path)
		if resp.StatusCode != http.StatusOK || !strings.Contains(body(t, resp), "<title>Passerelle</title>") {
			t.Fatalf("%s: %d", path, resp.StatusCode)
		}
		if resp.Header.Get("Cache-Control") != "no-cache" || !strings.Contains(resp.Header.Get("Content-Security-Policy"), "script-src 'self'") ||
			resp.Header.Get("X-Frame-Options") != "DENY" || resp.Header.Get("Content-Type") != "text/html; charset=utf-8" {
			t.Fatalf("%s: headers %v", path, resp.Header)
		}
	}
	if resp := get(t, h, http.MethodGet, "/graphiql"); !strings.Contains(body(t, resp), "<title>GraphiQL</title>") ||
		!strings.Contains(resp.Header.Get("Content-Security-Policy"), "worker-src 'self' blob:") {
		t.Fatalf("/graphiql: %d %v", resp.StatusCode, resp.Header)
	}
	resp := get(t, h, http.MethodGet, "/assets/app-1a2b.js", "Accept-Encoding", "gzip")
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Cache-Control") != "public, max-age=31536000, immutable" ||
		resp.Header.Get("Content-Encoding") != "gzip" || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/javascript") {
		t.Fatalf("an asset: %d %v", resp.StatusCode, resp.Header)
	}
	if resp := get(t, h, http.MethodGet, "/favicon.svg"); resp.StatusCode != http.StatusOK || resp.Header.Get("Cache-Control") != "public, max-age=3600" {
		t.Fatalf("a file at the root: %d %v", resp.StatusCode, resp.Header)
	}
	// A file that is not in the build is not the app's page.
	if resp := get(t, h, http.MethodGet, "/assets/app-0000.js"); resp.StatusCode != http.StatusNotFound {
		t.Fatalf("a missing asset: %d", resp.StatusCode)
	}
	// A path that climbs out of the build stays in it: the app's page, nothing else.
	if resp := get(t, h, http.MethodGet, "/assets/../../../etc/passwd"); resp.StatusCode != http.StatusOK || !strings.Contains(body(t, resp), "<title>Passerelle</title>") {
		t.Fatalf("a path out of the build: %d", resp.StatusCode)
	}
	if resp := get(t, h, http.MethodPost, "/associations"); resp.StatusCode != http.StatusMethodNotAllowed {
		t.Fatalf("POST: %d", resp.StatusCode)
	}
}

func TestABinaryWithoutTheAppSaysHowToBuildIt(t *testing.T) {
	t.Parallel()
	resp := get(t, handlerFor(fstest.MapFS{".keep": {}}), http.MethodGet, "/")
	if resp.StatusCode != http.StatusServiceUnavailable || !strings.Contains(body(t, resp), "make build") {
		t.Fatalf("%d", resp.StatusCode)
	}
}
