package app

import (
	"context"

	"github.com/google/uuid"

	"passerelle.dev/sessions/domain/session"
)

// RegisterForSession asks seats at a session for a verified association: the
// association itself, a coordinator of the session's city, an admin.
type RegisterForSession struct {
	SessionID     string  `json:"sessionId"`
	AssociationID string  `json:"associationId"`
	Seats         int     `json:"seats"`
	Request       Request `json:"-"`
}

// RegisterForSession handles RegisterForSession. The answer says whether the seats are
// confirmed or waitlisted, and where in the waitlist.
func (app *Application) RegisterForSession(ctx context.Context, cmd RegisterForSession) (Result, error) {
	if _, err := uuid.Parse(cmd.AssociationID); err != nil {
		return Result{}, &session.InvalidInputError{Field: "associationId", Reason: "not an association id"}
	}
	// Whether an association is verified is public (the public lists verified ones), so
	// it is checked first, outside the session's lock: registrations of a session wait
	// for each other, not for the directory's events.
	if !cmd.Request.Actor.IsAuthenticated() {
		return Result{}, session.ErrNeedsSignIn
	}
	verified, err := app.associations.IsVerified(ctx, cmd.AssociationID)
	if err != nil {
		return Result{}, err
	}
	if !verified {
		return Result{}, ErrNotVerified
	}
	var placement session.Placement
	_, res, err := app.change(ctx, "RegisterForSession", cmd, cmd.SessionID, cmd.Request, func(s *session.DialogueSession) error {
		var err error
		placement, err = s.Register(cmd.Request.Actor, uuid.Must(uuid.NewV7()), cmd.AssociationID, cmd.Seats, app.now())
		return err
	})
	if err != nil || res.Replayed {
		return res, err
	}
	res.Registration = &Placement{RegistrationID: placement.RegistrationID, Status: placement.Status.String(), WaitlistPosition: placement.WaitlistPosition}
	return res, nil
}
