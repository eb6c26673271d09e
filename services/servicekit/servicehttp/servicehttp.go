// Package servicehttp is the small HTTP+JSON convention the services speak with their
// callers: JSON bodies of bounded size, bearer tokens, a correlation id header, and
// errors as {"error": {"code", "message", "details"}} with the status that matches the
// code. The server half is used by each service's ports, the client half by its client
// package, so that a coded error crosses the process boundary intact.
package servicehttp

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"time"

	"passerelle.dev/events"
	"passerelle.dev/kernel/fault"
	"passerelle.dev/servicekit/auth"
)

// CorrelationHeader carries the correlation id of a request across services.
const CorrelationHeader = "X-Correlation-ID"

// MaxBodyBytes bounds a command's JSON body.
const MaxBodyBytes = 64 << 10

// ErrorBody is the JSON of an error response.
type ErrorBody struct {
	Error ErrorDetail `json:"error"`
}

// ErrorDetail describes an error to a client.
type ErrorDetail struct {
	Code    fault.Code     `json:"code"`
	Message string         `json:"message"`
	Details map[string]any `json:"details,omitempty"`
}

// WriteJSON writes v with status.
func WriteJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// WriteError writes err as a coded error. Internal errors are logged with their cause
// and shown to the client as "internal error".
func WriteError(w http.ResponseWriter, r *http.Request, logger *slog.Logger, err error) {
	code := fault.CodeOf(err)
	if code == fault.Internal || code == fault.Unavailable {
		logger.ErrorContext(r.Context(), "request failed", "method", r.Method, "path", r.URL.Path, "err", err)
	}
	WriteJSON(w, fault.HTTPStatus(code), ErrorBody{Error: ErrorDetail{
		Code: code, Message: fault.MessageOf(err), Details: fault.DetailsOf(err),
	}})
}

// DecodeJSON reads a request body of at most MaxBodyBytes into v, refusing unknown
// fields and trailing data.
func DecodeJSON(w http.ResponseWriter, r *http.Request, v any) error {
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, MaxBodyBytes))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return fault.New(fault.BadUserInput, fmt.Sprintf("the request body is larger than %d bytes", MaxBodyBytes))
		}
		return fault.New(fault.BadUserInput, "the request body is not valid JSON for this command: "+err.Error())
	}
	if dec.More() {
		return fault.New(fault.BadUserInput, "the request body holds more than one JSON value")
	}
	return nil
}

// Caller is who sent a request and under which correlation id.
type Caller struct {
	Actor         events.Actor
	CorrelationID string
}

// CallerOf authenticates a request. A broken token is an error, never anonymous.
func CallerOf(r *http.Request, tokens *auth.Tokens) (Caller, error) {
	actor, err := tokens.Authenticate(r)
	if err != nil {
		return Caller{}, err
	}
	corr := r.Header.Get(CorrelationHeader)
	if len(corr) > 128 {
		corr = corr[:128]
	}
	return Caller{Actor: actor, CorrelationID: corr}, nil
}

// Client calls a service. It signs a short-lived token for the actor a command is sent
// on behalf of, so that the service checks the caller itself.
type Client struct {
	baseURL string
	tokens  *auth.Tokens
	http    *http.Client
}

// NewClient returns a client of the service at baseURL. hc defaults to a client with a
// 30-second timeout.
func NewClient(baseURL string, tokens *auth.Tokens, hc *http.Client) *Client {
	if hc == nil {
		hc = &http.Client{Timeout: 30 * time.Second}
	}
	return &Client{baseURL: baseURL, tokens: tokens, http: hc}
}

// Do sends in as JSON on behalf of caller and decodes the answer into out, or returns
// the service's coded error.
func (c *Client) Do(ctx context.Context, method, path string, caller Caller, headers map[string]string, in, out any) error {
	body, err := json.Marshal(in)
	if err != nil {
		return fmt.Errorf("encode request: %w", err)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.baseURL+path, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	if caller.CorrelationID != "" {
		req.Header.Set(CorrelationHeader, caller.CorrelationID)
	}
	if caller.Actor.IsAuthenticated() {
		token, err := c.tokens.Issue(caller.Actor, time.Minute)
		if err != nil {
			return fmt.Errorf("sign token for the service call: %w", err)
		}
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return fault.WithDetails(fault.Unavailable, "a service did not answer; try again", map[string]any{"cause": "unreachable"})
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return fmt.Errorf("read %s answer: %w", path, err)
	}
	if resp.StatusCode >= 300 {
		var e ErrorBody
		if err := json.Unmarshal(data, &e); err != nil || e.Error.Code == "" {
			return fmt.Errorf("%s answered %s", path, resp.Status)
		}
		return fault.WithDetails(fault.ParseCode(string(e.Error.Code)), e.Error.Message, e.Error.Details)
	}
	if err := json.Unmarshal(data, out); err != nil {
		return fmt.Errorf("decode %s answer: %w", path, err)
	}
	return nil
}

// IdempotencyHeader carries a command's idempotency key.
const IdempotencyHeader = "Idempotency-Key"
