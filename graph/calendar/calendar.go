// Package calendar writes sessions as iCalendar (RFC 5545) feeds: times are given in the
// city's zone (DTSTART;TZID=Europe/Brussels:…) with a VTIMEZONE that spells out that
// zone's offsets and changes over the feed's dates, so calendar programs show the right
// local time on both sides of a daylight saving change, whatever zone database they use.
package calendar

import (
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/emersion/go-ical"
)

// Event is one session in a feed.
type Event struct {
	UID         string
	Summary     string
	Description string
	Location    string
	Start, End  time.Time
	Cancelled   bool
	// Sequence grows each time the session changes, so clients replace their copy.
	Sequence     int64
	LastModified time.Time
	Categories   []string
	// RRule, for a series, is its recurrence (RFC 5545 RRULE), and ExDates the rule's
	// instances it does not have (exceptions, dates refused, sessions cancelled).
	RRule   string
	ExDates []time.Time
	// RecurrenceID, for one session of a series that moved, is the instance of the
	// series' rule it replaces.
	RecurrenceID time.Time
}

// Feed is a calendar of one city's sessions.
type Feed struct {
	Name     string
	Location *time.Location
	Events   []Event
}

// Write encodes the feed. now stamps it (DTSTAMP).
func Write(w io.Writer, f Feed, now time.Time) error {
	cal := ical.NewCalendar()
	cal.Props.SetText(ical.PropVersion, "2.0")
	cal.Props.SetText(ical.PropProductID, "-//Passerelle//Dialogue en continu//EN")
	cal.Props.SetText(ical.PropCalendarScale, "GREGORIAN")
	cal.Props.SetText(ical.PropMethod, "PUBLISH")
	// Calendar programs read these as plain text: no VALUE parameter.
	setRaw(cal.Props, "X-WR-CALNAME", escapeText(f.Name))
	setRaw(cal.Props, "X-WR-TIMEZONE", escapeText(f.Location.String()))

	from, to := now, now
	for _, e := range f.Events {
		if e.Start.Before(from) {
			from = e.Start
		}
		if e.End.After(to) {
			to = e.End
		}
	}
	cal.Children = append(cal.Children, TimeZone(f.Location, from.AddDate(-1, 0, 0), to.AddDate(1, 0, 0)))

	for _, e := range f.Events {
		ev := ical.NewEvent()
		ev.Props.SetText(ical.PropUID, e.UID)
		ev.Props.SetDateTime(ical.PropDateTimeStamp, now.UTC())
		// A series' start stays on the zone's clock, which its rule repeats; any other
		// time that the zone's clocks show twice is written in UTC (see ambiguous).
		setTime(ev.Props, ical.PropDateTimeStart, e.Start, f.Location, e.RRule == "")
		setTime(ev.Props, ical.PropDateTimeEnd, e.End, f.Location, e.RRule == "")
		if !e.RecurrenceID.IsZero() {
			ev.Props.SetDateTime(ical.PropRecurrenceID, e.RecurrenceID.In(f.Location))
		}
		if e.RRule != "" {
			setRaw(ev.Props, ical.PropRecurrenceRule, e.RRule)
		}
		if len(e.ExDates) > 0 {
			// One EXDATE with the zone, its instants in the feed's zone as DTSTART is.
			exdate := ical.NewProp(ical.PropExceptionDates)
			exdate.Params.Set(ical.ParamTimezoneID, f.Location.String())
			values := make([]string, len(e.ExDates))
			for i, x := range e.ExDates {
				values[i] = x.In(f.Location).Format("20060102T150405")
			}
			exdate.Value = strings.Join(values, ",")
			ev.Props.Set(exdate)
		}
		ev.Props.SetText(ical.PropSummary, e.Summary)
		if e.Description != "" {
			ev.Props.SetText(ical.PropDescription, e.Description)
		}
		if e.Location != "" {
			ev.Props.SetText(ical.PropLocation, e.Location)
		}
		status := "CONFIRMED"
		if e.Cancelled {
			status = "CANCELLED"
		}
		ev.Props.SetText(ical.PropStatus, status)
		setRaw(ev.Props, ical.PropSequence, strconv.FormatInt(e.Sequence, 10))
		if !e.LastModified.IsZero() {
			ev.Props.SetDateTime(ical.PropLastModified, e.LastModified.UTC())
		}
		if len(e.Categories) > 0 {
			categories := ical.NewProp(ical.PropCategories)
			categories.SetTextList(e.Categories)
			ev.Props.Set(categories)
		}
		cal.Children = append(cal.Children, ev.Component)
	}
	return ical.NewEncoder(w).Encode(cal)
}

// setTime writes t in loc's local time with its TZID, or, when utcIfAmbiguous and loc's
// clocks show that local time twice (the hour repeated when they go back), as UTC: RFC
// 5545 (3.3.5) reads a repeated local time as its first occurrence, and parsers differ
// even on that, so a session in the second 01:30 would show an hour off. UTC names one
// instant for every reader.
func setTime(props ical.Props, name string, t time.Time, loc *time.Location, utcIfAmbiguous bool) {
	if utcIfAmbiguous && ambiguous(t, loc) {
		props.SetDateTime(name, t.UTC())
		return
	}
	props.SetDateTime(name, t.In(loc))
}

// ambiguous tells whether loc's clocks show t's local time at another instant too.
func ambiguous(t time.Time, loc *time.Location) bool {
	_, off := t.In(loc).Zone()
	for _, near := range []time.Time{t.Add(-24 * time.Hour), t.Add(24 * time.Hour)} {
		_, other := near.In(loc).Zone()
		if other == off {
			continue
		}
		// The instant whose local time, at the other offset, is t's local time.
		twin := t.Add(time.Duration(off-other) * time.Second)
		if _, o := twin.In(loc).Zone(); o == other {
			return true
		}
	}
	return false
}

// transition is a change of a zone's offset.
type transition struct {
	at       time.Time // the instant the new offset starts
	from, to int       // offsets in seconds
	name     string    // abbreviation after the change
	dst      bool      // whether the new offset is daylight saving time
}

// transitions finds the zone's offset changes between from and to, to the second.
func transitions(loc *time.Location, from, to time.Time) []transition {
	var out []transition
	offset := func(t time.Time) int { _, o := t.In(loc).Zone(); return o }
	for t := from; t.Before(to); t = t.Add(24 * time.Hour) {
		next := t.Add(24 * time.Hour)
		if offset(t) == offset(next) {
			continue
		}
		lo, hi := t, next // offset(lo) != offset(hi): narrow down to the second
		for hi.Sub(lo) > time.Second {
			mid := lo.Add(hi.Sub(lo) / 2)
			if offset(mid) == offset(lo) {
				lo = mid
			} else {
				hi = mid
			}
		}
		after := hi.In(loc)
		name, _ := after.Zone()
		out = append(out, transition{at: hi, from: offset(lo), to: offset(hi), name: name, dst: after.IsDST()})
	}
	return out
}

// TimeZone returns the VTIMEZONE of loc over [from, to]: the observance in effect at
// from, then one STANDARD or DAYLIGHT component per change.
func TimeZone(loc *time.Location, from, to time.Time) *ical.Component {
	tz := ical.NewComponent(ical.CompTimezone)
	tz.Props.SetText(ical.PropTimezoneID, loc.String())

	// The first observance starts at the midnight before from, as calendar programs
	// write them; changes between that midnight and from are found below.
	day := from.In(loc)
	from = time.Date(day.Year(), day.Month(), day.Day(), 0, 0, 0, 0, loc)
	start := from.In(loc)
	name, off := start.Zone()
	tz.Children = append(tz.Children, observance(start.IsDST(), floating(from, off), off, off, name))
	ts := transitions(loc, from, to)
	sort.Slice(ts, func(i, j int) bool { return ts[i].at.Before(ts[j].at) })
	for _, t := range ts {
		// RFC 5545: the onset is written in the local time before the change.
		tz.Children = append(tz.Children, observance(t.dst, floating(t.at, t.from), t.from, t.to, t.name))
	}
	return tz
}

// floating is the wall-clock time t shows at offset (seconds), as iCalendar writes
// local times with no zone.
func floating(t time.Time, offset int) string {
	return t.UTC().Add(time.Duration(offset) * time.Second).Format("20060102T150405")
}

func observance(dst bool, onset string, from, to int, name string) *ical.Component {
	kind := ical.CompTimezoneStandard
	if dst {
		kind = ical.CompTimezoneDaylight
	}
	c := ical.NewComponent(kind)
	start := ical.NewProp(ical.PropDateTimeStart)
	start.SetValueType(ical.ValueDateTime)
	start.Value = onset
	c.Props.Set(start)
	setRaw(c.Props, ical.PropTimezoneOffsetFrom, utcOffset(from))
	setRaw(c.Props, ical.PropTimezoneOffsetTo, utcOffset(to))
	if name != "" {
		c.Props.SetText(ical.PropTimezoneName, name)
	}
	return c
}

// setRaw sets a property whose value needs no escaping (an integer, an offset), keeping
// its default value type: SetText would mark it VALUE=TEXT.
func setRaw(props ical.Props, name, value string) {
	p := ical.NewProp(name)
	p.Value = value
	props.Set(p)
}

// escapeText escapes a TEXT value (RFC 5545, 3.3.11).
func escapeText(s string) string {
	return strings.NewReplacer(`\`, `\\`, ";", `\;`, ",", `\,`, "\n", `\n`).Replace(s)
}

// utcOffset writes an offset the iCalendar way: +0100, -0500.
func utcOffset(secs int) string {
	sign := "+"
	if secs < 0 {
		sign, secs = "-", -secs
	}
	return fmt.Sprintf("%s%02d%02d", sign, secs/3600, secs%3600/60)
}
