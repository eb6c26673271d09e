package resolver

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"strings"

	"github.com/graph-gophers/graphql-go"

	"passerelle.dev/graph/tables"
	"passerelle.dev/kernel/fault"
	notificationsapp "passerelle.dev/notifications/app"
	"passerelle.dev/servicekit/auth"
)

// Mailbox resolves Query.mailbox: the notifications service answers, for admins only.
func (r *Resolver) Mailbox(ctx context.Context, args struct {
	First *int32
	After *string
}) (*MailConnectionResolver, error) {
	// The mailbox changes with every message sent: never tagged nor kept.
	tables.ReadOutside(ctx)
	if r.deps.Mail == nil {
		return nil, NewError(fault.Unavailable, "the notifications service is not configured")
	}
	q := notificationsapp.Mailbox{First: 20, Request: notificationsapp.Request{Actor: auth.ActorFrom(ctx), CorrelationID: requestInfo(ctx).CorrelationID}}
	if args.First != nil {
		if *args.First < 1 || *args.First > notificationsapp.MaxMailboxPage {
			return nil, badInput("first: from 1 to 100")
		}
		q.First = int(*args.First)
	}
	if args.After != nil {
		var pos notificationsapp.Position
		raw, err := base64.RawURLEncoding.DecodeString(*args.After)
		if err != nil || json.Unmarshal(raw, &pos) != nil || pos.ID == "" {
			return nil, badInput("after: not a cursor of the mailbox")
		}
		q.Before = &pos
	}
	page, err := r.deps.Mail.Mailbox(ctx, q)
	if err != nil {
		return nil, toGraphQL(ctx, r.deps.Logger, err)
	}
	c := &MailConnectionResolver{page: page, after: args.After != nil}
	var ids []string
	for _, m := range page.Mail {
		if m.AssociationID != "" {
			ids = append(ids, m.AssociationID)
		}
	}
	assocs, err := r.deps.Associations.GetMany(ctx, ids, visibility(auth.ActorFrom(ctx)))
	if err != nil {
		return nil, toGraphQL(ctx, r.deps.Logger, err)
	}
	for _, m := range page.Mail {
		e := &MailEdgeResolver{node: &MailResolver{m: m}}
		if a, ok := assocs[m.AssociationID]; ok {
			e.node.assoc = r.association(ctx, a)
		}
		c.edges = append(c.edges, e)
	}
	return c, nil
}

func mailCursor(m notificationsapp.Mail) string {
	b, _ := json.Marshal(notificationsapp.Position{CreatedAt: m.CreatedAt, ID: m.ID})
	return base64.RawURLEncoding.EncodeToString(b)
}

// MailConnectionResolver resolves MailConnection.
type MailConnectionResolver struct {
	page  notificationsapp.MailboxPage
	edges []*MailEdgeResolver
	after bool
}

// Edges resolves MailConnection.edges.
func (c *MailConnectionResolver) Edges() []*MailEdgeResolver { return c.edges }

// Delivery resolves MailConnection.delivery.
func (c *MailConnectionResolver) Delivery() string { return strings.ToUpper(c.page.Delivery) }

// PageInfo resolves MailConnection.pageInfo.
func (c *MailConnectionResolver) PageInfo() *PageInfoResolver {
	p := &PageInfoResolver{hasNext: c.page.HasMore, hasPrevious: c.after}
	if n := len(c.page.Mail); n > 0 {
		start, end := mailCursor(c.page.Mail[0]), mailCursor(c.page.Mail[n-1])
		p.start, p.end = &start, &end
	}
	return p
}

// MailEdgeResolver resolves MailEdge.
type MailEdgeResolver struct{ node *MailResolver }

// Cursor resolves MailEdge.cursor.
func (e *MailEdgeResolver) Cursor() string { return mailCursor(e.node.m) }

// Node resolves MailEdge.node.
func (e *MailEdgeResolver) Node() *MailResolver { return e.node }

// MailResolver resolves Mail.
type MailResolver struct {
	m     notificationsapp.Mail
	assoc *AssociationResolver
}

// Recipient resolves Mail.recipient.
func (m *MailResolver) Recipient() string {
	switch {
	case m.m.ExpertID != "":
		return "EXPERT"
	case m.m.InstitutionID != "":
		return "INSTITUTION"
	}
	return "ASSOCIATION"
}

// ID resolves Mail.id.
func (m *MailResolver) ID() graphql.ID { return globalID("Mail", m.m.ID) }

// Association resolves Mail.association.
func (m *MailResolver) Association() *AssociationResolver { return m.assoc }

// Kind resolves Mail.kind.
func (m *MailResolver) Kind() string { return m.m.Kind }

// Language resolves Mail.language.
func (m *MailResolver) Language() string { return m.m.Language }

// Subject resolves Mail.subject.
func (m *MailResolver) Subject() string { return m.m.Subject }

// Body resolves Mail.body.
func (m *MailResolver) Body() string { return m.m.Body }

// Status resolves Mail.status.
func (m *MailResolver) Status() string { return m.m.Status }

// Attempts resolves Mail.attempts.
func (m *MailResolver) Attempts() int32 { return int32(m.m.Attempts) }

// Problem resolves Mail.problem.
func (m *MailResolver) Problem() *string { return optional(m.m.Problem) }

// CreatedAt resolves Mail.createdAt.
func (m *MailResolver) CreatedAt() DateTime { return DateTime{m.m.CreatedAt} }

// SentAt resolves Mail.sentAt.
func (m *MailResolver) SentAt() *DateTime { return optionalTime(m.m.SentAt) }

// MessageSessionAssociations resolves Mutation.messageSessionAssociations.
func (r *Resolver) MessageSessionAssociations(ctx context.Context, args struct {
	SessionID      graphql.ID
	Audience       string
	Subject, Body  string
	IdempotencyKey *string
}) (*SessionMessagePayload, error) {
	id, req, err := sessionCommand(ctx, args.SessionID, args.IdempotencyKey)
	if err != nil {
		return nil, err
	}
	if r.deps.Mail == nil {
		return nil, NewError(fault.Unavailable, "the notifications service is not configured")
	}
	res, err := r.deps.Mail.MessageSessionAssociations(ctx, notificationsapp.MessageSessionAssociations{
		SessionID: id, Audience: args.Audience, Subject: args.Subject, Body: args.Body, Request: req,
	})
	if err != nil {
		return nil, toGraphQL(ctx, r.deps.Logger, err)
	}
	return &SessionMessagePayload{recipients: int32(res.Recipients), position: positionString(res.Position)}, nil
}

// SessionMessagePayload resolves SessionMessagePayload.
type SessionMessagePayload struct {
	recipients int32
	position   *string
}

// Recipients resolves SessionMessagePayload.recipients.
func (p *SessionMessagePayload) Recipients() int32 { return p.recipients }

// Position resolves SessionMessagePayload.position.
func (p *SessionMessagePayload) Position() *string { return p.position }
