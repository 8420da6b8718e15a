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
	var w sumWord
	w.reset()
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			i++
			switch {
			case c >= 'a' && c <= 'z':
				w.add(i-1, c)
			case c >= 'A' && c <= 'Z':
				w.add(i-1, c+'a'-'A')
			case c >= '0' && c <= '9':
				w.ascii = false
				w.add(i-1, c)
			case c == '\'' && w.n > 0 && i < len(s) && s[i] == 's':
				// possessive 's: drop it, so "Google's" is "google"
				dst = w.flush(dst, s, i-1)
				if i+1 == len(s) || !sumIsWordByte(s[i+1]) {
					i++
				}
			default:
				dst = w.flush(dst, s, i-1)
			}
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		if r == '\u2019' && w.n > 0 && i < len(s) && s[i] == 's' && (i+1 == len(s) || !sumIsWordByte(s[i+1])) {
			dst = w.flush(dst, s, i-size)
			i++
			continue
		}
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			w.ascii = false
			var enc [utf8.UTFMax]byte
			k := utf8.EncodeRune(enc[:], unicode.ToLower(r))
			for _, c := range enc[:k] {
				w.add(i-size, c)
			}
			continue
		}
		dst = w.flush(dst, s, i-size)
	}
	return w.flush(dst, s, len(s))
}

// sumWord is the word sumSentenceTerms is reading: its lower-case bytes
// while they fit, and where it starts.
type sumWord struct {
	buf   [sumMaxWordLen]byte
	n     int  // bytes of the word in buf
	long  bool // the word outgrew buf
	ascii bool // the word is a-z only, so the stemmer applies
	start int  // the word starts at s[start]
}

func (w *sumWord) reset() {
	w.n, w.long, w.ascii = 0, false, true
}

// add appends c, a byte of the lower-case form of the character at
// s[pos], to the word.
func (w *sumWord) add(pos int, c byte) {
	switch {
	case w.n < len(w.buf):
		if w.n == 0 {
			w.start = pos
		}
		w.buf[w.n] = c
		w.n++
	default:
		w.long = true
	}
}

// flush appends the term of the word read so far, s[w.start:end], if it
// is a content word, and starts the next one.
func (w *sumWord) flush(dst []uint64, s string, end int) []uint64 {
	if w.n == 0 {
		return dst
	}
	b := w.buf[:w.n]
	switch {
	case w.long:
		dst = append(dst, sumHashLower(s[w.start:end]))
	case w.n < 2 || sumStopword(b):
	case w.ascii && w.n > 3:
		dst = append(dst, sumHash(sumStem(b)))
	default:
		dst = append(dst, sumHash(b))
	}
	w.reset()
	return dst
}

// sumHashLower is the hash of the lower-case form of word, a run of
// letters and digits, as sumSentenceTerms builds it.
func sumHashLower(word string) uint64 {
	var h uint64 = sumHashOffset
	for i := 0; i < len(word); {
		c := word[i]
		if c < utf8.RuneSelf {
			if c >= 'A' && c <= 'Z' {
				c += 'a' - 'A'
			}
			h = (h ^ uint64(c)) * sumHashPrime
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(word[i:])
		i += size
		var enc [utf8.UTFMax]byte
		for _, c := range enc[:utf8.EncodeRune(enc[:], unicode.ToLower(r))] {
			h = (h ^ uint64(c)) * sumHashPrime
		}
	}
	return h
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
// It sorts terms in place and reuses its memory; the counts are appended
// to w, which may have room for them.
func sumVector(terms []uint64, w []float64) sumTermVec {
	slices.Sort(terms)
	out := terms[:0]
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
