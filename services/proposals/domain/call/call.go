// Package call holds the Call aggregate: a call for proposals an admin opens, with the
// themes and countries it funds, the most a proposal may request, and when proposals
// may be submitted.
package call

import (
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"passerelle.dev/events"
	"passerelle.dev/events/directoryevents"
	"passerelle.dev/events/proposalevents"
	"passerelle.dev/kernel/countries"
	"passerelle.dev/kernel/fault"
	"passerelle.dev/kernel/money"
)

// Errors of calls.
var (
	ErrNotFound    = fault.Because(fault.NotFound, "CALL_NOT_FOUND", "call for proposals not found")
	ErrNeedsSignIn = fault.Because(fault.Unauthenticated, "ADMIN_TOKEN_NEEDED", "this needs an admin's token")
	ErrAdminsOnly  = fault.Because(fault.Forbidden, "ADMINS_ONLY", "only an admin opens and closes calls for proposals")
	ErrClosed      = fault.Because(fault.Conflict, "CALL_CLOSED", "the call for proposals is closed")
)

// InvalidInputError says which field is wrong and why.
type InvalidInputError struct{ Field, Reason string }

func (e *InvalidInputError) Error() string { return e.Field + ": " + e.Reason }

// Code implements fault.Coded.
func (e *InvalidInputError) Code() fault.Code { return fault.BadUserInput }

// Details implements fault.Detailed.
func (e *InvalidInputError) Details() map[string]any { return map[string]any{"field": e.Field} }

// Status is where a call stands at a given time.
type Status struct{ name string }

// The statuses.
var (
	Upcoming = Status{"UPCOMING"}
	Open     = Status{"OPEN"}
	Closed   = Status{"CLOSED"}
)

// String returns the status's name.
func (s Status) String() string { return s.name }

// Limits of a call.
const (
	MaxTitleLength       = 200
	MaxDescriptionLength = 5000
)

// Terms are what an admin gives to open a call.
type Terms struct {
	Title, Description proposalevents.Text
	Themes             []string
	EligibleCountries  []string
	Ceiling            money.Money
	// Envelope is what the call may grant in all, one amount per currency; it must
	// cover the ceiling's currency (the one proposals request in). Optional.
	Envelope          []money.Money
	OpensAt, ClosesAt time.Time
}

// Call is the aggregate.
type Call struct {
	id                string
	themes, countries []string
	ceiling           money.Money
	// envelope and committed map a currency to minor units; envelope is nil for a
	// call without one.
	envelope, committed map[string]int64
	opensAt, closesAt   time.Time
	closed              bool
	version             int64
	pending             []any
}

// EnvelopeExceededError refuses an approval whose budget is more than what remains of
// the call's envelope in its currency.
type EnvelopeExceededError struct {
	ProposalID           string
	Requested, Remaining money.Money
}

func (e *EnvelopeExceededError) Error() string {
	return fmt.Sprintf("approving proposal %s would commit %s, but %s remains of the call's envelope", e.ProposalID,
		e.Requested.Decimal()+" "+e.Requested.Currency, e.Remaining.Decimal()+" "+e.Remaining.Currency)
}

// Code implements fault.Coded.
func (e *EnvelopeExceededError) Code() fault.Code { return fault.Conflict }

// Details implements fault.Detailed.
func (e *EnvelopeExceededError) Details() map[string]any {
	return map[string]any{"reason": "ENVELOPE_EXCEEDED", "proposalId": e.ProposalID, "currency": e.Requested.Currency,
		"requested": e.Requested.Decimal(), "remaining": e.Remaining.Decimal()}
}

// checkEnvelope checks an envelope: known currencies, each once, amounts above zero, and
// the ceiling's currency among them.
func checkEnvelope(envelope []money.Money, ceiling money.Money) ([]money.Money, error) {
	if len(envelope) == 0 {
		return nil, nil
	}
	var out []money.Money
	seen := map[string]bool{}
	covers := false
	for _, m := range envelope {
		if _, _, err := money.ParseCurrency(m.Currency); err != nil {
			return nil, &InvalidInputError{Field: "envelope.currency", Reason: err.Error()}
		}
		if seen[m.Currency] {
			return nil, &InvalidInputError{Field: "envelope", Reason: fmt.Sprintf("%s is given twice: one amount per currency", m.Currency)}
		}
		seen[m.Currency] = true
		if m.Amount <= 0 {
			return nil, &InvalidInputError{Field: "envelope.amount", Reason: "an amount above zero is required"}
		}
		if m.Currency == ceiling.Currency {
			covers = true
			if m.Amount < ceiling.Amount {
				return nil, &InvalidInputError{Field: "envelope.amount", Reason: "the envelope is smaller than what one proposal may request"}
			}
		}
		out = append(out, m)
	}
	if !covers {
		return nil, &InvalidInputError{Field: "envelope", Reason: fmt.Sprintf("the envelope must have an amount in %s, the currency proposals request in", ceiling.Currency)}
	}
	return out, nil
}

// MayManage tells whether by may open and close calls: admins only.
func MayManage(by events.Actor) error {
	switch {
	case !by.IsAuthenticated():
		return ErrNeedsSignIn
	case !by.IsAdmin():
		return ErrAdminsOnly
	}
	return nil
}

// CheckText trims a localized text and checks that at least one language is given
// (when required) and none is longer than max.
func CheckText(field string, t proposalevents.Text, required bool, max int) (proposalevents.Text, error) {
	t = proposalevents.Text{EN: strings.TrimSpace(t.EN), FR: strings.TrimSpace(t.FR), ES: strings.TrimSpace(t.ES)}
	if required && t.EN == "" && t.FR == "" && t.ES == "" {
		return t, &InvalidInputError{Field: field, Reason: "a text in English, French or Spanish is required"}
	}
	for lang, s := range map[string]string{"en": t.EN, "fr": t.FR, "es": t.ES} {
		if utf8.RuneCountInString(s) > max {
			return t, &InvalidInputError{Field: field + "." + lang, Reason: fmt.Sprintf("at most %d characters", max)}
		}
	}
	return t, nil
}

// CheckCountries normalises ISO 3166-1 alpha-2 codes, refusing unknown ones and
// dropping repeats.
func CheckCountries(field string, in []string) ([]string, error) {
	var out []string
	for _, s := range in {
		code, ok := countries.Normalize(s)
		if !ok {
			return nil, &InvalidInputError{Field: field, Reason: fmt.Sprintf("%q is not an ISO 3166-1 alpha-2 country code", s)}
		}
		if !slices.Contains(out, code) {
			out = append(out, code)
		}
	}
	return out, nil
}

// OpenCall opens a call for proposals: admins only. It may open at once (OpensAt in the
// past) but must close in the future.
func OpenCall(by events.Actor, id uuid.UUID, t Terms, now time.Time) (*Call, error) {
	if err := MayManage(by); err != nil {
		return nil, err
	}
	title, err := CheckText("title", t.Title, true, MaxTitleLength)
	if err != nil {
		return nil, err
	}
	description, err := CheckText("description", t.Description, true, MaxDescriptionLength)
	if err != nil {
		return nil, err
	}
	if len(t.Themes) == 0 {
		return nil, &InvalidInputError{Field: "themes", Reason: "name at least one theme"}
	}
	var themes []string
	for _, th := range t.Themes {
		if !slices.Contains(directoryevents.Sectors, th) {
			return nil, &InvalidInputError{Field: "themes", Reason: fmt.Sprintf("%q is not a sector", th)}
		}
		if !slices.Contains(themes, th) {
			themes = append(themes, th)
		}
	}
	eligible, err := CheckCountries("eligibleCountries", t.EligibleCountries)
	if err != nil {
		return nil, err
	}
	if len(eligible) == 0 {
		return nil, &InvalidInputError{Field: "eligibleCountries", Reason: "name at least one country"}
	}
	if _, _, err := money.ParseCurrency(t.Ceiling.Currency); err != nil {
		return nil, &InvalidInputError{Field: "budgetCeiling.currency", Reason: err.Error()}
	}
	if t.Ceiling.Amount <= 0 {
		return nil, &InvalidInputError{Field: "budgetCeiling.amount", Reason: "a ceiling above zero is required"}
	}
	envelope, err := checkEnvelope(t.Envelope, t.Ceiling)
	if err != nil {
		return nil, err
	}
	switch {
	case t.OpensAt.IsZero() || t.ClosesAt.IsZero():
		return nil, &InvalidInputError{Field: "closesAt", Reason: "opening and closing times are required"}
	case !t.ClosesAt.After(t.OpensAt):
		return nil, &InvalidInputError{Field: "closesAt", Reason: "a call closes after it opens"}
	case !t.ClosesAt.After(now):
		return nil, &InvalidInputError{Field: "closesAt", Reason: "a call closes in the future"}
	}
	c := &Call{}
	c.record(proposalevents.CallOpened{
		CallID: id.String(), Title: title, Description: description, Themes: themes, EligibleCountries: eligible,
		Ceiling: t.Ceiling, Envelope: envelope, OpensAt: t.OpensAt.UTC(), ClosesAt: t.ClosesAt.UTC(), At: now.UTC(),
	})
	return c, nil
}

// Commit commits an approved proposal's budget against the envelope, refusing what
// would exceed it (EnvelopeExceededError). A call without an envelope commits anything.
// Approvals of one call are decided under its lock, so commitments never race.
func (c *Call) Commit(proposalID string, budget money.Money, now time.Time) error {
	if c.envelope != nil {
		remaining := money.Money{Amount: c.envelope[budget.Currency] - c.committed[budget.Currency], Currency: budget.Currency}
		if budget.Amount > remaining.Amount {
			return &EnvelopeExceededError{ProposalID: proposalID, Requested: budget, Remaining: remaining}
		}
	}
	c.record(proposalevents.CallFundsCommitted{CallID: c.id, ProposalID: proposalID, Amount: budget, At: now.UTC()})
	return nil
}

// FromHistory rebuilds a call from its events.
func FromHistory(history []any) (*Call, error) {
	if len(history) == 0 {
		return nil, ErrNotFound
	}
	c := &Call{}
	for i, ev := range history {
		if err := c.apply(ev); err != nil {
			return nil, fmt.Errorf("call history, event %d: %w", i+1, err)
		}
		c.version++
	}
	return c, nil
}

// Close closes the call now, before its closing time: admins only.
func (c *Call) Close(by events.Actor, now time.Time) error {
	if err := MayManage(by); err != nil {
		return err
	}
	if c.StatusAt(now) == Closed {
		return ErrClosed
	}
	c.record(proposalevents.CallClosed{CallID: c.id, At: now.UTC()})
	return nil
}

// StatusAt is the call's status at now.
func (c *Call) StatusAt(now time.Time) Status {
	switch {
	case c.closed || !now.Before(c.closesAt):
		return Closed
	case now.Before(c.opensAt):
		return Upcoming
	}
	return Open
}

func (c *Call) record(ev any) {
	if err := c.apply(ev); err != nil {
		panic(fmt.Sprintf("call: recording an event it cannot apply: %v", err))
	}
	c.pending = append(c.pending, ev)
}

func (c *Call) apply(ev any) error {
	switch e := ev.(type) {
	case proposalevents.CallOpened:
		c.id, c.themes, c.countries, c.ceiling, c.opensAt, c.closesAt = e.CallID, e.Themes, e.EligibleCountries, e.Ceiling, e.OpensAt, e.ClosesAt
		if len(e.Envelope) > 0 {
			c.envelope = map[string]int64{}
			for _, m := range e.Envelope {
				c.envelope[m.Currency] = m.Amount
			}
		}
	case proposalevents.CallClosed:
		c.closed = true
	case proposalevents.CallFundsCommitted:
		if c.committed == nil {
			c.committed = map[string]int64{}
		}
		c.committed[e.Amount.Currency] += e.Amount.Amount
	default:
		return fmt.Errorf("unknown event %T", ev)
	}
	return nil
}

// ID returns the call's id.
func (c *Call) ID() string { return c.id }

// Themes returns the sectors the call funds.
func (c *Call) Themes() []string { return slices.Clone(c.themes) }

// EligibleCountries returns the countries projects may benefit.
func (c *Call) EligibleCountries() []string { return slices.Clone(c.countries) }

// Ceiling returns the most a proposal may request.
func (c *Call) Ceiling() money.Money { return c.ceiling }

// Committed is what approvals committed in currency, in minor units.
func (c *Call) Committed(currency string) int64 { return c.committed[currency] }

// Version is the call's stream version as loaded.
func (c *Call) Version() int64 { return c.version }

// PendingEvents are the events recorded since the call was loaded.
func (c *Call) PendingEvents() []any { return append([]any(nil), c.pending...) }
