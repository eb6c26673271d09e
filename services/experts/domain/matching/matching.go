// Package matching ranks experts for an institution's request for expertise, with the
// reasons for each rank. The score is documented, so that coordinators (and experts)
// can see why one expert comes before another; nothing in it depends on who the expert
// is beyond what the request asks.
//
// Out of 100:
//   - expertise, 40: the share of the fields asked that the expert has (no shared field:
//     not a match at all);
//   - languages, 25: the share of the languages asked that the expert speaks (a language
//     matches its regional forms: fr matches fr-CD); 25 when none is asked;
//   - country link, 20: the request's country is one of the expert's countries of origin
//     (20), or the one they live in (10);
//   - availability, 15: the way of working asked (on site, remote, either) is one the
//     expert offers (10), and the request's dates fall within the expert's (5; open ends
//     match).
package matching

import (
	"slices"
	"strings"
	"time"

	"passerelle.dev/events/expertevents"
)

// Modes of work a request asks for.
const (
	OnSite = "ON_SITE"
	Remote = "REMOTE"
	Either = "EITHER"
)

// Needs are what a request asks of an expert.
type Needs struct {
	Fields    []string
	Languages []string
	// Country is the ISO code of the country the request comes from.
	Country string
	Mode    string
	// From and To are the mission's dates ("2027-03-01"), either may be empty.
	From, To string
}

// NeedsOf are what a request's terms ask of an expert.
func NeedsOf(t expertevents.Terms) Needs {
	return Needs{Fields: t.Fields, Languages: t.Languages, Country: t.Country, Mode: t.Mode, From: t.From, To: t.To}
}

// Reason is one criterion's part of a score.
type Reason struct {
	// Criterion is EXPERTISE, LANGUAGES, COUNTRY or AVAILABILITY.
	Criterion string
	Points    int
	Max       int
	// Matched names what matched: fields, languages, the country link, the mode.
	Matched []string
}

// Match is an expert's score for a request.
type Match struct {
	ExpertID string
	Score    int
	Reasons  []Reason
}

// Score rates one expert's profile against needs; ok is false when the expert shares
// no field of expertise with the request.
func Score(expertID string, p expertevents.Profile, n Needs) (Match, bool) {
	m := Match{ExpertID: expertID}
	var shared []string
	for _, f := range n.Fields {
		if slices.Contains(p.Fields, f) {
			shared = append(shared, f)
		}
	}
	if len(shared) == 0 {
		return m, false
	}
	m.add(Reason{Criterion: "EXPERTISE", Max: 40, Points: 40 * len(shared) / len(n.Fields), Matched: shared})

	languages := Reason{Criterion: "LANGUAGES", Max: 25, Points: 25}
	if len(n.Languages) > 0 {
		for _, want := range n.Languages {
			if slices.ContainsFunc(p.Languages, func(have string) bool { return sameLanguage(have, want) }) {
				languages.Matched = append(languages.Matched, want)
			}
		}
		languages.Points = 25 * len(languages.Matched) / len(n.Languages)
	}
	m.add(languages)

	country := Reason{Criterion: "COUNTRY", Max: 20}
	switch {
	case slices.Contains(p.OriginCountries, n.Country):
		country.Points, country.Matched = 20, []string{"ORIGIN"}
	case p.ResidenceCountry == n.Country:
		country.Points, country.Matched = 10, []string{"RESIDENCE"}
	}
	m.add(country)

	availability := Reason{Criterion: "AVAILABILITY", Max: 15}
	a := p.Availability
	if n.Mode == Either && (a.OnSite || a.Remote) || n.Mode == OnSite && a.OnSite || n.Mode == Remote && a.Remote {
		availability.Points += 10
		availability.Matched = append(availability.Matched, n.Mode)
	}
	if within(n.From, n.To, a.From, a.To) {
		availability.Points += 5
		availability.Matched = append(availability.Matched, "DATES")
	}
	m.add(availability)
	return m, true
}

func (m *Match) add(r Reason) {
	m.Score += r.Points
	m.Reasons = append(m.Reasons, r)
}

// sameLanguage tells whether a spoken language serves a wanted one: the same tag, or
// the same base language (fr for fr-CD, and the other way round).
func sameLanguage(have, want string) bool {
	base := func(s string) string { b, _, _ := strings.Cut(strings.ToLower(s), "-"); return b }
	return strings.EqualFold(have, want) || base(have) == base(want)
}

// within tells whether the mission's dates fall in the expert's availability; open ends
// (empty dates) match.
func within(from, to, availFrom, availTo string) bool {
	parse := func(s string) time.Time { t, _ := time.Parse(time.DateOnly, s); return t }
	before := func(a, b string) bool { return a != "" && b != "" && parse(a).Before(parse(b)) }
	// The mission starts and ends inside the expert's availability.
	return !before(from, availFrom) && !before(availTo, from) && !before(to, availFrom) && !before(availTo, to)
}

// Rank scores every candidate and returns the matches, best first: by score, then by
// the fields shared, then by id, so that equal candidates keep one order.
func Rank(candidates map[string]expertevents.Profile, n Needs) []Match {
	var out []Match
	for id, p := range candidates {
		if m, ok := Score(id, p, n); ok {
			out = append(out, m)
		}
	}
	slices.SortFunc(out, func(a, b Match) int {
		if a.Score != b.Score {
			return b.Score - a.Score
		}
		if d := len(b.Reasons[0].Matched) - len(a.Reasons[0].Matched); d != 0 {
			return d
		}
		return strings.Compare(a.ExpertID, b.ExpertID)
	})
	return out
}
