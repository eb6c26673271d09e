package projection_test

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"passerelle.dev/events"
	"passerelle.dev/events/directoryevents"
	"passerelle.dev/events/eventstore"
	"passerelle.dev/events/projector"
	"passerelle.dev/events/proposalevents"
	"passerelle.dev/events/sessionevents"
	"passerelle.dev/graph/gateway"
	"passerelle.dev/graph/projection"
	"passerelle.dev/graph/tables"
	"passerelle.dev/kernel/money"
	"passerelle.dev/kernel/pgtest"
)

var db *pgtest.Database

func TestMain(m *testing.M) {
	os.Exit(pgtest.Run(m, &db, eventstore.Migrations(), projection.Migrations()))
}

// logBuilder appends events to a store, one transaction each, streams interleaved.
type logBuilder struct {
	t        *testing.T
	store    *eventstore.Store
	registry *events.Registry
	at       time.Time
	refused  int // events appended that a projection must refuse
	appended int
}

func (l *logBuilder) add(stream string, payload any) {
	l.t.Helper()
	ev, err := l.registry.New(payload, events.Metadata{CorrelationID: "fold-test", Actor: events.Actor{Role: events.RoleSystem, Subject: "fold-test"}})
	if err != nil {
		l.t.Fatal(err)
	}
	if _, err := l.store.Append(context.Background(), stream, eventstore.AnyVersion, ev); err != nil {
		l.t.Fatal(err)
	}
	l.appended++
}

// refuse appends an event that its projection cannot apply.
func (l *logBuilder) refuse(stream string, payload any) {
	l.t.Helper()
	l.add(stream, payload)
	l.refused++
}

func (l *logBuilder) next() time.Time {
	l.at = l.at.Add(37 * time.Minute)
	return l.at
}

func ptr[T any](v T) *T { return &v }

// everyEvent writes a log with every event type of every projection, in streams that
// interleave, including events a projection refuses.
func everyEvent(l *logBuilder) {
	// Cities and their coordinators.
	l.add(sessionevents.CityStreamID("london"), sessionevents.CityOpened{Slug: "london", Name: "London", TimeZone: "Europe/London", Country: "GB", OpenedAt: l.next()})
	l.add(sessionevents.CityStreamID("geneva"), sessionevents.CityOpened{Slug: "geneva", Name: "Geneva", TimeZone: "Europe/Zurich", Country: "CH", OpenedAt: l.next()})
	amara, kofi := uuid.NewString(), uuid.NewString()
	l.add(sessionevents.CityStreamID("london"), sessionevents.CoordinatorAppointed{City: "london", CoordinatorID: amara, Name: "Amara Mensah", At: l.next()})
	l.add(sessionevents.CityStreamID("geneva"), sessionevents.CoordinatorAppointed{City: "geneva", CoordinatorID: kofi, Name: "Kofi Boateng", At: l.next()})
	l.add(sessionevents.CityStreamID("london"), sessionevents.CoordinatorAppointed{City: "london", CoordinatorID: kofi, Name: "Kofi Boateng", At: l.next()})
	l.add(sessionevents.CityStreamID("london"), sessionevents.CoordinatorDismissed{City: "london", CoordinatorID: amara, At: l.next()})
	l.refuse(sessionevents.CityStreamID("paris"), sessionevents.CoordinatorAppointed{City: "paris", CoordinatorID: amara, Name: "Amara Mensah", At: l.next()})

	// Associations: every status, profile updates, a contact forgotten and given again.
	contact := func(n byte) *directoryevents.SealedContact {
		return &directoryevents.SealedContact{Ciphertext: []byte{n, 1, 2, 3}, Digest: []byte{n}}
	}
	assoc := make([]string, 4)
	for i := range assoc {
		assoc[i] = uuid.NewString()
		l.add(directoryevents.StreamID(assoc[i]), directoryevents.AssociationRegistered{AssociationID: assoc[i], RegisteredAt: l.next(),
			Profile: directoryevents.Profile{ProfileDetails: directoryevents.ProfileDetails{Name: fmt.Sprintf("Association des Sénégalais de Genève %d", i), Acronym: "ASG",
				Kind: "DIASPORA_ASSOCIATION", OriginCountries: []string{"SN", "GM"}[:1+i%2], City: []string{"geneva", "london"}[i%2],
				CountryOfResidence: "CH", Sectors: []string{"HEALTH"}, Languages: []string{"fr"},
				Description: directoryevents.Description{EN: "Nurses and doctors of the diaspora", FR: "Infirmières et médecins de la diaspora"},
				Website:     "https://asg.example.org/", MemberCount: ptr(40 + i)}, Contact: contact(byte(i))}})
	}
	l.add(directoryevents.StreamID(assoc[0]), directoryevents.AssociationVerified{AssociationID: assoc[0], VerifiedAt: l.next()})
	l.add(directoryevents.StreamID(assoc[1]), directoryevents.AssociationRejected{AssociationID: assoc[1], Reason: "not a diaspora association", RejectedAt: l.next()})
	l.add(directoryevents.StreamID(assoc[2]), directoryevents.AssociationVerified{AssociationID: assoc[2], VerifiedAt: l.next()})
	l.add(directoryevents.StreamID(assoc[0]), directoryevents.AssociationProfileUpdated{AssociationID: assoc[0], UpdatedAt: l.next(),
		Fields:  []string{"name", "originCountries", "city", "memberCount"},
		Changes: directoryevents.ProfileChanges{Name: ptr("Ghana Nurses Network"), OriginCountries: []string{"GH"}, City: ptr("london"), MemberCount: ptr(120)}})
	l.add(directoryevents.StreamID(assoc[0]), directoryevents.AssociationContactForgotten{AssociationID: assoc[0], ForgottenAt: l.next()})
	l.add(directoryevents.StreamID(assoc[0]), directoryevents.AssociationSuspended{AssociationID: assoc[0], Reason: "under review", SuspendedAt: l.next()})
	l.add(directoryevents.StreamID(assoc[3]), directoryevents.AssociationContactForgotten{AssociationID: assoc[3], ForgottenAt: l.next()})
	l.add(directoryevents.StreamID(assoc[3]), directoryevents.AssociationKeyRenewed{AssociationID: assoc[3], Generation: 1, RenewedAt: l.next()})
	l.add(directoryevents.StreamID(assoc[0]), directoryevents.AssociationReinstated{AssociationID: assoc[0], ReinstatedAt: l.next()})
	l.add(directoryevents.StreamID(assoc[3]), directoryevents.AssociationProfileUpdated{AssociationID: assoc[3], UpdatedAt: l.next(),
		Fields:  []string{"contact", "description", "yearFounded", "website"},
		Changes: directoryevents.ProfileChanges{Contact: contact(9), Description: &directoryevents.Description{ES: "Enfermeras de la diáspora"}, YearFounded: ptr(1998), Website: ptr("")}})
	l.add(directoryevents.StreamID(assoc[2]), directoryevents.AssociationDissolved{AssociationID: assoc[2], Reason: "merged", DissolvedAt: l.next()})
	l.refuse(directoryevents.StreamID(assoc[1]), directoryevents.AssociationRegistered{AssociationID: assoc[1], RegisteredAt: l.next(),
		Profile: directoryevents.Profile{ProfileDetails: directoryevents.ProfileDetails{Name: "Twice", Kind: "DIASPORA_ASSOCIATION", City: "london", CountryOfResidence: "GB"}}})
	ghost := uuid.NewString()
	l.refuse(directoryevents.StreamID(ghost), directoryevents.AssociationVerified{AssociationID: ghost, VerifiedAt: l.next()})

	// Sessions: registrations confirmed, waitlisted, promoted, cancelled; attendance and
	// outcome; a session cancelled with its registrations.
	timing := func(day int) sessionevents.Timing {
		start := time.Date(2027, 3, day, 18, 0, 0, 0, time.UTC)
		return sessionevents.Timing{Start: start, LocalStart: start.Format("2006-01-02T15:04"), TimeZone: "Europe/London",
			DurationMinutes: 120, Deadline: start.Add(-24 * time.Hour)}
	}
	s1, s2 := uuid.NewString(), uuid.NewString()
	l.add(sessionevents.SessionStreamID(s1), sessionevents.SessionScheduled{SessionID: s1, City: "london",
		Title: sessionevents.Text{EN: "Diaspora health professionals", FR: "Professionnels de santé de la diaspora"}, Theme: "HEALTH",
		OriginCountries: []string{"GH", "NG"}, Venue: sessionevents.Venue{Name: "Africa Centre", Address: "66 Great Suffolk St"},
		Timing: timing(8), Capacity: 4, Stakeholders: []sessionevents.Stakeholder{{Name: "Ministry of Health", Kind: "GOVERNMENT", Country: "GH"}},
		ScheduledAt: l.next()})
	l.add(sessionevents.SessionStreamID(s2), sessionevents.SessionScheduled{SessionID: s2, City: "geneva", Title: sessionevents.Text{EN: "Remittances"},
		Theme: "REMITTANCES", Timing: timing(15), Capacity: 10, ScheduledAt: l.next()})
	regs := make([]string, 7)
	for i := range regs {
		regs[i] = uuid.NewString()
	}
	l.add(sessionevents.SessionStreamID(s1), sessionevents.RegistrationConfirmed{SessionID: s1, RegistrationID: regs[0], AssociationID: assoc[0], Seats: 2, At: l.next()})
	l.add(sessionevents.SessionStreamID(s2), sessionevents.RegistrationConfirmed{SessionID: s2, RegistrationID: regs[4], AssociationID: assoc[3], Seats: 3, At: l.next()})
	l.add(sessionevents.SessionStreamID(s1), sessionevents.RegistrationConfirmed{SessionID: s1, RegistrationID: regs[1], AssociationID: assoc[1], Seats: 2, At: l.next()})
	l.add(sessionevents.SessionStreamID(s1), sessionevents.RegistrationWaitlisted{SessionID: s1, RegistrationID: regs[2], AssociationID: assoc[2], Seats: 1, At: l.next()})
	l.add(sessionevents.SessionStreamID(s1), sessionevents.RegistrationWaitlisted{SessionID: s1, RegistrationID: regs[3], AssociationID: assoc[3], Seats: 1, At: l.next()})
	l.add(sessionevents.SessionStreamID(s1), sessionevents.RegistrationCancelled{SessionID: s1, RegistrationID: regs[0], WasConfirmed: true, At: l.next()})
	l.add(sessionevents.SessionStreamID(s1), sessionevents.RegistrationPromoted{SessionID: s1, RegistrationID: regs[2], At: l.next()})
	l.refuse(sessionevents.SessionStreamID(s1), sessionevents.RegistrationPromoted{SessionID: s1, RegistrationID: uuid.NewString(), At: l.next()})
	l.add(sessionevents.SessionStreamID(s1), sessionevents.SessionCapacityChanged{SessionID: s1, Capacity: 6, At: l.next()})
	// Waitlist offers: one accepted, one expired, one declined.
	l.add(sessionevents.SessionStreamID(s1), sessionevents.WaitlistOffersChanged{SessionID: s1, OfferHours: 24, At: l.next()})
	l.add(sessionevents.SessionStreamID(s1), sessionevents.RegistrationWaitlisted{SessionID: s1, RegistrationID: regs[5], AssociationID: assoc[0], Seats: 1, At: l.next()})
	l.add(sessionevents.SessionStreamID(s1), sessionevents.RegistrationWaitlisted{SessionID: s1, RegistrationID: regs[6], AssociationID: assoc[1], Seats: 2, At: l.next()})
	l.add(sessionevents.SessionStreamID(s1), sessionevents.WaitlistOfferMade{SessionID: s1, RegistrationID: regs[3], Seats: 1, ExpiresAt: l.at.Add(24 * time.Hour), At: l.next()})
	l.add(sessionevents.SessionStreamID(s1), sessionevents.WaitlistOfferMade{SessionID: s1, RegistrationID: regs[5], Seats: 1, ExpiresAt: l.at.Add(24 * time.Hour), At: l.next()})
	l.add(sessionevents.SessionStreamID(s1), sessionevents.WaitlistOfferAccepted{SessionID: s1, RegistrationID: regs[3], At: l.next()})
	l.add(sessionevents.SessionStreamID(s1), sessionevents.WaitlistOfferExpired{SessionID: s1, RegistrationID: regs[5], At: l.next()})
	l.add(sessionevents.SessionStreamID(s1), sessionevents.WaitlistOfferMade{SessionID: s1, RegistrationID: regs[6], Seats: 2, ExpiresAt: l.at.Add(24 * time.Hour), At: l.next()})
	l.add(sessionevents.SessionStreamID(s1), sessionevents.WaitlistOfferDeclined{SessionID: s1, RegistrationID: regs[6], At: l.next()})
	l.refuse(sessionevents.SessionStreamID(s1), sessionevents.WaitlistOfferAccepted{SessionID: s1, RegistrationID: uuid.NewString(), At: l.next()})
	l.add(sessionevents.SessionStreamID(s1), sessionevents.SessionRescheduled{SessionID: s1, Timing: timing(9), At: l.next()})
	l.add(sessionevents.SessionStreamID(s2), sessionevents.SessionCancelled{SessionID: s2, Reason: "venue unavailable", At: l.next()})
	l.add(sessionevents.SessionStreamID(s1), sessionevents.RegistrationCheckedIn{SessionID: s1, RegistrationID: regs[1], Seats: 2, At: l.next()})
	l.add(sessionevents.SessionStreamID(s1), sessionevents.RegistrationCheckedIn{SessionID: s1, RegistrationID: regs[2], Seats: 1, At: l.next()})
	l.add(sessionevents.SessionStreamID(s1), sessionevents.CheckInUndone{SessionID: s1, RegistrationID: regs[2], At: l.next()})
	l.add(sessionevents.SessionStreamID(s1), sessionevents.RegistrationCheckedIn{SessionID: s1, RegistrationID: regs[1], Seats: 1, At: l.next()})
	l.refuse(sessionevents.SessionStreamID(s1), sessionevents.RegistrationCheckedIn{SessionID: s1, RegistrationID: uuid.NewString(), Seats: 1, At: l.next()})
	l.add(sessionevents.SessionStreamID(s1), sessionevents.AttendanceRecorded{SessionID: s1, At: l.next(),
		Attendance: []sessionevents.Attendance{{RegistrationID: regs[1], AttendedSeats: 2}, {RegistrationID: regs[2], AttendedSeats: 1}}})
	l.add(sessionevents.SessionStreamID(s1), sessionevents.OutcomeRecorded{SessionID: s1, Summary: sessionevents.Text{EN: "Three hospitals to twin"},
		FollowUps: []sessionevents.FollowUp{{Action: "Draft the twinning agreement", Owner: "Ministry of Health", Due: "2027-06-01"}}, At: l.next()})
	// A series: its first date's session, a date refused, then moved and cut short.
	series, s3 := uuid.NewString(), uuid.NewString()
	l.add(sessionevents.SessionStreamID(s3), sessionevents.SessionScheduled{SessionID: s3, City: "london", Title: sessionevents.Text{EN: "Skills circulation"},
		Theme: "SKILLS_CIRCULATION", Timing: timing(4), Capacity: 10, SeriesID: series, Occurrence: "2027-03-04", ScheduledAt: l.next()})
	l.add(sessionevents.SeriesStreamID(series), sessionevents.SeriesScheduled{SeriesID: series, City: "london", Title: sessionevents.Text{EN: "Skills circulation"},
		Recurrence: sessionevents.Recurrence{Frequency: "WEEKLY", Interval: 1, Weekday: "TH", Count: 2}, FirstDate: "2027-03-04", LocalTime: "18:00",
		DurationMinutes: 120, TimeZone: "Europe/London", Occurrences: []sessionevents.Occurrence{{Date: "2027-03-04", SessionID: s3},
			{Date: "2027-03-11", Refusal: "VENUE_TAKEN", Reason: "the venue is taken"}}, At: l.next()})
	l.add(sessionevents.SeriesStreamID(series), sessionevents.SeriesMovedFrom{SeriesID: series, FromDate: "2027-03-04", LocalTime: "18:30", DurationMinutes: 90, At: l.next()})
	l.add(sessionevents.SeriesStreamID(series), sessionevents.SeriesCancelledFrom{SeriesID: series, FromDate: "2027-03-04", Reason: "speakers away", At: l.next()})
	l.refuse(sessionevents.SeriesStreamID(uuid.NewString()), sessionevents.SeriesMovedFrom{LocalTime: "19:00", At: l.next()})
	ghostSession := uuid.NewString()
	l.refuse(sessionevents.SessionStreamID(ghostSession), sessionevents.SessionCapacityChanged{SessionID: ghostSession, Capacity: 3, At: l.next()})

	// Calls and proposals: every step, a review revised, pledges in two currencies and in kind.
	c1, c2 := uuid.NewString(), uuid.NewString()
	l.add(proposalevents.CallStreamID(c1), proposalevents.CallOpened{CallID: c1, Title: proposalevents.Text{EN: "Diaspora investment 2027"},
		Themes: []string{"INVESTMENT"}, EligibleCountries: []string{"GH", "SN"}, Ceiling: money.Money{Amount: 5_000_000, Currency: "EUR"},
		Envelope: []money.Money{{Amount: 20_000_000, Currency: "EUR"}, {Amount: 9_000_000, Currency: "GBP"}},
		OpensAt:  l.next(), ClosesAt: l.at.Add(90 * 24 * time.Hour), At: l.at})
	l.add(proposalevents.CallStreamID(c2), proposalevents.CallOpened{CallID: c2, Title: proposalevents.Text{EN: "Skills circulation"},
		Themes: []string{"SKILLS_CIRCULATION"}, EligibleCountries: []string{"ML"}, Ceiling: money.Money{Amount: 100_000, Currency: "GBP"},
		OpensAt: l.next(), ClosesAt: l.at.Add(30 * 24 * time.Hour), At: l.at})
	content := func(title string, budget int64) proposalevents.Content {
		return proposalevents.Content{Title: proposalevents.Text{EN: title}, Summary: proposalevents.Text{EN: "A cooperative", FR: "Une coopérative"},
			Sector: "INVESTMENT", Countries: []string{"GH"}, Budget: money.Money{Amount: budget, Currency: "EUR"}, DurationMonths: 18,
			BudgetLines:  []proposalevents.BudgetLine{{Label: "Equipment", Amount: budget / 2}, {Label: "Training", Amount: budget - budget/2}},
			PartnerKinds: []string{"PRIVATE_SECTOR"}, SessionID: s1}
	}
	p := []string{uuid.NewString(), uuid.NewString(), uuid.NewString()}
	for i, id := range p {
		l.add(proposalevents.ProposalStreamID(id), proposalevents.ProposalDrafted{ProposalID: id, CallID: c1, AssociationID: assoc[i], Content: content(fmt.Sprintf("Ghanacoop %d", i), 400_000), At: l.next()})
	}
	ps := func(i int) string { return proposalevents.ProposalStreamID(p[i]) }
	l.add(ps(0), proposalevents.ProposalUpdated{ProposalID: p[0], Content: content("Ghanacoop pineapples", 450_000), ChangedFields: []string{"title", "budget"}, At: l.next()})
	l.add(ps(0), proposalevents.ProposalSubmitted{ProposalID: p[0], At: l.next()})
	l.add(ps(1), proposalevents.ProposalWithdrawn{ProposalID: p[1], Reason: "partner left", At: l.next()})
	l.add(ps(2), proposalevents.ProposalSubmitted{ProposalID: p[2], At: l.next()})
	l.add(ps(0), proposalevents.ProposalReviewStarted{ProposalID: p[0], At: l.next()})
	l.add(ps(0), proposalevents.ProposalReviewed{ProposalID: p[0], ReviewerID: "coordinator:" + amara, ReviewerRole: "COORDINATOR", Scores: map[string]int{proposalevents.Relevance: 4, proposalevents.Feasibility: 3}, Comment: "Promising", At: l.next()})
	l.add(ps(0), proposalevents.ProposalReviewed{ProposalID: p[0], ReviewerID: "admin:1", ReviewerRole: "ADMIN", Scores: map[string]int{proposalevents.Relevance: 5}, Comment: "Yes", At: l.next()})
	l.add(ps(0), proposalevents.ProposalChangesRequested{ProposalID: p[0], Reason: "a budget line for transport", At: l.next()})
	l.add(ps(0), proposalevents.ProposalUpdated{ProposalID: p[0], Content: content("Ghanacoop pineapples", 480_000), ChangedFields: []string{"budget"}, At: l.next()})
	l.add(ps(0), proposalevents.ProposalSubmitted{ProposalID: p[0], Resubmission: true, At: l.next()})
	l.add(ps(0), proposalevents.ProposalReviewed{ProposalID: p[0], ReviewerID: "coordinator:" + amara, ReviewerRole: "COORDINATOR", Scores: map[string]int{proposalevents.Relevance: 5, proposalevents.Feasibility: 4}, Comment: "Better", Revision: true, At: l.next()})
	l.add(ps(0), proposalevents.ConflictOfInterestDeclared{ProposalID: p[0], ReviewerID: "admin:1", ReviewerRole: "ADMIN", Reason: "a board member of the partner", At: l.next()})
	l.add(ps(2), proposalevents.ProposalDecided{ProposalID: p[2], Decision: proposalevents.Rejected, Reason: "out of scope", At: l.next()})
	l.add(ps(0), proposalevents.ProposalDecided{ProposalID: p[0], Decision: proposalevents.Approved, Reason: "", At: l.next()})
	l.add(proposalevents.CallStreamID(c1), proposalevents.CallFundsCommitted{CallID: c1, ProposalID: p[0], Amount: money.Money{Amount: 480_000, Currency: "EUR"}, At: l.next()})
	pledge := func(name string, m *money.Money, inKind string) proposalevents.SupportPledged {
		return proposalevents.SupportPledged{ProposalID: p[0], PledgeID: uuid.NewString(), Partner: proposalevents.Partner{Name: name, Kind: "PRIVATE_SECTOR", Country: "GH"},
			Money: m, InKind: inKind, At: l.next()}
	}
	l.add(ps(0), pledge("Accra Credit Union", &money.Money{Amount: 100_000, Currency: "EUR"}, ""))
	l.add(proposalevents.CallStreamID(c1), proposalevents.CallClosed{CallID: c1, At: l.next()})
	l.add(ps(0), pledge("Ghana Post", &money.Money{Amount: 25_000, Currency: "GBP"}, ""))
	l.add(ps(0), pledge("Kumasi Hospital", nil, "two weeks of training"))
	l.add(ps(0), pledge("Diaspora Fund", &money.Money{Amount: 50_000, Currency: "EUR"}, ""))
	ghostCall := uuid.NewString()
	l.refuse(proposalevents.CallStreamID(ghostCall), proposalevents.CallClosed{CallID: ghostCall, At: l.next()})
	l.refuse(ps(1), proposalevents.ProposalDrafted{ProposalID: p[1], CallID: c2, AssociationID: assoc[1], Content: content("Twice", 1), At: l.next()})
}

// dump is every row of p's tables in schema, one JSON object a line, in one order.
func dump(t *testing.T, q tables.Querier, schema string, p projection.Owner) string {
	t.Helper()
	var out []string
	for _, name := range p.Tables() {
		var rows string
		err := q.QueryRow(context.Background(), `SELECT coalesce(string_agg(r, E'\n' ORDER BY r), '') FROM
			(SELECT row_to_json(t)::text AS r FROM `+pgx.Identifier{schema, name}.Sanitize()+` t) x`).Scan(&rows)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, "# "+name+"\n"+rows)
	}
	return strings.Join(out, "\n")
}

// applyEventByEvent applies recs to p's tables in schema as the subscriber does: each
// event in a transaction of its own, an event p refuses skipped. It returns how many
// were skipped.
func applyEventByEvent(t *testing.T, pool *pgxpool.Pool, registry *events.Registry, schema string, p projection.Owner, recs []events.Recorded) int {
	t.Helper()
	ctx := context.Background()
	skipped := 0
	for _, rec := range recs {
		if !p.Handles(rec.Type) {
			continue
		}
		payload, err := registry.Decode(rec.Type, rec.SchemaVersion, rec.Data)
		if err != nil {
			t.Fatal(err)
		}
		err = pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
			return projector.ApplyInSavepoint(ctx, tables.Tx(tx, schema), p, rec, payload)
		})
		if projector.IsPermanent(err) {
			skipped++
			continue
		}
		if err != nil {
			t.Fatalf("%s %s: %v", rec.StreamID, rec.Type, err)
		}
	}
	return skipped
}

// applyInPages applies recs to p's tables in schema as catching up and the swap's
// catch-up do: pages of several streams at once, a page that fails gone over event by
// event.
func applyInPages(t *testing.T, pool *pgxpool.Pool, registry *events.Registry, schema string, p projection.Owner, recs []events.Recorded) {
	t.Helper()
	ctx := context.Background()
	const page = 7
	for from := 0; from < len(recs); from += page {
		part := recs[from:min(from+page, len(recs))]
		payloads := make([]any, len(part))
		for i, rec := range part {
			if p.Handles(rec.Type) {
				var err error
				if payloads[i], err = registry.Decode(rec.Type, rec.SchemaVersion, rec.Data); err != nil {
					t.Fatal(err)
				}
			}
		}
		err := pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
			return projector.ApplyEvents(ctx, tables.Tx(tx, schema), p, part, payloads)
		})
		if err != nil {
			applyEventByEvent(t, pool, registry, schema, p, part)
		}
	}
}

// TestEveryWayOfMakingTheReadModelsGivesTheSameTables projects a log holding every
// event type (contacts forgotten, registrations promoted, reviews revised, refused
// events…) event by event, as the subscribers do; then in pages, as catching up does;
// then rebuilds the serving tables in place and by swapping fresh copies in (folding in
// memory and copying); and folds each stream's first k events, for every k, as time
// travel does. Every way gives the same rows, to the last column.
func TestEveryWayOfMakingTheReadModelsGivesTheSameTables(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := pgtest.PoolFor(t, db.Fresh(t))
	store, err := eventstore.NewStore(eventstore.Config{Pool: pool})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(store.Close)
	registry, err := gateway.Registry()
	if err != nil {
		t.Fatal(err)
	}
	l := &logBuilder{t: t, store: store, registry: registry, at: time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)}
	everyEvent(l)
	// The log reads up to the oldest transaction running, which a notification of the
	// last appends may be for a moment.
	var recs []events.Recorded
	pgtest.Eventually(t, 10*time.Second, "the whole log to be readable", func() (bool, error) {
		var err error
		recs, err = store.ReadAll(ctx, events.Position{}, 10_000)
		return len(recs) == l.appended, err
	})
	types := map[string]bool{}
	for _, rec := range recs {
		types[rec.Type] = true
	}
	for _, typ := range registry.Types() {
		if !types[typ] {
			t.Fatalf("the log has no %s event", typ)
		}
	}

	owners := gateway.Owners()
	byEvent, inPages := map[string]string{}, map[string]string{}
	skipped := 0
	for _, p := range owners {
		for _, schema := range []string{"by_event", "in_pages"} {
			if err := pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
				if _, err := tx.Exec(ctx, `CREATE SCHEMA IF NOT EXISTS `+schema); err != nil {
					return err
				}
				return tables.Copy(ctx, tx, schema, p.Tables(), tables.CopyOptions{})
			}); err != nil {
				t.Fatal(err)
			}
		}
		skipped += applyEventByEvent(t, pool, registry, "by_event", p, recs)
		applyInPages(t, pool, registry, "in_pages", p, recs)
		byEvent[p.Name()], inPages[p.Name()] = dump(t, pool, "by_event", p), dump(t, pool, "in_pages", p)
		if byEvent[p.Name()] != inPages[p.Name()] {
			t.Errorf("%s in pages:\n%s\nevent by event:\n%s", p.Name(), inPages[p.Name()], byEvent[p.Name()])
		}
	}
	if skipped != l.refused {
		t.Fatalf("event by event skipped %d events, want the %d refused ones", skipped, l.refused)
	}
	for _, want := range []string{"Ghana Nurses Network", `"contact_erased":true`, `"contact_ciphertext":null`, `"revisions":1`,
		`"status":"CANCELLED"`, `"attended_seats":3`, `"amount":150000`, `"closed_at":"`, "Kofi Boateng", `"n":1`} {
		if !strings.Contains(strings.Join(mapValues(byEvent), "\n"), want) {
			t.Fatalf("the read models hold no %s:\n%s", want, strings.Join(mapValues(byEvent), "\n"))
		}
	}

	// In place: emptied and replayed in one transaction.
	skipped = 0
	for _, p := range owners {
		res, err := projector.Rebuild(ctx, store, registry, p, nil)
		if err != nil {
			t.Fatal(err)
		}
		skipped += res.Skipped
		if got := dump(t, pool, tables.Serving, p); got != byEvent[p.Name()] {
			t.Errorf("%s rebuilt in place:\n%s\nevent by event:\n%s", p.Name(), got, byEvent[p.Name()])
		}
	}
	if skipped != l.refused {
		t.Errorf("the rebuild in place skipped %d events, want %d", skipped, l.refused)
	}

	// Swapped: folded in memory, copied, indexed and swapped in; the serving tables
	// damaged first, to show they are made again.
	if _, err := pool.Exec(ctx, `UPDATE graph.associations SET name = 'damaged'; DELETE FROM graph.proposal_pledges;
		UPDATE graph.association_counts SET n = n + 7`); err != nil {
		t.Fatal(err)
	}
	res, err := projection.Rebuilder{Pool: pool, Store: store, Registry: registry}.RebuildAll(ctx, owners)
	if err != nil {
		t.Fatal(err)
	}
	skipped = 0
	for i, p := range owners {
		skipped += res[i].Skipped
		if got := dump(t, pool, tables.Serving, p); got != byEvent[p.Name()] {
			t.Errorf("%s rebuilt by swap:\n%s\nevent by event:\n%s", p.Name(), got, byEvent[p.Name()])
		}
	}
	if skipped != l.refused {
		t.Errorf("the swap rebuild skipped %d events, want %d", skipped, l.refused)
	}

	// Time travel: each stream's first k events folded into temporary tables, against
	// the same events applied one by one.
	streams := map[string][]events.Recorded{}
	var order []string
	for _, rec := range recs {
		if _, ok := streams[rec.StreamID]; !ok {
			order = append(order, rec.StreamID)
		}
		streams[rec.StreamID] = append(streams[rec.StreamID], rec)
	}
	for _, stream := range order {
		for _, p := range owners {
			if !p.Handles(streams[stream][0].Type) {
				continue
			}
			for k := range len(streams[stream]) + 1 {
				prefix := streams[stream][:k]
				if _, err := pool.Exec(ctx, `TRUNCATE `+strings.Join(qualified("by_event", p.Tables()), ", ")); err != nil {
					t.Fatal(err)
				}
				applyEventByEvent(t, pool, registry, "by_event", p, prefix)
				want := dump(t, pool, "by_event", p)
				err := pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
					if err := tables.Copy(ctx, tx, tables.Temporary, p.Tables(), tables.CopyOptions{WithoutIndexes: true}); err != nil {
						return err
					}
					if _, err := projection.Replay(ctx, tables.Tx(tx, tables.Temporary), p, registry, stream, prefix); err != nil {
						return err
					}
					if got := dump(t, tx, tables.Temporary, p); got != want {
						t.Errorf("%s after %d events, as time travel folds them:\n%s\nevent by event:\n%s", stream, k, got, want)
					}
					return errRollBack
				})
				if err != errRollBack {
					t.Fatal(err)
				}
			}
		}
	}
}

var errRollBack = fmt.Errorf("roll back")

func qualified(schema string, names []string) []string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = pgx.Identifier{schema, n}.Sanitize()
	}
	return out
}

func mapValues(m map[string]string) []string {
	var out []string
	for _, v := range m {
		out = append(out, v)
	}
	return out
}
