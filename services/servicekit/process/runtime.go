package process

import (
	"context"
	"errors"
	"log/slog"
	"os"
	"runtime/debug"

	"github.com/jackc/pgx/v5/pgxpool"

	"passerelle.dev/events/eventstore"
	"passerelle.dev/kernel/pgmigrate"
	"passerelle.dev/servicekit/auth"
)

// Runtime is what a binary opens at start: a migrated database, the event store over it,
// and the token service.
type Runtime struct {
	Logger *slog.Logger
	Pool   *pgxpool.Pool
	Store  *eventstore.Store
	Tokens *auth.Tokens
}

// Open connects to c.DatabaseURL (waiting for it while ctx allows), applies sets, and
// opens the event store and the tokens. Close it when the binary stops.
func Open(ctx context.Context, c Common, logger *slog.Logger, sets ...pgmigrate.Set) (*Runtime, error) {
	if c.DatabaseURL == "" {
		return nil, errors.New("DATABASE_URL is required (or run everything in one process with `passerelle serve`)")
	}
	tuneGC()
	pool, err := OpenPool(ctx, c.DatabaseURL, c.DBMaxConns, logger)
	if err != nil {
		return nil, err
	}
	if err := pgmigrate.Apply(ctx, pool, sets...); err != nil {
		pool.Close()
		return nil, err
	}
	tokens, err := Tokens(c, logger)
	if err != nil {
		pool.Close()
		return nil, err
	}
	store, err := eventstore.NewStore(eventstore.Config{Pool: pool, Logger: logger})
	if err != nil {
		pool.Close()
		return nil, err
	}
	return &Runtime{Logger: logger, Pool: pool, Store: store, Tokens: tokens}, nil
}

// Close stops the event store's notifier and closes the pool.
func (r *Runtime) Close() {
	r.Store.Close()
	r.Pool.Close()
}

// serverGCPercent is the garbage collector's target for Passerelle's servers when GOGC
// is not set: collect when the heap has grown to five times what survived the last
// collection, instead of Go's default of twice. A server's live heap is small (tens of
// megabytes) and what it allocates is per request: at Go's default, collecting took a
// fifth of a gateway's CPU under load, and a calendar page at 32 clients served 25%
// more requests at 400 (make bench). GOGC and GOMEMLIMIT still decide when set.
const serverGCPercent = 400

func tuneGC() {
	if _, set := os.LookupEnv("GOGC"); !set {
		debug.SetGCPercent(serverGCPercent)
	}
}
