package resolver

import (
	"encoding/base64"
	"encoding/json"
	"strings"
	"time"

	"github.com/google/uuid"
	graphql "github.com/graph-gophers/graphql-go"

	"passerelle.dev/graph/readmodel"
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

// cursorJSON is a cursor's content: the ordering it belongs to and the sort key of the
// row it points after. Clients see it base64url-encoded and must not parse it.
type cursorJSON struct {
	Order string    `json:"o"`
	Name  string    `json:"n,omitempty"`
	At    time.Time `json:"t,omitzero"`
	Seq   int64     `json:"s"`
}

func orderCode(o readmodel.Order) string {
	code := "R"
	if o.ByName {
		code = "N"
	}
	if o.Descending {
		code += "-"
	}
	return code
}

func encodeCursor(c readmodel.Cursor) string {
	b, _ := json.Marshal(cursorJSON{Order: orderCode(c.Order), Name: c.NameFolded, At: c.RegisteredAt, Seq: c.Seq})
	return base64.RawURLEncoding.EncodeToString(b)
}

func decodeCursor(s string, o readmodel.Order) (*readmodel.Cursor, error) {
	raw, err := base64.RawURLEncoding.DecodeString(s)
	var c cursorJSON
	if err != nil || json.Unmarshal(raw, &c) != nil || c.Seq < 0 {
		return nil, badInput("malformed cursor: pass an endCursor or an edge cursor from an earlier page")
	}
	if c.Order != orderCode(o) {
		return nil, badInput("this cursor belongs to another ordering: page on with the orderBy it came from")
	}
	return &readmodel.Cursor{Order: o, NameFolded: c.Name, RegisteredAt: c.At, Seq: c.Seq}, nil
}
