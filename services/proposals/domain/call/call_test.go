package call_test

import (
	"errors"
	"testing"
	"time"

	"github.com/google/uuid"

	"passerelle.dev/events"
	"passerelle.dev/events/proposalevents"
	"passerelle.dev/kernel/fault"
	"passerelle.dev/kernel/money"
	"passerelle.dev/proposals/domain/call"
)

var (
	now   = time.Date(2027, 3, 1, 12, 0, 0, 0, time.UTC)
	admin = events.Actor{Role: events.RoleAdmin, Subject: "admin"}
)

func terms() call.Terms {
	return call.Terms{
		Title:       proposalevents.Text{EN: "Diaspora health partnerships 2027"},
		Description: proposalevents.Text{FR: "Projets de santé portés par la diaspora."},
		Themes:      []string{"HEALTH"}, EligibleCountries: []string{"gh", "SN"},
		Ceiling: money.Money{Amount: 5_000_000, Currency: "EUR"},
		OpensAt: now.Add(24 * time.Hour), ClosesAt: now.Add(30 * 24 * time.Hour),
	}
}

func TestOpeningACall(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name   string
		by     events.Actor
		change func(*call.Terms)
		code   fault.Code
	}{
		{"anonymous", events.Actor{}, func(*call.Terms) {}, fault.Unauthenticated},
		{"coordinator", events.Actor{Role: events.RoleCoordinator, City: "london", Subject: "c"}, func(*call.Terms) {}, fault.Forbidden},
		{"no title", admin, func(t *call.Terms) { t.Title = proposalevents.Text{} }, fault.BadUserInput},
		{"unknown theme", admin, func(t *call.Terms) { t.Themes = []string{"SPORT"} }, fault.BadUserInput},
		{"no country", admin, func(t *call.Terms) { t.EligibleCountries = nil }, fault.BadUserInput},
		{"unknown currency", admin, func(t *call.Terms) { t.Ceiling.Currency = "EURO" }, fault.BadUserInput},
		{"no ceiling", admin, func(t *call.Terms) { t.Ceiling.Amount = 0 }, fault.BadUserInput},
		{"closes before it opens", admin, func(t *call.Terms) { t.ClosesAt = t.OpensAt }, fault.BadUserInput},
		{"closed already", admin, func(t *call.Terms) { t.OpensAt, t.ClosesAt = now.Add(-48*time.Hour), now.Add(-time.Hour) }, fault.BadUserInput},
	} {
		tm := terms()
		c.change(&tm)
		if _, err := call.OpenCall(c.by, uuid.Must(uuid.NewV7()), tm, now); fault.CodeOf(err) != c.code {
			t.Errorf("%s: %v, want %s", c.name, err, c.code)
		}
	}
	c, err := call.OpenCall(admin, uuid.Must(uuid.NewV7()), terms(), now)
	if err != nil {
		t.Fatal(err)
	}
	if got := c.EligibleCountries(); len(got) != 2 || got[0] != "GH" {
		t.Fatalf("countries %v", got)
	}
	for at, want := range map[time.Time]call.Status{
		now: call.Upcoming, now.Add(24 * time.Hour): call.Open, now.Add(30*24*time.Hour - time.Second): call.Open,
		now.Add(30 * 24 * time.Hour): call.Closed,
	} {
		if got := c.StatusAt(at); got != want {
			t.Errorf("at %s: %s, want %s", at, got, want)
		}
	}
}

func TestClosingACallEarly(t *testing.T) {
	t.Parallel()
	opened, _ := call.OpenCall(admin, uuid.Must(uuid.NewV7()), terms(), now)
	c, err := call.FromHistory(opened.PendingEvents())
	if err != nil {
		t.Fatal(err)
	}
	later := now.Add(48 * time.Hour)
	if err := c.Close(events.Actor{Role: events.RoleCoordinator, City: "london", Subject: "c"}, later); fault.CodeOf(err) != fault.Forbidden {
		t.Fatalf("a coordinator closing: %v", err)
	}
	if err := c.Close(admin, later); err != nil || c.StatusAt(later) != call.Closed {
		t.Fatalf("close: %v, %s", err, c.StatusAt(later))
	}
	if err := c.Close(admin, later); !errors.Is(err, call.ErrClosed) {
		t.Fatalf("closing twice: %v", err)
	}
}

func TestAnEnvelopeIsCheckedAndNeverOverCommitted(t *testing.T) {
	t.Parallel()
	eur := func(units int64) money.Money { return money.Money{Amount: units * 100, Currency: "EUR"} }
	for name, envelope := range map[string][]money.Money{
		"without the ceiling's currency": {{Amount: 1_000_000, Currency: "GBP"}},
		"a currency twice":               {eur(100_000), eur(200_000)},
		"smaller than the ceiling":       {eur(20_000)},
		"nothing in it":                  {eur(0)},
		"an unknown currency":            {eur(100_000), {Amount: 100, Currency: "EUX"}},
	} {
		tt := terms()
		tt.Envelope = envelope
		if _, err := call.OpenCall(admin, uuid.New(), tt, now); fault.CodeOf(err) != fault.BadUserInput {
			t.Errorf("an envelope %s: %v", name, err)
		}
	}
	tt := terms()
	tt.Envelope = []money.Money{eur(120_000), {Amount: 5_000_000, Currency: "XOF"}}
	c, err := call.OpenCall(admin, uuid.New(), tt, now)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Commit("p1", eur(50_000), now); err != nil {
		t.Fatal(err)
	}
	if err := c.Commit("p2", eur(50_000), now); err != nil {
		t.Fatal(err)
	}
	var over *call.EnvelopeExceededError
	if err := c.Commit("p3", eur(20_001), now); !errors.As(err, &over) || over.Remaining != eur(20_000) || fault.CodeOf(err) != fault.Conflict {
		t.Fatalf("beyond the envelope: %v", err)
	}
	if err := c.Commit("p3", eur(20_000), now); err != nil || c.Committed("EUR") != eur(120_000).Amount {
		t.Fatalf("up to the envelope: %v, %d committed", err, c.Committed("EUR"))
	}
	// Rebuilt from its events, the call knows what it committed.
	again, err := call.FromHistory(c.PendingEvents())
	if err != nil || again.Committed("EUR") != eur(120_000).Amount {
		t.Fatalf("rebuilt: %v, %d", err, again.Committed("EUR"))
	}
	// A call opened without an envelope (before envelopes) commits anything.
	free, err := call.OpenCall(admin, uuid.New(), terms(), now)
	if err != nil || free.Commit("p", eur(10_000_000), now) != nil {
		t.Fatalf("a call without an envelope: %v", err)
	}
}
