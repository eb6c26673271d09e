package resolver

import (
	"context"
	"time"

	graphql "github.com/graph-gophers/graphql-go"

	"passerelle.dev/events"
	"passerelle.dev/events/sessionevents"
	"passerelle.dev/graph/readmodel"
	"passerelle.dev/kernel/fault"
	sessionsapp "passerelle.dev/sessions/app"
)

// OpenCityInput is the OpenCityInput input.
type OpenCityInput struct{ Slug, Name, TimeZone, Country string }

// OpenCity resolves Mutation.openCity.
func (r *Resolver) OpenCity(ctx context.Context, args struct {
	Input          OpenCityInput
	IdempotencyKey *string
}) (*CityPayload, error) {
	req, err := command(ctx, args.IdempotencyKey)
	if err != nil {
		return nil, err
	}
	in := args.Input
	res, err := r.deps.SessionCommands.OpenCity(ctx, sessionsapp.OpenCity{Slug: in.Slug, Name: in.Name, TimeZone: in.TimeZone, Country: in.Country, Request: req})
	if err != nil {
		return nil, toGraphQL(ctx, r.deps.Logger, err)
	}
	r.settle(ctx, res.Position)
	c, ok, err := r.deps.Sessions.City(ctx, res.City)
	if err != nil {
		return nil, toGraphQL(ctx, r.deps.Logger, err)
	}
	if !ok {
		return nil, notYetVisible(res.Position)
	}
	return &CityPayload{city: &CityResolver{r: r, row: c}, position: res.Position}, nil
}

// CityPayload resolves CityPayload.
type CityPayload struct {
	city     *CityResolver
	position events.Position
}

// City resolves CityPayload.city.
func (p *CityPayload) City() *CityResolver { return p.city }

// Position resolves CityPayload.position.
func (p *CityPayload) Position() *string { return positionString(p.position) }

// AppointCoordinator resolves Mutation.appointCoordinator.
func (r *Resolver) AppointCoordinator(ctx context.Context, args struct {
	City           string
	Name           string
	IdempotencyKey *string
}) (*AppointCoordinatorPayload, error) {
	req, err := command(ctx, args.IdempotencyKey)
	if err != nil {
		return nil, err
	}
	res, err := r.deps.SessionCommands.AppointCoordinator(ctx, sessionsapp.AppointCoordinator{City: args.City, Name: args.Name, Request: req})
	if err != nil {
		return nil, toGraphQL(ctx, r.deps.Logger, err)
	}
	if res.Coordinator == nil {
		return nil, toGraphQL(ctx, r.deps.Logger, fault.New(fault.Internal, "the sessions service did not name the coordinator"))
	}
	r.settle(ctx, res.Position)
	return &AppointCoordinatorPayload{
		coordinator: &CoordinatorResolver{r: r, row: readmodel.Coordinator{ID: res.Coordinator.ID, City: res.City, Name: res.Coordinator.Name,
			AppointedAt: r.appointedAt(ctx, res)}},
		token: optional(res.Coordinator.Token), position: res.Position,
		keyWithheld: keyWithheld(res.Coordinator.KeyWithheld, appointAgain),
	}, nil
}

// appointedAt is when the read model says the coordinator was appointed (the request's
// time should it be late).
func (r *Resolver) appointedAt(ctx context.Context, res sessionsapp.Result) time.Time {
	list, err := r.deps.Sessions.Coordinators(ctx, res.City)
	if err == nil {
		for _, c := range list {
			if c.ID == res.Coordinator.ID {
				return c.AppointedAt
			}
		}
	}
	return r.deps.Now()
}

// AppointCoordinatorPayload resolves AppointCoordinatorPayload.
type AppointCoordinatorPayload struct {
	coordinator *CoordinatorResolver
	token       *string
	position    events.Position
	keyWithheld *KeyWithheldResolver
}

// Coordinator resolves AppointCoordinatorPayload.coordinator.
func (p *AppointCoordinatorPayload) Coordinator() *CoordinatorResolver { return p.coordinator }

// Token resolves AppointCoordinatorPayload.token.
func (p *AppointCoordinatorPayload) Token() *string { return p.token }

// KeyWithheld resolves AppointCoordinatorPayload.keyWithheld.
func (p *AppointCoordinatorPayload) KeyWithheld() *KeyWithheldResolver { return p.keyWithheld }

// Position resolves AppointCoordinatorPayload.position.
func (p *AppointCoordinatorPayload) Position() *string { return positionString(p.position) }

// DismissCoordinator resolves Mutation.dismissCoordinator.
func (r *Resolver) DismissCoordinator(ctx context.Context, args struct {
	City           string
	CoordinatorID  graphql.ID
	IdempotencyKey *string
}) (*CityPayload, error) {
	req, err := command(ctx, args.IdempotencyKey)
	if err != nil {
		return nil, err
	}
	id, err := parseGlobalID(args.CoordinatorID, kindCoordinator)
	if err != nil {
		return nil, err
	}
	res, err := r.deps.SessionCommands.DismissCoordinator(ctx, sessionsapp.DismissCoordinator{City: args.City, CoordinatorID: id, Request: req})
	if err != nil {
		return nil, toGraphQL(ctx, r.deps.Logger, err)
	}
	r.settle(ctx, res.Position)
	c, ok, err := r.deps.Sessions.City(ctx, args.City)
	if err != nil {
		return nil, toGraphQL(ctx, r.deps.Logger, err)
	}
	if !ok {
		return nil, notYetVisible(res.Position)
	}
	return &CityPayload{city: &CityResolver{r: r, row: c}, position: res.Position}, nil
}

// notYetVisible answers a mutation whose change is stored but which the read models have
// not shown within the consistency timeout: rare (a projection far behind), and safe to
// follow with a query a little later.
func notYetVisible(pos events.Position) error {
	return &Error{code: fault.Unavailable, message: "the change is stored but not visible yet; query it again in a moment",
		details: map[string]any{"position": *positionString(pos)}}
}

// SessionTimeInput is the SessionTimeInput input.
type SessionTimeInput struct {
	Start                      string
	StartOffset                *string
	DurationMinutes            int32
	RegistrationDeadline       *string
	RegistrationDeadlineOffset *string
}

func (t SessionTimeInput) app() sessionsapp.When {
	return sessionsapp.When{
		Start: t.Start, StartOffset: stringOf(t.StartOffset), DurationMinutes: int(t.DurationMinutes),
		RegistrationDeadline: stringOf(t.RegistrationDeadline), DeadlineOffset: stringOf(t.RegistrationDeadlineOffset),
	}
}

// LocalizedTextInput is the LocalizedTextInput input.
type LocalizedTextInput struct{ En, Fr, Es *string }

func (l *LocalizedTextInput) text() sessionevents.Text {
	if l == nil {
		return sessionevents.Text{}
	}
	return sessionevents.Text{EN: stringOf(l.En), FR: stringOf(l.Fr), ES: stringOf(l.Es)}
}

// VenueInput is the VenueInput input.
type VenueInput struct{ Name, Address string }

// StakeholderInput is the StakeholderInput input.
type StakeholderInput struct{ Name, Kind, Country string }

// stakeholdersOf is the stakeholders of a scheduling input.
func stakeholdersOf(in *[]StakeholderInput) []sessionevents.Stakeholder {
	if in == nil {
		return nil
	}
	out := make([]sessionevents.Stakeholder, 0, len(*in))
	for _, s := range *in {
		out = append(out, sessionevents.Stakeholder{Name: s.Name, Kind: s.Kind, Country: s.Country})
	}
	return out
}

// ScheduleSessionInput is the ScheduleSessionInput input.
type ScheduleSessionInput struct {
	City            string
	Title           LocalizedTextInput
	Description     *LocalizedTextInput
	Theme           string
	OriginCountries []string
	Venue           VenueInput
	Time            SessionTimeInput
	Capacity        int32
	Stakeholders    *[]StakeholderInput
	OfferHours      *int32
}

// ScheduleSession resolves Mutation.scheduleSession.
func (r *Resolver) ScheduleSession(ctx context.Context, args struct {
	Input          ScheduleSessionInput
	IdempotencyKey *string
}) (*SessionPayload, error) {
	req, err := command(ctx, args.IdempotencyKey)
	if err != nil {
		return nil, err
	}
	in := args.Input
	res, err := r.deps.SessionCommands.ScheduleSession(ctx, sessionsapp.ScheduleSession{
		City: in.City, Title: in.Title.text(), Description: in.Description.text(), Theme: in.Theme,
		OriginCountries: in.OriginCountries, Venue: sessionevents.Venue{Name: in.Venue.Name, Address: in.Venue.Address},
		When: in.Time.app(), Capacity: int(in.Capacity), Stakeholders: stakeholdersOf(in.Stakeholders),
		OfferHours: int32Or(in.OfferHours), Request: req,
	})
	return r.sessionPayload(ctx, res, err)
}

// sessionPayload answers a session mutation: the session as the read models show it
// once they reflect the change.
func (r *Resolver) sessionPayload(ctx context.Context, res sessionsapp.Result, err error) (*SessionPayload, error) {
	if err != nil {
		return nil, toGraphQL(ctx, r.deps.Logger, err)
	}
	s, err := r.settledSession(ctx, res)
	if err != nil {
		return nil, err
	}
	return &SessionPayload{session: s, position: res.Position}, nil
}

func (r *Resolver) settledSession(ctx context.Context, res sessionsapp.Result) (*SessionResolver, error) {
	r.settle(ctx, res.Position)
	// A request may send several mutations: what an earlier one loaded is stale now.
	batchesOf(ctx).registrations.forget(res.SessionID)
	row, ok, err := r.deps.Sessions.Session(ctx, res.SessionID)
	if err != nil {
		return nil, toGraphQL(ctx, r.deps.Logger, err)
	}
	if !ok {
		return nil, notYetVisible(res.Position)
	}
	return r.oneSession(ctx, row, "session.")
}

// SessionPayload resolves DialogueSessionPayload.
type SessionPayload struct {
	session  *SessionResolver
	position events.Position
}

// Session resolves DialogueSessionPayload.session.
func (p *SessionPayload) Session() *SessionResolver { return p.session }

// Position resolves DialogueSessionPayload.position.
func (p *SessionPayload) Position() *string { return positionString(p.position) }

// sessionCommand begins a mutation of one session: refused on GET, the session's local
// id, the request for the service.
func sessionCommand(ctx context.Context, sessionID graphql.ID, key *string) (string, sessionsapp.Request, error) {
	req, err := command(ctx, key)
	if err != nil {
		return "", req, err
	}
	id, err := parseGlobalID(sessionID, kindSession)
	return id, req, err
}

// registrationMutation runs a mutation about one of a session's registrations: both
// ids read, the command run, and the session as the read models now show it.
func (r *Resolver) registrationMutation(ctx context.Context, sessionID, registrationID graphql.ID, key *string,
	run func(session, registration string, req sessionsapp.Request) (sessionsapp.Result, error)) (*SessionPayload, error) {
	session, req, err := sessionCommand(ctx, sessionID, key)
	if err != nil {
		return nil, err
	}
	registration, err := parseGlobalID(registrationID, kindRegistration)
	if err != nil {
		return nil, err
	}
	res, err := run(session, registration, req)
	return r.sessionPayload(ctx, res, err)
}

// RescheduleSession resolves Mutation.rescheduleSession.
func (r *Resolver) RescheduleSession(ctx context.Context, args struct {
	SessionID      graphql.ID
	Time           SessionTimeInput
	IdempotencyKey *string
}) (*SessionPayload, error) {
	id, req, err := sessionCommand(ctx, args.SessionID, args.IdempotencyKey)
	if err != nil {
		return nil, err
	}
	res, err := r.deps.SessionCommands.RescheduleSession(ctx, sessionsapp.RescheduleSession{SessionID: id, When: args.Time.app(), Request: req})
	return r.sessionPayload(ctx, res, err)
}

// ChangeSessionCapacity resolves Mutation.changeSessionCapacity.
func (r *Resolver) ChangeSessionCapacity(ctx context.Context, args struct {
	SessionID      graphql.ID
	Capacity       int32
	IdempotencyKey *string
}) (*SessionPayload, error) {
	id, req, err := sessionCommand(ctx, args.SessionID, args.IdempotencyKey)
	if err != nil {
		return nil, err
	}
	res, err := r.deps.SessionCommands.ChangeSessionCapacity(ctx, sessionsapp.ChangeSessionCapacity{SessionID: id, Capacity: int(args.Capacity), Request: req})
	return r.sessionPayload(ctx, res, err)
}

// CancelSession resolves Mutation.cancelSession.
func (r *Resolver) CancelSession(ctx context.Context, args struct {
	SessionID      graphql.ID
	Reason         string
	IdempotencyKey *string
}) (*SessionPayload, error) {
	id, req, err := sessionCommand(ctx, args.SessionID, args.IdempotencyKey)
	if err != nil {
		return nil, err
	}
	res, err := r.deps.SessionCommands.CancelSession(ctx, sessionsapp.CancelSession{SessionID: id, Reason: args.Reason, Request: req})
	return r.sessionPayload(ctx, res, err)
}

// RegisterForSession resolves Mutation.registerForSession.
func (r *Resolver) RegisterForSession(ctx context.Context, args struct {
	SessionID      graphql.ID
	AssociationID  graphql.ID
	Seats          *int32 // defaults to 1, also when a declared variable is left out
	IdempotencyKey *string
}) (*RegisterForSessionPayload, error) {
	seats := 1
	if args.Seats != nil {
		seats = int(*args.Seats)
	}
	id, req, err := sessionCommand(ctx, args.SessionID, args.IdempotencyKey)
	if err != nil {
		return nil, err
	}
	associationID, err := parseGlobalID(args.AssociationID, kindAssociation)
	if err != nil {
		return nil, err
	}
	res, err := r.deps.SessionCommands.RegisterForSession(ctx, sessionsapp.RegisterForSession{
		SessionID: id, AssociationID: associationID, Seats: seats, Request: req,
	})
	if err != nil {
		return nil, toGraphQL(ctx, r.deps.Logger, err)
	}
	if res.Registration == nil {
		return nil, toGraphQL(ctx, r.deps.Logger, fault.New(fault.Internal, "the sessions service did not say where the registration landed"))
	}
	s, err := r.settledSession(ctx, res)
	if err != nil {
		return nil, err
	}
	placed := *res.Registration
	row := readmodel.Registration{ // the command's view, should the read model be late
		ID: placed.RegistrationID, SessionID: id, AssociationID: associationID, Seats: seats,
		Status: placed.Status, WaitlistPosition: placed.WaitlistPosition,
	}
	regs, err := r.registrationsOf(ctx, batchesOf(ctx), id)
	if err != nil {
		return nil, toGraphQL(ctx, r.deps.Logger, err)
	}
	for _, reg := range regs {
		if reg.ID == placed.RegistrationID {
			row = reg
		}
	}
	g := r.registration(ctx, row)
	if err := r.withAssociations(ctx, graphql.HasSelectedField(ctx, "registration.association"), []*RegistrationResolver{g}); err != nil {
		return nil, err
	}
	return &RegisterForSessionPayload{session: s, registration: g, placement: placed, position: res.Position}, nil
}

// RegisterForSessionPayload resolves RegisterForSessionPayload.
type RegisterForSessionPayload struct {
	session      *SessionResolver
	registration *RegistrationResolver
	placement    sessionsapp.Placement
	position     events.Position
}

// Session resolves RegisterForSessionPayload.session.
func (p *RegisterForSessionPayload) Session() *SessionResolver { return p.session }

// Registration resolves RegisterForSessionPayload.registration.
func (p *RegisterForSessionPayload) Registration() *RegistrationResolver { return p.registration }

// Status resolves RegisterForSessionPayload.status.
func (p *RegisterForSessionPayload) Status() string { return p.placement.Status }

// WaitlistPosition resolves RegisterForSessionPayload.waitlistPosition.
func (p *RegisterForSessionPayload) WaitlistPosition() *int32 {
	if p.placement.WaitlistPosition == 0 {
		return nil
	}
	n := int32(p.placement.WaitlistPosition)
	return &n
}

// Position resolves RegisterForSessionPayload.position.
func (p *RegisterForSessionPayload) Position() *string { return positionString(p.position) }

// CancelSessionRegistration resolves Mutation.cancelSessionRegistration.
func (r *Resolver) CancelSessionRegistration(ctx context.Context, args struct {
	SessionID      graphql.ID
	RegistrationID graphql.ID
	IdempotencyKey *string
}) (*SessionPayload, error) {
	return r.registrationMutation(ctx, args.SessionID, args.RegistrationID, args.IdempotencyKey,
		func(session, registration string, req sessionsapp.Request) (sessionsapp.Result, error) {
			return r.deps.SessionCommands.CancelSessionRegistration(ctx, sessionsapp.CancelSessionRegistration{SessionID: session, RegistrationID: registration, Request: req})
		})
}

// CheckIn resolves Mutation.checkIn.
func (r *Resolver) CheckIn(ctx context.Context, args struct {
	SessionID, RegistrationID graphql.ID
	Seats                     int32
	IdempotencyKey            *string
}) (*SessionPayload, error) {
	return r.registrationMutation(ctx, args.SessionID, args.RegistrationID, args.IdempotencyKey,
		func(session, registration string, req sessionsapp.Request) (sessionsapp.Result, error) {
			return r.deps.SessionCommands.CheckIn(ctx, sessionsapp.CheckIn{SessionID: session, RegistrationID: registration, Seats: int(args.Seats), Request: req})
		})
}

// UndoCheckIn resolves Mutation.undoCheckIn.
func (r *Resolver) UndoCheckIn(ctx context.Context, args struct {
	SessionID, RegistrationID graphql.ID
	IdempotencyKey            *string
}) (*SessionPayload, error) {
	return r.registrationMutation(ctx, args.SessionID, args.RegistrationID, args.IdempotencyKey,
		func(session, registration string, req sessionsapp.Request) (sessionsapp.Result, error) {
			return r.deps.SessionCommands.UndoCheckIn(ctx, sessionsapp.UndoCheckIn{SessionID: session, RegistrationID: registration, Request: req})
		})
}

// ChangeWaitlistOffers resolves Mutation.changeWaitlistOffers.
func (r *Resolver) ChangeWaitlistOffers(ctx context.Context, args struct {
	SessionID      graphql.ID
	OfferHours     int32
	IdempotencyKey *string
}) (*SessionPayload, error) {
	id, req, err := sessionCommand(ctx, args.SessionID, args.IdempotencyKey)
	if err != nil {
		return nil, err
	}
	res, err := r.deps.SessionCommands.ChangeWaitlistOffers(ctx, sessionsapp.ChangeWaitlistOffers{SessionID: id, OfferHours: int(args.OfferHours), Request: req})
	return r.sessionPayload(ctx, res, err)
}

// AcceptWaitlistOffer resolves Mutation.acceptWaitlistOffer.
func (r *Resolver) AcceptWaitlistOffer(ctx context.Context, args struct {
	SessionID, RegistrationID graphql.ID
	IdempotencyKey            *string
}) (*SessionPayload, error) {
	return r.registrationMutation(ctx, args.SessionID, args.RegistrationID, args.IdempotencyKey,
		func(session, registration string, req sessionsapp.Request) (sessionsapp.Result, error) {
			return r.deps.SessionCommands.AcceptWaitlistOffer(ctx, sessionsapp.AcceptWaitlistOffer{SessionID: session, RegistrationID: registration, Request: req})
		})
}

// DeclineWaitlistOffer resolves Mutation.declineWaitlistOffer.
func (r *Resolver) DeclineWaitlistOffer(ctx context.Context, args struct {
	SessionID, RegistrationID graphql.ID
	IdempotencyKey            *string
}) (*SessionPayload, error) {
	return r.registrationMutation(ctx, args.SessionID, args.RegistrationID, args.IdempotencyKey,
		func(session, registration string, req sessionsapp.Request) (sessionsapp.Result, error) {
			return r.deps.SessionCommands.DeclineWaitlistOffer(ctx, sessionsapp.DeclineWaitlistOffer{SessionID: session, RegistrationID: registration, Request: req})
		})
}

// AttendanceInput is the AttendanceInput input.
type AttendanceInput struct {
	RegistrationID graphql.ID
	AttendedSeats  int32
}

// RecordAttendance resolves Mutation.recordAttendance.
func (r *Resolver) RecordAttendance(ctx context.Context, args struct {
	SessionID      graphql.ID
	Attendance     []AttendanceInput
	IdempotencyKey *string
}) (*SessionPayload, error) {
	id, req, err := sessionCommand(ctx, args.SessionID, args.IdempotencyKey)
	if err != nil {
		return nil, err
	}
	attendance := make([]sessionevents.Attendance, len(args.Attendance))
	for i, a := range args.Attendance {
		reg, err := parseGlobalID(a.RegistrationID, kindRegistration)
		if err != nil {
			return nil, err
		}
		attendance[i] = sessionevents.Attendance{RegistrationID: reg, AttendedSeats: int(a.AttendedSeats)}
	}
	res, err := r.deps.SessionCommands.RecordAttendance(ctx, sessionsapp.RecordAttendance{SessionID: id, Attendance: attendance, Request: req})
	return r.sessionPayload(ctx, res, err)
}

// FollowUpInput is the FollowUpInput input.
type FollowUpInput struct {
	Action     string
	Owner, Due *string
}

// RecordSessionOutcome resolves Mutation.recordSessionOutcome.
func (r *Resolver) RecordSessionOutcome(ctx context.Context, args struct {
	SessionID      graphql.ID
	Summary        LocalizedTextInput
	FollowUps      *[]FollowUpInput
	IdempotencyKey *string
}) (*SessionPayload, error) {
	id, req, err := sessionCommand(ctx, args.SessionID, args.IdempotencyKey)
	if err != nil {
		return nil, err
	}
	var followUps []sessionevents.FollowUp
	if args.FollowUps != nil {
		for _, f := range *args.FollowUps {
			followUps = append(followUps, sessionevents.FollowUp{Action: f.Action, Owner: stringOf(f.Owner), Due: stringOf(f.Due)})
		}
	}
	res, err := r.deps.SessionCommands.RecordSessionOutcome(ctx, sessionsapp.RecordSessionOutcome{
		SessionID: id, Summary: args.Summary.text(), FollowUps: followUps, Request: req,
	})
	return r.sessionPayload(ctx, res, err)
}
