package story

import (
	"unicode"
	"unicode/utf8"
)

// Names and figures: two outlets that write up one event in their own
// words still name the same people and places and quote the same
// figures, while two articles on one subject but different events (the
// same minister, another announcement) share fewer of them. An article's
// names are the last words of its runs of capitalised words ("Mayor
// Elena Voss" gives voss, "Port Alder" gives alder), and its figures are
// its numbers of two or more digits. Only the lede and body are read:
// headlines are often in title case.

// maxNames bounds the names and figures kept for an article.
const maxNames = 64

// notNames are capitalised words that name no one thing: weekdays and
// months, which most same-day reports share whatever they are about.
var notNames = map[string]bool{
	"monday": true, "tuesday": true, "wednesday": true, "thursday": true,
	"friday": true, "saturday": true, "sunday": true,
	"january": true, "february": true, "march": true, "april": true,
	"june": true, "july": true, "august": true, "september": true,
	"october": true, "november": true, "december": true,
}

// scanNames calls fn with the head of each name and each figure in s,
// case-folded as scanWords folds them (so the word is a term of the
// article). A capitalised word alone at the start of a sentence is not a
// name. A run of capitalised words ends at any character but a space; a
// possessive ending ('s) is skipped, and a full stop after a short
// capitalised word (Mr., Dr., St.) neither ends the run nor the sentence.
func scanNames(s string, buf, scratch []byte, fn func(w []byte, figure bool)) (bufOut, scratchOut []byte) {
	var (
		start    = true // the next word starts a sentence
		runLen   int    // capitalised words in the current run
		runStart bool   // the run began a sentence
		head     = buf[:0]
		lastCap  int // byte length of the last word, when capitalised
	)
	flush := func() {
		if runLen > 1 || runLen == 1 && !runStart {
			if !notNames[string(head)] {
				fn(head, false)
			}
		}
		runLen = 0
	}
	for i := 0; i < len(s); {
		r, size := rune(s[i]), 1
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(s[i:])
		}
		if r < utf8.RuneSelf && !isASCIIWordByte(byte(r)) || r >= utf8.RuneSelf && !isWordRune(r) {
			switch {
			case r == ' ' || r == '\t' || r == '\u00a0':
				i += size
				continue
			case (r == '\'' || r == '\u2019') && i+size < len(s):
				// A possessive or contraction ending: skip the word it
				// starts, when that starts in lower case.
				j := i + size
				if r2, _ := utf8.DecodeRuneInString(s[j:]); unicode.IsLower(r2) {
					for j < len(s) {
						r2, n := utf8.DecodeRuneInString(s[j:])
						if !isWordRune(r2) {
							break
						}
						j += n
					}
				}
				if j > i+size {
					i = j
					continue
				}
			case r == '.' && runLen > 0 && lastCap > 0 && lastCap <= 3:
				// Mr. Smith, St. Louis.
				i += size
				lastCap = 0
				continue
			}
			flush()
			switch r {
			case '.', '!', '?', ':', ';', '"', '\u201c', '\n', '(', '-', '\u2013', '\u2014':
				start = true
			}
			lastCap = 0
			i += size
			continue
		}
		j := i
		for j < len(s) {
			if c := s[j]; c < utf8.RuneSelf { // most text: no decoding
				if !isASCIIWordByte(c) {
					break
				}
				j++
				continue
			}
			r2, n := utf8.DecodeRuneInString(s[j:])
			if !isWordRune(r2) {
				break
			}
			j += n
		}
		word := s[i:j]
		first, _ := utf8.DecodeRuneInString(word)
		i = j
		wasStart := start
		start = false
		lastCap = 0
		switch {
		case unicode.IsDigit(first):
			flush()
			if len(word) >= 2 && !allZero(word) {
				head, scratch = foldWord(head, scratch, word)
				fn(head, true)
			}
		case unicode.IsUpper(first) && len(word) >= 2:
			if runLen == 0 {
				runStart = wasStart
			}
			runLen++
			lastCap = len(word)
			head, scratch = foldWord(head, scratch, word)
		default:
			flush()
		}
	}
	flush()
	return head[:0], scratch
}

// foldWord returns in buf the word as Add's scan turns it into a term:
// case-folded, its plural ending folded. (A word longer than scanWords
// cuts is represented by its last piece.) scratch is scanWords' buffer.
func foldWord(buf, scratch []byte, word string) (out, scratchOut []byte) {
	buf = buf[:0]
	if len(word) < maxWord && isASCIIWord(word) {
		// What scanWords makes of it, without its general path.
		for i := 0; i < len(word); i++ {
			c := word[i]
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			buf = append(buf, c)
		}
		return stemPlural(buf), scratch
	}
	scratch = scanWords(word, scratch, func(w []byte) { buf = append(buf[:0], w...) })
	return stemPlural(buf), scratch
}

// isASCIIWordByte reports whether scanWords treats the ASCII character c
// as part of a word.
func isASCIIWordByte(c byte) bool {
	// c|0x20 is the lower case of a letter; the subtractions wrap below.
	return (c|0x20)-'a' < 26 || c-'0' < 10
}

// isASCIIWord reports whether w is ASCII letters and digits only.
func isASCIIWord(w string) bool {
	for i := 0; i < len(w); i++ {
		if !isASCIIWordByte(w[i]) {
			return false
		}
	}
	return true
}

// isWordRune reports whether scanWords treats r as part of a word.
func isWordRune(r rune) bool {
	if r < utf8.RuneSelf {
		return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9'
	}
	return r != utf8.RuneError && !isIdeograph(r) && (unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r))
}

func allZero(w string) bool {
	for i := 0; i < len(w); i++ {
		if w[i] != '0' {
			return false
		}
	}
	return true
}

// How many rare names, and how many rare figures, two articles must
// share for Options.NameThreshold to apply.
const (
	minSharedNames   = 3
	minSharedFigures = 2
)

// rareName reports whether t, a name or figure, is rare enough in the
// window to count as evidence: in at most 3 articles, or 0.25 % of the
// window when that is more. A surname that fills the news (a prime
// minister's) or a round number ties no two articles together. (Measured
// on the corpus evaluation: allowing 5 articles merged different events.)
func (c *Clusterer) rareName(t *term) bool {
	return int(t.df) <= max(3, c.docs/400)
}

// nameTerms returns the terms of an article's names or figures, given as
// indexes into its terms, and marks them with gen, the article's
// generation.
func (c *Clusterer) nameTerms(terms []*term, idx []int32, gen uint64) []*term {
	if len(idx) == 0 {
		return nil
	}
	out := make([]*term, len(idx))
	for i, j := range idx {
		out[i] = terms[j]
		out[i].nameGen = gen
	}
	return out
}

// sharedNames counts the rare names and figures of o that the article
// being added (whose names carry generation gen) also has.
func (c *Clusterer) sharedNames(o *member, gen uint64) (names, figures int) {
	for _, t := range o.names {
		if t.nameGen == gen && c.rareName(t) {
			names++
		}
	}
	for _, t := range o.figures {
		if t.nameGen == gen && c.rareName(t) {
			figures++
		}
	}
	return names, figures
}

// sameEvent reports whether o and m, the article being added (whose
// names and figures carry generation gen), are two outlets' reports of
// one event: they share at least minSharedNames rare names and
// minSharedFigures rare figures. Names alone do not do: on the corpus
// evaluation, articles on one subject but different events (a film's box
// office in two weeks) shared three or more rare names, but rarely two
// figures as well. An outlet's own second article in other words is
// usually a follow-up (the appeal after the ruling), not more coverage of
// the first, so the rule is only for articles from different outlets.
func (c *Clusterer) sameEvent(m, o *member, gen uint64) bool {
	if outletKey(m.Member) == outletKey(o.Member) {
		return false
	}
	n, f := c.sharedNames(o, gen)
	return n >= minSharedNames && f >= minSharedFigures
}
