package textsearch

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// TestFoldIsFoldTextWordByWord: folding word by word, ASCII words on the spot, gives
// what folding the whole text by the book gives, on texts mixing ASCII, accents,
// combining marks, ligatures, other scripts and punctuation of every kind.
func TestFoldIsFoldTextWordByWord(t *testing.T) {
	t.Parallel()
	pieces := []string{"a", "Z", "0", "9", " ", "-", "'", "(", ")", ".", ",", "_", "\t", "\n", "é", "È", "e\u0301", "\u0301",
		"ß", "Œ", "æ", "ø", "ł", "đ", "þ", "ı", "İ", "ﬁ", "Ⅻ", "½", "²", "—", "’", "«", "»", "\u00a0", "Ж", "ж", "Σ", "ς",
		"日本", "한", "\u1100\u1161", "<\u0338", "🙂", "Straße", "Genève", "Sénégalais", "K", "\u212a", "x"}
	r := rand.New(rand.NewPCG(1, 2))
	texts := []string{"", "Association des Sénégalais (Genève)", "Çà et là — l'Œuvre"}
	for range 5000 {
		var b strings.Builder
		for range r.IntN(12) {
			b.WriteString(pieces[r.IntN(len(pieces))])
		}
		texts = append(texts, b.String())
	}
	for _, s := range texts {
		if got, want := Fold(s), foldText(s); got != want {
			t.Fatalf("Fold(%q) = %q, foldText gives %q", s, got, want)
		}
	}
}

func BenchmarkFold(b *testing.B) {
	s := "Ghana Nurses Network London 12 la diaspora GH à Londres, engagée pour la santé avec des partenaires au pays."
	for b.Loop() {
		Fold(s)
	}
}
