package app

import (
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
