package app

import (
	"context"

	"passerelle.dev/directory/domain/association"
)

// VerifyAssociation: a coordinator of the association's city, or an admin, checked a
// pending association.
type VerifyAssociation struct {
	AssociationID string  `json:"associationId"`
	Request       Request `json:"-"`
}

// RejectAssociation refuses a pending registration, with a reason.
type RejectAssociation struct {
	AssociationID string  `json:"associationId"`
	Reason        string  `json:"reason"`
	Request       Request `json:"-"`
}

// SuspendAssociation suspends a verified association, with a reason.
type SuspendAssociation struct {
	AssociationID string  `json:"associationId"`
	Reason        string  `json:"reason"`
	Request       Request `json:"-"`
}

// ReinstateAssociation lifts a suspension.
type ReinstateAssociation struct {
	AssociationID string  `json:"associationId"`
	Request       Request `json:"-"`
}

// DissolveAssociation ends an association: the association itself or an admin.
type DissolveAssociation struct {
	AssociationID string  `json:"associationId"`
	Reason        string  `json:"reason,omitempty"`
	Request       Request `json:"-"`
}

// ForgetAssociationContact erases the contact person for good: the association itself
// or an admin.
type ForgetAssociationContact struct {
	AssociationID string  `json:"associationId"`
	Request       Request `json:"-"`
}

// VerifyAssociation handles VerifyAssociation.
func (app *Application) VerifyAssociation(ctx context.Context, cmd VerifyAssociation) (Result, error) {
	return app.change(ctx, "VerifyAssociation", cmd, cmd.AssociationID, cmd.Request, func(a *association.Association) error {
		return a.Verify(cmd.Request.Actor, app.now())
	})
}

// RejectAssociation handles RejectAssociation.
func (app *Application) RejectAssociation(ctx context.Context, cmd RejectAssociation) (Result, error) {
	return app.change(ctx, "RejectAssociation", cmd, cmd.AssociationID, cmd.Request, func(a *association.Association) error {
		return a.Reject(cmd.Request.Actor, cmd.Reason, app.now())
	})
}

// SuspendAssociation handles SuspendAssociation.
func (app *Application) SuspendAssociation(ctx context.Context, cmd SuspendAssociation) (Result, error) {
	return app.change(ctx, "SuspendAssociation", cmd, cmd.AssociationID, cmd.Request, func(a *association.Association) error {
		return a.Suspend(cmd.Request.Actor, cmd.Reason, app.now())
	})
}

// ReinstateAssociation handles ReinstateAssociation.
func (app *Application) ReinstateAssociation(ctx context.Context, cmd ReinstateAssociation) (Result, error) {
	return app.change(ctx, "ReinstateAssociation", cmd, cmd.AssociationID, cmd.Request, func(a *association.Association) error {
		return a.Reinstate(cmd.Request.Actor, app.now())
	})
}

// DissolveAssociation handles DissolveAssociation.
func (app *Application) DissolveAssociation(ctx context.Context, cmd DissolveAssociation) (Result, error) {
	return app.change(ctx, "DissolveAssociation", cmd, cmd.AssociationID, cmd.Request, func(a *association.Association) error {
		return a.Dissolve(cmd.Request.Actor, cmd.Reason, app.now())
	})
}

// ForgetAssociationContact handles ForgetAssociationContact. The repository destroys the
// association's key in the transaction that records it.
func (app *Application) ForgetAssociationContact(ctx context.Context, cmd ForgetAssociationContact) (Result, error) {
	return app.change(ctx, "ForgetAssociationContact", cmd, cmd.AssociationID, cmd.Request, func(a *association.Association) error {
		return a.ForgetContact(cmd.Request.Actor, app.now())
	})
}

// change runs a lifecycle command: replay it if its idempotency key was seen, else let
// the aggregate decide and store what it recorded.
func (app *Application) change(ctx context.Context, name string, cmd any, id string, req Request, decide func(*association.Association) error) (Result, error) {
	key, err := req.Key(name, cmd)
	if err != nil {
		return Result{}, err
	}
	if res, replayed, err := app.replayFirst(ctx, key); err != nil || replayed {
		return res, err
	}
	a, o, err := app.repo.Update(ctx, id, req.Metadata(), key, decide)
	if err != nil {
		return Result{}, err
	}
	if o.Replayed {
		return app.replay(ctx, o)
	}
	return Result{Association: associationOf(a), Position: o.Position}, nil
}
