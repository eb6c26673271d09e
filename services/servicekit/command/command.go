// Package command holds what every service's commands share: who sends them and on
// which request (Request), and idempotency keys — claimed in the transaction that stores
// a command's events, so that a retry gets the first outcome back instead of running
// again.
package command

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"passerelle.dev/events"
	"passerelle.dev/kernel/fault"
)

// Request is what every command carries about the request that sent it.
type Request struct {
	// Actor is who sends the command (anonymous when no token came with it).
	Actor events.Actor
	// CorrelationID ties the command to the user request; generated when empty.
	CorrelationID string
	// IdempotencyKey, when set, makes a retry of the same command by the same actor
	// return the first result and write nothing new.
	IdempotencyKey string
}

// Metadata returns the metadata of the events a command records. The command gets an
// id of its own, which becomes the events' causation id.
func (r Request) Metadata() events.Metadata {
	commandID := uuid.Must(uuid.NewV7()).String()
	corr := r.CorrelationID
	if corr == "" {
		corr = commandID
	}
	return events.Metadata{CorrelationID: corr, CausationID: commandID, Actor: r.Actor}
}

// ErrBadKey refuses an idempotency key of the wrong size.
var ErrBadKey = fault.New(fault.BadUserInput, "an idempotency key has 8 to 128 characters")

// ErrGuessableKey refuses an anonymous request's idempotency key that someone else could
// guess: anonymous keys share one scope, so whoever repeats a key (and the request) gets
// its answer.
var ErrGuessableKey = fault.Because(fault.BadUserInput, "GUESSABLE_IDEMPOTENCY_KEY",
	"an anonymous request's idempotency key must be random: a UUID of version 4, or at least 22 random base64url characters (128 bits)")

// ErrKeyReused refuses an idempotency key sent again with another request.
var ErrKeyReused = fault.New(fault.Conflict, "this idempotency key was already used for a different request")

// Key identifies a command for replays. The zero value means none.
type Key struct {
	Scope, Key, RequestHash string
}

// IsZero reports whether no key was given.
func (k Key) IsZero() bool { return k.Key == "" }

// Key scopes the request's idempotency key to the command and the actor, and
// fingerprints the command, so that a key reused for another request is refused rather
// than replayed.
func (r Request) Key(name string, cmd any) (Key, error) {
	if r.IdempotencyKey == "" {
		return Key{}, nil
	}
	if len(r.IdempotencyKey) < 8 || len(r.IdempotencyKey) > 128 {
		return Key{}, ErrBadKey
	}
	if !r.Actor.IsAuthenticated() && !Unguessable(r.IdempotencyKey) {
		return Key{}, ErrGuessableKey
	}
	body, err := json.Marshal(cmd)
	if err != nil {
		return Key{}, err
	}
	actor, err := json.Marshal(r.Actor)
	if err != nil {
		return Key{}, err
	}
	sum := sha256.Sum256(append(append([]byte(name+"\x00"), actor...), body...))
	return Key{Scope: name + ":" + string(actor), Key: r.IdempotencyKey, RequestHash: hex.EncodeToString(sum[:])}, nil
}

// Outcome is where a command left its stream.
type Outcome struct {
	// StreamID is the stream the command changed.
	StreamID string
	// Version is the stream's version after the command.
	Version int64
	// Position is where the command's last event landed; zero when nothing was stored.
	Position events.Position
	// Replayed is set when an earlier command with the same key did the work.
	Replayed bool
	// Age is, on a replay, how long ago the key was first claimed (by the database's
	// clock): how old the first answer is.
	Age time.Duration
}

// DefaultReplayWindow is how long after its first answer a repeated command still
// answers with a secret (a key): long enough for a client to retry after a lost answer,
// short enough that an idempotency key found later in a log or a browser's history
// yields nothing.
const DefaultReplayWindow = 24 * time.Hour

// KeyWithheld is the reason a replay's answer gives for carrying no key: the window
// after the first answer has passed.
const KeyWithheld = "REPLAY_WINDOW_PASSED"

// AnswersWithSecret tells whether a replay, within window after the first answer, may
// carry a key again.
func (o Outcome) AnswersWithSecret(window time.Duration) bool { return o.Replayed && o.Age <= window }

// ErrTwin means a request with the same key committed while this one was running; the
// caller rolls back and replays.
var ErrTwin = errors.New("a request with the same idempotency key committed first")

// Keys keeps idempotency keys in a table of the service's schema, created by its
// migrations with this shape:
//
//	CREATE TABLE <schema>.idempotency_keys (
//	    scope text NOT NULL, key text NOT NULL, request_hash text NOT NULL,
//	    stream_id text, stream_version bigint, global_position bigint, transaction_id xid8,
//	    created_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (scope, key));
type Keys struct{ table string }

// NewKeys returns the keys kept in schema.idempotency_keys.
func NewKeys(schema string) Keys {
	return Keys{table: pgx.Identifier{schema, "idempotency_keys"}.Sanitize()}
}

// Claim takes the key in tx, before the command writes anything. It returns ErrTwin
// when another transaction holds it: that one waits for it to end, so a twin that
// committed is found by Find afterwards.
func (k Keys) Claim(ctx context.Context, tx pgx.Tx, key Key) error {
	if key.IsZero() {
		return nil
	}
	tag, err := tx.Exec(ctx, `INSERT INTO `+k.table+` (scope, key, request_hash) VALUES ($1, $2, $3)
		ON CONFLICT DO NOTHING`, key.Scope, key.Key, key.RequestHash)
	if err != nil {
		return fmt.Errorf("claim idempotency key: %w", err)
	}
	if tag.RowsAffected() == 0 {
		return ErrTwin
	}
	return nil
}

// Record stores the command's outcome under the key, in the transaction that claimed it.
func (k Keys) Record(ctx context.Context, tx pgx.Tx, key Key, o Outcome) error {
	if key.IsZero() {
		return nil
	}
	_, err := tx.Exec(ctx, `UPDATE `+k.table+`
		SET stream_id = $3, stream_version = $4, global_position = $5, transaction_id = $6::text::xid8
		WHERE scope = $1 AND key = $2`, key.Scope, key.Key, o.StreamID, o.Version,
		o.Position.GlobalPosition, strconv.FormatUint(o.Position.TransactionID, 10))
	if err != nil {
		return fmt.Errorf("record idempotency key: %w", err)
	}
	return nil
}

// Querier runs a query: a pool or a transaction.
type Querier interface {
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// Find returns the outcome recorded under key, ok false if none; a key recorded for
// another request is ErrKeyReused.
func (k Keys) Find(ctx context.Context, q Querier, key Key) (Outcome, bool, error) {
	if key.IsZero() {
		return Outcome{}, false, nil
	}
	var (
		hash, txid string
		o          Outcome
	)
	var ageMicros int64
	err := q.QueryRow(ctx, `SELECT request_hash, stream_id, stream_version, global_position, transaction_id::text,
			(extract(epoch FROM clock_timestamp() - created_at) * 1e6)::bigint
		FROM `+k.table+` WHERE scope = $1 AND key = $2 AND stream_id IS NOT NULL`,
		key.Scope, key.Key).Scan(&hash, &o.StreamID, &o.Version, &o.Position.GlobalPosition, &txid, &ageMicros)
	if errors.Is(err, pgx.ErrNoRows) {
		return Outcome{}, false, nil
	}
	if err != nil {
		return Outcome{}, false, fmt.Errorf("read idempotency key: %w", err)
	}
	if hash != key.RequestHash {
		return Outcome{}, false, ErrKeyReused
	}
	if o.Position.TransactionID, err = strconv.ParseUint(txid, 10, 64); err != nil {
		return Outcome{}, false, fmt.Errorf("read idempotency key: %w", err)
	}
	o.Replayed, o.Age = true, time.Duration(ageMicros)*time.Microsecond
	return o, true, nil
}
