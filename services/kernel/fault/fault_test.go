package fault_test

import (
	"errors"
	"fmt"
	"testing"

	"passerelle.dev/kernel/fault"
)

type nameTaken struct{ existing string }

func (e nameTaken) Error() string           { return "name taken by " + e.existing }
func (e nameTaken) Code() fault.Code        { return fault.Conflict }
func (e nameTaken) Details() map[string]any { return map[string]any{"existing": e.existing} }

var errGone = fault.New(fault.NotFound, "association not found")

func TestCodesSurviveWrapping(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name        string
		err         error
		wantCode    fault.Code
		wantMessage string
		wantDetails bool
	}{
		{"sentinel", errGone, fault.NotFound, "association not found", false},
		{"wrapped sentinel", fmt.Errorf("load: %w", errGone), fault.NotFound, "association not found", false},
		{"typed with details", fmt.Errorf("register: %w", nameTaken{"a-1"}), fault.Conflict, "name taken by a-1", true},
		{"plain error hides its text", errors.New("pq: relation users does not exist"), fault.Internal, "internal error", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := fault.CodeOf(c.err); got != c.wantCode {
				t.Errorf("code %s, want %s", got, c.wantCode)
			}
			if got := fault.MessageOf(c.err); got != c.wantMessage {
				t.Errorf("message %q, want %q", got, c.wantMessage)
			}
			if got := fault.DetailsOf(c.err) != nil; got != c.wantDetails {
				t.Errorf("details present %v, want %v", got, c.wantDetails)
			}
		})
	}
	if !errors.Is(fmt.Errorf("x: %w", errGone), errGone) {
		t.Error("errors.Is must find a wrapped sentinel")
	}
}

func TestHTTPStatusAndParseRoundTrip(t *testing.T) {
	t.Parallel()
	for _, c := range []fault.Code{fault.BadUserInput, fault.Unauthenticated, fault.Forbidden, fault.NotFound, fault.Conflict, fault.Unavailable, fault.Internal} {
		if fault.ParseCode(string(c)) != c {
			t.Errorf("%s does not round-trip", c)
		}
		if fault.HTTPStatus(c) < 400 {
			t.Errorf("%s maps to a success status", c)
		}
	}
	if fault.ParseCode("TEAPOT") != fault.Internal {
		t.Error("unknown codes must become INTERNAL")
	}
}
