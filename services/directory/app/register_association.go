package app

import (
	"context"
	"fmt"

	"github.com/google/uuid"

	"passerelle.dev/directory/domain/association"
	"passerelle.dev/servicekit/command"
)

// ContactInput is a contact person as a form sends it.
type ContactInput struct {
	Name  string `json:"name"`
	Email string `json:"email"`
	Phone string `json:"phone,omitempty"`
}

// ProfileInput is a profile as a form sends it (the contract's details, unchecked).
type ProfileInput = association.ProfileInput

// RegisterAssociation asks to put an association on the platform. Anyone may send it:
// registering needs no account.
type RegisterAssociation struct {
	Profile ProfileInput  `json:"profile"`
	Contact *ContactInput `json:"contact,omitempty"`
	Request Request       `json:"-"`
}

// RegisterAssociation registers the association and returns it with the token it will
// use to keep its profile; a repeat answers as withKey says.
func (app *Application) RegisterAssociation(ctx context.Context, cmd RegisterAssociation) (Result, error) {
	key, err := cmd.Request.Key("RegisterAssociation", cmd)
	if err != nil {
		return Result{}, err
	}
	res, replayed, err := app.replayFirst(ctx, key)
	if err != nil {
		return Result{}, err
	}
	if !replayed {
		if res, err = app.register(ctx, cmd, key); err != nil {
			return Result{}, err
		}
	}
	return app.withKey(ctx, res, cmd.Request)
}

func (app *Application) register(ctx context.Context, cmd RegisterAssociation, key command.Key) (Result, error) {
	now := app.now()
	cities, err := app.cities.Open(ctx, cmd.Profile.City)
	if err != nil {
		return Result{}, err
	}
	profile, err := association.NewProfile(cmd.Profile, now, cities)
	if err != nil {
		return Result{}, err
	}
	id := uuid.Must(uuid.NewV7())
	var sealed *association.SealedContact
	if cmd.Contact != nil {
		contact, err := association.NewContact(cmd.Contact.Name, cmd.Contact.Email, cmd.Contact.Phone)
		if err != nil {
			return Result{}, err
		}
		if sealed, err = app.vault.Seal(ctx, id.String(), profile.City.String(), contact); err != nil {
			return Result{}, fmt.Errorf("register association: seal contact: %w", err)
		}
	}
	a, err := association.Register(id, profile, sealed, now)
	if err != nil {
		return Result{}, err
	}
	o, err := app.repo.Add(ctx, a, cmd.Request.Metadata(), key)
	if err != nil {
		return Result{}, err
	}
	if o.Replayed { // a twin of this request committed first
		return app.replay(ctx, o)
	}
	return Result{Association: associationOf(a), Position: o.Position}, nil
}
