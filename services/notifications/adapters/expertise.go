package adapters

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"passerelle.dev/events/expertevents"
	"passerelle.dev/events/projector"
	"passerelle.dev/notifications/domain/message"
)

// expertise keeps what the notifier knows of institutions and requests for expertise,
// and tells experts and institutions what concerns them. Nothing about an expert but
// their id is kept: the mail names the institution and the request, never the expert.
func (w writer) expertise(ctx context.Context, payload any) error {
	tx := w.tx
	var err error
	switch e := payload.(type) {
	case expertevents.InstitutionRegistered:
		lang := e.Institution.Language
		if lang == "" {
			lang = message.Languages[0]
		}
		_, err = tx.Exec(ctx, `INSERT INTO notifications.institutions (institution_id, name, language, email) VALUES ($1, $2, $3, $4)
			ON CONFLICT (institution_id) DO UPDATE SET name = excluded.name, language = excluded.language, email = excluded.email`,
			e.InstitutionID, e.Institution.Name, lang, e.Institution.Email)
	case expertevents.InstitutionVerified:
		err = w.tellInstitution(ctx, e.InstitutionID, message.InstitutionVerified, message.Facts{Link: w.n.link("institutions", "Institution", e.InstitutionID)})
	case expertevents.InstitutionRejected:
		err = w.tellInstitution(ctx, e.InstitutionID, message.InstitutionRejected, message.Facts{Reason: e.Reason})
	case expertevents.RequestDrafted:
		_, err = tx.Exec(ctx, `INSERT INTO notifications.expertise_requests (request_id, institution_id, title, language) VALUES ($1, $2, $3, $4)
			ON CONFLICT (request_id) DO NOTHING`, e.RequestID, e.InstitutionID, e.Terms.Title, message.LanguageOf(e.Terms.Languages))
	case expertevents.RequestRevised:
		_, err = tx.Exec(ctx, `UPDATE notifications.expertise_requests SET title = $2, language = $3 WHERE request_id = $1`,
			e.RequestID, e.Terms.Title, message.LanguageOf(e.Terms.Languages))
	case expertevents.MatchProposed:
		if err = w.match(ctx, e.RequestID, e.ExpertID, true); err == nil {
			err = w.tellExpert(ctx, e.RequestID, e.ExpertID, message.ExpertProposed, message.Facts{})
		}
	case expertevents.MatchAccepted:
		err = w.tellRequestOwner(ctx, e.RequestID, message.ExpertAccepted)
	case expertevents.MatchDeclined:
		err = w.match(ctx, e.RequestID, e.ExpertID, false)
	case expertevents.MatchConfirmed:
		err = w.tellExpert(ctx, e.RequestID, e.ExpertID, message.ExpertConfirmed, message.Facts{})
	case expertevents.RequestCancelled:
		var experts []string
		rows, qerr := tx.Query(ctx, `SELECT expert_id::text FROM notifications.expertise_matches WHERE request_id = $1 AND live ORDER BY expert_id`, e.RequestID)
		if qerr != nil {
			return qerr
		}
		if experts, err = pgx.CollectRows(rows, pgx.RowTo[string]); err != nil {
			return err
		}
		for _, id := range experts {
			if err = w.tellExpert(ctx, e.RequestID, id, message.MissionCancelled, message.Facts{Reason: e.Reason}); err != nil {
				return err
			}
		}
	}
	return err
}

func (w writer) match(ctx context.Context, requestID, expertID string, live bool) error {
	_, err := w.tx.Exec(ctx, `INSERT INTO notifications.expertise_matches (request_id, expert_id, live) VALUES ($1, $2, $3)
		ON CONFLICT (request_id, expert_id) DO UPDATE SET live = excluded.live`, requestID, expertID, live)
	return err
}

// requestFacts reads a request's title and institution, and the language to write to its
// experts in.
func (w writer) requestFacts(ctx context.Context, requestID string) (f message.Facts, institutionID, lang string, err error) {
	err = w.tx.QueryRow(ctx, `SELECT r.title, r.language, r.institution_id::text, coalesce(i.name, '') FROM notifications.expertise_requests r
		LEFT JOIN notifications.institutions i USING (institution_id) WHERE r.request_id = $1`, requestID).
		Scan(&f.Request, &lang, &institutionID, &f.Institution)
	if errors.Is(err, pgx.ErrNoRows) {
		err = projector.Permanent(fmt.Errorf("request for expertise %s is unknown", requestID))
	}
	f.Link = w.n.link("requests", "ExpertiseRequest", requestID)
	return f, institutionID, lang, err
}

func (w writer) tellExpert(ctx context.Context, requestID, expertID string, kind message.Kind, extra message.Facts) error {
	if !w.fresh {
		return nil
	}
	f, _, lang, err := w.requestFacts(ctx, requestID)
	if err != nil {
		return err
	}
	f.Reason = extra.Reason
	m, err := message.Compose(kind, lang, f)
	if err != nil {
		return projector.Permanent(err)
	}
	return w.put(ctx, recipient{expert: expertID}, m)
}

func (w writer) tellRequestOwner(ctx context.Context, requestID string, kind message.Kind) error {
	if !w.fresh {
		return nil
	}
	f, institutionID, _, err := w.requestFacts(ctx, requestID)
	if err != nil {
		return err
	}
	return w.tellInstitution(ctx, institutionID, kind, f)
}

func (w writer) tellInstitution(ctx context.Context, institutionID string, kind message.Kind, f message.Facts) error {
	if !w.fresh {
		return nil
	}
	var lang string
	err := w.tx.QueryRow(ctx, `SELECT name, language FROM notifications.institutions WHERE institution_id = $1`, institutionID).Scan(&f.Institution, &lang)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil // an institution the notifier never heard of: nobody to write to
	}
	if err != nil {
		return err
	}
	m, err := message.Compose(kind, lang, f)
	if err != nil {
		return projector.Permanent(err)
	}
	return w.put(ctx, recipient{institution: institutionID}, m)
}
