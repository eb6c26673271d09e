package association_test

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"passerelle.dev/directory/domain/association"
	"passerelle.dev/events"
	"passerelle.dev/events/directoryevents"
	"passerelle.dev/events/fault"
)

var now = time.Date(2026, 11, 28, 18, 30, 0, 0, time.UTC)

var (
	admin             = events.Actor{Role: events.RoleAdmin, Subject: "admin-1"}
	genevaCoordinator = events.Actor{Role: events.RoleCoordinator, City: "geneva", Subject: "c-ge"}
	londonCoordinator = events.Actor{Role: events.RoleCoordinator, City: "london", Subject: "c-lo"}
)

func TestRegisterRecordsTheRegistration(t *testing.T) {
	t.Parallel()
	id := uuid.Must(uuid.NewV7())
	a, err := association.Register(id, "  Association des   Sénégalais de Genève ", "Geneva", []string{"sn", "SN", "ml"}, now)
	if err != nil {
		t.Fatal(err)
	}
	want := []any{directoryevents.AssociationRegistered{
		AssociationID:   id.String(),
		Name:            "Association des Sénégalais de Genève",
		City:            "geneva",
		OriginCountries: []string{"SN", "ML"},
		RegisteredAt:    now,
	}}
	if got := a.PendingEvents(); !reflect.DeepEqual(got, want) {
		t.Fatalf("events %#v, want %#v", got, want)
	}
	if a.Status() != association.StatusPending || a.Version() != 0 {
		t.Fatalf("status %v version %d", a.Status(), a.Version())
	}
}

func TestRegisterRefusesBadInput(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, assoc, city string
		origins           []string
		field             string
	}{
		{"empty name", "   ", "london", []string{"GH"}, "name"},
		{"punctuation only", "--- !!", "london", []string{"GH"}, "name"},
		{"name too long", strings.Repeat("a", 201), "london", []string{"GH"}, "name"},
		{"control character", "Ghana\x00Union", "london", []string{"GH"}, "name"},
		{"unknown city", "Ghana Union", "lagos", []string{"GH"}, "city"},
		{"no country", "Ghana Union", "london", nil, "originCountries"},
		{"alpha-3 code", "Ghana Union", "london", []string{"GHA"}, "originCountries"},
		{"unassigned code", "Ghana Union", "london", []string{"ZZ"}, "originCountries"},
		{"exceptionally reserved code", "Ghana Union", "london", []string{"UK"}, "originCountries"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := association.Register(uuid.Must(uuid.NewV7()), c.assoc, c.city, c.origins, now)
			var invalid *association.InvalidInputError
			if !errors.As(err, &invalid) || invalid.Field != c.field {
				t.Fatalf("got %v, want an invalid %s", err, c.field)
			}
			if fault.CodeOf(err) != fault.BadUserInput {
				t.Fatalf("code %s", fault.CodeOf(err))
			}
		})
	}
}

func TestCountryListIsISO3166Alpha2(t *testing.T) {
	t.Parallel()
	// 249 officially assigned codes, and XK.
	if n := len(association.CountryCodes()); n != 250 {
		t.Fatalf("%d country codes, want 250", n)
	}
	for _, c := range association.CountryCodes() {
		if c.Name() == "" || c.Name() == c.String() {
			t.Errorf("%s has no English name", c)
		}
	}
	for _, code := range []string{"SN", "GH", "MA", "CD", "XK", "GB", "PS", "SS"} {
		c, err := association.ParseCountryCode(code)
		if err != nil {
			t.Errorf("%s: %v", code, err)
			continue
		}
		if c.Name() == "" || c.Name() == code {
			t.Errorf("%s has no English name", code)
		}
	}
}

func TestNameKeyIgnoresCaseAccentsPunctuationAndSpacing(t *testing.T) {
	t.Parallel()
	same := []string{
		"Association des Sénégalais de Genève",
		"ASSOCIATION DES SENEGALAIS DE GENEVE",
		"association des sénégalais de genève !",
		"Association-des-Sénégalais-de-Genève",
		"Association des Se\u0301ne\u0301galais de Gene\u0300ve", // combining accents
	}
	key := association.NameKey(same[0])
	for _, s := range same[1:] {
		if got := association.NameKey(s); got != key {
			t.Errorf("%q → %q, want %q", s, got, key)
		}
	}
	if association.NameKey("Straße") != association.NameKey("STRASSE") {
		t.Error("full case folding: ß must match SS")
	}
	if association.NameKey("Ghana Union") == association.NameKey("Ghana Unity") {
		t.Error("different names share a key")
	}
}

func registered(t *testing.T, city string) *association.Association {
	t.Helper()
	a, err := association.Register(uuid.Must(uuid.NewV7()), "Ghanaian Nurses Network", city, []string{"GH"}, now)
	if err != nil {
		t.Fatal(err)
	}
	loaded, err := association.FromHistory(a.PendingEvents())
	if err != nil {
		t.Fatal(err)
	}
	return loaded
}

func TestVerifyByRole(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		by   events.Actor
		want error
	}{
		{"admin", admin, nil},
		{"coordinator of the city", genevaCoordinator, nil},
		{"coordinator of another city", londonCoordinator, association.ErrVerifyForbidden},
		{"the association itself", events.Actor{Role: events.RoleAssociation, AssociationID: "x"}, association.ErrVerifyForbidden},
		{"anonymous", events.Anonymous, association.ErrVerifyNeedsSignIn},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a := registered(t, "geneva")
			err := a.Verify(c.by, now)
			if !errors.Is(err, c.want) {
				t.Fatalf("got %v, want %v", err, c.want)
			}
			wantEvents := 0
			if c.want == nil {
				wantEvents = 1
			}
			if n := len(a.PendingEvents()); n != wantEvents {
				t.Fatalf("%d events recorded, want %d", n, wantEvents)
			}
		})
	}
}

func TestVerifyingTwiceIsAnError(t *testing.T) {
	t.Parallel()
	a := registered(t, "geneva")
	if err := a.Verify(admin, now.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	reloaded, err := association.FromHistory(append([]any{directoryevents.AssociationRegistered{
		AssociationID: a.ID(), Name: a.Name().String(), City: "geneva", OriginCountries: []string{"GH"}, RegisteredAt: now,
	}}, a.PendingEvents()...))
	if err != nil {
		t.Fatal(err)
	}
	if reloaded.Status() != association.StatusVerified || reloaded.Version() != 2 || !reloaded.VerifiedAt().Equal(now.Add(time.Hour)) {
		t.Fatalf("status %v version %d verified at %v", reloaded.Status(), reloaded.Version(), reloaded.VerifiedAt())
	}
	if err := reloaded.Verify(genevaCoordinator, now); !errors.Is(err, association.ErrAlreadyVerified) {
		t.Fatalf("second verification: got %v", err)
	}
	if len(reloaded.PendingEvents()) != 0 {
		t.Fatal("a refused verification recorded an event")
	}
}

func TestFromHistoryOfNothingIsNotFound(t *testing.T) {
	t.Parallel()
	if _, err := association.FromHistory(nil); !errors.Is(err, association.ErrNotFound) {
		t.Fatalf("got %v", err)
	}
}
