package server

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	lru "github.com/hashicorp/golang-lru/v2"

	"passerelle.dev/events"
	"passerelle.dev/events/projector"
	"passerelle.dev/graph/tables"
)

// Conditional requests. An answer of the read models changes only when a projection it
// read from commits (or when the clock makes a derived field change: a session becomes
// HELD once it ends). So the gateway tags each answer with what it depends on: the
// projections whose tables it read, and their marks when it began. A client that sends
// the tag back (If-None-Match) gets 304 Not Modified, without the query being run,
// while none of those projections has committed since and the minute is the same; and
// the anonymous answers can be kept (ResponseCacheEntries) and served again on the
// same terms.
//
// The tag also holds the reader (role, id, city), the document, the operation and the
// variables: a tag is never valid for another reader or another question. Answers with
// errors, answers of mutations, and answers that read anything but the read models
// (history and time travel read the event log; contacts come from the directory, which
// records who read them) get no tag, and `Cache-Control: no-store`.

// ReadModels tells which projection keeps each read-model table, and what each has
// committed.
type ReadModels struct {
	// Watermarks are the projections' marks, as this process knows them.
	Watermarks *projector.Watermarks
	// Owners maps each table of the serving schema to the projection that writes it.
	Owners map[string]string
	// Version changes when the code that answers changes (the schema, the projections'
	// versions): a tag from another version is never valid.
	Version string
}

// tagKey is what a request asks, for whom.
type tagKey struct {
	actor                     events.Actor
	query, operation, varJSON string
}

func newTagKey(actor events.Actor, req graphQLRequest) (tagKey, bool) {
	vars := []byte("{}")
	if len(req.Variables) > 0 {
		var err error
		// encoding/json writes a map's keys in order: the same variables, the same bytes.
		if vars, err = json.Marshal(req.Variables); err != nil {
			return tagKey{}, false
		}
	}
	return tagKey{actor: actor, query: req.Query, operation: req.OperationName, varJSON: string(vars)}, true
}

// tagFor computes the tag of an answer to k that read the projections in deps
// (indexes into the watermarks' names), given their marks; ok is false when a mark is
// not known (the watermarks are not ready).
func (rm *ReadModels) tagFor(k tagKey, deps []int, marks map[string]projector.Mark, now time.Time) (string, bool) {
	names := rm.Watermarks.Names()
	h := sha256.New()
	write := func(parts ...string) {
		for _, p := range parts {
			h.Write([]byte(p))
			h.Write([]byte{0})
		}
	}
	write(rm.Version, k.actor.Role.String(), k.actor.Subject, k.actor.City, k.actor.AssociationID, k.query, k.operation, k.varJSON,
		strconv.FormatInt(now.UTC().Truncate(time.Minute).Unix(), 10))
	bits := make([]string, len(deps))
	for i, d := range deps {
		if d < 0 || d >= len(names) {
			return "", false
		}
		m, ok := marks[names[d]]
		if !ok {
			return "", false
		}
		write(names[d], m.String())
		bits[i] = strconv.Itoa(d)
	}
	sum := h.Sum(nil)
	return `W/"` + strings.Join(bits, "-") + "." + base64.RawURLEncoding.EncodeToString(sum[:18]) + `"`, true
}

// depsOf is the projections (indexes) whose tables reads touched; ok is false when the
// answer read something else, or a table no projection owns.
func (rm *ReadModels) depsOf(reads *tables.Reads) ([]int, bool) {
	read, outside := reads.Tables()
	if outside {
		return nil, false
	}
	names := rm.Watermarks.Names()
	var deps []int
	for _, t := range read {
		owner, ok := rm.Owners[t]
		if !ok {
			return nil, false
		}
		i := slices.Index(names, owner)
		if i < 0 {
			return nil, false
		}
		if !slices.Contains(deps, i) {
			deps = append(deps, i)
		}
	}
	slices.Sort(deps)
	return deps, true
}

// depsOfTag reads the projections a tag says its answer read.
func depsOfTag(tag string) ([]int, bool) {
	tag = strings.TrimPrefix(strings.TrimSpace(tag), "W/")
	tag = strings.Trim(tag, `"`)
	bits, _, ok := strings.Cut(tag, ".")
	if !ok {
		return nil, false
	}
	var deps []int
	if bits != "" {
		for _, b := range strings.Split(bits, "-") {
			d, err := strconv.Atoi(b)
			if err != nil {
				return nil, false
			}
			deps = append(deps, d)
		}
	}
	return deps, true
}

// stillValid tells whether one of the tags in an If-None-Match header is the tag the
// answer to k would have now.
func (rm *ReadModels) stillValid(header string, k tagKey, marks map[string]projector.Mark, now time.Time) (string, bool) {
	for _, tag := range strings.Split(header, ",") {
		deps, ok := depsOfTag(tag)
		if !ok {
			continue
		}
		if current, ok := rm.tagFor(k, deps, marks, now); ok && current == strings.TrimSpace(tag) {
			return current, true
		}
	}
	return "", false
}

// responseCache keeps anonymous answers, the least recently used leaving first. It is
// safe for concurrent use.
type responseCache = lru.Cache[tagKey, cachedResponse]

type cachedResponse struct {
	deps []int
	tag  string
	body []byte
}

// newResponseCache returns a cache of max answers, nil for none.
func newResponseCache(max int) *responseCache {
	if max <= 0 {
		return nil
	}
	c, _ := lru.New[tagKey, cachedResponse](max) // only a size below 1 is refused
	return c
}

// setCaching sets the caching headers of an answer: its tag, and whether caches may
// keep it (anonymous answers: any cache, revalidated each time; a reader's: only the
// reader's own).
func setCaching(h http.Header, tag string, anonymous bool) {
	h.Add("Vary", "Authorization, Cookie") // beside CORS's Origin
	if tag == "" {
		h.Set("Cache-Control", "no-store")
		return
	}
	h.Set("ETag", tag)
	if anonymous {
		h.Set("Cache-Control", "public, no-cache")
	} else {
		h.Set("Cache-Control", "private, no-cache")
	}
}
