// Package websession keeps browsers signed in without handing them a bearer token to
// keep. A token, shown once, is exchanged for a session: a random secret in an
// HttpOnly, SameSite=Strict cookie that scripts cannot read and other sites cannot send.
// The database keeps only the secret's SHA-256 with the actor it speaks for, so a copy
// of the table opens no session, and signing out ends it for good.
package websession

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"embed"
	"encoding/base64"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"passerelle.dev/events"
	"passerelle.dev/kernel/pgmigrate"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// Migrations returns the sessions' table (schema web).
func Migrations() pgmigrate.Set { return pgmigrate.Embedded("web", migrationFiles, "migrations") }

// secretBytes is the length of a session's secret: 256 bits, past guessing.
const secretBytes = 32

// Store keeps sessions in PostgreSQL, so that every gateway process honours a session
// any of them opened. It is safe for concurrent use.
type Store struct {
	pool *pgxpool.Pool
	now  func() time.Time
}

// NewStore returns the sessions kept in pool's database. now defaults to time.Now.
func NewStore(pool *pgxpool.Pool, now func() time.Time) *Store {
	if now == nil {
		now = time.Now
	}
	return &Store{pool: pool, now: now}
}

// Open starts a session for actor until expires and returns its secret, the cookie's
// value. Sessions past their expiry are swept away on the way.
func (s *Store) Open(ctx context.Context, actor events.Actor, expires time.Time) (string, error) {
	if !actor.IsAuthenticated() || actor.Role == events.RoleSystem {
		return "", fmt.Errorf("websession: no session for the %s role", actor.Role)
	}
	raw := make([]byte, secretBytes)
	if _, err := rand.Read(raw); err != nil {
		return "", fmt.Errorf("websession: %w", err)
	}
	secret := base64.RawURLEncoding.EncodeToString(raw)
	batch := &pgx.Batch{}
	batch.Queue(`DELETE FROM web.sessions WHERE expires_at < $1`, s.now())
	batch.Queue(`INSERT INTO web.sessions (secret_hash, role, subject, city, association_id, key_generation, created_at, expires_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
		hash(secret), actor.Role.String(), actor.Subject, actor.City, actor.AssociationID, actor.KeyGeneration, s.now(), expires)
	if err := s.pool.SendBatch(ctx, batch).Close(); err != nil {
		return "", fmt.Errorf("websession: open: %w", err)
	}
	return secret, nil
}

// Actor returns the actor of the session whose secret is given; found is false for a
// secret that opens no session (never opened, closed, or expired).
func (s *Store) Actor(ctx context.Context, secret string) (actor events.Actor, found bool, err error) {
	if !wellFormed(secret) {
		return events.Anonymous, false, nil
	}
	var role string
	err = s.pool.QueryRow(ctx, `SELECT role, subject, city, association_id, key_generation FROM web.sessions
		WHERE secret_hash = $1 AND expires_at > $2`, hash(secret), s.now()).
		Scan(&role, &actor.Subject, &actor.City, &actor.AssociationID, &actor.KeyGeneration)
	if errors.Is(err, pgx.ErrNoRows) {
		return events.Anonymous, false, nil
	}
	if err != nil {
		return events.Anonymous, false, fmt.Errorf("websession: read: %w", err)
	}
	if actor.Role, err = events.ParseRole(role); err != nil {
		return events.Anonymous, false, fmt.Errorf("websession: stored role: %w", err)
	}
	return actor, true, nil
}

// Close ends the session whose secret is given; closing one that is not open is not an
// error.
func (s *Store) Close(ctx context.Context, secret string) error {
	if !wellFormed(secret) {
		return nil
	}
	if _, err := s.pool.Exec(ctx, `DELETE FROM web.sessions WHERE secret_hash = $1`, hash(secret)); err != nil {
		return fmt.Errorf("websession: close: %w", err)
	}
	return nil
}

func hash(secret string) []byte {
	sum := sha256.Sum256([]byte(secret))
	return sum[:]
}

// wellFormed spares the database secrets no session could have.
func wellFormed(secret string) bool {
	raw, err := base64.RawURLEncoding.DecodeString(secret)
	return err == nil && len(raw) == secretBytes
}
