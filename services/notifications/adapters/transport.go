package adapters

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"time"

	"github.com/wneessen/go-mail"
)

// Envelope is one message to deliver to one person.
type Envelope struct {
	// MessageID is the message's outbox id: the same on every attempt, so that a
	// message delivered twice (a sender that died between the server's acceptance and
	// recording it) is recognised as one by mail clients.
	MessageID string
	ToName    string
	ToAddress string
	Language  string
	Subject   string
	Text      string
}

// Transport delivers messages.
type Transport interface {
	Deliver(ctx context.Context, e Envelope) error
}

// SMTPConfig is how to reach the SMTP server.
type SMTPConfig struct {
	Host     string
	Port     int
	Username string
	Password string
	// TLS is "mandatory" (STARTTLS required, the default), "opportunistic" or "none".
	TLS string
	// From is the sender, e.g. "Passerelle <no-reply@example.org>".
	FromName, FromAddress string
	Timeout               time.Duration
	// Dial, when set, opens the connections (tests cut them).
	Dial func(ctx context.Context, network, addr string) (net.Conn, error)
}

// SMTP delivers through an SMTP server, one connection per message.
type SMTP struct{ cfg SMTPConfig }

// NewSMTP checks cfg and returns the transport.
func NewSMTP(cfg SMTPConfig) (*SMTP, error) {
	if cfg.Host == "" || cfg.FromAddress == "" {
		return nil, errors.New("smtp: a host and a sender address are required")
	}
	switch cfg.TLS {
	case "", "mandatory", "opportunistic", "none":
	default:
		return nil, fmt.Errorf("smtp: TLS %q is not mandatory, opportunistic or none", cfg.TLS)
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 30 * time.Second
	}
	return &SMTP{cfg: cfg}, nil
}

// Deliver implements Transport.
func (s *SMTP) Deliver(ctx context.Context, e Envelope) error {
	m, err := s.compose(e)
	if err != nil {
		return err
	}
	policy := mail.TLSMandatory
	switch s.cfg.TLS {
	case "opportunistic":
		policy = mail.TLSOpportunistic
	case "none":
		policy = mail.NoTLS
	}
	opts := []mail.Option{mail.WithTLSPortPolicy(policy), mail.WithTimeout(s.cfg.Timeout)}
	if s.cfg.Port != 0 {
		opts = append(opts, mail.WithPort(s.cfg.Port))
	}
	if s.cfg.Dial != nil {
		opts = append(opts, mail.WithDialContextFunc(s.cfg.Dial))
	}
	if s.cfg.Username != "" {
		opts = append(opts, mail.WithSMTPAuth(mail.SMTPAuthPlain), mail.WithUsername(s.cfg.Username), mail.WithPassword(s.cfg.Password))
	}
	c, err := mail.NewClient(s.cfg.Host, opts...)
	if err != nil {
		return fmt.Errorf("smtp client: %w", err)
	}
	if err := c.DialAndSendWithContext(ctx, m); err != nil {
		// The error may quote the recipient's address: say only what failed.
		var se *mail.SendError
		if errors.As(err, &se) {
			return fmt.Errorf("smtp: %s (temporary: %t)", se.Reason, se.IsTemp())
		}
		return errors.New("smtp: the server could not be reached or refused the message")
	}
	return nil
}

func (s *SMTP) compose(e Envelope) (*mail.Msg, error) {
	return composeMsg(s.cfg.FromName, s.cfg.FromAddress, e)
}

func composeMsg(fromName, fromAddress string, e Envelope) (*mail.Msg, error) {
	m := mail.NewMsg()
	if err := m.FromFormat(fromName, fromAddress); err != nil {
		return nil, fmt.Errorf("sender address: %w", err)
	}
	if err := m.AddToFormat(e.ToName, e.ToAddress); err != nil {
		return nil, errBadAddress
	}
	m.SetMessageIDWithValue(e.MessageID + "@passerelle")
	m.SetDate()
	m.SetGenHeader(mail.HeaderContentLang, e.Language)
	m.Subject(e.Subject)
	m.SetBodyString(mail.TypeTextPlain, e.Text)
	return m, nil
}

// errBadAddress refuses a contact's address that is not one: retrying will not help.
var errBadAddress = errors.New("the contact person's address is not a mail address")

// Folder delivers into a folder, one RFC 5322 file per message named by its id: the
// embedded default, so that a platform without an SMTP server shows its mail at once
// (the web app lists it for admins). Delivering a message again rewrites the same file.
type Folder struct {
	Dir                   string
	FromName, FromAddress string
}

// Deliver implements Transport.
func (f Folder) Deliver(_ context.Context, e Envelope) error {
	m, err := composeMsg(f.FromName, f.FromAddress, e)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(f.Dir, 0o700); err != nil {
		return fmt.Errorf("mail folder: %w", err)
	}
	tmp, err := os.CreateTemp(f.Dir, ".incoming-*")
	if err != nil {
		return fmt.Errorf("mail folder: %w", err)
	}
	defer os.Remove(tmp.Name())
	if _, err := m.WriteTo(tmp); err != nil {
		_ = tmp.Close() // the write's error is the one to tell
		return fmt.Errorf("mail folder: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		_ = tmp.Close() // the sync's error is the one to tell
		return fmt.Errorf("mail folder: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("mail folder: %w", err)
	}
	return os.Rename(tmp.Name(), filepath.Join(f.Dir, e.MessageID+".eml"))
}
