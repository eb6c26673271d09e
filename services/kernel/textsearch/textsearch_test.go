package textsearch_test

import (
	"strings"
	"testing"

	"passerelle.dev/kernel/textsearch"
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

// TestFoldOfASCIIIsFoldOfAnyText: the shortcut for ASCII text gives what the general
// path gives, for every ASCII character.
func TestFoldOfASCIIIsFoldOfAnyText(t *testing.T) {
	t.Parallel()
	var all []byte
	for c := 0; c < 0x80; c++ {
		all = append(all, byte(c), 'x', byte(c), ' ')
	}
	for _, s := range []string{string(all), "  Ghana Nurses' Network (UK) -- 2024  ", "a", "", "KELVIN \u212a"} {
		// "é" sends the text down the general path; it folds to "e", a word of its own.
		if got, want := textsearch.Fold(s), strings.TrimPrefix(strings.TrimPrefix(textsearch.Fold("é "+s), "e"), " "); got != want {
			t.Errorf("Fold(%q) = %q, the general path gives %q", s, got, want)
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
