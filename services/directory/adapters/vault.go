package adapters

import (
	"context"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/json"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"passerelle.dev/directory/app"
	"passerelle.dev/directory/domain/association"
	"passerelle.dev/kernel/sealing"
)

// ContactVault seals contact persons with AES-256-GCM under a data key per association,
// kept in directory.contact_keys wrapped with the master key. Destroying a data key
// (ForgetContact) makes every sealed copy of that association's contact unreadable.
// It is safe for concurrent use.
type ContactVault struct {
	pool   *pgxpool.Pool
	master cipher.AEAD
}

var _ app.ContactVault = (*ContactVault)(nil)

// NewContactVault returns the vault; masterKey is 32 bytes.
func NewContactVault(pool *pgxpool.Pool, masterKey []byte) (*ContactVault, error) {
	aead, err := sealing.NewAEAD(masterKey)
	if err != nil {
		return nil, fmt.Errorf("contact vault: master key: %w", err)
	}
	return &ContactVault{pool: pool, master: aead}, nil
}

func keyAAD(id string) []byte     { return []byte("passerelle/contact-key/" + id) }
func contactAAD(id string) []byte { return []byte("passerelle/contact/" + id) }

// Seal implements app.ContactVault.
func (v *ContactVault) Seal(ctx context.Context, associationID, city string, c association.Contact) (*association.SealedContact, error) {
	dataKey, err := v.keyFor(ctx, associationID, city)
	if err != nil {
		return nil, err
	}
	aead, err := sealing.NewAEAD(dataKey)
	if err != nil {
		return nil, err
	}
	plain, err := json.Marshal(c)
	if err != nil {
		return nil, err
	}
	ciphertext, err := sealing.Seal(aead, plain, contactAAD(associationID))
	if err != nil {
		return nil, err
	}
	mac := hmac.New(sha256.New, dataKey)
	mac.Write(plain)
	return &association.SealedContact{Ciphertext: ciphertext, Digest: mac.Sum(nil)}, nil
}

// keyFor returns the association's data key, creating it on first use.
func (v *ContactVault) keyFor(ctx context.Context, associationID, city string) ([]byte, error) {
	fresh := make([]byte, 32)
	if _, err := rand.Read(fresh); err != nil {
		return nil, err
	}
	wrapped, err := sealing.Seal(v.master, fresh, keyAAD(associationID))
	if err != nil {
		return nil, err
	}
	b := &pgx.Batch{}
	b.Queue(`INSERT INTO directory.contact_keys (association_id, city, wrapped_key) VALUES ($1, $2, $3)
		ON CONFLICT (association_id) DO NOTHING`, associationID, city, wrapped)
	b.Queue(`SELECT wrapped_key FROM directory.contact_keys WHERE association_id = $1`, associationID)
	br := v.pool.SendBatch(ctx, b)
	defer br.Close()
	if _, err := br.Exec(); err != nil {
		return nil, fmt.Errorf("contact vault: store key: %w", err)
	}
	var stored []byte
	if err := br.QueryRow().Scan(&stored); err != nil {
		return nil, fmt.Errorf("contact vault: read key: %w", err)
	}
	key, err := sealing.Open(v.master, stored, keyAAD(associationID))
	if err != nil {
		return nil, fmt.Errorf("contact vault: unwrap the key of %s: %w", associationID, err)
	}
	return key, nil
}

// Open implements app.ContactVault.
func (v *ContactVault) Open(ctx context.Context, sealed []app.SealedRef) (map[string]app.OpenedContact, error) {
	ids := make([]string, len(sealed))
	for i, s := range sealed {
		ids[i] = s.AssociationID
	}
	rows, err := v.pool.Query(ctx, `SELECT association_id::text, city, wrapped_key FROM directory.contact_keys
		WHERE association_id = ANY($1::uuid[])`, ids)
	if err != nil {
		return nil, fmt.Errorf("contact vault: read keys: %w", err)
	}
	type key struct {
		city    string
		wrapped []byte
	}
	keys := map[string]key{}
	var (
		id string
		k  key
	)
	if _, err := pgx.ForEachRow(rows, []any{&id, &k.city, &k.wrapped}, func() error { keys[id] = k; return nil }); err != nil {
		return nil, fmt.Errorf("contact vault: read keys: %w", err)
	}
	out := make(map[string]app.OpenedContact, len(sealed))
	for _, s := range sealed {
		k, ok := keys[s.AssociationID]
		if !ok {
			out[s.AssociationID] = app.OpenedContact{Erased: true}
			continue
		}
		c, err := v.openOne(s, k.wrapped)
		if err != nil {
			// Sealed under a key destroyed since (forgotten, then a new contact given).
			out[s.AssociationID] = app.OpenedContact{City: k.city, Erased: true}
			continue
		}
		out[s.AssociationID] = app.OpenedContact{Contact: c, City: k.city}
	}
	return out, nil
}

func (v *ContactVault) openOne(s app.SealedRef, wrapped []byte) (association.Contact, error) {
	dataKey, err := sealing.Open(v.master, wrapped, keyAAD(s.AssociationID))
	if err != nil {
		return association.Contact{}, err
	}
	aead, err := sealing.NewAEAD(dataKey)
	if err != nil {
		return association.Contact{}, err
	}
	plain, err := sealing.Open(aead, s.Ciphertext, contactAAD(s.AssociationID))
	if err != nil {
		return association.Contact{}, err
	}
	var c association.Contact
	if err := json.Unmarshal(plain, &c); err != nil {
		return association.Contact{}, err
	}
	return c, nil
}

// forget destroys the association's key, in the transaction that records the contact
// as forgotten.
func forgetKey(ctx context.Context, tx pgx.Tx, associationID string) error {
	_, err := tx.Exec(ctx, `DELETE FROM directory.contact_keys WHERE association_id = $1`, associationID)
	return err
}

// moveKey follows the association to another city: coordinators there may read the
// contact, those of the old city no longer.
func moveKey(ctx context.Context, tx pgx.Tx, associationID, city string) error {
	_, err := tx.Exec(ctx, `UPDATE directory.contact_keys SET city = $2 WHERE association_id = $1`, associationID, city)
	return err
}
