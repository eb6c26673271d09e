package platform

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	directoryapp "passerelle.dev/directory/app"
	"passerelle.dev/directory/domain/association"
	"passerelle.dev/events"
	"passerelle.dev/events/proposalevents"
	"passerelle.dev/events/sessionevents"
	proposalsapp "passerelle.dev/proposals/app"
	"passerelle.dev/servicekit/command"
	sessionsapp "passerelle.dev/sessions/app"
	"passerelle.dev/sessions/domain/session"
)

// sortedKeys are a map's keys in order: the demo's output is the same run after run.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// Services are the platform's command sides, as the demo data set uses them.
type Services struct {
	Directory directoryapp.Commands
	Sessions  sessionsapp.Commands
	Proposals proposalsapp.Commands
}

type demoAssociation struct {
	name, acronym, city, kind string
	origins, sectors, langs   []string
	description               directoryapp.Description
	members, founded          int
	verified                  bool
}

// demoAssociations are drawn from the Dialogue en continu's themes; the last one stays
// pending, for a coordinator to look at.
var demoAssociations = []demoAssociation{
	{"Ghana Nurses and Midwives Association UK", "GNMA-UK", "london", "PROFESSIONAL_NETWORK", []string{"GH"}, []string{"HEALTH", "SKILLS_CIRCULATION"}, []string{"en", "tw"},
		directoryapp.Description{EN: "Nurses and midwives trained in Ghana, working in the NHS, who give time back to hospitals at home."}, 420, 2009, true},
	{"Association des Sénégalais de Genève", "ASG", "geneva", "DIASPORA_ASSOCIATION", []string{"SN"}, []string{"INTEGRATION", "REMITTANCES", "CULTURE"}, []string{"fr", "wo"},
		directoryapp.Description{FR: "Accueil, entraide et transferts solidaires vers les régions de Matam et de Tambacounda."}, 260, 1998, true},
	{"Médecins congolais de Belgique", "MCB", "brussels", "PROFESSIONAL_NETWORK", []string{"CD"}, []string{"HEALTH", "RESEARCH"}, []string{"fr", "ln"},
		directoryapp.Description{FR: "Des médecins de la diaspora congolaise qui forment et consultent à distance avec les hôpitaux de Kinshasa et de Lubumbashi."}, 150, 2012, true},
	{"Cercle d'investissement de la diaspora malienne", "CIDM", "paris", "BUSINESS", []string{"ML"}, []string{"INVESTMENT", "REMITTANCES"}, []string{"fr", "bm"},
		directoryapp.Description{FR: "Une coopérative d'épargne qui finance des projets agricoles à Kayes, sur le modèle de Ghanacoop."}, 95, 2015, true},
	{"Ethiopian Professionals Network DC", "EPN", "washington", "PROFESSIONAL_NETWORK", []string{"ET"}, []string{"SKILLS_CIRCULATION", "EDUCATION"}, []string{"en", "am"},
		directoryapp.Description{EN: "Engineers, lecturers and doctors who teach virtual courses with Addis Ababa University."}, 310, 2010, true},
	{"Haitian Association of Washington", "HAW", "washington", "DIASPORA_ASSOCIATION", []string{"HT"}, []string{"REMITTANCES", "HUMAN_RIGHTS", "INTEGRATION"}, []string{"en", "fr", "ht"},
		directoryapp.Description{EN: "Rights advice for newcomers, and cheaper money transfers home through credit unions."}, 540, 1991, true},
	{"Eritrean Women in Geneva", "", "geneva", "DIASPORA_ASSOCIATION", []string{"ER"}, []string{"INTEGRATION", "HUMAN_RIGHTS"}, []string{"ti", "en"},
		directoryapp.Description{EN: "Mutual help for Eritrean women arriving in Geneva."}, 40, 2021, false},
}

// demoCoordinators are appointed, one per founding city.
var demoCoordinators = map[string]string{
	"london": "Amma Owusu", "geneva": "Claire Dubois", "brussels": "Pieter Janssens", "paris": "Fatoumata Keita", "washington": "Daniel Bekele",
}

type demoSession struct {
	city, title, description, theme, venue, address string
	origins                                         []string
	inDays                                          int
	at                                              string // local wall-clock time
	capacity                                        int
	stakeholders                                    []sessionevents.Stakeholder
	registrants                                     []int // indexes in demoAssociations
}

var demoSessions = []demoSession{
	{"london", "Diaspora health professionals: a temporary return to Ghana", "Placements of nurses and doctors in Ghanaian teaching hospitals: terms, insurance, recognition of experience.",
		"HEALTH", "Africa Centre", "66 Great Suffolk Street, London SE1 0BL", []string{"GH"}, 21, "18:30", 40,
		[]sessionevents.Stakeholder{{Name: "Ghana Health Service", Kind: "GOVERNMENT", Country: "GH"}, {Name: "Kwame Nkrumah University of Science and Technology", Kind: "UNIVERSITY", Country: "GH"}},
		[]int{0}},
	{"geneva", "Sending money home at low cost: postal networks and credit unions", "How postal operators and credit unions cut the cost of remittances to West Africa.",
		"REMITTANCES", "Maison de la Paix", "Chemin Eugène-Rigot 2, 1202 Genève", []string{"SN", "ML"}, 28, "18:00", 60,
		[]sessionevents.Stakeholder{{Name: "La Poste du Sénégal", Kind: "GOVERNMENT", Country: "SN"}, {Name: "Universal Postal Union", Kind: "INTERNATIONAL_ORGANISATION", Country: "CH"}},
		[]int{1, 3}},
	{"brussels", "Diaspora investment: cooperatives and guarantee funds", "From savings circles to cooperatives: financing small firms in the Democratic Republic of the Congo.",
		"INVESTMENT", "Résidence Palace", "Rue de la Loi 155, 1040 Bruxelles", []string{"CD"}, 35, "18:00", 50,
		[]sessionevents.Stakeholder{{Name: "Rawbank", Kind: "PRIVATE_SECTOR", Country: "CD"}},
		[]int{2}},
	{"paris", "Skills circulation: the virtual return of engineers", "Remote teaching and mentoring with universities of origin.",
		"SKILLS_CIRCULATION", "Maison de l'Afrique", "7 rue Chauchat, 75009 Paris", []string{"ML", "SN"}, 42, "19:00", 35,
		[]sessionevents.Stakeholder{{Name: "Université des Sciences, des Techniques et des Technologies de Bamako", Kind: "UNIVERSITY", Country: "ML"}},
		[]int{3, 1}},
	{"washington", "Integration and migrants' rights", "Legal aid, recognition of qualifications and the rights of newcomers.",
		"HUMAN_RIGHTS", "Martin Luther King Jr. Memorial Library", "901 G St NW, Washington, DC 20001", []string{"HT", "ET"}, 14, "18:00", 80,
		[]sessionevents.Stakeholder{{Name: "International Organization for Migration", Kind: "INTERNATIONAL_ORGANISATION", Country: "CH"}},
		[]int{5, 4}},
}

// DemoCredentials are the tokens of the demo data's people, to try the API with.
type DemoCredentials struct {
	Coordinators map[string]string // city → token
	Associations map[string]string // name → token
}

// TokenIssuer signs tokens: the demo hands out the keys of associations it found
// already registered.
type TokenIssuer interface {
	Issue(actor events.Actor, ttl time.Duration) (string, error)
}

// demoLoad is one run of SeedDemo.
type demoLoad struct {
	ctx    context.Context
	s      Services
	tokens TokenIssuer
	out    io.Writer
	admin  events.Actor
	creds  DemoCredentials
	// replayed counts the steps an earlier run had done.
	replayed, steps int
}

func (d *demoLoad) req(actor events.Actor, key string) command.Request {
	return command.Request{Actor: actor, CorrelationID: "demo-seed", IdempotencyKey: "demo-" + key}
}

// note says something the reader of the output should know, on a line of its own.
func (d *demoLoad) note(format string, args ...any) {
	fmt.Fprintf(d.out, "note: "+format+"\n", args...)
}

// SeedDemo loads a small, realistic data set drawn from the Dialogue en continu:
// associations in the five founding cities, a coordinator for each, sessions on health
// professionals, remittances, investment, skills and rights, and proposals at different
// stages with pledges. Every command carries an idempotency key, so a second run adds
// only what the first did not (an interrupted run resumes), and it loads into whatever
// the database holds: an association already registered under a demo name is used as it
// is, a venue already booked leaves its session out, each said in a note. It always ends
// with the keys to sign in with. The sessions service must be running (it opens the
// cities).
//
// Dates are counted from the registration of the first association the demo registered
// (now, the first time), so that a later run sends the same commands.
func SeedDemo(ctx context.Context, s Services, tokens TokenIssuer, now time.Time, out io.Writer) (DemoCredentials, error) {
	d := &demoLoad{ctx: ctx, s: s, tokens: tokens, out: out, admin: events.Actor{Role: events.RoleAdmin, Subject: "demo-seed"},
		creds: DemoCredentials{Coordinators: map[string]string{}, Associations: map[string]string{}}}

	ids := make([]string, len(demoAssociations))
	usable := make([]bool, len(demoAssociations))
	anchored := false
	for i, a := range demoAssociations {
		id, registeredAt, err := d.association(i, a)
		if err != nil {
			return d.creds, err
		}
		if !anchored && !registeredAt.IsZero() {
			now, anchored = registeredAt, true
		}
		ids[i], usable[i] = id, true
		if a.verified {
			if usable[i], err = d.verify(i, a, id); err != nil {
				return d.creds, err
			}
		}
	}
	for _, city := range sortedKeys(demoCoordinators) {
		d.steps++
		res, err := s.Sessions.AppointCoordinator(ctx, sessionsapp.AppointCoordinator{City: city, Name: demoCoordinators[city], Request: d.req(d.admin, "coordinator-"+city)})
		if err != nil {
			return d.creds, fmt.Errorf("appoint a coordinator in %s: %w", city, err)
		}
		d.count(res.Replayed)
		token := res.Coordinator.Token
		if token == "" { // a repeat after the replay window: the demo signs the key itself
			if token, err = d.tokens.Issue(events.Actor{Role: events.RoleCoordinator, City: city, Subject: res.Coordinator.ID}, 90*24*time.Hour); err != nil {
				return d.creds, err
			}
		}
		d.creds.Coordinators[city] = token
	}

	sessionIDs := make([]string, len(demoSessions))
	for i, ds := range demoSessions {
		day := now.AddDate(0, 0, ds.inDays).Format("2006-01-02")
		d.steps++
		res, err := s.Sessions.ScheduleSession(ctx, sessionsapp.ScheduleSession{
			City: ds.city, Title: sessionevents.Text{EN: ds.title}, Description: sessionevents.Text{EN: ds.description}, Theme: ds.theme,
			OriginCountries: ds.origins, Venue: sessionevents.Venue{Name: ds.venue, Address: ds.address},
			When:     sessionsapp.When{Start: day + "T" + ds.at, DurationMinutes: 150},
			Capacity: ds.capacity, Stakeholders: ds.stakeholders, Request: d.req(d.admin, fmt.Sprintf("session-%02d", i)),
		})
		var taken *session.VenueTakenError
		switch {
		case errors.As(err, &taken):
			d.note("%s is already booked on %s: the demo leaves out the session %q", ds.venue, day, ds.title)
			continue
		case errors.Is(err, session.ErrInThePast):
			return d.creds, fmt.Errorf("the demo's session %q would now be in the past (the demo was first loaded on %s): load it into a new database "+
				"(stop the platform and remove its data folder, .passerelle by default, or point DATABASE_URL at an empty database)", ds.title, now.Format("2 January 2006"))
		case err != nil:
			return d.creds, fmt.Errorf("schedule %q: %w", ds.title, err)
		}
		d.count(res.Replayed)
		sessionIDs[i] = res.SessionID
		for _, a := range ds.registrants {
			if !usable[a] {
				continue
			}
			d.steps++
			r, err := s.Sessions.RegisterForSession(ctx, sessionsapp.RegisterForSession{SessionID: res.SessionID, AssociationID: ids[a], Seats: 3,
				Request: d.req(d.admin, fmt.Sprintf("registration-%02d-%02d", i, a))})
			var already *session.AlreadyRegisteredError
			if errors.As(err, &already) {
				continue // it registered on its own
			}
			if err != nil {
				return d.creds, fmt.Errorf("register %s for %q: %w", demoAssociations[a].name, ds.title, err)
			}
			d.count(r.Replayed)
		}
	}
	if err := d.proposals(now, ids, usable, sessionIDs); err != nil {
		return d.creds, err
	}
	if d.replayed == d.steps {
		fmt.Fprintln(out, "The demo data was already loaded: nothing new.")
	} else {
		fmt.Fprintf(out, "Loaded the demo data: %d associations, %d coordinators, %d sessions, 2 calls, 3 proposals.\n",
			len(demoAssociations), len(demoCoordinators), len(demoSessions))
		if d.replayed > 0 {
			fmt.Fprintf(out, "(%d of its %d steps had been done by an earlier run.)\n", d.replayed, d.steps)
		}
	}
	return d.creds, nil
}

func (d *demoLoad) count(replayed bool) {
	if replayed {
		d.replayed++
	}
}

// association registers a demo association, or finds it registered already, and keeps
// its key. registeredAt is when the demo registered it (zero for one it found).
func (d *demoLoad) association(i int, a demoAssociation) (id string, registeredAt time.Time, err error) {
	members, founded := a.members, a.founded
	// The platform registers the demo's associations itself (the system actor), with
	// keys of its own: a second run finds what the first registered. A repeat within the
	// replay window answers with a fresh key (ending the one printed before); after it,
	// with none, and the demo signs one for the key's current generation.
	res, err := d.s.Directory.RegisterAssociation(d.ctx, directoryapp.RegisterAssociation{
		Profile: directoryapp.ProfileInput{Name: a.name, Acronym: a.acronym, Kind: a.kind, OriginCountries: a.origins, City: a.city,
			Sectors: a.sectors, Languages: a.langs, Description: a.description, MemberCount: &members, YearFounded: &founded},
		Request: d.req(events.System, fmt.Sprintf("association-%02d", i)),
	})
	var dup *association.DuplicateNameError
	if errors.As(err, &dup) {
		d.note("%q was already registered in %s: the demo uses it as it is", dup.ExistingName, a.city)
		token, err := d.keyOf(dup.ExistingID)
		if err != nil {
			return "", time.Time{}, err
		}
		d.creds.Associations[dup.ExistingName] = token
		return dup.ExistingID, time.Time{}, nil
	}
	if err != nil {
		return "", time.Time{}, fmt.Errorf("demo association %s: %w", a.name, err)
	}
	d.steps++
	d.count(res.Replayed)
	if res.Token == "" { // a repeat after the replay window
		if res.Token, err = d.keyOf(res.Association.ID); err != nil {
			return "", time.Time{}, err
		}
	}
	d.creds.Associations[a.name] = res.Token
	return res.Association.ID, res.Association.RegisteredAt, nil
}

// keyOf signs a key for an association the demo did not just get one for, of the key's
// current generation (an earlier one may have been renewed).
func (d *demoLoad) keyOf(id string) (string, error) {
	gen, err := d.s.Directory.KeyGeneration(d.ctx, id)
	if err != nil {
		return "", err
	}
	return d.tokens.Issue(events.Actor{Role: events.RoleAssociation, AssociationID: id, KeyGeneration: gen}, 365*24*time.Hour)
}

// verify verifies a demo association; one found already verified is fine. It says
// whether the association can take part (register, propose).
func (d *demoLoad) verify(i int, a demoAssociation, id string) (bool, error) {
	res, err := d.s.Directory.VerifyAssociation(d.ctx, directoryapp.VerifyAssociation{AssociationID: id, Request: d.req(d.admin, fmt.Sprintf("verify-%02d", i))})
	var wrong *association.TransitionError
	if errors.As(err, &wrong) { // someone else took it from PENDING: not a step of the demo's
		if wrong.Status == association.StatusVerified {
			return true, nil
		}
		d.note("%q is %s: the demo registers it for no session and drafts no proposal for it", a.name, strings.ToLower(wrong.Status.String()))
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("verify %s: %w", a.name, err)
	}
	d.steps++
	d.count(res.Replayed)
	return true, nil
}

// proposals opens the demo's calls and takes three proposals to different stages.
func (d *demoLoad) proposals(now time.Time, ids []string, usable []bool, sessionIDs []string) error {
	ctx, s, admin, req := d.ctx, d.s, d.admin, d.req
	for _, owner := range []int{0, 1, 2} {
		if !usable[owner] {
			d.note("the demo's proposals need %q verified: they are left out", demoAssociations[owner].name)
			return nil
		}
	}
	d.steps++
	health, err := s.Proposals.OpenCall(ctx, proposalsapp.OpenCall{
		Title:       proposalevents.Text{EN: "Diaspora health partnerships", FR: "Partenariats santé de la diaspora"},
		Description: proposalevents.Text{EN: "Projects that bring diaspora health professionals and hospitals of their countries of origin together."},
		Themes:      []string{"HEALTH", "SKILLS_CIRCULATION"}, EligibleCountries: []string{"GH", "CD", "SN", "ML", "ET", "HT"},
		BudgetCeiling: proposalsapp.MoneyInput{Amount: "50000", Currency: "EUR"},
		OpensAt:       now.AddDate(0, 0, -7), ClosesAt: now.AddDate(0, 2, 0), Request: req(admin, "call-health"),
	})
	if err != nil {
		return fmt.Errorf("open the health call: %w", err)
	}
	d.count(health.Replayed)
	d.steps++
	remittances, err := s.Proposals.OpenCall(ctx, proposalsapp.OpenCall{
		Title:       proposalevents.Text{EN: "Low-cost remittance channels", FR: "Des transferts d'argent à bas coût"},
		Description: proposalevents.Text{FR: "Des canaux de transfert moins chers : réseaux postaux, mutuelles et coopératives."},
		Themes:      []string{"REMITTANCES", "INVESTMENT"}, EligibleCountries: []string{"SN", "ML", "HT"},
		BudgetCeiling: proposalsapp.MoneyInput{Amount: "20000000", Currency: "XOF"},
		OpensAt:       now.AddDate(0, 0, -3), ClosesAt: now.AddDate(0, 1, 15), Request: req(admin, "call-remittances"),
	})
	if err != nil {
		return fmt.Errorf("open the remittances call: %w", err)
	}
	d.count(remittances.Replayed)

	owner := func(i int) events.Actor { return events.Actor{Role: events.RoleAssociation, AssociationID: ids[i]} }
	reviewer := events.Actor{Role: events.RoleCoordinator, City: "london", Subject: "demo-reviewer"}
	telemedicine, err := s.Proposals.DraftProposal(ctx, proposalsapp.DraftProposal{CallID: health.CallID, AssociationID: ids[0], Request: req(owner(0), "proposal-telemedicine"),
		Content: proposalsapp.ContentInput{
			Title:   proposalevents.Text{EN: "Tele-medicine link with Tamale Teaching Hospital"},
			Summary: proposalevents.Text{EN: "Nurses and midwives in the NHS give remote consultations and train staff in Tamale, with two placements a year."},
			Sector:  "HEALTH", Countries: []string{"GH"}, Budget: "48000", DurationMonths: 18, SessionID: sessionIDs[0],
			BudgetLines:  []proposalsapp.BudgetLineInput{{Label: "Video equipment and connectivity", Amount: "21000"}, {Label: "Training and placements", Amount: "27000"}},
			PartnerKinds: []string{"UNIVERSITY", "GOVERNMENT"},
		}})
	if err != nil {
		return fmt.Errorf("draft the tele-medicine proposal: %w", err)
	}
	d.steps++
	d.count(telemedicine.Replayed)
	for _, step := range []struct {
		key string
		run func(command.Request) (replayed bool, err error)
		by  events.Actor
	}{
		{"submit-telemedicine", func(r command.Request) (bool, error) {
			res, err := s.Proposals.SubmitProposal(ctx, proposalsapp.SubmitProposal{ProposalID: telemedicine.ProposalID, Request: r})
			return res.Replayed, err
		}, owner(0)},
		{"review-start-telemedicine", func(r command.Request) (bool, error) {
			res, err := s.Proposals.StartReview(ctx, proposalsapp.StartReview{ProposalID: telemedicine.ProposalID, Request: r})
			return res.Replayed, err
		}, reviewer},
		{"review-telemedicine", func(r command.Request) (bool, error) {
			res, err := s.Proposals.ReviewProposal(ctx, proposalsapp.ReviewProposal{ProposalID: telemedicine.ProposalID, Request: r,
				Scores:  map[string]int{"RELEVANCE": 5, "FEASIBILITY": 4, "DEVELOPMENT_IMPACT": 5, "PARTNERSHIP": 4},
				Comment: "A clear plan with a committed hospital; the placements need an insurance line."})
			return res.Replayed, err
		}, reviewer},
		{"decide-telemedicine", func(r command.Request) (bool, error) {
			res, err := s.Proposals.DecideProposal(ctx, proposalsapp.DecideProposal{ProposalID: telemedicine.ProposalID, Decision: "APPROVED",
				Reason: "Strong on every criterion, with partners already engaged.", Request: r})
			return res.Replayed, err
		}, admin},
		{"pledge-telemedicine-1", func(r command.Request) (bool, error) {
			res, err := s.Proposals.PledgeSupport(ctx, proposalsapp.PledgeSupport{ProposalID: telemedicine.ProposalID, Request: r,
				Partner: proposalevents.Partner{Name: "Ghana Health Service", Kind: "GOVERNMENT", Country: "GH"}, InKind: "Two nurse tutors seconded for a year"})
			return res.Replayed, err
		}, reviewer},
		{"pledge-telemedicine-2", func(r command.Request) (bool, error) {
			res, err := s.Proposals.PledgeSupport(ctx, proposalsapp.PledgeSupport{ProposalID: telemedicine.ProposalID, Request: r,
				Partner: proposalevents.Partner{Name: "MTN Ghana Foundation", Kind: "PRIVATE_SECTOR", Country: "GH"}, Money: &proposalsapp.MoneyInput{Amount: "15000", Currency: "EUR"}})
			return res.Replayed, err
		}, reviewer},
	} {
		d.steps++
		replayed, err := step.run(req(step.by, step.key))
		if err != nil {
			return fmt.Errorf("demo proposal, %s: %w", step.key, err)
		}
		d.count(replayed)
	}
	postal, err := s.Proposals.DraftProposal(ctx, proposalsapp.DraftProposal{CallID: remittances.CallID, AssociationID: ids[1], Request: req(owner(1), "proposal-postal"),
		Content: proposalsapp.ContentInput{
			Title:   proposalevents.Text{FR: "Transferts solidaires par les bureaux de poste de Matam"},
			Summary: proposalevents.Text{FR: "Un mandat postal à bas coût entre Genève et Matam, avec la Poste du Sénégal."},
			Sector:  "REMITTANCES", Countries: []string{"SN"}, Budget: "12500000", DurationMonths: 24, SessionID: sessionIDs[1],
			BudgetLines:  []proposalsapp.BudgetLineInput{{Label: "Équipement des bureaux", Amount: "7500000"}, {Label: "Formation des agents", Amount: "5000000"}},
			PartnerKinds: []string{"GOVERNMENT", "PRIVATE_SECTOR"},
		}})
	if err != nil {
		return fmt.Errorf("draft the postal proposal: %w", err)
	}
	d.steps++
	d.count(postal.Replayed)
	submitted, err := s.Proposals.SubmitProposal(ctx, proposalsapp.SubmitProposal{ProposalID: postal.ProposalID, Request: req(owner(1), "submit-postal")})
	if err != nil {
		return fmt.Errorf("submit the postal proposal: %w", err)
	}
	d.steps++
	d.count(submitted.Replayed)
	kinshasa, err := s.Proposals.DraftProposal(ctx, proposalsapp.DraftProposal{CallID: health.CallID, AssociationID: ids[2], Request: req(owner(2), "proposal-kinshasa"),
		Content: proposalsapp.ContentInput{Title: proposalevents.Text{FR: "Formation continue en chirurgie à Kinshasa"}, Sector: "HEALTH", Countries: []string{"CD"}}})
	if err != nil {
		return fmt.Errorf("draft the Kinshasa proposal: %w", err)
	}
	d.steps++
	d.count(kinshasa.Replayed)
	return nil
}
