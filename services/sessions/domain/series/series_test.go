package series_test

import (
	"slices"
	"testing"
	"time"

	"passerelle.dev/events/sessionevents"
	"passerelle.dev/kernel/fault"
	"passerelle.dev/sessions/domain/series"
)

func TestDates(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name       string
		r          sessionevents.Recurrence
		first      string
		exceptions []string
		want       []string
	}{
		{"the first Thursday of every month, four times", sessionevents.Recurrence{Frequency: series.Monthly, Count: 4}, "2027-01-07", nil,
			[]string{"2027-01-07", "2027-02-04", "2027-03-04", "2027-04-01"}},
		{"the last Friday of the month", sessionevents.Recurrence{Frequency: series.Monthly, Week: -1, Count: 3}, "2027-01-29", nil,
			[]string{"2027-01-29", "2027-02-26", "2027-03-26"}},
		{"every other Tuesday until a date, one exception", sessionevents.Recurrence{Frequency: series.Weekly, Interval: 2, Until: "2027-02-28"}, "2027-01-05",
			[]string{"2027-01-19"}, []string{"2027-01-05", "2027-02-02", "2027-02-16"}},
		{"weekly across the clocks going forward", sessionevents.Recurrence{Frequency: series.Weekly, Count: 3}, "2027-03-21", nil,
			[]string{"2027-03-21", "2027-03-28", "2027-04-04"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := series.Dates(c.r, c.first, c.exceptions)
			if err != nil || !slices.Equal(got, c.want) {
				t.Fatalf("got %v, %v; want %v", got, err, c.want)
			}
		})
	}
}

func TestRecurrencesThatAreRefused(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name  string
		r     sessionevents.Recurrence
		first string
	}{
		{"no end", sessionevents.Recurrence{Frequency: series.Weekly}, "2027-01-07"},
		{"both ends", sessionevents.Recurrence{Frequency: series.Weekly, Count: 3, Until: "2027-03-01"}, "2027-01-07"},
		{"too many", sessionevents.Recurrence{Frequency: series.Weekly, Count: 53}, "2027-01-07"},
		{"daily", sessionevents.Recurrence{Frequency: "DAILY", Count: 3}, "2027-01-07"},
		{"the second Thursday, from a first one", sessionevents.Recurrence{Frequency: series.Monthly, Week: 2, Count: 3}, "2027-01-07"},
		{"until before the first", sessionevents.Recurrence{Frequency: series.Weekly, Until: "2026-12-01"}, "2027-01-07"},
		{"three years", sessionevents.Recurrence{Frequency: series.Weekly, Until: "2030-01-01"}, "2027-01-07"},
		{"not a date", sessionevents.Recurrence{Frequency: series.Weekly, Count: 2}, "07/01/2027"},
	} {
		if _, err := series.Dates(c.r, c.first, nil); err == nil || fault.CodeOf(err) != fault.BadUserInput {
			t.Errorf("%s: %v", c.name, err)
		}
	}
}

func TestRRule(t *testing.T) {
	t.Parallel()
	london, _ := time.LoadLocation("Europe/London")
	r, _, err := series.Check(sessionevents.Recurrence{Frequency: series.Monthly, Count: 12}, "2027-01-07")
	if err != nil {
		t.Fatal(err)
	}
	if got := series.RRule(r, london); got != "FREQ=MONTHLY;BYDAY=1TH;COUNT=12" {
		t.Fatalf("got %s", got)
	}
	r, _, _ = series.Check(sessionevents.Recurrence{Frequency: series.Weekly, Interval: 2, Until: "2027-07-01"}, "2027-01-05")
	// The end of 1 July in London (summer time) is 22:59:59 UTC.
	if got := series.RRule(r, london); got != "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU;UNTIL=20270701T225959Z" {
		t.Fatalf("got %s", got)
	}
}
