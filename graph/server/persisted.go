package server

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"strings"

	lru "github.com/hashicorp/golang-lru/v2"

	"passerelle.dev/kernel/fault"
)

// Persisted documents.
//
// Automatic persisted queries (Apollo's convention): a client sends the SHA-256 of its
// document in extensions.persistedQuery.sha256Hash, without the document; the gateway
// answers PERSISTED_QUERY_NOT_FOUND the first time, the client sends both, and from then
// on the hash alone does. Requests shrink to their variables, and a GET request fits
// in a URL a CDN can cache. The gateway keeps PersistedQueries documents, the least
// recently used leaving first.
//
// An allow-list (AllowedDocuments) is what production wants: a JSON object of hashes to
// documents (the format of Apollo's and gql.tada's persisted-query manifests), the web
// app's and the partners' documents, reviewed like code. With it, the gateway runs
// those documents and nothing else, sent by hash or in full, and learns no new one.
//
// What persisting does not do with graphql-go: skip parsing and validating. graphql-go
// parses and validates the text on every Exec and has no API for a prepared document
// (upstream issue 227); the profile of the read benchmarks puts both at 5–7% of a
// request's CPU, the cost of not keeping a copy of the library.

var (
	errPersistedNotFound = fault.New(fault.PersistedQueryNotFound, "PersistedQueryNotFound")
	errPersistedMismatch = fault.New(fault.BadUserInput, "the document's SHA-256 is not the hash sent with it")
	errNotAllowed        = fault.New(fault.PersistedQueryNotAllowed,
		"this gateway runs only the documents on its allow-list; send one of them, or its hash")
)

// persistedQuery is extensions.persistedQuery.
type persistedQuery struct {
	Version    int    `json:"version"`
	SHA256Hash string `json:"sha256Hash"`
}

func persistedQueryOf(ext map[string]any) (persistedQuery, bool, error) {
	raw, ok := ext["persistedQuery"]
	if !ok {
		return persistedQuery{}, false, nil
	}
	b, err := json.Marshal(raw)
	if err != nil {
		return persistedQuery{}, false, fault.New(fault.BadUserInput, "extensions.persistedQuery is not an object")
	}
	var pq persistedQuery
	if err := json.Unmarshal(b, &pq); err != nil || pq.Version != 1 || len(pq.SHA256Hash) != 64 {
		return persistedQuery{}, false, fault.New(fault.BadUserInput, "extensions.persistedQuery must be {version: 1, sha256Hash: <64 hexadecimal digits>}")
	}
	pq.SHA256Hash = strings.ToLower(pq.SHA256Hash)
	return pq, true, nil
}

func hashOf(document string) string {
	sum := sha256.Sum256([]byte(document))
	return hex.EncodeToString(sum[:])
}

// documents resolves the document of a request: persisted ones by hash, and the
// allow-list. It is safe for concurrent use.
type documents struct {
	allowed map[string]string // nil: no allow-list
	// kept are the automatic persisted queries, by hash; nil keeps none.
	kept *lru.Cache[string, string]
}

func newDocuments(max int, allowListPath string) (*documents, error) {
	d := &documents{}
	if max > 0 {
		d.kept, _ = lru.New[string, string](max) // only a size below 1 is refused
	}
	if allowListPath == "" {
		return d, nil
	}
	raw, err := os.ReadFile(allowListPath)
	if err != nil {
		return nil, fmt.Errorf("server: allow-list: %w", err)
	}
	var manifest map[string]string
	if err := json.Unmarshal(raw, &manifest); err != nil {
		return nil, fmt.Errorf("server: allow-list %s: want a JSON object of SHA-256 hashes to documents: %w", allowListPath, err)
	}
	d.allowed = make(map[string]string, len(manifest))
	for hash, doc := range manifest {
		got := hashOf(doc)
		if got != strings.ToLower(hash) {
			return nil, fmt.Errorf("server: allow-list %s: the document under %s hashes to %s", allowListPath, hash, got)
		}
		d.allowed[got] = doc
	}
	return d, nil
}

// resolve fills in req.Query from its persisted hash, checks a hash sent with its
// document, and applies the allow-list.
func (d *documents) resolve(req *graphQLRequest) error {
	pq, persisted, err := persistedQueryOf(req.Extensions)
	if err != nil {
		return err
	}
	if d.allowed != nil {
		switch {
		case persisted && req.Query == "":
			doc, ok := d.allowed[pq.SHA256Hash]
			if !ok {
				return errNotAllowed
			}
			req.Query = doc
		case persisted && hashOf(req.Query) != pq.SHA256Hash:
			return errPersistedMismatch
		default:
			if _, ok := d.allowed[hashOf(req.Query)]; !ok {
				return errNotAllowed
			}
		}
		return nil
	}
	if !persisted {
		return nil
	}
	if req.Query == "" {
		var doc string
		var ok bool
		if d.kept != nil {
			doc, ok = d.kept.Get(pq.SHA256Hash)
		}
		if !ok {
			return errPersistedNotFound
		}
		req.Query = doc
		return nil
	}
	if hashOf(req.Query) != pq.SHA256Hash {
		return errPersistedMismatch
	}
	if d.kept != nil {
		d.kept.Add(pq.SHA256Hash, req.Query)
	}
	return nil
}
