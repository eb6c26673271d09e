package adapters

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"passerelle.dev/notifications/app"
)

// Outbox reads notifications.outbox.
type Outbox struct{ pool *pgxpool.Pool }

var _ app.Outbox = Outbox{}

// NewOutbox returns the outbox over pool.
func NewOutbox(pool *pgxpool.Pool) Outbox { return Outbox{pool: pool} }

// List implements app.Outbox: newest first.
func (o Outbox) List(ctx context.Context, first int, before *app.Position) ([]app.Mail, bool, error) {
	q := `SELECT id::text, coalesce(association_id::text, ''), coalesce(expert_id::text, ''), coalesce(institution_id::text, ''), kind, language, subject, body, status, attempts, last_error, created_at, sent_at
		FROM notifications.outbox`
	args := []any{first + 1}
	if before != nil {
		q += ` WHERE (created_at, id) < ($2, $3::uuid)`
		args = append(args, before.CreatedAt, before.ID)
	}
	rows, err := o.pool.Query(ctx, q+` ORDER BY created_at DESC, id DESC LIMIT $1`, args...)
	if err != nil {
		return nil, false, fmt.Errorf("mailbox: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (app.Mail, error) {
		var m app.Mail
		err := row.Scan(&m.ID, &m.AssociationID, &m.ExpertID, &m.InstitutionID, &m.Kind, &m.Language, &m.Subject, &m.Body, &m.Status, &m.Attempts, &m.Problem, &m.CreatedAt, &m.SentAt)
		return m, err
	})
	if err != nil {
		return nil, false, fmt.Errorf("mailbox: %w", err)
	}
	if len(out) > first {
		return out[:first], true, nil
	}
	return out, false, nil
}
