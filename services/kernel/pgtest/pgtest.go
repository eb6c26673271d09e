// Package pgtest gives each test package a PostgreSQL database of its own, migrated and
// dropped at the end, on the server named by TEST_DATABASE_URL (default: the local
// server at 127.0.0.1:5432). `make test` starts a private server and sets the variable
// when none answers.
package pgtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"passerelle.dev/kernel/pgmigrate"
	"passerelle.dev/kernel/pguuid"
)

// DefaultAdminURL is used when TEST_DATABASE_URL is unset.
const DefaultAdminURL = "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"

// AdminURL is the server tests create their databases on.
func AdminURL() string {
	if u := os.Getenv("TEST_DATABASE_URL"); u != "" {
		return u
	}
	return DefaultAdminURL
}

// Database is a test package's database.
type Database struct {
	// URL connects to the package's database.
	URL      string
	admin    string
	template string
}

// Run creates a migrated database for the test package, runs its tests and drops the
// database. Use it from TestMain:
//
//	var db *pgtest.Database
//	func TestMain(m *testing.M) { os.Exit(pgtest.Run(m, &db, eventstore.Migrations())) }
func Run(m *testing.M, db **Database, sets ...pgmigrate.Set) int {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	created, err := create(ctx, sets)
	cancel()
	if err != nil {
		fmt.Fprintf(os.Stderr, "pgtest: %v\n(set TEST_DATABASE_URL to a PostgreSQL server this test may create databases on, or run `make test`, which starts one)\n", err)
		return 1
	}
	*db = created
	code := m.Run()
	ctx, cancel = context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := created.drop(ctx); err != nil {
		fmt.Fprintf(os.Stderr, "pgtest: %v\n", err)
	}
	return code
}

var unsafeChars = regexp.MustCompile(`[^a-z0-9_]+`)

func create(ctx context.Context, sets []pgmigrate.Set) (*Database, error) {
	admin := AdminURL()
	pkg := strings.TrimSuffix(filepath.Base(os.Args[0]), ".test")
	pkg = unsafeChars.ReplaceAllString(strings.ToLower(pkg), "_")
	if len(pkg) > 30 {
		pkg = pkg[:30]
	}
	suffix := make([]byte, 4)
	if _, err := rand.Read(suffix); err != nil {
		return nil, err
	}
	base := "pt_" + pkg + "_" + hex.EncodeToString(suffix)
	d := &Database{admin: admin, template: base + "_tmpl"}

	if err := d.exec(ctx, "CREATE DATABASE "+pgx.Identifier{d.template}.Sanitize()); err != nil {
		return nil, err
	}
	tmplURL, err := withDatabase(admin, d.template)
	if err != nil {
		return nil, err
	}
	if err := migrateURL(ctx, tmplURL, sets); err != nil {
		_ = d.exec(ctx, "DROP DATABASE IF EXISTS "+pgx.Identifier{d.template}.Sanitize()+" WITH (FORCE)")
		return nil, err
	}
	if d.URL, err = d.clone(ctx, base); err != nil {
		return nil, err
	}
	return d, nil
}

func migrateURL(ctx context.Context, dbURL string, sets []pgmigrate.Set) error {
	conn, err := pgx.Connect(ctx, dbURL)
	if err != nil {
		return fmt.Errorf("connect to template database: %w", err)
	}
	defer conn.Close(context.WithoutCancel(ctx))
	if len(sets) == 0 {
		return nil
	}
	if err := pgmigrate.ApplyConn(ctx, conn, sets...); err != nil {
		return fmt.Errorf("migrate template database: %w", err)
	}
	return nil
}

// clone creates a database from the migrated template (a file copy, much faster than
// migrating again).
func (d *Database) clone(ctx context.Context, name string) (string, error) {
	if err := d.exec(ctx, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize()+" TEMPLATE "+pgx.Identifier{d.template}.Sanitize()); err != nil {
		return "", err
	}
	return withDatabase(d.admin, name)
}

// Fresh returns the URL of a new, migrated, empty database for one test, dropped when
// the test ends. Use it when a test needs an event log nobody else writes to.
func (d *Database) Fresh(t testing.TB) string {
	t.Helper()
	suffix := make([]byte, 4)
	if _, err := rand.Read(suffix); err != nil {
		t.Fatal(err)
	}
	name := strings.TrimSuffix(d.template, "_tmpl") + "_" + hex.EncodeToString(suffix)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	u, err := d.clone(ctx, name)
	if err != nil {
		t.Fatalf("pgtest: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		if err := d.exec(ctx, "DROP DATABASE IF EXISTS "+pgx.Identifier{name}.Sanitize()+" WITH (FORCE)"); err != nil {
			t.Errorf("pgtest: %v", err)
		}
	})
	return u
}

// Pool opens a pool on the package's database, closed when the test ends.
func (d *Database) Pool(t testing.TB) *pgxpool.Pool {
	t.Helper()
	return PoolFor(t, d.URL)
}

// PoolFor opens a pool on dbURL, closed when the test ends.
func PoolFor(t testing.TB, dbURL string) *pgxpool.Pool {
	t.Helper()
	cfg, err := pgxpool.ParseConfig(dbURL)
	if err != nil {
		t.Fatal(err)
	}
	// Packages run two at a time, each with tests in parallel, against one server with
	// PostgreSQL's default of 100 connections: a test's pool stays small enough that they
	// all fit (racing goroutines wait for a connection, as a process's requests do).
	cfg.MaxConns = 16
	cfg.AfterConnect = pguuid.AfterConnect
	pool, err := pgxpool.NewWithConfig(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	return pool
}

func (d *Database) drop(ctx context.Context) error {
	base := strings.TrimSuffix(d.template, "_tmpl")
	for _, name := range []string{base, d.template} {
		if err := d.exec(ctx, "DROP DATABASE IF EXISTS "+pgx.Identifier{name}.Sanitize()+" WITH (FORCE)"); err != nil {
			return err
		}
	}
	return nil
}

func (d *Database) exec(ctx context.Context, sql string) error {
	conn, err := pgx.Connect(ctx, d.admin)
	if err != nil {
		return fmt.Errorf("connect to test server: %w", err)
	}
	defer conn.Close(context.WithoutCancel(ctx))
	if _, err := conn.Exec(ctx, sql); err != nil {
		return fmt.Errorf("%s: %w", sql, err)
	}
	return nil
}

func withDatabase(rawURL, name string) (string, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return "", fmt.Errorf("parse TEST_DATABASE_URL: %w", err)
	}
	u.Path = "/" + name
	return u.String(), nil
}

// Eventually checks cond every few milliseconds until it holds, failing the test at
// the deadline. Tests wait on conditions this way, never on sleeps.
func Eventually(t testing.TB, timeout time.Duration, what string, cond func() (bool, error)) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	tick := time.NewTicker(2 * time.Millisecond)
	defer tick.Stop()
	for {
		ok, err := cond()
		if err != nil {
			t.Fatalf("waiting for %s: %v", what, err)
		}
		if ok {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("waiting for %s: still not true after %s", what, timeout)
		}
		<-tick.C
	}
}
