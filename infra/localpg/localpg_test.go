package localpg_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"passerelle.dev/infra/localpg"
)

// openDir returns a folder every account can enter, as a project folder usually is.
func openDir(t *testing.T) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "localpg-test-")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = localpg.StopIn(dir)
		_ = os.RemoveAll(dir)
	})
	return dir
}

func startAndWrite(t *testing.T, dir string) *localpg.Server {
	t.Helper()
	ctx := context.Background()
	srv, err := localpg.Start(ctx, localpg.Config{Dir: dir, Ephemeral: true})
	if err != nil {
		t.Fatal(err)
	}
	conn, err := pgx.Connect(ctx, srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, `CREATE TABLE kept (v text); INSERT INTO kept VALUES ('still here')`); err != nil {
		t.Fatal(err)
	}
	return srv
}

func TestPrivateServerKeepsItsDataAcrossRestarts(t *testing.T) {
	dir := openDir(t)
	ctx := context.Background()
	if err := startAndWrite(t, dir).Stop(); err != nil {
		t.Fatal(err)
	}

	srv, err := localpg.Start(ctx, localpg.Config{Dir: dir, Ephemeral: true})
	if err != nil {
		t.Fatalf("restart: %v", err)
	}
	defer func() {
		if err := srv.Stop(); err != nil {
			t.Error(err)
		}
	}()
	if srv.Dir != filepath.Join(dir, "postgres") {
		t.Fatalf("data in %s, want it in the project folder", srv.Dir)
	}
	conn, err := pgx.Connect(ctx, srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var v string
	if err := conn.QueryRow(ctx, `SELECT v FROM kept`).Scan(&v); err != nil || v != "still here" {
		t.Fatalf("after a restart: %q, %v", v, err)
	}
}

func TestAFolderClosedToThePostgresAccountStillWorks(t *testing.T) {
	dir := t.TempDir() // 0700: closed to every other account
	srv := startAndWrite(t, dir)
	t.Cleanup(func() {
		_ = srv.Stop()
		if srv.Dir != filepath.Join(dir, "postgres") {
			_ = os.RemoveAll(srv.Dir)
		}
	})
	if os.Geteuid() == 0 && !strings.HasPrefix(srv.Dir, "/var/tmp/passerelle-postgres-") {
		t.Fatalf("as root, data in %s; the postgres account cannot reach %s", srv.Dir, dir)
	}
}

func TestDataOfAnotherMajorVersionIsNeverWiped(t *testing.T) {
	dir := openDir(t)
	data := filepath.Join(dir, "postgres", "data")
	if err := os.MkdirAll(data, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(data, "PG_VERSION"), []byte("9\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := localpg.Start(context.Background(), localpg.Config{Dir: dir}); err == nil {
		t.Fatal("started over data of PostgreSQL 9")
	}
	if _, err := os.Stat(filepath.Join(data, "PG_VERSION")); err != nil {
		t.Fatalf("the old data was touched: %v", err)
	}
}
