package app

import (
	"context"
	"slices"

	"github.com/google/uuid"

	"passerelle.dev/events/expertevents"
	"passerelle.dev/experts/domain/expert"
)

// RosterQuery filters the roster; empty fields do not filter.
type RosterQuery struct {
	Field   string `json:"field,omitempty"`
	Country string `json:"country,omitempty"`
	First   int    `json:"first,omitempty"`
	// After is the id of the last expert of the page before. A cursor holds nothing but
	// that id, never a name: cursors end up in addresses and logs.
	After string `json:"after,omitempty"`
}

// Roster lists the experts the public roster shows: verified, consenting to it. No
// contact is in it.
func (app *Application) Roster(ctx context.Context, q RosterQuery) ([]Entry, error) {
	if q.First <= 0 || q.First > 101 {
		q.First = 50
	}
	if q.After != "" {
		if _, err := uuid.Parse(q.After); err != nil {
			return nil, ErrCursorGone
		}
		e, ok, err := app.reads.Get(ctx, q.After)
		if err != nil {
			return nil, err
		}
		if !ok || e.Status != string(expert.Verified) || !slices.Contains(e.Consents, expertevents.Roster) {
			return nil, ErrCursorGone
		}
	}
	entries, err := app.reads.Roster(ctx, q)
	for i := range entries {
		entries[i] = entries[i].Public()
	}
	return entries, err
}
