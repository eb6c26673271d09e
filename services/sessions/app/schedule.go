package app

import (
	"context"

	"github.com/google/uuid"

	"passerelle.dev/events/sessionevents"
	"passerelle.dev/sessions/domain/session"
)

// When is a start (and optionally a registration deadline) as a coordinator types them:
// wall-clock times in the city's zone ("2027-03-20T18:00"), with a UTC offset ("+01:00")
// only for a time that happens twice when clocks go back.
type When struct {
	Start                string `json:"start"`
	StartOffset          string `json:"startOffset,omitempty"`
	DurationMinutes      int    `json:"durationMinutes"`
	RegistrationDeadline string `json:"registrationDeadline,omitempty"`
	DeadlineOffset       string `json:"deadlineOffset,omitempty"`
}

func (w When) domain() (session.When, error) {
	start, err := session.ParseLocalDateTime("start", w.Start)
	if err != nil {
		return session.When{}, err
	}
	out := session.When{Start: start, DurationMinutes: w.DurationMinutes}
	if w.StartOffset != "" {
		o, err := session.ParseOffset("startOffset", w.StartOffset)
		if err != nil {
			return session.When{}, err
		}
		out.StartOffset = &o
	}
	if w.RegistrationDeadline != "" {
		d, err := session.ParseLocalDateTime("registrationDeadline", w.RegistrationDeadline)
		if err != nil {
			return session.When{}, err
		}
		out.Deadline = &d
	}
	if w.DeadlineOffset != "" {
		o, err := session.ParseOffset("deadlineOffset", w.DeadlineOffset)
		if err != nil {
			return session.When{}, err
		}
		out.DeadlineOffset = &o
	}
	return out, nil
}

// ScheduleSession plans a session: coordinators of the city, admins.
type ScheduleSession struct {
	City            string                      `json:"city"`
	Title           sessionevents.Text          `json:"title"`
	Description     sessionevents.Text          `json:"description"`
	Theme           string                      `json:"theme"`
	OriginCountries []string                    `json:"originCountries"`
	Venue           sessionevents.Venue         `json:"venue"`
	When            When                        `json:"when"`
	Capacity        int                         `json:"capacity"`
	Stakeholders    []sessionevents.Stakeholder `json:"stakeholders,omitempty"`
	// OfferHours, when set, offers freed seats to the head of the waitlist for that
	// long; zero promotes it at once.
	OfferHours int     `json:"offerHours,omitempty"`
	Request    Request `json:"-"`
}

// ScheduleSession handles ScheduleSession.
func (app *Application) ScheduleSession(ctx context.Context, cmd ScheduleSession) (Result, error) {
	key, err := cmd.Request.Key("ScheduleSession", cmd)
	if err != nil {
		return Result{}, err
	}
	if res, replayed, err := app.replayFirst(ctx, key); err != nil || replayed {
		return res, err
	}
	c, err := app.cities.Get(ctx, cmd.City)
	if err != nil {
		return Result{}, err
	}
	when, err := cmd.When.domain()
	if err != nil {
		return Result{}, err
	}
	s, err := session.Schedule(uuid.Must(uuid.NewV7()), session.City{Slug: c.Slug(), Location: c.Location()}, cmd.Request.Actor, session.Plan{
		Title: cmd.Title, Description: cmd.Description, Theme: cmd.Theme, OriginCountries: cmd.OriginCountries,
		Venue: cmd.Venue, When: when, Capacity: cmd.Capacity, Stakeholders: cmd.Stakeholders, OfferHours: cmd.OfferHours,
	}, app.now())
	if err != nil {
		return Result{}, err
	}
	o, err := app.sessions.Add(ctx, s, cmd.Request.Metadata(), key)
	if err != nil {
		return Result{}, err
	}
	if o.Replayed {
		return app.replay(ctx, o)
	}
	return Result{SessionID: s.ID(), Position: o.Position}, nil
}

// RescheduleSession moves a session; registrations stay.
type RescheduleSession struct {
	SessionID string  `json:"sessionId"`
	When      When    `json:"when"`
	Request   Request `json:"-"`
}

// RescheduleSession handles RescheduleSession.
func (app *Application) RescheduleSession(ctx context.Context, cmd RescheduleSession) (Result, error) {
	when, err := cmd.When.domain()
	if err != nil {
		return Result{}, err
	}
	_, res, err := app.change(ctx, "RescheduleSession", cmd, cmd.SessionID, cmd.Request, func(s *session.DialogueSession) error {
		return s.Reschedule(cmd.Request.Actor, when, app.now())
	})
	return res, err
}

// ChangeSessionCapacity sets the number of seats.
type ChangeSessionCapacity struct {
	SessionID string  `json:"sessionId"`
	Capacity  int     `json:"capacity"`
	Request   Request `json:"-"`
}

// ChangeSessionCapacity handles ChangeSessionCapacity.
func (app *Application) ChangeSessionCapacity(ctx context.Context, cmd ChangeSessionCapacity) (Result, error) {
	_, res, err := app.change(ctx, "ChangeSessionCapacity", cmd, cmd.SessionID, cmd.Request, func(s *session.DialogueSession) error {
		return s.ChangeCapacity(cmd.Request.Actor, cmd.Capacity, app.now())
	})
	return res, err
}

// CancelSession calls a session off, with every registration.
type CancelSession struct {
	SessionID string  `json:"sessionId"`
	Reason    string  `json:"reason"`
	Request   Request `json:"-"`
}

// CancelSession handles CancelSession.
func (app *Application) CancelSession(ctx context.Context, cmd CancelSession) (Result, error) {
	_, res, err := app.change(ctx, "CancelSession", cmd, cmd.SessionID, cmd.Request, func(s *session.DialogueSession) error {
		return s.Cancel(cmd.Request.Actor, cmd.Reason, app.now())
	})
	return res, err
}

// RecordAttendance records who came, once the session is over.
type RecordAttendance struct {
	SessionID  string                     `json:"sessionId"`
	Attendance []sessionevents.Attendance `json:"attendance"`
	Request    Request                    `json:"-"`
}

// RecordAttendance handles RecordAttendance.
func (app *Application) RecordAttendance(ctx context.Context, cmd RecordAttendance) (Result, error) {
	_, res, err := app.change(ctx, "RecordAttendance", cmd, cmd.SessionID, cmd.Request, func(s *session.DialogueSession) error {
		return s.RecordAttendance(cmd.Request.Actor, cmd.Attendance, app.now())
	})
	return res, err
}

// RecordSessionOutcome records what came out of a session, once it is over.
type RecordSessionOutcome struct {
	SessionID string                   `json:"sessionId"`
	Summary   sessionevents.Text       `json:"summary"`
	FollowUps []sessionevents.FollowUp `json:"followUps,omitempty"`
	Request   Request                  `json:"-"`
}

// RecordSessionOutcome handles RecordSessionOutcome.
func (app *Application) RecordSessionOutcome(ctx context.Context, cmd RecordSessionOutcome) (Result, error) {
	_, res, err := app.change(ctx, "RecordSessionOutcome", cmd, cmd.SessionID, cmd.Request, func(s *session.DialogueSession) error {
		return s.RecordOutcome(cmd.Request.Actor, cmd.Summary, cmd.FollowUps, app.now())
	})
	return res, err
}
