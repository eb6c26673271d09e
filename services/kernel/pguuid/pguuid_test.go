package pguuid_test

import (
	"testing"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgtype"

	"passerelle.dev/kernel/pguuid"
)

// TestStringsEncodeAsBinaryUUIDs: a string id, alone or in a list, encodes into the 16
// bytes of the uuid; a string that is not an id is refused; uuids still decode.
func TestStringsEncodeAsBinaryUUIDs(t *testing.T) {
	t.Parallel()
	m := pgtype.NewMap()
	pguuid.Register(m)
	id := uuid.New()
	buf, err := m.Encode(pgtype.UUIDOID, pgtype.BinaryFormatCode, id.String(), nil)
	if err != nil || string(buf) != string(id[:]) {
		t.Fatalf("encoded %x, %v; want %x", buf, err, id[:])
	}
	if _, err := m.Encode(pgtype.UUIDArrayOID, pgtype.BinaryFormatCode, []string{id.String(), uuid.NewString()}, nil); err != nil {
		t.Fatalf("a list of ids: %v", err)
	}
	if _, err := m.Encode(pgtype.UUIDOID, pgtype.BinaryFormatCode, "not-an-id", nil); err == nil {
		t.Fatal("a string that is no id was encoded")
	}
	var back string
	if err := m.Scan(pgtype.UUIDOID, pgtype.BinaryFormatCode, buf, &back); err != nil || back != id.String() {
		t.Fatalf("decoded %q, %v", back, err)
	}
}

func BenchmarkStringID(b *testing.B) {
	m := pgtype.NewMap()
	pguuid.Register(m)
	id := uuid.NewString()
	for b.Loop() {
		if _, err := m.Encode(pgtype.UUIDOID, pgtype.BinaryFormatCode, id, nil); err != nil {
			b.Fatal(err)
		}
	}
}
