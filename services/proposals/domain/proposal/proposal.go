// Package proposal holds the Proposal aggregate: a development project a verified
// association proposes to a call, from its draft through review to a decision, and the
// support partners pledge to it.
package proposal

import (
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"passerelle.dev/events"
	"passerelle.dev/events/proposalevents"
	"passerelle.dev/kernel/countries"
	"passerelle.dev/kernel/money"
	"passerelle.dev/proposals/domain/call"
)

// Status is where a proposal stands.
type Status struct{ name string }

// The statuses.
var (
	Draft            = Status{"DRAFT"}
	Submitted        = Status{"SUBMITTED"}
	UnderReview      = Status{"UNDER_REVIEW"}
	ChangesRequested = Status{"CHANGES_REQUESTED"}
	Approved         = Status{"APPROVED"}
	Rejected         = Status{"REJECTED"}
	Withdrawn        = Status{"WITHDRAWN"}
)

// Statuses lists every status.
var Statuses = []Status{Draft, Submitted, UnderReview, ChangesRequested, Approved, Rejected, Withdrawn}

// String returns the status's name.
func (s Status) String() string { return s.name }

// PartnerKinds are the kinds of partners a proposal may seek and who may pledge.
var PartnerKinds = []string{"GOVERNMENT", "UNIVERSITY", "PRIVATE_SECTOR", "NGO", "INTERNATIONAL_ORGANISATION"}

// Limits of a proposal.
const (
	MaxTitleLength     = 200
	MaxSummaryLength   = 5000
	MaxDurationMonths  = 120
	MaxBudgetLines     = 50
	MaxReasonLength    = 2000
	MaxCommentLength   = 5000
	MaxInKindLength    = 1000
	MaxPartnerNameLen  = 200
	MinScore, MaxScore = 1, 5
)

// Terms are what a proposal needs to know of its call, as it stands now.
type Terms struct {
	CallID            string
	Themes            []string
	EligibleCountries []string
	Ceiling           money.Money
	Status            call.Status
}

// TermsOf reads a call's terms at now.
func TermsOf(c *call.Call, now time.Time) Terms {
	return Terms{CallID: c.ID(), Themes: c.Themes(), EligibleCountries: c.EligibleCountries(), Ceiling: c.Ceiling(), Status: c.StatusAt(now)}
}

// Content is what the owner writes. Budget amounts are decimal strings in the call's
// currency ("12500.50"), read with the currency's decimals.
type Content struct {
	Title, Summary proposalevents.Text
	Sector         string
	Countries      []string
	Budget         string
	DurationMonths int
	BudgetLines    []BudgetLineInput
	PartnerKinds   []string
	SessionID      string
}

// BudgetLineInput is a budget line as the owner writes it.
type BudgetLineInput struct{ Label, Amount string }

type review struct {
	role    string
	scores  map[string]int
	comment string
	at      time.Time
}

// Proposal is the aggregate.
type Proposal struct {
	id, callID, associationID string
	content                   proposalevents.Content
	status                    Status
	reviews                   map[string]review
	// conflicted are the reviewers (by id) who declared a conflict of interest.
	conflicted map[string]bool
	version    int64
	pending    []any
}

// mayOwn: only the association itself writes, submits and withdraws its proposals.
func mayOwn(by events.Actor, associationID string) error {
	switch {
	case !by.IsAuthenticated():
		return ErrNeedsSignIn
	case !by.SpeaksFor(associationID):
		return ErrOwnerOnly
	}
	return nil
}

// MayReview tells whether by may review, request changes and record pledges:
// coordinators and admins.
func MayReview(by events.Actor) error {
	switch {
	case !by.IsAuthenticated():
		return ErrNeedsSignIn
	case by.IsAdmin() || by.Role == events.RoleCoordinator:
		return nil
	}
	return ErrReviewersOnly
}

// check validates the content as far as it is written, against the call's terms: a
// draft may leave parts out, nothing it holds may be wrong.
func check(in Content, t Terms) (proposalevents.Content, error) {
	var out proposalevents.Content
	var err error
	if out.Title, err = call.CheckText("title", in.Title, true, MaxTitleLength); err != nil {
		return out, err
	}
	if out.Summary, err = call.CheckText("summary", in.Summary, false, MaxSummaryLength); err != nil {
		return out, err
	}
	if in.Sector != "" && !slices.Contains(t.Themes, in.Sector) {
		return out, &InvalidInputError{Field: "sector", Reason: fmt.Sprintf("the call funds %s, not %s", strings.Join(t.Themes, ", "), in.Sector)}
	}
	out.Sector = in.Sector
	if out.Countries, err = call.CheckCountries("countries", in.Countries); err != nil {
		return out, err
	}
	for _, c := range out.Countries {
		if !slices.Contains(t.EligibleCountries, c) {
			return out, &InvalidInputError{Field: "countries", Reason: fmt.Sprintf("%s (%s) is not eligible for this call", countries.Name(c), c)}
		}
	}
	currency := t.Ceiling.Currency
	out.Budget = money.Money{Currency: currency}
	if in.Budget != "" {
		if out.Budget, err = money.Parse(in.Budget, currency); err != nil {
			return out, &InvalidInputError{Field: "budget", Reason: err.Error() + " (the call's currency)"}
		}
		if out.Budget.Amount > t.Ceiling.Amount {
			return out, &BudgetAboveCeilingError{Requested: out.Budget, Ceiling: t.Ceiling}
		}
	}
	if in.DurationMonths < 0 || in.DurationMonths > MaxDurationMonths {
		return out, &InvalidInputError{Field: "durationMonths", Reason: fmt.Sprintf("between 1 and %d months", MaxDurationMonths)}
	}
	out.DurationMonths = in.DurationMonths
	if len(in.BudgetLines) > MaxBudgetLines {
		return out, &InvalidInputError{Field: "budgetLines", Reason: fmt.Sprintf("at most %d lines", MaxBudgetLines)}
	}
	for _, l := range in.BudgetLines {
		label := strings.Join(strings.Fields(l.Label), " ")
		if label == "" || utf8.RuneCountInString(label) > 200 {
			return out, &InvalidInputError{Field: "budgetLines.label", Reason: "each line needs a label of at most 200 characters"}
		}
		m, err := money.Parse(l.Amount, currency)
		if err != nil || m.Amount == 0 {
			return out, &InvalidInputError{Field: "budgetLines.amount", Reason: fmt.Sprintf("%q: each line needs an amount above zero in %s", label, currency)}
		}
		out.BudgetLines = append(out.BudgetLines, proposalevents.BudgetLine{Label: label, Amount: m.Amount})
	}
	for _, k := range in.PartnerKinds {
		if !slices.Contains(PartnerKinds, k) {
			return out, &InvalidInputError{Field: "partnerKinds", Reason: fmt.Sprintf("%q is not a kind of partner", k)}
		}
		if !slices.Contains(out.PartnerKinds, k) {
			out.PartnerKinds = append(out.PartnerKinds, k)
		}
	}
	if in.SessionID != "" {
		id, err := uuid.Parse(in.SessionID)
		if err != nil {
			return out, &InvalidInputError{Field: "sessionId", Reason: "not a session id"}
		}
		out.SessionID = id.String()
	}
	return out, nil
}

// complete checks that a proposal has everything a submission needs.
func complete(c proposalevents.Content) error {
	switch {
	case c.Summary == (proposalevents.Text{}):
		return &IncompleteError{Field: "summary", Reason: "a summary in English, French or Spanish"}
	case c.Sector == "":
		return &IncompleteError{Field: "sector", Reason: "the sector of the project"}
	case len(c.Countries) == 0:
		return &IncompleteError{Field: "countries", Reason: "the countries that benefit"}
	case c.Budget.Amount == 0:
		return &IncompleteError{Field: "budget", Reason: "the budget requested"}
	case c.DurationMonths == 0:
		return &IncompleteError{Field: "durationMonths", Reason: "the duration in months"}
	case len(c.BudgetLines) == 0:
		return &IncompleteError{Field: "budgetLines", Reason: "the budget lines"}
	}
	var sum int64
	for _, l := range c.BudgetLines {
		var ok bool
		if sum, ok = money.Add(sum, l.Amount); !ok {
			return &InvalidInputError{Field: "budgetLines", Reason: "the budget lines add up to more than can be counted"}
		}
	}
	if sum != c.Budget.Amount {
		return &BudgetLinesError{Lines: money.Money{Amount: sum, Currency: c.Budget.Currency}, Budget: c.Budget}
	}
	return nil
}

// DraftProposal begins a proposal of an association to a call: only the association
// itself (its verification is checked by the caller), to a call not yet closed.
func DraftProposal(by events.Actor, id uuid.UUID, associationID string, t Terms, in Content, now time.Time) (*Proposal, error) {
	if err := mayOwn(by, associationID); err != nil {
		return nil, err
	}
	if t.Status == call.Closed {
		return nil, call.ErrClosed
	}
	content, err := check(in, t)
	if err != nil {
		return nil, err
	}
	p := &Proposal{}
	p.record(proposalevents.ProposalDrafted{ProposalID: id.String(), CallID: t.CallID, AssociationID: associationID, Content: content, At: now.UTC()})
	return p, nil
}

// FromHistory rebuilds a proposal from its events.
func FromHistory(history []any) (*Proposal, error) {
	if len(history) == 0 {
		return nil, ErrNotFound
	}
	p := &Proposal{}
	for i, ev := range history {
		if err := p.apply(ev); err != nil {
			return nil, fmt.Errorf("proposal history, event %d: %w", i+1, err)
		}
		p.version++
	}
	return p, nil
}

func (p *Proposal) transition(verb string, from ...Status) error {
	if slices.Contains(from, p.status) {
		return nil
	}
	return &TransitionError{Status: p.status, Verb: verb, From: from}
}

// Patch is an update: nil fields stay as they are; an empty value clears.
type Patch struct {
	Title, Summary *proposalevents.Text
	Sector         *string
	Countries      *[]string
	Budget         *string
	DurationMonths *int
	BudgetLines    *[]BudgetLineInput
	PartnerKinds   *[]string
	SessionID      *string
}

// inputOf is stored content as the owner would write it.
func inputOf(c proposalevents.Content) Content {
	in := Content{Title: c.Title, Summary: c.Summary, Sector: c.Sector, Countries: c.Countries, DurationMonths: c.DurationMonths,
		PartnerKinds: c.PartnerKinds, SessionID: c.SessionID}
	if c.Budget.Amount != 0 {
		in.Budget = c.Budget.Decimal()
	}
	for _, l := range c.BudgetLines {
		in.BudgetLines = append(in.BudgetLines, BudgetLineInput{Label: l.Label, Amount: money.Money{Amount: l.Amount, Currency: c.Budget.Currency}.Decimal()})
	}
	return in
}

func set[T any](dst *T, v *T) {
	if v != nil {
		*dst = *v
	}
}

// Update changes the content: the owner, while the proposal is a draft or its changes
// were requested. An update that changes nothing records nothing; it returns the fields
// that changed.
func (p *Proposal) Update(by events.Actor, t Terms, patch Patch, now time.Time) ([]string, error) {
	if err := mayOwn(by, p.associationID); err != nil {
		return nil, err
	}
	if err := p.transition("edited", Draft, ChangesRequested); err != nil {
		return nil, err
	}
	in := inputOf(p.content)
	set(&in.Title, patch.Title)
	set(&in.Summary, patch.Summary)
	set(&in.Sector, patch.Sector)
	set(&in.Countries, patch.Countries)
	set(&in.Budget, patch.Budget)
	set(&in.DurationMonths, patch.DurationMonths)
	set(&in.BudgetLines, patch.BudgetLines)
	set(&in.PartnerKinds, patch.PartnerKinds)
	set(&in.SessionID, patch.SessionID)
	content, err := check(in, t)
	if err != nil {
		return nil, err
	}
	changed := changedFields(p.content, content)
	if len(changed) == 0 {
		return nil, nil
	}
	p.record(proposalevents.ProposalUpdated{ProposalID: p.id, Content: content, ChangedFields: changed, At: now.UTC()})
	return changed, nil
}

func changedFields(a, b proposalevents.Content) []string {
	var out []string
	for _, f := range []struct {
		name string
		same bool
	}{
		{"title", a.Title == b.Title}, {"summary", a.Summary == b.Summary}, {"sector", a.Sector == b.Sector},
		{"countries", slices.Equal(a.Countries, b.Countries)}, {"budget", a.Budget == b.Budget},
		{"durationMonths", a.DurationMonths == b.DurationMonths}, {"budgetLines", slices.Equal(a.BudgetLines, b.BudgetLines)},
		{"partnerKinds", slices.Equal(a.PartnerKinds, b.PartnerKinds)}, {"sessionId", a.SessionID == b.SessionID},
	} {
		if !f.same {
			out = append(out, f.name)
		}
	}
	return out
}

// Submit sends the proposal to its call: the owner. A draft needs the call open on the
// server's clock; a resubmission after changes were requested answers a reviewer, and is
// accepted after the call closed. Either way the proposal must be complete, its budget
// lines adding up to its budget.
func (p *Proposal) Submit(by events.Actor, t Terms, now time.Time) error {
	if err := mayOwn(by, p.associationID); err != nil {
		return err
	}
	if err := p.transition("submitted", Draft, ChangesRequested); err != nil {
		return err
	}
	resubmission := p.status == ChangesRequested
	if !resubmission {
		switch t.Status {
		case call.Upcoming:
			return ErrCallNotOpenYet
		case call.Closed:
			return call.ErrClosed
		}
	}
	if err := complete(p.content); err != nil {
		return err
	}
	// The call's terms may have changed nothing, but the ceiling is checked again: a
	// draft is checked against the call it was written for, a submission too.
	if p.content.Budget.Amount > t.Ceiling.Amount {
		return &BudgetAboveCeilingError{Requested: p.content.Budget, Ceiling: t.Ceiling}
	}
	p.record(proposalevents.ProposalSubmitted{ProposalID: p.id, Resubmission: resubmission, At: now.UTC()})
	return nil
}

// Withdraw takes the proposal back before a decision: the owner.
func (p *Proposal) Withdraw(by events.Actor, reason string, now time.Time) error {
	if err := mayOwn(by, p.associationID); err != nil {
		return err
	}
	if err := p.transition("withdrawn", Draft, Submitted, UnderReview, ChangesRequested); err != nil {
		return err
	}
	r := strings.TrimSpace(reason)
	if utf8.RuneCountInString(r) > MaxReasonLength {
		return &InvalidInputError{Field: "reason", Reason: fmt.Sprintf("at most %d characters", MaxReasonLength)}
	}
	p.record(proposalevents.ProposalWithdrawn{ProposalID: p.id, Reason: r, At: now.UTC()})
	return nil
}

// StartReview takes a submitted proposal up: coordinators and admins.
func (p *Proposal) StartReview(by events.Actor, now time.Time) error {
	if err := MayReview(by); err != nil {
		return err
	}
	if err := p.transition("taken up for review", Submitted); err != nil {
		return err
	}
	p.record(proposalevents.ProposalReviewStarted{ProposalID: p.id, At: now.UTC()})
	return nil
}

// Review scores the proposal under review, 1 to 5 on every criterion, with a comment:
// coordinators and admins, one review each; reviewing again revises it. An owner never
// reviews its own proposal.
func (p *Proposal) Review(by events.Actor, scores map[string]int, comment string, now time.Time) error {
	if by.SpeaksFor(p.associationID) {
		return ErrOwnReview
	}
	if err := MayReview(by); err != nil {
		return err
	}
	if p.conflicted[by.Subject] {
		return ErrConflictOfInterest
	}
	if err := p.transition("reviewed", UnderReview); err != nil {
		return err
	}
	if len(scores) != len(proposalevents.Criteria) {
		return &InvalidInputError{Field: "scores", Reason: "score each of " + strings.Join(proposalevents.Criteria, ", ") + " once"}
	}
	for _, c := range proposalevents.Criteria {
		s, ok := scores[c]
		if !ok {
			return &InvalidInputError{Field: "scores", Reason: "score each of " + strings.Join(proposalevents.Criteria, ", ") + " once"}
		}
		if s < MinScore || s > MaxScore {
			return &InvalidInputError{Field: "scores." + c, Reason: fmt.Sprintf("a score from %d to %d", MinScore, MaxScore)}
		}
	}
	c := strings.TrimSpace(comment)
	if c == "" || utf8.RuneCountInString(c) > MaxCommentLength {
		return &InvalidInputError{Field: "comment", Reason: fmt.Sprintf("a comment of at most %d characters is required", MaxCommentLength)}
	}
	_, revision := p.reviews[by.Subject]
	p.record(proposalevents.ProposalReviewed{ProposalID: p.id, ReviewerID: by.Subject, ReviewerRole: by.Role.String(),
		Scores: maps(scores), Comment: c, Revision: revision, At: now.UTC()})
	return nil
}

func maps(in map[string]int) map[string]int {
	out := make(map[string]int, len(in))
	for k, v := range in {
		out[k] = v
	}
	return out
}

// MaxConflictReasonLength bounds what a reviewer says of a conflict of interest.
const MaxConflictReasonLength = 500

// DeclareConflict records that by, a reviewer, has a conflict of interest with the
// proposal, before it is decided: they no longer review it or decide on it, and a review
// they gave no longer counts. Declaring it again changes nothing.
func (p *Proposal) DeclareConflict(by events.Actor, reason string, now time.Time) error {
	if err := MayReview(by); err != nil {
		return err
	}
	if err := p.transition("the subject of a conflict of interest", Draft, Submitted, UnderReview, ChangesRequested); err != nil {
		return err
	}
	r := strings.TrimSpace(reason)
	if utf8.RuneCountInString(r) < 3 || utf8.RuneCountInString(r) > MaxConflictReasonLength {
		return &InvalidInputError{Field: "reason", Reason: fmt.Sprintf("say what the conflict is, in 3 to %d characters", MaxConflictReasonLength)}
	}
	if p.conflicted[by.Subject] {
		return nil
	}
	p.record(proposalevents.ConflictOfInterestDeclared{ProposalID: p.id, ReviewerID: by.Subject, ReviewerRole: by.Role.String(), Reason: r, At: now.UTC()})
	return nil
}

// RequestChanges sends the proposal under review back to its owner, with what to
// change: coordinators and admins.
func (p *Proposal) RequestChanges(by events.Actor, reason string, now time.Time) error {
	if err := MayReview(by); err != nil {
		return err
	}
	if err := p.transition("sent back for changes", UnderReview); err != nil {
		return err
	}
	r, err := requiredReason(reason)
	if err != nil {
		return err
	}
	p.record(proposalevents.ProposalChangesRequested{ProposalID: p.id, Reason: r, At: now.UTC()})
	return nil
}

func requiredReason(reason string) (string, error) {
	r := strings.TrimSpace(reason)
	if utf8.RuneCountInString(r) < 3 || utf8.RuneCountInString(r) > MaxReasonLength {
		return "", &InvalidInputError{Field: "reason", Reason: fmt.Sprintf("a reason of 3 to %d characters is required", MaxReasonLength)}
	}
	return r, nil
}

// Decide approves or rejects the proposal under review, with a reason: admins only, and
// only once someone reviewed it.
func (p *Proposal) Decide(by events.Actor, decision, reason string, now time.Time) error {
	switch {
	case !by.IsAuthenticated():
		return ErrNeedsSignIn
	case !by.IsAdmin():
		return ErrAdminsDecide
	}
	if err := p.transition("decided", UnderReview); err != nil {
		return err
	}
	if decision != proposalevents.Approved && decision != proposalevents.Rejected {
		return &InvalidInputError{Field: "decision", Reason: "APPROVED or REJECTED"}
	}
	if p.conflicted[by.Subject] {
		return ErrConflictOfInterest
	}
	if len(p.reviews) == 0 {
		return ErrNotReviewed
	}
	r, err := requiredReason(reason)
	if err != nil {
		return err
	}
	p.record(proposalevents.ProposalDecided{ProposalID: p.id, Decision: decision, Reason: r, At: now.UTC()})
	return nil
}

// Pledge records a partner's support to a proposal under review or approved: money, or
// support in kind. Partners have no accounts: coordinators and admins record what they
// pledged.
func (p *Proposal) Pledge(by events.Actor, id uuid.UUID, partner proposalevents.Partner, m *money.Money, inKind string, now time.Time) error {
	if err := MayReview(by); err != nil {
		return err
	}
	if err := p.transition("supported", UnderReview, Approved); err != nil {
		return err
	}
	name := strings.Join(strings.Fields(partner.Name), " ")
	if name == "" || utf8.RuneCountInString(name) > MaxPartnerNameLen {
		return &InvalidInputError{Field: "partner.name", Reason: fmt.Sprintf("a name of at most %d characters is required", MaxPartnerNameLen)}
	}
	if !slices.Contains(PartnerKinds, partner.Kind) {
		return &InvalidInputError{Field: "partner.kind", Reason: fmt.Sprintf("%q is not a kind of partner", partner.Kind)}
	}
	country, ok := countries.Normalize(partner.Country)
	if !ok {
		return &InvalidInputError{Field: "partner.country", Reason: fmt.Sprintf("%q is not an ISO 3166-1 alpha-2 country code", partner.Country)}
	}
	kind := strings.TrimSpace(inKind)
	switch {
	case (m == nil) == (kind == ""):
		return &InvalidInputError{Field: "money", Reason: "a pledge is either money or support in kind"}
	case m != nil && m.Amount <= 0:
		return &InvalidInputError{Field: "money.amount", Reason: "an amount above zero"}
	case utf8.RuneCountInString(kind) > MaxInKindLength:
		return &InvalidInputError{Field: "inKind", Reason: fmt.Sprintf("at most %d characters", MaxInKindLength)}
	}
	p.record(proposalevents.SupportPledged{ProposalID: p.id, PledgeID: id.String(),
		Partner: proposalevents.Partner{Name: name, Kind: partner.Kind, Country: country}, Money: m, InKind: kind, At: now.UTC()})
	return nil
}

func (p *Proposal) record(ev any) {
	if err := p.apply(ev); err != nil {
		panic(fmt.Sprintf("proposal: recording an event it cannot apply: %v", err))
	}
	p.pending = append(p.pending, ev)
}

func (p *Proposal) apply(ev any) error {
	switch e := ev.(type) {
	case proposalevents.ProposalDrafted:
		p.id, p.callID, p.associationID, p.content, p.status = e.ProposalID, e.CallID, e.AssociationID, e.Content, Draft
		p.reviews = map[string]review{}
	case proposalevents.ProposalUpdated:
		p.content = e.Content
	case proposalevents.ProposalSubmitted:
		p.status = Submitted
	case proposalevents.ProposalWithdrawn:
		p.status = Withdrawn
	case proposalevents.ProposalReviewStarted:
		p.status = UnderReview
	case proposalevents.ConflictOfInterestDeclared:
		if p.conflicted == nil {
			p.conflicted = map[string]bool{}
		}
		p.conflicted[e.ReviewerID] = true
		delete(p.reviews, e.ReviewerID)
	case proposalevents.ProposalReviewed:
		p.reviews[e.ReviewerID] = review{role: e.ReviewerRole, scores: e.Scores, comment: e.Comment, at: e.At}
	case proposalevents.ProposalChangesRequested:
		p.status = ChangesRequested
	case proposalevents.ProposalDecided:
		p.status = Rejected
		if e.Decision == proposalevents.Approved {
			p.status = Approved
		}
	case proposalevents.SupportPledged:
	default:
		return fmt.Errorf("unknown event %T", ev)
	}
	return nil
}

// ID returns the proposal's id.
func (p *Proposal) ID() string { return p.id }

// CallID returns the call the proposal answers.
func (p *Proposal) CallID() string { return p.callID }

// AssociationID returns the owner.
func (p *Proposal) AssociationID() string { return p.associationID }

// Status returns where the proposal stands.
func (p *Proposal) Status() Status { return p.status }

// Content returns what the owner wrote.
func (p *Proposal) Content() proposalevents.Content { return p.content }

// ReviewCount returns how many reviewers reviewed it.
func (p *Proposal) ReviewCount() int { return len(p.reviews) }

// Version is the proposal's stream version as loaded.
func (p *Proposal) Version() int64 { return p.version }

// PendingEvents are the events recorded since the proposal was loaded.
func (p *Proposal) PendingEvents() []any { return append([]any(nil), p.pending...) }
