package association

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"passerelle.dev/kernel/textsearch"
)

// MaxNameLength is the longest association name accepted, in characters.
const MaxNameLength = 200

// Name is an association's name as it presents itself.
type Name struct{ text string }

// NewName tidies spacing and checks that the name says something.
func NewName(s string) (Name, error) {
	text := strings.Join(strings.Fields(s), " ")
	switch {
	case text == "":
		return Name{}, &InvalidInputError{Field: "name", Reason: "the association's name is required"}
	case utf8.RuneCountInString(text) > MaxNameLength:
		return Name{}, &InvalidInputError{Field: "name", Reason: "the name is longer than 200 characters"}
	case strings.IndexFunc(text, unicode.IsControl) >= 0:
		return Name{}, &InvalidInputError{Field: "name", Reason: "the name contains control characters"}
	case NameKey(text) == "":
		return Name{}, &InvalidInputError{Field: "name", Reason: "the name needs at least one letter or digit"}
	}
	return Name{text}, nil
}

// String returns the name.
func (n Name) String() string { return n.text }

// Key is the name as compared for duplicates.
func (n Name) Key() string { return NameKey(n.text) }

// NameKey reduces a name to what tells two associations apart: letters and digits
// only, without accents, case-folded. "Association des Sénégalais de Genève",
// "ASSOCIATION DES SENEGALAIS DE GENEVE" and "Association des Sénégalais de Genève !"
// share a key.
func NameKey(s string) string {
	return strings.ReplaceAll(textsearch.Fold(s), " ", "")
}
