package expert_test

import (
	"errors"
	"testing"
	"time"

	"passerelle.dev/events"
	"passerelle.dev/events/expertevents"
	"passerelle.dev/experts/domain/expert"
	"passerelle.dev/kernel/fault"
)

var (
	now       = time.Date(2026, 12, 3, 10, 0, 0, 0, time.UTC)
	admin     = events.Actor{Role: events.RoleAdmin, Subject: "admin"}
	geneva    = events.Actor{Role: events.RoleCoordinator, City: "geneva", Subject: "c-ge"}
	self      = events.Actor{Role: events.RoleExpert, Subject: "x-1"}
	other     = events.Actor{Role: events.RoleExpert, Subject: "x-2"}
	processOK = expert.Consent{Purpose: expertevents.Processing, WordingVersion: expert.Wording[expertevents.Processing]}
	rosterOK  = expert.Consent{Purpose: expertevents.Roster, WordingVersion: expert.Wording[expertevents.Roster]}
)

func profile() expert.Profile {
	return expert.Profile{Name: "  Dr  Amina   Diallo ", Fields: []string{"2212", "2221", "2212"}, Languages: []string{"fr", "wo", "en-GB"},
		OriginCountries: []string{"sn"}, ResidenceCountry: "CH",
		Availability: expertevents.Availability{Remote: true, From: "2027-01-01", To: "2027-12-31", DaysPerYear: 20},
		Bio:          expertevents.Text{FR: "Cardiologue à Genève, disponible pour la télé-expertise."}, Email: "amina@example.org"}
}

// reload keeps the expert's events as a repository would, and rebuilds it from them.
func reload(t *testing.T, history *[]expert.Recorded, e *expert.Expert) *expert.Expert {
	t.Helper()
	*history = append(*history, e.PendingEvents()...)
	out, err := expert.FromHistory(*history)
	if err != nil {
		t.Fatal(err)
	}
	out.SetID(e.ID())
	return out
}

func codeOf(err error) fault.Code {
	if err == nil {
		return ""
	}
	return fault.CodeOf(err)
}

func TestRegistrationChecksTheProfileAndNeedsConsentToProcessing(t *testing.T) {
	t.Parallel()
	e, err := expert.Register("x-1", profile(), []expert.Consent{processOK}, now)
	if err != nil {
		t.Fatal(err)
	}
	p := e.Profile()
	if p.Name != "Dr Amina Diallo" || len(p.Fields) != 2 || p.OriginCountries[0] != "SN" || p.Languages[2] != "en-GB" || e.Status() != expert.Pending {
		t.Fatalf("registered %+v (%s)", p, e.Status())
	}
	if _, err := expert.Register("x-1", profile(), nil, now); !errors.Is(err, expert.ErrNoConsent) {
		t.Fatalf("without consent: %v", err)
	}
	old := expert.Consent{Purpose: expertevents.Processing, WordingVersion: "2020-01"}
	if _, err := expert.Register("x-1", profile(), []expert.Consent{old}, now); !errors.Is(err, expert.ErrOldWording) {
		t.Fatalf("an old wording: %v", err)
	}
	for name, edit := range map[string]func(*expert.Profile){
		"no field":            func(p *expert.Profile) { p.Fields = nil },
		"an unknown field":    func(p *expert.Profile) { p.Fields = []string{"9999"} },
		"no language":         func(p *expert.Profile) { p.Languages = nil },
		"a made-up language":  func(p *expert.Profile) { p.Languages = []string{"not a tag"} },
		"no origin":           func(p *expert.Profile) { p.OriginCountries = nil },
		"a bad residence":     func(p *expert.Profile) { p.ResidenceCountry = "XX" },
		"neither on site nor": func(p *expert.Profile) { p.Availability.Remote = false },
		"dates reversed":      func(p *expert.Profile) { p.Availability.To = "2026-12-01" },
		"400 days":            func(p *expert.Profile) { p.Availability.DaysPerYear = 400 },
		"a bad address":       func(p *expert.Profile) { p.Email = "amina at example" },
		"a one-letter name":   func(p *expert.Profile) { p.Name = "A" },
	} {
		p := profile()
		edit(&p)
		if _, err := expert.Register("x-1", p, []expert.Consent{processOK}, now); codeOf(err) != fault.BadUserInput {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func TestVerificationConsentsAndTheRoster(t *testing.T) {
	t.Parallel()
	var history []expert.Recorded
	e, err := expert.Register("x-1", profile(), []expert.Consent{processOK, rosterOK}, now)
	if err != nil {
		t.Fatal(err)
	}
	e = reload(t, &history, e)
	if e.InRoster() {
		t.Fatal("in the roster before verification")
	}
	if err := e.Verify(self, now); !errors.Is(err, expert.ErrModeratorsOnly) {
		t.Fatalf("verifying oneself: %v", err)
	}
	if err := e.Verify(geneva, now); err != nil {
		t.Fatal(err)
	}
	e = reload(t, &history, e)
	if !e.InRoster() || e.ConsentsTo(expertevents.Contact) {
		t.Fatalf("after verification: roster %t, contact %t", e.InRoster(), e.ConsentsTo(expertevents.Contact))
	}
	if err := e.Verify(admin, now); !errors.Is(err, expert.ErrNotPending) {
		t.Fatalf("verifying twice: %v", err)
	}
	// Only the expert consents or withdraws; a withdrawal takes the expert out at once.
	if err := e.WithdrawConsent(other, expertevents.Roster, now); !errors.Is(err, expert.ErrSelfOnly) {
		t.Fatalf("another expert withdrew: %v", err)
	}
	if err := e.WithdrawConsent(admin, expertevents.Roster, now); !errors.Is(err, expert.ErrSelfOnly) {
		t.Fatalf("an admin withdrew for the expert: %v", err)
	}
	if err := e.WithdrawConsent(self, expertevents.Roster, now); err != nil {
		t.Fatal(err)
	}
	e = reload(t, &history, e)
	if e.InRoster() {
		t.Fatal("in the roster after withdrawing")
	}
	contact := expert.Consent{Purpose: expertevents.Contact, WordingVersion: expert.Wording[expertevents.Contact]}
	if err := e.GiveConsent(self, contact, now); err != nil {
		t.Fatal(err)
	}
	e = reload(t, &history, e)
	if err := e.GiveConsent(self, contact, now); err != nil || len(e.PendingEvents()) != 0 {
		t.Fatalf("the same consent again recorded %v (%v)", e.PendingEvents(), err)
	}
	// Withdrawing the consent to processing erases the expert: nothing personal remains.
	if err := e.WithdrawConsent(self, expertevents.Processing, now); err != nil {
		t.Fatal(err)
	}
	e = reload(t, &history, e)
	if e.Status() != expert.Erased || e.Profile().Name != "" || e.ConsentsTo(expertevents.Contact) {
		t.Fatalf("after withdrawing processing: %s %+v", e.Status(), e.Profile())
	}
	if err := e.GiveConsent(self, rosterOK, now); !errors.Is(err, expert.ErrErased) {
		t.Fatalf("consenting once erased: %v", err)
	}
}

func TestErasureByTheExpertOrAnAdminOnly(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		who  events.Actor
		code fault.Code
	}{{other, fault.Forbidden}, {geneva, fault.Forbidden}, {events.Anonymous, fault.Unauthenticated}, {self, ""}, {admin, ""}} {
		e, _ := expert.Register("x-1", profile(), []expert.Consent{processOK}, now)
		var history []expert.Recorded
		e = reload(t, &history, e)
		if err := e.Erase(c.who, now); codeOf(err) != c.code {
			t.Fatalf("%+v erasing: %v, want %q", c.who, err, c.code)
		}
	}
}

func TestRetentionRemindsThenErasesAnInactiveExpert(t *testing.T) {
	t.Parallel()
	r := expert.Retention{InactiveFor: 365 * 24 * time.Hour, GraceFor: 30 * 24 * time.Hour}
	var history []expert.Recorded
	e, _ := expert.Register("x-1", profile(), []expert.Consent{processOK}, now)
	e = reload(t, &history, e)
	if did := e.ApplyRetention(r, now.Add(364*24*time.Hour)); did != "" {
		t.Fatalf("before a year: %s", did)
	}
	if did := e.ApplyRetention(r, now.Add(366*24*time.Hour)); did != "REMINDED" {
		t.Fatalf("after a year: %q", did)
	}
	e = reload(t, &history, e)
	if did := e.ApplyRetention(r, now.Add(367*24*time.Hour)); did != "" {
		t.Fatalf("reminded twice: %s", did)
	}
	// The expert answers (any action of theirs): they stay another year.
	if err := e.GiveConsent(self, rosterOK, now.Add(370*24*time.Hour)); err != nil {
		t.Fatal(err)
	}
	e = reload(t, &history, e)
	if did := e.ApplyRetention(r, now.Add(400*24*time.Hour)); did != "" {
		t.Fatalf("after answering: %s", did)
	}
	if did := e.ApplyRetention(r, now.Add((370+366)*24*time.Hour)); did != "REMINDED" {
		t.Fatalf("a year after the answer: %q", did)
	}
	e = reload(t, &history, e)
	if did := e.ApplyRetention(r, now.Add((370+366+31)*24*time.Hour)); did != "ERASED" {
		t.Fatalf("a month after the unanswered reminder: %q", did)
	}
	e = reload(t, &history, e)
	if e.Status() != expert.Erased {
		t.Fatalf("status %s", e.Status())
	}
}
