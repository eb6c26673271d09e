// Package fault gives errors a stable code that survives every hop — domain, HTTP between
// services, GraphQL — so that a client can tell "your input is wrong" from "someone else
// got there first" without parsing messages.
//
// The codes are the GraphQL `extensions.code` values the gateway returns; the HTTP ports
// map them to status codes in one place (HTTPStatus).
package fault

import (
	"errors"
	"net/http"
)

// Code classifies an error for clients.
type Code string

// The codes clients can rely on.
const (
	BadUserInput    Code = "BAD_USER_INPUT"
	Unauthenticated Code = "UNAUTHENTICATED"
	Forbidden       Code = "FORBIDDEN"
	NotFound        Code = "NOT_FOUND"
	Conflict        Code = "CONFLICT"
	// Unavailable means a dependency (database, another service) did not answer in time;
	// the request may be retried.
	Unavailable Code = "UNAVAILABLE"
	// RateLimited means the client sent more requests than it may: retry after a while.
	RateLimited Code = "RATE_LIMITED"
	// Internal is everything else. Its message is never shown to clients.
	Internal Code = "INTERNAL"
	// PersistedQueryNotFound answers a persisted query's hash the server does not know
	// (yet): the client sends the document with its hash (Apollo's automatic persisted
	// queries).
	PersistedQueryNotFound Code = "PERSISTED_QUERY_NOT_FOUND"
	// PersistedQueryNotAllowed refuses a document that is not on the server's list of
	// allowed documents.
	PersistedQueryNotAllowed Code = "PERSISTED_QUERY_NOT_ALLOWED"
)

// Coded is implemented by errors that know their code. Domain packages define their own
// typed errors and implement it; Error covers the common case.
type Coded interface {
	error
	Code() Code
}

// Detailed is implemented by errors that carry machine-readable details for clients,
// such as the id of the association a duplicate name clashes with. Details must never
// hold personal data.
type Detailed interface {
	Details() map[string]any
}

// Error is a coded error with a message safe to show to the client.
type Error struct {
	code    Code
	message string
	details map[string]any
}

// New returns a coded error. Use it for sentinel errors (var ErrX = fault.New(...)) and
// compare them with errors.Is.
func New(code Code, message string) *Error {
	return &Error{code: code, message: message}
}

// Because returns a coded error with a reason: a stable name for what went wrong, in
// the details, by which a client tells it apart from the other errors of its code and
// says it in its user's language (the message is English).
func Because(code Code, reason, message string) *Error {
	return &Error{code: code, message: message, details: map[string]any{"reason": reason}}
}

// WithDetails returns a coded error with details for clients.
func WithDetails(code Code, message string, details map[string]any) *Error {
	return &Error{code: code, message: message, details: details}
}

// Error returns the client-safe message.
func (e *Error) Error() string { return e.message }

// Code returns the error's code.
func (e *Error) Code() Code { return e.code }

// Details returns the error's details, if any.
func (e *Error) Details() map[string]any { return e.details }

// CodeOf returns the code of the first coded error in err's chain, Internal if none.
func CodeOf(err error) Code {
	var c Coded
	if errors.As(err, &c) {
		return c.Code()
	}
	return Internal
}

// DetailsOf returns the details of the first detailed error in err's chain.
func DetailsOf(err error) map[string]any {
	var d Detailed
	if errors.As(err, &d) {
		return d.Details()
	}
	return nil
}

// MessageOf returns what a client may be told about err: the message of the first coded
// error in the chain, or a generic sentence for internal errors, whose text may name
// tables, hosts or personal data.
func MessageOf(err error) string {
	var c Coded
	if errors.As(err, &c) && c.Code() != Internal {
		return c.Error()
	}
	return "internal error"
}

// HTTPStatus maps a code to the HTTP status the services' ports answer with.
func HTTPStatus(code Code) int {
	switch code {
	case BadUserInput:
		return http.StatusBadRequest
	case Unauthenticated:
		return http.StatusUnauthorized
	case Forbidden:
		return http.StatusForbidden
	case NotFound:
		return http.StatusNotFound
	case Conflict:
		return http.StatusConflict
	case Unavailable:
		return http.StatusServiceUnavailable
	case RateLimited:
		return http.StatusTooManyRequests
	default:
		return http.StatusInternalServerError
	}
}

// ParseCode reads a code received from another service; unknown codes become Internal.
func ParseCode(s string) Code {
	switch c := Code(s); c {
	case BadUserInput, Unauthenticated, Forbidden, NotFound, Conflict, Unavailable, RateLimited, Internal:
		return c
	}
	return Internal
}
