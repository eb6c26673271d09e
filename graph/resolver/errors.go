package resolver

import (
	"context"
	"errors"
	"log/slog"

	"passerelle.dev/kernel/fault"
)

// Error is a GraphQL error with a code in its extensions. Every error a resolver returns
// goes through toGraphQL, the one place codes are decided for GraphQL clients.
type Error struct {
	code    fault.Code
	message string
	details map[string]any
}

// Error returns the message shown to the client.
func (e *Error) Error() string { return e.message }

// Code returns the error's code.
func (e *Error) Code() fault.Code { return e.code }

// Extensions is read by graphql-go and becomes the error's "extensions".
func (e *Error) Extensions() map[string]any {
	ext := make(map[string]any, len(e.details)+1)
	for k, v := range e.details {
		ext[k] = v
	}
	ext["code"] = string(e.code)
	return ext
}

// NewError returns a GraphQL error with a code.
func NewError(code fault.Code, message string) *Error {
	return &Error{code: code, message: message}
}

func badInput(message string) *Error { return NewError(fault.BadUserInput, message) }

// toGraphQL turns any error into a coded GraphQL error. Internal errors are logged with
// their cause and reach the client as "internal error": their text may name tables,
// hosts or personal data.
func toGraphQL(ctx context.Context, logger *slog.Logger, err error) error {
	if err == nil {
		return nil
	}
	var ge *Error
	if errors.As(err, &ge) {
		return ge
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return NewError(fault.Unavailable, "the request took too long; try again")
	}
	if errors.Is(err, context.Canceled) && ctx.Err() != nil {
		// The client went away (a browser left the page): nothing failed here.
		return NewError(fault.Unavailable, "the request was cancelled")
	}
	code := fault.CodeOf(err)
	if code == fault.Internal || code == fault.Unavailable {
		logger.ErrorContext(ctx, "resolver failed", "err", err)
	}
	return &Error{code: code, message: fault.MessageOf(err), details: globalIDs(fault.DetailsOf(err))}
}

// globalIDs rewrites the ids services put in error details into the ids GraphQL clients
// know.
func globalIDs(details map[string]any) map[string]any {
	var out map[string]any
	for key, kind := range map[string]string{"existingAssociationId": kindAssociation, "proposalId": kindProposal} {
		id, ok := details[key].(string)
		if !ok {
			continue
		}
		if out == nil {
			out = make(map[string]any, len(details))
			for k, v := range details {
				out[k] = v
			}
		}
		out[key] = string(globalID(kind, id))
	}
	if out == nil {
		return details
	}
	return out
}
