package association_test

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"passerelle.dev/directory/domain/association"
	"passerelle.dev/events"
	"passerelle.dev/events/directoryevents"
	"passerelle.dev/kernel/fault"
)

var now = time.Date(2026, 11, 28, 18, 30, 0, 0, time.UTC)

var (
	admin             = events.Actor{Role: events.RoleAdmin, Subject: "admin-1"}
	genevaCoordinator = events.Actor{Role: events.RoleCoordinator, City: "geneva", Subject: "c-ge"}
	londonCoordinator = events.Actor{Role: events.RoleCoordinator, City: "london", Subject: "c-lo"}
	otherAssociation  = events.Actor{Role: events.RoleAssociation, AssociationID: "0190b2f4-0000-7000-8000-00000000ffff"}
)

func intp(n int) *int { return &n }

func input() association.ProfileInput {
	return association.ProfileInput{
		Name:            "Ghanaian Nurses Network",
		Acronym:         "GNN",
		Kind:            "PROFESSIONAL_NETWORK",
		OriginCountries: []string{"GH"},
		City:            "geneva",
		Sectors:         []string{"HEALTH", "SKILLS_CIRCULATION"},
		Languages:       []string{"en", "fr", "tw"},
		Description:     association.Description{EN: "Nurses of Ghanaian origin working in Swiss hospitals."},
		Website:         "ghanaian-nurses.ch",
		MemberCount:     intp(140),
		YearFounded:     intp(2009),
	}
}

func profile(t *testing.T, in association.ProfileInput) association.Profile {
	t.Helper()
	p, err := association.NewProfile(in, now, founding)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

var sealed = &association.SealedContact{Ciphertext: []byte("c1"), Digest: []byte("d1")}

// log is an association's stored events, as a repository keeps them.
type log struct{ history []any }

// save appends a's pending events to the log and loads the association again.
func (l *log) save(t *testing.T, a *association.Association) *association.Association {
	t.Helper()
	l.history = append(l.history, a.PendingEvents()...)
	loaded, err := association.FromHistory(l.history)
	if err != nil {
		t.Fatal(err)
	}
	return loaded
}

// registered returns an association loaded from its registration, and its log.
func registered(t *testing.T) (*association.Association, *log) {
	t.Helper()
	a, err := association.Register(uuid.Must(uuid.NewV7()), profile(t, input()), sealed, now)
	if err != nil {
		t.Fatal(err)
	}
	l := &log{}
	return l.save(t, a), l
}

func self(a *association.Association) events.Actor {
	return events.Actor{Role: events.RoleAssociation, AssociationID: a.ID()}
}

func TestNewProfileChecksEveryField(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name  string
		edit  func(*association.ProfileInput)
		field string
	}{
		{"empty name", func(in *association.ProfileInput) { in.Name = "  " }, "name"},
		{"name of punctuation", func(in *association.ProfileInput) { in.Name = "--- !!" }, "name"},
		{"name too long", func(in *association.ProfileInput) { in.Name = strings.Repeat("a", 201) }, "name"},
		{"control character in name", func(in *association.ProfileInput) { in.Name = "Ghana\x00Union" }, "name"},
		{"acronym too long", func(in *association.ProfileInput) { in.Acronym = strings.Repeat("A", 21) }, "acronym"},
		{"acronym with symbols", func(in *association.ProfileInput) { in.Acronym = "<script>" }, "acronym"},
		{"unknown kind", func(in *association.ProfileInput) { in.Kind = "CLUB" }, "kind"},
		{"no country of origin", func(in *association.ProfileInput) { in.OriginCountries = nil }, "originCountries"},
		{"alpha-3 country", func(in *association.ProfileInput) { in.OriginCountries = []string{"GHA"} }, "originCountries"},
		{"reserved country", func(in *association.ProfileInput) { in.OriginCountries = []string{"UK"} }, "originCountries"},
		{"unknown city", func(in *association.ProfileInput) { in.City = "lagos" }, "city"},
		{"bad residence", func(in *association.ProfileInput) { in.CountryOfResidence = "Switzerland" }, "countryOfResidence"},
		{"unknown sector", func(in *association.ProfileInput) { in.Sectors = []string{"SPORT"} }, "sectors"},
		{"not a language", func(in *association.ProfileInput) { in.Languages = []string{"klingon!"} }, "languages"},
		{"description too long", func(in *association.ProfileInput) { in.Description.FR = strings.Repeat("é", 5001) }, "description.fr"},
		{"ftp website", func(in *association.ProfileInput) { in.Website = "ftp://ghanacoop.org" }, "website"},
		{"website without a domain", func(in *association.ProfileInput) { in.Website = "localhost" }, "website"},
		{"negative members", func(in *association.ProfileInput) { in.MemberCount = intp(-1) }, "memberCount"},
		{"founded in the future", func(in *association.ProfileInput) { in.YearFounded = intp(2027) }, "yearFounded"},
		{"founded too long ago", func(in *association.ProfileInput) { in.YearFounded = intp(1799) }, "yearFounded"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := input()
			c.edit(&in)
			_, err := association.NewProfile(in, now, founding)
			var invalid *association.InvalidInputError
			if !errors.As(err, &invalid) || invalid.Field != c.field || fault.CodeOf(err) != fault.BadUserInput {
				t.Fatalf("got %v, want an invalid %s", err, c.field)
			}
		})
	}
}

func TestNewProfileTidiesAndDefaults(t *testing.T) {
	t.Parallel()
	p := profile(t, association.ProfileInput{
		Name: "  Association des   Sénégalais de Genève ", OriginCountries: []string{"sn", "SN", "ml"}, City: "Geneva",
		Languages: []string{"FR", "wo", "fr"}, Website: "HTTPS://WWW.Senegalais-Geneve.ch/", Sectors: []string{"CULTURE", "CULTURE"},
	})
	want := association.ProfileInput{
		Name: "Association des Sénégalais de Genève", Kind: "DIASPORA_ASSOCIATION", OriginCountries: []string{"SN", "ML"},
		City: "geneva", CountryOfResidence: "CH", Sectors: []string{"CULTURE"}, Languages: []string{"fr", "wo"},
		Website: "https://www.senegalais-geneve.ch",
	}
	if got := p.Input(); !reflect.DeepEqual(got, want) {
		t.Fatalf("got %#v\nwant %#v", got, want)
	}
	if association.WebsiteKey(p.Website) != "senegalais-geneve.ch" {
		t.Fatalf("website key %q", association.WebsiteKey(p.Website))
	}
}

func TestRegisterRecordsTheWholeProfile(t *testing.T) {
	t.Parallel()
	id := uuid.Must(uuid.NewV7())
	a, err := association.Register(id, profile(t, input()), sealed, now)
	if err != nil {
		t.Fatal(err)
	}
	evs := a.PendingEvents()
	reg, ok := evs[0].(directoryevents.AssociationRegistered)
	if len(evs) != 1 || !ok {
		t.Fatalf("events %#v", evs)
	}
	p := reg.Profile
	if reg.AssociationID != id.String() || p.Name != "Ghanaian Nurses Network" || p.Kind != "PROFESSIONAL_NETWORK" ||
		p.CountryOfResidence != "CH" || p.Website != "https://ghanaian-nurses.ch" || *p.MemberCount != 140 ||
		p.Contact == nil || string(p.Contact.Ciphertext) != "c1" || !reg.RegisteredAt.Equal(now) {
		t.Fatalf("registration %+v", reg)
	}
	if a.Status() != association.StatusPending {
		t.Fatalf("status %v", a.Status())
	}
}

func TestContactChecksWithoutRepeatingTheValues(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, person, email, phone, field string
	}{
		{"no name", " ", "awa@example.org", "", "contact.name"},
		{"bad email", "Awa Diop", "awa.diop.at.example", "", "contact.email"},
		{"email with a display name", "Awa Diop", "Awa <awa@example.org>", "", "contact.email"},
		{"email without a domain dot", "Awa Diop", "awa@localhost", "", "contact.email"},
		{"local phone", "Awa Diop", "awa@example.org", "022 555 12 34", "contact.phone"},
		{"letters in phone", "Awa Diop", "awa@example.org", "+41 22 CALL ME", "contact.phone"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := association.NewContact(c.person, c.email, c.phone)
			var invalid *association.InvalidInputError
			if !errors.As(err, &invalid) || invalid.Field != c.field {
				t.Fatalf("got %v, want an invalid %s", err, c.field)
			}
			for _, v := range []string{c.email, c.phone} {
				if v != "" && strings.Contains(err.Error(), v) {
					t.Fatalf("the error repeats personal data: %v", err)
				}
			}
		})
	}
	c, err := association.NewContact(" Awa  Diop ", "awa.diop@example.org", "+41 (22) 555-12.34")
	if err != nil || c.Name != "Awa Diop" || c.Phone != "+41225551234" {
		t.Fatalf("contact %+v, %v", c, err)
	}
}

// step is one lifecycle command.
type step struct {
	name string
	run  func(a *association.Association, by events.Actor) error
}

var (
	verify = step{"verify", func(a *association.Association, by events.Actor) error { return a.Verify(by, now) }}
	reject = step{"reject", func(a *association.Association, by events.Actor) error {
		return a.Reject(by, "a double registration", now)
	}}
	suspend = step{"suspend", func(a *association.Association, by events.Actor) error {
		return a.Suspend(by, "inactive for two years", now)
	}}
	reinstate = step{"reinstate", func(a *association.Association, by events.Actor) error { return a.Reinstate(by, now) }}
	dissolve  = step{"dissolve", func(a *association.Association, by events.Actor) error { return a.Dissolve(by, "merged", now) }}
	update    = step{"update", func(a *association.Association, by events.Actor) error {
		in := a.Profile().Input()
		in.Acronym = "GNN-CH"
		_, err := a.UpdateProfile(by, association.ProfileUpdate{Profile: in}, now)
		return err
	}}
	forget = step{"forget contact", func(a *association.Association, by events.Actor) error { return a.ForgetContact(by, now) }}
)

// inStatus returns a registered association brought to status by admin steps.
func inStatus(t *testing.T, s association.Status) *association.Association {
	t.Helper()
	path := map[association.Status][]step{
		association.StatusPending:   nil,
		association.StatusVerified:  {verify},
		association.StatusRejected:  {reject},
		association.StatusSuspended: {verify, suspend},
		association.StatusDissolved: {dissolve},
	}[s]
	a, l := registered(t)
	for _, st := range path {
		if err := st.run(a, admin); err != nil {
			t.Fatalf("%s: %v", st.name, err)
		}
		a = l.save(t, a)
	}
	return a
}

func TestEveryTransitionFromEveryStatus(t *testing.T) {
	t.Parallel()
	allowed := map[string][]association.Status{
		"verify":         {association.StatusPending},
		"reject":         {association.StatusPending},
		"suspend":        {association.StatusVerified},
		"reinstate":      {association.StatusSuspended},
		"dissolve":       {association.StatusPending, association.StatusVerified, association.StatusRejected, association.StatusSuspended},
		"update":         {association.StatusPending, association.StatusVerified, association.StatusRejected, association.StatusSuspended},
		"forget contact": association.Statuses,
	}
	resulting := map[string]association.Status{
		"verify": association.StatusVerified, "reject": association.StatusRejected, "suspend": association.StatusSuspended,
		"reinstate": association.StatusVerified, "dissolve": association.StatusDissolved,
	}
	for _, st := range []step{verify, reject, suspend, reinstate, dissolve, update, forget} {
		for _, from := range association.Statuses {
			t.Run(st.name+" from "+from.String(), func(t *testing.T) {
				a := inStatus(t, from)
				err := st.run(a, admin)
				ok := false
				for _, s := range allowed[st.name] {
					ok = ok || s == from
				}
				if ok != (err == nil) {
					t.Fatalf("err %v, allowed %v", err, ok)
				}
				if err != nil {
					if fault.CodeOf(err) != fault.Conflict || len(a.PendingEvents()) != 0 {
						t.Fatalf("refusal %v (code %s) recorded %d events", err, fault.CodeOf(err), len(a.PendingEvents()))
					}
					return
				}
				if want, changes := resulting[st.name]; changes && a.Status() != want {
					t.Fatalf("status %v, want %v", a.Status(), want)
				}
			})
		}
	}
}

func TestWhoMayDoWhat(t *testing.T) {
	t.Parallel()
	moderate := []step{verify, reject, suspend, reinstate}
	manage := []step{update, dissolve, forget}
	actors := []struct {
		name           string
		actor          func(a *association.Association) events.Actor
		moderate, mine fault.Code // "" = allowed
	}{
		{"anonymous", func(*association.Association) events.Actor { return events.Anonymous }, fault.Unauthenticated, fault.Unauthenticated},
		{"the association itself", self, fault.Forbidden, ""},
		{"another association", func(*association.Association) events.Actor { return otherAssociation }, fault.Forbidden, fault.Forbidden},
		{"coordinator of its city", func(*association.Association) events.Actor { return genevaCoordinator }, "", fault.Forbidden},
		{"coordinator of another city", func(*association.Association) events.Actor { return londonCoordinator }, fault.Forbidden, fault.Forbidden},
		{"admin", func(*association.Association) events.Actor { return admin }, "", ""},
	}
	statusFor := map[string]association.Status{"reinstate": association.StatusSuspended, "suspend": association.StatusVerified}
	for _, who := range actors {
		for _, group := range []struct {
			steps []step
			want  fault.Code
		}{{moderate, who.moderate}, {manage, who.mine}} {
			for _, st := range group.steps {
				t.Run(who.name+" "+st.name, func(t *testing.T) {
					from, ok := statusFor[st.name]
					if !ok {
						from = association.StatusPending
					}
					a := inStatus(t, from)
					err := st.run(a, who.actor(a))
					if got := codeOf(err); got != group.want {
						t.Fatalf("got %q (%v), want %q", got, err, group.want)
					}
					if err != nil && len(a.PendingEvents()) != 0 {
						t.Fatal("a refused command recorded events")
					}
				})
			}
		}
	}
}

func codeOf(err error) fault.Code {
	if err == nil {
		return ""
	}
	return fault.CodeOf(err)
}

func TestUpdateRecordsOnlyTheChangedFields(t *testing.T) {
	t.Parallel()
	a, l := registered(t)

	// Nothing changes (the same contact sealed anew): nothing is recorded.
	fields, err := a.UpdateProfile(self(a), association.ProfileUpdate{Profile: a.Profile().Input(),
		Contact: association.ContactUpdate{Set: true, Sealed: &association.SealedContact{Ciphertext: []byte("other nonce"), Digest: []byte("d1")}}}, now)
	if err != nil || fields != nil || len(a.PendingEvents()) != 0 {
		t.Fatalf("a no-op update: fields %v, err %v, %d events", fields, err, len(a.PendingEvents()))
	}

	in := a.Profile().Input()
	in.Acronym = ""
	in.MemberCount = nil
	in.Sectors = append(in.Sectors, "EDUCATION")
	fields, err = a.UpdateProfile(admin, association.ProfileUpdate{Profile: in,
		Contact: association.ContactUpdate{Set: true, Sealed: &association.SealedContact{Ciphertext: []byte("c2"), Digest: []byte("d2")}}}, now)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"acronym", "sectors", "memberCount", "contact"}
	if !reflect.DeepEqual(fields, want) {
		t.Fatalf("fields %v, want %v", fields, want)
	}
	upd := a.PendingEvents()[0].(directoryevents.AssociationProfileUpdated)
	if !reflect.DeepEqual(upd.Fields, want) || upd.Changes.Name != nil || upd.Changes.Website != nil ||
		*upd.Changes.Acronym != "" || upd.Changes.MemberCount != nil || len(*upd.Changes.Sectors) != 3 ||
		string(upd.Changes.Contact.Digest) != "d2" {
		t.Fatalf("event %+v", upd)
	}
	raw := string(mustJSON(t, upd))
	if strings.Contains(raw, "Ghanaian Nurses Network") || strings.Contains(raw, "website") {
		t.Fatalf("the event carries unchanged fields: %s", raw)
	}

	// Replayed, the update gives the same state.
	loaded := l.save(t, a)
	if loaded.Profile().Acronym != "" || loaded.Profile().MemberCount != nil || len(loaded.Profile().Sectors) != 3 ||
		string(loaded.Contact().Digest) != "d2" || loaded.Profile().Website != "https://ghanaian-nurses.ch" {
		t.Fatalf("reloaded %+v", loaded.Profile())
	}

	// Removing the contact is a change too.
	fields, err = loaded.UpdateProfile(admin, association.ProfileUpdate{Profile: loaded.Profile().Input(), Contact: association.ContactUpdate{Set: true}}, now)
	if err != nil || !reflect.DeepEqual(fields, []string{"contact"}) {
		t.Fatalf("removing the contact: %v, %v", fields, err)
	}
}

func TestForgettingTheContactLeavesNoContact(t *testing.T) {
	t.Parallel()
	a, l := registered(t)
	if err := a.ForgetContact(self(a), now); err != nil {
		t.Fatal(err)
	}
	if a.Contact() != nil {
		t.Fatal("the contact is still there")
	}
	loaded := l.save(t, a)
	if loaded.Contact() != nil {
		t.Fatal("the contact came back on reload")
	}
	if err := loaded.ForgetContact(admin, now); err != nil || len(loaded.PendingEvents()) != 0 {
		t.Fatalf("forgetting twice: %v, %d events", err, len(loaded.PendingEvents()))
	}
}

// A repeat of the request that gave the association its key gets a newer key; the
// generation counts every key, renewed or reissued, and survives a reload.
func TestAReissuedKeyEndsTheEarlierOnes(t *testing.T) {
	t.Parallel()
	a, l := registered(t)
	if err := a.RenewKey(self(a), now); err != nil {
		t.Fatal(err)
	}
	if err := a.ReissueKey(now); err != nil {
		t.Fatal(err)
	}
	if a.KeyGeneration() != 2 {
		t.Fatalf("generation %d after a renewal and a reissue", a.KeyGeneration())
	}
	loaded := l.save(t, a)
	if loaded.KeyGeneration() != 2 {
		t.Fatalf("generation %d after a reload", loaded.KeyGeneration())
	}
	if err := loaded.Dissolve(admin, "merged", now); err != nil {
		t.Fatal(err)
	}
	if err := loaded.ReissueKey(now); !errors.Is(err, association.ErrDissolved) {
		t.Fatalf("a dissolved association's key reissued: %v", err)
	}
}

func TestFromHistoryOfNothingIsNotFound(t *testing.T) {
	t.Parallel()
	if _, err := association.FromHistory(nil); !errors.Is(err, association.ErrNotFound) {
		t.Fatalf("got %v", err)
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
	if association.NameKey("Œuvre d'entraide") != association.NameKey("OEUVRE D ENTRAIDE") {
		t.Error("ligatures: Œ must match OE")
	}
	if association.NameKey("Straße") != association.NameKey("STRASSE") {
		t.Error("full case folding: ß must match SS")
	}
	if association.NameKey("Ghana Union") == association.NameKey("Ghana Unity") {
		t.Error("different names share a key")
	}
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// founding are the cities the tests register in.
var founding = association.Cities{association.NewCity("london", "GB"), association.NewCity("geneva", "CH"),
	association.NewCity("brussels", "BE"), association.NewCity("paris", "FR"), association.NewCity("washington", "US")}
