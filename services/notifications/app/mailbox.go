package app

import (
	"context"
	"time"

	"passerelle.dev/kernel/fault"
)

// Mailbox asks for the messages of the outbox, newest first: admins only. Before, when
// set, continues a page (the CreatedAt and ID of its last message).
type Mailbox struct {
	First   int       `json:"first"`
	Before  *Position `json:"before,omitempty"`
	Request Request   `json:"-"`
}

// Position is a message's place in the mailbox.
type Position struct {
	CreatedAt time.Time `json:"createdAt"`
	ID        string    `json:"id"`
}

// Mail is one message of the mailbox: what was written, to which association, and
// whether it went out. It holds no address: that is opened only to send.
type Mail struct {
	ID string `json:"id"`
	// One of AssociationID, ExpertID and InstitutionID names the recipient.
	AssociationID string     `json:"associationId,omitempty"`
	ExpertID      string     `json:"expertId,omitempty"`
	InstitutionID string     `json:"institutionId,omitempty"`
	Kind          string     `json:"kind"`
	Language      string     `json:"language"`
	Subject       string     `json:"subject"`
	Body          string     `json:"body"`
	Status        string     `json:"status"`
	Attempts      int        `json:"attempts"`
	Problem       string     `json:"problem,omitempty"`
	CreatedAt     time.Time  `json:"createdAt"`
	SentAt        *time.Time `json:"sentAt,omitempty"`
}

// MailboxPage is a page of the mailbox.
type MailboxPage struct {
	Mail    []Mail `json:"mail"`
	HasMore bool   `json:"hasMore"`
	// Delivery says where mail goes: "smtp", or "folder" (the embedded default).
	Delivery string `json:"delivery"`
}

// MaxMailboxPage bounds a page.
const MaxMailboxPage = 100

// ErrAdminsOnly refuses the mailbox to anyone but admins: messages name associations
// and what happens to them.
var ErrAdminsOnly = fault.Because(fault.Forbidden, "ADMINS_ONLY", "only admins read the mailbox")

// Mailbox handles Mailbox.
func (app *Application) Mailbox(ctx context.Context, q Mailbox) (MailboxPage, error) {
	switch {
	case !q.Request.Actor.IsAuthenticated():
		return MailboxPage{}, ErrNeedsSignIn
	case !q.Request.Actor.IsAdmin():
		return MailboxPage{}, ErrAdminsOnly
	}
	if q.First <= 0 || q.First > MaxMailboxPage {
		q.First = 20
	}
	mail, more, err := app.outbox.List(ctx, q.First, q.Before)
	if err != nil {
		return MailboxPage{}, err
	}
	return MailboxPage{Mail: mail, HasMore: more, Delivery: app.delivery}, nil
}
