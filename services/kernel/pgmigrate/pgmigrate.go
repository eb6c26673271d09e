// Package pgmigrate applies the versioned SQL migrations that each part of Passerelle
// embeds next to the adapter that owns the tables (event store, directory, gateway
// projections). Each part has its own PostgreSQL schema and its own version table, so
// parts evolve independently and can be applied in any order.
package pgmigrate

import (
	"context"
	"fmt"
	"io/fs"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/tern/v2/migrate"
)

// Set is one part's migrations: files named NNN_description.sql in FS, recorded in
// Schema.schema_version.
type Set struct {
	// Schema is the PostgreSQL schema the part owns; it is created if missing. Required.
	Schema string
	// FS holds the migration files at its root. Required.
	FS fs.FS
}

// lockKey serialises migrations across processes: several services starting at once
// against a fresh database must not race to create the same tables.
const lockKey = 0x70617373 // "pass"

// Apply brings every set up to date, in order, holding a session advisory lock for the
// whole run.
func Apply(ctx context.Context, pool *pgxpool.Pool, sets ...Set) error {
	conn, err := pool.Acquire(ctx)
	if err != nil {
		return fmt.Errorf("migrate: acquire connection: %w", err)
	}
	defer conn.Release()
	return ApplyConn(ctx, conn.Conn(), sets...)
}

// ApplyConn is Apply on a single connection.
func ApplyConn(ctx context.Context, conn *pgx.Conn, sets ...Set) (err error) {
	if _, err := conn.Exec(ctx, "SELECT pg_advisory_lock($1)", lockKey); err != nil {
		return fmt.Errorf("migrate: lock: %w", err)
	}
	defer func() {
		if _, unlockErr := conn.Exec(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock($1)", lockKey); unlockErr != nil && err == nil {
			err = fmt.Errorf("migrate: unlock: %w", unlockErr)
		}
	}()
	for _, s := range sets {
		if err := apply(ctx, conn, s); err != nil {
			return err
		}
	}
	return nil
}

func apply(ctx context.Context, conn *pgx.Conn, s Set) error {
	if s.Schema == "" || s.FS == nil {
		return fmt.Errorf("migrate: a set needs a schema and files")
	}
	schema := pgx.Identifier{s.Schema}.Sanitize()
	if _, err := conn.Exec(ctx, "CREATE SCHEMA IF NOT EXISTS "+schema); err != nil {
		return fmt.Errorf("migrate %s: create schema: %w", s.Schema, err)
	}
	m, err := migrate.NewMigrator(ctx, conn, schema+".schema_version")
	if err != nil {
		return fmt.Errorf("migrate %s: %w", s.Schema, err)
	}
	if err := m.LoadMigrations(s.FS); err != nil {
		return fmt.Errorf("migrate %s: load: %w", s.Schema, err)
	}
	if err := m.Migrate(ctx); err != nil {
		return fmt.Errorf("migrate %s: %w", s.Schema, err)
	}
	return nil
}

// Embedded returns the set of migrations embedded under dir, for schema. A missing
// folder is a programming error: the files are compiled into the binary.
func Embedded(schema string, files fs.FS, dir string) Set {
	sub, err := fs.Sub(files, dir)
	if err != nil {
		panic(fmt.Sprintf("pgmigrate: embedded migrations of %s: %v", schema, err))
	}
	return Set{Schema: schema, FS: sub}
}
