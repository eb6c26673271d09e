// Package directoryevents is the published contract of the directory service: the events
// it appends about associations, as stored and as every consumer reads them. Changing a
// field's meaning needs a new schema version and an upcaster, never an edit in place.
//
// Personal data (the contact person) never appears in clear: events carry it sealed
// with a key of the association's own, which forgetting the contact destroys.
package directoryevents

import (
	"encoding/json"
	"reflect"
	"strings"
	"time"

	"passerelle.dev/events"
)

// Event type names. They are stored with every event and must never change.
const (
	AssociationRegisteredType       = "directory.AssociationRegistered"
	AssociationVerifiedType         = "directory.AssociationVerified"
	AssociationRejectedType         = "directory.AssociationRejected"
	AssociationSuspendedType        = "directory.AssociationSuspended"
	AssociationReinstatedType       = "directory.AssociationReinstated"
	AssociationDissolvedType        = "directory.AssociationDissolved"
	AssociationProfileUpdatedType   = "directory.AssociationProfileUpdated"
	AssociationContactForgottenType = "directory.AssociationContactForgotten"
	AssociationKeyRenewedType       = "directory.AssociationKeyRenewed"
)

// Sectors are the themes of the dialogue, which associations work on and sessions are
// about.
var Sectors = []string{
	"HEALTH", "REMITTANCES", "INVESTMENT", "SKILLS_CIRCULATION", "EDUCATION",
	"INTEGRATION", "HUMAN_RIGHTS", "TRADE", "RESEARCH", "CULTURE",
}

// StreamPrefix starts the stream id of every association.
const StreamPrefix = "association-"

// StreamID is the stream of the association with the given id.
func StreamID(associationID string) string { return StreamPrefix + associationID }

// AssociationIDFromStream returns the association id of a stream, ok false for streams
// that are not associations'.
func AssociationIDFromStream(stream string) (string, bool) {
	return strings.CutPrefix(stream, StreamPrefix)
}

// Description is an association's presentation in the languages of the dialogue.
type Description struct {
	EN string `json:"en,omitempty"`
	FR string `json:"fr,omitempty"`
	ES string `json:"es,omitempty"`
}

// SealedContact is the contact person (name, email, phone) encrypted with the
// association's data key. Digest is a keyed hash of the clear contact, so that an
// unchanged contact is recognised without decrypting; it means nothing without the key.
type SealedContact struct {
	Ciphertext []byte `json:"ciphertext"`
	Digest     []byte `json:"digest"`
}

// ProfileDetails is what an association says about itself in clear: the one shape that
// the domain's form input, the service's commands and results, and the events share.
// Its fields' JSON names are the GraphQL field names, which updates list (Fields).
type ProfileDetails struct {
	Name    string `json:"name"`
	Acronym string `json:"acronym,omitempty"`
	// Kind: DIASPORA_ASSOCIATION, NGO, FAITH_COMMUNITY, PROFESSIONAL_NETWORK, BUSINESS,
	// UNIVERSITY, TRADE_UNION or OTHER.
	Kind string `json:"kind"`
	// OriginCountries are ISO 3166-1 alpha-2 codes, upper case.
	OriginCountries []string `json:"originCountries"`
	// City is the platform city slug (london, geneva, …).
	City string `json:"city"`
	// CountryOfResidence is an ISO 3166-1 alpha-2 code.
	CountryOfResidence string `json:"countryOfResidence"`
	// Sectors: HEALTH, REMITTANCES, INVESTMENT, SKILLS_CIRCULATION, EDUCATION,
	// INTEGRATION, HUMAN_RIGHTS, TRADE, RESEARCH, CULTURE.
	Sectors []string `json:"sectors,omitempty"`
	// Languages are canonical BCP 47 tags.
	Languages   []string    `json:"languages,omitempty"`
	Description Description `json:"description"`
	Website     string      `json:"website,omitempty"`
	MemberCount *int        `json:"memberCount,omitempty"`
	YearFounded *int        `json:"yearFounded,omitempty"`
}

// Profile is everything an association says about itself, as events carry it: the
// details in clear (inlined in JSON) and the contact person sealed.
type Profile struct {
	ProfileDetails
	// Contact is absent when the association gave none.
	Contact *SealedContact `json:"contact,omitempty"`
}

// AssociationRegistered (schema version 2): an association registered online and awaits
// verification.
type AssociationRegistered struct {
	AssociationID string    `json:"associationId"`
	Profile       Profile   `json:"profile"`
	RegisteredAt  time.Time `json:"registeredAt"`
}

// ProfileChanges holds the new values of the fields an update changed. Which fields
// changed is AssociationProfileUpdated.Fields: a field listed there with no value here
// (memberCount, yearFounded, contact) or an empty one (acronym, website) was cleared.
type ProfileChanges struct {
	Name               *string        `json:"name,omitempty"`
	Acronym            *string        `json:"acronym,omitempty"`
	Kind               *string        `json:"kind,omitempty"`
	OriginCountries    []string       `json:"originCountries,omitempty"`
	City               *string        `json:"city,omitempty"`
	CountryOfResidence *string        `json:"countryOfResidence,omitempty"`
	Sectors            *[]string      `json:"sectors,omitempty"`
	Languages          *[]string      `json:"languages,omitempty"`
	Description        *Description   `json:"description,omitempty"`
	Website            *string        `json:"website,omitempty"`
	MemberCount        *int           `json:"memberCount,omitempty"`
	YearFounded        *int           `json:"yearFounded,omitempty"`
	Contact            *SealedContact `json:"contact,omitempty"`
}

// Apply returns the profile with the update's changes: the one reading of an update
// that every consumer shares.
func (p Profile) Apply(e AssociationProfileUpdated) Profile {
	to, from := reflect.ValueOf(&p).Elem(), reflect.ValueOf(e.Changes)
	for _, name := range e.Fields {
		if f, ok := profileFieldsByName[name]; ok {
			f.apply(to, from)
		}
	}
	return p
}

// ChangesIn picks the new values of fields out of the updated profile p: what an
// AssociationProfileUpdated carries, and Apply reads back.
func (p Profile) ChangesIn(fields []string) ProfileChanges {
	var c ProfileChanges
	to, from := reflect.ValueOf(&c).Elem(), reflect.ValueOf(&p).Elem()
	for _, name := range fields {
		if f, ok := profileFieldsByName[name]; ok {
			f.pick(to, from)
		}
	}
	return c
}

// Diff lists, in ProfileFields' order, the fields in which q differs from d. An empty
// list and no list are the same.
func (d ProfileDetails) Diff(q ProfileDetails) []string {
	var out []string
	a, b := reflect.ValueOf(d), reflect.ValueOf(q)
	for _, f := range profileFields[:len(profileFields)-1] { // the details, not the contact
		x, y := a.FieldByIndex(f.profile[1:]), b.FieldByIndex(f.profile[1:])
		if x.Kind() == reflect.Slice && x.Len() == 0 && y.Len() == 0 {
			continue
		}
		if !reflect.DeepEqual(x.Interface(), y.Interface()) {
			out = append(out, f.name)
		}
	}
	return out
}

// ProfileFields are the names of a profile's fields, as updates list them: the details
// in their declared order, then "contact".
func ProfileFields() []string {
	out := make([]string, len(profileFields))
	for i, f := range profileFields {
		out[i] = f.name
	}
	return out
}

// profileField ties a field of Profile to the field of ProfileChanges with the same JSON
// name. A change is either the field's own type (a slice, a pointer: nil clears) or a
// pointer to it (nil: not carried).
type profileField struct {
	name    string
	profile []int // index path in Profile
	change  int   // index in ProfileChanges
}

func (f profileField) apply(to reflect.Value, changes reflect.Value) {
	dst, src := to.FieldByIndex(f.profile), changes.Field(f.change)
	switch {
	case src.Type() == dst.Type():
		dst.Set(src)
	case src.IsNil():
		dst.SetZero()
	default:
		dst.Set(src.Elem())
	}
}

func (f profileField) pick(to reflect.Value, profile reflect.Value) {
	dst, src := to.Field(f.change), profile.FieldByIndex(f.profile)
	if src.Type() == dst.Type() {
		dst.Set(src)
		return
	}
	v := reflect.New(src.Type())
	v.Elem().Set(src)
	dst.Set(v)
}

// profileFields is derived once from the types, so that a field added to ProfileDetails
// and ProfileChanges is applied, picked and compared without another list to keep.
var profileFields, profileFieldsByName = func() ([]profileField, map[string]profileField) {
	changes := map[string]int{}
	ct := reflect.TypeFor[ProfileChanges]()
	for i := range ct.NumField() {
		changes[jsonName(ct.Field(i))] = i
	}
	var out []profileField
	add := func(sf reflect.StructField, index []int) {
		name := jsonName(sf)
		c, ok := changes[name]
		if !ok {
			panic("directoryevents: ProfileChanges has no field " + name)
		}
		if t := ct.Field(c).Type; t != sf.Type && t != reflect.PointerTo(sf.Type) {
			panic("directoryevents: ProfileChanges." + ct.Field(c).Name + " does not carry a " + sf.Type.String())
		}
		out = append(out, profileField{name: name, profile: index, change: c})
	}
	dt := reflect.TypeFor[ProfileDetails]()
	for i := range dt.NumField() {
		add(dt.Field(i), []int{0, i})
	}
	pt := reflect.TypeFor[Profile]()
	contact, _ := pt.FieldByName("Contact")
	add(contact, contact.Index)
	if len(out) != len(changes) {
		panic("directoryevents: ProfileChanges carries fields a profile does not have")
	}
	byName := make(map[string]profileField, len(out))
	for _, f := range out {
		byName[f.name] = f
	}
	return out, byName
}()

func jsonName(f reflect.StructField) string {
	name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
	return name
}

// Changed reports whether the update changed field (a GraphQL field name).
func (e AssociationProfileUpdated) Changed(field string) bool {
	for _, f := range e.Fields {
		if f == field {
			return true
		}
	}
	return false
}

// AssociationProfileUpdated: the association (or an admin) changed its profile. Fields
// lists the changed fields by their GraphQL names; Changes holds their new values.
type AssociationProfileUpdated struct {
	AssociationID string         `json:"associationId"`
	Fields        []string       `json:"fields"`
	Changes       ProfileChanges `json:"changes"`
	UpdatedAt     time.Time      `json:"updatedAt"`
}

// AssociationVerified: a coordinator of the association's city, or an admin, checked
// that the association is who it says it is.
type AssociationVerified struct {
	AssociationID string    `json:"associationId"`
	VerifiedAt    time.Time `json:"verifiedAt"`
}

// AssociationRejected: a pending registration was refused, with a reason (for a double
// registration, the reason points to the original).
type AssociationRejected struct {
	AssociationID string    `json:"associationId"`
	Reason        string    `json:"reason"`
	RejectedAt    time.Time `json:"rejectedAt"`
}

// AssociationSuspended: a verified association was suspended, with a reason.
type AssociationSuspended struct {
	AssociationID string    `json:"associationId"`
	Reason        string    `json:"reason"`
	SuspendedAt   time.Time `json:"suspendedAt"`
}

// AssociationReinstated: a suspended association is verified again.
type AssociationReinstated struct {
	AssociationID string    `json:"associationId"`
	ReinstatedAt  time.Time `json:"reinstatedAt"`
}

// AssociationDissolved: the association ended, by its own decision or an admin's.
type AssociationDissolved struct {
	AssociationID string    `json:"associationId"`
	Reason        string    `json:"reason,omitempty"`
	DissolvedAt   time.Time `json:"dissolvedAt"`
}

// AssociationContactForgotten: the association's contact data were erased. The key that sealed
// them is destroyed in the same transaction, so the sealed copies in earlier events can
// no longer be read by anyone.
type AssociationContactForgotten struct {
	AssociationID string    `json:"associationId"`
	ForgottenAt   time.Time `json:"forgottenAt"`
}

// AssociationKeyRenewed: the association (or an admin, for a lost key) took a new key;
// the tokens of every earlier generation stop working. Generation counts the renewals.
type AssociationKeyRenewed struct {
	AssociationID string    `json:"associationId"`
	Generation    int       `json:"generation"`
	RenewedAt     time.Time `json:"renewedAt"`
}

// registeredV1 is AssociationRegistered as schema version 1 stored it.
type registeredV1 struct {
	AssociationID   string    `json:"associationId"`
	Name            string    `json:"name"`
	City            string    `json:"city"`
	OriginCountries []string  `json:"originCountries"`
	RegisteredAt    time.Time `json:"registeredAt"`
}

// CityCountries are the countries of the platform's first cities, the residence of an
// association that did not say otherwise.
var CityCountries = map[string]string{
	"london": "GB", "geneva": "CH", "brussels": "BE", "paris": "FR", "washington": "US",
}

// upcastRegisteredV1 moves version 1's flat fields into the profile, with the defaults
// version 1 implied: a diaspora association residing in its city's country.
func upcastRegisteredV1(data json.RawMessage) (json.RawMessage, error) {
	var v1 registeredV1
	if err := json.Unmarshal(data, &v1); err != nil {
		return nil, err
	}
	return json.Marshal(AssociationRegistered{
		AssociationID: v1.AssociationID,
		Profile: Profile{ProfileDetails: ProfileDetails{
			Name: v1.Name, Kind: "DIASPORA_ASSOCIATION", OriginCountries: v1.OriginCountries,
			City: v1.City, CountryOfResidence: CityCountries[v1.City],
		}},
		RegisteredAt: v1.RegisteredAt,
	})
}

// Register adds the directory's events to a registry.
func Register(r *events.Registry) error {
	regs := []func() error{
		func() error {
			return events.Register[AssociationRegistered](r, AssociationRegisteredType, 2,
				events.Upcast{From: 1, Up: upcastRegisteredV1})
		},
		func() error { return events.Register[AssociationVerified](r, AssociationVerifiedType, 1) },
		func() error { return events.Register[AssociationRejected](r, AssociationRejectedType, 1) },
		func() error { return events.Register[AssociationSuspended](r, AssociationSuspendedType, 1) },
		func() error { return events.Register[AssociationReinstated](r, AssociationReinstatedType, 1) },
		func() error { return events.Register[AssociationDissolved](r, AssociationDissolvedType, 1) },
		func() error {
			return events.Register[AssociationProfileUpdated](r, AssociationProfileUpdatedType, 1)
		},
		func() error {
			return events.Register[AssociationContactForgotten](r, AssociationContactForgottenType, 1)
		},
		func() error { return events.Register[AssociationKeyRenewed](r, AssociationKeyRenewedType, 1) },
	}
	for _, reg := range regs {
		if err := reg(); err != nil {
			return err
		}
	}
	return nil
}
