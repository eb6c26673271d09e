package association

import (
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

// DuplicateNameError refuses a registration whose name, once accents, case, punctuation
// and spacing are ignored, is already taken in the same city.
type DuplicateNameError struct {
	City         City
	ExistingID   string
	ExistingName string
}

func (e *DuplicateNameError) Error() string {
	return "an association named \"" + e.ExistingName + "\" is already registered in " + e.City.String() +
		"; if it is yours, use its token instead of registering again"
}

// Code implements fault.Coded.
func (e *DuplicateNameError) Code() fault.Code { return fault.Conflict }

// Details implements fault.Detailed. The existing association is public information.
func (e *DuplicateNameError) Details() map[string]any {
	return map[string]any{"existingAssociationId": e.ExistingID, "existingAssociationName": e.ExistingName}
}

// Errors of the association lifecycle.
var (
	ErrNotFound          = fault.New(fault.NotFound, "association not found")
	ErrAlreadyVerified   = fault.New(fault.Conflict, "the association is already verified")
	ErrVerifyNeedsSignIn = fault.New(fault.Unauthenticated, "verifying an association needs a coordinator's or an admin's token")
	ErrVerifyForbidden   = fault.New(fault.Forbidden, "only a coordinator of the association's city or an admin can verify it")
)
