package resolver

import (
	"context"
	"time"

	"github.com/graph-gophers/graphql-go"

	"passerelle.dev/events/sessionevents"
	"passerelle.dev/graph/readmodel"
	sessionsapp "passerelle.dev/sessions/app"
	"passerelle.dev/sessions/domain/series"
)

const kindSeries = "SessionSeries"

// RecurrenceInput is the RecurrenceInput input.
type RecurrenceInput struct {
	Frequency string
	Interval  *int32
	Week      *int32
	Count     *int32
	Until     *string
}

// ScheduleSeriesInput is the ScheduleSeriesInput input.
type ScheduleSeriesInput struct {
	City            string
	Title           LocalizedTextInput
	Description     *LocalizedTextInput
	Theme           string
	OriginCountries []string
	Venue           VenueInput
	Capacity        int32
	Stakeholders    *[]StakeholderInput
	OfferHours      *int32
	Recurrence      RecurrenceInput
	FirstDate       string
	LocalTime       string
	DurationMinutes int32
	Exceptions      *[]string
}

func int32Or(p *int32) int {
	if p == nil {
		return 0
	}
	return int(*p)
}

// ScheduleSeries resolves Mutation.scheduleSeries.
func (r *Resolver) ScheduleSeries(ctx context.Context, args struct {
	Input          ScheduleSeriesInput
	IdempotencyKey *string
}) (*SeriesPayload, error) {
	req, err := command(ctx, args.IdempotencyKey)
	if err != nil {
		return nil, err
	}
	in := args.Input
	var exceptions []string
	if in.Exceptions != nil {
		exceptions = *in.Exceptions
	}
	until := ""
	if in.Recurrence.Until != nil {
		until = *in.Recurrence.Until
	}
	res, err := r.deps.SessionCommands.ScheduleSeries(ctx, sessionsapp.ScheduleSeries{
		Session: sessionsapp.ScheduleSession{City: in.City, Title: in.Title.text(), Description: in.Description.text(), Theme: in.Theme,
			OriginCountries: in.OriginCountries, Venue: sessionevents.Venue{Name: in.Venue.Name, Address: in.Venue.Address},
			When: sessionsapp.When{DurationMinutes: int(in.DurationMinutes)}, Capacity: int(in.Capacity), Stakeholders: stakeholdersOf(in.Stakeholders),
			OfferHours: int32Or(in.OfferHours)},
		Recurrence: sessionevents.Recurrence{Frequency: in.Recurrence.Frequency, Interval: int32Or(in.Recurrence.Interval),
			Week: int32Or(in.Recurrence.Week), Count: int32Or(in.Recurrence.Count), Until: until},
		FirstDate: in.FirstDate, LocalTime: in.LocalTime, Exceptions: exceptions, Request: req,
	})
	return r.seriesPayload(ctx, res, err)
}

// MoveSeriesFrom resolves Mutation.moveSeriesFrom.
func (r *Resolver) MoveSeriesFrom(ctx context.Context, args struct {
	SeriesID, FromSessionID graphql.ID
	LocalTime               string
	DurationMinutes         int32
	IdempotencyKey          *string
}) (*SeriesPayload, error) {
	seriesID, from, req, err := seriesCommand(ctx, args.SeriesID, args.FromSessionID, args.IdempotencyKey)
	if err != nil {
		return nil, err
	}
	res, err := r.deps.SessionCommands.MoveSeriesFrom(ctx, sessionsapp.MoveSeriesFrom{SeriesID: seriesID, FromSessionID: from,
		LocalTime: args.LocalTime, DurationMinutes: int(args.DurationMinutes), Request: req})
	return r.seriesPayload(ctx, res, err)
}

// CancelSeriesFrom resolves Mutation.cancelSeriesFrom.
func (r *Resolver) CancelSeriesFrom(ctx context.Context, args struct {
	SeriesID, FromSessionID graphql.ID
	Reason                  string
	IdempotencyKey          *string
}) (*SeriesPayload, error) {
	seriesID, from, req, err := seriesCommand(ctx, args.SeriesID, args.FromSessionID, args.IdempotencyKey)
	if err != nil {
		return nil, err
	}
	res, err := r.deps.SessionCommands.CancelSeriesFrom(ctx, sessionsapp.CancelSeriesFrom{SeriesID: seriesID, FromSessionID: from,
		Reason: args.Reason, Request: req})
	return r.seriesPayload(ctx, res, err)
}

func seriesCommand(ctx context.Context, seriesID, sessionID graphql.ID, key *string) (string, string, sessionsapp.Request, error) {
	req, err := command(ctx, key)
	if err != nil {
		return "", "", req, err
	}
	s, err := parseGlobalID(seriesID, kindSeries)
	if err != nil {
		return "", "", req, err
	}
	from, err := parseGlobalID(sessionID, kindSession)
	return s, from, req, err
}

func (r *Resolver) seriesPayload(ctx context.Context, res sessionsapp.Result, err error) (*SeriesPayload, error) {
	if err != nil {
		return nil, toGraphQL(ctx, r.deps.Logger, err)
	}
	r.settle(ctx, res.Position)
	if res.Series == nil {
		return nil, notYetVisible(res.Position)
	}
	row, ok, err := r.deps.Sessions.Series(ctx, res.Series.SeriesID)
	if err != nil {
		return nil, toGraphQL(ctx, r.deps.Logger, err)
	}
	if !ok {
		return nil, notYetVisible(res.Position)
	}
	return &SeriesPayload{series: &SeriesResolver{r: r, row: row, ctx: ctx}, position: positionString(res.Position)}, nil
}

// SessionSeries resolves Query.sessionSeries.
func (r *Resolver) SessionSeries(ctx context.Context, args struct{ ID graphql.ID }) (*SeriesResolver, error) {
	id, err := parseGlobalID(args.ID, kindSeries)
	if err != nil {
		return nil, err
	}
	row, ok, err := r.deps.Sessions.Series(ctx, id)
	if err != nil || !ok {
		return nil, toGraphQL(ctx, r.deps.Logger, err)
	}
	return &SeriesResolver{r: r, row: row, ctx: ctx}, nil
}

// Series resolves DialogueSession.series.
func (s *SessionResolver) Series() (*SeriesResolver, error) {
	if s.row.SeriesID == nil {
		return nil, nil
	}
	row, ok, err := s.r.deps.Sessions.Series(s.ctx, *s.row.SeriesID)
	if err != nil || !ok {
		return nil, toGraphQL(s.ctx, s.r.deps.Logger, err)
	}
	return &SeriesResolver{r: s.r, row: row, ctx: s.ctx}, nil
}

// SeriesPayload resolves SeriesPayload.
type SeriesPayload struct {
	series   *SeriesResolver
	position *string
}

// Series resolves SeriesPayload.series.
func (p *SeriesPayload) Series() *SeriesResolver { return p.series }

// Position resolves SeriesPayload.position.
func (p *SeriesPayload) Position() *string { return p.position }

// SeriesResolver resolves SessionSeries.
type SeriesResolver struct {
	r   *Resolver
	row readmodel.SessionSeries
	ctx context.Context
}

// ID resolves SessionSeries.id.
func (s *SeriesResolver) ID() graphql.ID { return globalID(kindSeries, s.row.ID) }

// City resolves SessionSeries.city.
func (s *SeriesResolver) City() (*CityResolver, error) {
	c, ok, err := s.r.deps.Sessions.City(s.ctx, s.row.City)
	if err != nil || !ok {
		return nil, toGraphQL(s.ctx, s.r.deps.Logger, err)
	}
	return &CityResolver{r: s.r, row: c}, nil
}

// Title resolves SessionSeries.title.
func (s *SeriesResolver) Title() *LocalizedTextResolver {
	return &LocalizedTextResolver{s.row.Title.EN, s.row.Title.FR, s.row.Title.ES}
}

// Recurrence resolves SessionSeries.recurrence.
func (s *SeriesResolver) Recurrence() *RecurrenceResolver {
	return &RecurrenceResolver{s.row.Recurrence}
}

// Rrule resolves SessionSeries.rrule.
func (s *SeriesResolver) Rrule() string {
	loc, err := time.LoadLocation(s.row.TimeZone)
	if err != nil {
		loc = time.UTC
	}
	return series.RRule(s.row.Recurrence, loc)
}

// FirstDate resolves SessionSeries.firstDate.
func (s *SeriesResolver) FirstDate() string { return s.row.FirstDate }

// LocalTime resolves SessionSeries.localTime.
func (s *SeriesResolver) LocalTime() string { return s.row.LocalTime }

// DurationMinutes resolves SessionSeries.durationMinutes.
func (s *SeriesResolver) DurationMinutes() int32 { return int32(s.row.DurationMinutes) }

// Exceptions resolves SessionSeries.exceptions.
func (s *SeriesResolver) Exceptions() []string { return nonNil(s.row.Exceptions) }

// CancelledFrom resolves SessionSeries.cancelledFrom.
func (s *SeriesResolver) CancelledFrom() *string { return s.row.CancelledFrom }

// Occurrences resolves SessionSeries.occurrences: the sessions in one query.
func (s *SeriesResolver) Occurrences() ([]*OccurrenceResolver, error) {
	rows, err := s.r.deps.Sessions.SessionsOf(s.ctx, s.row.ID)
	if err != nil {
		return nil, toGraphQL(s.ctx, s.r.deps.Logger, err)
	}
	sessions, err := s.r.sessions(s.ctx, rows)
	if err != nil {
		return nil, err
	}
	byID := map[string]*SessionResolver{}
	for _, r := range sessions {
		byID[r.row.ID] = r
	}
	out := make([]*OccurrenceResolver, len(s.row.Occurrences))
	for i, o := range s.row.Occurrences {
		out[i] = &OccurrenceResolver{o: o, session: byID[o.SessionID]}
	}
	return out, nil
}

// RecurrenceResolver resolves Recurrence.
type RecurrenceResolver struct{ r sessionevents.Recurrence }

// Frequency resolves Recurrence.frequency.
func (r *RecurrenceResolver) Frequency() string { return r.r.Frequency }

// Interval resolves Recurrence.interval.
func (r *RecurrenceResolver) Interval() int32 { return int32(max(r.r.Interval, 1)) }

// Weekday resolves Recurrence.weekday.
func (r *RecurrenceResolver) Weekday() string { return r.r.Weekday }

// Week resolves Recurrence.week.
func (r *RecurrenceResolver) Week() *int32 { return optionalInt32(r.r.Week) }

// Count resolves Recurrence.count.
func (r *RecurrenceResolver) Count() *int32 { return optionalInt32(r.r.Count) }

// Until resolves Recurrence.until.
func (r *RecurrenceResolver) Until() *string { return optional(r.r.Until) }

func optionalInt32(n int) *int32 {
	if n == 0 {
		return nil
	}
	v := int32(n)
	return &v
}

// OccurrenceResolver resolves SeriesOccurrence.
type OccurrenceResolver struct {
	o       sessionevents.Occurrence
	session *SessionResolver
}

// Date resolves SeriesOccurrence.date.
func (o *OccurrenceResolver) Date() string { return o.o.Date }

// Session resolves SeriesOccurrence.session.
func (o *OccurrenceResolver) Session() *SessionResolver { return o.session }

// Refusal resolves SeriesOccurrence.refusal.
func (o *OccurrenceResolver) Refusal() *string { return optional(o.o.Refusal) }

// Reason resolves SeriesOccurrence.reason.
func (o *OccurrenceResolver) Reason() *string { return optional(o.o.Reason) }
