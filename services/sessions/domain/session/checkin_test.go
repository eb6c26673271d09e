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

func TestCheckInIsOpenOnTheDayOnTheCitysClocks(t *testing.T) {
	t.Parallel()
	brusselsZone := zone(t, "Europe/Brussels")
	cases := []struct {
		name, start     string
		minutes         int
		wantFrom, until string
	}{
		{"an evening in winter", "2027-03-20T18:00:00Z", 120, "2027-03-19T23:00:00Z", "2027-03-20T23:00:00Z"},
		// 28 March 2027 has 23 hours in Brussels: the window does too.
		{"the day clocks go forward", "2027-03-28T08:00:00Z", 60, "2027-03-27T23:00:00Z", "2027-03-28T22:00:00Z"},
		// A session running past midnight keeps the door open through its last day.
		{"a night session", "2027-03-20T21:00:00Z", 240, "2027-03-19T23:00:00Z", "2027-03-21T23:00:00Z"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			start, _ := time.Parse(time.RFC3339, c.start)
			from, until := session.CheckInWindow(sessionevents.Timing{Start: start, DurationMinutes: c.minutes}, brusselsZone)
			if got := from.UTC().Format(time.RFC3339); got != c.wantFrom {
				t.Errorf("opens %s, want %s", got, c.wantFrom)
			}
			if got := until.UTC().Format(time.RFC3339); got != c.until {
				t.Errorf("closes %s, want %s", got, c.until)
			}
		})
	}
}

func TestCheckInRules(t *testing.T) {
	t.Parallel()
	s, l := scheduled(t, 4) // 20 March 2027, 18:00–20:00 in Brussels
	confirmed, err := s.Register(admin, uuid.Must(uuid.NewV7()), association(1), 3, now)
	if err != nil {
		t.Fatal(err)
	}
	waiting, err := s.Register(admin, uuid.Must(uuid.NewV7()), association(2), 2, now)
	if err != nil || waiting.Status != session.Waitlisted {
		t.Fatalf("second registration: %+v, %v", waiting, err)
	}
	s = l.save(s)
	eve := time.Date(2027, 3, 19, 22, 59, 0, 0, time.UTC) // 23:59 the day before, in Brussels
	morning := time.Date(2027, 3, 20, 8, 0, 0, 0, time.UTC)
	dayAfter := time.Date(2027, 3, 20, 23, 0, 0, 0, time.UTC) // midnight after, in Brussels

	refusals := []struct {
		name string
		err  error
		want fault.Code
	}{
		{"the day before", s.CheckIn(brussels, confirmed.RegistrationID, 3, eve), fault.Conflict},
		{"the day after", s.CheckIn(brussels, confirmed.RegistrationID, 3, dayAfter), fault.Conflict},
		{"anonymous", s.CheckIn(events.Anonymous, confirmed.RegistrationID, 3, morning), fault.Unauthenticated},
		{"a London coordinator", s.CheckIn(london, confirmed.RegistrationID, 3, morning), fault.Forbidden},
		{"the association itself", s.CheckIn(events.Actor{Role: events.RoleAssociation, Subject: association(1)}, confirmed.RegistrationID, 3, morning), fault.Forbidden},
		{"no seats", s.CheckIn(brussels, confirmed.RegistrationID, 0, morning), fault.BadUserInput},
		{"more seats than confirmed", s.CheckIn(brussels, confirmed.RegistrationID, 4, morning), fault.BadUserInput},
		{"a waitlisted registration", s.CheckIn(brussels, waiting.RegistrationID, 1, morning), fault.BadUserInput},
		{"an unknown registration", s.CheckIn(brussels, uuid.NewString(), 1, morning), fault.NotFound},
		{"undoing what was never checked in", s.UndoCheckIn(brussels, confirmed.RegistrationID, morning), fault.Conflict},
	}
	for _, r := range refusals {
		if codeOf(r.err) != r.want {
			t.Errorf("%s: %v, want %s", r.name, r.err, r.want)
		}
	}
	if len(s.PendingEvents()) != 0 {
		t.Fatalf("refusals recorded %v", s.PendingEvents())
	}
	if !errors.Is(s.CheckIn(brussels, confirmed.RegistrationID, 3, eve), session.ErrCheckInClosed) {
		t.Fatal("the day before is not CHECK_IN_CLOSED")
	}

	if err := s.CheckIn(brussels, confirmed.RegistrationID, 3, morning); err != nil {
		t.Fatal(err)
	}
	s = l.save(s)
	if s.CheckedInSeats() != 3 {
		t.Fatalf("checked in %d seats", s.CheckedInSeats())
	}
	// A second tap on the same button changes nothing; other seats correct it.
	if err := s.CheckIn(admin, confirmed.RegistrationID, 3, morning); err != nil || len(s.PendingEvents()) != 0 {
		t.Fatalf("the same check-in again: %v, %v", err, s.PendingEvents())
	}
	if err := s.CheckIn(admin, confirmed.RegistrationID, 2, morning.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	s = l.save(s)
	if s.CheckedInSeats() != 2 {
		t.Fatalf("corrected to %d seats", s.CheckedInSeats())
	}
	if err := s.UndoCheckIn(brussels, confirmed.RegistrationID, morning.Add(2*time.Hour)); err != nil {
		t.Fatal(err)
	}
	s = l.save(s)
	if s.CheckedInSeats() != 0 {
		t.Fatalf("undone, %d seats still checked in", s.CheckedInSeats())
	}
	// Once the session is over and its attendance recorded, that record stands: the
	// door does not overwrite it, even before midnight.
	evening := time.Date(2027, 3, 20, 20, 0, 0, 0, time.UTC) // 21:00 in Brussels
	if err := s.RecordAttendance(brussels, []sessionevents.Attendance{{RegistrationID: confirmed.RegistrationID, AttendedSeats: 3}}, evening); err != nil {
		t.Fatal(err)
	}
	s = l.save(s)
	if err := s.CheckIn(brussels, confirmed.RegistrationID, 1, evening); !errors.Is(err, session.ErrAttendanceRecorded) {
		t.Fatalf("a check-in after the attendance was recorded: %v", err)
	}
	s, l = scheduled(t, 4)
	confirmed, err = s.Register(admin, uuid.Must(uuid.NewV7()), association(1), 3, now)
	if err != nil {
		t.Fatal(err)
	}
	s = l.save(s)
	if err := s.Cancel(admin, "the venue flooded", morning.Add(3*time.Hour)); err != nil {
		t.Fatal(err)
	}
	s = l.save(s)
	if !errors.Is(s.CheckIn(brussels, confirmed.RegistrationID, 1, morning.Add(4*time.Hour)), session.ErrCancelled) {
		t.Fatal("checked in at a cancelled session")
	}
	if s.CheckInOpen(morning) {
		t.Fatal("check-in open at a cancelled session")
	}
}
