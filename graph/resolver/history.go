package resolver

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"strconv"
	"strings"

	graphql "github.com/graph-gophers/graphql-go"

	"passerelle.dev/events"
	"passerelle.dev/events/directoryevents"
	"passerelle.dev/events/expertevents"
	"passerelle.dev/events/proposalevents"
	"passerelle.dev/events/sessionevents"
	"passerelle.dev/graph/tables"
	"passerelle.dev/servicekit/auth"
)

// History reads a stream's events, newest first.
type History interface {
	ReadStreamBackward(ctx context.Context, stream string, before int64, limit int) ([]events.Recorded, error)
	StreamVersion(ctx context.Context, stream string) (int64, error)
}

// changes names what each kind of event changes, for the timeline. Events that record
// the changed fields themselves (profile and proposal updates) say it in their data;
// events that create an object change everything, and list nothing.
var fieldsChangedBy = map[string][]string{
	directoryevents.AssociationVerifiedType:         {"status", "verifiedAt"},
	directoryevents.AssociationRejectedType:         {"status", "statusReason"},
	directoryevents.AssociationSuspendedType:        {"status", "statusReason"},
	directoryevents.AssociationReinstatedType:       {"status"},
	directoryevents.AssociationDissolvedType:        {"status", "statusReason"},
	directoryevents.AssociationContactForgottenType: {"contact"},
	sessionevents.CoordinatorAppointedType:          {"coordinators"},
	sessionevents.CoordinatorDismissedType:          {"coordinators"},
	sessionevents.SessionRescheduledType:            {"start", "end", "registrationDeadline"},
	sessionevents.SessionCapacityChangedType:        {"capacity", "seatsLeft"},
	sessionevents.SessionCancelledType:              {"status", "cancellationReason", "registrations"},
	sessionevents.RegistrationConfirmedType:         {"registrations", "confirmedSeats", "seatsLeft"},
	sessionevents.RegistrationWaitlistedType:        {"registrations", "waitlistLength"},
	sessionevents.RegistrationPromotedType:          {"registrations", "confirmedSeats", "seatsLeft", "waitlistLength"},
	sessionevents.RegistrationCancelledType:         {"registrations", "confirmedSeats", "seatsLeft", "waitlistLength"},
	sessionevents.AttendanceRecordedType:            {"attendedSeats"},
	sessionevents.OutcomeRecordedType:               {"outcome"},
	sessionevents.RegistrationCheckedInType:         {"registrations", "attendedSeats"},
	sessionevents.CheckInUndoneType:                 {"registrations", "attendedSeats"},
	sessionevents.WaitlistOffersChangedType:         {"offerHours"},
	sessionevents.WaitlistOfferMadeType:             {"registrations", "offeredSeats", "seatsLeft", "waitlistLength"},
	sessionevents.WaitlistOfferAcceptedType:         {"registrations", "confirmedSeats", "offeredSeats"},
	sessionevents.WaitlistOfferDeclinedType:         {"registrations", "offeredSeats", "seatsLeft"},
	sessionevents.WaitlistOfferExpiredType:          {"registrations", "offeredSeats", "seatsLeft"},
	proposalevents.CallClosedType:                   {"status", "closedAt"},
	proposalevents.ProposalSubmittedType:            {"status", "submittedAt"},
	proposalevents.ProposalWithdrawnType:            {"status", "statusReason"},
	proposalevents.ProposalReviewStartedType:        {"status"},
	proposalevents.ProposalReviewedType:             {"reviews", "averageScores"},
	proposalevents.ProposalChangesRequestedType:     {"status", "statusReason"},
	proposalevents.ProposalDecidedType:              {"status", "statusReason", "decidedAt"},
	proposalevents.SupportPledgedType:               {"pledges", "pledgedTotals"},
	expertevents.ExpertProfileUpdatedType:           {"profile"},
	expertevents.ExpertVerifiedType:                 {"status"},
	expertevents.ExpertRejectedType:                 {"status"},
	expertevents.ConsentGivenType:                   {"consents"},
	expertevents.ConsentWithdrawnType:               {"consents"},
	expertevents.ExpertRemindedType:                 {},
	expertevents.ExpertErasedType:                   {"status", "profile", "consents"},
	expertevents.InstitutionVerifiedType:            {"status"},
	expertevents.InstitutionRejectedType:            {"status", "rejectionReason"},
	expertevents.RequestRevisedType:                 {"title", "termsOfReference", "fields", "languages", "mode", "from", "to", "country", "expertsNeeded"},
	expertevents.RequestOpenedType:                  {"status", "openedAt"},
	expertevents.RequestMatchedType:                 {"status"},
	expertevents.RequestClosedType:                  {"status"},
	expertevents.RequestCancelledType:               {"status", "cancellationReason"},
	expertevents.MatchProposedType:                  {"matches", "awaitingAnswers"},
	expertevents.MatchAcceptedType:                  {"matches", "awaitingAnswers"},
	expertevents.MatchDeclinedType:                  {"matches", "awaitingAnswers"},
	expertevents.MatchConfirmedType:                 {"matches", "confirmed"},
}

func changedFieldsOf(rec events.Recorded) []string {
	if fields, ok := fieldsChangedBy[rec.Type]; ok {
		return fields
	}
	var listed struct {
		Fields        []string `json:"fields"`
		ChangedFields []string `json:"changedFields"`
	}
	if json.Unmarshal(rec.Data, &listed) == nil {
		return nonNil(append(listed.Fields, listed.ChangedFields...))
	}
	return []string{}
}

// streamOf is the stream holding an object's history.
func streamOf(kind, local string) (string, bool) {
	switch kind {
	case kindAssociation:
		return directoryevents.StreamID(local), true
	case kindCity:
		return sessionevents.CityStreamID(local), true
	case kindSession:
		return sessionevents.SessionStreamID(local), true
	case kindCall:
		return proposalevents.CallStreamID(local), true
	case kindProposal:
		return proposalevents.ProposalStreamID(local), true
	case kindExpert:
		return expertevents.StreamID(local), true
	case kindInstitution:
		return expertevents.InstitutionStreamID(local), true
	case kindExpertiseRequest:
		return expertevents.RequestStreamID(local), true
	}
	return "", false
}

// History resolves Query.history: the object's events, newest first, for those who may
// see the object.
func (r *Resolver) History(ctx context.Context, args struct {
	ID    graphql.ID
	First *int32
	After *string
}) (*HistoryConnectionResolver, error) {
	first, err := pageSize(args.First)
	if err != nil {
		return nil, err
	}
	node, err := r.Node(ctx, struct{ ID graphql.ID }{args.ID})
	if err != nil || node == nil {
		return nil, err
	}
	raw, _ := base64.RawURLEncoding.DecodeString(string(args.ID))
	kind, local, _ := strings.Cut(string(raw), ":")
	if x, ok := node.node.(*ExpertResolver); ok && !x.private {
		// An expert's timeline (when they consented, withdrew, were reminded) is
		// theirs: shown to them, coordinators and admins only.
		return nil, nil
	}
	stream, ok := streamOf(kind, local)
	if !ok {
		return nil, badInput("a history is kept for associations, cities, sessions, calls, proposals, experts, institutions and requests for expertise; a registration's is its session's")
	}
	var before int64
	if args.After != nil {
		if before, err = decodeSeqCursor("H", args.After); err != nil {
			return nil, err
		}
	}
	tables.ReadOutside(ctx) // the event log
	recs, err := r.deps.History.ReadStreamBackward(ctx, stream, before, first+1)
	if err != nil {
		return nil, toGraphQL(ctx, r.deps.Logger, err)
	}
	total, err := r.deps.History.StreamVersion(ctx, stream)
	if err != nil {
		return nil, toGraphQL(ctx, r.deps.Logger, err)
	}
	c := &HistoryConnectionResolver{total: total, after: before > 0, reader: auth.ActorFrom(ctx)}
	if len(recs) > first {
		recs, c.hasNext = recs[:first], true
	}
	c.recs = recs
	return c, nil
}

// HistoryConnectionResolver resolves HistoryConnection.
type HistoryConnectionResolver struct {
	recs    []events.Recorded
	total   int64
	hasNext bool
	after   bool
	reader  events.Actor
}

// Edges resolves HistoryConnection.edges.
func (c *HistoryConnectionResolver) Edges() []*HistoryEdgeResolver {
	out := make([]*HistoryEdgeResolver, len(c.recs))
	for i, rec := range c.recs {
		out[i] = &HistoryEdgeResolver{&HistoryEntryResolver{rec: rec, reader: c.reader}}
	}
	return out
}

// PageInfo resolves HistoryConnection.pageInfo.
func (c *HistoryConnectionResolver) PageInfo() *PageInfoResolver {
	p := &PageInfoResolver{hasNext: c.hasNext, hasPrevious: c.after}
	if n := len(c.recs); n > 0 {
		start, end := encodeSeqCursor("H", c.recs[0].StreamVersion), encodeSeqCursor("H", c.recs[n-1].StreamVersion)
		p.start, p.end = &start, &end
	}
	return p
}

// TotalCount resolves HistoryConnection.totalCount.
func (c *HistoryConnectionResolver) TotalCount() int32 { return int32(c.total) }

// HistoryEdgeResolver resolves HistoryEdge.
type HistoryEdgeResolver struct{ node *HistoryEntryResolver }

// Cursor resolves HistoryEdge.cursor.
func (e *HistoryEdgeResolver) Cursor() string { return encodeSeqCursor("H", e.node.rec.StreamVersion) }

// Node resolves HistoryEdge.node.
func (e *HistoryEdgeResolver) Node() *HistoryEntryResolver { return e.node }

// HistoryEntryResolver resolves HistoryEntry: what happened, when, by which role — never
// the event's data, which may hold personal data.
type HistoryEntryResolver struct {
	rec    events.Recorded
	reader events.Actor
}

// Type resolves HistoryEntry.type.
func (h *HistoryEntryResolver) Type() string {
	_, name, _ := strings.Cut(h.rec.Type, ".")
	return name
}

// At resolves HistoryEntry.at.
func (h *HistoryEntryResolver) At() DateTime { return DateTime{h.rec.RecordedAt} }

// Version resolves HistoryEntry.version.
func (h *HistoryEntryResolver) Version() int32 { return int32(h.rec.StreamVersion) }

// Position resolves HistoryEntry.position.
func (h *HistoryEntryResolver) Position() string {
	return strconv.FormatInt(h.rec.Position.GlobalPosition, 10)
}

// ChangedFields resolves HistoryEntry.changedFields.
func (h *HistoryEntryResolver) ChangedFields() []string { return changedFieldsOf(h.rec) }

// Actor resolves HistoryEntry.actor.
func (h *HistoryEntryResolver) Actor() *HistoryActorResolver {
	return &HistoryActorResolver{actor: h.rec.Metadata.Actor, reader: h.reader}
}

// HistoryActorResolver resolves HistoryActor.
type HistoryActorResolver struct{ actor, reader events.Actor }

// Role resolves HistoryActor.role.
func (a *HistoryActorResolver) Role() string { return roleName(a.actor) }

// ID resolves HistoryActor.id: who exactly, for admins only (for everyone else the role
// says enough, and an association's id would tell who registered where).
func (a *HistoryActorResolver) ID() *string {
	if !a.reader.IsAdmin() {
		return nil
	}
	if a.actor.AssociationID != "" {
		s := string(globalID(kindAssociation, a.actor.AssociationID))
		return &s
	}
	return optional(a.actor.Subject)
}

// City resolves HistoryActor.city: the city of a coordinator.
func (a *HistoryActorResolver) City() *string { return optional(a.actor.City) }
