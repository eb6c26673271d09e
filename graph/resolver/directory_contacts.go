package resolver

import (
	"context"
	"sync"

	directoryapp "passerelle.dev/directory/app"
	"passerelle.dev/events"
	"passerelle.dev/graph/readmodel"
	"passerelle.dev/graph/tables"
)

// mayReadPrivate tells whether a reader may see an association's contact person and
// the reasons for its status: the association itself, coordinators of its city, admins.
// The directory checks again when it opens the contact.
func mayReadPrivate(a events.Actor, row readmodel.Association) bool {
	return a.IsAdmin() || a.SpeaksFor(row.ID) || a.CoordinatesCity(row.City)
}

// mayModerate tells whether a reader moderates an association: coordinators of its
// city and admins.
func mayModerate(a events.Actor, row readmodel.Association) bool {
	return a.IsAdmin() || a.CoordinatesCity(row.City)
}

// contactBatch collects, for one request, the sealed contacts the reader may see, and
// opens them all with one call to the directory the first time any is asked for: a
// page of fifty associations costs one call, not fifty.
type contactBatch struct {
	mu       sync.Mutex
	queued   map[string][]byte
	revealed map[string]directoryapp.RevealedContact
}

func newContactBatch() *contactBatch {
	return &contactBatch{queued: map[string][]byte{}, revealed: map[string]directoryapp.RevealedContact{}}
}

func contactsOf(ctx context.Context) *contactBatch { return batchesOf(ctx).contacts }

// forget drops the contact revealed for an association: a mutation of the request
// changed it.
func (b *contactBatch) forget(id string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	delete(b.revealed, id)
}

func (b *contactBatch) queue(id string, ciphertext []byte) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if _, done := b.revealed[id]; !done {
		b.queued[id] = ciphertext
	}
}

// get returns the revealed contact of an association queued before, opening everything
// queued so far when it is not revealed yet.
func (b *contactBatch) get(ctx context.Context, directory directoryapp.Commands, req directoryapp.Request, id string) (directoryapp.RevealedContact, bool, error) {
	// Contacts come from the directory, which records who read them: an answer with
	// one is never tagged nor kept.
	tables.ReadOutside(ctx)
	b.mu.Lock()
	defer b.mu.Unlock()
	if c, ok := b.revealed[id]; ok {
		return c, true, nil
	}
	if _, ok := b.queued[id]; !ok {
		return directoryapp.RevealedContact{}, false, nil
	}
	for len(b.queued) > 0 {
		batch := make([]directoryapp.SealedRef, 0, min(len(b.queued), directoryapp.MaxRevealBatch))
		for qid, ct := range b.queued {
			if len(batch) == directoryapp.MaxRevealBatch {
				break
			}
			batch = append(batch, directoryapp.SealedRef{AssociationID: qid, Ciphertext: ct})
		}
		opened, err := directory.RevealContacts(ctx, directoryapp.RevealContacts{Sealed: batch, Request: req})
		if err != nil {
			return directoryapp.RevealedContact{}, false, err
		}
		for _, s := range batch {
			delete(b.queued, s.AssociationID)
			if c, ok := opened[s.AssociationID]; ok {
				b.revealed[s.AssociationID] = c
			}
		}
	}
	c, ok := b.revealed[id]
	return c, ok, nil
}
