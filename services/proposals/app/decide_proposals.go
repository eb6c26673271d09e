package app

import (
	"context"
	"fmt"
	"maps"

	"github.com/google/uuid"

	"passerelle.dev/events/proposalevents"
	"passerelle.dev/kernel/fault"
	"passerelle.dev/proposals/domain/call"
	"passerelle.dev/proposals/domain/proposal"
	"passerelle.dev/servicekit/command"
)

// MaxDecisions bounds one batch of decisions (a decision meeting's list).
const MaxDecisions = 200

// Decision is one proposal's decision in a batch.
type Decision struct {
	ProposalID string `json:"proposalId"`
	// Decision is APPROVED or REJECTED.
	Decision string `json:"decision"`
	Reason   string `json:"reason"`
}

// DecideProposals records a decision meeting's decisions on proposals of one call, in
// one batch: admins only. Approvals commit their budgets against the call's envelope,
// in the order given; if any decision is refused (the envelope would be exceeded, a
// proposal is not under review…), none is recorded.
type DecideProposals struct {
	CallID    string     `json:"callId"`
	Decisions []Decision `json:"decisions"`
	Request   Request    `json:"-"`
}

// DecideProposals handles DecideProposals.
func (app *Application) DecideProposals(ctx context.Context, cmd DecideProposals) (Result, error) {
	key, err := cmd.Request.Key("DecideProposals", cmd)
	if err != nil {
		return Result{}, err
	}
	if o, ok, err := app.proposals.Replay(ctx, key); err != nil || ok {
		return Result{CallID: cmd.CallID, Position: o.Position, Replayed: ok}, err
	}
	if err := call.MayManage(cmd.Request.Actor); err != nil {
		return Result{}, err
	}
	if _, err := uuid.Parse(cmd.CallID); err != nil {
		return Result{}, call.ErrNotFound
	}
	switch {
	case len(cmd.Decisions) == 0:
		return Result{}, &proposal.InvalidInputError{Field: "decisions", Reason: "at least one decision is needed"}
	case len(cmd.Decisions) > MaxDecisions:
		return Result{}, &proposal.InvalidInputError{Field: "decisions", Reason: fmt.Sprintf("at most %d decisions at once", MaxDecisions)}
	}
	seen := map[string]bool{}
	for _, d := range cmd.Decisions {
		if _, err := uuid.Parse(d.ProposalID); err != nil {
			return Result{}, proposal.ErrNotFound
		}
		if seen[d.ProposalID] {
			return Result{}, &proposal.InvalidInputError{Field: "decisions.proposalId", Reason: fmt.Sprintf("proposal %s is decided twice", d.ProposalID)}
		}
		seen[d.ProposalID] = true
	}
	return app.decide(ctx, cmd.CallID, cmd.Decisions, cmd.Request, key)
}

// decide records decisions on proposals of one call under the call's lock: each
// proposal decides (its own rules: under review, reviewed, a reason), and each approval
// commits its budget against the envelope.
func (app *Application) decide(ctx context.Context, callID string, decisions []Decision, req Request, key command.Key) (Result, error) {
	ids := make([]string, len(decisions))
	for i, d := range decisions {
		ids[i] = d.ProposalID
	}
	o, err := app.proposals.Decide(ctx, callID, ids, req.Metadata(), key, func(c *call.Call, ps []*proposal.Proposal) error {
		now := app.now()
		for i, p := range ps {
			d := decisions[i]
			if err := p.Decide(req.Actor, d.Decision, d.Reason, now); err != nil {
				return &DecisionError{ProposalID: d.ProposalID, Err: err}
			}
			if d.Decision == proposalevents.Approved {
				if err := c.Commit(p.ID(), p.Content().Budget, now); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		return Result{}, err
	}
	return Result{CallID: callID, Position: o.Position, Replayed: o.Replayed}, nil
}

// DecisionError is a batch's refusal because of one proposal: the proposal's own error
// (its code and details), with the proposal named in the details, so that a decision
// meeting shows which line to change.
type DecisionError struct {
	ProposalID string
	Err        error
}

func (e *DecisionError) Error() string { return "proposal " + e.ProposalID + ": " + e.Err.Error() }

// Unwrap gives the proposal's error.
func (e *DecisionError) Unwrap() error { return e.Err }

// Code implements fault.Coded: the proposal's error's code.
func (e *DecisionError) Code() fault.Code { return fault.CodeOf(e.Err) }

// Details implements fault.Detailed: the proposal's error's details and its id.
func (e *DecisionError) Details() map[string]any {
	d := maps.Clone(fault.DetailsOf(e.Err))
	if d == nil {
		d = map[string]any{}
	}
	d["proposalId"] = e.ProposalID
	return d
}
