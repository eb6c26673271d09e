// Package message decides what the platform tells an association, and in which words:
// one kind of message for each thing that happened to it, written in its language
// (English, French or Spanish). It holds no address: who receives a message is decided
// when it is sent, from the association's contact person at that moment.
package message

import (
	"fmt"
	"strings"
	"time"
)

// Kind is what a message tells.
type Kind string

// The kinds of messages.
const (
	RegistrationConfirmed  Kind = "REGISTRATION_CONFIRMED"
	RegistrationWaitlisted Kind = "REGISTRATION_WAITLISTED"
	RegistrationPromoted   Kind = "REGISTRATION_PROMOTED"
	OfferMade              Kind = "OFFER_MADE"
	OfferExpired           Kind = "OFFER_EXPIRED"
	SessionRescheduled     Kind = "SESSION_RESCHEDULED"
	SessionCancelled       Kind = "SESSION_CANCELLED"
	AssociationVerified    Kind = "ASSOCIATION_VERIFIED"
	AssociationRejected    Kind = "ASSOCIATION_REJECTED"
	// AssociationKeyRenewed tells the association its key changed (a renewal, or a
	// repeated registration that reissued it): if it did not ask, it learns at once.
	AssociationKeyRenewed Kind = "ASSOCIATION_KEY_RENEWED"
	ProposalDecided       Kind = "PROPOSAL_DECIDED"
	Reminder48h           Kind = "REMINDER_48H"
	Reminder2h            Kind = "REMINDER_2H"
	// To an expert of the skills roster; they name no one but the institution.
	ExpertProposed   Kind = "EXPERT_PROPOSED"
	ExpertConfirmed  Kind = "EXPERT_CONFIRMED"
	MissionCancelled Kind = "MISSION_CANCELLED"
	// To an institution; an expert who accepted is named on Passerelle, never in mail.
	InstitutionVerified Kind = "INSTITUTION_VERIFIED"
	InstitutionRejected Kind = "INSTITUTION_REJECTED"
	ExpertAccepted      Kind = "EXPERT_ACCEPTED"
)

// Reminders are when a session's reminders are due: two days before on the city's
// clocks (the same wall-clock time, whatever the clocks did meanwhile), and two hours
// before.
func Reminders(start time.Time, loc *time.Location) map[Kind]time.Time {
	if loc == nil {
		loc = time.UTC
	}
	l := start.In(loc)
	return map[Kind]time.Time{
		Reminder48h: time.Date(l.Year(), l.Month(), l.Day()-2, l.Hour(), l.Minute(), l.Second(), 0, loc).UTC(),
		Reminder2h:  start.Add(-2 * time.Hour).UTC(),
	}
}

// Languages are the languages messages are written in; the first is the default.
var Languages = []string{"en", "fr", "es"}

// LanguageOf is the language to write to an association in: the first of its
// languages (BCP 47 tags, in its order of preference) that messages are written in,
// else English.
func LanguageOf(tags []string) string {
	for _, tag := range tags {
		base, _, _ := strings.Cut(strings.ToLower(tag), "-")
		for _, l := range Languages {
			if base == l {
				return l
			}
		}
	}
	return Languages[0]
}

// Session is what a message says of a session.
type Session struct {
	Title    string
	Start    time.Time
	Location *time.Location
	City     string
	Venue    string
	Address  string
}

// Facts are what a message is about; each kind uses some of them.
type Facts struct {
	Association string
	Session     Session
	Seats       int
	// Until is an offer's expiry.
	Until time.Time
	// Reason is why a session was cancelled or an association rejected, or the
	// decision's reason.
	Reason string
	// Proposal is a proposal's title; Approved its decision.
	Proposal string
	Approved bool
	// Link is where on the platform to see it.
	Link string
	// Subject and Text are a coordinator's own words.
	Subject, Text string
	// Institution and Request name an institution and its request for expertise.
	Institution, Request string
}

// Message is a message composed for an association.
type Message struct {
	Kind     Kind
	Language string
	Subject  string
	Text     string
}

// Compose writes a message of kind in lang about facts.
func Compose(kind Kind, lang string, f Facts) (Message, error) {
	w, ok := wording[lang]
	if !ok {
		lang, w = Languages[0], wording[Languages[0]]
	}
	t, ok := w.kinds[kind]
	if !ok {
		return Message{}, fmt.Errorf("no wording for %s", kind)
	}
	at := func(tm time.Time) string { return w.when(tm, f.Session.Location) }
	r := strings.NewReplacer(
		"{association}", f.Association,
		"{session}", f.Session.Title,
		"{start}", at(f.Session.Start),
		"{city}", f.Session.City,
		"{venue}", strings.TrimSpace(f.Session.Venue+", "+f.Session.Address),
		"{seats}", fmt.Sprint(f.Seats),
		"{until}", at(f.Until),
		"{reason}", f.Reason,
		"{proposal}", f.Proposal,
		"{decision}", w.decision[f.Approved],
		"{link}", f.Link,
		"{institution}", f.Institution,
		"{request}", f.Request,
	)
	if kind == CoordinatorMessage {
		// The coordinator's words are theirs: only the introduction is the platform's, and
		// nothing in their text is read as a placeholder.
		return Message{Kind: kind, Language: lang, Subject: f.Subject,
			Text: r.Replace(w.kinds[kind].body) + "\n\n" + f.Text + "\n\n" + r.Replace(w.see) + "\n\n" + w.signature + "\n"}, nil
	}
	body := r.Replace(t.body)
	if f.Link != "" {
		body += "\n\n" + r.Replace(w.see)
	}
	return Message{Kind: kind, Language: lang, Subject: r.Replace(t.subject), Text: body + "\n\n" + w.signature + "\n"}, nil
}
