package digest

import (
	"slices"
	"unicode"
	"unicode/utf8"
)

// The term vectors that summary similarity works on: content words,
// lower-cased and Porter-stemmed, hashed to 64 bits so that no string is
// built per word. A collision between two of a document's few hundred
// terms is vanishingly unlikely and would only nudge a similarity.

const (
	sumHashOffset = 14695981039346656037
	sumHashPrime  = 1099511628211
	sumMaxWordLen = 32 // longer runs of letters are hashed unstemmed
)

// sumTermVec is a sentence's sparse term vector: hashes sorted ascending,
// with their counts (later their weights).
type sumTermVec struct {
	terms []uint64
	w     []float64
	norm  float64
}

// sumSentenceTerms appends the hashes of the content words of s to dst.
func sumSentenceTerms(dst []uint64, s string) []uint64 {
	var buf [sumMaxWordLen]byte
	n := 0        // bytes of the current word in buf
	long := false // the word outgrew buf
	ascii := true // the word is a-z only, so the stemmer applies
	var h uint64 = sumHashOffset
	flush := func() {
		if n == 0 && !long {
			return
		}
		w := buf[:n]
		switch {
		case long:
			dst = append(dst, h)
		case n < 2 || sumStopword(w):
		case ascii && n > 3:
			dst = append(dst, sumHash(sumStem(w)))
		default:
			dst = append(dst, sumHash(w))
		}
		n, long, ascii, h = 0, false, true, sumHashOffset
	}
	add := func(b []byte) {
		for _, c := range b {
			h = (h ^ uint64(c)) * sumHashPrime
		}
		if long {
			return
		}
		if n+len(b) > len(buf) {
			long = true
			return
		}
		n += copy(buf[n:], b)
	}
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			i++
			switch {
			case c >= 'a' && c <= 'z':
				add([]byte{c})
			case c >= 'A' && c <= 'Z':
				add([]byte{c + 'a' - 'A'})
			case c >= '0' && c <= '9':
				ascii = false
				add([]byte{c})
			case c == '\'' && n > 0 && i < len(s) && s[i] == 's':
				// possessive 's: drop it, so "Google's" is "google"
				if i+1 == len(s) || !sumIsWordByte(s[i+1]) {
					i++
				}
				flush()
			default:
				flush()
			}
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		if r == '\u2019' && n > 0 && i < len(s) && s[i] == 's' && (i+1 == len(s) || !sumIsWordByte(s[i+1])) {
			i++
			flush()
			continue
		}
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			ascii = false
			var enc [utf8.UTFMax]byte
			k := utf8.EncodeRune(enc[:], unicode.ToLower(r))
			add(enc[:k])
			continue
		}
		flush()
	}
	flush()
	return dst
}

func sumIsWordByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c >= utf8.RuneSelf
}

func sumHash(b []byte) uint64 {
	var h uint64 = sumHashOffset
	for _, c := range b {
		h = (h ^ uint64(c)) * sumHashPrime
	}
	return h
}

// sumStem stems a lower-case a-z word in place.
func sumStem(w []byte) []byte {
	if s, ok := stemIrregular(string(w)); ok {
		return append(w[:0], s...)
	}
	return stemBytes(w)
}

// sumVector turns a list of term hashes into a sorted vector of counts.
// It sorts terms in place and reuses its memory.
func sumVector(terms []uint64) sumTermVec {
	slices.Sort(terms)
	out := terms[:0]
	var w []float64
	for i := 0; i < len(terms); {
		j := i + 1
		for j < len(terms) && terms[j] == terms[i] {
			j++
		}
		out = append(out, terms[i])
		w = append(w, float64(j-i))
		i = j
	}
	return sumTermVec{terms: out, w: w}
}

// sumDot is the dot product of two sparse vectors.
func sumDot(a, b *sumTermVec) float64 {
	s := 0.0
	i, j := 0, 0
	for i < len(a.terms) && j < len(b.terms) {
		switch {
		case a.terms[i] < b.terms[j]:
			i++
		case a.terms[i] > b.terms[j]:
			j++
		default:
			s += a.w[i] * b.w[j]
			i++
			j++
		}
	}
	return s
}

// sumCosine is the cosine similarity of two weighted vectors whose norms
// are set; 0 when either is empty.
func sumCosine(a, b *sumTermVec) float64 {
	if a.norm == 0 || b.norm == 0 {
		return 0
	}
	return sumDot(a, b) / (a.norm * b.norm)
}

// sumStopword reports whether w is an English function word that carries
// no topic.
func sumStopword(w []byte) bool {
	switch string(w) {
	case "a", "about", "above", "after", "again", "against", "all", "also", "am", "an", "and", "any", "are",
		"as", "at", "be", "because", "been", "before", "being", "below", "between", "both", "but", "by",
		"can", "could", "did", "do", "does", "doing", "down", "during", "each", "few", "for", "from",
		"further", "had", "has", "have", "having", "he", "her", "here", "hers", "herself", "him",
		"himself", "his", "how", "i", "if", "in", "into", "is", "it", "its", "itself", "just", "me",
		"more", "most", "my", "myself", "no", "nor", "not", "now", "of", "off", "on", "once", "only",
		"or", "other", "our", "ours", "ourselves", "out", "over", "own", "same", "she", "should", "so",
		"some", "such", "than", "that", "the", "their", "theirs", "them", "themselves", "then",
		"there", "these", "they", "this", "those", "through", "to", "too", "under", "until", "up",
		"very", "was", "we", "were", "what", "when", "where", "which", "while", "who", "whom", "why",
		"will", "with", "would", "you", "your", "yours", "yourself", "yourselves", "s", "t":
		return true
	}
	return false
}
