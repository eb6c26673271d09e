package eventstore

import (
	"context"
	stdsql "database/sql"
	"errors"
	"fmt"
	"sync"

	wmsql "github.com/ThreeDotsLabs/watermill-sql/v4/pkg/sql"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// ErrConsumerTxDone is returned by ConsumerTx.Use once the subscriber has committed or
// rolled back the transaction, e.g. because it gave up on a message that took too long.
var ErrConsumerTxDone = errors.New("eventstore: the subscriber's transaction is already finished")

// ConsumerTx is the transaction a subscriber reads a batch of events in and commits with
// their acknowledgement. Consumers write their own rows in it (exactly-once), through
// Use.
//
// The subscriber may finish the transaction from its own goroutine while a handler still
// runs (it stops waiting for a message when its context ends); ConsumerTx makes the two
// take turns, so a late handler gets ErrConsumerTxDone instead of touching a connection
// that went back to the pool.
type ConsumerTx struct {
	mu   sync.Mutex
	tx   pgx.Tx
	ctx  context.Context
	done bool
}

var _ wmsql.Tx = (*ConsumerTx)(nil)

// ConsumerTxFrom returns the transaction of a message delivered by a Subscriber.
func ConsumerTxFrom(ctx context.Context) (*ConsumerTx, bool) {
	tx, ok := wmsql.TxFromContext(ctx)
	if !ok {
		return nil, false
	}
	ctx2, ok := tx.(*ConsumerTx)
	return ctx2, ok
}

// Use runs fn with the transaction, holding it against a concurrent commit or rollback.
func (t *ConsumerTx) Use(fn func(pgx.Tx) error) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.done {
		return ErrConsumerTxDone
	}
	return fn(t.tx)
}

// ExecContext implements wmsql.ContextExecutor.
func (t *ConsumerTx) ExecContext(ctx context.Context, query string, args ...any) (wmsql.Result, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.done {
		return nil, ErrConsumerTxDone
	}
	tag, err := t.tx.Exec(ctx, query, args...)
	return wmsql.PgxResult{CommandTag: tag}, err
}

// QueryContext implements wmsql.ContextExecutor. Only the subscriber reads rows, before
// it hands messages out, so the lock need not cover their iteration.
func (t *ConsumerTx) QueryContext(ctx context.Context, query string, args ...any) (wmsql.Rows, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.done {
		return nil, ErrConsumerTxDone
	}
	rows, err := t.tx.Query(ctx, query, args...)
	return wmsql.PgxRows{Rows: rows}, err
}

// Commit implements wmsql.Tx.
func (t *ConsumerTx) Commit() error {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.done {
		return pgx.ErrTxClosed
	}
	t.done = true
	return t.tx.Commit(t.ctx)
}

// Rollback implements wmsql.Tx.
func (t *ConsumerTx) Rollback() error {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.done {
		return pgx.ErrTxClosed
	}
	t.done = true
	return t.tx.Rollback(context.WithoutCancel(t.ctx))
}

// consumerBeginner is the wmsql.Beginner of our subscribers: pgx transactions wrapped in
// ConsumerTx.
type consumerBeginner struct{ pool *pgxpool.Pool }

func (b consumerBeginner) BeginTx(ctx context.Context, opts *stdsql.TxOptions) (wmsql.Tx, error) {
	txOpts := pgx.TxOptions{}
	if opts != nil {
		switch opts.Isolation {
		case stdsql.LevelDefault, stdsql.LevelReadCommitted:
			txOpts.IsoLevel = pgx.ReadCommitted
		case stdsql.LevelRepeatableRead:
			txOpts.IsoLevel = pgx.RepeatableRead
		case stdsql.LevelSerializable:
			txOpts.IsoLevel = pgx.Serializable
		default:
			return nil, fmt.Errorf("eventstore: isolation level %v not supported", opts.Isolation)
		}
	}
	tx, err := b.pool.BeginTx(ctx, txOpts)
	if err != nil {
		return nil, err
	}
	return &ConsumerTx{tx: tx, ctx: ctx}, nil
}

func (b consumerBeginner) ExecContext(ctx context.Context, query string, args ...any) (wmsql.Result, error) {
	tag, err := b.pool.Exec(ctx, query, args...)
	return wmsql.PgxResult{CommandTag: tag}, err
}

func (b consumerBeginner) QueryContext(ctx context.Context, query string, args ...any) (wmsql.Rows, error) {
	rows, err := b.pool.Query(ctx, query, args...)
	return wmsql.PgxRows{Rows: rows}, err
}
