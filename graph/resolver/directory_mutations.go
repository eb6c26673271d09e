package resolver

import (
	"context"
	"strconv"

	graphql "github.com/graph-gophers/graphql-go"

	directoryapp "passerelle.dev/directory/app"
	"passerelle.dev/events"
)

// settle waits, bounded, until the read models that the write at pos concerns have
// projected it, so that queries sent after the mutation returns see its effect. A read
// model that is late makes the mutation slow, not wrong: the change is stored, so it
// still returns success.
func (r *Resolver) settle(ctx context.Context, pos events.Position) {
	r.deps.Consistency.AfterWrite(ctx, pos)
}

// settled waits for a command's effect in the read models and returns the association
// as they now show it (the command's own view when they are late).
func (r *Resolver) settled(ctx context.Context, res directoryapp.Result) (*AssociationResolver, error) {
	r.settle(ctx, res.Position)
	// A request may send several mutations: what an earlier one loaded is stale now.
	contactsOf(ctx).forget(res.Association.ID)
	batchesOf(ctx).associations.forget(res.Association.ID)
	row, ok, err := r.deps.Associations.Get(ctx, res.Association.ID, allStatuses)
	if err != nil {
		return nil, toGraphQL(ctx, r.deps.Logger, err)
	}
	switch {
	case !ok:
		row = rowFromCommand(res.Association)
	case res.Replayed:
		// A retry answers with the first result, as the service replays it: the
		// association as that command left it, not as later ones made it.
		first := rowFromCommand(res.Association)
		first.Seq, first.NameFolded = row.Seq, row.NameFolded
		first.ContactCiphertext, first.ContactErased = row.ContactCiphertext, row.ContactErased
		row = first
	}
	return r.association(ctx, row), nil
}

// DescriptionInput is the DescriptionInput input.
type DescriptionInput struct{ En, Fr, Es *string }

func (d *DescriptionInput) app() directoryapp.Description {
	if d == nil {
		return directoryapp.Description{}
	}
	deref := func(s *string) string {
		if s == nil {
			return ""
		}
		return *s
	}
	return directoryapp.Description{EN: deref(d.En), FR: deref(d.Fr), ES: deref(d.Es)}
}

// ContactPersonInput is the ContactPersonInput input.
type ContactPersonInput struct {
	Name, Email string
	Phone       *string
}

func (c *ContactPersonInput) app() *directoryapp.ContactInput {
	if c == nil {
		return nil
	}
	in := &directoryapp.ContactInput{Name: c.Name, Email: c.Email}
	if c.Phone != nil {
		in.Phone = *c.Phone
	}
	return in
}

// RegisterAssociationInput is the RegisterAssociationInput input.
type RegisterAssociationInput struct {
	Name               string
	Acronym            *string
	Kind               *string
	OriginCountries    []string
	City               string
	CountryOfResidence *string
	Sectors            *[]string
	Languages          *[]string
	Description        *DescriptionInput
	Website            *string
	MemberCount        *int32
	YearFounded        *int32
	Contact            *ContactPersonInput
}

// RegisterAssociation resolves Mutation.registerAssociation.
func (r *Resolver) RegisterAssociation(ctx context.Context, args struct {
	Input          RegisterAssociationInput
	IdempotencyKey *string
}) (*RegisterAssociationPayload, error) {
	req, err := command(ctx, args.IdempotencyKey)
	if err != nil {
		return nil, err
	}
	in := args.Input
	res, err := r.deps.Directory.RegisterAssociation(ctx, directoryapp.RegisterAssociation{
		Profile: directoryapp.ProfileInput{
			Name: in.Name, Acronym: stringOf(in.Acronym), Kind: stringOf(in.Kind), OriginCountries: in.OriginCountries,
			City: in.City, CountryOfResidence: stringOf(in.CountryOfResidence), Sectors: listOf(in.Sectors),
			Languages: listOf(in.Languages), Description: in.Description.app(), Website: stringOf(in.Website),
			MemberCount: intOf(in.MemberCount), YearFounded: intOf(in.YearFounded),
		},
		Contact: in.Contact.app(),
		Request: req,
	})
	if err != nil {
		return nil, toGraphQL(ctx, r.deps.Logger, err)
	}
	a, err := r.settled(ctx, res)
	if err != nil {
		return nil, err
	}
	return &RegisterAssociationPayload{association: a, token: optional(res.Token), position: res.Position,
		keyWithheld: keyWithheld(res.KeyWithheld, newAssociationKey)}, nil
}

// RegisterAssociationPayload resolves RegisterAssociationPayload.
type RegisterAssociationPayload struct {
	association *AssociationResolver
	token       *string
	position    events.Position
	keyWithheld *KeyWithheldResolver
}

// Association resolves RegisterAssociationPayload.association.
func (p *RegisterAssociationPayload) Association() *AssociationResolver { return p.association }

// Token resolves RegisterAssociationPayload.token.
func (p *RegisterAssociationPayload) Token() *string { return p.token }

// KeyWithheld resolves RegisterAssociationPayload.keyWithheld.
func (p *RegisterAssociationPayload) KeyWithheld() *KeyWithheldResolver { return p.keyWithheld }

// Position resolves RegisterAssociationPayload.position.
func (p *RegisterAssociationPayload) Position() string {
	return strconv.FormatInt(p.position.GlobalPosition, 10)
}

// UpdateAssociationProfileInput is the UpdateAssociationProfileInput input. Nullable
// scalars tell "left out" (unchanged) from null (cleared).
type UpdateAssociationProfileInput struct {
	Name               graphql.NullString
	Acronym            graphql.NullString
	Kind               *string // an enum: null leaves it as it is
	OriginCountries    *[]string
	City               graphql.NullString
	CountryOfResidence graphql.NullString
	Sectors            *[]string
	Languages          *[]string
	Description        *DescriptionInput
	Website            graphql.NullString
	MemberCount        graphql.NullInt
	YearFounded        graphql.NullInt
	Contact            *ContactPersonInput
}

func optString(n graphql.NullString) directoryapp.Optional[string] {
	return directoryapp.Optional[string]{Set: n.Set, Value: n.Value}
}

func optInt(n graphql.NullInt) directoryapp.Optional[int] {
	return directoryapp.Optional[int]{Set: n.Set, Value: intOf(n.Value)}
}

func optList(l *[]string) directoryapp.Optional[[]string] {
	if l == nil {
		return directoryapp.Optional[[]string]{}
	}
	return directoryapp.Some(*l)
}

func (in UpdateAssociationProfileInput) patch() directoryapp.ProfilePatch {
	p := directoryapp.ProfilePatch{
		Name: optString(in.Name), Acronym: optString(in.Acronym),
		OriginCountries: optList(in.OriginCountries), City: optString(in.City),
		CountryOfResidence: optString(in.CountryOfResidence), Sectors: optList(in.Sectors),
		Languages: optList(in.Languages), Website: optString(in.Website),
		MemberCount: optInt(in.MemberCount), YearFounded: optInt(in.YearFounded),
	}
	if in.Kind != nil {
		p.Kind = directoryapp.Some(*in.Kind)
	}
	if in.Description != nil {
		p.Description = directoryapp.Some(in.Description.app())
	}
	if c := in.Contact.app(); c != nil {
		p.Contact = directoryapp.Some(*c)
	}
	return p
}

// UpdateAssociationProfile resolves Mutation.updateAssociationProfile.
func (r *Resolver) UpdateAssociationProfile(ctx context.Context, args struct {
	ID             graphql.ID
	Input          UpdateAssociationProfileInput
	IdempotencyKey *string
}) (*UpdateAssociationProfilePayload, error) {
	req, err := command(ctx, args.IdempotencyKey)
	if err != nil {
		return nil, err
	}
	id, err := parseGlobalID(args.ID, kindAssociation)
	if err != nil {
		return nil, err
	}
	res, err := r.deps.Directory.UpdateAssociationProfile(ctx, directoryapp.UpdateAssociationProfile{
		AssociationID: id, Patch: args.Input.patch(), Request: req,
	})
	if err != nil {
		return nil, toGraphQL(ctx, r.deps.Logger, err)
	}
	a, err := r.settled(ctx, res)
	if err != nil {
		return nil, err
	}
	return &UpdateAssociationProfilePayload{association: a, fields: nonNil(res.ChangedFields), position: res.Position}, nil
}

// UpdateAssociationProfilePayload resolves UpdateAssociationProfilePayload.
type UpdateAssociationProfilePayload struct {
	association *AssociationResolver
	fields      []string
	position    events.Position
}

// Association resolves UpdateAssociationProfilePayload.association.
func (p *UpdateAssociationProfilePayload) Association() *AssociationResolver { return p.association }

// ChangedFields resolves UpdateAssociationProfilePayload.changedFields.
func (p *UpdateAssociationProfilePayload) ChangedFields() []string { return p.fields }

// Position resolves UpdateAssociationProfilePayload.position.
func (p *UpdateAssociationProfilePayload) Position() *string { return positionString(p.position) }

// AssociationPayload resolves AssociationPayload.
type AssociationPayload struct {
	association *AssociationResolver
	position    events.Position
}

// Association resolves AssociationPayload.association.
func (p *AssociationPayload) Association() *AssociationResolver { return p.association }

// Position resolves AssociationPayload.position.
func (p *AssociationPayload) Position() *string { return positionString(p.position) }

// lifecycle runs one of the lifecycle mutations: decode the id, call the directory,
// wait for the read models.
func (r *Resolver) lifecycle(ctx context.Context, id graphql.ID, key *string, call func(id string, req directoryapp.Request) (directoryapp.Result, error)) (*AssociationPayload, error) {
	req, err := command(ctx, key)
	if err != nil {
		return nil, err
	}
	local, err := parseGlobalID(id, kindAssociation)
	if err != nil {
		return nil, err
	}
	res, err := call(local, req)
	if err != nil {
		return nil, toGraphQL(ctx, r.deps.Logger, err)
	}
	a, err := r.settled(ctx, res)
	if err != nil {
		return nil, err
	}
	return &AssociationPayload{association: a, position: res.Position}, nil
}

// RenewAssociationKey resolves Mutation.renewAssociationKey.
func (r *Resolver) RenewAssociationKey(ctx context.Context, args idArgs) (*AssociationKeyPayload, error) {
	var token, withheld string
	p, err := r.lifecycle(ctx, args.ID, args.IdempotencyKey, func(id string, req directoryapp.Request) (directoryapp.Result, error) {
		res, err := r.deps.Directory.RenewAssociationKey(ctx, directoryapp.RenewAssociationKey{AssociationID: id, Request: req})
		token, withheld = res.Token, res.KeyWithheld
		return res, err
	})
	if err != nil {
		return nil, err
	}
	return &AssociationKeyPayload{AssociationPayload: p, token: optional(token), keyWithheld: keyWithheld(withheld, renewAgain)}, nil
}

// AssociationKeyPayload resolves AssociationKeyPayload.
type AssociationKeyPayload struct {
	*AssociationPayload
	token       *string
	keyWithheld *KeyWithheldResolver
}

// Token resolves AssociationKeyPayload.token.
func (p *AssociationKeyPayload) Token() *string { return p.token }

// KeyWithheld resolves AssociationKeyPayload.keyWithheld.
func (p *AssociationKeyPayload) KeyWithheld() *KeyWithheldResolver { return p.keyWithheld }

// VerifyAssociation resolves Mutation.verifyAssociation.
func (r *Resolver) VerifyAssociation(ctx context.Context, args idArgs) (*AssociationPayload, error) {
	return r.lifecycle(ctx, args.ID, args.IdempotencyKey, func(id string, req directoryapp.Request) (directoryapp.Result, error) {
		return r.deps.Directory.VerifyAssociation(ctx, directoryapp.VerifyAssociation{AssociationID: id, Request: req})
	})
}

// RejectAssociation resolves Mutation.rejectAssociation.
func (r *Resolver) RejectAssociation(ctx context.Context, args reasonArgs) (*AssociationPayload, error) {
	return r.lifecycle(ctx, args.ID, args.IdempotencyKey, func(id string, req directoryapp.Request) (directoryapp.Result, error) {
		return r.deps.Directory.RejectAssociation(ctx, directoryapp.RejectAssociation{AssociationID: id, Reason: args.Reason, Request: req})
	})
}

// SuspendAssociation resolves Mutation.suspendAssociation.
func (r *Resolver) SuspendAssociation(ctx context.Context, args reasonArgs) (*AssociationPayload, error) {
	return r.lifecycle(ctx, args.ID, args.IdempotencyKey, func(id string, req directoryapp.Request) (directoryapp.Result, error) {
		return r.deps.Directory.SuspendAssociation(ctx, directoryapp.SuspendAssociation{AssociationID: id, Reason: args.Reason, Request: req})
	})
}

// ReinstateAssociation resolves Mutation.reinstateAssociation.
func (r *Resolver) ReinstateAssociation(ctx context.Context, args idArgs) (*AssociationPayload, error) {
	return r.lifecycle(ctx, args.ID, args.IdempotencyKey, func(id string, req directoryapp.Request) (directoryapp.Result, error) {
		return r.deps.Directory.ReinstateAssociation(ctx, directoryapp.ReinstateAssociation{AssociationID: id, Request: req})
	})
}

// DissolveAssociation resolves Mutation.dissolveAssociation.
func (r *Resolver) DissolveAssociation(ctx context.Context, args struct {
	ID             graphql.ID
	Reason         *string
	IdempotencyKey *string
}) (*AssociationPayload, error) {
	return r.lifecycle(ctx, args.ID, args.IdempotencyKey, func(id string, req directoryapp.Request) (directoryapp.Result, error) {
		return r.deps.Directory.DissolveAssociation(ctx, directoryapp.DissolveAssociation{AssociationID: id, Reason: stringOf(args.Reason), Request: req})
	})
}

// ForgetAssociationContact resolves Mutation.forgetAssociationContact.
func (r *Resolver) ForgetAssociationContact(ctx context.Context, args idArgs) (*AssociationPayload, error) {
	return r.lifecycle(ctx, args.ID, args.IdempotencyKey, func(id string, req directoryapp.Request) (directoryapp.Result, error) {
		return r.deps.Directory.ForgetAssociationContact(ctx, directoryapp.ForgetAssociationContact{AssociationID: id, Request: req})
	})
}
