package matching_test

import (
	"testing"

	"passerelle.dev/events/expertevents"
	"passerelle.dev/experts/domain/matching"
)

func TestTheScoreIsWhatTheDocumentedRulesSay(t *testing.T) {
	t.Parallel()
	cardiologist := expertevents.Profile{Fields: []string{"2212"}, Languages: []string{"fr", "wo"}, OriginCountries: []string{"SN"},
		ResidenceCountry: "CH", Availability: expertevents.Availability{Remote: true, From: "2027-01-01", To: "2027-12-31", DaysPerYear: 20}}
	nurse := expertevents.Profile{Fields: []string{"2221", "2212"}, Languages: []string{"fr-CD"}, OriginCountries: []string{"CD"},
		ResidenceCountry: "SN", Availability: expertevents.Availability{OnSite: true, DaysPerYear: 60}}
	engineer := expertevents.Profile{Fields: []string{"2142"}, Languages: []string{"fr"}, OriginCountries: []string{"SN"}, ResidenceCountry: "BE",
		Availability: expertevents.Availability{OnSite: true, Remote: true, DaysPerYear: 10}}
	// Senegal's ministry asks for a specialist and a nurse, speaking French and Wolof, on
	// site, in March 2027.
	needs := matching.Needs{Fields: []string{"2212", "2221"}, Languages: []string{"fr", "wo"}, Country: "SN", Mode: matching.OnSite,
		From: "2027-03-01", To: "2027-03-31"}
	ranked := matching.Rank(map[string]expertevents.Profile{"cardio": cardiologist, "nurse": nurse, "engineer": engineer}, needs)
	if len(ranked) != 2 {
		t.Fatalf("ranked %+v: the engineer shares no field", ranked)
	}
	// Nurse: both fields 40, French (fr-CD) 12 of 25, residence 10, on site 10 + dates 5 = 77.
	// Cardiologist: one field 20, both languages 25, origin 20, not on site 0 + dates 5 = 70.
	if ranked[0].ExpertID != "nurse" || ranked[0].Score != 77 || ranked[1].ExpertID != "cardio" || ranked[1].Score != 70 {
		t.Fatalf("ranking %+v", ranked)
	}
	for _, m := range ranked {
		total := 0
		for _, r := range m.Reasons {
			if r.Points > r.Max {
				t.Fatalf("%s: %s gives %d of %d", m.ExpertID, r.Criterion, r.Points, r.Max)
			}
			total += r.Points
		}
		if total != m.Score {
			t.Fatalf("%s: reasons add up to %d, score %d", m.ExpertID, total, m.Score)
		}
	}
	// Remote work in 2028: the cardiologist's dates end in 2027.
	m, _ := matching.Score("cardio", cardiologist, matching.Needs{Fields: []string{"2212"}, Country: "SN", Mode: matching.Remote, From: "2028-02-01"})
	if m.Score != 40+25+20+10 {
		t.Fatalf("remote in 2028: %d (%+v)", m.Score, m.Reasons)
	}
}
