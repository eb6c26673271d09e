package gateway_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-ical"

	"passerelle.dev/events"
	"passerelle.dev/kernel/pgtest"
)

// sessionsEpoch is the platform's "now" in these tests: the dates they schedule at
// (daylight saving changes of 2027) stay in the future whenever the tests run.
var sessionsEpoch = time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)

// set moves the platform's time to at.
func (c *clock) set(at time.Time) { c.offset.Store(int64(time.Until(at))) }

const sessionFields = `id status capacity confirmedSeats seatsLeft waitlistLength registrationOpen cancellationReason
  durationMinutes calendarPath attendedSeats
  city { slug timeZone }
  start { utc local localDateTime timeZone utcOffset }
  end { utc local utcOffset }
  registrationDeadline { utc local }
  registrations { id status seats waitlistPosition attendedSeats checkedInAt association { id name } }
  outcome { summary { en fr } followUps { action owner due } }`

type sessionTime struct {
	UTC           string `json:"utc"`
	Local         string `json:"local"`
	LocalDateTime string `json:"localDateTime"`
	TimeZone      string `json:"timeZone"`
	UTCOffset     string `json:"utcOffset"`
}

type sessionRegistration struct {
	ID               string `json:"id"`
	Status           string `json:"status"`
	Seats            int    `json:"seats"`
	WaitlistPosition *int   `json:"waitlistPosition"`
	AttendedSeats    *int   `json:"attendedSeats"`
	Association      *struct {
		ID   string `json:"id"`
		Name string `json:"name"`
	} `json:"association"`
}

type dialogueSession struct {
	ID                 string  `json:"id"`
	Status             string  `json:"status"`
	Capacity           int     `json:"capacity"`
	ConfirmedSeats     int     `json:"confirmedSeats"`
	SeatsLeft          int     `json:"seatsLeft"`
	WaitlistLength     int     `json:"waitlistLength"`
	RegistrationOpen   bool    `json:"registrationOpen"`
	CancellationReason *string `json:"cancellationReason"`
	DurationMinutes    int     `json:"durationMinutes"`
	CalendarPath       string  `json:"calendarPath"`
	AttendedSeats      *int    `json:"attendedSeats"`
	City               struct {
		Slug     string `json:"slug"`
		TimeZone string `json:"timeZone"`
	} `json:"city"`
	Start                sessionTime           `json:"start"`
	End                  sessionTime           `json:"end"`
	RegistrationDeadline sessionTime           `json:"registrationDeadline"`
	Registrations        []sessionRegistration `json:"registrations"`
	Outcome              *struct {
		Summary   struct{ En, Fr *string } `json:"summary"`
		FollowUps []struct {
			Action string  `json:"action"`
			Owner  *string `json:"owner"`
			Due    *string `json:"due"`
		} `json:"followUps"`
	} `json:"outcome"`
}

type sessionPayload struct {
	Session  dialogueSession `json:"session"`
	Position *string         `json:"position"`
}

const scheduleMutation = `mutation($input: ScheduleSessionInput!, $key: String) {
  scheduleSession(input: $input, idempotencyKey: $key) { session { ` + sessionFields + ` } position }
}`

const sessionQuery = `query($id: ID!) { dialogueSession(id: $id) { ` + sessionFields + ` } }`

const registerForSessionMutation = `mutation($sessionId: ID!, $associationId: ID!, $seats: Int, $key: String) {
  registerForSession(sessionId: $sessionId, associationId: $associationId, seats: $seats, idempotencyKey: $key) {
    status waitlistPosition position
    registration { id status seats waitlistPosition }
    session { id confirmedSeats waitlistLength seatsLeft }
  }
}`

type registerForSessionPayload struct {
	Status           string              `json:"status"`
	WaitlistPosition *int                `json:"waitlistPosition"`
	Position         string              `json:"position"`
	Registration     sessionRegistration `json:"registration"`
	Session          dialogueSession     `json:"session"`
}

// sessionInput is a session scheduling input: a two-hour session at start (wall clock of
// the city).
func sessionInput(city, venue, start string, capacity int) map[string]any {
	return map[string]any{
		"city":            city,
		"title":           map[string]any{"en": "Diaspora health professionals and home-country hospitals", "fr": "Les professionnels de santé de la diaspora"},
		"description":     map[string]any{"en": "Temporary and virtual return of doctors and nurses."},
		"theme":           "HEALTH",
		"originCountries": []string{"GH", "SN"},
		"venue":           map[string]any{"name": venue, "address": "Rue de la Loi 155, 1040 Bruxelles"},
		"time":            map[string]any{"start": start, "durationMinutes": 120},
		"capacity":        capacity,
		"stakeholders": []map[string]any{
			{"name": "Ministry of Health of Ghana", "kind": "GOVERNMENT", "country": "GH"},
			{"name": "Université Cheikh Anta Diop", "kind": "UNIVERSITY", "country": "SN"},
		},
	}
}

func (p *platform) schedule(t *testing.T, token string, input map[string]any) dialogueSession {
	t.Helper()
	return decode[sessionPayload](t, p.gql(t, token, scheduleMutation, map[string]any{"input": input}), "scheduleSession").Session
}

func (p *platform) session(t *testing.T, token, id string) dialogueSession {
	t.Helper()
	return decode[dialogueSession](t, p.gql(t, token, sessionQuery, map[string]any{"id": id}), "dialogueSession")
}

// verifiedAssociation registers an association and has an admin verify it; it returns
// its id and its token.
func (p *platform) verifiedAssociation(t *testing.T, admin, name, city string) (string, string) {
	t.Helper()
	reg := p.register(t, name, city, "GH")
	p.mustDo(t, admin, `mutation($id: ID!) { verifyAssociation(id: $id) { association { status } } }`, map[string]any{"id": reg.Association.ID})
	return reg.Association.ID, reg.Token
}

func TestFiftyAssociationsRaceForTenSeats(t *testing.T) {
	t.Parallel()
	p := start(t, db.Fresh(t), false)
	p.clock.set(sessionsEpoch)
	a := p.actors(t)

	type member struct{ id, token string }
	members := make([]member, 50)
	var wg sync.WaitGroup
	work := make(chan int)
	for range 8 {
		wg.Go(func() {
			for i := range work {
				id, token := p.verifiedAssociation(t, a.admin, fmt.Sprintf("Ghanaian Diaspora Association %02d", i), "brussels")
				members[i] = member{id, token}
			}
		})
	}
	for i := range members {
		work <- i
	}
	close(work)
	wg.Wait()

	s := p.schedule(t, a.brussels, sessionInput("brussels", "Résidence Palace", "2027-02-10T18:00", 10))

	// Fifty associations, each with its own token, ask for a seat at once.
	results := make([]registerForSessionPayload, len(members))
	ready := make(chan struct{})
	for i, m := range members {
		wg.Go(func() {
			<-ready
			results[i] = decode[registerForSessionPayload](t, p.gql(t, m.token, registerForSessionMutation,
				map[string]any{"sessionId": s.ID, "associationId": m.id}), "registerForSession")
		})
	}
	close(ready)
	wg.Wait()

	confirmed, waitlisted := 0, map[int]string{} // waitlist position → registration
	for _, r := range results {
		switch r.Status {
		case "CONFIRMED":
			confirmed++
			if r.WaitlistPosition != nil {
				t.Fatalf("a confirmed registration with a waitlist position: %+v", r)
			}
		case "WAITLISTED":
			if r.WaitlistPosition == nil || waitlisted[*r.WaitlistPosition] != "" {
				t.Fatalf("waitlist position missing or given twice: %+v", r)
			}
			waitlisted[*r.WaitlistPosition] = r.Registration.ID
		}
	}
	if confirmed != 10 || len(waitlisted) != 40 {
		t.Fatalf("%d confirmed, %d waitlisted; want 10 and 40", confirmed, len(waitlisted))
	}
	for pos := 1; pos <= 40; pos++ {
		if waitlisted[pos] == "" {
			t.Fatalf("nobody at waitlist position %d", pos)
		}
	}

	// The read model agrees: ten seats, and the waitlist in the order the registrations
	// were told — arrival order.
	got := p.session(t, a.brussels, s.ID)
	if got.ConfirmedSeats != 10 || got.SeatsLeft != 0 || got.WaitlistLength != 40 || len(got.Registrations) != 50 {
		t.Fatalf("read model: %d confirmed, %d left, %d waitlisted, %d registrations",
			got.ConfirmedSeats, got.SeatsLeft, got.WaitlistLength, len(got.Registrations))
	}
	var firstConfirmed []string
	for _, r := range got.Registrations {
		switch r.Status {
		case "CONFIRMED":
			firstConfirmed = append(firstConfirmed, r.ID)
		case "WAITLISTED":
			if r.WaitlistPosition == nil || waitlisted[*r.WaitlistPosition] != r.ID {
				t.Fatalf("registration %s is at waitlist position %v in the read model, the mutation said otherwise", r.ID, r.WaitlistPosition)
			}
		}
		if r.Association == nil {
			t.Fatalf("the coordinator does not see who registered: %+v", r)
		}
	}

	// Three confirmed registrations are cancelled: the first three waitlisted get their
	// seats, promoted by the waitlist policy.
	for _, id := range firstConfirmed[:3] {
		p.mustDo(t, a.brussels, `mutation($s: ID!, $r: ID!) { cancelSessionRegistration(sessionId: $s, registrationId: $r) { session { id } } }`,
			map[string]any{"s": s.ID, "r": id})
	}
	pgtest.Eventually(t, 10*time.Second, "the first three waitlisted to be promoted", func() (bool, error) {
		got = p.session(t, a.brussels, s.ID)
		return got.ConfirmedSeats == 10 && got.WaitlistLength == 37, nil
	})
	status := map[string]sessionRegistration{}
	for _, r := range got.Registrations {
		status[r.ID] = r
	}
	for pos := 1; pos <= 40; pos++ {
		r := status[waitlisted[pos]]
		switch {
		case pos <= 3 && r.Status != "CONFIRMED":
			t.Fatalf("waitlist position %d was not promoted: %+v", pos, r)
		case pos > 3 && (r.Status != "WAITLISTED" || r.WaitlistPosition == nil || *r.WaitlistPosition != pos-3):
			t.Fatalf("waitlist position %d is now %+v, want WAITLISTED at %d", pos, r, pos-3)
		}
	}
	for _, id := range firstConfirmed[:3] {
		if status[id].Status != "CANCELLED" {
			t.Fatalf("cancelled registration shows %s", status[id].Status)
		}
	}
	// The log agrees with the read model: three promotions, of those three.
	var promoted []string
	rows, err := p.pool.Query(context.Background(), `SELECT data->>'registrationId' FROM eventstore.events WHERE event_type = 'sessions.RegistrationPromoted' ORDER BY global_position`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			t.Fatal(err)
		}
		promoted = append(promoted, id)
	}
	if rows.Err() != nil {
		t.Fatal(rows.Err())
	}
	if len(promoted) != 3 {
		t.Fatalf("%d promotions in the log, want 3", len(promoted))
	}
	for i, id := range promoted {
		if want := localID(t, waitlisted[i+1]); id != want {
			t.Fatalf("promotion %d is %s, want %s", i+1, id, want)
		}
	}
}

func TestDaylightSavingTimesThroughGraphQL(t *testing.T) {
	t.Parallel()
	p := start(t, db.Fresh(t), false)
	p.clock.set(sessionsEpoch)
	a := p.actors(t)
	londonCoordinator := a.london

	refuse := func(t *testing.T, token string, input map[string]any, wantField, wantText string) {
		t.Helper()
		before := p.events(t)
		r := p.gql(t, token, scheduleMutation, map[string]any{"input": input})
		if r.code() != "BAD_USER_INPUT" || r.Errors[0].Extensions["field"] != wantField || !strings.Contains(r.Errors[0].Message, wantText) {
			t.Fatalf("got %s, want BAD_USER_INPUT on %s mentioning %q", r.raw, wantField, wantText)
		}
		if p.events(t) != before {
			t.Fatal("a refused session was written")
		}
	}

	// Brussels, 28 March 2027: clocks jump from 02:00 to 03:00; 02:30 never happens.
	refuse(t, a.brussels, sessionInput("brussels", "Résidence Palace", "2027-03-28T02:30", 40), "start", "does not exist")

	// London, 31 October 2027: 01:30 happens twice (BST, then GMT).
	fallBack := sessionInput("london", "Africa Centre", "2027-10-31T01:30", 40)
	refuse(t, londonCoordinator, fallBack, "start", "+01:00")

	fallBack["time"] = map[string]any{"start": "2027-10-31T01:30", "startOffset": "+01:00", "durationMinutes": 120}
	first := p.schedule(t, londonCoordinator, fallBack)
	if first.Start.UTC != "2027-10-31T00:30:00Z" || first.Start.Local != "2027-10-31T01:30" || first.Start.UTCOffset != "+01:00" ||
		first.Start.LocalDateTime != "2027-10-31T01:30:00+01:00" || first.Start.TimeZone != "Europe/London" {
		t.Fatalf("01:30 BST: %+v", first.Start)
	}
	// It lasts two hours by the clock on the wall of the universe, not of London: it ends
	// at 01:30 GMT.
	if first.End.UTC != "2027-10-31T02:30:00Z" || first.End.Local != "2027-10-31T02:30" || first.End.UTCOffset != "+00:00" {
		t.Fatalf("end of the 01:30 BST session: %+v", first.End)
	}
	fallBack["venue"] = map[string]any{"name": "Another Hall", "address": "1 Strand, London"}
	fallBack["time"] = map[string]any{"start": "2027-10-31T01:30", "startOffset": "+00:00", "durationMinutes": 60}
	second := p.schedule(t, londonCoordinator, fallBack)
	if second.Start.UTC != "2027-10-31T01:30:00Z" || second.Start.Local != "2027-10-31T01:30" || second.Start.UTCOffset != "+00:00" {
		t.Fatalf("01:30 GMT: %+v", second.Start)
	}
	// An offset the zone never has at that time is refused.
	fallBack["time"] = map[string]any{"start": "2027-10-31T01:30", "startOffset": "+02:00", "durationMinutes": 60}
	refuse(t, londonCoordinator, fallBack, "start", "+02:00")

	// A summer session in Brussels shows its summer offset.
	summer := p.schedule(t, a.brussels, sessionInput("brussels", "Résidence Palace", "2027-07-01T18:00", 40))
	if summer.Start.UTC != "2027-07-01T16:00:00Z" || summer.Start.UTCOffset != "+02:00" || summer.City.TimeZone != "Europe/Brussels" {
		t.Fatalf("summer in Brussels: %+v", summer.Start)
	}
}

func TestVenuesAreNotDoubleBooked(t *testing.T) {
	t.Parallel()
	p := start(t, db.Fresh(t), false)
	p.clock.set(sessionsEpoch)
	a := p.actors(t)

	first := p.schedule(t, a.brussels, sessionInput("brussels", "Résidence Palace", "2027-02-10T18:00", 40)) // 18:00–20:00

	before := p.events(t)
	overlapping := sessionInput("brussels", "  résidence   PALACE ", "2027-02-10T19:00", 40)
	r := p.gql(t, a.brussels, scheduleMutation, map[string]any{"input": overlapping})
	if r.code() != "CONFLICT" || r.Errors[0].Extensions["otherSessionId"] == nil || p.events(t) != before {
		t.Fatalf("an overlapping session at the same venue: %s", r.raw)
	}
	// Right after the first ends, the venue is free.
	next := p.schedule(t, a.brussels, sessionInput("brussels", "Résidence Palace", "2027-02-10T20:00", 40))
	if next.Start.UTC != first.End.UTC {
		t.Fatalf("the next session starts at %s, the first ends at %s", next.Start.UTC, first.End.UTC)
	}
	// Another venue at the same time is fine.
	p.schedule(t, a.brussels, sessionInput("brussels", "Maison de la Francité", "2027-02-10T19:00", 40))

	// Moving a session onto a booked slot is refused too, and leaves it where it was.
	before = p.events(t)
	r = p.gql(t, a.brussels, `mutation($s: ID!, $t: SessionTimeInput!) { rescheduleSession(sessionId: $s, time: $t) { session { id } } }`,
		map[string]any{"s": next.ID, "t": map[string]any{"start": "2027-02-10T17:00", "durationMinutes": 120}})
	if r.code() != "CONFLICT" || p.events(t) != before {
		t.Fatalf("rescheduling onto a booked slot: %s", r.raw)
	}
	if got := p.session(t, "", next.ID); got.Start.UTC != next.Start.UTC {
		t.Fatalf("a refused reschedule moved the session to %s", got.Start.UTC)
	}
	// A cancelled session frees its venue.
	p.mustDo(t, a.brussels, `mutation($s: ID!) { cancelSession(sessionId: $s, reason: "the speakers could not travel") { session { status } } }`,
		map[string]any{"s": first.ID})
	p.schedule(t, a.brussels, sessionInput("brussels", "Résidence Palace", "2027-02-10T18:00", 40))
}

func TestRegistrationRulesThroughGraphQL(t *testing.T) {
	t.Parallel()
	for _, overHTTP := range []bool{false, true} {
		t.Run(fmt.Sprintf("services over HTTP %v", overHTTP), func(t *testing.T) {
			t.Parallel()
			testRegistrationRules(t, start(t, db.Fresh(t), overHTTP))
		})
	}
}

func testRegistrationRules(t *testing.T, p *platform) {
	p.clock.set(sessionsEpoch)
	a := p.actors(t)
	ghana, ghanaToken := p.verifiedAssociation(t, a.admin, "Ghana Nurses Belgium", "brussels")
	senegal, senegalToken := p.verifiedAssociation(t, a.admin, "Sénégalais de Bruxelles", "brussels")
	pending := p.register(t, "Not Yet Verified", "brussels", "ML")

	input := sessionInput("brussels", "Résidence Palace", "2027-02-10T18:00", 5)
	input["time"] = map[string]any{"start": "2027-02-10T18:00", "durationMinutes": 120, "registrationDeadline": "2027-02-08T12:00"}
	s := p.schedule(t, a.brussels, input)
	if !s.RegistrationOpen || s.RegistrationDeadline.Local != "2027-02-08T12:00" || s.Status != "SCHEDULED" {
		t.Fatalf("new session: %+v", s)
	}
	register := func(token, association string, seats int) gqlResponse {
		return p.gql(t, token, registerForSessionMutation, map[string]any{"sessionId": s.ID, "associationId": association, "seats": seats})
	}
	refused := func(r gqlResponse, code string) {
		t.Helper()
		if r.code() != code {
			t.Fatalf("got %s, want %s", r.raw, code)
		}
	}

	before := p.events(t)
	refused(register(pending.Token, pending.Association.ID, 1), "CONFLICT") // not verified
	refused(register(ghanaToken, ghana, 6), "BAD_USER_INPUT")               // more than the capacity
	refused(register(ghanaToken, ghana, 0), "BAD_USER_INPUT")
	refused(register(senegalToken, ghana, 1), "FORBIDDEN") // for another association
	if p.events(t) != before {
		t.Fatal("refused registrations were written")
	}

	withKey := map[string]any{"sessionId": s.ID, "associationId": ghana, "seats": 3, "key": "retry-7c1e0b2d"}
	three := decode[registerForSessionPayload](t, p.gql(t, ghanaToken, registerForSessionMutation, withKey), "registerForSession")
	if three.Status != "CONFIRMED" || three.Session.SeatsLeft != 2 || three.Session.ConfirmedSeats != 3 {
		t.Fatalf("3 of 5 seats: %+v", three)
	}
	// A retry over a bad connection, with the same key: the same registration, nothing new.
	written := p.events(t)
	again := decode[registerForSessionPayload](t, p.gql(t, ghanaToken, registerForSessionMutation, withKey), "registerForSession")
	if again.Registration.ID != three.Registration.ID || again.Status != "CONFIRMED" || again.Position != three.Position || p.events(t) != written {
		t.Fatalf("a retry gave %+v after %+v", again, three)
	}
	// Twice for the same session: refused, naming the registration there is.
	r := register(ghanaToken, ghana, 1)
	refused(r, "CONFLICT")
	if r.Errors[0].Extensions["registrationId"] == nil || r.Errors[0].Extensions["status"] != "CONFIRMED" {
		t.Fatalf("a second registration: %s", r.raw)
	}
	// Three seats do not fit in the two left: waitlisted, and nobody behind overtakes it.
	waiting := decode[registerForSessionPayload](t, register(senegalToken, senegal, 3), "registerForSession")
	if waiting.Status != "WAITLISTED" || waiting.WaitlistPosition == nil || *waiting.WaitlistPosition != 1 {
		t.Fatalf("3 seats with 2 left: %+v", waiting)
	}

	// Who sees the registrations: the coordinator all, an association its own, the
	// public and other cities' coordinators none.
	for _, c := range []struct {
		name, token string
		want        int
	}{{"anonymous", "", 0}, {"london coordinator", a.london, 0}, {"senegal", senegalToken, 1}, {"brussels coordinator", a.brussels, 2}, {"admin", a.admin, 2}} {
		got := p.session(t, c.token, s.ID)
		if len(got.Registrations) != c.want {
			t.Fatalf("%s sees %d registrations, want %d", c.name, len(got.Registrations), c.want)
		}
		if c.name == "senegal" && (got.Registrations[0].Association == nil || got.Registrations[0].Association.ID != senegal) {
			t.Fatalf("senegal sees %+v", got.Registrations[0])
		}
		if got.ConfirmedSeats != 3 || got.WaitlistLength != 1 || got.SeatsLeft != 2 {
			t.Fatalf("%s sees the counts %d/%d/%d", c.name, got.ConfirmedSeats, got.WaitlistLength, got.SeatsLeft)
		}
	}

	// A capacity below the confirmed seats is refused; raising it promotes the waitlist.
	capacity := `mutation($s: ID!, $c: Int!) { changeSessionCapacity(sessionId: $s, capacity: $c) { session { capacity } } }`
	r = p.gql(t, a.brussels, capacity, map[string]any{"s": s.ID, "c": 2})
	if r.code() != "CONFLICT" || r.Errors[0].Extensions["confirmedSeats"] != float64(3) {
		t.Fatalf("capacity below the confirmed seats: %s", r.raw)
	}
	p.mustDo(t, a.brussels, capacity, map[string]any{"s": s.ID, "c": 6})
	pgtest.Eventually(t, 10*time.Second, "the waitlist to get the new seats", func() (bool, error) {
		got := p.session(t, a.brussels, s.ID)
		return got.ConfirmedSeats == 6 && got.WaitlistLength == 0, nil
	})

	// Rescheduling keeps the registrations; the deadline keeps its distance to the start.
	moved := decode[sessionPayload](t, p.gql(t, a.brussels,
		`mutation($s: ID!, $t: SessionTimeInput!) { rescheduleSession(sessionId: $s, time: $t) { session { `+sessionFields+` } } }`,
		map[string]any{"s": s.ID, "t": map[string]any{"start": "2027-02-17T18:00", "durationMinutes": 90}}), "rescheduleSession").Session
	if moved.ConfirmedSeats != 6 || len(moved.Registrations) != 2 || moved.RegistrationDeadline.Local != "2027-02-15T12:00" || moved.DurationMinutes != 90 {
		t.Fatalf("rescheduled: %+v", moved)
	}

	// After the deadline, registrations are refused.
	third, thirdToken := p.verifiedAssociation(t, a.admin, "Malian Engineers Abroad", "brussels")
	p.clock.set(time.Date(2027, 2, 15, 12, 0, 0, 0, time.UTC)) // 13:00 in Brussels
	if got := p.session(t, "", s.ID); got.RegistrationOpen {
		t.Fatal("registration still open after the deadline")
	}
	refused(register(thirdToken, third, 1), "CONFLICT")

	// A cancelled session cancels every registration and takes no more.
	p.clock.set(sessionsEpoch)
	cancelled := decode[sessionPayload](t, p.gql(t, a.brussels,
		`mutation($s: ID!) { cancelSession(sessionId: $s, reason: "the venue flooded") { session { `+sessionFields+` } } }`,
		map[string]any{"s": s.ID}), "cancelSession").Session
	if cancelled.Status != "CANCELLED" || cancelled.SeatsLeft != 0 || cancelled.ConfirmedSeats != 0 || cancelled.RegistrationOpen ||
		cancelled.CancellationReason == nil || *cancelled.CancellationReason != "the venue flooded" {
		t.Fatalf("cancelled: %+v", cancelled)
	}
	for _, reg := range cancelled.Registrations {
		if reg.Status != "CANCELLED" {
			t.Fatalf("a registration of a cancelled session: %+v", reg)
		}
	}
	refused(register(thirdToken, third, 1), "CONFLICT")
}

func TestAttendanceAndOutcomeAfterTheSession(t *testing.T) {
	t.Parallel()
	p := start(t, db.Fresh(t), false)
	p.clock.set(sessionsEpoch)
	a := p.actors(t)
	ghana, ghanaToken := p.verifiedAssociation(t, a.admin, "Ghana Nurses Belgium", "brussels")
	s := p.schedule(t, a.brussels, sessionInput("brussels", "Résidence Palace", "2027-02-10T18:00", 10))
	reg := decode[registerForSessionPayload](t, p.gql(t, ghanaToken, registerForSessionMutation,
		map[string]any{"sessionId": s.ID, "associationId": ghana, "seats": 4}), "registerForSession")

	attendance := `mutation($s: ID!, $a: [AttendanceInput!]!) { recordAttendance(sessionId: $s, attendance: $a) { session { ` + sessionFields + ` } } }`
	outcome := `mutation($s: ID!, $sum: LocalizedTextInput!, $f: [FollowUpInput!]) {
	  recordSessionOutcome(sessionId: $s, summary: $sum, followUps: $f) { session { ` + sessionFields + ` } } }`
	vars := map[string]any{"s": s.ID, "a": []map[string]any{{"registrationId": reg.Registration.ID, "attendedSeats": 3}}}
	outcomeVars := map[string]any{"s": s.ID, "sum": map[string]any{"en": "Twelve nurses to spend a month in Tamale.", "fr": "Douze infirmières à Tamale."},
		"f": []map[string]any{{"action": "Agree the placement terms", "owner": "Ministry of Health of Ghana", "due": "2027-04-30"}}}
	if r := p.gql(t, a.brussels, attendance, vars); r.code() != "CONFLICT" {
		t.Fatalf("attendance before the session: %s", r.raw)
	}
	if r := p.gql(t, a.brussels, outcome, outcomeVars); r.code() != "CONFLICT" {
		t.Fatalf("outcome before the session: %s", r.raw)
	}

	p.clock.set(time.Date(2027, 2, 11, 9, 0, 0, 0, time.UTC))
	if got := p.session(t, "", s.ID); got.Status != "HELD" {
		t.Fatalf("the day after, the session is %s", got.Status)
	}
	bad := map[string]any{"s": s.ID, "a": []map[string]any{{"registrationId": reg.Registration.ID, "attendedSeats": 5}}}
	if r := p.gql(t, a.brussels, attendance, bad); r.code() != "BAD_USER_INPUT" {
		t.Fatalf("more attendees than seats: %s", r.raw)
	}
	held := decode[sessionPayload](t, p.gql(t, a.brussels, attendance, vars), "recordAttendance").Session
	if held.AttendedSeats == nil || *held.AttendedSeats != 3 || held.Registrations[0].AttendedSeats == nil || *held.Registrations[0].AttendedSeats != 3 {
		t.Fatalf("attendance: %+v", held)
	}
	done := decode[sessionPayload](t, p.gql(t, a.brussels, outcome, outcomeVars), "recordSessionOutcome").Session
	if done.Outcome == nil || done.Outcome.Summary.Fr == nil || len(done.Outcome.FollowUps) != 1 || *done.Outcome.FollowUps[0].Due != "2027-04-30" {
		t.Fatalf("outcome: %+v", done.Outcome)
	}
	// The outcome is public; who came is not.
	public := p.session(t, "", s.ID)
	if public.Outcome == nil || len(public.Registrations) != 0 || public.AttendedSeats == nil {
		t.Fatalf("the public sees %+v", public)
	}
}

// TestEveryRoleAgainstEverySessionMutation sends every sessions mutation as every kind of
// caller, each against a session of its own: the allowed ones write, the refused ones
// are told why and write nothing.
func TestEveryRoleAgainstEverySessionMutation(t *testing.T) {
	t.Parallel()
	p := start(t, db.Fresh(t), false)
	p.clock.set(sessionsEpoch)
	a := p.actors(t)
	owner, ownerToken := p.verifiedAssociation(t, a.admin, "Ghana Nurses Belgium", "brussels")
	other, otherToken := p.verifiedAssociation(t, a.admin, "Sénégalais de Bruxelles", "brussels")

	roles := []struct{ name, token, refusal string }{
		{"anonymous", "", "UNAUTHENTICATED"},
		{"the association", ownerToken, "FORBIDDEN"},
		{"another association", otherToken, "FORBIDDEN"},
		{"brussels coordinator", a.brussels, "FORBIDDEN"},
		{"london coordinator", a.london, "FORBIDDEN"},
		{"admin", a.admin, "FORBIDDEN"},
	}
	moderators := []string{"brussels coordinator", "admin"}
	type fixture struct{ session, registration, series string }
	n := 0
	// newFixture schedules a session of its own (at its own venue) with, when asked, the
	// association registered.
	newFixture := func(t *testing.T, start string, withRegistration bool) fixture {
		n++
		s := p.schedule(t, a.admin, sessionInput("brussels", fmt.Sprintf("Hall %d", n), start, 10))
		f := fixture{session: s.ID}
		if withRegistration {
			f.registration = decode[registerForSessionPayload](t, p.gql(t, ownerToken, registerForSessionMutation,
				map[string]any{"sessionId": s.ID, "associationId": owner}), "registerForSession").Registration.ID
		}
		return f
	}
	// offered schedules a session of one seat whose freed seat is offered to the
	// association: the other association had it, and withdrew.
	offered := func(t *testing.T) fixture {
		n++
		input := sessionInput("brussels", fmt.Sprintf("Hall %d", n), "2027-02-10T18:00", 1)
		input["offerHours"] = 24
		s := p.schedule(t, a.admin, input)
		filler := decode[registerForSessionPayload](t, p.gql(t, otherToken, registerForSessionMutation,
			map[string]any{"sessionId": s.ID, "associationId": other}), "registerForSession").Registration.ID
		f := fixture{session: s.ID, registration: decode[registerForSessionPayload](t, p.gql(t, ownerToken, registerForSessionMutation,
			map[string]any{"sessionId": s.ID, "associationId": owner}), "registerForSession").Registration.ID}
		p.mustDo(t, otherToken, `mutation($s: ID!, $r: ID!) { cancelSessionRegistration(sessionId: $s, registrationId: $r) { position } }`,
			map[string]any{"s": s.ID, "r": filler})
		pgtest.Eventually(t, 10*time.Second, "the offer", func() (bool, error) {
			got := decode[offeredSession](t, p.gql(t, a.admin, offersQuery, map[string]any{"id": s.ID}), "dialogueSession")
			return got.OfferedSeats == 1, nil
		})
		return f
	}
	// inSeries schedules a series of two sessions at a venue of its own: the fixture's
	// session is its first.
	inSeries := func(t *testing.T) fixture {
		n++
		ser := decode[seriesPayload](t, p.mustDo(t, a.admin, scheduleSeriesMutation, map[string]any{"input": seriesInput("brussels",
			fmt.Sprintf("Hall %d", n), "2027-02-11", "18:00", map[string]any{"frequency": "WEEKLY", "count": 2})}), "scheduleSeries").Series
		return fixture{session: ser.Occurrences[0].Session.ID, series: ser.ID}
	}
	mutations := []struct {
		name    string
		query   string
		vars    func(f fixture, role string) map[string]any
		allowed []string
		after   bool // sent once the session is over
	}{
		{"openCity", `mutation($i: OpenCityInput!) { openCity(input: $i) { city { slug } } }`,
			func(_ fixture, role string) map[string]any {
				slug := "lisbon-" + strings.ReplaceAll(role, " ", "-")
				return map[string]any{"i": map[string]any{"slug": slug, "name": "Lisbon", "timeZone": "Europe/Lisbon", "country": "PT"}}
			}, []string{"admin"}, false},
		{"appointCoordinator", `mutation { appointCoordinator(city: "brussels", name: "Kofi Mensah") { token } }`,
			func(fixture, string) map[string]any { return nil }, []string{"admin"}, false},
		{"dismissCoordinator", `mutation($c: ID!) { dismissCoordinator(city: "brussels", coordinatorId: $c) { city { slug } } }`,
			func(fixture, string) map[string]any {
				return map[string]any{"c": decode[struct{ Coordinator struct{ ID string } }](t, p.mustDo(t, a.admin,
					`mutation { appointCoordinator(city: "brussels", name: "Kofi Mensah") { coordinator { id } } }`, nil), "appointCoordinator").Coordinator.ID}
			}, []string{"admin"}, false},
		{"scheduleSession", scheduleMutation, func(_ fixture, role string) map[string]any {
			n++
			return map[string]any{"input": sessionInput("brussels", fmt.Sprintf("Hall %d", n), "2027-02-10T18:00", 10)}
		}, moderators, false},
		{"rescheduleSession", `mutation($s: ID!) { rescheduleSession(sessionId: $s, time: {start: "2027-02-11T18:00", durationMinutes: 60}) { session { id } } }`,
			func(f fixture, _ string) map[string]any { return map[string]any{"s": f.session} }, moderators, false},
		{"changeSessionCapacity", `mutation($s: ID!) { changeSessionCapacity(sessionId: $s, capacity: 20) { session { id } } }`,
			func(f fixture, _ string) map[string]any { return map[string]any{"s": f.session} }, moderators, false},
		{"cancelSession", `mutation($s: ID!) { cancelSession(sessionId: $s, reason: "speakers could not travel") { session { id } } }`,
			func(f fixture, _ string) map[string]any { return map[string]any{"s": f.session} }, moderators, false},
		{"registerForSession", registerForSessionMutation,
			func(f fixture, _ string) map[string]any {
				return map[string]any{"sessionId": f.session, "associationId": owner}
			},
			[]string{"the association", "brussels coordinator", "admin"}, false},
		{"cancelSessionRegistration", `mutation($s: ID!, $r: ID!) { cancelSessionRegistration(sessionId: $s, registrationId: $r) { session { id } } }`,
			func(f fixture, _ string) map[string]any { return map[string]any{"s": f.session, "r": f.registration} },
			[]string{"the association", "brussels coordinator", "admin"}, false},
		{"checkIn", `mutation($s: ID!, $r: ID!) { checkIn(sessionId: $s, registrationId: $r, seats: 1) { session { id } } }`,
			func(f fixture, _ string) map[string]any { return map[string]any{"s": f.session, "r": f.registration} }, moderators, false},
		{"undoCheckIn", `mutation($s: ID!, $r: ID!) { undoCheckIn(sessionId: $s, registrationId: $r) { session { id } } }`,
			func(f fixture, _ string) map[string]any { return map[string]any{"s": f.session, "r": f.registration} }, moderators, false},
		{"changeWaitlistOffers", `mutation($s: ID!) { changeWaitlistOffers(sessionId: $s, offerHours: 48) { session { id } } }`,
			func(f fixture, _ string) map[string]any { return map[string]any{"s": f.session} }, moderators, false},
		{"acceptWaitlistOffer", `mutation($s: ID!, $r: ID!) { acceptWaitlistOffer(sessionId: $s, registrationId: $r) { session { id } } }`,
			func(f fixture, _ string) map[string]any { return map[string]any{"s": f.session, "r": f.registration} },
			[]string{"the association", "brussels coordinator", "admin"}, false},
		{"declineWaitlistOffer", `mutation($s: ID!, $r: ID!) { declineWaitlistOffer(sessionId: $s, registrationId: $r) { session { id } } }`,
			func(f fixture, _ string) map[string]any { return map[string]any{"s": f.session, "r": f.registration} },
			[]string{"the association", "brussels coordinator", "admin"}, false},
		{"scheduleSeries", scheduleSeriesMutation, func(_ fixture, _ string) map[string]any {
			n++
			return map[string]any{"input": seriesInput("brussels", fmt.Sprintf("Hall %d", n), "2027-02-11", "18:00",
				map[string]any{"frequency": "WEEKLY", "count": 2})}
		}, moderators, false},
		{"moveSeriesFrom", `mutation($s: ID!, $f: ID!) { moveSeriesFrom(seriesId: $s, fromSessionId: $f, localTime: "19:00", durationMinutes: 60) { series { id } } }`,
			func(f fixture, _ string) map[string]any { return map[string]any{"s": f.series, "f": f.session} }, moderators, false},
		{"cancelSeriesFrom", `mutation($s: ID!, $f: ID!) { cancelSeriesFrom(seriesId: $s, fromSessionId: $f, reason: "the venue closes") { series { id } } }`,
			func(f fixture, _ string) map[string]any { return map[string]any{"s": f.series, "f": f.session} }, moderators, false},
		{"messageSessionAssociations", `mutation($s: ID!) { messageSessionAssociations(sessionId: $s, audience: REGISTERED, subject: "Programme",
			body: "Please bring your questions for the speakers.") { recipients } }`,
			func(f fixture, _ string) map[string]any { return map[string]any{"s": f.session} }, moderators, false},
		{"recordAttendance", `mutation($s: ID!, $r: ID!) { recordAttendance(sessionId: $s, attendance: [{registrationId: $r, attendedSeats: 1}]) { session { id } } }`,
			func(f fixture, _ string) map[string]any { return map[string]any{"s": f.session, "r": f.registration} }, moderators, true},
		{"recordSessionOutcome", `mutation($s: ID!) { recordSessionOutcome(sessionId: $s, summary: {en: "A first exchange."}) { session { id } } }`,
			func(f fixture, _ string) map[string]any { return map[string]any{"s": f.session} }, moderators, true},
	}

	type call struct {
		mutation, role, query, token, refusal string
		vars                                  map[string]any
		allowed                               bool
	}
	var before, after []call
	for _, m := range mutations {
		for _, role := range roles {
			// Check-in is sent on the session's day, undoing one after a check-in.
			day := m.name == "checkIn" || m.name == "undoCheckIn"
			start := "2027-02-10T18:00"
			if m.after || day {
				start = "2026-12-01T12:00" // today, and over once the clock moves on
			}
			var f fixture
			switch {
			case strings.HasSuffix(m.name, "WaitlistOffer"):
				f = offered(t)
			case strings.HasSuffix(m.name, "SeriesFrom"):
				f = inSeries(t)
			default:
				f = newFixture(t, start, m.name == "cancelSessionRegistration" || m.name == "messageSessionAssociations" || m.after || day)
			}
			if m.name == "undoCheckIn" {
				p.mustDo(t, a.admin, `mutation($s: ID!, $r: ID!) { checkIn(sessionId: $s, registrationId: $r, seats: 1) { session { id } } }`,
					map[string]any{"s": f.session, "r": f.registration})
			}
			c := call{mutation: m.name, role: role.name, query: m.query, token: role.token, refusal: role.refusal,
				vars: m.vars(f, role.name), allowed: slices.Contains(m.allowed, role.name)}
			if m.after {
				after = append(after, c)
			} else {
				before = append(before, c)
			}
		}
	}
	run := func(calls []call) {
		for _, c := range calls {
			t.Run(c.mutation+" by "+c.role, func(t *testing.T) {
				written := p.events(t)
				r := p.gql(t, c.token, c.query, c.vars)
				if c.allowed {
					if len(r.Errors) > 0 || p.events(t) <= written {
						t.Fatalf("allowed, but: %s (events %d → %d)", r.raw, written, p.events(t))
					}
					return
				}
				if r.code() != c.refusal {
					t.Fatalf("got %q, want %s: %s", r.code(), c.refusal, r.raw)
				}
				if got := p.events(t); got != written {
					t.Fatalf("a refused mutation wrote %d events", got-written)
				}
			})
		}
	}
	run(before)
	p.clock.set(time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC))
	run(after)
}

func TestCalendarsGiveTheRightLocalTimeAcrossADaylightSavingChange(t *testing.T) {
	t.Parallel()
	p := start(t, db.Fresh(t), false)
	p.clock.set(sessionsEpoch)
	a := p.actors(t)
	brussels, err := time.LoadLocation("Europe/Brussels")
	if err != nil {
		t.Fatal(err)
	}
	// 18:00 on Brussels clocks, a week before and a week after summer time begins.
	winter := p.schedule(t, a.brussels, sessionInput("brussels", "Résidence Palace", "2027-03-20T18:00", 40))
	summer := p.schedule(t, a.brussels, sessionInput("brussels", "Résidence Palace", "2027-04-03T18:00", 40))
	p.schedule(t, a.london, sessionInput("london", "Africa Centre", "2027-03-20T18:00", 40)) // another city's

	get := func(t *testing.T, path, etag string) (*http.Response, string) {
		t.Helper()
		req, _ := http.NewRequest(http.MethodGet, p.url+path, nil)
		if etag != "" {
			req.Header.Set("If-None-Match", etag)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return resp, string(body)
	}
	resp, body := get(t, "/calendar/brussels.ics", "")
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/calendar") {
		t.Fatalf("city feed: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	cal, err := ical.NewDecoder(strings.NewReader(body)).Decode()
	if err != nil {
		t.Fatalf("the feed does not parse: %v\n%s", err, body)
	}
	evs := cal.Events()
	if len(evs) != 2 {
		t.Fatalf("%d events in Brussels' feed, want 2:\n%s", len(evs), body)
	}
	for i, want := range []time.Time{time.Date(2027, 3, 20, 18, 0, 0, 0, brussels), time.Date(2027, 4, 3, 18, 0, 0, 0, brussels)} {
		start, err := evs[i].DateTimeStart(nil)
		if err != nil {
			t.Fatal(err)
		}
		if !start.Equal(want) || start.In(brussels).Hour() != 18 {
			t.Fatalf("event %d starts %s, want %s", i, start.UTC(), want.UTC())
		}
		if tz := evs[i].Props.Get(ical.PropDateTimeStart).Params.Get(ical.ParamTimezoneID); tz != "Europe/Brussels" {
			t.Fatalf("event %d: TZID %q", i, tz)
		}
	}
	if !strings.Contains(body, "BEGIN:VTIMEZONE") || !strings.Contains(body, "TZOFFSETTO:+0200") {
		t.Fatalf("no VTIMEZONE with the summer offset:\n%s", body)
	}
	if winter.CalendarPath == "" || summer.CalendarPath == "" {
		t.Fatal("no calendar path")
	}

	// Polling with the ETag answers 304 until a session changes.
	etag := resp.Header.Get("ETag")
	if resp, _ := get(t, "/calendar/brussels.ics", etag); resp.StatusCode != http.StatusNotModified {
		t.Fatalf("unchanged feed: %d", resp.StatusCode)
	}
	p.mustDo(t, a.brussels, `mutation($s: ID!) { cancelSession(sessionId: $s, reason: "the speakers could not travel") { session { id } } }`,
		map[string]any{"s": summer.ID})
	resp, body = get(t, "/calendar/brussels.ics", etag)
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, "STATUS:CANCELLED") {
		t.Fatalf("after a cancellation: %d\n%s", resp.StatusCode, body)
	}

	// One session's file.
	resp, body = get(t, winter.CalendarPath, "")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("%s: %d", winter.CalendarPath, resp.StatusCode)
	}
	one, err := ical.NewDecoder(strings.NewReader(body)).Decode()
	if err != nil || len(one.Events()) != 1 {
		t.Fatalf("session file: %v\n%s", err, body)
	}
	if start, _ := one.Events()[0].DateTimeStart(nil); !start.Equal(time.Date(2027, 3, 20, 17, 0, 0, 0, time.UTC)) {
		t.Fatalf("the session's file starts at %s", start)
	}
	for _, path := range []string{"/calendar/atlantis.ics", "/sessions/not-a-session.ics", "/sessions/0190b1d4-0000-7000-8000-000000000000.ics", "/calendar/brussels"} {
		if resp, _ := get(t, path, ""); resp.StatusCode != http.StatusNotFound {
			t.Fatalf("%s: %d, want 404", path, resp.StatusCode)
		}
	}
}

func TestDialogueSessionsListAndFilters(t *testing.T) {
	t.Parallel()
	p := start(t, db.Fresh(t), false)
	p.clock.set(sessionsEpoch)
	a := p.actors(t)

	for i := range 5 {
		in := sessionInput("brussels", "Résidence Palace", fmt.Sprintf("2027-02-%02dT18:00", 10+i), 40)
		if i%2 == 1 {
			in["theme"] = "REMITTANCES"
			in["originCountries"] = []string{"ML"}
		}
		p.schedule(t, a.brussels, in)
	}
	p.schedule(t, a.geneva, sessionInput("geneva", "Palais des Nations", "2027-02-12T09:00", 200))
	p.schedule(t, a.london, sessionInput("london", "Africa Centre", "2027-02-11T18:00", 30))

	list := `query($first: Int, $after: String, $filter: DialogueSessionFilter) {
	  dialogueSessions(first: $first, after: $after, filter: $filter) {
	    totalCount edges { cursor node { id city { slug } start { utc } theme } } pageInfo { hasNextPage endCursor }
	  }
	}`
	type page struct {
		TotalCount int `json:"totalCount"`
		Edges      []struct {
			Node struct {
				ID    string                `json:"id"`
				City  struct{ Slug string } `json:"city"`
				Start struct{ UTC string }  `json:"start"`
				Theme string                `json:"theme"`
			} `json:"node"`
		} `json:"edges"`
		PageInfo struct {
			HasNextPage bool    `json:"hasNextPage"`
			EndCursor   *string `json:"endCursor"`
		} `json:"pageInfo"`
	}
	// Paging through everything, by start.
	var starts []string
	var after any
	for {
		pg := decode[page](t, p.gql(t, "", list, map[string]any{"first": 3, "after": after}), "dialogueSessions")
		if pg.TotalCount != 7 {
			t.Fatalf("totalCount %d", pg.TotalCount)
		}
		for _, e := range pg.Edges {
			starts = append(starts, e.Node.Start.UTC)
		}
		if !pg.PageInfo.HasNextPage {
			break
		}
		after = *pg.PageInfo.EndCursor
	}
	if len(starts) != 7 || !slices.IsSorted(starts) {
		t.Fatalf("sessions by start: %v", starts)
	}
	for _, c := range []struct {
		name   string
		filter map[string]any
		want   int
	}{
		{"city", map[string]any{"city": "brussels"}, 5},
		{"theme", map[string]any{"theme": "REMITTANCES"}, 2},
		{"origin country", map[string]any{"originCountry": "ml"}, 2},
		{"window", map[string]any{"from": "2027-02-11T00:00:00Z", "to": "2027-02-12T12:00:00Z"}, 3}, // Brussels and London on the 11th, Geneva on the 12th
		{"scheduled", map[string]any{"status": "SCHEDULED"}, 7},
		{"held", map[string]any{"status": "HELD"}, 0},
	} {
		pg := decode[page](t, p.gql(t, "", list, map[string]any{"filter": c.filter}), "dialogueSessions")
		if pg.TotalCount != c.want || len(pg.Edges) != c.want {
			t.Fatalf("%s: %d sessions, want %d", c.name, pg.TotalCount, c.want)
		}
	}
	if r := p.gql(t, "", list, map[string]any{"filter": map[string]any{"city": "atlantis"}}); r.code() != "BAD_USER_INPUT" {
		t.Fatalf("an unknown city: %s", r.raw)
	}
	if r := p.gql(t, "", list, map[string]any{"after": "bm90IGEgY3Vyc29y"}); r.code() != "BAD_USER_INPUT" {
		t.Fatalf("a broken cursor: %s", r.raw)
	}

	// The five cities exist from the start; an admin opens another, with its zone, and its
	// coordinator schedules there.
	open := `mutation($tz: String!) { openCity(input: {slug: "lisbon", name: "Lisbon", timeZone: $tz, country: "PT"}) { city { slug timeZone calendarPath } } }`
	if r := p.gql(t, a.admin, open, map[string]any{"tz": "UTC+1"}); r.code() != "BAD_USER_INPUT" || r.Errors[0].Extensions["field"] != "timeZone" {
		t.Fatalf("a zone that is not IANA: %s", r.raw)
	}
	p.mustDo(t, a.admin, open, map[string]any{"tz": "Europe/Lisbon"})
	if r := p.gql(t, a.admin, open, map[string]any{"tz": "Europe/Lisbon"}); r.code() != "CONFLICT" {
		t.Fatalf("opening a city twice: %s", r.raw)
	}
	cities := decode[[]struct{ Slug, TimeZone string }](t, p.gql(t, "", `{ cities { slug timeZone } }`, nil), "cities")
	var slugs []string
	for _, c := range cities {
		slugs = append(slugs, c.Slug+"="+c.TimeZone)
	}
	want := []string{"london=Europe/London", "geneva=Europe/Zurich", "brussels=Europe/Brussels", "paris=Europe/Paris",
		"washington=America/New_York", "lisbon=Europe/Lisbon"}
	if !slices.Equal(slugs, want) {
		t.Fatalf("cities %v, want %v", slugs, want)
	}
	lisbon := p.coordinator(t, "lisbon")
	s := p.schedule(t, lisbon, sessionInput("lisbon", "Casa da América Latina", "2027-07-01T18:00", 30))
	if s.Start.UTC != "2027-07-01T17:00:00Z" || s.City.TimeZone != "Europe/Lisbon" {
		t.Fatalf("Lisbon, summer: %+v", s.Start)
	}
}

func TestCoordinatorsActWhileAppointed(t *testing.T) {
	t.Parallel()
	p := start(t, db.Fresh(t), false)
	p.clock.set(sessionsEpoch)
	admin := p.token(t, events.Actor{Role: events.RoleAdmin, Subject: "admin"})
	appointed := decode[struct {
		Coordinator struct {
			ID, Name string
			City     struct{ Slug string }
		}
		Token string
	}](t, p.mustDo(t, admin, `mutation { appointCoordinator(city: "geneva", name: "  Awa   Diop ") { coordinator { id name city { slug } } token } }`, nil), "appointCoordinator")
	if appointed.Coordinator.Name != "Awa Diop" || appointed.Coordinator.City.Slug != "geneva" || appointed.Token == "" {
		t.Fatalf("appointed: %+v", appointed)
	}
	// A retry of an appointment within the replay window signs the coordinator's token
	// again; after the window, none.
	appoint := `mutation($key: String) { appointCoordinator(city: "london", name: "Kofi Mensah", idempotencyKey: $key) { coordinator { id } token keyWithheld { reason message } } }`
	type appointment struct {
		Coordinator struct{ ID string }
		Token       *string
		KeyWithheld *struct{ Reason, Message string }
	}
	key := map[string]any{"key": "appoint-kofi-2027"}
	kofi := decode[appointment](t, p.mustDo(t, admin, appoint, key), "appointCoordinator")
	retry := decode[appointment](t, p.mustDo(t, admin, appoint, key), "appointCoordinator")
	if kofi.Token == nil || retry.Token == nil || retry.Coordinator.ID != kofi.Coordinator.ID || retry.KeyWithheld != nil {
		t.Fatalf("an appointment %+v, its retry %+v", kofi, retry)
	}
	if _, err := p.pool.Exec(context.Background(), `UPDATE sessions.idempotency_keys SET created_at = created_at - interval '25 hours'
		WHERE key = 'appoint-kofi-2027'`); err != nil {
		t.Fatal(err)
	}
	late := decode[appointment](t, p.mustDo(t, admin, appoint, key), "appointCoordinator")
	if late.Token != nil || late.KeyWithheld == nil || late.KeyWithheld.Reason != "REPLAY_WINDOW_PASSED" ||
		!strings.Contains(late.KeyWithheld.Message, "appoint them again") || late.Coordinator.ID != kofi.Coordinator.ID {
		t.Fatalf("a late retry of an appointment: %+v", late)
	}
	schedule := func(token string) gqlResponse {
		return p.gql(t, token, scheduleMutation, map[string]any{"input": sessionInput("geneva", "Palais des Nations", "2027-02-10T09:00", 100)})
	}
	if r := schedule(appointed.Token); len(r.Errors) > 0 {
		t.Fatalf("an appointed coordinator: %s", r.raw)
	}

	// A token signed with the platform's secret but naming nobody appointed acts for nobody.
	unknown := p.token(t, events.Actor{Role: events.RoleCoordinator, City: "geneva", Subject: "0190b1d4-0000-7000-8000-000000000000"})
	if r := schedule(unknown); r.status != http.StatusUnauthorized || r.code() != "UNAUTHENTICATED" {
		t.Fatalf("a coordinator nobody appointed: %d %s", r.status, r.raw)
	}

	// Who sees the city's coordinators.
	coordinators := `{ city(slug: "geneva") { coordinators { id name } } }`
	for _, c := range []struct {
		name, token string
		visible     bool
	}{{"anonymous", "", false}, {"admin", admin, true}, {"the coordinator", appointed.Token, true}, {"london coordinator", p.coordinator(t, "london"), false}} {
		got := decode[struct{ Coordinators *[]struct{ ID, Name string } }](t, p.gql(t, c.token, coordinators, nil), "city")
		if (got.Coordinators != nil) != c.visible || c.visible && (len(*got.Coordinators) != 1 || (*got.Coordinators)[0].Name != "Awa Diop") {
			t.Fatalf("%s sees %+v", c.name, got.Coordinators)
		}
	}

	// Dismissed, the coordinator's token stops working at once.
	p.mustDo(t, admin, `mutation($c: ID!) { dismissCoordinator(city: "geneva", coordinatorId: $c) { city { slug } } }`,
		map[string]any{"c": appointed.Coordinator.ID})
	written := p.events(t)
	if r := p.gql(t, appointed.Token, scheduleMutation, map[string]any{"input": sessionInput("geneva", "Maison de la Paix", "2027-02-11T09:00", 100)}); r.code() != "UNAUTHENTICATED" || p.events(t) != written {
		t.Fatalf("a dismissed coordinator: %s", r.raw)
	}
}

// TestACalendarLoadsOnlyTheNamesItShows: a page whose registrations ask their
// associations' names only loads those; the same request asking more of the same
// association elsewhere still gets all of it, and a page asking more of them gets it.
func TestACalendarLoadsOnlyTheNamesItShows(t *testing.T) {
	t.Parallel()
	p := start(t, db.Fresh(t), false)
	p.clock.set(sessionsEpoch)
	a := p.actors(t)
	assoc, token := p.verifiedAssociation(t, a.admin, "Ghana Nurses Network UK", "london")
	s := p.schedule(t, a.london, sessionInput("london", "Africa Centre", "2027-04-08T18:00", 10))
	p.mustDo(t, token, registerForSessionMutation, map[string]any{"sessionId": s.ID, "associationId": assoc, "seats": 2})

	r := p.mustDo(t, a.london, `query($s: ID!, $a: ID!) {
		dialogueSession(id: $s) { registrations { association { id name } } }
		node(id: $a) { ... on Association { name kind originCountries city { slug } } } }`, map[string]any{"s": s.ID, "a": assoc})
	for _, want := range []string{`"name":"Ghana Nurses Network UK"`, `"kind":"DIASPORA_ASSOCIATION"`, `"originCountries":["GH"]`, `"slug":"london"`} {
		if !bytes.Contains(r.raw, []byte(want)) {
			t.Fatalf("no %s in %s", want, r.raw)
		}
	}
	r = p.mustDo(t, a.london, `query($s: ID!) { dialogueSession(id: $s) { registrations { association { id name originCountries } } } }`,
		map[string]any{"s": s.ID})
	if !bytes.Contains(r.raw, []byte(`"originCountries":["GH"]`)) {
		t.Fatalf("a page asking more of its associations: %s", r.raw)
	}
}
