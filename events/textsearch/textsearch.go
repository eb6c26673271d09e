// Package textsearch folds text for accent- and case-insensitive search: the projections
// store folded text, and queries fold their input the same way, so "senegalais" finds
// "Sénégalais" and the reverse.
package textsearch

import (
	"strings"
	"unicode"

	"golang.org/x/text/cases"
	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// letters spells out the letters that have no accent to remove but are written with
// plain ones on an ordinary keyboard.
var letters = strings.NewReplacer("œ", "oe", "æ", "ae", "ø", "o", "ł", "l", "đ", "d", "ð", "d", "þ", "th", "ı", "i")

// Fold lower-cases s, removes accents and turns everything but letters and digits into
// single spaces: "Association des Sénégalais (Genève)" → "association des senegalais
// geneve".
func Fold(s string) string {
	// A transform.Chain keeps state between calls: one per call, never shared.
	strip := transform.Chain(norm.NFKD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
	stripped, _, err := transform.String(strip, s)
	if err != nil {
		stripped = s
	}
	folded := letters.Replace(cases.Fold().String(stripped))
	return strings.Join(strings.FieldsFunc(folded, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	}), " ")
}

// PrefixQuery turns words into a to_tsquery expression matching documents that contain
// every word as a prefix: "senega gene" → "senega:* & gene:*". The words are folded
// first, so the expression holds nothing but letters, digits, ':*' and '&'.
func PrefixQuery(s string) string {
	words := strings.Fields(Fold(s))
	for i, w := range words {
		words[i] = w + ":*"
	}
	return strings.Join(words, " & ")
}
