package app

import (
	"context"
	"encoding/json"
	"fmt"

	"passerelle.dev/directory/domain/association"
)

// Optional is a field of a partial update: absent (unchanged), null (cleared) or set.
// In JSON an absent key stays unset; `null` sets it to nothing.
type Optional[T any] struct {
	Set   bool
	Value *T
}

// Some returns a set Optional.
func Some[T any](v T) Optional[T] { return Optional[T]{Set: true, Value: &v} }

// UnmarshalJSON is called only for keys present in the JSON.
func (o *Optional[T]) UnmarshalJSON(b []byte) error {
	o.Set = true
	if string(b) == "null" {
		o.Value = nil
		return nil
	}
	var v T
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	o.Value = &v
	return nil
}

// MarshalJSON writes the value or null; unset fields are left out with `omitzero`.
func (o Optional[T]) MarshalJSON() ([]byte, error) {
	if o.Value == nil {
		return []byte("null"), nil
	}
	return json.Marshal(*o.Value)
}

// ProfilePatch lists the fields an update changes; unset fields keep their value.
// Description is replaced as a whole.
type ProfilePatch struct {
	Name               Optional[string]       `json:"name,omitzero"`
	Acronym            Optional[string]       `json:"acronym,omitzero"`
	Kind               Optional[string]       `json:"kind,omitzero"`
	OriginCountries    Optional[[]string]     `json:"originCountries,omitzero"`
	City               Optional[string]       `json:"city,omitzero"`
	CountryOfResidence Optional[string]       `json:"countryOfResidence,omitzero"`
	Sectors            Optional[[]string]     `json:"sectors,omitzero"`
	Languages          Optional[[]string]     `json:"languages,omitzero"`
	Description        Optional[Description]  `json:"description,omitzero"`
	Website            Optional[string]       `json:"website,omitzero"`
	MemberCount        Optional[int]          `json:"memberCount,omitzero"`
	YearFounded        Optional[int]          `json:"yearFounded,omitzero"`
	Contact            Optional[ContactInput] `json:"contact,omitzero"`
}

func setString(dst *string, o Optional[string]) {
	if o.Set {
		*dst = ""
		if o.Value != nil {
			*dst = *o.Value
		}
	}
}

func setSlice(dst *[]string, o Optional[[]string]) {
	if o.Set {
		*dst = nil
		if o.Value != nil {
			*dst = *o.Value
		}
	}
}

func setInt(dst **int, o Optional[int]) {
	if o.Set {
		*dst = o.Value
	}
}

// apply returns the profile with the patch applied, unchecked: the aggregate checks it.
func (p ProfilePatch) apply(in association.ProfileInput) association.ProfileInput {
	setString(&in.Name, p.Name)
	setString(&in.Acronym, p.Acronym)
	setString(&in.Kind, p.Kind)
	setSlice(&in.OriginCountries, p.OriginCountries)
	setString(&in.City, p.City)
	setString(&in.CountryOfResidence, p.CountryOfResidence)
	setSlice(&in.Sectors, p.Sectors)
	setSlice(&in.Languages, p.Languages)
	if p.Description.Set {
		in.Description = association.Description{}
		if d := p.Description.Value; d != nil {
			in.Description = *d
		}
	}
	setString(&in.Website, p.Website)
	setInt(&in.MemberCount, p.MemberCount)
	setInt(&in.YearFounded, p.YearFounded)
	return in
}

// UpdateAssociationProfile changes an association's profile: the association itself, or
// an admin. An update that changes nothing writes nothing.
type UpdateAssociationProfile struct {
	AssociationID string       `json:"associationId"`
	Patch         ProfilePatch `json:"patch"`
	Request       Request      `json:"-"`
}

// UpdateAssociationProfile updates the profile and says which fields changed.
func (app *Application) UpdateAssociationProfile(ctx context.Context, cmd UpdateAssociationProfile) (Result, error) {
	key, err := cmd.Request.Key("UpdateAssociationProfile", cmd)
	if err != nil {
		return Result{}, err
	}
	if res, replayed, err := app.replayFirst(ctx, key); err != nil || replayed {
		return res, err
	}
	// Check the contact before anything, and without the association: a refusal must not
	// depend on who asks.
	var contact *association.Contact
	if v := cmd.Patch.Contact.Value; v != nil {
		c, err := association.NewContact(v.Name, v.Email, v.Phone)
		if err != nil {
			return Result{}, err
		}
		contact = &c
	}
	now := app.now()
	var cities association.Cities
	if c := cmd.Patch.City; c.Set && c.Value != nil {
		if cities, err = app.cities.Open(ctx, *c.Value); err != nil {
			return Result{}, err
		}
	}
	var fields []string
	a, o, err := app.repo.Update(ctx, cmd.AssociationID, cmd.Request.Metadata(), key, func(a *association.Association) error {
		next := cmd.Patch.apply(a.Profile().Input())
		update := association.ProfileUpdate{Profile: next, Contact: association.ContactUpdate{Set: cmd.Patch.Contact.Set}, Cities: cities}
		if contact != nil {
			// Only for someone who may change this association is its key used.
			if err := a.MayManage(cmd.Request.Actor); err != nil {
				return err
			}
			sealed, err := app.vault.Seal(ctx, a.ID(), a.City().String(), *contact)
			if err != nil {
				return fmt.Errorf("seal contact: %w", err)
			}
			update.Contact.Sealed = sealed
		}
		var err error
		fields, err = a.UpdateProfile(cmd.Request.Actor, update, now)
		return err
	})
	if err != nil {
		return Result{}, err
	}
	if o.Replayed {
		return app.replay(ctx, o)
	}
	return Result{Association: associationOf(a), Position: o.Position, ChangedFields: fields}, nil
}
