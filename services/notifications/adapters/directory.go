package adapters

import (
	"context"
	"fmt"

	directoryapp "passerelle.dev/directory/app"
	"passerelle.dev/events"
	expertsapp "passerelle.dev/experts/app"
)

// NotifierActor is the actor the sender opens contacts as, the directory recording it as
// the reader. It holds the admin role because the directory reveals contacts to admins
// and tokens are never issued to the system role; its subject tells it apart.
var NotifierActor = events.Actor{Role: events.RoleAdmin, Subject: "service:notifications"}

// DirectoryContacts opens contacts through the directory, which holds the keys.
type DirectoryContacts struct{ Directory directoryapp.Commands }

var _ ContactBook = DirectoryContacts{}

// Open implements ContactBook.
func (d DirectoryContacts) Open(ctx context.Context, associationID string, ciphertext []byte) (string, string, bool, error) {
	out, err := d.Directory.RevealContacts(ctx, directoryapp.RevealContacts{
		Sealed:  []directoryapp.SealedRef{{AssociationID: associationID, Ciphertext: ciphertext}},
		Request: directoryapp.Request{Actor: NotifierActor},
	})
	if err != nil {
		return "", "", false, fmt.Errorf("reveal a contact: %w", err)
	}
	c, ok := out[associationID]
	if !ok || c.Erased || c.Contact == nil || c.Contact.Email == "" {
		return "", "", false, nil
	}
	return c.Contact.Name, c.Contact.Email, true, nil
}

// ExpertsAddresses finds experts' addresses through the experts service, which opens
// their sealed profiles; an erased expert has none.
type ExpertsAddresses struct{ Experts expertsapp.Commands }

var _ ExpertBook = ExpertsAddresses{}

// Email implements ExpertBook.
func (e ExpertsAddresses) Email(ctx context.Context, expertID string) (string, bool, error) {
	x, ok, err := e.Experts.Expert(ctx, expertsapp.ExpertQuery{ExpertID: expertID, Request: expertsapp.Request{Actor: NotifierActor}})
	if err != nil {
		return "", false, fmt.Errorf("the address of expert %s: %w", expertID, err)
	}
	if !ok || x.Profile.Email == "" {
		return "", false, nil
	}
	return x.Profile.Email, true, nil
}
