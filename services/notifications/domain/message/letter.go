package message

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"passerelle.dev/events/notificationevents"
	"passerelle.dev/kernel/fault"
)

// CoordinatorMessage is what a coordinator wrote to a session's associations.
const CoordinatorMessage Kind = "COORDINATOR_MESSAGE"

// Limits of a coordinator's message.
const (
	MaxSubjectLength = 200
	MaxBodyLength    = 5000
)

// InvalidInputError says which field of a message is wrong and why.
type InvalidInputError struct{ Field, Reason string }

func (e *InvalidInputError) Error() string { return e.Field + ": " + e.Reason }

// Code implements fault.Coded.
func (e *InvalidInputError) Code() fault.Code { return fault.BadUserInput }

// Details implements fault.Detailed.
func (e *InvalidInputError) Details() map[string]any { return map[string]any{"field": e.Field} }

// Letter is a coordinator's message, checked.
type Letter struct{ Audience, Subject, Body string }

// NewLetter checks a coordinator's message: a known audience, a subject of 3 to 200
// characters on one line, a text of 10 to 5,000.
func NewLetter(audience, subject, body string) (Letter, error) {
	l := Letter{Audience: audience, Subject: strings.Join(strings.Fields(subject), " "), Body: strings.TrimSpace(strings.ReplaceAll(body, "\r\n", "\n"))}
	switch {
	case audience != notificationevents.Registered && audience != notificationevents.Attended:
		return Letter{}, &InvalidInputError{"audience", "REGISTERED or ATTENDED"}
	case utf8.RuneCountInString(l.Subject) < 3 || utf8.RuneCountInString(l.Subject) > MaxSubjectLength:
		return Letter{}, &InvalidInputError{"subject", fmt.Sprintf("a subject of 3 to %d characters", MaxSubjectLength)}
	case utf8.RuneCountInString(l.Body) < 10 || utf8.RuneCountInString(l.Body) > MaxBodyLength:
		return Letter{}, &InvalidInputError{"body", fmt.Sprintf("a message of 10 to %d characters", MaxBodyLength)}
	}
	return l, nil
}
