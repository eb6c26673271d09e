// Package proposalevents is the published contract of the proposals service: calls for
// proposals, the development projects associations propose to them, their review and
// the support partners pledge. Changing a field's meaning needs a new schema version and
// an upcaster.
package proposalevents

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"passerelle.dev/events"
	"passerelle.dev/kernel/money"
)

// Event type names. They are stored with every event and must never change.
const (
	CallOpenedType               = "proposals.CallOpened"
	CallClosedType               = "proposals.CallClosed"
	ProposalDraftedType          = "proposals.ProposalDrafted"
	ProposalUpdatedType          = "proposals.ProposalUpdated"
	ProposalSubmittedType        = "proposals.ProposalSubmitted"
	ProposalWithdrawnType        = "proposals.ProposalWithdrawn"
	ProposalReviewStartedType    = "proposals.ProposalReviewStarted"
	ProposalReviewedType         = "proposals.ProposalReviewed"
	ProposalChangesRequestedType = "proposals.ProposalChangesRequested"
	ProposalDecidedType          = "proposals.ProposalDecided"
	SupportPledgedType           = "proposals.SupportPledged"
	CallFundsCommittedType       = "proposals.CallFundsCommitted"
	ConflictDeclaredType         = "proposals.ConflictOfInterestDeclared"
)

// Stream prefixes.
const (
	CallStreamPrefix     = "call-"
	ProposalStreamPrefix = "proposal-"
)

// CallStreamID is the stream of a call for proposals.
func CallStreamID(id string) string { return CallStreamPrefix + id }

// ProposalStreamID is the stream of a proposal.
func ProposalStreamID(id string) string { return ProposalStreamPrefix + id }

// ProposalIDFromStream returns the proposal id of a stream, ok false for other streams.
func ProposalIDFromStream(stream string) (string, bool) {
	return strings.CutPrefix(stream, ProposalStreamPrefix)
}

// Text is a text in the languages of the dialogue.
type Text struct {
	EN string `json:"en,omitempty"`
	FR string `json:"fr,omitempty"`
	ES string `json:"es,omitempty"`
}

// CallOpened: an admin opened a call for proposals.
type CallOpened struct {
	CallID      string `json:"callId"`
	Title       Text   `json:"title"`
	Description Text   `json:"description"`
	// Themes are the directory's sectors the call funds.
	Themes []string `json:"themes"`
	// EligibleCountries are ISO 3166-1 alpha-2 codes of the countries projects may benefit.
	EligibleCountries []string `json:"eligibleCountries"`
	// Ceiling is the most a proposal may request, in the call's currency.
	Ceiling money.Money `json:"ceiling"`
	// Envelope is what the call may grant in all, one amount per currency; approvals
	// never commit more. Absent for calls opened before envelopes (their approvals are
	// not bounded).
	Envelope []money.Money `json:"envelope,omitempty"`
	OpensAt  time.Time     `json:"opensAt"`
	ClosesAt time.Time     `json:"closesAt"`
	At       time.Time     `json:"at"`
}

// CallClosed: an admin closed the call before its closing time.
type CallClosed struct {
	CallID string    `json:"callId"`
	At     time.Time `json:"at"`
}

// BudgetLine is one line of a proposal's budget, in the call's currency's minor units.
type BudgetLine struct {
	Label  string `json:"label"`
	Amount int64  `json:"amount"`
}

// Content is what an association writes in a proposal. A draft may leave parts empty;
// a submitted proposal has them all.
type Content struct {
	Title   Text   `json:"title"`
	Summary Text   `json:"summary"`
	Sector  string `json:"sector,omitempty"`
	// Countries are ISO 3166-1 alpha-2 codes of the countries that benefit.
	Countries []string `json:"countries,omitempty"`
	// Budget is the total requested, in the call's currency.
	Budget         money.Money  `json:"budget"`
	DurationMonths int          `json:"durationMonths,omitempty"`
	BudgetLines    []BudgetLine `json:"budgetLines,omitempty"`
	// PartnerKinds are the kinds of partners sought: GOVERNMENT, UNIVERSITY,
	// PRIVATE_SECTOR, NGO, INTERNATIONAL_ORGANISATION.
	PartnerKinds []string `json:"partnerKinds,omitempty"`
	// SessionID is the dialogue session where the project was presented, if any.
	SessionID string `json:"sessionId,omitempty"`
}

// ProposalDrafted: a verified association began a proposal to a call.
type ProposalDrafted struct {
	ProposalID    string    `json:"proposalId"`
	CallID        string    `json:"callId"`
	AssociationID string    `json:"associationId"`
	Content       Content   `json:"content"`
	At            time.Time `json:"at"`
}

// ProposalUpdated: the owner changed a draft, or a proposal whose changes were
// requested. Content is the whole new content; ChangedFields name what changed.
type ProposalUpdated struct {
	ProposalID    string    `json:"proposalId"`
	Content       Content   `json:"content"`
	ChangedFields []string  `json:"changedFields"`
	At            time.Time `json:"at"`
}

// ProposalSubmitted: the owner submitted the proposal to the call, or resubmitted it
// after changes were requested.
type ProposalSubmitted struct {
	ProposalID   string    `json:"proposalId"`
	Resubmission bool      `json:"resubmission,omitempty"`
	At           time.Time `json:"at"`
}

// ProposalWithdrawn: the owner withdrew the proposal before a decision.
type ProposalWithdrawn struct {
	ProposalID string    `json:"proposalId"`
	Reason     string    `json:"reason,omitempty"`
	At         time.Time `json:"at"`
}

// ProposalReviewStarted: a reviewer took the proposal up.
type ProposalReviewStarted struct {
	ProposalID string    `json:"proposalId"`
	At         time.Time `json:"at"`
}

// Criteria of a review, each scored 1 to 5.
const (
	Relevance         = "RELEVANCE"
	Feasibility       = "FEASIBILITY"
	DevelopmentImpact = "DEVELOPMENT_IMPACT"
	Partnership       = "PARTNERSHIP"
)

// Criteria lists the review criteria in the order they are shown.
var Criteria = []string{Relevance, Feasibility, DevelopmentImpact, Partnership}

// ProposalReviewed: a reviewer scored the proposal; a reviewer's later review of the
// same proposal replaces their earlier one.
type ProposalReviewed struct {
	ProposalID string `json:"proposalId"`
	// ReviewerID is the reviewer's token subject (a coordinator's id, an admin's name);
	// ReviewerRole is "coordinator" or "admin".
	ReviewerID   string `json:"reviewerId"`
	ReviewerRole string `json:"reviewerRole"`
	// Scores maps each criterion to a score from 1 to 5.
	Scores   map[string]int `json:"scores"`
	Comment  string         `json:"comment"`
	Revision bool           `json:"revision,omitempty"`
	At       time.Time      `json:"at"`
}

// ProposalChangesRequested: a reviewer sent the proposal back to its owner.
type ProposalChangesRequested struct {
	ProposalID string    `json:"proposalId"`
	Reason     string    `json:"reason"`
	At         time.Time `json:"at"`
}

// Decisions.
const (
	Approved = "APPROVED"
	Rejected = "REJECTED"
)

// ProposalDecided: an admin approved or rejected the proposal.
type ProposalDecided struct {
	ProposalID string    `json:"proposalId"`
	Decision   string    `json:"decision"`
	Reason     string    `json:"reason"`
	At         time.Time `json:"at"`
}

// Partner is who pledges: an organisation, never a private person.
type Partner struct {
	Name string `json:"name"`
	// Kind: GOVERNMENT, UNIVERSITY, PRIVATE_SECTOR, NGO or INTERNATIONAL_ORGANISATION.
	Kind string `json:"kind"`
	// Country is an ISO 3166-1 alpha-2 code.
	Country string `json:"country"`
}

// SupportPledged: a partner pledged money or support in kind to the proposal.
type SupportPledged struct {
	ProposalID string  `json:"proposalId"`
	PledgeID   string  `json:"pledgeId"`
	Partner    Partner `json:"partner"`
	// Money is set for a pledge of money, InKind for support in kind.
	Money  *money.Money `json:"money,omitempty"`
	InKind string       `json:"inKind,omitempty"`
	At     time.Time    `json:"at"`
}

// CallFundsCommitted: approving a proposal committed its budget against the call's
// envelope, in the same transaction as the decision (ProposalDecided on the proposal's
// stream): the call's stream orders every commitment, so none over-commits.
type CallFundsCommitted struct {
	CallID     string      `json:"callId"`
	ProposalID string      `json:"proposalId"`
	Amount     money.Money `json:"amount"`
	At         time.Time   `json:"at"`
}

// ConflictOfInterestDeclared: a reviewer declared a conflict of interest with the
// proposal (a relation with its owner, say). From then on they neither review it nor
// decide on it, and a review they gave no longer counts.
type ConflictOfInterestDeclared struct {
	ProposalID   string    `json:"proposalId"`
	ReviewerID   string    `json:"reviewerId"`
	ReviewerRole string    `json:"reviewerRole"`
	Reason       string    `json:"reason"`
	At           time.Time `json:"at"`
}

// Register adds the proposals service's events to a registry.
func Register(r *events.Registry) error {
	regs := []func() error{
		func() error {
			return events.Register[CallOpened](r, CallOpenedType, 2, moneyUpcast[CallOpened](scaleCall))
		},
		func() error { return events.Register[CallClosed](r, CallClosedType, 1) },
		func() error { return events.Register[CallFundsCommitted](r, CallFundsCommittedType, 1) },
		func() error { return events.Register[ConflictOfInterestDeclared](r, ConflictDeclaredType, 1) },
		func() error {
			return events.Register[ProposalDrafted](r, ProposalDraftedType, 2, moneyUpcast[ProposalDrafted](func(e *ProposalDrafted) error { return scaleContent(&e.Content) }))
		},
		func() error {
			return events.Register[ProposalUpdated](r, ProposalUpdatedType, 2, moneyUpcast[ProposalUpdated](func(e *ProposalUpdated) error { return scaleContent(&e.Content) }))
		},
		func() error { return events.Register[ProposalSubmitted](r, ProposalSubmittedType, 1) },
		func() error { return events.Register[ProposalWithdrawn](r, ProposalWithdrawnType, 1) },
		func() error { return events.Register[ProposalReviewStarted](r, ProposalReviewStartedType, 1) },
		func() error { return events.Register[ProposalReviewed](r, ProposalReviewedType, 1) },
		func() error { return events.Register[ProposalChangesRequested](r, ProposalChangesRequestedType, 1) },
		func() error { return events.Register[ProposalDecided](r, ProposalDecidedType, 1) },
		func() error {
			return events.Register[SupportPledged](r, SupportPledgedType, 2, moneyUpcast[SupportPledged](func(e *SupportPledged) error {
				if e.Money == nil {
					return nil
				}
				return scaleMoney(e.Money)
			}))
		},
	}
	for _, reg := range regs {
		if err := reg(); err != nil {
			return err
		}
	}
	return nil
}

// moneyUpcast reads version 1 of an event that holds money, whose amounts counted the
// minor units a currency displays, as version 2, whose amounts count ISO 4217's (see
// money.LegacyScale): scale rewrites the event's amounts.
func moneyUpcast[T any](scale func(*T) error) events.Upcast {
	return events.Upcast{From: 1, Up: func(data json.RawMessage) (json.RawMessage, error) {
		var e T
		if err := json.Unmarshal(data, &e); err != nil {
			return nil, err
		}
		if err := scale(&e); err != nil {
			return nil, err
		}
		return json.Marshal(e)
	}}
}

func scaleMoney(m *money.Money) error {
	a, ok := money.LegacyScale(m.Amount, m.Currency)
	if !ok {
		return fmt.Errorf("%d %s: too large in ISO 4217 minor units", m.Amount, m.Currency)
	}
	m.Amount = a
	return nil
}

func scaleCall(e *CallOpened) error { return scaleMoney(&e.Ceiling) }

// scaleContent scales a proposal's budget and its lines, all in the budget's currency.
func scaleContent(c *Content) error {
	for i := range c.BudgetLines {
		line := money.Money{Amount: c.BudgetLines[i].Amount, Currency: c.Budget.Currency}
		if err := scaleMoney(&line); err != nil {
			return err
		}
		c.BudgetLines[i].Amount = line.Amount
	}
	return scaleMoney(&c.Budget)
}
