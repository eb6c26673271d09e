package resolver

import (
	"encoding/base64"
	"strconv"
	"strings"

	"github.com/google/uuid"
	graphql "github.com/graph-gophers/graphql-go"
)

// Kinds of global ids.
const (
	kindAssociation = "Association"
)

// globalID makes the opaque id clients see: base64url("Kind:localID"). Clients must not
// parse it; the kind inside lets any id be resolved without knowing its type.
func globalID(kind, local string) graphql.ID {
	return graphql.ID(base64.RawURLEncoding.EncodeToString([]byte(kind + ":" + local)))
}

// parseGlobalID returns the local id of a global id of the given kind.
func parseGlobalID(id graphql.ID, kind string) (string, error) {
	raw, err := base64.RawURLEncoding.DecodeString(string(id))
	if err != nil {
		return "", badInput("malformed id")
	}
	k, local, ok := strings.Cut(string(raw), ":")
	if !ok || k != kind {
		return "", badInput("this id is not an id of " + strings.ToLower(kind) + "s")
	}
	if _, err := uuid.Parse(local); err != nil {
		return "", badInput("malformed id")
	}
	return local, nil
}

// Cursors are opaque too: base64url("c:seq") for a read model's sequence number.
func cursorOf(seq int64) string {
	return base64.RawURLEncoding.EncodeToString([]byte("c:" + strconv.FormatInt(seq, 10)))
}

func parseCursor(c string) (int64, error) {
	raw, err := base64.RawURLEncoding.DecodeString(c)
	if err == nil {
		if s, ok := strings.CutPrefix(string(raw), "c:"); ok {
			if seq, err := strconv.ParseInt(s, 10, 64); err == nil && seq >= 0 {
				return seq, nil
			}
		}
	}
	return 0, badInput("malformed cursor: pass an endCursor or an edge cursor from an earlier page")
}
