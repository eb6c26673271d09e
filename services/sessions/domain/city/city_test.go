package city_test

import (
	"errors"
	"testing"
	"time"

	"passerelle.dev/events"
	"passerelle.dev/events/sessionevents"
	"passerelle.dev/kernel/fault"
	"passerelle.dev/sessions/domain/city"
)

var (
	now   = time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	admin = events.Actor{Role: events.RoleAdmin, Subject: "admin"}
)

func opened(t *testing.T) *city.City {
	t.Helper()
	c, err := city.FromHistory([]any{sessionevents.CityOpened{Slug: "geneva", Name: "Geneva", TimeZone: "Europe/Zurich", Country: "CH", OpenedAt: now}})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestOnlyAdminsOpenCitiesWithARealZone(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name string
		by   events.Actor
		zone string
		code fault.Code
	}{
		{"anonymous", events.Actor{}, "Europe/Lisbon", fault.Unauthenticated},
		{"coordinator", events.Actor{Role: events.RoleCoordinator, City: "geneva", Subject: "c"}, "Europe/Lisbon", fault.Forbidden},
		{"not IANA", admin, "UTC+1", fault.BadUserInput},
		{"Local", admin, "Local", fault.BadUserInput},
		{"unknown", admin, "Europe/Atlantis", fault.BadUserInput},
	} {
		if _, err := city.Open(c.by, "lisbon", "Lisbon", c.zone, "PT", now); fault.CodeOf(err) != c.code {
			t.Errorf("%s: %v, want %s", c.name, err, c.code)
		}
	}
	c, err := city.Open(admin, " Lisbon ", "Lisbon", "Europe/Lisbon", "pt", now)
	if err != nil || c.Slug() != "lisbon" || c.Country() != "PT" || c.Location().String() != "Europe/Lisbon" {
		t.Fatalf("open: %v %+v", err, c)
	}
}

func TestCoordinatorsAreAppointedAndDismissedByAdmins(t *testing.T) {
	t.Parallel()
	c := opened(t)
	coordinator := events.Actor{Role: events.RoleCoordinator, City: "geneva", Subject: "c1"}
	if err := c.AppointCoordinator(coordinator, "c2", "Awa Diop", now); !errors.Is(err, city.ErrAdminsOnly) {
		t.Fatalf("a coordinator appointing: %v", err)
	}
	if err := c.AppointCoordinator(events.Actor{}, "c2", "Awa Diop", now); fault.CodeOf(err) != fault.Unauthenticated {
		t.Fatalf("anonymous appointing: %v", err)
	}
	if err := c.AppointCoordinator(admin, "c2", "   ", now); fault.CodeOf(err) != fault.BadUserInput {
		t.Fatalf("no name: %v", err)
	}
	if err := c.AppointCoordinator(admin, "c1", "  Awa   Diop ", now); err != nil {
		t.Fatal(err)
	}
	if !c.HasCoordinator("c1") || len(c.PendingEvents()) != 1 {
		t.Fatal("not appointed")
	}
	if got := c.PendingEvents()[0].(sessionevents.CoordinatorAppointed); got.Name != "Awa Diop" || got.City != "geneva" {
		t.Fatalf("event %+v", got)
	}
	if err := c.DismissCoordinator(admin, "nobody", now); !errors.Is(err, city.ErrNoCoordinator) {
		t.Fatalf("dismissing nobody: %v", err)
	}
	if err := c.DismissCoordinator(admin, "c1", now); err != nil || c.HasCoordinator("c1") {
		t.Fatalf("dismiss: %v", err)
	}
	if err := c.DismissCoordinator(admin, "c1", now); !errors.Is(err, city.ErrNoCoordinator) {
		t.Fatalf("dismissing twice: %v", err)
	}
}
