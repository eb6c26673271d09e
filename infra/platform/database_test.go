package platform_test

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"passerelle.dev/infra/localpg"
	"passerelle.dev/infra/platform"
	"passerelle.dev/servicekit/process"
)

// `make demo` while `make run` runs in another terminal: the second command works on the
// private PostgreSQL the first started, and leaves it running when it ends.
func TestASecondCommandUsesTheRunningPrivateServerAndLeavesItRunning(t *testing.T) {
	dir, err := os.MkdirTemp("", "platform-db-test-")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(dir, 0o755); err != nil { // a project folder every account can enter
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = localpg.StopIn(dir); _ = os.RemoveAll(dir) })
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	common := process.Common{DataDir: dir}

	first, stopFirst, err := platform.DatabaseURL(ctx, common, quiet)
	if err != nil {
		t.Fatal(err)
	}
	defer stopFirst()
	serving, err := pgx.Connect(ctx, first)
	if err != nil {
		t.Fatal(err)
	}
	defer serving.Close(context.Background())

	second, stopSecond, err := platform.DatabaseURL(ctx, common, quiet)
	if err != nil {
		t.Fatal(err)
	}
	if second != first {
		t.Fatalf("the second command got %s, the running platform has %s", second, first)
	}
	stopSecond()
	if err := serving.Ping(ctx); err != nil {
		t.Fatalf("the second command stopped the running platform's database: %v", err)
	}
}
