package session

import (
	"fmt"
	"time"

	"passerelle.dev/events"
	"passerelle.dev/events/sessionevents"
	"passerelle.dev/kernel/fault"
)

// Errors of check-in.
var (
	ErrCheckInClosed = fault.Because(fault.Conflict, "CHECK_IN_CLOSED",
		"check-in is open on the day of the session only, from midnight to midnight on the city's clocks")
	ErrNotCheckedIn = fault.Because(fault.Conflict, "NOT_CHECKED_IN", "the registration is not checked in")
	// ErrAttendanceRecorded keeps check-in from overwriting the attendance recorded after
	// the session (which a coordinator corrects with recordAttendance).
	ErrAttendanceRecorded = fault.Because(fault.Conflict, "ATTENDANCE_RECORDED",
		"attendance is recorded for this session: correct it there")
)

// CheckInWindow is when associations are checked in at the door: the whole day of the
// session on the city's clocks, from the midnight before it starts to the midnight after
// it ends. Early arrivals and late ones are let in. Once the session is over, attendance
// may be recorded (RecordAttendance): it corrects what check-in counted, and then stands.
func CheckInWindow(t sessionevents.Timing, loc *time.Location) (from, until time.Time) {
	if loc == nil {
		loc = time.UTC
	}
	start, end := t.Start.In(loc), t.End().In(loc)
	from = time.Date(start.Year(), start.Month(), start.Day(), 0, 0, 0, 0, loc)
	until = time.Date(end.Year(), end.Month(), end.Day()+1, 0, 0, 0, 0, loc)
	return from, until
}

// CheckInOpen tells whether associations can be checked in at now.
func (s *DialogueSession) CheckInOpen(now time.Time) bool {
	if s.status == StatusCancelled {
		return false
	}
	from, until := CheckInWindow(s.timing, s.location)
	return !now.Before(from) && now.Before(until)
}

// CheckIn lets a confirmed registration's people in, on the day: seats is how many of
// its confirmed seats they use. Checking in again with other seats corrects it; with
// the same seats it records nothing. A coordinator of the city or an admin.
func (s *DialogueSession) CheckIn(by events.Actor, registrationID string, seats int, now time.Time) error {
	r, err := s.checkInTarget(by, registrationID, now)
	if err != nil {
		return err
	}
	if seats < 1 || seats > r.seats {
		return &InvalidInputError{Field: "seats", Reason: fmt.Sprintf("between 1 and the %d seats confirmed", r.seats)}
	}
	if r.checkedIn != nil && *r.checkedIn == seats {
		return nil
	}
	s.record(sessionevents.RegistrationCheckedIn{SessionID: s.id, RegistrationID: r.id, Seats: seats, At: now.UTC()})
	return nil
}

// UndoCheckIn takes back a check-in made by mistake, on the day.
func (s *DialogueSession) UndoCheckIn(by events.Actor, registrationID string, now time.Time) error {
	r, err := s.checkInTarget(by, registrationID, now)
	if err != nil {
		return err
	}
	if r.checkedIn == nil {
		return ErrNotCheckedIn
	}
	s.record(sessionevents.CheckInUndone{SessionID: s.id, RegistrationID: r.id, At: now.UTC()})
	return nil
}

func (s *DialogueSession) checkInTarget(by events.Actor, registrationID string, now time.Time) (*registration, error) {
	if err := s.mayModerate(by); err != nil {
		return nil, err
	}
	if s.status == StatusCancelled {
		return nil, ErrCancelled
	}
	r := s.registration(registrationID)
	if r == nil {
		return nil, ErrRegistrationNotFound
	}
	if r.status != Confirmed {
		return nil, &InvalidInputError{Field: "registrationId", Reason: "only confirmed registrations are checked in"}
	}
	if !s.CheckInOpen(now) {
		return nil, ErrCheckInClosed
	}
	if s.attendanceRecorded {
		return nil, ErrAttendanceRecorded
	}
	return r, nil
}

// CheckedInSeats counts the seats checked in.
func (s *DialogueSession) CheckedInSeats() int {
	n := 0
	for _, r := range s.regs {
		if r.checkedIn != nil && r.status == Confirmed {
			n += *r.checkedIn
		}
	}
	return n
}
