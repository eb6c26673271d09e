package process

import (
	"context"
	"errors"
	"log/slog"

	"github.com/jackc/pgx/v5/pgxpool"

	"passerelle.dev/events/auth"
	"passerelle.dev/events/eventstore"
	"passerelle.dev/events/pgmigrate"
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
