package story

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// maxWord bounds a word's length in bytes; longer runs of letters (hostile
// input, base64 blobs) are cut into pieces of this size.
const maxWord = 64

// scanWords calls fn with each word of s, case-folded. A word is a run of
// letters, digits and combining marks; apostrophes, hyphens and all other
// characters separate words. Han, Hiragana and Katakana characters are
// words on their own, since those scripts put no spaces between words.
// The slice passed to fn is only valid during the call. scanWords returns
// buf (possibly grown) for reuse.
func scanWords(s string, buf []byte, fn func(w []byte)) []byte {
	w := buf[:0]
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			i++
			switch {
			case 'a' <= c && c <= 'z', '0' <= c && c <= '9':
				w = append(w, c)
			case 'A' <= c && c <= 'Z':
				w = append(w, c+('a'-'A'))
			default:
				if len(w) > 0 {
					fn(w)
					w = w[:0]
				}
				continue
			}
			if len(w) >= maxWord {
				fn(w)
				w = w[:0]
			}
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		switch {
		case r == utf8.RuneError && size == 1:
			// Invalid UTF-8 separates words.
		case isIdeograph(r):
			if len(w) > 0 {
				fn(w)
			}
			w = utf8.AppendRune(w[:0], r)
		case unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r):
			w = utf8.AppendRune(w, fold(r))
			if len(w) < maxWord {
				continue
			}
		}
		if len(w) > 0 {
			fn(w)
			w = w[:0]
		}
	}
	if len(w) > 0 {
		fn(w)
	}
	return w[:0]
}

// words returns the case-folded words of s (see scanWords).
func words(s string) []string {
	var out []string
	scanWords(s, nil, func(w []byte) { out = append(out, string(w)) })
	return out
}

// isIdeograph reports whether r belongs to a script written without spaces
// between words.
func isIdeograph(r rune) bool {
	return unicode.Is(unicode.Han, r) || unicode.Is(unicode.Hiragana, r) || unicode.Is(unicode.Katakana, r)
}

// fold maps r to one representative of its case-folding orbit, in lower
// case: 'Σ', 'σ' and 'ς' all become 'σ', 'K' and the Kelvin sign 'k'.
func fold(r rune) rune {
	m := r
	for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
		if f < m {
			m = f
		}
	}
	return unicode.ToLower(m)
}

// stemPlural folds a few English plural and possessive endings so that
// "strikes" and "strike", "parties" and "party" count as one term. It is
// deliberately timid: words of four letters or fewer, and endings in -ss,
// -us and -is, are left alone.
func stemPlural(w []byte) []byte {
	n := len(w)
	if n <= 4 || w[n-1] != 's' {
		return w
	}
	switch w[n-2] {
	case 's', 'u', 'i':
		return w
	case 'e':
		if w[n-3] == 'i' && n > 5 { // parties -> party
			w = append(w[:n-3], 'y')
			return w
		}
	}
	return w[:n-1]
}

// stopwords are function words and words too common in news to say what
// a story is about, separated by spaces. The list is English; other
// languages rely on IDF alone. Words of one ASCII letter or digit are
// stopwords too; a single ideograph is not.
const stopwords = "" +
	"about above after again against ago all also am an and any are around as at be because been " +
	"before being below between both but by can could did do does doing don down during each even " +
	"ever few for from further had has have having he her here hers herself him himself his how " +
	"however if in into is it its itself just last least less like ll made make many may me might " +
	"more most much must my myself new no nor not now of off on once one only or other our ours " +
	"ourselves out over own per re really said same say says saying see she should since so some " +
	"still such than that the their theirs them themselves then there these they this those " +
	"though through to told too two under until up us ve very was way we well were what when " +
	"where whether which while who whom whose why will with within without would year years yet " +
	"you your yours yourself yourselves week day time get got go going take took three first next " +
	"according added among another back come came know put set use used want wanted "

// stopSet finds stopwords by their hash: an open-addressed table built
// once per Clusterer, so that the per-word check is one probe of memory
// that stays in cache.
type stopSet struct {
	hashes []uint64 // 0: empty
	words  []string
}

func newStopSet() *stopSet {
	list := strings.Fields(stopwords)
	n := 1
	for n < 4*len(list) {
		n *= 2
	}
	s := &stopSet{hashes: make([]uint64, n), words: make([]string, n)}
	for _, w := range list {
		h := hashWord([]byte(w)) | 1 // never 0
		i := h & uint64(n-1)
		for s.hashes[i] != 0 {
			i = (i + 1) & uint64(n-1)
		}
		s.hashes[i], s.words[i] = h, w
	}
	return s
}

// has reports whether w, whose hashWord is h, is a stopword.
func (s *stopSet) has(w []byte, h uint64) bool {
	if len(w) <= 1 {
		return true
	}
	h |= 1
	mask := uint64(len(s.hashes) - 1)
	for i := h & mask; s.hashes[i] != 0; i = (i + 1) & mask {
		if s.hashes[i] == h && s.words[i] == string(w) {
			return true
		}
	}
	return false
}
