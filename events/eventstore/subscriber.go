package eventstore

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/ThreeDotsLabs/watermill"
	wmsql "github.com/ThreeDotsLabs/watermill-sql/v4/pkg/sql"
	"github.com/jackc/pgx/v5/pgxpool"
)

const (
	defaultPollInterval   = time.Second
	defaultRetryInterval  = time.Second
	defaultReconnectDelay = time.Second
	// heldBackFloor is the first wait after a wake-up found nothing to read: the new
	// events are there but an older transaction has not finished yet. The wait doubles
	// up to heldBackCeiling, for at most heldBackPatience; then the subscriber goes back
	// to waiting for notifications and its poll interval.
	heldBackFloor    = time.Millisecond
	heldBackCeiling  = 100 * time.Millisecond
	heldBackPatience = 30 * time.Second
)

// SubscriberConfig configures a subscriber over the event store.
type SubscriberConfig struct {
	// Pool is the connection pool to the event store's database. Required.
	Pool *pgxpool.Pool
	// ConsumerGroup names the durable position. It must never change for a given
	// consumer: a new name re-consumes everything. Required.
	ConsumerGroup string
	// Notifications wakes the subscriber when events are committed. Optional: without
	// it the subscriber only polls.
	Notifications *Notifications
	// PollInterval is how long the subscriber sleeps when no notification arrives.
	// Defaults to 1s.
	PollInterval time.Duration
	// BatchSize is how many events are read (and acknowledged) per transaction.
	// Defaults to 100.
	BatchSize int
	// AckDeadline bounds how long one event may take to process. Defaults to 30s.
	AckDeadline time.Duration
	// Logger defaults to slog.Default().
	Logger *slog.Logger
}

func (c *SubscriberConfig) setDefaults() {
	if c.PollInterval <= 0 {
		c.PollInterval = defaultPollInterval
	}
	if c.AckDeadline <= 0 {
		c.AckDeadline = 30 * time.Second
	}
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
}

func (c SubscriberConfig) validate() error {
	var errs []error
	if c.Pool == nil {
		errs = append(errs, errors.New("Pool is required"))
	}
	if c.ConsumerGroup == "" {
		errs = append(errs, errors.New("ConsumerGroup is required"))
	}
	return errors.Join(errs...)
}

// Subscriber is a watermill-sql subscriber over eventstore.events that wakes up on
// notifications instead of sleeping a full poll interval. Subscribe it to Topic once.
type Subscriber struct {
	*wmsql.Subscriber
	backoff *wakeBackoff
}

// NewSubscriber returns a subscriber for one consumer group.
func NewSubscriber(cfg SubscriberConfig) (*Subscriber, error) {
	cfg.setDefaults()
	if err := cfg.validate(); err != nil {
		return nil, errors.Join(errors.New("eventstore: invalid subscriber config"), err)
	}
	b := &wakeBackoff{poll: cfg.PollInterval, retry: defaultRetryInterval, stop: make(chan struct{})}
	if cfg.Notifications != nil {
		b.wake, b.unsubscribe = cfg.Notifications.Subscribe(EventsChannel)
	}
	ackDeadline := cfg.AckDeadline
	sub, err := wmsql.NewSubscriber(consumerBeginner{cfg.Pool}, wmsql.SubscriberConfig{
		ConsumerGroup:  cfg.ConsumerGroup,
		AckDeadline:    &ackDeadline,
		PollInterval:   cfg.PollInterval,
		ResendInterval: 10 * time.Millisecond,
		BackoffManager: b,
		SchemaAdapter:  SchemaAdapter{SubscribeBatchSize: cfg.BatchSize},
		OffsetsAdapter: NewOffsetsAdapter(),
	}, WatermillLogger(cfg.Logger.With("component", "subscriber", "consumer_group", cfg.ConsumerGroup)))
	if err != nil {
		b.close()
		return nil, err
	}
	return &Subscriber{Subscriber: sub, backoff: b}, nil
}

// Polls returns how many times the subscriber found nothing to read. Tests use it to
// know that a poll happened without sleeping.
func (s *Subscriber) Polls() uint64 {
	s.backoff.mu.Lock()
	defer s.backoff.mu.Unlock()
	return s.backoff.emptyPolls
}

// Close stops the subscriber without waiting for its poll interval to run out.
func (s *Subscriber) Close() error {
	s.backoff.close()
	return s.Subscriber.Close()
}

// wakeBackoff is the watermill-sql BackoffManager that decides how long the subscriber
// waits between queries: until a notification or the poll interval when idle, a few
// milliseconds (doubling) when a notification announced events that are not visible
// yet, none while there is work.
type wakeBackoff struct {
	wake        <-chan struct{}
	unsubscribe func()
	poll, retry time.Duration
	stop        chan struct{}
	stopOnce    sync.Once

	mu           sync.Mutex
	pending      bool          // told of events not read yet
	pendingSince time.Time     // when the last notification came
	heldBack     time.Duration // current short wait while pending
	emptyPolls   uint64
}

func (b *wakeBackoff) HandleError(logger watermill.LoggerAdapter, noMsg bool, err error) time.Duration {
	if err != nil {
		// Two subscribers of one group racing for its offsets row: go again at once,
		// one of them will get it.
		if strings.Contains(strings.ToLower(err.Error()), "concurrent update") {
			return 0
		}
		if errors.Is(err, context.Canceled) {
			return 0 // shutting down; the subscriber's loop sees it next
		}
		logger.Error("reading events", err, watermill.LogFields{"retry_in": b.retry})
		return b.retry
	}
	b.mu.Lock()
	if !noMsg {
		b.pending, b.heldBack = false, 0
		b.mu.Unlock()
		return 0
	}
	b.emptyPolls++
	wait := b.poll
	if b.pending {
		b.heldBack = min(max(2*b.heldBack, heldBackFloor), heldBackCeiling)
		if time.Since(b.pendingSince) > heldBackPatience {
			b.pending, b.heldBack = false, 0
		} else {
			wait = min(b.heldBack, b.poll)
		}
	}
	b.mu.Unlock()

	t := time.NewTimer(wait)
	defer t.Stop()
	select {
	case <-b.wake:
		b.mu.Lock()
		b.pending, b.pendingSince, b.heldBack = true, time.Now(), 0
		b.mu.Unlock()
	case <-t.C:
	case <-b.stop:
	}
	return 0
}

func (b *wakeBackoff) close() {
	b.stopOnce.Do(func() {
		close(b.stop)
		if b.unsubscribe != nil {
			b.unsubscribe()
		}
	})
}
