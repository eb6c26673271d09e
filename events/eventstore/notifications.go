package eventstore

import (
	"context"
	"log/slog"
	"sync"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgxlisten"
)

// Notifications listens on one dedicated connection for EventsChannel and
// CheckpointChannel and wakes whoever waits on them in this process. Notifications are
// only hints to look again: a lost one (a reconnect, a crash between commit and notify)
// costs latency up to a poll interval, never an event.
//
// It is safe for concurrent use.
type Notifications struct {
	listener *pgxlisten.Listener
	logger   *slog.Logger

	mu   sync.Mutex
	subs map[string]map[chan struct{}]struct{}

	connectedOnce sync.Once
	connected     chan struct{}
}

// NewNotifications returns a listener that opens its own connection with the pool's
// settings. Call Run to start it.
func NewNotifications(pool *pgxpool.Pool, logger *slog.Logger) *Notifications {
	if logger == nil {
		logger = slog.Default()
	}
	n := &Notifications{
		logger:    logger.With("component", "notifications"),
		subs:      map[string]map[chan struct{}]struct{}{},
		connected: make(chan struct{}),
	}
	connConfig := pool.Config().ConnConfig
	n.listener = &pgxlisten.Listener{
		Connect: func(ctx context.Context) (*pgx.Conn, error) {
			return pgx.ConnectConfig(ctx, connConfig.Copy())
		},
		LogError: func(ctx context.Context, err error) {
			if ctx.Err() == nil {
				n.logger.Warn("listening for notifications", "err", err)
			}
		},
		ReconnectDelay: defaultReconnectDelay,
	}
	for _, ch := range []string{EventsChannel, CheckpointChannel} {
		n.listener.Handle(ch, channelHandler{n: n, channel: ch})
	}
	return n
}

// Run listens until ctx is done, reconnecting after failures.
func (n *Notifications) Run(ctx context.Context) error {
	err := n.listener.Listen(ctx)
	if ctx.Err() != nil {
		return nil
	}
	return err
}

// Connected is closed once the first LISTEN succeeded.
func (n *Notifications) Connected() <-chan struct{} { return n.connected }

// Subscribe returns a channel that receives a value after each notification on channel
// (coalesced: at most one pending), and a function to stop receiving.
func (n *Notifications) Subscribe(channel string) (<-chan struct{}, func()) {
	c := make(chan struct{}, 1)
	n.mu.Lock()
	if n.subs[channel] == nil {
		n.subs[channel] = map[chan struct{}]struct{}{}
	}
	n.subs[channel][c] = struct{}{}
	n.mu.Unlock()
	return c, func() {
		n.mu.Lock()
		delete(n.subs[channel], c)
		n.mu.Unlock()
	}
}

func (n *Notifications) wake(channel string) {
	n.mu.Lock()
	defer n.mu.Unlock()
	for c := range n.subs[channel] {
		select {
		case c <- struct{}{}:
		default:
		}
	}
}

type channelHandler struct {
	n       *Notifications
	channel string
}

func (h channelHandler) HandleNotification(context.Context, *pgconn.Notification, *pgx.Conn) error {
	h.n.wake(h.channel)
	return nil
}

// HandleBacklog runs after every (re)connection: notifications sent while disconnected
// are lost, so everyone looks again.
func (h channelHandler) HandleBacklog(context.Context, string, *pgx.Conn) error {
	h.n.connectedOnce.Do(func() { close(h.n.connected) })
	h.n.wake(h.channel)
	return nil
}
