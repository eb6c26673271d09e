package gateway_test

import (
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-ical"
	"github.com/teambition/rrule-go"
)

const scheduleSeriesMutation = `mutation($input: ScheduleSeriesInput!) { scheduleSeries(input: $input) { series {
  id rrule localTime durationMinutes cancelledFrom recurrence { frequency interval weekday week count until }
  occurrences { date refusal reason session { id status start { local utcOffset } series { id } } } } } }`

type seriesPayload struct {
	Series struct {
		ID              string  `json:"id"`
		Rrule           string  `json:"rrule"`
		LocalTime       string  `json:"localTime"`
		DurationMinutes int     `json:"durationMinutes"`
		CancelledFrom   *string `json:"cancelledFrom"`
		Recurrence      struct {
			Frequency string `json:"frequency"`
			Weekday   string `json:"weekday"`
			Week      *int   `json:"week"`
		} `json:"recurrence"`
		Occurrences []struct {
			Date    string  `json:"date"`
			Refusal *string `json:"refusal"`
			Session *struct {
				ID     string `json:"id"`
				Status string `json:"status"`
				Start  struct {
					Local     string `json:"local"`
					UTCOffset string `json:"utcOffset"`
				} `json:"start"`
				Series *struct {
					ID string `json:"id"`
				} `json:"series"`
			} `json:"session"`
		} `json:"occurrences"`
	} `json:"series"`
}

func seriesInput(city, venue, first, at string, recurrence map[string]any) map[string]any {
	in := sessionInput(city, venue, first+"T"+at, 30)
	delete(in, "time")
	in["firstDate"], in["localTime"], in["durationMinutes"], in["recurrence"] = first, at, 120, recurrence
	return in
}

func TestASeriesOfSessionsThroughGraphQL(t *testing.T) {
	t.Parallel()
	p := start(t, db.Fresh(t), true)
	p.clock.set(sessionsEpoch)
	a := p.actors(t)
	// The venue is taken on the third date.
	p.schedule(t, a.brussels, sessionInput("brussels", "Résidence Palace", "2027-03-04T17:00", 10))
	// The first Thursday of every month at 18:00, five times, one exception.
	in := seriesInput("brussels", "Résidence Palace", "2027-01-07", "18:00", map[string]any{"frequency": "MONTHLY", "count": 5})
	in["exceptions"] = []string{"2027-04-01"}
	refused := func(t *testing.T, token string, in map[string]any, code string) {
		t.Helper()
		written := p.events(t)
		if r := p.gql(t, token, scheduleSeriesMutation, map[string]any{"input": in}); r.code() != code {
			t.Fatalf("got %q, want %s: %s", r.code(), code, r.raw)
		}
		if p.events(t) != written {
			t.Fatal("a refused series wrote events")
		}
	}
	refused(t, a.london, in, "FORBIDDEN")
	refused(t, "", in, "UNAUTHENTICATED")
	bad := seriesInput("brussels", "Résidence Palace", "2027-01-07", "18:00", map[string]any{"frequency": "MONTHLY"})
	refused(t, a.brussels, bad, "BAD_USER_INPUT")
	bad = seriesInput("brussels", "Résidence Palace", "2027-01-07", "25:00", map[string]any{"frequency": "MONTHLY", "count": 2})
	refused(t, a.brussels, bad, "BAD_USER_INPUT")

	got := decode[seriesPayload](t, p.mustDo(t, a.brussels, scheduleSeriesMutation, map[string]any{"input": in}), "scheduleSeries").Series
	if got.Rrule != "FREQ=MONTHLY;BYDAY=1TH;COUNT=5" || got.Recurrence.Weekday != "TH" || got.Recurrence.Week == nil || *got.Recurrence.Week != 1 {
		t.Fatalf("series %+v", got)
	}
	dates := []string{}
	for _, o := range got.Occurrences {
		dates = append(dates, o.Date)
	}
	if len(got.Occurrences) != 4 || got.Occurrences[2].Date != "2027-03-04" || got.Occurrences[2].Refusal == nil ||
		*got.Occurrences[2].Refusal != "VENUE_TAKEN" || got.Occurrences[2].Session != nil {
		t.Fatalf("occurrences %v: %+v", dates, got.Occurrences)
	}
	first, last := got.Occurrences[0].Session, got.Occurrences[3].Session
	if first == nil || first.Start.Local != "2027-01-07T18:00" || first.Start.UTCOffset != "+01:00" || first.Series == nil || first.Series.ID != got.ID ||
		last == nil || last.Start.Local != "2027-05-06T18:00" || last.Start.UTCOffset != "+02:00" {
		t.Fatalf("sessions %+v, %+v", first, last)
	}

	// This and following: from February on, 18:30 for 90 minutes; then the rest from May is off.
	second := got.Occurrences[1].Session.ID
	moved := decode[seriesPayload](t, p.mustDo(t, a.brussels, `mutation($s: ID!, $f: ID!) { moveSeriesFrom(seriesId: $s, fromSessionId: $f, localTime: "18:30", durationMinutes: 90) {
		series { localTime durationMinutes occurrences { date session { start { local } } } } } }`, map[string]any{"s": got.ID, "f": second}), "moveSeriesFrom").Series
	if moved.LocalTime != "18:30" || moved.Occurrences[0].Session.Start.Local != "2027-01-07T18:00" || moved.Occurrences[1].Session.Start.Local != "2027-02-04T18:30" ||
		moved.Occurrences[3].Session.Start.Local != "2027-05-06T18:30" {
		t.Fatalf("after the move %+v", moved)
	}
	if r := p.gql(t, a.london, `mutation($s: ID!, $f: ID!) { cancelSeriesFrom(seriesId: $s, fromSessionId: $f, reason: "works") { series { id } } }`,
		map[string]any{"s": got.ID, "f": last.ID}); r.code() != "FORBIDDEN" {
		t.Fatalf("another city's coordinator: %s", r.raw)
	}
	cut := decode[seriesPayload](t, p.mustDo(t, a.brussels, `mutation($s: ID!, $f: ID!) { cancelSeriesFrom(seriesId: $s, fromSessionId: $f, reason: "the venue closes for works") {
		series { cancelledFrom occurrences { date session { status } } } } }`, map[string]any{"s": got.ID, "f": last.ID}), "cancelSeriesFrom").Series
	if cut.CancelledFrom == nil || *cut.CancelledFrom != "2027-05-06" || cut.Occurrences[3].Session.Status != "CANCELLED" || cut.Occurrences[1].Session.Status != "SCHEDULED" {
		t.Fatalf("after cancelling the rest %+v", cut)
	}
}

// vtimezoneOffset reads the feed's VTIMEZONE as a calendar program without a zone
// database does: the offset of the last observance starting at or before a wall-clock
// time.
func vtimezoneOffset(t *testing.T, tz *ical.Component, wall string) time.Duration {
	t.Helper()
	best, offset := "", time.Duration(0)
	for _, obs := range tz.Children {
		onset := obs.Props.Get(ical.PropDateTimeStart).Value
		if onset <= wall && onset >= best {
			best = onset
			to, err := time.Parse("-0700", obs.Props.Get(ical.PropTimezoneOffsetTo).Value)
			if err != nil {
				t.Fatal(err)
			}
			_, secs := to.Zone()
			offset = time.Duration(secs) * time.Second
		}
	}
	if best == "" {
		t.Fatalf("no observance covers %s", wall)
	}
	return offset
}

func TestASeriesCalendarAcrossTheClocksGoingForward(t *testing.T) {
	t.Parallel()
	p := start(t, db.Fresh(t), false)
	p.clock.set(sessionsEpoch)
	a := p.actors(t)
	// Thursdays at 18:00 in Brussels, five times from 18 March 2027 (the clocks go forward
	// on the 28th), 1 April left out; the 25th is cancelled, the 8th moved to 19:00.
	in := seriesInput("brussels", "Résidence Palace", "2027-03-18", "18:00", map[string]any{"frequency": "WEEKLY", "count": 5})
	in["exceptions"] = []string{"2027-04-01"}
	ser := decode[seriesPayload](t, p.mustDo(t, a.brussels, scheduleSeriesMutation, map[string]any{"input": in}), "scheduleSeries").Series
	occ := ser.Occurrences // 18 and 25 March, 8 and 15 April
	p.mustDo(t, a.brussels, `mutation($s: ID!) { cancelSession(sessionId: $s, reason: "the speakers could not travel") { session { id } } }`,
		map[string]any{"s": occ[1].Session.ID})
	p.mustDo(t, a.brussels, `mutation($s: ID!) { rescheduleSession(sessionId: $s, time: {start: "2027-04-08T19:00", durationMinutes: 120}) { session { id } } }`,
		map[string]any{"s": occ[2].Session.ID})

	resp, err := http.Get(p.url + "/calendar/brussels.ics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	cal, err := ical.NewDecoder(strings.NewReader(string(body))).Decode()
	if err != nil {
		t.Fatalf("the feed does not parse: %v\n%s", err, body)
	}
	var (
		tz        *ical.Component
		master    *ical.Event
		overrides []ical.Event
	)
	for _, c := range cal.Children {
		if c.Name == ical.CompTimezone {
			tz = c
		}
	}
	for _, e := range cal.Events() {
		if e.Props.Get(ical.PropRecurrenceRule) != nil {
			master = &e
		} else if e.Props.Get(ical.PropRecurrenceID) != nil {
			overrides = append(overrides, e)
		}
	}
	if tz == nil || master == nil || len(overrides) != 1 {
		t.Fatalf("want a VTIMEZONE, a recurring event and one moved instance:\n%s", body)
	}
	// Expand the rule on the wall clock (as RFC 5545 does with a TZID), then place each
	// instance with the VTIMEZONE's offsets alone.
	start := master.Props.Get(ical.PropDateTimeStart)
	if start.Params.Get(ical.ParamTimezoneID) != "Europe/Brussels" || start.Value != "20270318T180000" {
		t.Fatalf("DTSTART %+v", start)
	}
	wall, _ := time.Parse("20060102T150405", start.Value)
	opt, err := rrule.StrToROption(master.Props.Get(ical.PropRecurrenceRule).Value)
	if err != nil {
		t.Fatal(err)
	}
	opt.Dtstart = wall
	rule, err := rrule.NewRRule(*opt)
	if err != nil {
		t.Fatal(err)
	}
	excluded := map[string]bool{}
	for _, x := range strings.Split(master.Props.Get(ical.PropExceptionDates).Value, ",") {
		excluded[x] = true
	}
	moved := map[string]string{} // instance → new wall-clock start
	for _, o := range overrides {
		moved[o.Props.Get(ical.PropRecurrenceID).Value] = o.Props.Get(ical.PropDateTimeStart).Value
	}
	var instants []string
	for _, w := range rule.All() {
		key := w.Format("20060102T150405")
		if excluded[key] {
			continue
		}
		if m, ok := moved[key]; ok {
			key = m
		}
		local, _ := time.Parse("20060102T150405", key)
		instants = append(instants, local.Add(-vtimezoneOffset(t, tz, key)).UTC().Format(time.RFC3339))
	}
	want := []string{"2027-03-18T17:00:00Z", "2027-04-08T17:00:00Z", "2027-04-15T16:00:00Z"}
	if !slices.Equal(instants, want) {
		t.Fatalf("the feed's instances %v, want %v (the sessions' own starts)\n%s", instants, want, body)
	}
	// Every instance is a session the read model holds at that instant.
	for _, o := range []int{0, 2, 3} {
		s := p.session(t, a.brussels, occ[o].Session.ID)
		if !slices.Contains(instants, s.Start.UTC) {
			t.Fatalf("session %s at %s is not in the feed's instances %v", occ[o].Date, s.Start.UTC, instants)
		}
	}
}
