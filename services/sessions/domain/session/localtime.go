package session

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"passerelle.dev/kernel/fault"
)

// LocalDateTime is a wall-clock date and time with no zone, as a coordinator reads it on
// the city's clocks: "2027-03-20T18:00".
type LocalDateTime struct{ t time.Time } // in UTC, standing for the wall clock

// localLayouts are the forms a local date-time may be written in.
var localLayouts = []string{"2006-01-02T15:04", "2006-01-02T15:04:05"}

// ParseLocalDateTime reads a wall-clock date-time. An offset or zone is refused: the
// city gives the zone.
func ParseLocalDateTime(field, s string) (LocalDateTime, error) {
	for _, layout := range localLayouts {
		if t, err := time.Parse(layout, strings.TrimSpace(s)); err == nil {
			return LocalDateTime{t}, nil
		}
	}
	return LocalDateTime{}, &InvalidInputError{Field: field, Reason: fmt.Sprintf("%q is not a local date and time such as 2027-03-20T18:00 (the city gives the time zone)", s)}
}

// String writes the wall clock as "2006-01-02T15:04".
func (l LocalDateTime) String() string { return l.t.Format("2006-01-02T15:04") }

// Offset is a UTC offset, needed to say which of two identical wall-clock times is
// meant when clocks go back.
type Offset struct{ seconds int }

// ParseOffset reads "+01:00", "-05:00" or "Z".
func ParseOffset(field, s string) (Offset, error) {
	s = strings.TrimSpace(s)
	if s == "Z" {
		return Offset{}, nil
	}
	t, err := time.Parse("-07:00", s)
	if err != nil {
		return Offset{}, &InvalidInputError{Field: field, Reason: fmt.Sprintf("%q is not a UTC offset such as +01:00", s)}
	}
	_, secs := t.Zone()
	return Offset{secs}, nil
}

// String writes the offset as "+01:00".
func (o Offset) String() string { return formatOffset(o.seconds) }

func formatOffset(secs int) string {
	sign := "+"
	if secs < 0 {
		sign, secs = "-", -secs
	}
	return fmt.Sprintf("%s%02d:%02d", sign, secs/3600, secs%3600/60)
}

// NonexistentTimeError refuses a wall-clock time the city's clocks skip (spring forward).
type NonexistentTimeError struct {
	Field, Local, Zone string
}

func (e *NonexistentTimeError) Error() string {
	return fmt.Sprintf("%s: %s does not exist in %s: the clocks skip it when daylight saving time begins", e.Field, e.Local, e.Zone)
}

// Code implements fault.Coded.
func (e *NonexistentTimeError) Code() fault.Code { return fault.BadUserInput }

// Details implements fault.Detailed.
func (e *NonexistentTimeError) Details() map[string]any {
	return map[string]any{"field": e.Field, "reason": "NONEXISTENT_LOCAL_TIME"}
}

// AmbiguousTimeError refuses a wall-clock time that happens twice (clocks go back)
// without an offset saying which.
type AmbiguousTimeError struct {
	Field, Local, Zone string
	Offsets            []string
}

func (e *AmbiguousTimeError) Error() string {
	return fmt.Sprintf("%s: %s happens twice in %s, when daylight saving time ends; give the UTC offset meant (%s)",
		e.Field, e.Local, e.Zone, strings.Join(e.Offsets, " or "))
}

// Code implements fault.Coded.
func (e *AmbiguousTimeError) Code() fault.Code { return fault.BadUserInput }

// Details implements fault.Detailed.
func (e *AmbiguousTimeError) Details() map[string]any {
	return map[string]any{"field": e.Field, "reason": "AMBIGUOUS_LOCAL_TIME", "offsets": e.Offsets}
}

// In returns the instant the wall clock l shows in loc. A wall-clock time the zone skips
// is refused; one it shows twice needs offset; an offset that the zone does not use at
// that time is refused.
func (l LocalDateTime) In(field string, loc *time.Location, offset *Offset) (time.Time, error) {
	// Candidates: the wall clock read with each offset the zone uses around that day.
	offsets := map[int]bool{}
	for _, h := range []int{-48, -24, 0, 24, 48} {
		_, secs := l.t.Add(time.Duration(h) * time.Hour).In(loc).Zone()
		offsets[secs] = true
	}
	var matches []time.Time
	for secs := range offsets {
		u := l.t.Add(-time.Duration(secs) * time.Second)
		if wall := u.In(loc); wall.Format("2006-01-02T15:04:05") == l.t.Format("2006-01-02T15:04:05") {
			matches = append(matches, u)
		}
	}
	sort.Slice(matches, func(i, j int) bool { return matches[i].Before(matches[j]) })
	switch {
	case len(matches) == 0:
		return time.Time{}, &NonexistentTimeError{Field: field, Local: l.String(), Zone: loc.String()}
	case offset != nil:
		for _, m := range matches {
			if _, secs := m.In(loc).Zone(); secs == offset.seconds {
				return m, nil
			}
		}
		var used []string
		for _, m := range matches {
			_, secs := m.In(loc).Zone()
			used = append(used, formatOffset(secs))
		}
		return time.Time{}, &InvalidInputError{Field: field, Reason: fmt.Sprintf("%s is at UTC offset %s in %s, not %s",
			l, strings.Join(used, " or "), loc, offset)}
	case len(matches) > 1:
		var used []string
		for _, m := range matches {
			_, secs := m.In(loc).Zone()
			used = append(used, formatOffset(secs))
		}
		return time.Time{}, &AmbiguousTimeError{Field: field, Local: l.String(), Zone: loc.String(), Offsets: used}
	}
	return matches[0], nil
}
