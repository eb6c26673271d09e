package app

import (
	"context"

	"github.com/google/uuid"

	"passerelle.dev/events"
	"passerelle.dev/servicekit/command"
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

// CancelSessionRegistration withdraws a registration: its association, a coordinator of
// the session's city, an admin.
type CancelSessionRegistration struct {
	SessionID      string  `json:"sessionId"`
	RegistrationID string  `json:"registrationId"`
	Request        Request `json:"-"`
}

// CancelSessionRegistration handles CancelSessionRegistration. Freed seats go to the
// waitlist through the waitlist policy, which reacts to the cancellation.
func (app *Application) CancelSessionRegistration(ctx context.Context, cmd CancelSessionRegistration) (Result, error) {
	_, res, err := app.change(ctx, "CancelSessionRegistration", cmd, cmd.SessionID, cmd.Request, func(s *session.DialogueSession) error {
		return s.CancelRegistration(cmd.Request.Actor, cmd.RegistrationID, app.now())
	})
	return res, err
}

// PromoteWaitlist gives a session's free seats to its waitlist, first come first served.
// The waitlist policy runs it when seats free up; with nothing to promote it records
// nothing, so running it twice is harmless.
func (app *Application) PromoteWaitlist(ctx context.Context, sessionID string, causation events.Recorded) ([]string, error) {
	var promoted []string
	req := Request{Actor: events.System, CorrelationID: causation.Metadata.CorrelationID}
	md := req.Metadata()
	md.CausationID = causation.ID.String()
	_, _, err := app.sessions.Update(ctx, sessionID, md, command.Key{}, func(s *session.DialogueSession) error {
		promoted = s.PromoteWaitlist(app.now())
		return nil
	})
	return promoted, err
}
