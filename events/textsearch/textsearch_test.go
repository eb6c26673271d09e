package textsearch_test

import (
	"testing"

	"passerelle.dev/events/textsearch"
)

func TestFold(t *testing.T) {
	t.Parallel()
	cases := map[string]string{
		"Association des Sénégalais (Genève)": "association des senegalais geneve",
		"ASSOCIATION DES SENEGALAIS":          "association des senegalais",
		"Çà et là — l'Œuvre":                  "ca et la l oeuvre",
		"Straße 12":                           "strasse 12",
		"  ":                                  "",
		"'); DROP TABLE x; --":                "drop table x",
	}
	for in, want := range cases {
		if got := textsearch.Fold(in); got != want {
			t.Errorf("Fold(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestPrefixQueryHoldsOnlyWordsAndOperators(t *testing.T) {
	t.Parallel()
	if got := textsearch.PrefixQuery("Sénéga & gen!"); got != "senega:* & gen:*" {
		t.Fatalf("got %q", got)
	}
	if got := textsearch.PrefixQuery(":* | !"); got != "" {
		t.Fatalf("operators only: got %q", got)
	}
}
