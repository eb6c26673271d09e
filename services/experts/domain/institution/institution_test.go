package institution_test

import (
	"errors"
	"testing"
	"time"

	"passerelle.dev/events"
	"passerelle.dev/events/expertevents"
	"passerelle.dev/experts/domain/institution"
	"passerelle.dev/kernel/fault"
)

var now = time.Date(2027, 1, 10, 9, 0, 0, 0, time.UTC)

func profile() expertevents.Institution {
	return expertevents.Institution{Name: "  Ministère de la   Santé ", Kind: "MINISTRY", Country: "sn", Website: "https://sante.example.sn", Email: "dp@sante.example.sn"}
}

func TestAProfileIsCheckedAndTidied(t *testing.T) {
	i, err := institution.Register("i-1", profile(), now)
	if err != nil {
		t.Fatal(err)
	}
	if p := i.Profile(); p.Name != "Ministère de la Santé" || p.Country != "SN" || i.Status() != institution.Pending {
		t.Fatalf("%+v %s", p, i.Status())
	}
	for field, change := range map[string]func(*expertevents.Institution){
		"name":    func(p *expertevents.Institution) { p.Name = "x" },
		"kind":    func(p *expertevents.Institution) { p.Kind = "CHURCH" },
		"country": func(p *expertevents.Institution) { p.Country = "ZZ" },
		"website": func(p *expertevents.Institution) { p.Website = "javascript:alert(1)" },
		"email":   func(p *expertevents.Institution) { p.Email = "Desk <dp@sante.example.sn>" },
	} {
		p := profile()
		change(&p)
		_, err := institution.Register("i-1", p, now)
		if fault.CodeOf(err) != fault.BadUserInput || fault.DetailsOf(err)["field"] != field {
			t.Errorf("%s: %v", field, err)
		}
	}
}

func TestOnlyAnAdminVerifiesOnce(t *testing.T) {
	i, _ := institution.Register("i-1", profile(), now)
	coordinator := events.Actor{Role: events.RoleCoordinator, City: "geneva", Subject: "c"}
	self := events.Actor{Role: events.RoleInstitution, Subject: "i-1"}
	admin := events.Actor{Role: events.RoleAdmin, Subject: "a"}
	if err := i.Verify(events.Anonymous, now); !errors.Is(err, institution.ErrNeedsSignIn) {
		t.Fatal(err)
	}
	for _, by := range []events.Actor{coordinator, self} {
		if err := i.Verify(by, now); !errors.Is(err, institution.ErrAdminsOnly) {
			t.Fatal(err)
		}
	}
	if err := i.Verify(admin, now); err != nil {
		t.Fatal(err)
	}
	if err := i.Reject(admin, "too late to refuse", now); !errors.Is(err, institution.ErrNotPending) {
		t.Fatal(err)
	}
	again, err := institution.FromHistory(i.PendingEvents())
	if err != nil || again.Status() != institution.Verified || again.ID() != "i-1" {
		t.Fatalf("rebuilt %v %v", again, err)
	}
}
