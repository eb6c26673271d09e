// Package series plans a series of sessions of the Dialogue en continu: a recurrence
// (every week, every other week, the first Thursday of every month…) expanded into
// wall-clock dates in the city, each then scheduled as a session of its own or refused
// with its reason. The series itself records what was asked and what became of each
// date, so calendars can show it as one recurring event.
package series

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/teambition/rrule-go"

	"passerelle.dev/events/sessionevents"
	"passerelle.dev/sessions/domain/session"
)

// Frequencies of a series.
const (
	Weekly  = "WEEKLY"
	Monthly = "MONTHLY"
)

// Limits of a series.
const (
	MaxOccurrences = 52
	MaxInterval    = 12
	// MaxSpan bounds how far ahead a series reaches.
	MaxSpan = 2 * 366 * 24 * time.Hour
)

// Recurrence is how a series repeats, from its first date (whose weekday it keeps).
type Recurrence = sessionevents.Recurrence

const dateLayout = "2006-01-02"

// Check checks a recurrence and returns it completed: its weekday is the first date's,
// its interval at least 1.
func Check(r Recurrence, first string) (Recurrence, time.Time, error) {
	day, err := time.Parse(dateLayout, first)
	if err != nil {
		return r, time.Time{}, &session.InvalidInputError{Field: "firstDate", Reason: fmt.Sprintf("%q is not a date such as 2027-01-07", first)}
	}
	if r.Interval == 0 {
		r.Interval = 1
	}
	r.Weekday = weekdays[day.Weekday()].String()
	switch {
	case r.Frequency != Weekly && r.Frequency != Monthly:
		return r, day, &session.InvalidInputError{Field: "recurrence.frequency", Reason: "WEEKLY or MONTHLY"}
	case r.Interval < 1 || r.Interval > MaxInterval:
		return r, day, &session.InvalidInputError{Field: "recurrence.interval", Reason: fmt.Sprintf("every 1 to %d weeks or months", MaxInterval)}
	case (r.Count == 0) == (r.Until == ""):
		return r, day, &session.InvalidInputError{Field: "recurrence.count", Reason: "give the number of sessions or the last date, one of them"}
	case r.Count < 0 || r.Count > MaxOccurrences:
		return r, day, &session.InvalidInputError{Field: "recurrence.count", Reason: fmt.Sprintf("from 1 to %d sessions", MaxOccurrences)}
	}
	if r.Frequency == Monthly {
		// The first date's place in its month: the 1st to 4th such weekday, or the last.
		switch n := (day.Day()-1)/7 + 1; {
		case r.Week == 0 && n <= 4:
			r.Week = n
		case r.Week == 0:
			r.Week = -1
		case r.Week != n && !(r.Week == -1 && day.AddDate(0, 0, 7).Month() != day.Month()):
			return r, day, &session.InvalidInputError{Field: "recurrence.week", Reason: "the first date is not that weekday of its month"}
		}
		if r.Week < -1 || r.Week > 4 || r.Week == 0 {
			return r, day, &session.InvalidInputError{Field: "recurrence.week", Reason: "1 to 4, or -1 for the last"}
		}
	} else {
		r.Week = 0
	}
	if r.Until != "" {
		until, err := time.Parse(dateLayout, r.Until)
		if err != nil || until.Before(day) {
			return r, day, &session.InvalidInputError{Field: "recurrence.until", Reason: "a date such as 2027-12-31, not before the first"}
		}
		if until.Sub(day) > MaxSpan {
			return r, day, &session.InvalidInputError{Field: "recurrence.until", Reason: "at most two years after the first date"}
		}
	}
	return r, day, nil
}

var weekdays = []rrule.Weekday{rrule.SU, rrule.MO, rrule.TU, rrule.WE, rrule.TH, rrule.FR, rrule.SA}

// Dates are the wall-clock dates of a series ("2027-01-07"), from the first, at most
// MaxOccurrences of them and within MaxSpan, the exceptions left out (they still count
// towards Count, as RFC 5545's EXDATE does).
func Dates(r Recurrence, first string, exceptions []string) ([]string, error) {
	r, day, err := Check(r, first)
	if err != nil {
		return nil, err
	}
	for _, x := range exceptions {
		if _, err := time.Parse(dateLayout, x); err != nil {
			return nil, &session.InvalidInputError{Field: "exceptions", Reason: fmt.Sprintf("%q is not a date such as 2027-01-07", x)}
		}
	}
	opt := rrule.ROption{Freq: rrule.WEEKLY, Interval: r.Interval, Dtstart: day, Count: r.Count, Byweekday: []rrule.Weekday{weekdays[day.Weekday()]}}
	if r.Frequency == Monthly {
		opt.Freq = rrule.MONTHLY
		opt.Byweekday = []rrule.Weekday{weekdays[day.Weekday()].Nth(r.Week)}
	}
	if r.Until != "" {
		until, _ := time.Parse(dateLayout, r.Until)
		opt.Until = until
	} else {
		opt.Until = day.Add(MaxSpan)
	}
	rule, err := rrule.NewRRule(opt)
	if err != nil {
		return nil, &session.InvalidInputError{Field: "recurrence", Reason: err.Error()}
	}
	var out []string
	for _, d := range rule.All() {
		if len(out) == MaxOccurrences {
			break
		}
		s := d.Format(dateLayout)
		if !slices.Contains(exceptions, s) {
			out = append(out, s)
		}
	}
	if len(out) == 0 {
		return nil, &session.InvalidInputError{Field: "exceptions", Reason: "every date of the series is an exception"}
	}
	return out, nil
}

// RRule writes the recurrence as RFC 5545's RRULE value, its end in UTC as RFC 5545
// requires when the start has a time zone: until the end of the last date in loc.
func RRule(r Recurrence, loc *time.Location) string {
	parts := []string{"FREQ=" + r.Frequency}
	if r.Interval > 1 {
		parts = append(parts, fmt.Sprintf("INTERVAL=%d", r.Interval))
	}
	if r.Frequency == Monthly {
		parts = append(parts, fmt.Sprintf("BYDAY=%d%s", r.Week, r.Weekday))
	} else {
		parts = append(parts, "BYDAY="+r.Weekday)
	}
	switch {
	case r.Count > 0:
		parts = append(parts, fmt.Sprintf("COUNT=%d", r.Count))
	case r.Until != "":
		until, _ := time.ParseInLocation(dateLayout, r.Until, loc)
		parts = append(parts, "UNTIL="+until.AddDate(0, 0, 1).Add(-time.Second).UTC().Format("20060102T150405Z"))
	}
	return strings.Join(parts, ";")
}
