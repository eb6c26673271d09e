package adapters_test

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"passerelle.dev/events/directoryevents"
	"passerelle.dev/kernel/pgtest"
	"passerelle.dev/notifications/adapters"
)

// childSenderEnv makes the test binary a sender process of its own (see
// TestASenderProcessKilledMidSendSendsOnce): DATABASE_URL and SMTP_ADDR say where to.
const childSenderEnv = "NOTIFICATIONS_TEST_SENDER"

// stallingConn is the child's connection to the SMTP server: once the message's body is
// on its way, the link stalls (the rest never leaves) and the child says so on stdout, so
// that the parent kills it mid-transmission.
type stallingConn struct {
	net.Conn
	once sync.Once
	sent strings.Builder
}

func (c *stallingConn) Write(b []byte) (int, error) {
	c.sent.Write(b)
	if strings.Contains(c.sent.String(), "Subject:") {
		_, _ = c.Conn.Write(b[:len(b)/2])
		c.once.Do(func() { fmt.Println("MIDSEND") })
		select {} // the link hangs until the process is killed
	}
	return c.Conn.Write(b)
}

func childSender() int {
	ctx := context.Background()
	pool, err := pgxpool.New(ctx, os.Getenv("DATABASE_URL"))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	host, port, _ := net.SplitHostPort(os.Getenv("SMTP_ADDR"))
	transport, err := adapters.NewSMTP(adapters.SMTPConfig{Host: host, Port: atoi(port), TLS: "none", FromAddress: "no-reply@passerelle.test",
		Dial: func(ctx context.Context, network, addr string) (net.Conn, error) {
			conn, err := (&net.Dialer{}).DialContext(ctx, network, addr)
			if err != nil {
				return nil, err
			}
			return &stallingConn{Conn: conn}, nil
		}})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	_, err = adapters.NewSender(pool, transport, adapters.AddressBook{Contacts: &contacts{}}, nil, adapters.SenderConfig{Lease: time.Minute}, nil).SendDue(ctx)
	fmt.Fprintln(os.Stderr, "the sender returned:", err)
	return 1
}

func TestASenderProcessKilledMidSendSendsOnce(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	id := f.association(t, "Colombianos en Ginebra", []string{"es"}, "Ana|ana@colombianos.test")
	f.append(t, directoryevents.StreamID(id), directoryevents.AssociationVerified{AssociationID: id, VerifiedAt: f.clock.now()})
	f.project(t, adapters.Notifier{MaxAge: time.Hour})
	ms := startMailServer(t)

	// A sender process of its own, killed (SIGKILL) while the message's body is on the wire.
	child := exec.Command(os.Args[0], "-test.run=^$")
	child.Env = append(os.Environ(), childSenderEnv+"=1", "DATABASE_URL="+f.pool.Config().ConnString(), "SMTP_ADDR="+ms.addr)
	child.Stderr = os.Stderr
	out, err := child.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := child.Start(); err != nil {
		t.Fatal(err)
	}
	lines := bufio.NewScanner(out)
	if !lines.Scan() || lines.Text() != "MIDSEND" {
		_ = child.Process.Kill()
		t.Fatalf("the child said %q", lines.Text())
	}
	if err := child.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	_ = child.Wait()
	pgtest.Eventually(t, 5*time.Second, "the server to see the transfer cut", func() (bool, error) {
		return ms.aborted.Load() == 1, nil
	})
	var status string
	var attempts int
	if err := f.pool.QueryRow(ctx, `SELECT status, attempts FROM notifications.outbox`).Scan(&status, &attempts); err != nil {
		t.Fatal(err)
	}
	if status != "PENDING" || attempts != 1 || len(ms.messages()) != 0 {
		t.Fatalf("after the kill: %s after %d attempts, %d messages received", status, attempts, len(ms.messages()))
	}
	// Another sender, once the dead one's lease has run out, sends it: once.
	f.clock.add(2 * time.Minute)
	restarted := smtpSender(f, ms, &contacts{}, nil)
	for range 2 {
		if _, err := restarted.SendDue(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if got := ms.messages(); len(got) != 1 {
		t.Fatalf("after the restart the server got %d messages", len(got))
	}
	if err := f.pool.QueryRow(ctx, `SELECT status FROM notifications.outbox`).Scan(&status); err != nil || status != "SENT" {
		t.Fatalf("status %s, %v", status, err)
	}
}
