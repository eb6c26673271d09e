package gateway_test

import (
	"encoding/csv"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"
)

const checkInMutation = `mutation($s: ID!, $r: ID!, $n: Int!, $key: String) {
  checkIn(sessionId: $s, registrationId: $r, seats: $n, idempotencyKey: $key) { session { checkInOpen ` + sessionFields + ` } } }`

const undoCheckInMutation = `mutation($s: ID!, $r: ID!) { undoCheckIn(sessionId: $s, registrationId: $r) { session { ` + sessionFields + ` } } }`

type checkedInSession struct {
	dialogueSession
	CheckInOpen   bool `json:"checkInOpen"`
	Registrations []struct {
		sessionRegistration
		CheckedInAt *string `json:"checkedInAt"`
	} `json:"registrations"`
}

const checkInQuery = `query($id: ID!) { dialogueSession(id: $id) { checkInOpen attendedSeats
  registrations { id status seats attendedSeats checkedInAt association { name } } } }`

type csvFile struct {
	Filename    string `json:"filename"`
	ContentType string `json:"contentType"`
	Content     string `json:"content"`
	RowCount    int    `json:"rowCount"`
}

// records reads a file back as a spreadsheet program would, after checking its mark.
func records(t *testing.T, f csvFile) [][]string {
	t.Helper()
	body, ok := strings.CutPrefix(f.Content, "\uFEFF")
	if !ok {
		t.Fatalf("%s has no byte-order mark", f.Filename)
	}
	out, err := csv.NewReader(strings.NewReader(body)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(out) != f.RowCount+1 {
		t.Fatalf("%s: %d records for %d rows", f.Filename, len(out), f.RowCount)
	}
	return out
}

const registrationsCsvQuery = `query($s: ID!, $l: Language) { sessionRegistrationsCsv(sessionId: $s, language: $l) { filename contentType content rowCount } }`
const sessionsCsvQuery = `query($c: String!, $f: String!, $to: String!, $l: Language) {
  sessionsCsv(city: $c, from: $f, to: $to, language: $l) { filename contentType content rowCount } }`

func TestCheckInOnTheDayAndTheFilesCoordinatorsTakeAway(t *testing.T) {
	t.Parallel()
	p := start(t, db.Fresh(t), false)
	p.clock.set(sessionsEpoch) // 1 December 2026, 10:00 in Brussels
	a := p.actors(t)
	nurses, nursesToken := p.verifiedAssociation(t, a.admin, "Ghana Nurses Belgium", "brussels")
	senegal, senegalToken := p.verifiedAssociation(t, a.admin, "Sénégalais de Bruxelles, \"Teranga\"", "brussels")
	late, lateToken := p.verifiedAssociation(t, a.admin, "Diaspora congolaise", "brussels")
	s := p.schedule(t, a.brussels, sessionInput("brussels", "Résidence Palace", "2026-12-03T18:00", 6))
	register := func(token, association string, seats int) registerForSessionPayload {
		return decode[registerForSessionPayload](t, p.gql(t, token, registerForSessionMutation,
			map[string]any{"sessionId": s.ID, "associationId": association, "seats": seats}), "registerForSession")
	}
	first, second, waiting := register(nursesToken, nurses, 3), register(senegalToken, senegal, 2), register(lateToken, late, 4)
	if waiting.Status != "WAITLISTED" {
		t.Fatalf("the third registration is %s", waiting.Status)
	}
	vars := func(reg string, seats int) map[string]any { return map[string]any{"s": s.ID, "r": reg, "n": seats} }
	refused := func(t *testing.T, token string, v map[string]any, code string) {
		t.Helper()
		written := p.events(t)
		if r := p.gql(t, token, checkInMutation, v); r.code() != code {
			t.Fatalf("got %q, want %s: %s", r.code(), code, r.raw)
		}
		if p.events(t) != written {
			t.Fatal("a refused check-in wrote events")
		}
	}

	// Two days before, the door is not open.
	if got := decode[checkedInSession](t, p.gql(t, a.brussels, checkInQuery, map[string]any{"id": s.ID}), "dialogueSession"); got.CheckInOpen {
		t.Fatal("check-in open two days before")
	}
	refused(t, a.brussels, vars(first.Registration.ID, 3), "CONFLICT")

	// On the day, 09:00 in Brussels.
	p.clock.set(time.Date(2026, 12, 3, 8, 0, 0, 0, time.UTC))
	refused(t, "", vars(first.Registration.ID, 3), "UNAUTHENTICATED")
	refused(t, nursesToken, vars(first.Registration.ID, 3), "FORBIDDEN")
	refused(t, a.london, vars(first.Registration.ID, 3), "FORBIDDEN")
	refused(t, a.brussels, vars(first.Registration.ID, 4), "BAD_USER_INPUT")
	refused(t, a.brussels, vars(first.Registration.ID, 0), "BAD_USER_INPUT")
	refused(t, a.brussels, vars(waiting.Registration.ID, 1), "BAD_USER_INPUT")
	refused(t, a.brussels, vars("not-an-id", 1), "BAD_USER_INPUT")

	got := decode[struct{ Session checkedInSession }](t, p.gql(t, a.brussels, checkInMutation, vars(first.Registration.ID, 3)), "checkIn").Session
	if !got.CheckInOpen || got.AttendedSeats == nil || *got.AttendedSeats != 3 || got.Registrations[0].CheckedInAt == nil ||
		*got.Registrations[0].AttendedSeats != 3 || got.Registrations[1].CheckedInAt != nil {
		t.Fatalf("after the first check-in: %+v", got)
	}
	undone := decode[struct{ Session checkedInSession }](t, p.gql(t, a.admin, undoCheckInMutation, map[string]any{"s": s.ID, "r": first.Registration.ID}), "undoCheckIn").Session
	if undone.AttendedSeats != nil || undone.Registrations[0].CheckedInAt != nil || undone.Registrations[0].AttendedSeats != nil {
		t.Fatalf("after undoing it: %+v", undone)
	}
	if r := p.gql(t, a.brussels, undoCheckInMutation, map[string]any{"s": s.ID, "r": first.Registration.ID}); r.code() != "CONFLICT" {
		t.Fatalf("undoing twice: %s", r.raw)
	}
	p.mustDo(t, a.brussels, checkInMutation, vars(first.Registration.ID, 2))
	p.mustDo(t, a.brussels, checkInMutation, vars(second.Registration.ID, 2))
	// The association sees its own check-in; the public sees the count, not who came.
	own := decode[checkedInSession](t, p.gql(t, nursesToken, checkInQuery, map[string]any{"id": s.ID}), "dialogueSession")
	if len(own.Registrations) != 1 || own.Registrations[0].CheckedInAt == nil {
		t.Fatalf("the association sees %+v", own.Registrations)
	}
	public := decode[checkedInSession](t, p.gql(t, "", checkInQuery, map[string]any{"id": s.ID}), "dialogueSession")
	if len(public.Registrations) != 0 || public.AttendedSeats == nil || *public.AttendedSeats != 4 {
		t.Fatalf("the public sees %+v", public)
	}

	// The registrations' file, in French, for the city's coordinator.
	file := decode[csvFile](t, p.gql(t, a.brussels, registrationsCsvQuery, map[string]any{"s": s.ID, "l": "FR"}), "sessionRegistrationsCsv")
	if file.Filename != "registrations-brussels-2026-12-03.csv" || file.ContentType != "text/csv; charset=utf-8" || file.RowCount != 3 {
		t.Fatalf("file %+v", file)
	}
	rows := records(t, file)
	if rows[0][2] != "Association" || rows[0][8] != "Arrivée (heure locale)" || rows[0][9] != "Places occupées" {
		t.Fatalf("header %q", rows[0])
	}
	if r := rows[1]; r[0] != "Les professionnels de santé de la diaspora" || r[1] != "2026-12-03 18:00" || r[2] != "Ghana Nurses Belgium" ||
		r[4] != "Confirmée" || r[5] != "3" || r[8] != "2026-12-03 09:00" || r[9] != "2" {
		t.Fatalf("first row %q", r)
	}
	if r := rows[2]; r[2] != "Sénégalais de Bruxelles, \"Teranga\"" || r[9] != "2" {
		t.Fatalf("second row %q", r)
	}
	if r := rows[3]; r[4] != "En liste d'attente" || r[6] != "1" || r[8] != "" || r[9] != "" {
		t.Fatalf("third row %q", r)
	}
	if strings.Contains(file.Content, "@") {
		t.Fatal("the file holds an e-mail address")
	}
	for _, c := range []struct{ who, token, code string }{
		{"anonymous", "", "UNAUTHENTICATED"}, {"the association", nursesToken, "FORBIDDEN"}, {"London's coordinator", a.london, "FORBIDDEN"},
	} {
		if r := p.gql(t, c.token, registrationsCsvQuery, map[string]any{"s": s.ID}); r.code() != c.code {
			t.Fatalf("%s: %s", c.who, r.raw)
		}
		if r := p.gql(t, c.token, sessionsCsvQuery, map[string]any{"c": "brussels", "f": "2026-12-01", "to": "2026-12-31"}); r.code() != c.code {
			t.Fatalf("%s, sessions: %s", c.who, r.raw)
		}
	}

	// The day after (midnight in Brussels), check-in is closed; the sessions' file of
	// December, in Spanish, says the session was held, with the seats checked in.
	p.clock.set(time.Date(2026, 12, 3, 23, 0, 0, 0, time.UTC))
	refused(t, a.brussels, vars(first.Registration.ID, 3), "CONFLICT")
	p.schedule(t, a.admin, sessionInput("brussels", "Résidence Palace", "2027-01-05T18:00", 6)) // January: not in the file
	p.schedule(t, a.london, sessionInput("london", "Africa Centre", "2026-12-10T18:00", 6))     // London: not in it
	file = decode[csvFile](t, p.gql(t, a.admin, sessionsCsvQuery, map[string]any{"c": "brussels", "f": "2026-12-01", "to": "2026-12-31", "l": "ES"}), "sessionsCsv")
	rows = records(t, file)
	if file.Filename != "sessions-brussels-2026-12-01.csv" || len(rows) != 2 {
		t.Fatalf("file %s with %q", file.Filename, rows)
	}
	if h, r := rows[0], rows[1]; h[1] != "Sesión" || r[0] != s.ID || r[2] != "2026-12-03 18:00" || r[3] != "2026-12-03 20:00" || r[7] != "Salud" || r[8] != "Celebrada" ||
		r[9] != "6" || r[10] != "5" || r[11] != "1" || r[12] != "3" || r[13] != "4" {
		t.Fatalf("sessions file %q", rows)
	}
	for _, bad := range []struct{ from, to, code string }{
		{"2026-12-31", "2026-12-01", "BAD_USER_INPUT"}, {"1 December", "2026-12-31", "BAD_USER_INPUT"},
		{"2026-01-01", "2027-06-30", "BAD_USER_INPUT"},
	} {
		if r := p.gql(t, a.admin, sessionsCsvQuery, map[string]any{"c": "brussels", "f": bad.from, "to": bad.to}); r.code() != bad.code {
			t.Fatalf("%s to %s: %s", bad.from, bad.to, r.raw)
		}
	}
	if r := p.gql(t, a.admin, sessionsCsvQuery, map[string]any{"c": "atlantis", "f": "2026-12-01", "to": "2026-12-31"}); r.code() != "NOT_FOUND" {
		t.Fatalf("an unknown city: %s", r.raw)
	}
}

// TestConcurrentCheckInsLoseNothingAndCountOnce races coordinators at the door: twenty
// check-ins of twenty registrations at once all land, and two taps on the same one at
// once record one event. The gateway reaches the sessions service over HTTP here, as
// when they run as separate processes.
func TestConcurrentCheckInsLoseNothingAndCountOnce(t *testing.T) {
	t.Parallel()
	p := start(t, db.Fresh(t), true)
	p.clock.set(sessionsEpoch)
	a := p.actors(t)
	s := p.schedule(t, a.brussels, sessionInput("brussels", "Résidence Palace", "2026-12-03T18:00", 40))
	regs := make([]string, 20)
	var wg sync.WaitGroup
	for i := range regs {
		wg.Go(func() {
			id, token := p.verifiedAssociation(t, a.admin, fmt.Sprintf("Association de la diaspora %02d", i), "brussels")
			regs[i] = decode[registerForSessionPayload](t, p.gql(t, token, registerForSessionMutation,
				map[string]any{"sessionId": s.ID, "associationId": id, "seats": 2}), "registerForSession").Registration.ID
		})
	}
	wg.Wait()
	p.clock.set(time.Date(2026, 12, 3, 16, 30, 0, 0, time.UTC))
	written := p.events(t)
	ready := make(chan struct{})
	tokens := []string{a.brussels, a.admin}
	for i, reg := range regs {
		wg.Go(func() {
			<-ready
			p.mustDo(t, tokens[i%2], checkInMutation, map[string]any{"s": s.ID, "r": reg, "n": 1 + i%2})
		})
	}
	// Two coordinators tap the first registration's button again at the same moment.
	for _, token := range tokens {
		wg.Go(func() {
			<-ready
			p.mustDo(t, token, checkInMutation, map[string]any{"s": s.ID, "r": regs[0], "n": 1})
		})
	}
	close(ready)
	wg.Wait()
	if got := p.events(t) - written; got != len(regs) {
		t.Fatalf("%d events for %d check-ins", got, len(regs))
	}
	got := decode[checkedInSession](t, p.gql(t, a.brussels, checkInQuery, map[string]any{"id": s.ID}), "dialogueSession")
	want := 0
	for i := range regs {
		want += 1 + i%2
	}
	if got.AttendedSeats == nil || *got.AttendedSeats != want {
		t.Fatalf("seats checked in %v, want %d", got.AttendedSeats, want)
	}
	for _, r := range got.Registrations {
		if r.CheckedInAt == nil {
			t.Fatalf("registration %s was not checked in", r.ID)
		}
	}
	undone := decode[struct{ Session checkedInSession }](t, p.gql(t, a.brussels, undoCheckInMutation, map[string]any{"s": s.ID, "r": regs[1]}), "undoCheckIn").Session
	if undone.AttendedSeats == nil || *undone.AttendedSeats != want-2 {
		t.Fatalf("after undoing one: %v seats", undone.AttendedSeats)
	}
	for _, r := range undone.Registrations {
		if (r.ID == regs[1]) != (r.CheckedInAt == nil) {
			t.Fatalf("after undoing %s: %+v", regs[1], r)
		}
	}
}
