package app

import (
	"context"

	"passerelle.dev/events/sessionevents"
	"passerelle.dev/sessions/domain/session"
)

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
