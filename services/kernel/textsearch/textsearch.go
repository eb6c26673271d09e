// Package textsearch folds text for accent- and case-insensitive search: the projections
// store folded text, and queries fold their input the same way, so "senegalais" finds
// "Sénégalais" and the reverse.
package textsearch

import (
	"strings"
	"sync"
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
	// Word by word, words being what ASCII spaces and punctuation separate: an ASCII
	// word is lower-cased on the spot, and only the others (a few in a French
	// description) go through Unicode's decomposition and case folding. The result is
	// foldText's, which a test checks.
	var b strings.Builder
	b.Grow(len(s))
	word := func(w string) {
		if w == "" {
			return
		}
		if folded, ok := foldASCII(w); ok {
			w = folded
		} else if w = foldText(w); w == "" {
			return
		}
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(w)
	}
	start := 0
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x80 && !isASCIIWordByte(c) {
			word(s[start:i])
			start = i + 1
		}
	}
	word(s[start:])
	return b.String()
}

func isASCIIWordByte(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
}

// foldText is Fold by the book, for any text: decompose, drop the accents, recompose,
// fold case, spell out the letters that have no accent to drop, keep letters and digits.
func foldText(s string) string {
	f := folders.Get().(*folder)
	defer folders.Put(f)
	f.strip.Reset()
	stripped, _, err := transform.String(f.strip, s)
	if err != nil {
		stripped = s
	}
	f.fold.Reset()
	folded := letters.Replace(f.fold.String(stripped))
	return strings.Join(strings.FieldsFunc(folded, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	}), " ")
}

// folder holds the transformers foldText uses, which keep state between calls and take
// long to make: each goroutine borrows a pair from a pool.
type folder struct {
	strip transform.Transformer
	fold  cases.Caser
}

var folders = sync.Pool{New: func() any {
	return &folder{strip: transform.Chain(norm.NFKD, runes.Remove(runes.In(unicode.Mn)), norm.NFC), fold: cases.Fold()}
}}

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

// foldASCII is Fold for text with nothing but ASCII in it, most of what is folded (a
// rebuild folds every association's texts): there is no accent to remove, lower-casing
// is the whole of case folding, and only ASCII letters and digits make words. ok is
// false when s holds anything else.
func foldASCII(s string) (folded string, ok bool) {
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 0x80:
			return "", false
		case 'A' <= c && c <= 'Z':
			c += 'a' - 'A'
		case 'a' <= c && c <= 'z', '0' <= c && c <= '9':
		default:
			space = b.Len() > 0
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteByte(c)
	}
	return b.String(), true
}
