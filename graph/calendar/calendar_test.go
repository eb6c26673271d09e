package calendar_test

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/apognu/gocal"
	"github.com/emersion/go-ical"

	"passerelle.dev/graph/calendar"
)

// offsetFromVTimezone reads a VTIMEZONE back: the offset it gives for a wall-clock time, the way a
// calendar program without its own zone database would.
func offsetFromVTimezone(t *testing.T, tz *ical.Component, wall time.Time) int {
	t.Helper()
	var best string
	offset := 0
	for _, obs := range tz.Children {
		onset := obs.Props.Get(ical.PropDateTimeStart).Value
		if onset <= wall.Format("20060102T150405") && onset >= best {
			best = onset
			to := obs.Props.Get(ical.PropTimezoneOffsetTo).Value
			d, err := time.Parse("-0700", to)
			if err != nil {
				t.Fatalf("offset %q: %v", to, err)
			}
			_, offset = d.Zone()
		}
	}
	if best == "" {
		t.Fatalf("no observance covers %s", wall)
	}
	return offset
}

func TestFeedTimesSurviveADaylightSavingChange(t *testing.T) {
	t.Parallel()
	loc, err := time.LoadLocation("Europe/Brussels")
	if err != nil {
		t.Fatal(err)
	}
	// Both at 18:00 on Brussels clocks: one before, one after the change to summer time.
	before := time.Date(2027, 3, 20, 18, 0, 0, 0, loc)
	after := time.Date(2027, 4, 3, 18, 0, 0, 0, loc)
	feed := calendar.Feed{Name: "Dialogue en continu — Brussels", Location: loc, Events: []calendar.Event{
		{UID: "a@passerelle", Summary: "Santé, diaspora; et \"retour\"", Location: "Résidence Palace, Rue de la Loi 155", Start: before, End: before.Add(2 * time.Hour), Sequence: 1, Categories: []string{"HEALTH"}},
		{UID: "b@passerelle", Summary: "Remittances", Start: after, End: after.Add(90 * time.Minute), Cancelled: true, Sequence: 3},
	}}
	var buf bytes.Buffer
	if err := calendar.Write(&buf, feed, time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	raw := buf.String()
	for _, want := range []string{"DTSTART;TZID=Europe/Brussels:20270320T180000", "DTSTART;TZID=Europe/Brussels:20270403T180000",
		"BEGIN:VTIMEZONE", "TZID:Europe/Brussels", "STATUS:CANCELLED", "SEQUENCE:3", "\r\n",
		"X-WR-CALNAME:Dialogue en continu — Brussels\r\n", "DTSTART:20251128T000000\r\n"} {
		if !strings.Contains(raw, want) {
			t.Fatalf("the feed lacks %q:\n%s", want, raw)
		}
	}

	cal, err := ical.NewDecoder(strings.NewReader(raw)).Decode()
	if err != nil {
		t.Fatalf("the feed does not parse back: %v\n%s", err, raw)
	}
	var tz *ical.Component
	for _, c := range cal.Children {
		if c.Name == ical.CompTimezone {
			tz = c
		}
	}
	evs := cal.Events()
	if tz == nil || len(evs) != 2 {
		t.Fatalf("%d events, timezone %v", len(evs), tz != nil)
	}
	for i, want := range []time.Time{before, after} {
		start, err := evs[i].DateTimeStart(nil)
		if err != nil {
			t.Fatal(err)
		}
		if !start.Equal(want) {
			t.Fatalf("event %d starts at %s, want %s", i, start.UTC(), want.UTC())
		}
		// The VTIMEZONE alone gives the same instant.
		wall := time.Date(start.Year(), start.Month(), start.Day(), start.Hour(), start.Minute(), 0, 0, time.UTC)
		fromRules := wall.Add(-time.Duration(offsetFromVTimezone(t, tz, wall)) * time.Second)
		if !fromRules.Equal(want) {
			t.Fatalf("event %d: the VTIMEZONE puts it at %s, want %s", i, fromRules, want.UTC())
		}
	}
	if before.UTC().Hour() != 17 || after.UTC().Hour() != 16 {
		t.Fatal("setup: the two sessions should be 17:00 and 16:00 UTC")
	}
	summary, _ := evs[0].Props.Text(ical.PropSummary)
	if summary != "Santé, diaspora; et \"retour\"" {
		t.Fatalf("summary %q", summary)
	}
}

func TestZoneWithoutDaylightSaving(t *testing.T) {
	t.Parallel()
	loc, _ := time.LoadLocation("Africa/Dakar")
	tz := calendar.TimeZone(loc, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2028, 1, 1, 0, 0, 0, 0, time.UTC))
	if len(tz.Children) != 1 || tz.Children[0].Name != ical.CompTimezoneStandard {
		t.Fatalf("Dakar: %d observances", len(tz.Children))
	}
}

// TestTheRepeatedHourReadsRightInAnotherParser: two London sessions at 01:30 on the
// night the clocks go back, one at 00:30Z (the first 01:30) and one at 01:30Z (the
// second), read back by an independent parser (github.com/apognu/gocal), each at its
// own instant; a session at an unambiguous time keeps its zone's form.
func TestTheRepeatedHourReadsRightInAnotherParser(t *testing.T) {
	london, _ := time.LoadLocation("Europe/London")
	first := time.Date(2027, 10, 31, 0, 30, 0, 0, time.UTC)
	second := time.Date(2027, 10, 31, 1, 30, 0, 0, time.UTC)
	plain := time.Date(2027, 11, 7, 18, 0, 0, 0, time.UTC)
	feed := calendar.Feed{Name: "London", Location: london, Events: []calendar.Event{
		{UID: "first", Summary: "First 01:30", Start: first, End: first.Add(30 * time.Minute)},
		{UID: "second", Summary: "Second 01:30", Start: second, End: second.Add(time.Hour)},
		{UID: "plain", Summary: "An evening", Start: plain, End: plain.Add(2 * time.Hour)},
	}}
	var buf bytes.Buffer
	if err := calendar.Write(&buf, feed, time.Date(2027, 10, 1, 0, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), "DTSTART;TZID=Europe/London:20271107T180000") {
		t.Fatalf("an ordinary time left its zone's form:\n%s", buf.String())
	}
	from, to := time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2028, 1, 1, 0, 0, 0, 0, time.UTC)
	p := gocal.NewParser(strings.NewReader(buf.String()))
	p.Start, p.End = &from, &to
	if err := p.Parse(); err != nil {
		t.Fatal(err)
	}
	want := map[string]time.Time{"first": first, "second": second, "plain": plain}
	if len(p.Events) != 3 {
		t.Fatalf("%d events parsed", len(p.Events))
	}
	for _, e := range p.Events {
		if !e.Start.Equal(want[e.Uid]) {
			t.Errorf("%s starts at %s, want %s", e.Uid, e.Start.UTC(), want[e.Uid])
		}
	}
}
