package session

import (
	"fmt"

	"passerelle.dev/kernel/fault"
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
	ErrNotFound              = fault.Because(fault.NotFound, "SESSION_NOT_FOUND", "session not found")
	ErrNeedsSignIn           = fault.Because(fault.Unauthenticated, "TOKEN_NEEDED", "this needs a token")
	ErrModerationForbidden   = fault.Because(fault.Forbidden, "CITY_COORDINATORS_ONLY", "only a coordinator of the session's city or an admin can do this")
	ErrRegistrationForbidden = fault.Because(fault.Forbidden, "REGISTRATION_FORBIDDEN", "only the association itself, a coordinator of the session's city or an admin can do this")
	ErrCancelled             = fault.Because(fault.Conflict, "SESSION_CANCELLED", "the session is cancelled")
	ErrInThePast             = fault.Because(fault.BadUserInput, "SESSION_IN_THE_PAST", "a session starts in the future")
	ErrDeadlinePassed        = fault.Because(fault.Conflict, "DEADLINE_PASSED", "the registration deadline has passed")
	ErrNotOverYet            = fault.Because(fault.Conflict, "SESSION_NOT_OVER", "attendance and outcome are recorded once the session is over")
	ErrRegistrationNotFound  = fault.Because(fault.NotFound, "REGISTRATION_NOT_FOUND", "registration not found")
	ErrRegistrationClosed    = fault.Because(fault.Conflict, "REGISTRATION_ALREADY_CANCELLED", "the registration is already cancelled")
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
