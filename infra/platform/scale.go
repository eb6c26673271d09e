package platform

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"sync/atomic"
	"time"

	"golang.org/x/sync/errgroup"

	directoryapp "passerelle.dev/directory/app"
	"passerelle.dev/directory/domain/association"
	"passerelle.dev/events"
	"passerelle.dev/events/proposalevents"
	"passerelle.dev/events/sessionevents"
	proposalsapp "passerelle.dev/proposals/app"
	"passerelle.dev/proposals/domain/proposal"
	"passerelle.dev/servicekit/command"
	sessionsapp "passerelle.dev/sessions/app"
)

// Scale is what SeedScale loads for N associations.
type Scale struct {
	Associations, Sessions, Proposals, Calls int
}

// ScaleFor is the data set of n associations: a session for every ten associations and
// a proposal for every five, as on a platform some years in.
func ScaleFor(n int) Scale {
	return Scale{Associations: n, Sessions: n / 10, Proposals: n / 5, Calls: min(10, max(1, n/1000))}
}

// The generated data set draws on the Dialogue en continu: diasporas of these countries,
// in the five founding cities, on the platform's themes.
var (
	scaleCities  = []string{"london", "geneva", "brussels", "paris", "washington"}
	scaleOrigins = []struct{ code, people, lang string }{
		{"GH", "Ghanaian", "tw"}, {"SN", "Senegalese", "wo"}, {"CD", "Congolese", "ln"}, {"ML", "Malian", "bm"},
		{"ET", "Ethiopian", "am"}, {"HT", "Haitian", "ht"}, {"MA", "Moroccan", "ar"}, {"NG", "Nigerian", "yo"},
		{"CM", "Cameroonian", "fr"}, {"PH", "Filipino", "tl"}, {"ER", "Eritrean", "ti"}, {"SO", "Somali", "so"},
		{"KE", "Kenyan", "sw"}, {"CV", "Cape Verdean", "pt"}, {"CO", "Colombian", "es"}, {"TN", "Tunisian", "ar"},
	}
	scaleSectors = []string{"HEALTH", "REMITTANCES", "INVESTMENT", "SKILLS_CIRCULATION", "EDUCATION", "INTEGRATION",
		"HUMAN_RIGHTS", "TRADE", "RESEARCH", "CULTURE"}
	scaleKinds = []struct{ kind, noun string }{
		{"DIASPORA_ASSOCIATION", "Association"}, {"PROFESSIONAL_NETWORK", "Professionals Network"},
		{"NGO", "Development Initiative"}, {"FAITH_COMMUNITY", "Community"}, {"BUSINESS", "Investment Cooperative"},
		{"UNIVERSITY", "Alumni Circle"}, {"TRADE_UNION", "Workers' Union"},
	}
	scaleResidence = map[string]string{"london": "GB", "geneva": "CH", "brussels": "BE", "paris": "FR", "washington": "US"}
)

// scaleAssociation is the i-th generated association: everything follows from i, so
// that a second run (or a larger one) finds the same requests under the same keys.
func scaleAssociation(i int) (directoryapp.RegisterAssociation, bool) {
	origin := scaleOrigins[i%len(scaleOrigins)]
	city := scaleCities[(i/len(scaleOrigins))%len(scaleCities)]
	kind := scaleKinds[i%len(scaleKinds)]
	sectors := []string{scaleSectors[i%len(scaleSectors)], scaleSectors[(i/3+1)%len(scaleSectors)]}
	if sectors[0] == sectors[1] {
		sectors = sectors[:1]
	}
	members, founded := 20+(i*37)%900, 1975+(i*7)%50
	name := fmt.Sprintf("%s %s %s %d", origin.people, kind.noun, cityName(city), i+1)
	return directoryapp.RegisterAssociation{
		Profile: directoryapp.ProfileInput{
			Name: name, Kind: kind.kind, OriginCountries: []string{origin.code}, City: city,
			CountryOfResidence: scaleResidence[city], Sectors: sectors, Languages: []string{"en", origin.lang},
			Description: directoryapp.Description{
				EN: fmt.Sprintf("The %s diaspora in %s, working on %s with partners back home.", origin.people, cityName(city), sectorWords(sectors[0])),
				FR: fmt.Sprintf("La diaspora %s à %s, engagée pour %s avec des partenaires au pays.", origin.code, cityName(city), sectorWords(sectors[0])),
			},
			Website: fmt.Sprintf("https://association-%d.example.org", i+1), MemberCount: &members, YearFounded: &founded,
		},
		Contact: &directoryapp.ContactInput{Name: fmt.Sprintf("Contact Person %d", i+1), Email: fmt.Sprintf("contact-%d@example.org", i+1)},
		// One in ten stays pending, for coordinators to look at.
	}, (i/3)%10 != 9
}

func cityName(slug string) string {
	return map[string]string{"london": "London", "geneva": "Geneva", "brussels": "Brussels", "paris": "Paris", "washington": "Washington"}[slug]
}

func sectorWords(s string) string {
	return map[string]string{"HEALTH": "health", "REMITTANCES": "remittances", "INVESTMENT": "investment",
		"SKILLS_CIRCULATION": "skills circulation", "EDUCATION": "education", "INTEGRATION": "integration",
		"HUMAN_RIGHTS": "migrants' rights", "TRADE": "trade", "RESEARCH": "research", "CULTURE": "culture"}[s]
}

// SeedScale generates ScaleFor(n): n associations (nine in ten verified), their
// sessions with registrations, calls, and proposals at every stage with reviews and
// pledges, through the services' own commands, workers at a time. Every command has an
// idempotency key: a second run loads nothing twice, and a larger one adds what is
// missing. It needs the services' projections running (they tell which associations
// are verified).
func SeedScale(ctx context.Context, s Services, n, workers int, now time.Time, out io.Writer) (Scale, error) {
	scale := ScaleFor(n)
	admin := events.Actor{Role: events.RoleAdmin, Subject: "scale-seed"}
	req := func(actor events.Actor, key string) command.Request {
		return command.Request{Actor: actor, CorrelationID: "scale-seed", IdempotencyKey: "scale-" + key}
	}
	progress := func(what string, done *atomic.Int64, total int, began time.Time) {
		if d := done.Add(1); d%10000 == 0 || int(d) == total {
			fmt.Fprintf(out, "%s: %d of %d (%.0f/s)\n", what, d, total, float64(d)/time.Since(began).Seconds())
		}
	}
	each := func(what string, total int, do func(ctx context.Context, i int) error) error {
		g, ctx := errgroup.WithContext(ctx)
		g.SetLimit(workers)
		var done atomic.Int64
		began := time.Now()
		for i := range total {
			g.Go(func() error {
				if err := do(ctx, i); err != nil {
					return fmt.Errorf("%s %d: %w", what, i, err)
				}
				progress(what, &done, total, began)
				return nil
			})
		}
		return g.Wait()
	}

	ids := make([]string, scale.Associations)
	if err := each("associations", scale.Associations, func(ctx context.Context, i int) error {
		cmd, verified := scaleAssociation(i)
		// No idempotency key (an anonymous one must be random, and a repeat would renew
		// the association's key): one name per city finds what an earlier run registered.
		cmd.Request = command.Request{CorrelationID: "scale-seed"}
		res, err := s.Directory.RegisterAssociation(ctx, cmd)
		var dup *association.DuplicateNameError
		switch {
		case errors.As(err, &dup):
			ids[i], err = dup.ExistingID, nil
		case err != nil:
			return err
		default:
			ids[i] = res.Association.ID
		}
		if verified {
			_, err = s.Directory.VerifyAssociation(ctx, directoryapp.VerifyAssociation{AssociationID: ids[i], Request: req(admin, "verify-"+strconv.Itoa(i))})
		}
		return err
	}); err != nil {
		return scale, err
	}

	// Sessions start from the tenth of January next year, one a day per venue; each city
	// has twenty venues.
	base := time.Date(now.Year()+1, 1, 10, 0, 0, 0, 0, time.UTC)
	if err := each("sessions", scale.Sessions, func(ctx context.Context, i int) error {
		city := scaleCities[i%len(scaleCities)]
		j := i / len(scaleCities)
		origin := scaleOrigins[(i/len(scaleCities))%len(scaleOrigins)]
		theme := scaleSectors[i%len(scaleSectors)]
		capacity := 20 + (i*13)%60
		if i%10 == 0 {
			capacity = 4 // a popular session: a waitlist forms
		}
		res, err := s.Sessions.ScheduleSession(ctx, sessionsapp.ScheduleSession{
			City:            city,
			Title:           sessionevents.Text{EN: fmt.Sprintf("The %s diaspora and %s", origin.people, sectorWords(theme))},
			Description:     sessionevents.Text{EN: "A dialogue between the diaspora and stakeholders of its country of origin."},
			Theme:           theme,
			OriginCountries: []string{origin.code},
			Venue:           sessionevents.Venue{Name: fmt.Sprintf("%s venue %d", cityName(city), j%20+1), Address: fmt.Sprintf("%d Dialogue Street, %s", j%20+1, cityName(city))},
			When:            sessionsapp.When{Start: base.AddDate(0, 0, j/20).Format("2006-01-02") + "T18:00", DurationMinutes: 120},
			Capacity:        capacity,
			Stakeholders:    []sessionevents.Stakeholder{{Name: "Ministry of the Diaspora", Kind: "GOVERNMENT", Country: origin.code}},
			Request:         req(admin, "session-"+strconv.Itoa(i)),
		})
		if err != nil {
			return err
		}
		// Its registrants: the verified ones among ten associations of its own.
		for k := range 3 + i%4 {
			a := (10*i + k) % scale.Associations
			if _, verified := scaleAssociation(a); !verified {
				continue
			}
			if err := untilVerified(ctx, func() error {
				_, err := s.Sessions.RegisterForSession(ctx, sessionsapp.RegisterForSession{SessionID: res.SessionID, AssociationID: ids[a],
					Seats: 1 + (i+k)%2, Request: req(admin, fmt.Sprintf("registration-%d-%d", i, k))})
				return err
			}); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		return scale, err
	}

	eligible := make([]string, len(scaleOrigins))
	for i, o := range scaleOrigins {
		eligible[i] = o.code
	}
	callCurrency := func(c int) string { return []string{"EUR", "GBP", "CHF", "USD"}[c%4] }
	calls := make([]string, scale.Calls)
	for c := range scale.Calls {
		res, err := s.Proposals.OpenCall(ctx, proposalsapp.OpenCall{
			Title:             proposalevents.Text{EN: fmt.Sprintf("Diaspora partnerships %d", c+1)},
			Description:       proposalevents.Text{EN: "Projects that bring a diaspora and partners of its country of origin together."},
			EligibleCountries: eligible,
			Themes:            []string{scaleSectors[c%len(scaleSectors)], scaleSectors[(c+1)%len(scaleSectors)], scaleSectors[(c+2)%len(scaleSectors)]},
			BudgetCeiling:     proposalsapp.MoneyInput{Amount: "100000", Currency: callCurrency(c)},
			OpensAt:           time.Date(now.Year(), 1, 1, 0, 0, 0, 0, time.UTC), ClosesAt: time.Date(now.Year()+2, 1, 1, 0, 0, 0, 0, time.UTC),
			Request: req(admin, "call-"+strconv.Itoa(c)),
		})
		if err != nil {
			return scale, fmt.Errorf("call %d: %w", c, err)
		}
		calls[c] = res.CallID
	}

	if err := each("proposals", scale.Proposals, func(ctx context.Context, i int) error {
		a := (5*i + 1) % scale.Associations
		if _, verified := scaleAssociation(a); !verified {
			a = (a + 1) % scale.Associations
		}
		owner := events.Actor{Role: events.RoleAssociation, AssociationID: ids[a]}
		cmd, _ := scaleAssociation(a)
		c := i % scale.Calls
		sector := scaleSectors[c%len(scaleSectors)]
		var draft proposalsapp.Result
		if err := untilVerified(ctx, func() (err error) {
			draft, err = s.Proposals.DraftProposal(ctx, proposalsapp.DraftProposal{CallID: calls[c], AssociationID: ids[a], Request: req(owner, "proposal-"+strconv.Itoa(i)),
				Content: proposalsapp.ContentInput{
					Title:   proposalevents.Text{EN: fmt.Sprintf("%s: %s project %d", cmd.Profile.Name, sectorWords(sector), i+1)},
					Summary: proposalevents.Text{EN: "A project with partners in the country of origin, proposed after a dialogue session."},
					Sector:  sector, Countries: cmd.Profile.OriginCountries, Budget: strconv.Itoa(40000 + (i*100)%50000), DurationMonths: 6 + i%30,
					BudgetLines: []proposalsapp.BudgetLineInput{
						{Label: "Equipment", Amount: "30000"}, {Label: "Training and travel", Amount: strconv.Itoa(10000 + (i*100)%50000)}},
					PartnerKinds: []string{"GOVERNMENT", "UNIVERSITY"},
				}})
			return err
		}); err != nil {
			return err
		}
		id := draft.ProposalID
		reviewer := func(r int) events.Actor {
			city := scaleCities[(i+r)%len(scaleCities)]
			return events.Actor{Role: events.RoleCoordinator, City: city, Subject: "scale-reviewer-" + city}
		}
		key := func(step string) string { return fmt.Sprintf("%s-%d", step, i) }
		var steps []func() error
		submit := func() error {
			_, err := s.Proposals.SubmitProposal(ctx, proposalsapp.SubmitProposal{ProposalID: id, Request: req(owner, key("submit"))})
			return err
		}
		review := func() error {
			_, err := s.Proposals.StartReview(ctx, proposalsapp.StartReview{ProposalID: id, Request: req(reviewer(0), key("start-review"))})
			if err != nil {
				return err
			}
			for r := range 1 + i%2 {
				if _, err := s.Proposals.ReviewProposal(ctx, proposalsapp.ReviewProposal{ProposalID: id, Request: req(reviewer(r), key(fmt.Sprintf("review-%d", r))),
					Scores:  map[string]int{"RELEVANCE": 1 + (i+r)%5, "FEASIBILITY": 1 + (i+2*r)%5, "DEVELOPMENT_IMPACT": 1 + (i/3+r)%5, "PARTNERSHIP": 1 + (i/7)%5},
					Comment: "Scored against the call's criteria."}); err != nil {
					return err
				}
			}
			return nil
		}
		pledge := func(p int) func() error {
			return func() error {
				in := proposalsapp.PledgeSupport{ProposalID: id, Request: req(reviewer(p), key(fmt.Sprintf("pledge-%d", p))),
					Partner: proposalevents.Partner{Name: fmt.Sprintf("Partner %d", (i+p)%500+1), Kind: []string{"GOVERNMENT", "UNIVERSITY", "PRIVATE_SECTOR", "NGO", "INTERNATIONAL_ORGANISATION"}[(i+p)%5], Country: cmd.Profile.OriginCountries[0]}}
				if p%2 == 0 {
					in.Money = &proposalsapp.MoneyInput{Amount: strconv.Itoa(5000 + (i*10)%20000), Currency: callCurrency(c)}
				} else {
					in.InKind = "Staff time and premises"
				}
				_, err := s.Proposals.PledgeSupport(ctx, in)
				return err
			}
		}
		decide := func(decision string) func() error {
			return func() error {
				_, err := s.Proposals.DecideProposal(ctx, proposalsapp.DecideProposal{ProposalID: id, Decision: decision, Reason: "Decided on the reviews.", Request: req(admin, key("decide"))})
				return err
			}
		}
		switch bucket := i % 20; {
		case bucket < 4: // a draft
		case bucket < 8:
			steps = []func() error{submit}
		case bucket < 12:
			steps = []func() error{submit, review, pledge(0)}
		case bucket < 17:
			steps = []func() error{submit, review, decide("APPROVED"), pledge(0), pledge(1)}
		case bucket < 19:
			steps = []func() error{submit, review, decide("REJECTED")}
		default:
			steps = []func() error{func() error {
				_, err := s.Proposals.WithdrawProposal(ctx, proposalsapp.WithdrawProposal{ProposalID: id, Reason: "Partners changed their plans.", Request: req(owner, key("withdraw"))})
				return err
			}}
		}
		for _, step := range steps {
			if err := step(); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		return scale, err
	}
	fmt.Fprintf(out, "Loaded %d associations, %d sessions, %d calls and %d proposals.\n", scale.Associations, scale.Sessions, scale.Calls, scale.Proposals)
	return scale, nil
}

// untilVerified runs do again while the service has not yet learnt that the association
// was verified (it hears it from the directory's events, a moment later).
func untilVerified(ctx context.Context, do func() error) error {
	deadline := time.Now().Add(time.Minute)
	for wait := time.Millisecond; ; wait = min(2*wait, 200*time.Millisecond) {
		err := do()
		if !errors.Is(err, sessionsapp.ErrNotVerified) && !errors.Is(err, proposal.ErrNotVerified) || time.Now().After(deadline) {
			return err
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(wait):
		}
	}
}
