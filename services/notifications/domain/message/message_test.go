package message_test

import (
	"strings"
	"testing"
	"time"

	"passerelle.dev/notifications/domain/message"
)

func TestLanguageOf(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		tags []string
		want string
	}{{nil, "en"}, {[]string{"ln", "fr-CD"}, "fr"}, {[]string{"es-419", "en"}, "es"}, {[]string{"tw"}, "en"}, {[]string{"EN-gb"}, "en"}} {
		if got := message.LanguageOf(c.tags); got != c.want {
			t.Errorf("%v: %s, want %s", c.tags, got, c.want)
		}
	}
}

func TestEveryKindIsWrittenInEveryLanguageOnTheCitysClocks(t *testing.T) {
	t.Parallel()
	geneva, err := time.LoadLocation("Europe/Zurich")
	if err != nil {
		t.Fatal(err)
	}
	f := message.Facts{Association: "Colombianos en Ginebra", Seats: 2, Reason: "venue closed", Proposal: "Postal remittances",
		Session: message.Session{Title: "Remittances", Start: time.Date(2027, 3, 27, 17, 30, 0, 0, time.UTC), Location: geneva,
			City: "Geneva", Venue: "Maison des associations", Address: "Rue des Savoises 15"},
		Until: time.Date(2027, 3, 28, 17, 30, 0, 0, time.UTC), Link: "https://passerelle.example/dialogues/1"}
	kinds := []message.Kind{message.RegistrationConfirmed, message.RegistrationWaitlisted, message.RegistrationPromoted,
		message.OfferMade, message.OfferExpired, message.SessionRescheduled, message.SessionCancelled,
		message.AssociationVerified, message.AssociationRejected, message.AssociationKeyRenewed, message.ProposalDecided, message.Reminder48h, message.Reminder2h}
	for _, lang := range message.Languages {
		for _, k := range kinds {
			m, err := message.Compose(k, lang, f)
			if err != nil {
				t.Fatalf("%s in %s: %v", k, lang, err)
			}
			if m.Language != lang || m.Subject == "" || strings.Contains(m.Subject+m.Text, "{") || !strings.Contains(m.Text, f.Link) {
				t.Errorf("%s in %s: %+v", k, lang, m)
			}
		}
	}
	// 17:30 UTC on 27 March 2027 is 18:30 in Geneva (winter time); the next day, after the
	// clocks go forward, 17:30 UTC is 19:30.
	m, _ := message.Compose(message.OfferMade, "fr", f)
	if !strings.Contains(m.Text, "samedi 27 mars 2027, 18:30 (UTC+01:00)") || !strings.Contains(m.Text, "dimanche 28 mars 2027, 19:30 (UTC+02:00)") {
		t.Fatalf("French offer: %s", m.Text)
	}
	m, _ = message.Compose(message.RegistrationConfirmed, "es", f)
	if !strings.Contains(m.Text, "sábado 27 de marzo de 2027, 18:30 (UTC+01:00)") {
		t.Fatalf("Spanish confirmation: %s", m.Text)
	}
	if m, _ := message.Compose(message.RegistrationConfirmed, "de", f); m.Language != "en" {
		t.Fatalf("a language messages are not written in: %s", m.Language)
	}
}

func TestRemindersAreTwoDaysBeforeOnTheCitysClocks(t *testing.T) {
	t.Parallel()
	geneva, err := time.LoadLocation("Europe/Zurich")
	if err != nil {
		t.Fatal(err)
	}
	// Sunday 28 March 2027, 18:00 in Geneva, just after the clocks went forward.
	r := message.Reminders(time.Date(2027, 3, 28, 16, 0, 0, 0, time.UTC), geneva)
	if got := r[message.Reminder48h]; !got.Equal(time.Date(2027, 3, 26, 17, 0, 0, 0, time.UTC)) {
		t.Fatalf("two days before: %s, want Friday 18:00 in Geneva", got)
	}
	if got := r[message.Reminder2h]; !got.Equal(time.Date(2027, 3, 28, 14, 0, 0, 0, time.UTC)) {
		t.Fatalf("two hours before: %s", got)
	}
}
