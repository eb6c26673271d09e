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
