// Package process holds what every Passerelle binary does the same way at start and
// stop: configuration from the environment, a structured logger, a database pool, the
// signing secret, and an HTTP server that drains on shutdown.
package process

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/caarlos0/env/v11"
	"github.com/jackc/pgx/v5/pgxpool"

	"passerelle.dev/kernel/pguuid"
	"passerelle.dev/servicekit/auth"
)

// Common is the configuration every binary reads.
type Common struct {
	// DatabaseURL is the PostgreSQL to use. The all-in-one command starts a private one
	// when it is empty; the per-service commands require it.
	DatabaseURL string `env:"DATABASE_URL"`
	// Secret signs and checks tokens; at least 32 bytes. When empty, a secret is
	// generated once and kept in DataDir.
	Secret string `env:"PASSERELLE_SECRET"`
	// PreviousSecrets, comma-separated, still verify the tokens they signed, while the
	// current secret signs: a rotation keeps them until those tokens have expired.
	PreviousSecrets string `env:"PASSERELLE_PREVIOUS_SECRETS"`
	// MasterKey wraps the keys that seal personal data, as 64 hexadecimal digits. When
	// empty, a key is generated once and kept in DataDir. Losing it loses every sealed
	// contact; keep it backed up with the database.
	MasterKey string `env:"PASSERELLE_MASTER_KEY"`
	// KeyReplayWindow is how long after its first answer a repeated request that answers
	// with a key (a registration, a renewal, an appointment — same idempotency key, same
	// body) still answers with one. After it, the repeat answers without a key.
	KeyReplayWindow time.Duration `env:"PASSERELLE_KEY_REPLAY_WINDOW" envDefault:"24h"`
	// DBMaxConns caps the process's connections to PostgreSQL, unless DATABASE_URL says
	// pool_max_conns. pgx's default (the number of CPUs, at least 4) is too few for a
	// process whose projections and process managers each keep a connection busy
	// while requests come in.
	DBMaxConns int32 `env:"PASSERELLE_DB_MAX_CONNS" envDefault:"25"`
	// DataDir holds the generated secret and the private PostgreSQL.
	DataDir string `env:"PASSERELLE_DATA_DIR" envDefault:".passerelle"`
	// LogLevel is debug, info, warn or error.
	LogLevel string `env:"LOG_LEVEL" envDefault:"info"`
	// LogFormat is text or json.
	LogFormat string `env:"LOG_FORMAT" envDefault:"text"`
}

// LoadConfig reads a configuration struct (with `env` tags) from the environment,
// failing on a malformed value.
func LoadConfig[T any]() (T, error) {
	var cfg T
	if err := env.Parse(&cfg); err != nil {
		return cfg, fmt.Errorf("configuration: %w", err)
	}
	return cfg, nil
}

// NewLogger returns the binary's logger.
func NewLogger(c Common, w io.Writer) (*slog.Logger, error) {
	var level slog.Level
	if err := level.UnmarshalText([]byte(c.LogLevel)); err != nil {
		return nil, fmt.Errorf("LOG_LEVEL %q: %w", c.LogLevel, err)
	}
	opts := &slog.HandlerOptions{Level: level}
	switch strings.ToLower(c.LogFormat) {
	case "text", "":
		return slog.New(slog.NewTextHandler(w, opts)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(w, opts)), nil
	}
	return nil, fmt.Errorf("LOG_FORMAT %q: want text or json", c.LogFormat)
}

// OpenPool connects to PostgreSQL, retrying until ctx ends: in a compose file the
// database may start after the service.
func OpenPool(ctx context.Context, databaseURL string, maxConns int32, logger *slog.Logger) (*pgxpool.Pool, error) {
	cfg, err := pgxpool.ParseConfig(databaseURL)
	if err != nil {
		return nil, fmt.Errorf("DATABASE_URL: %w", err)
	}
	if maxConns > 0 && !strings.Contains(databaseURL, "pool_max_conns") {
		cfg.MaxConns = maxConns
	}
	cfg.AfterConnect = pguuid.AfterConnect
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("database: %w", err)
	}
	for attempt := 1; ; attempt++ {
		err := pool.Ping(ctx)
		if err == nil {
			return pool, nil
		}
		if attempt == 1 {
			logger.Info("waiting for the database", "host", cfg.ConnConfig.Host, "port", cfg.ConnConfig.Port, "err", err)
		}
		select {
		case <-ctx.Done():
			pool.Close()
			return nil, fmt.Errorf("database %s:%d did not answer: %w", cfg.ConnConfig.Host, cfg.ConnConfig.Port, err)
		case <-time.After(500 * time.Millisecond):
		}
	}
}

// Tokens returns the token service over the configured secret: PASSERELLE_SECRET, or
// the one kept in DataDir (generated on first use).
func Tokens(c Common, logger *slog.Logger) (*auth.Tokens, error) {
	secret, err := loadSecret(c, logger)
	if err != nil {
		return nil, err
	}
	return auth.NewTokens(secret, previousSecrets(c)...)
}

func previousSecrets(c Common) [][]byte {
	var out [][]byte
	for _, s := range strings.Split(c.PreviousSecrets, ",") {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, []byte(s))
		}
	}
	return out
}

func loadSecret(c Common, logger *slog.Logger) ([]byte, error) {
	if c.Secret != "" {
		if len(c.Secret) < auth.MinSecretBytes {
			return nil, fmt.Errorf("PASSERELLE_SECRET has %d bytes, need at least %d", len(c.Secret), auth.MinSecretBytes)
		}
		return []byte(c.Secret), nil
	}
	secret, err := keptHex(c.DataDir, "secret", logger)
	if err != nil {
		return nil, err
	}
	return []byte(secret), nil
}

// ErrNoSecret says that no signing secret was found where one was looked for.
var ErrNoSecret = errors.New("no signing secret")

// ExistingTokens is Tokens for commands that must not make a secret up: a token signed
// with a secret the platform does not have is refused by it. It reads PASSERELLE_SECRET,
// or the secret kept in DataDir, and fails with ErrNoSecret when there is none.
func ExistingTokens(c Common) (*auth.Tokens, error) {
	if c.Secret != "" {
		return Tokens(c, nil)
	}
	path := filepath.Join(c.DataDir, "secret")
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("%w in %s", ErrNoSecret, path)
	}
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	text := strings.TrimSpace(string(b))
	if len(text) < 64 {
		return nil, fmt.Errorf("%s holds fewer than 64 characters", path)
	}
	return auth.NewTokens([]byte(text), previousSecrets(c)...)
}

// MasterKey returns the key that wraps personal-data keys: PASSERELLE_MASTER_KEY, or the
// one kept in DataDir (generated on first use).
func MasterKey(c Common, logger *slog.Logger) ([]byte, error) {
	text := c.MasterKey
	if text == "" {
		var err error
		if text, err = keptHex(c.DataDir, "master.key", logger); err != nil {
			return nil, err
		}
	}
	key, err := hex.DecodeString(text)
	if err != nil || len(key) != 32 {
		return nil, errors.New("the master key must be 64 hexadecimal digits (32 bytes)")
	}
	return key, nil
}

// keptHex returns 32 random bytes, hex-encoded, kept in dataDir/name: read if the file
// exists, else generated and written (readable by its owner only).
func keptHex(dataDir, name string, logger *slog.Logger) (string, error) {
	path := filepath.Join(dataDir, name)
	if b, err := os.ReadFile(path); err == nil {
		text := strings.TrimSpace(string(b))
		if len(text) < 64 {
			return "", fmt.Errorf("%s holds fewer than 64 characters", path)
		}
		return text, nil
	} else if !errors.Is(err, os.ErrNotExist) {
		return "", fmt.Errorf("read %s: %w", path, err)
	}
	// The folder may be entered by other accounts (the private PostgreSQL runs as one
	// when we are root); the files are readable by their owner only.
	if err := os.MkdirAll(dataDir, 0o711); err != nil {
		return "", fmt.Errorf("create %s: %w", dataDir, err)
	}
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		return "", err
	}
	text := hex.EncodeToString(raw)
	// Written aside, then linked into place: a process starting at the same moment reads
	// either no file or a whole one.
	tmp, err := os.CreateTemp(dataDir, "."+name+".*")
	if err != nil {
		return "", fmt.Errorf("write %s: %w", path, err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.WriteString(text + "\n"); err != nil {
		_ = tmp.Close() // the write's error is the one to tell
		return "", fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return "", fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Link(tmp.Name(), path); errors.Is(err, os.ErrExist) {
		return keptHex(dataDir, name, logger) // another process kept one first
	} else if err != nil {
		return "", fmt.Errorf("write %s: %w", path, err)
	}
	logger.Info("generated a key and kept it", "file", path)
	return text, nil
}

// ServeHTTP serves handler on addr until ctx ends, then lets requests in flight finish
// (up to 15 seconds).
func ServeHTTP(ctx context.Context, addr string, handler http.Handler, logger *slog.Logger) error {
	srv := &http.Server{
		Addr:              addr,
		Handler:           handler,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       2 * time.Minute,
		BaseContext:       func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", addr, err)
	}
	logger.Info("listening", "addr", ln.Addr().String())
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("shut down HTTP server: %w", err)
	}
	return nil
}
