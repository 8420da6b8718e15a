package story

import "time"

// Article is what clustering, ranking and filtering need to know about one
// article. The caller maps store articles onto it.
type Article struct {
	ID       int64  // the store's article ID; unique, and larger for later inserts
	Source   string // the outlet, e.g. "BBC News" or "bbc.co.uk"
	URL      string
	Title    string
	Lede     string // the opening sentences; derived from Body when empty
	Body     string
	Time     time.Time // publication time (or fetch time when unknown)
	Language string    // ISO 639-1 code, "" when unknown
}

// ledeMax bounds a derived lede: the first two sentences, cut at about
// this many bytes.
const ledeMax = 300

// lede returns the article's lede: Lede when set, else the first two
// sentences of Body, cut at a word boundary after at most ledeMax bytes.
func (a Article) lede() string {
	if a.Lede != "" {
		return a.Lede
	}
	return deriveLede(a.Body)
}

// deriveLede returns the first two sentences of text, no longer than about
// ledeMax bytes. A sentence ends at '.', '!' or '?' followed by space.
func deriveLede(text string) string {
	text = trimSpace(text)
	limit := min(len(text), ledeMax)
	sentences := 0
	for i := 0; i < limit; i++ {
		c := text[i]
		if (c == '.' || c == '!' || c == '?') && (i+1 == len(text) || isSpaceByte(text[i+1])) {
			sentences++
			if sentences == 2 {
				return text[:i+1]
			}
		}
	}
	if limit == len(text) {
		return text
	}
	// Cut at the last space before the limit so no word or rune is split.
	cut := limit
	for cut > 0 && !isSpaceByte(text[cut]) {
		cut--
	}
	if cut == 0 {
		cut = limit
		for cut > 0 && text[cut]&0xC0 == 0x80 { // inside a UTF-8 sequence
			cut--
		}
	}
	return trimSpace(text[:cut])
}

func isSpaceByte(c byte) bool { return c == ' ' || c == '\n' || c == '\t' || c == '\r' }

func trimSpace(s string) string {
	for len(s) > 0 && isSpaceByte(s[0]) {
		s = s[1:]
	}
	for len(s) > 0 && isSpaceByte(s[len(s)-1]) {
		s = s[:len(s)-1]
	}
	return s
}

// clip returns s cut to at most n bytes, at a space when there is one in
// the last tenth, else at a rune boundary.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := n
	for cut > n*9/10 && !isSpaceByte(s[cut]) {
		cut--
	}
	if !isSpaceByte(s[cut]) {
		cut = n
		for cut > 0 && s[cut]&0xC0 == 0x80 {
			cut--
		}
	}
	return s[:cut]
}
