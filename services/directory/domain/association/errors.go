package association

import (
	"errors"

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

// withField names the field an input error is about, for a value checked by a parser
// that serves several fields.
func withField(err error, field string) error {
	var invalid *InvalidInputError
	if errors.As(err, &invalid) {
		return &InvalidInputError{Field: field, Reason: invalid.Reason}
	}
	return err
}

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
	ErrNotFound              = fault.Because(fault.NotFound, "ASSOCIATION_NOT_FOUND", "association not found")
	ErrDissolved             = fault.Because(fault.Conflict, "ASSOCIATION_DISSOLVED", "the association is dissolved")
	ErrModerationNeedsSignIn = fault.Because(fault.Unauthenticated, "MODERATOR_TOKEN_NEEDED", "this needs a coordinator's or an admin's token")
	ErrModerationForbidden   = fault.Because(fault.Forbidden, "CITY_COORDINATORS_ONLY", "only a coordinator of the association's city or an admin can do this")
	ErrManagementNeedsSignIn = fault.Because(fault.Unauthenticated, "ASSOCIATION_TOKEN_NEEDED", "this needs the association's token or an admin's")
	ErrManagementForbidden   = fault.Because(fault.Forbidden, "ASSOCIATION_OR_ADMIN_ONLY", "only the association itself or an admin can do this")
)

// TransitionError refuses a lifecycle step the association's status does not allow.
type TransitionError struct {
	Status Status
	Verb   string
	From   Status
}

func (e *TransitionError) Error() string {
	return "the association is " + e.Status.String() + "; only a " + e.From.String() + " association can be " + e.Verb
}

// Code implements fault.Coded.
func (e *TransitionError) Code() fault.Code { return fault.Conflict }

// Details implements fault.Detailed.
func (e *TransitionError) Details() map[string]any {
	return map[string]any{"status": e.Status.String()}
}
