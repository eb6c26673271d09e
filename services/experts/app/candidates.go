package app

import (
	"context"

	"github.com/google/uuid"

	"passerelle.dev/events"
	"passerelle.dev/experts/domain/expert"
	"passerelle.dev/experts/domain/matching"
	"passerelle.dev/experts/domain/request"
)

// CandidatesQuery asks for the ranked candidates of a request.
type CandidatesQuery struct {
	RequestID string  `json:"requestId"`
	First     int     `json:"first,omitempty"`
	Request   Request `json:"-"`
}

// Candidates ranks the experts for an open request, best first, with the reasons of
// each rank: coordinators and admins. Experts already proposed are left out.
func (app *Application) Candidates(ctx context.Context, q CandidatesQuery) ([]Candidate, error) {
	a := q.Request.Actor
	switch {
	case !a.IsAuthenticated():
		return nil, request.ErrNeedsSignIn
	case !a.IsAdmin() && a.Role != events.RoleCoordinator:
		return nil, request.ErrModeratorsOnly
	}
	if q.First <= 0 || q.First > 50 {
		q.First = 20
	}
	if _, err := uuid.Parse(q.RequestID); err != nil {
		return nil, request.ErrNotFound
	}
	e, ok, err := app.requestReads.Request(ctx, q.RequestID)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, request.ErrNotFound
	}
	if e.Status != string(request.Open) {
		return nil, request.ErrNotOpen
	}
	var exclude []string
	for _, m := range e.Matches {
		exclude = append(exclude, m.ExpertID)
	}
	profiles, err := app.requestReads.Candidates(ctx, e.Terms.Fields, exclude)
	if err != nil {
		return nil, err
	}
	ranked := matching.Rank(profiles, matching.NeedsOf(e.Terms))
	if len(ranked) > q.First {
		ranked = ranked[:q.First]
	}
	out := make([]Candidate, len(ranked))
	for i, m := range ranked {
		out[i] = Candidate{Expert: Entry{ID: m.ExpertID, Status: string(expert.Verified), Profile: profiles[m.ExpertID]}, Score: m.Score, Reasons: m.Reasons}
	}
	return out, nil
}
