package gateway_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"passerelle.dev/kernel/pgtest"
)

const mailboxQuery = `query($first: Int, $after: String) { mailbox(first: $first, after: $after) { delivery
  edges { cursor node { kind language subject body status problem sentAt association { name } } }
  pageInfo { hasNextPage endCursor } } }`

type mailbox struct {
	Delivery string `json:"delivery"`
	Edges    []struct {
		Cursor string `json:"cursor"`
		Node   struct {
			Kind        string  `json:"kind"`
			Language    string  `json:"language"`
			Subject     string  `json:"subject"`
			Body        string  `json:"body"`
			Status      string  `json:"status"`
			Problem     *string `json:"problem"`
			SentAt      *string `json:"sentAt"`
			Association *struct {
				Name string `json:"name"`
			} `json:"association"`
		} `json:"node"`
	} `json:"edges"`
	PageInfo struct {
		HasNextPage bool    `json:"hasNextPage"`
		EndCursor   *string `json:"endCursor"`
	} `json:"pageInfo"`
}

// eml is the mail folder's messages, read as the recipients would.
func (p *platform) eml(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(p.mailDir, "*.eml"))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, string(b))
	}
	return out
}

func TestAssociationsAreToldInTheirLanguageAndAdminsReadTheMailbox(t *testing.T) {
	t.Parallel()
	p := start(t, db.Fresh(t), true)
	p.clock.set(sessionsEpoch)
	a := p.actors(t)
	reg := decode[registered](t, p.gql(t, "", registerMutation, map[string]any{"input": map[string]any{
		"name": "Colombianos en Bruselas", "city": "brussels", "originCountries": []string{"CO"}, "languages": []string{"es", "fr"},
		"contact": map[string]any{"name": "Ana Gómez", "email": "ana@colombianos.test"},
	}}), "registerAssociation")
	p.mustDo(t, a.brussels, `mutation($id: ID!) { verifyAssociation(id: $id) { association { status } } }`, map[string]any{"id": reg.Association.ID})
	s := p.schedule(t, a.brussels, sessionInput("brussels", "Résidence Palace", "2027-02-10T18:00", 10))
	p.mustDo(t, reg.Token, registerForSessionMutation, map[string]any{"sessionId": s.ID, "associationId": reg.Association.ID, "seats": 2})

	var box mailbox
	pgtest.Eventually(t, 10*time.Second, "two messages sent", func() (bool, error) {
		box = decode[mailbox](t, p.gql(t, a.admin, mailboxQuery, nil), "mailbox")
		return len(box.Edges) == 2 && box.Edges[0].Node.Status == "SENT" && box.Edges[1].Node.Status == "SENT", nil
	})
	newest, first := box.Edges[0].Node, box.Edges[1].Node
	if box.Delivery != "FOLDER" || first.Kind != "ASSOCIATION_VERIFIED" || first.Language != "es" || first.Subject != "Su asociación está verificada" ||
		newest.Kind != "REGISTRATION_CONFIRMED" || !strings.Contains(newest.Body, "miércoles 10 de febrero de 2027, 18:00 (UTC+01:00)") ||
		newest.Association == nil || newest.Association.Name != "Colombianos en Bruselas" {
		t.Fatalf("mailbox %+v", box)
	}
	if strings.Contains(newest.Body+first.Body, "ana@colombianos.test") {
		t.Fatal("the mailbox shows the contact's address")
	}
	files := p.eml(t)
	if len(files) != 2 || !strings.Contains(files[0], "ana@colombianos.test") || !strings.Contains(files[0], "Content-Language: es") {
		t.Fatalf("the mail folder holds %d messages: %v", len(files), files)
	}

	// Only admins read the mailbox.
	for _, c := range []struct{ token, code string }{{"", "UNAUTHENTICATED"}, {a.brussels, "FORBIDDEN"}, {reg.Token, "FORBIDDEN"}} {
		if r := p.gql(t, c.token, mailboxQuery, nil); r.code() != c.code {
			t.Fatalf("got %q, want %s: %s", r.code(), c.code, r.raw)
		}
	}
	if r := p.gql(t, a.admin, mailboxQuery, map[string]any{"first": 500}); r.code() != "BAD_USER_INPUT" {
		t.Fatalf("500 at once: %s", r.raw)
	}
	page := decode[mailbox](t, p.gql(t, a.admin, mailboxQuery, map[string]any{"first": 1}), "mailbox")
	next := decode[mailbox](t, p.gql(t, a.admin, mailboxQuery, map[string]any{"first": 1, "after": *page.PageInfo.EndCursor}), "mailbox")
	if !page.PageInfo.HasNextPage || len(next.Edges) != 1 || next.Edges[0].Node.Kind != "ASSOCIATION_VERIFIED" || next.PageInfo.HasNextPage {
		t.Fatalf("pages %+v then %+v", page, next)
	}

	// The association forgets its contact person: the next message goes to nobody.
	p.mustDo(t, reg.Token, `mutation($id: ID!) { forgetAssociationContact(id: $id) { association { id } } }`, map[string]any{"id": reg.Association.ID})
	p.mustDo(t, a.brussels, `mutation($s: ID!) { cancelSession(sessionId: $s, reason: "the venue is closed") { session { id } } }`, map[string]any{"s": s.ID})
	pgtest.Eventually(t, 10*time.Second, "the cancellation handled", func() (bool, error) {
		box = decode[mailbox](t, p.gql(t, a.admin, mailboxQuery, nil), "mailbox")
		return len(box.Edges) == 3 && box.Edges[0].Node.Status != "PENDING", nil
	})
	if n := box.Edges[0].Node; n.Kind != "SESSION_CANCELLED" || n.Status != "DROPPED" || n.SentAt != nil {
		t.Fatalf("after the contact was forgotten: %+v", n)
	}
	if files := p.eml(t); len(files) != 2 {
		t.Fatalf("a forgotten contact was written to: %d messages in the folder", len(files))
	}
}

const letterMutation = `mutation($s: ID!, $a: MessageAudience!, $subject: String!, $body: String!, $key: String) {
  messageSessionAssociations(sessionId: $s, audience: $a, subject: $subject, body: $body, idempotencyKey: $key) { recipients position } }`

func TestCoordinatorsWriteToTheAssociationsOfASession(t *testing.T) {
	t.Parallel()
	p := start(t, db.Fresh(t), false)
	p.clock.set(sessionsEpoch)
	a := p.actors(t)
	reg := decode[registered](t, p.gql(t, "", registerMutation, map[string]any{"input": map[string]any{
		"name": "Diaspora malienne de Bruxelles", "city": "brussels", "originCountries": []string{"ML"}, "languages": []string{"fr"},
		"contact": map[string]any{"name": "Awa Traoré", "email": "awa@maliens.test"},
	}}), "registerAssociation")
	p.mustDo(t, a.brussels, `mutation($id: ID!) { verifyAssociation(id: $id) { association { status } } }`, map[string]any{"id": reg.Association.ID})
	s := p.schedule(t, a.brussels, sessionInput("brussels", "Résidence Palace", "2027-02-10T18:00", 10))
	p.mustDo(t, reg.Token, registerForSessionMutation, map[string]any{"sessionId": s.ID, "associationId": reg.Association.ID, "seats": 2})
	vars := func(audience, subject, body string) map[string]any {
		return map[string]any{"s": s.ID, "a": audience, "subject": subject, "body": body}
	}
	text := "Please bring your questions for the Ministry of Health.\n{association} — not a placeholder."
	for _, c := range []struct {
		name, token  string
		vars         map[string]any
		code, reason string
	}{
		{"anonymous", "", vars("REGISTERED", "Programme", text), "UNAUTHENTICATED", ""},
		{"the association", reg.Token, vars("REGISTERED", "Programme", text), "FORBIDDEN", ""},
		{"another city's coordinator", a.london, vars("REGISTERED", "Programme", text), "FORBIDDEN", ""},
		{"no subject", a.brussels, vars("REGISTERED", " ", text), "BAD_USER_INPUT", ""},
		{"a short text", a.brussels, vars("REGISTERED", "Programme", "Hi"), "BAD_USER_INPUT", ""},
		{"nobody came yet", a.brussels, vars("ATTENDED", "Thank you", text), "CONFLICT", "NO_RECIPIENTS"},
		{"an unknown session", a.brussels, map[string]any{"s": "nope", "a": "REGISTERED", "subject": "Programme", "body": text}, "BAD_USER_INPUT", ""},
	} {
		written := p.events(t)
		r := p.gql(t, c.token, letterMutation, c.vars)
		if r.code() != c.code || (c.reason != "" && r.reason() != c.reason) {
			t.Fatalf("%s: got %q %q, want %s: %s", c.name, r.code(), r.reason(), c.code, r.raw)
		}
		if p.events(t) != written {
			t.Fatalf("%s: a refused message wrote events", c.name)
		}
	}
	key := "letter-" + s.ID
	first := decode[struct{ Recipients int }](t, p.gql(t, a.brussels, letterMutation, map[string]any{"s": s.ID, "a": "REGISTERED",
		"subject": "Programme of 10 February", "body": text, "key": key}), "messageSessionAssociations")
	again := decode[struct{ Recipients int }](t, p.gql(t, a.brussels, letterMutation, map[string]any{"s": s.ID, "a": "REGISTERED",
		"subject": "Programme of 10 February", "body": text, "key": key}), "messageSessionAssociations")
	if first.Recipients != 1 || again.Recipients != 1 {
		t.Fatalf("written to %d, then %d", first.Recipients, again.Recipients)
	}
	var box mailbox
	pgtest.Eventually(t, 10*time.Second, "the coordinator's message sent", func() (bool, error) {
		box = decode[mailbox](t, p.gql(t, a.admin, mailboxQuery, nil), "mailbox")
		return len(box.Edges) == 3 && box.Edges[0].Node.Status == "SENT", nil
	})
	m := box.Edges[0].Node
	if m.Kind != "COORDINATOR_MESSAGE" || m.Subject != "Programme of 10 February" || m.Language != "fr" ||
		!strings.Contains(m.Body, "les coordinateurs de Brussels vous écrivent") && !strings.Contains(m.Body, "les coordinateurs de Bruxelles vous écrivent") ||
		!strings.Contains(m.Body, text) {
		t.Fatalf("the message: %+v", m)
	}
}

// When its key changes — a repeat of its registration reissued it, whoever sent the
// repeat — the association is told at once, in its language, at its contact's address.
func TestAnAssociationIsToldWhenItsKeyChanges(t *testing.T) {
	t.Parallel()
	p := start(t, db.Fresh(t), false)
	a := p.actors(t)
	vars := map[string]any{"key": uuid.NewString(), "input": map[string]any{
		"name": "Maliens de Genève", "city": "geneva", "originCountries": []string{"ML"}, "languages": []string{"fr"},
		"contact": map[string]any{"name": "Awa Traoré", "email": "awa@maliens.test"},
	}}
	first := decode[registered](t, p.gql(t, "", fullRegistration, vars), "registerAssociation")
	again := decode[registered](t, p.gql(t, "", fullRegistration, vars), "registerAssociation")
	if again.Token == first.Token {
		t.Fatal("the repeat did not reissue the key")
	}
	var box mailbox
	pgtest.Eventually(t, 10*time.Second, "the new key told", func() (bool, error) {
		box = decode[mailbox](t, p.gql(t, a.admin, mailboxQuery, nil), "mailbox")
		return len(box.Edges) == 1 && box.Edges[0].Node.Status == "SENT", nil
	})
	if n := box.Edges[0].Node; n.Kind != "ASSOCIATION_KEY_RENEWED" || n.Language != "fr" || n.Subject != "Votre association a une nouvelle clé" {
		t.Fatalf("the message: %+v", n)
	}
	if files := p.eml(t); len(files) != 1 || !strings.Contains(files[0], "awa@maliens.test") {
		t.Fatalf("the mail folder: %v", files)
	}
}
