package server_test

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"passerelle.dev/graph/server"
)

func sha(doc string) string {
	sum := sha256.Sum256([]byte(doc))
	return hex.EncodeToString(sum[:])
}

// send posts a request with a document (may be empty) and a persisted-query hash (may
// be empty), and returns the status, the first error's code and the data.
func send(t *testing.T, srv *httptest.Server, doc, hash string) (int, string, string) {
	t.Helper()
	req := map[string]any{}
	if doc != "" {
		req["query"] = doc
	}
	if hash != "" {
		req["extensions"] = map[string]any{"persistedQuery": map[string]any{"version": 1, "sha256Hash": hash}}
	}
	body, _ := json.Marshal(req)
	resp, err := http.Post(srv.URL+"/graphql", "application/json", strings.NewReader(string(body)))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	return decodeAnswer(t, resp)
}

func decodeAnswer(t *testing.T, resp *http.Response) (int, string, string) {
	t.Helper()
	var out struct {
		Data   json.RawMessage `json:"data"`
		Errors []struct {
			Extensions map[string]any `json:"extensions"`
		} `json:"errors"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		t.Fatal(err)
	}
	code := ""
	if len(out.Errors) > 0 {
		code, _ = out.Errors[0].Extensions["code"].(string)
	}
	return resp.StatusCode, code, string(out.Data)
}

// TestAutomaticPersistedQueries: a hash the gateway does not know gets
// PERSISTED_QUERY_NOT_FOUND; sent with its document, it runs and is kept; then the hash
// alone runs, by POST and by GET. A hash that is not the document's is refused.
func TestAutomaticPersistedQueries(t *testing.T) {
	t.Parallel()
	srv := newServer(t, server.Config{})
	const doc = `query Countries { countries { code } }`
	if status, code, _ := send(t, srv, "", sha(doc)); status != http.StatusOK || code != "PERSISTED_QUERY_NOT_FOUND" {
		t.Fatalf("unknown hash: %d %q", status, code)
	}
	if status, code, data := send(t, srv, doc, sha(doc)); status != http.StatusOK || code != "" || !strings.Contains(data, `"code"`) {
		t.Fatalf("hash with its document: %d %q %s", status, code, data)
	}
	if status, code, data := send(t, srv, "", sha(doc)); status != http.StatusOK || code != "" || !strings.Contains(data, `"code"`) {
		t.Fatalf("the hash alone: %d %q %s", status, code, data)
	}
	ext := `{"persistedQuery":{"version":1,"sha256Hash":"` + sha(doc) + `"}}`
	resp, err := http.Get(srv.URL + "/graphql?extensions=" + url.QueryEscape(ext))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if status, code, data := decodeAnswer(t, resp); status != http.StatusOK || code != "" || !strings.Contains(data, `"code"`) {
		t.Fatalf("the hash alone by GET: %d %q %s", status, code, data)
	}
	if status, code, _ := send(t, srv, `{ countries { name } }`, sha(doc)); status != http.StatusBadRequest || code != "BAD_USER_INPUT" {
		t.Fatalf("a hash that is not the document's: %d %q", status, code)
	}
}

// TestAnAllowListRunsItsDocumentsOnly: with an allow-list, listed documents run, sent in
// full or by hash; anything else is refused with PERSISTED_QUERY_NOT_ALLOWED and is not
// learned; a list whose hashes do not match its documents stops the gateway from
// starting.
func TestAnAllowListRunsItsDocumentsOnly(t *testing.T) {
	t.Parallel()
	const listed = `query Countries { countries { code } }`
	path := filepath.Join(t.TempDir(), "allowed.json")
	manifest, _ := json.Marshal(map[string]string{sha(listed): listed})
	if err := os.WriteFile(path, manifest, 0o600); err != nil {
		t.Fatal(err)
	}
	srv := newServer(t, server.Config{AllowedDocuments: path})
	if status, code, _ := send(t, srv, listed, ""); status != http.StatusOK || code != "" {
		t.Fatalf("a listed document: %d %q", status, code)
	}
	if status, code, _ := send(t, srv, "", sha(listed)); status != http.StatusOK || code != "" {
		t.Fatalf("a listed hash: %d %q", status, code)
	}
	const other = `{ countries { name } }`
	for range 2 {
		if status, code, _ := send(t, srv, other, sha(other)); status != http.StatusForbidden || code != "PERSISTED_QUERY_NOT_ALLOWED" {
			t.Fatalf("a document not listed: %d %q", status, code)
		}
	}
	if status, code, _ := send(t, srv, "", sha(other)); status != http.StatusForbidden || code != "PERSISTED_QUERY_NOT_ALLOWED" {
		t.Fatalf("a hash not listed: %d %q", status, code)
	}

	bad, _ := json.Marshal(map[string]string{sha(other): listed})
	if err := os.WriteFile(path, bad, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := server.New(testDeps(t), server.Config{AllowedDocuments: path}); err == nil || !strings.Contains(err.Error(), "hashes to") {
		t.Fatalf("a list whose hash does not match its document: %v", err)
	}
}
