package adapters_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgxpool"

	"passerelle.dev/events"
	"passerelle.dev/events/directoryevents"
	"passerelle.dev/events/eventstore"
	"passerelle.dev/events/projector"
	"passerelle.dev/events/sessionevents"
	"passerelle.dev/kernel/pgtest"
	"passerelle.dev/notifications/adapters"
	"passerelle.dev/notifications/service"
)

var db *pgtest.Database

func TestMain(m *testing.M) {
	if os.Getenv(childSenderEnv) != "" {
		os.Exit(childSender())
	}
	os.Exit(pgtest.Run(m, &db, service.Migrations()...))
}

// received is a message the test SMTP server accepted.
type received struct {
	to      []string
	data    string
	msgID   string
	subject string
}

// mailServer is a real SMTP server in the test process.
type mailServer struct {
	addr string
	mu   sync.Mutex
	got  []received
	// aborted counts DATA transfers cut before their end.
	aborted atomic.Int32
}

func startMailServer(t *testing.T) *mailServer {
	t.Helper()
	ms := &mailServer{}
	srv := smtp.NewServer(ms)
	srv.Domain = "localhost"
	srv.AllowInsecureAuth = true
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ms.addr = l.Addr().String()
	go func() { _ = srv.Serve(l) }()
	t.Cleanup(func() { _ = srv.Close() })
	return ms
}

func (ms *mailServer) NewSession(*smtp.Conn) (smtp.Session, error) { return &mailSession{ms: ms}, nil }

func (ms *mailServer) messages() []received {
	ms.mu.Lock()
	defer ms.mu.Unlock()
	return append([]received(nil), ms.got...)
}

type mailSession struct {
	ms *mailServer
	to []string
}

func (s *mailSession) Reset()                                    { s.to = nil }
func (s *mailSession) Logout() error                             { return nil }
func (s *mailSession) Mail(string, *smtp.MailOptions) error      { return nil }
func (s *mailSession) Rcpt(to string, _ *smtp.RcptOptions) error { s.to = append(s.to, to); return nil }
func (s *mailSession) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		s.ms.aborted.Add(1)
		return err
	}
	m := received{to: s.to, data: string(b)}
	for _, line := range strings.Split(m.data, "\r\n") {
		if v, ok := strings.CutPrefix(line, "Message-ID: "); ok {
			m.msgID = v
		}
		if v, ok := strings.CutPrefix(line, "Subject: "); ok {
			m.subject = v
		}
	}
	s.ms.mu.Lock()
	s.ms.got = append(s.ms.got, m)
	s.ms.mu.Unlock()
	return nil
}

// contacts opens the test's "sealed" contacts: "name|email" in clear.
type contacts struct{ opened atomic.Int32 }

func (c *contacts) Open(_ context.Context, _ string, ciphertext []byte) (string, string, bool, error) {
	c.opened.Add(1)
	name, email, ok := strings.Cut(string(ciphertext), "|")
	return name, email, ok, nil
}

type fixture struct {
	pool     *pgxpool.Pool
	store    *eventstore.Store
	registry *events.Registry
	clock    *testClock
	last     events.Position
}

// testClock runs with the machine's clock, moved on by the test.
type testClock struct{ offset atomic.Int64 }

func (c *testClock) now() time.Time      { return time.Now().Add(time.Duration(c.offset.Load())) }
func (c *testClock) add(d time.Duration) { c.offset.Add(int64(d)) }

func newFixture(t *testing.T) *fixture {
	t.Helper()
	pool := pgtest.PoolFor(t, db.Fresh(t))
	store, err := eventstore.NewStore(eventstore.Config{Pool: pool})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(store.Close)
	registry, err := service.Registry()
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{pool: pool, store: store, registry: registry, clock: &testClock{}}
	return f
}

func (f *fixture) append(t *testing.T, stream string, payloads ...any) {
	t.Helper()
	evs := make([]events.Event, len(payloads))
	for i, p := range payloads {
		ev, err := f.registry.New(p, events.Metadata{Actor: events.System})
		if err != nil {
			t.Fatal(err)
		}
		evs[i] = ev
	}
	recs, err := f.store.Append(context.Background(), stream, eventstore.AnyVersion, evs...)
	if err != nil {
		t.Fatal(err)
	}
	f.last = recs[len(recs)-1].Position
}

// project runs the notifier over the log until it has handled everything.
func (f *fixture) project(t *testing.T, n adapters.Notifier) {
	t.Helper()
	if n.Now == nil {
		n.Now = f.clock.now
	}
	runner, err := projector.NewRunner(projector.Config{Pool: f.pool, Registry: f.registry, PollInterval: 20 * time.Millisecond}, n)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- runner.Run(ctx) }()
	wait, stop := context.WithTimeout(ctx, 10*time.Second)
	defer stop()
	err = projector.NewCheckpoints(f.pool, nil).WaitFor(wait, f.last, adapters.NotifierName)
	cancel()
	if rerr := <-done; rerr != nil {
		t.Fatal(rerr)
	}
	if err != nil {
		t.Fatalf("the notifier did not catch up: %v", err)
	}
}

func (f *fixture) outbox(t *testing.T) map[string]string {
	t.Helper()
	rows, err := f.pool.Query(context.Background(), `SELECT kind || '/' || language || '/' || status, subject FROM notifications.outbox`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var k, s string
		if err := rows.Scan(&k, &s); err != nil {
			t.Fatal(err)
		}
		out[k] = s
	}
	return out
}

func (f *fixture) association(t *testing.T, name string, languages []string, contact string) string {
	t.Helper()
	id := uuid.NewString()
	var sealed *directoryevents.SealedContact
	if contact != "" {
		sealed = &directoryevents.SealedContact{Ciphertext: []byte(contact)}
	}
	f.append(t, directoryevents.StreamID(id), directoryevents.AssociationRegistered{AssociationID: id, RegisteredAt: f.clock.now(),
		Profile: directoryevents.Profile{ProfileDetails: directoryevents.ProfileDetails{Name: name, Kind: "DIASPORA_ASSOCIATION", City: "geneva", CountryOfResidence: "CH",
			OriginCountries: []string{"CO"}, Languages: languages}, Contact: sealed}})
	return id
}

func smtpSender(f *fixture, ms *mailServer, book adapters.ContactBook, dial func(ctx context.Context, network, addr string) (net.Conn, error)) *adapters.Sender {
	return smtpSenderTo(f, ms, adapters.AddressBook{Contacts: book}, dial)
}

// smtpSenderTo is a sender to the test's SMTP server, finding addresses in book.
func smtpSenderTo(f *fixture, ms *mailServer, book adapters.AddressBook, dial func(ctx context.Context, network, addr string) (net.Conn, error)) *adapters.Sender {
	host, port, _ := net.SplitHostPort(ms.addr)
	cfg := adapters.SMTPConfig{Host: host, TLS: "none", FromName: "Passerelle", FromAddress: "no-reply@passerelle.test", Dial: dial}
	cfg.Port = atoi(port)
	transport, err := adapters.NewSMTP(cfg)
	if err != nil {
		panic(err)
	}
	return adapters.NewSender(f.pool, transport, book, nil, adapters.SenderConfig{Now: f.clock.now, Lease: time.Minute}, nil)
}

func atoi(s string) int {
	n := 0
	for _, c := range s {
		n = n*10 + int(c-'0')
	}
	return n
}

func TestMessagesInTheRecipientsLanguageOnlyToItsContactPerson(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	colombianos := f.association(t, "Colombianos en Ginebra", []string{"es-CO", "fr"}, "Ana Gómez|ana@colombianos.test")
	maliens := f.association(t, "Diaspora malienne", []string{"fr"}, "Awa Traoré|awa@maliens.test")
	silent := f.association(t, "Sans contact", []string{"fr"}, "")
	f.append(t, directoryevents.StreamID(colombianos), directoryevents.AssociationVerified{AssociationID: colombianos, VerifiedAt: f.clock.now()})
	f.append(t, directoryevents.StreamID(maliens), directoryevents.AssociationVerified{AssociationID: maliens, VerifiedAt: f.clock.now()})
	f.append(t, directoryevents.StreamID(silent), directoryevents.AssociationVerified{AssociationID: silent, VerifiedAt: f.clock.now()})
	// The Malians' contact person is forgotten before anything is sent.
	f.append(t, directoryevents.StreamID(maliens), directoryevents.AssociationContactForgotten{AssociationID: maliens, ForgottenAt: f.clock.now()})

	start := time.Date(2027, 3, 27, 17, 30, 0, 0, time.UTC)
	sessionID, reg := uuid.NewString(), uuid.NewString()
	f.append(t, sessionevents.CityStreamID("geneva"), sessionevents.CityOpened{Slug: "geneva", Name: "Genève", TimeZone: "Europe/Zurich", Country: "CH"})
	f.append(t, sessionevents.SessionStreamID(sessionID),
		sessionevents.SessionScheduled{SessionID: sessionID, City: "geneva", Title: sessionevents.Text{EN: "Remittances", ES: "Remesas"},
			Theme: "REMITTANCES", OriginCountries: []string{"CO"}, Venue: sessionevents.Venue{Name: "Maison des associations", Address: "Rue des Savoises 15"},
			Timing: sessionevents.Timing{Start: start, TimeZone: "Europe/Zurich", DurationMinutes: 120, Deadline: start}, Capacity: 1},
		sessionevents.RegistrationWaitlisted{SessionID: sessionID, RegistrationID: reg, AssociationID: colombianos, Seats: 2},
		sessionevents.WaitlistOfferMade{SessionID: sessionID, RegistrationID: reg, Seats: 2, ExpiresAt: start.Add(-24 * time.Hour)})
	f.project(t, adapters.Notifier{PublicURL: "https://passerelle.test", MaxAge: time.Hour})
	got := f.outbox(t)
	want := map[string]string{
		"ASSOCIATION_VERIFIED/es/PENDING":    "Su asociación está verificada",
		"ASSOCIATION_VERIFIED/fr/PENDING":    "Votre association est vérifiée",
		"REGISTRATION_WAITLISTED/es/PENDING": "En lista de espera: Remesas",
		"OFFER_MADE/es/PENDING":              "Plazas ofrecidas: Remesas",
	}
	if len(got) != len(want) {
		t.Fatalf("outbox %v", got)
	}
	for k, v := range want {
		if got[k] != v {
			t.Fatalf("outbox %v, want %s: %s", got, k, v)
		}
	}

	ms := startMailServer(t)
	book := &contacts{}
	if _, err := smtpSender(f, ms, book, nil).SendDue(ctx); err != nil {
		t.Fatal(err)
	}
	mail := ms.messages()
	if len(mail) != 3 {
		t.Fatalf("%d messages sent: %+v", len(mail), mail)
	}
	for _, m := range mail {
		if len(m.to) != 1 || m.to[0] != "ana@colombianos.test" {
			t.Fatalf("sent to %v", m.to)
		}
	}
	if !strings.Contains(strings.Join(dataOf(mail), "\n"), "=C2=ABRemesas=C2=BB") && !strings.Contains(strings.Join(dataOf(mail), "\n"), "«Remesas»") {
		t.Fatalf("the offer does not name the session in Spanish: %s", strings.Join(dataOf(mail), "\n"))
	}
	// The forgotten contact and the association without one got nothing, and no address
	// was opened for them.
	var dropped int
	if err := f.pool.QueryRow(ctx, `SELECT count(*) FROM notifications.outbox WHERE status = 'DROPPED'`).Scan(&dropped); err != nil {
		t.Fatal(err)
	}
	if dropped != 2 || book.opened.Load() != 3 {
		t.Fatalf("%d dropped, %d contacts opened", dropped, book.opened.Load())
	}

	// Handling the events again (a rebuild) writes no message twice.
	if _, err := f.pool.Exec(ctx, `DELETE FROM eventstore.consumer_offsets WHERE consumer_group = $1`, adapters.NotifierName); err != nil {
		t.Fatal(err)
	}
	f.project(t, adapters.Notifier{PublicURL: "https://passerelle.test", MaxAge: 0})
	if again := f.outbox(t); len(again) != len(want) {
		t.Fatalf("after handling the events again: %v", again)
	}
}

func dataOf(ms []received) []string {
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = m.data
	}
	return out
}

func TestOldEventsSendNothing(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	id := f.association(t, "Colombianos en Ginebra", []string{"es"}, "Ana|ana@colombianos.test")
	f.append(t, directoryevents.StreamID(id), directoryevents.AssociationVerified{AssociationID: id})
	f.clock.add(25 * time.Hour) // the notifier starts a day after the event
	f.project(t, adapters.Notifier{MaxAge: 24 * time.Hour})
	if got := f.outbox(t); len(got) != 0 {
		t.Fatalf("an old event caused %v", got)
	}
}

// cuttingConn is a connection to the SMTP server that dies, with the process sending
// through it, once the message's body has started to go out.
type cuttingConn struct {
	net.Conn
	die     func()
	sent    bytes.Buffer
	cut     bool
	cutOnce sync.Once
}

func (c *cuttingConn) Write(b []byte) (int, error) {
	c.sent.Write(b)
	if !c.cut && strings.Contains(c.sent.String(), "Subject:") {
		c.cutOnce.Do(func() {
			c.cut = true
			c.die()
			_ = c.Conn.Close()
		})
		return 0, net.ErrClosed
	}
	return c.Conn.Write(b)
}

func TestASenderKilledMidSendLosesNothingAndSendsOnce(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	id := f.association(t, "Colombianos en Ginebra", []string{"es"}, "Ana|ana@colombianos.test")
	f.append(t, directoryevents.StreamID(id), directoryevents.AssociationVerified{AssociationID: id, VerifiedAt: f.clock.now()})
	f.project(t, adapters.Notifier{MaxAge: time.Hour})
	ms := startMailServer(t)

	// The process dies while the message's body is on the wire.
	dying, die := context.WithCancel(ctx)
	dial := func(ctx context.Context, network, addr string) (net.Conn, error) {
		conn, err := (&net.Dialer{}).DialContext(ctx, network, addr)
		if err != nil {
			return nil, err
		}
		return &cuttingConn{Conn: conn, die: die}, nil
	}
	if _, err := smtpSender(f, ms, &contacts{}, dial).SendDue(dying); err != nil && !errors.Is(err, context.Canceled) {
		t.Fatal(err)
	}
	pgtest.Eventually(t, 5*time.Second, "the server to see the transfer cut", func() (bool, error) {
		return ms.aborted.Load() == 1, nil
	})
	if got := ms.messages(); len(got) != 0 {
		t.Fatalf("a cut transfer was taken as a message: %+v", got)
	}
	var status string
	var attempts int
	if err := f.pool.QueryRow(ctx, `SELECT status, attempts FROM notifications.outbox`).Scan(&status, &attempts); err != nil {
		t.Fatal(err)
	}
	if status != "PENDING" || attempts != 1 {
		t.Fatalf("after the crash: %s after %d attempts", status, attempts)
	}
	// Started again before the lease runs out, a sender leaves it to the dead one's lease;
	// after it, it sends the message, once.
	restarted := smtpSender(f, ms, &contacts{}, nil)
	if n, err := restarted.SendDue(ctx); err != nil || n != 0 {
		t.Fatalf("within the lease: %d claimed, %v", n, err)
	}
	f.clock.add(time.Minute)
	if _, err := restarted.SendDue(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := restarted.SendDue(ctx); err != nil {
		t.Fatal(err)
	}
	if got := ms.messages(); len(got) != 1 || got[0].subject == "" {
		t.Fatalf("after the restart, the server got %+v", got)
	}
	if err := f.pool.QueryRow(ctx, `SELECT status FROM notifications.outbox`).Scan(&status); err != nil || status != "SENT" {
		t.Fatalf("status %s, %v", status, err)
	}
}

// acceptedThenDead delivers, then dies before the sender records it.
type acceptedThenDead struct {
	adapters.Transport
	die func()
}

func (a acceptedThenDead) Deliver(ctx context.Context, e adapters.Envelope) error {
	if err := a.Transport.Deliver(ctx, e); err != nil {
		return err
	}
	a.die()
	return context.Canceled
}

func TestAMessageAcceptedBeforeTheCrashComesAgainWithTheSameMessageID(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	id := f.association(t, "Colombianos en Ginebra", []string{"es"}, "Ana|ana@colombianos.test")
	f.append(t, directoryevents.StreamID(id), directoryevents.AssociationVerified{AssociationID: id, VerifiedAt: f.clock.now()})
	f.project(t, adapters.Notifier{MaxAge: time.Hour})
	ms := startMailServer(t)
	host, port, _ := net.SplitHostPort(ms.addr)
	smtpT, err := adapters.NewSMTP(adapters.SMTPConfig{Host: host, Port: atoi(port), TLS: "none", FromAddress: "no-reply@passerelle.test"})
	if err != nil {
		t.Fatal(err)
	}
	dying, die := context.WithCancel(ctx)
	crashing := adapters.NewSender(f.pool, acceptedThenDead{Transport: smtpT, die: die}, adapters.AddressBook{Contacts: &contacts{}}, nil, adapters.SenderConfig{Now: f.clock.now, Lease: time.Minute}, nil)
	_, _ = crashing.SendDue(dying)
	f.clock.add(time.Minute)
	if _, err := smtpSender(f, ms, &contacts{}, nil).SendDue(ctx); err != nil {
		t.Fatal(err)
	}
	got := ms.messages()
	if len(got) != 2 || got[0].msgID == "" || got[0].msgID != got[1].msgID {
		t.Fatalf("delivered %d times, Message-IDs %q", len(got), []string{got[0].msgID, got[len(got)-1].msgID})
	}
}

func TestTheMailFolderHoldsEachMessageOnce(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	id := f.association(t, "Diaspora malienne", []string{"fr"}, "Awa Traoré|awa@maliens.test")
	f.append(t, directoryevents.StreamID(id), directoryevents.AssociationVerified{AssociationID: id, VerifiedAt: f.clock.now()})
	f.project(t, adapters.Notifier{MaxAge: time.Hour})
	dir := t.TempDir()
	folder := adapters.Folder{Dir: dir, FromName: "Passerelle", FromAddress: "no-reply@passerelle.test"}
	if _, err := adapters.NewSender(f.pool, folder, adapters.AddressBook{Contacts: &contacts{}}, nil, adapters.SenderConfig{Now: f.clock.now}, nil).SendDue(ctx); err != nil {
		t.Fatal(err)
	}
	files, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != 1 || !strings.HasSuffix(files[0].Name(), ".eml") {
		t.Fatalf("the folder holds %v", files)
	}
	b, err := os.ReadFile(dir + "/" + files[0].Name())
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), "awa@maliens.test") || !strings.Contains(string(b), "Content-Language: fr") {
		t.Fatalf("the message:\n%s", b)
	}
}

func (c *testClock) set(at time.Time) { c.offset.Store(int64(time.Until(at))) }

func TestRemindersTwoDaysAndTwoHoursBeforeOnTheCitysClocks(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	// Sunday 28 March 2027, 18:00 in Geneva: the clocks went forward that night, so two
	// days before on Geneva's clocks (Friday 18:00, 17:00 UTC) is 47 hours before.
	start := time.Date(2027, 3, 28, 16, 0, 0, 0, time.UTC)
	f.clock.set(time.Date(2027, 3, 20, 12, 0, 0, 0, time.UTC))
	confirmed := f.association(t, "Colombianos en Ginebra", []string{"es"}, "Ana|ana@colombianos.test")
	waiting := f.association(t, "Diaspora malienne", []string{"fr"}, "Awa|awa@maliens.test")
	sessionID := uuid.NewString()
	f.append(t, sessionevents.CityStreamID("geneva"), sessionevents.CityOpened{Slug: "geneva", Name: "Genève", TimeZone: "Europe/Zurich", Country: "CH"})
	f.append(t, sessionevents.SessionStreamID(sessionID),
		sessionevents.SessionScheduled{SessionID: sessionID, City: "geneva", Title: sessionevents.Text{EN: "Remittances", ES: "Remesas"},
			Theme: "REMITTANCES", OriginCountries: []string{"CO"}, Venue: sessionevents.Venue{Name: "Maison des associations", Address: "Rue des Savoises 15"},
			Timing: sessionevents.Timing{Start: start, TimeZone: "Europe/Zurich", DurationMinutes: 120, Deadline: start}, Capacity: 1,
			ScheduledAt: f.clock.now()},
		sessionevents.RegistrationConfirmed{SessionID: sessionID, RegistrationID: uuid.NewString(), AssociationID: confirmed, Seats: 1},
		sessionevents.RegistrationWaitlisted{SessionID: sessionID, RegistrationID: uuid.NewString(), AssociationID: waiting, Seats: 1})
	// Events recorded "now" on the machine: no age limit here, the clock is in 2027.
	f.project(t, adapters.Notifier{})
	clock := adapters.NewReminderClock(f.pool, adapters.Notifier{}, f.clock.now, 0, nil)
	reminders := func() []string {
		t.Helper()
		var out []string
		rows, err := f.pool.Query(ctx, `SELECT kind || '/' || language FROM notifications.outbox WHERE kind LIKE 'REMINDER%' ORDER BY created_at, kind`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		for rows.Next() {
			var k string
			if err := rows.Scan(&k); err != nil {
				t.Fatal(err)
			}
			out = append(out, k)
		}
		return out
	}
	next, err := clock.WriteDue(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if want := time.Date(2027, 3, 26, 17, 0, 0, 0, time.UTC); !next.Equal(want) || len(reminders()) != 0 {
		t.Fatalf("next reminder at %s (want %s), written %v", next, want, reminders())
	}
	f.clock.set(time.Date(2027, 3, 26, 17, 0, 1, 0, time.UTC))
	if _, err := clock.WriteDue(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := clock.WriteDue(ctx); err != nil { // again: nothing more
		t.Fatal(err)
	}
	if got := reminders(); len(got) != 1 || got[0] != "REMINDER_48H/es" {
		t.Fatalf("after two days before: %v (the waitlisted association is not reminded)", got)
	}
	var body string
	if err := f.pool.QueryRow(ctx, `SELECT body FROM notifications.outbox WHERE kind = 'REMINDER_48H'`).Scan(&body); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(body, "domingo 28 de marzo de 2027, 18:00 (UTC+02:00)") {
		t.Fatalf("the reminder says %s", body)
	}

	// The session moves a week later: its reminders are planned again for the new time;
	// then it is cancelled, and nothing more comes.
	later := start.Add(7 * 24 * time.Hour)
	f.append(t, sessionevents.SessionStreamID(sessionID), sessionevents.SessionRescheduled{SessionID: sessionID,
		Timing: sessionevents.Timing{Start: later, TimeZone: "Europe/Zurich", DurationMinutes: 120, Deadline: later}, At: f.clock.now()})
	f.project(t, adapters.Notifier{})
	f.clock.set(later.Add(-90 * time.Minute))
	if _, err := clock.WriteDue(ctx); err != nil {
		t.Fatal(err)
	}
	// Both fell due (two days before was while the test slept): only the two-hour one goes.
	if got := reminders(); len(got) != 2 || got[1] != "REMINDER_2H/es" {
		t.Fatalf("after the move: %v", got)
	}
	f.append(t, sessionevents.SessionStreamID(sessionID), sessionevents.SessionCancelled{SessionID: sessionID, Reason: "no venue", At: f.clock.now()})
	f.project(t, adapters.Notifier{})
	if next, err := clock.WriteDue(ctx); err != nil || !next.IsZero() {
		t.Fatalf("after the cancellation, next reminder %s, %v", next, err)
	}
}
