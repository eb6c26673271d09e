package app

import (
	"context"
	"time"

	"passerelle.dev/events"
)

// RequestsQuery filters the requests; empty fields do not filter.
type RequestsQuery struct {
	Status  string `json:"status,omitempty"`
	Country string `json:"country,omitempty"`
	Field   string `json:"field,omitempty"`
	// InstitutionID keeps one institution's requests.
	InstitutionID string `json:"institutionId,omitempty"`
	// After is the cursor of the last request of the page before.
	After *RequestCursor `json:"after,omitempty"`
	First int            `json:"first,omitempty"`
	// Request is not sent as JSON: it travels in the headers.
	Request Request `json:"-"`
}

// RequestCursor points after a request in the newest-first order.
type RequestCursor struct {
	CreatedAt time.Time `json:"createdAt"`
	ID        string    `json:"id"`
}

// Requests lists requests for expertise: published ones for everyone; drafts for
// their institution and admins. No match is in a listing.
func (app *Application) Requests(ctx context.Context, q RequestsQuery) ([]RequestEntry, error) {
	if q.First <= 0 || q.First > 101 {
		q.First = 21
	}
	a := q.Request.Actor
	drafts := RequestDrafts{All: a.IsAdmin()}
	if a.Role == events.RoleInstitution {
		drafts.Of = a.Subject
	}
	entries, err := app.requestReads.Requests(ctx, q, drafts)
	for i := range entries {
		entries[i].Matches = nil
	}
	return entries, err
}
