package proposal

import (
	"fmt"
	"strings"

	"passerelle.dev/kernel/fault"
	"passerelle.dev/kernel/money"
)

// Errors of proposals.
var (
	ErrNotFound      = fault.Because(fault.NotFound, "PROPOSAL_NOT_FOUND", "proposal not found")
	ErrNeedsSignIn   = fault.Because(fault.Unauthenticated, "TOKEN_NEEDED", "this needs a token")
	ErrOwnerOnly     = fault.Because(fault.Forbidden, "OWNER_ONLY", "only the association that owns the proposal can do this")
	ErrReviewersOnly = fault.Because(fault.Forbidden, "REVIEWERS_ONLY", "only coordinators and admins can do this")
	ErrAdminsDecide  = fault.Because(fault.Forbidden, "ADMINS_ONLY", "only an admin decides on a proposal")
	ErrOwnReview     = fault.Because(fault.Forbidden, "OWN_PROPOSAL", "an association never reviews its own proposal")
	ErrNotReviewed   = fault.Because(fault.Conflict, "NOT_REVIEWED", "a proposal is decided once someone reviewed it")
	// ErrConflictOfInterest refuses a review or a decision by someone who declared a
	// conflict of interest with the proposal.
	ErrConflictOfInterest = fault.Because(fault.Conflict, "CONFLICT_OF_INTEREST", "you declared a conflict of interest with this proposal: you neither review it nor decide on it")
	ErrCallNotOpenYet     = fault.Because(fault.Conflict, "CALL_NOT_OPEN_YET", "the call for proposals is not open yet")
	ErrNotVerified        = fault.Because(fault.Conflict, "ASSOCIATION_NOT_VERIFIED", "only verified associations propose projects")
)

// InvalidInputError says which field is wrong and why.
type InvalidInputError struct{ Field, Reason string }

func (e *InvalidInputError) Error() string { return e.Field + ": " + e.Reason }

// Code implements fault.Coded.
func (e *InvalidInputError) Code() fault.Code { return fault.BadUserInput }

// Details implements fault.Detailed.
func (e *InvalidInputError) Details() map[string]any { return map[string]any{"field": e.Field} }

// IncompleteError refuses to submit a proposal that lacks something.
type IncompleteError struct{ Field, Reason string }

func (e *IncompleteError) Error() string {
	return "the proposal is not complete: it needs " + e.Reason + " before it is submitted"
}

// Code implements fault.Coded.
func (e *IncompleteError) Code() fault.Code { return fault.BadUserInput }

// Details implements fault.Detailed: the field, and that it is missing rather than wrong.
func (e *IncompleteError) Details() map[string]any {
	return map[string]any{"field": e.Field, "reason": "INCOMPLETE"}
}

// BudgetAboveCeilingError refuses a budget above the call's ceiling.
type BudgetAboveCeilingError struct{ Requested, Ceiling money.Money }

func (e *BudgetAboveCeilingError) Error() string {
	return fmt.Sprintf("the budget requested, %s, is above the call's ceiling of %s", e.Requested, e.Ceiling)
}

// Code implements fault.Coded.
func (e *BudgetAboveCeilingError) Code() fault.Code { return fault.BadUserInput }

// Details implements fault.Detailed.
func (e *BudgetAboveCeilingError) Details() map[string]any {
	return map[string]any{"field": "budget", "ceiling": e.Ceiling.Decimal(), "currency": e.Ceiling.Currency}
}

// BudgetLinesError refuses budget lines that do not add up to the budget.
type BudgetLinesError struct{ Lines, Budget money.Money }

func (e *BudgetLinesError) Error() string {
	return fmt.Sprintf("the budget lines add up to %s, not to the budget of %s", e.Lines, e.Budget)
}

// Code implements fault.Coded.
func (e *BudgetLinesError) Code() fault.Code { return fault.BadUserInput }

// Details implements fault.Detailed.
func (e *BudgetLinesError) Details() map[string]any {
	return map[string]any{"field": "budgetLines", "linesTotal": e.Lines.Decimal(), "budget": e.Budget.Decimal()}
}

// TransitionError refuses a step the proposal's status does not allow.
type TransitionError struct {
	Status Status
	Verb   string
	From   []Status
}

func (e *TransitionError) Error() string {
	names := make([]string, len(e.From))
	for i, s := range e.From {
		names[i] = s.String()
	}
	return "the proposal is " + e.Status.String() + "; only a proposal that is " + strings.Join(names, " or ") + " can be " + e.Verb
}

// Code implements fault.Coded.
func (e *TransitionError) Code() fault.Code { return fault.Conflict }

// Details implements fault.Detailed.
func (e *TransitionError) Details() map[string]any {
	return map[string]any{"status": e.Status.String()}
}
