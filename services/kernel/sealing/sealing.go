// Package sealing encrypts personal data so that it can be erased from an append-only
// log: each subject (an association's contact, an expert) has a data key of its own,
// kept wrapped with the master key in a table of the owning service; data is sealed
// with AES-256-GCM under that key, bound to the subject by its additional data.
// Destroying the key ("crypto-shredding") leaves every sealed copy — in events, backups,
// rebuilt read models — unreadable.
package sealing

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// NewAEAD returns AES-256-GCM over a 32-byte key.
func NewAEAD(key []byte) (cipher.AEAD, error) {
	if len(key) != 32 {
		return nil, fmt.Errorf("a key has 32 bytes, not %d", len(key))
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(block)
}

// Seal encrypts with a fresh nonce, prefixed to the result.
func Seal(aead cipher.AEAD, plain, aad []byte) ([]byte, error) {
	nonce := make([]byte, aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return nil, err
	}
	return aead.Seal(nonce, nonce, plain, aad), nil
}

// Open decrypts what Seal sealed with the same additional data.
func Open(aead cipher.AEAD, sealed, aad []byte) ([]byte, error) {
	if len(sealed) < aead.NonceSize() {
		return nil, errors.New("sealed data too short")
	}
	return aead.Open(nil, sealed[:aead.NonceSize()], sealed[aead.NonceSize():], aad)
}

// Keys are the data keys of one kind of subject, in a table
// `<table> (subject_id uuid PRIMARY KEY, wrapped_key bytea NOT NULL)` that the owning
// service creates. It is safe for concurrent use.
type Keys struct {
	table  string
	kind   string
	master cipher.AEAD
}

// NewKeys returns the keys kept in table (schema-qualified), for subjects of kind (its
// name binds wrapped keys and data to it); masterKey is 32 bytes.
func NewKeys(table, kind string, masterKey []byte) (*Keys, error) {
	aead, err := NewAEAD(masterKey)
	if err != nil {
		return nil, fmt.Errorf("sealing: master key: %w", err)
	}
	return &Keys{table: table, kind: kind, master: aead}, nil
}

func (k *Keys) keyAAD(id string) []byte  { return []byte("passerelle/" + k.kind + "-key/" + id) }
func (k *Keys) dataAAD(id string) []byte { return []byte("passerelle/" + k.kind + "/" + id) }

// Create makes a subject's data key, in the transaction that records the subject.
func (k *Keys) Create(ctx context.Context, tx pgx.Tx, id string) (Subject, error) {
	fresh := make([]byte, 32)
	if _, err := rand.Read(fresh); err != nil {
		return Subject{}, err
	}
	wrapped, err := Seal(k.master, fresh, k.keyAAD(id))
	if err != nil {
		return Subject{}, err
	}
	if _, err := tx.Exec(ctx, `INSERT INTO `+k.table+` (subject_id, wrapped_key) VALUES ($1, $2)`, id, wrapped); err != nil {
		return Subject{}, fmt.Errorf("sealing: store the key of %s: %w", id, err)
	}
	return k.subject(id, fresh)
}

// Load returns a subject's key; ok is false once it was destroyed (or never made).
func (k *Keys) Load(ctx context.Context, q interface {
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}, id string) (Subject, bool, error) {
	var wrapped []byte
	err := q.QueryRow(ctx, `SELECT wrapped_key FROM `+k.table+` WHERE subject_id = $1`, id).Scan(&wrapped)
	if errors.Is(err, pgx.ErrNoRows) {
		return Subject{}, false, nil
	}
	if err != nil {
		return Subject{}, false, fmt.Errorf("sealing: read the key of %s: %w", id, err)
	}
	key, err := Open(k.master, wrapped, k.keyAAD(id))
	if err != nil {
		return Subject{}, false, fmt.Errorf("sealing: unwrap the key of %s: %w", id, err)
	}
	s, err := k.subject(id, key)
	return s, err == nil, err
}

// Destroy deletes a subject's key, in the transaction that records the erasure.
func (k *Keys) Destroy(ctx context.Context, tx pgx.Tx, id string) error {
	if _, err := tx.Exec(ctx, `DELETE FROM `+k.table+` WHERE subject_id = $1`, id); err != nil {
		return fmt.Errorf("sealing: destroy the key of %s: %w", id, err)
	}
	return nil
}

func (k *Keys) subject(id string, key []byte) (Subject, error) {
	aead, err := NewAEAD(key)
	if err != nil {
		return Subject{}, err
	}
	return Subject{aead: aead, aad: k.dataAAD(id)}, nil
}

// Subject seals and opens one subject's data with its key.
type Subject struct {
	aead cipher.AEAD
	aad  []byte
}

// Known tells whether the subject has a key: false for the zero Subject, which Load
// returns once the key was destroyed.
func (s Subject) Known() bool { return s.aead != nil }

// Seal encrypts plain for the subject.
func (s Subject) Seal(plain []byte) ([]byte, error) { return Seal(s.aead, plain, s.aad) }

// Open decrypts what Seal sealed for the same subject.
func (s Subject) Open(sealed []byte) ([]byte, error) { return Open(s.aead, sealed, s.aad) }
