package session_test

import (
	"errors"
	"testing"
	"time"

	"github.com/google/uuid"

	"passerelle.dev/events"
	"passerelle.dev/events/sessionevents"
	"passerelle.dev/kernel/fault"
	"passerelle.dev/sessions/domain/session"
)

var now = time.Date(2026, 11, 28, 18, 0, 0, 0, time.UTC)

func zone(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func local(t *testing.T, s string) session.LocalDateTime {
	t.Helper()
	l, err := session.ParseLocalDateTime("start", s)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func offset(t *testing.T, s string) *session.Offset {
	t.Helper()
	o, err := session.ParseOffset("startOffset", s)
	if err != nil {
		t.Fatal(err)
	}
	return &o
}

func TestWallClockTimesAcrossDaylightSavingChanges(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, zone, local, offset string
		want                      string // UTC, or the error's reason
	}{
		{"an ordinary evening in Geneva", "Europe/Zurich", "2027-03-20T18:00", "", "2027-03-20T17:00:00Z"},
		{"after spring forward in Brussels", "Europe/Brussels", "2027-03-28T03:30", "", "2027-03-28T01:30:00Z"},
		{"spring-forward gap in Brussels", "Europe/Brussels", "2027-03-28T02:30", "", "NONEXISTENT_LOCAL_TIME"},
		{"spring-forward gap in Washington", "America/New_York", "2027-03-14T02:30", "", "NONEXISTENT_LOCAL_TIME"},
		{"the gap even with an offset", "Europe/Brussels", "2027-03-28T02:30", "+01:00", "NONEXISTENT_LOCAL_TIME"},
		{"fall-back in London without an offset", "Europe/London", "2027-10-31T01:30", "", "AMBIGUOUS_LOCAL_TIME"},
		{"fall-back in London, summer time", "Europe/London", "2027-10-31T01:30", "+01:00", "2027-10-31T00:30:00Z"},
		{"fall-back in London, winter time", "Europe/London", "2027-10-31T01:30", "+00:00", "2027-10-31T01:30:00Z"},
		{"fall-back in London, an offset it never had", "Europe/London", "2027-10-31T01:30", "+02:00", "field"},
		{"an unneeded but right offset", "Europe/Paris", "2027-07-01T10:00", "+02:00", "2027-07-01T08:00:00Z"},
		{"an unneeded and wrong offset", "Europe/Paris", "2027-07-01T10:00", "+01:00", "field"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var o *session.Offset
			if c.offset != "" {
				o = offset(t, c.offset)
			}
			got, err := local(t, c.local).In("start", zone(t, c.zone), o)
			if err != nil {
				d := fault.DetailsOf(err)
				if fault.CodeOf(err) != fault.BadUserInput || (d["reason"] != c.want && !(c.want == "field" && d["field"] == "start")) {
					t.Fatalf("error %v (details %v), want %s", err, d, c.want)
				}
				return
			}
			if got.UTC().Format(time.RFC3339) != c.want {
				t.Fatalf("got %s, want %s", got.UTC().Format(time.RFC3339), c.want)
			}
		})
	}
}

func TestLocalDateTimesRefuseZones(t *testing.T) {
	t.Parallel()
	for _, s := range []string{"2027-03-20T18:00+01:00", "2027-03-20T18:00Z", "20/03/2027 18:00", "2027-03-20"} {
		if _, err := session.ParseLocalDateTime("start", s); err == nil {
			t.Errorf("%q accepted", s)
		}
	}
}

var (
	admin    = events.Actor{Role: events.RoleAdmin, Subject: "a"}
	brussels = events.Actor{Role: events.RoleCoordinator, City: "brussels", Subject: "c-bx"}
	london   = events.Actor{Role: events.RoleCoordinator, City: "london", Subject: "c-lo"}
)

func plan(start string, capacity int) session.Plan {
	l, _ := session.ParseLocalDateTime("start", start)
	return session.Plan{
		Title:           sessionevents.Text{EN: "Diaspora health professionals", FR: "Professionnels de santé de la diaspora"},
		Theme:           "HEALTH",
		OriginCountries: []string{"CD", "cm"},
		Venue:           sessionevents.Venue{Name: "Résidence Palace", Address: "Rue de la Loi 155, Bruxelles"},
		When:            session.When{Start: l, DurationMinutes: 120},
		Capacity:        capacity,
		Stakeholders:    []sessionevents.Stakeholder{{Name: "Ministère de la Santé", Kind: "GOVERNMENT", Country: "CD"}},
	}
}

// log keeps a session's events as a repository would.
type log struct {
	t       *testing.T
	history []any
	loc     *time.Location
}

func (l *log) save(s *session.DialogueSession) *session.DialogueSession {
	l.t.Helper()
	l.history = append(l.history, s.PendingEvents()...)
	loaded, err := session.FromHistory(l.history, l.loc)
	if err != nil {
		l.t.Fatal(err)
	}
	return loaded
}

func scheduled(t *testing.T, capacity int) (*session.DialogueSession, *log) {
	t.Helper()
	loc := zone(t, "Europe/Brussels")
	s, err := session.Schedule(uuid.Must(uuid.NewV7()), session.City{Slug: "brussels", Location: loc}, brussels, plan("2027-03-20T18:00", capacity), now)
	if err != nil {
		t.Fatal(err)
	}
	l := &log{t: t, loc: loc}
	return l.save(s), l
}

func association(n int) string { return uuid.NewSHA1(uuid.NameSpaceOID, []byte{byte(n)}).String() }

func TestScheduleChecksThePlan(t *testing.T) {
	t.Parallel()
	loc := zone(t, "Europe/Brussels")
	cases := []struct {
		name string
		edit func(*session.Plan)
		who  events.Actor
		code fault.Code
	}{
		{"coordinator of the city", func(*session.Plan) {}, brussels, ""},
		{"admin", func(*session.Plan) {}, admin, ""},
		{"coordinator of another city", func(*session.Plan) {}, london, fault.Forbidden},
		{"anonymous", func(*session.Plan) {}, events.Anonymous, fault.Unauthenticated},
		{"in the past", func(p *session.Plan) { p.When.Start = local(t, "2026-11-01T18:00") }, brussels, fault.BadUserInput},
		{"no capacity", func(p *session.Plan) { p.Capacity = 0 }, brussels, fault.BadUserInput},
		{"no title", func(p *session.Plan) { p.Title = sessionevents.Text{} }, brussels, fault.BadUserInput},
		{"unknown theme", func(p *session.Plan) { p.Theme = "SPORT" }, brussels, fault.BadUserInput},
		{"no venue address", func(p *session.Plan) { p.Venue.Address = " " }, brussels, fault.BadUserInput},
		{"five minutes", func(p *session.Plan) { p.When.DurationMinutes = 5 }, brussels, fault.BadUserInput},
		{"deadline after the start", func(p *session.Plan) { d := local(t, "2027-03-21T10:00"); p.When.Deadline = &d }, brussels, fault.BadUserInput},
		{"bad stakeholder kind", func(p *session.Plan) { p.Stakeholders[0].Kind = "CHURCH" }, brussels, fault.BadUserInput},
		{"spring-forward gap", func(p *session.Plan) { p.When.Start = local(t, "2027-03-28T02:30") }, brussels, fault.BadUserInput},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := plan("2027-03-20T18:00", 10)
			c.edit(&p)
			s, err := session.Schedule(uuid.Must(uuid.NewV7()), session.City{Slug: "brussels", Location: loc}, c.who, p, now)
			if got := codeOf(err); got != c.code {
				t.Fatalf("got %q (%v), want %q", got, err, c.code)
			}
			if err == nil {
				e := s.PendingEvents()[0].(sessionevents.SessionScheduled)
				if e.Timing.Start.Format(time.RFC3339) != "2027-03-20T17:00:00Z" || e.Timing.LocalStart != "2027-03-20T18:00" ||
					e.Timing.Deadline != e.Timing.Start || e.OriginCountries[1] != "CM" || s.VenueKey() != "brussels:residence palace" {
					t.Fatalf("scheduled %+v (venue key %q)", e, s.VenueKey())
				}
			}
		})
	}
}

func codeOf(err error) fault.Code {
	if err == nil {
		return ""
	}
	return fault.CodeOf(err)
}

func TestSeatsAreNeverOverbookedAndTheWaitlistIsFirstComeFirstServed(t *testing.T) {
	t.Parallel()
	s, l := scheduled(t, 10)
	var placements []session.Placement
	for i := 0; i < 14; i++ {
		seats := 1
		if i == 10 {
			seats = 3 // the head of the waitlist needs three seats
		}
		p, err := s.Register(admin, uuid.Must(uuid.NewV7()), association(i), seats, now)
		if err != nil {
			t.Fatal(err)
		}
		placements = append(placements, p)
	}
	s = l.save(s)
	for i, p := range placements {
		wantStatus, wantPos := session.Confirmed, 0
		if i >= 10 {
			wantStatus, wantPos = session.Waitlisted, i-9
		}
		if p.Status != wantStatus || p.WaitlistPosition != wantPos {
			t.Fatalf("registration %d: %+v, want %v at %d", i, p, wantStatus, wantPos)
		}
	}
	if s.ConfirmedSeats() != 10 || s.SeatsLeft() != 0 || s.WaitlistLength() != 4 {
		t.Fatalf("confirmed %d, left %d, waiting %d", s.ConfirmedSeats(), s.SeatsLeft(), s.WaitlistLength())
	}

	// One seat frees up: the head needs three, and nobody overtakes it.
	if err := s.CancelRegistration(admin, placements[0].RegistrationID, now); err != nil {
		t.Fatal(err)
	}
	if promoted := s.PromoteWaitlist(now); len(promoted) != 0 {
		t.Fatalf("promoted %v past the head of the waitlist", promoted)
	}
	// Two more: the head gets its three seats, the next ones still wait.
	for _, p := range placements[1:3] {
		if err := s.CancelRegistration(admin, p.RegistrationID, now); err != nil {
			t.Fatal(err)
		}
	}
	promoted := s.PromoteWaitlist(now)
	if len(promoted) != 1 || promoted[0] != placements[10].RegistrationID || s.ConfirmedSeats() != 10 {
		t.Fatalf("promoted %v, confirmed %d", promoted, s.ConfirmedSeats())
	}
	// Capacity up by two: the next two in line.
	s = l.save(s)
	if err := s.ChangeCapacity(brussels, 12, now); err != nil {
		t.Fatal(err)
	}
	promoted = s.PromoteWaitlist(now)
	if len(promoted) != 2 || promoted[0] != placements[11].RegistrationID || promoted[1] != placements[12].RegistrationID {
		t.Fatalf("after more seats, promoted %v", promoted)
	}
	if again := s.PromoteWaitlist(now); len(again) != 0 {
		t.Fatal("promoting twice promoted again")
	}
	s = l.save(s)
	if err := s.ChangeCapacity(brussels, 5, now); codeOf(err) != fault.Conflict {
		t.Fatalf("capacity below the confirmed seats: %v", err)
	}
}

func TestRegistrationRules(t *testing.T) {
	t.Parallel()
	s, l := scheduled(t, 5)
	a := association(1)
	self := events.Actor{Role: events.RoleAssociation, AssociationID: a}
	if _, err := s.Register(self, uuid.Must(uuid.NewV7()), a, 2, now); err != nil {
		t.Fatal(err)
	}
	s = l.save(s)
	cases := []struct {
		name  string
		who   events.Actor
		assoc string
		seats int
		at    time.Time
		code  fault.Code
	}{
		{"twice", self, a, 1, now, fault.Conflict},
		{"for another association", self, association(2), 1, now, fault.Forbidden},
		{"anonymously", events.Anonymous, association(2), 1, now, fault.Unauthenticated},
		{"coordinator of another city", london, association(2), 1, now, fault.Forbidden},
		{"more seats than the session has", admin, association(2), 6, now, fault.BadUserInput},
		{"after the deadline", admin, association(2), 1, time.Date(2027, 3, 20, 17, 0, 0, 0, time.UTC), fault.Conflict},
		{"coordinator of the city", brussels, association(3), 1, now, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := s.Register(c.who, uuid.Must(uuid.NewV7()), c.assoc, c.seats, c.at)
			if got := codeOf(err); got != c.code {
				t.Fatalf("got %q (%v), want %q", got, err, c.code)
			}
		})
	}
	s = l.save(s)
	if err := s.Cancel(brussels, "the venue is flooded", now); err != nil {
		t.Fatal(err)
	}
	s = l.save(s)
	if s.ConfirmedSeats() != 0 {
		t.Fatalf("a cancelled session keeps %d confirmed seats", s.ConfirmedSeats())
	}
	if _, err := s.Register(admin, uuid.Must(uuid.NewV7()), association(4), 1, now); !errors.Is(err, session.ErrCancelled) {
		t.Fatalf("registering for a cancelled session: %v", err)
	}
}

func TestAttendanceAndOutcomeComeAfterTheSession(t *testing.T) {
	t.Parallel()
	s, l := scheduled(t, 5)
	p, err := s.Register(admin, uuid.Must(uuid.NewV7()), association(1), 3, now)
	if err != nil {
		t.Fatal(err)
	}
	s = l.save(s)
	during := time.Date(2027, 3, 20, 17, 30, 0, 0, time.UTC)
	after := time.Date(2027, 3, 20, 19, 30, 0, 0, time.UTC)
	attendance := []sessionevents.Attendance{{RegistrationID: p.RegistrationID, AttendedSeats: 2}}
	if err := s.RecordAttendance(brussels, attendance, during); !errors.Is(err, session.ErrNotOverYet) {
		t.Fatalf("during the session: %v", err)
	}
	if err := s.RecordAttendance(brussels, []sessionevents.Attendance{{RegistrationID: p.RegistrationID, AttendedSeats: 4}}, after); codeOf(err) != fault.BadUserInput {
		t.Fatalf("more attendees than seats: %v", err)
	}
	if err := s.RecordAttendance(london, attendance, after); codeOf(err) != fault.Forbidden {
		t.Fatalf("a London coordinator: %v", err)
	}
	if err := s.RecordAttendance(brussels, attendance, after); err != nil {
		t.Fatal(err)
	}
	summary := sessionevents.Text{FR: "Accord pour un jumelage entre hôpitaux."}
	if err := s.RecordOutcome(brussels, summary, []sessionevents.FollowUp{{Action: "Draft the twinning agreement", Owner: "Ministère de la Santé", Due: "2027-06-30"}}, after); err != nil {
		t.Fatal(err)
	}
	if err := s.RecordOutcome(brussels, summary, []sessionevents.FollowUp{{Action: "x", Due: "30/06/2027"}}, after); codeOf(err) != fault.BadUserInput {
		t.Fatalf("a bad due date: %v", err)
	}
	if len(l.save(s).PendingEvents()) != 0 {
		t.Fatal("reloading kept pending events")
	}
}

func TestRescheduleKeepsRegistrations(t *testing.T) {
	t.Parallel()
	s, l := scheduled(t, 5)
	if _, err := s.Register(admin, uuid.Must(uuid.NewV7()), association(1), 2, now); err != nil {
		t.Fatal(err)
	}
	s = l.save(s)
	if err := s.Reschedule(brussels, session.When{Start: local(t, "2027-04-03T18:00"), DurationMinutes: 90}, now); err != nil {
		t.Fatal(err)
	}
	s = l.save(s)
	if s.ConfirmedSeats() != 2 || s.Timing().Start.Format(time.RFC3339) != "2027-04-03T16:00:00Z" || !s.Timing().Deadline.Equal(s.Timing().Start) {
		t.Fatalf("after rescheduling across the change to summer time: %+v, %d seats", s.Timing(), s.ConfirmedSeats())
	}
}
