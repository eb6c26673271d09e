package directoryevents_test

import (
	"reflect"
	"slices"
	"testing"

	"passerelle.dev/events/directoryevents"
)

func ptr[T any](v T) *T { return &v }

func full() directoryevents.Profile {
	return directoryevents.Profile{ProfileDetails: directoryevents.ProfileDetails{
		Name: "Ghana Nurses UK", Acronym: "GNUK", Kind: "PROFESSIONAL_NETWORK", OriginCountries: []string{"GH"},
		City: "london", CountryOfResidence: "GB", Sectors: []string{"HEALTH"}, Languages: []string{"en", "tw"},
		Description: directoryevents.Description{EN: "Nurses and midwives"}, Website: "https://gnuk.org.uk",
		MemberCount: ptr(420), YearFounded: ptr(2009),
	}, Contact: &directoryevents.SealedContact{Ciphertext: []byte{1}, Digest: []byte{2}}}
}

// Every field of a profile is carried by an update and read back, with nothing left to
// a list kept by hand.
func TestAnUpdateCarriesEveryFieldAndReadsBack(t *testing.T) {
	fields := directoryevents.ProfileFields()
	want := []string{"name", "acronym", "kind", "originCountries", "city", "countryOfResidence", "sectors",
		"languages", "description", "website", "memberCount", "yearFounded", "contact"}
	if !slices.Equal(fields, want) {
		t.Fatalf("profile fields %v, want %v", fields, want)
	}
	next := full()
	changes := next.ChangesIn(fields)
	got := directoryevents.Profile{}.Apply(directoryevents.AssociationProfileUpdated{Fields: fields, Changes: changes})
	if !reflect.DeepEqual(got, next) {
		t.Fatalf("read back %+v, want %+v", got, next)
	}
	// One field at a time: only that one moves.
	for _, f := range fields {
		one := full().ChangesIn([]string{f})
		got := directoryevents.Profile{}.Apply(directoryevents.AssociationProfileUpdated{Fields: []string{f}, Changes: one})
		if diff := got.Diff(directoryevents.ProfileDetails{}); f != "contact" && !slices.Equal(diff, []string{f}) {
			t.Errorf("an update of %s changed %v", f, diff)
		}
		if (got.Contact != nil) != (f == "contact") {
			t.Errorf("an update of %s set the contact to %v", f, got.Contact)
		}
	}
}

// A field listed with no value (or an empty one) is cleared; one not listed is kept.
func TestAnUpdateClearsWhatItListsWithoutValue(t *testing.T) {
	e := directoryevents.AssociationProfileUpdated{Fields: []string{"memberCount", "contact", "website", "sectors"}}
	got := full().Apply(e)
	if got.MemberCount != nil || got.Contact != nil || got.Website != "" || got.Sectors != nil {
		t.Fatalf("cleared fields kept: %+v", got)
	}
	if got.Name != "Ghana Nurses UK" || *got.YearFounded != 2009 {
		t.Fatalf("unlisted fields moved: %+v", got)
	}
}

func TestDiffListsChangedDetailsInOrder(t *testing.T) {
	a := full().ProfileDetails
	b := a
	b.Website, b.YearFounded, b.Sectors = "https://other.example", ptr(2010), []string{"HEALTH", "EDUCATION"}
	if got := a.Diff(b); !slices.Equal(got, []string{"sectors", "website", "yearFounded"}) {
		t.Fatalf("diff %v", got)
	}
	c := a
	c.Languages, c.MemberCount = nil, ptr(420)
	d := a
	d.Languages = []string{}
	if got := c.Diff(d); len(got) != 0 {
		t.Fatalf("no list and an empty one, or two equal counts, differ: %v", got)
	}
}
