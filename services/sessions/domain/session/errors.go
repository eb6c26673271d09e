package session

import (
	"fmt"

	"passerelle.dev/events/fault"
)

// InvalidInputError says which field of a request is wrong and why.
type InvalidInputError struct {
	Field  string
	Reason string
}

func (e *InvalidInputError) Error() string { return e.Field + ": " + e.Reason }

// Code implements fault.Coded.
func (e *InvalidInputError) Code() fault.Code { return fault.BadUserInput }

// Details implements fault.Detailed.
func (e *InvalidInputError) Details() map[string]any { return map[string]any{"field": e.Field} }

// Errors of scheduling and registration.
var (
	ErrNotFound              = fault.New(fault.NotFound, "session not found")
	ErrNeedsSignIn           = fault.New(fault.Unauthenticated, "this needs a token")
	ErrModerationForbidden   = fault.New(fault.Forbidden, "only a coordinator of the session's city or an admin can do this")
	ErrRegistrationForbidden = fault.New(fault.Forbidden, "only the association itself, a coordinator of the session's city or an admin can do this")
	ErrCancelled             = fault.New(fault.Conflict, "the session is cancelled")
	ErrInThePast             = fault.New(fault.BadUserInput, "a session starts in the future")
	ErrDeadlinePassed        = fault.New(fault.Conflict, "the registration deadline has passed")
	ErrNotOverYet            = fault.New(fault.Conflict, "attendance and outcome are recorded once the session is over")
	ErrRegistrationNotFound  = fault.New(fault.NotFound, "registration not found")
	ErrRegistrationClosed    = fault.New(fault.Conflict, "the registration is already cancelled")
)

// AlreadyRegisteredError refuses a second registration of an association for a session.
type AlreadyRegisteredError struct{ RegistrationID, Status string }

func (e *AlreadyRegisteredError) Error() string {
	return "the association is already registered for this session (" + e.Status + ")"
}

// Code implements fault.Coded.
func (e *AlreadyRegisteredError) Code() fault.Code { return fault.Conflict }

// Details implements fault.Detailed.
func (e *AlreadyRegisteredError) Details() map[string]any {
	return map[string]any{"registrationId": e.RegistrationID, "status": e.Status}
}

// CapacityBelowConfirmedError refuses a capacity smaller than the seats already given.
type CapacityBelowConfirmedError struct{ Confirmed int }

func (e *CapacityBelowConfirmedError) Error() string {
	return fmt.Sprintf("%d seats are already confirmed: the capacity cannot go below that", e.Confirmed)
}

// Code implements fault.Coded.
func (e *CapacityBelowConfirmedError) Code() fault.Code { return fault.Conflict }

// Details implements fault.Detailed.
func (e *CapacityBelowConfirmedError) Details() map[string]any {
	return map[string]any{"confirmedSeats": e.Confirmed}
}

// VenueTakenError refuses a session overlapping another at the same venue.
type VenueTakenError struct{ Venue, OtherSessionID string }

func (e *VenueTakenError) Error() string {
	return "the venue " + e.Venue + " is taken by another session at that time"
}

// Code implements fault.Coded.
func (e *VenueTakenError) Code() fault.Code { return fault.Conflict }

// Details implements fault.Detailed.
func (e *VenueTakenError) Details() map[string]any {
	return map[string]any{"otherSessionId": e.OtherSessionID}
}
