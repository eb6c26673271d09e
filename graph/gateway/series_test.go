package gateway_test

import (
	"testing"
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
