package app

import (
	"context"

	"passerelle.dev/directory/domain/association"
)

// RevealContacts asks for the contact persons behind sealed contacts. Each is revealed
// only to the association itself, coordinators of its city and admins; the others are
// left out of the answer.
type RevealContacts struct {
	Sealed  []SealedRef `json:"sealed"`
	Request Request     `json:"-"`
}

// RevealedContact is a contact person, or the news that it was erased.
type RevealedContact struct {
	Contact *association.Contact `json:"contact,omitempty"`
	Erased  bool                 `json:"erased"`
}

// MaxRevealBatch bounds one RevealContacts: a page of results, not a dump.
const MaxRevealBatch = 100

// RevealContacts opens the contacts the actor may read.
func (app *Application) RevealContacts(ctx context.Context, q RevealContacts) (map[string]RevealedContact, error) {
	actor := q.Request.Actor
	out := map[string]RevealedContact{}
	if !actor.IsAuthenticated() || len(q.Sealed) == 0 {
		return out, nil
	}
	if len(q.Sealed) > MaxRevealBatch {
		return nil, &association.InvalidInputError{Field: "sealed", Reason: "at most 100 contacts at once"}
	}
	opened, err := app.vault.Open(ctx, q.Sealed)
	if err != nil {
		return nil, err
	}
	for id, o := range opened {
		if !(actor.IsAdmin() || actor.SpeaksFor(id) || (o.City != "" && actor.CoordinatesCity(o.City))) {
			continue
		}
		if o.Erased {
			out[id] = RevealedContact{Erased: true}
			continue
		}
		c := o.Contact
		out[id] = RevealedContact{Contact: &c}
	}
	return out, nil
}
