package adapters

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"passerelle.dev/kernel/due"
)

// ContactBook opens an association's sealed contact person. Only the sender calls it,
// at the moment of sending: contact data are never kept, logged or written anywhere but
// into the message itself.
type ContactBook interface {
	// Open returns the contact person sealed in ciphertext for the association; ok is
	// false when its contact was forgotten (its key shredded).
	Open(ctx context.Context, associationID string, ciphertext []byte) (name, email string, ok bool, err error)
}

// ExpertBook finds an expert's mail address, at the moment of sending only, from the
// experts service, which holds their data sealed.
type ExpertBook interface {
	// Email returns the expert's address; ok is false once they erased their data.
	Email(ctx context.Context, expertID string) (email string, ok bool, err error)
}

// AddressBook is where the sender finds its recipients' addresses.
type AddressBook struct {
	Contacts ContactBook
	// Experts, when nil, leaves messages to experts undelivered (dropped, saying why).
	Experts ExpertBook
}

// SenderConfig tunes the sender.
type SenderConfig struct {
	// Lease is how long a claimed message stays with the sender that claimed it: one
	// that dies while sending leaves the message to be retried after it. Default 2 min.
	Lease time.Duration
	// MaxAttempts is how many refusals before giving up on a message. Default 8.
	MaxAttempts int
	// Interval bounds how long the sender waits when nothing wakes it. Default 30 s.
	Interval time.Duration
	// Batch is how many messages it claims at once. Default 20.
	Batch int
	// Now is the clock. Default time.Now.
	Now func() time.Time
}

// Sender delivers the outbox's messages. A message is claimed (its due time moved past
// a lease) in a transaction of its own, then delivered, then marked: one that dies
// between the delivery and the mark is delivered again after the lease, with the same
// Message-ID. Several senders may run: claims skip what another holds.
type Sender struct {
	pool      *pgxpool.Pool
	transport Transport
	contacts  ContactBook
	experts   ExpertBook
	wake      <-chan struct{}
	cfg       SenderConfig
	logger    *slog.Logger
}

// NewSender returns a sender; wake, when not nil, makes it look again at once.
func NewSender(pool *pgxpool.Pool, transport Transport, book AddressBook, wake <-chan struct{}, cfg SenderConfig, logger *slog.Logger) *Sender {
	if cfg.Lease <= 0 {
		cfg.Lease = 2 * time.Minute
	}
	if cfg.MaxAttempts <= 0 {
		cfg.MaxAttempts = 8
	}
	if cfg.Interval <= 0 {
		cfg.Interval = 30 * time.Second
	}
	if cfg.Batch <= 0 {
		cfg.Batch = 20
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if logger == nil {
		logger = slog.Default()
	}
	return &Sender{pool: pool, transport: transport, contacts: book.Contacts, experts: book.Experts, wake: wake, cfg: cfg, logger: logger.With("component", "sender")}
}

// Run sends until ctx ends. Failures are logged and retried: a message is late, never
// lost.
func (s *Sender) Run(ctx context.Context) error {
	return due.Run(ctx, due.Loop{Interval: s.cfg.Interval, Wake: s.wake, Now: s.cfg.Now, Logger: s.logger},
		func(ctx context.Context) (time.Time, error) {
			// Batch after batch while full ones come back.
			for {
				n, err := s.SendDue(ctx)
				if err != nil || n < s.cfg.Batch || ctx.Err() != nil {
					return time.Time{}, err
				}
			}
		})
}

type claimed struct {
	id, language, subject, body string
	to                          recipient
	attempts                    int
}

// SendDue claims the messages due and delivers them; it returns how many it claimed.
func (s *Sender) SendDue(ctx context.Context) (int, error) {
	now := s.cfg.Now()
	rows, err := s.pool.Query(ctx, `UPDATE notifications.outbox o SET due_at = $2, attempts = o.attempts + 1
		FROM (SELECT id FROM notifications.outbox WHERE status = 'PENDING' AND due_at <= $1
		      ORDER BY due_at, id LIMIT $3 FOR UPDATE SKIP LOCKED) due
		WHERE o.id = due.id
		RETURNING o.id::text, coalesce(o.association_id::text, ''), coalesce(o.expert_id::text, ''), coalesce(o.institution_id::text, ''),
			o.language, o.subject, o.body, o.attempts`,
		now, now.Add(s.cfg.Lease), s.cfg.Batch)
	if err != nil {
		return 0, fmt.Errorf("claim messages: %w", err)
	}
	var (
		batch []claimed
		c     claimed
	)
	if _, err := pgx.ForEachRow(rows, []any{&c.id, &c.to.association, &c.to.expert, &c.to.institution, &c.language, &c.subject, &c.body, &c.attempts}, func() error {
		batch = append(batch, c)
		return nil
	}); err != nil {
		return 0, fmt.Errorf("claim messages: %w", err)
	}
	var errs []error
	for _, m := range batch {
		if err := s.send(ctx, m); err != nil {
			errs = append(errs, err)
		}
	}
	return len(batch), errors.Join(errs...)
}

// address finds where a message goes, at the moment of sending; why says, when there
// is nowhere, why the message is dropped.
func (s *Sender) address(ctx context.Context, m claimed) (name, email, why string, err error) {
	switch {
	case m.to.expert != "":
		if s.experts == nil {
			return "", "", "no experts service to ask the expert's address of", nil
		}
		email, ok, err := s.experts.Email(ctx, m.to.expert)
		if err != nil || !ok {
			return "", "", "the expert erased their data", err
		}
		return "", email, "", nil
	case m.to.institution != "":
		err := s.pool.QueryRow(ctx, `SELECT name, email FROM notifications.institutions WHERE institution_id = $1`, m.to.institution).Scan(&name, &email)
		if errors.Is(err, pgx.ErrNoRows) {
			return "", "", "an unknown institution", nil
		}
		return name, email, "", err
	}
	var sealed []byte
	err = s.pool.QueryRow(ctx, `SELECT contact FROM notifications.recipients WHERE association_id = $1`, m.to.association).Scan(&sealed)
	if err != nil && !errors.Is(err, pgx.ErrNoRows) {
		return "", "", "", fmt.Errorf("recipient: %w", err)
	}
	if len(sealed) == 0 {
		return "", "", "no contact person", nil
	}
	name, email, ok, err := s.contacts.Open(ctx, m.to.association, sealed)
	if err != nil {
		return "", "", "", fmt.Errorf("open the contact: %w", err)
	}
	if !ok {
		return "", "", "the contact person was forgotten", nil
	}
	return name, email, "", nil
}

func (s *Sender) send(ctx context.Context, m claimed) error {
	name, email, why, err := s.address(ctx, m)
	if err != nil {
		return fmt.Errorf("message %s: %w", m.id, err)
	}
	if why != "" {
		return s.finish(ctx, m.id, "DROPPED", why)
	}
	err = s.transport.Deliver(ctx, Envelope{MessageID: m.id, ToName: name, ToAddress: email, Language: m.language, Subject: m.subject, Text: m.body})
	switch {
	case err == nil:
		return s.finish(ctx, m.id, "SENT", "")
	case errors.Is(err, errBadAddress):
		return s.finish(ctx, m.id, "FAILED", err.Error())
	case ctx.Err() != nil:
		return nil // stopping: the lease brings it back
	case m.attempts >= s.cfg.MaxAttempts:
		return s.finish(ctx, m.id, "FAILED", err.Error())
	}
	// Refused or unreachable: again later, waiting longer each time (1, 2, 4… minutes).
	retry := s.cfg.Now().Add(time.Minute << min(m.attempts-1, 10))
	if _, uerr := s.pool.Exec(ctx, `UPDATE notifications.outbox SET due_at = $2, last_error = $3 WHERE id = $1 AND status = 'PENDING'`,
		m.id, retry, err.Error()); uerr != nil {
		return fmt.Errorf("message %s: %w", m.id, uerr)
	}
	s.logger.Warn("message not delivered, to retry", "message", m.id, "attempt", m.attempts, "err", err)
	return nil
}

func (s *Sender) finish(ctx context.Context, id, status, why string) error {
	_, err := s.pool.Exec(ctx, `UPDATE notifications.outbox SET status = $2, last_error = $3,
		sent_at = CASE WHEN $2 = 'SENT' THEN $4::timestamptz END WHERE id = $1`, id, status, why, s.cfg.Now())
	if err != nil {
		return fmt.Errorf("message %s: mark %s: %w", id, status, err)
	}
	what := "message " + map[string]string{"SENT": "sent", "DROPPED": "dropped", "FAILED": "given up"}[status]
	if why == "" {
		s.logger.Info(what, "message", id)
	} else {
		s.logger.Info(what, "message", id, "why", why)
	}
	return nil
}
