package projector

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/ThreeDotsLabs/watermill"
	wmsql "github.com/ThreeDotsLabs/watermill-sql/v4/pkg/sql"
	"github.com/ThreeDotsLabs/watermill/message"
	"github.com/ThreeDotsLabs/watermill/message/router/middleware"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"passerelle.dev/events"
	"passerelle.dev/events/eventstore"
)

// PoisonTopic is the topic poisoned events are published to (the
// eventstore.poisoned_messages table).
const PoisonTopic = "passerelle.poisoned"

// Config configures a Runner.
type Config struct {
	// Pool is the connection pool to the event store's database. Required.
	Pool *pgxpool.Pool
	// Registry decodes event payloads. Required.
	Registry *events.Registry
	// Notifications wakes the subscribers when events are committed. Optional: without
	// it they poll every PollInterval.
	Notifications *eventstore.Notifications
	// PollInterval is the subscribers' fallback poll. Defaults to 1s.
	PollInterval time.Duration
	// BatchSize is how many events one transaction projects. Defaults to 100.
	BatchSize int
	// MaxRetries is how often a failing Apply is retried before the event is handed
	// back to the subscriber (which offers it again). Defaults to 5.
	MaxRetries int
	// Logger defaults to slog.Default().
	Logger *slog.Logger
}

func (c *Config) setDefaults() {
	if c.MaxRetries <= 0 {
		c.MaxRetries = 5
	}
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
}

func (c Config) validate(projections []Projection) error {
	var errs []error
	if c.Pool == nil {
		errs = append(errs, errors.New("a Pool is required"))
	}
	if c.Registry == nil {
		errs = append(errs, errors.New("a Registry is required"))
	}
	if len(projections) == 0 {
		errs = append(errs, errors.New("at least one projection is required"))
	}
	seen := map[string]bool{}
	for _, p := range projections {
		if p.Name() == "" || seen[p.Name()] {
			errs = append(errs, fmt.Errorf("projection name %q is empty or used twice", p.Name()))
		}
		seen[p.Name()] = true
	}
	return errors.Join(errs...)
}

// Runner runs projections through a Watermill router: one handler and one subscriber
// (consumer group) per projection, behind poison-queue, retry and recoverer middleware.
type Runner struct {
	pool        *pgxpool.Pool
	projections []Projection
	router      *message.Router
	registry    *events.Registry
	logger      *slog.Logger
	subs        map[string]*eventstore.Subscriber
}

// NewRunner prepares the router; Run starts it.
func NewRunner(cfg Config, projections ...Projection) (*Runner, error) {
	cfg.setDefaults()
	if err := cfg.validate(projections); err != nil {
		return nil, errors.Join(errors.New("projector: invalid config"), err)
	}
	logger := cfg.Logger.With("component", "projector")
	wmLogger := eventstore.WatermillLogger(logger)
	router, err := message.NewRouter(message.RouterConfig{CloseTimeout: 10 * time.Second}, wmLogger)
	if err != nil {
		return nil, fmt.Errorf("projector: router: %w", err)
	}
	poison, err := middleware.PoisonQueueWithFilter(txPublisher{logger: wmLogger}, PoisonTopic, IsPermanent)
	if err != nil {
		return nil, fmt.Errorf("projector: poison queue: %w", err)
	}
	router.AddMiddleware(
		poison,
		middleware.Retry{
			MaxRetries:      cfg.MaxRetries,
			InitialInterval: 10 * time.Millisecond,
			MaxInterval:     time.Second,
			Multiplier:      2,
			ShouldRetry:     func(p middleware.RetryParams) bool { return !IsPermanent(p.Err) },
			Logger:          wmLogger,
		}.Middleware,
		middleware.Recoverer,
	)

	r := &Runner{pool: cfg.Pool, projections: projections, router: router, registry: cfg.Registry, logger: logger, subs: map[string]*eventstore.Subscriber{}}
	for _, p := range projections {
		sub, err := eventstore.NewSubscriber(eventstore.SubscriberConfig{
			Pool:          cfg.Pool,
			ConsumerGroup: p.Name(),
			Notifications: cfg.Notifications,
			PollInterval:  cfg.PollInterval,
			BatchSize:     cfg.BatchSize,
			Logger:        cfg.Logger,
		})
		if err != nil {
			r.closeSubscribers()
			return nil, fmt.Errorf("projector: subscriber for %s: %w", p.Name(), err)
		}
		r.subs[p.Name()] = sub
		router.AddConsumerHandler(p.Name(), eventstore.Topic, sub, r.handler(p))
	}
	return r, nil
}

// Run projects until ctx is done. Projections far behind catch up first (see catchUp).
// It returns once every handler has stopped.
func (r *Runner) Run(ctx context.Context) error {
	var wg sync.WaitGroup
	for _, p := range r.projections {
		wg.Go(func() { r.catchUp(ctx, p) })
	}
	wg.Wait()
	if ctx.Err() != nil {
		r.closeSubscribers()
		return nil
	}
	ran := make(chan struct{})
	defer close(ran)
	stop := context.AfterFunc(ctx, func() {
		// Not before the router has subscribed them: closing a subscriber while the router
		// subscribes it races.
		select {
		case <-r.router.Running():
		case <-ran:
		}
		// Subscribers first: an idle one waits for a notification and would hold the
		// router's close until its timeout.
		r.closeSubscribers()
		if err := r.router.Close(); err != nil {
			r.logger.Warn("closing projector router", "err", err)
		}
	})
	defer stop()
	// The router stops when the function above closes it, not when ctx ends: a
	// subscriber's query cancelled midway would lose its connection and fail its commit
	// (an error logged as the process stops). Closed, the subscribers finish the query
	// under way and stop.
	if err := r.router.Run(context.WithoutCancel(ctx)); err != nil && ctx.Err() == nil {
		return fmt.Errorf("projector: %w", err)
	}
	return nil
}

// Running is closed once every handler is subscribed.
func (r *Runner) Running() chan struct{} { return r.router.Running() }

// Polls returns how many empty polls a projection's subscriber made (for tests).
func (r *Runner) Polls(projection string) uint64 {
	if s, ok := r.subs[projection]; ok {
		return s.Polls()
	}
	return 0
}

func (r *Runner) closeSubscribers() {
	for name, s := range r.subs {
		if err := s.Close(); err != nil {
			r.logger.Warn("closing subscriber", "projection", name, "err", err)
		}
	}
}

// handler applies one event inside a savepoint of the subscriber's transaction, so that
// a failed attempt leaves nothing behind for the retry, nor for the commit of the
// events before it in the batch.
func (r *Runner) handler(p Projection) message.NoPublishHandlerFunc {
	return func(msg *message.Message) error {
		ctx := msg.Context()
		rec, err := eventstore.RecordedFromMessage(msg)
		if err != nil {
			return Permanent(err)
		}
		if !p.Handles(rec.Type) {
			return nil
		}
		payload, err := r.registry.Decode(rec.Type, rec.SchemaVersion, rec.Data)
		if err != nil {
			return Permanent(fmt.Errorf("event %s at %s: %w", rec.ID, rec.Position, err))
		}
		tx, ok := eventstore.ConsumerTxFrom(ctx)
		if !ok {
			return errors.New("projector: message carries no consumer transaction")
		}
		return tx.Use(func(tx pgx.Tx) error {
			if err := ApplyInSavepoint(ctx, tx, p, rec, payload); err != nil {
				return fmt.Errorf("projector %s: event %s (%s) at %s: %w", p.Name(), rec.ID, rec.Type, rec.Position, err)
			}
			return Revised(ctx, tx, p.Name())
		})
	}
}

// txPublisher writes poisoned events in the subscriber's own transaction, so that the
// poison record and the position advance past the event commit together.
type txPublisher struct{ logger watermill.LoggerAdapter }

var poisonSchema = wmsql.DefaultPostgreSQLSchema{
	GenerateMessagesTableName: func(string) string { return "eventstore.poisoned_messages" },
}

func (p txPublisher) Publish(topic string, msgs ...*message.Message) error {
	if len(msgs) == 0 {
		return nil
	}
	tx, ok := wmsql.TxFromContext(msgs[0].Context())
	if !ok {
		return errors.New("projector: poisoned message carries no transaction")
	}
	pub, err := wmsql.NewPublisher(tx, wmsql.PublisherConfig{SchemaAdapter: poisonSchema}, p.logger)
	if err != nil {
		return err
	}
	return pub.Publish(topic, msgs...)
}

func (txPublisher) Close() error { return nil }
