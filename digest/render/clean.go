package render

import (
	"strings"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
)

// zwj is inserted after every "@" taken from an article so that neither
// Discord nor Telegram can read "@everyone", "<@123>" or "@user" as a
// mention, whatever else fails.
const zwj = '\u200D'

// ellipsis marks text shortened to fit a platform's limit.
const ellipsis = "…"

// clean makes outside text safe to measure and lay out: invalid UTF-8
// becomes U+FFFD, control characters and every kind of line break become
// spaces, explicit bidi embeddings and overrides (which could reverse the
// text after them, beyond the article's own) are dropped, and runs of
// white space collapse to one space. Right-to-left letters, emoji and ZWJ
// sequences are kept as they are.
func clean(s string) string {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		if r > ' ' && r < 0x7f { // printable ASCII: the common case
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteByte(byte(r))
			continue
		}
		switch {
		case isBidiControl(r):
			continue
		case unicode.IsSpace(r) || unicode.IsControl(r) || r == '\u2028' || r == '\u2029':
			space = true
			continue
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(r)
	}
	return b.String()
}

// isBidiControl reports the embedding, override and isolate controls
// (LRE, RLE, PDF, LRO, RLO, LRI, RLI, FSI, PDI). Marks (LRM, RLM) stay.
func isBidiControl(r rune) bool {
	return (r >= '\u202A' && r <= '\u202E') || (r >= '\u2066' && r <= '\u2069')
}

// runeLen counts Unicode code points, the unit of Discord's limits.
func runeLen(s string) int { return utf8.RuneCountInString(s) }

// utf16Len counts UTF-16 code units, the unit Telegram uses for message
// length and entity offsets. It is never less than the code point count.
func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		if k := utf16.RuneLen(r); k > 0 {
			n += k
		} else {
			n++ // an invalid byte, sent on as U+FFFD
		}
	}
	return n
}

// costFunc gives the size a rune takes in the output once escaped, in the
// platform's unit; prev is the rune before it (0 at the start).
type costFunc func(prev, r rune) int

// costOf is the escaped size of s.
func costOf(s string, cost costFunc) int {
	n := 0
	var prev rune
	for _, r := range s {
		n += cost(prev, r)
		prev = r
	}
	return n
}

// fit returns s unchanged when its escaped size is within budget;
// otherwise, and true, the longest prefix that fits with "…" appended,
// followed by "…". The prefix ends at a word boundary or, when the first
// word alone is most of the budget, at a character boundary that splits
// no emoji or combining sequence.
func fit(s string, budget int, cost costFunc) (string, bool) {
	if costOf(s, cost) <= budget {
		return s, false
	}
	room := budget - 1 // the ellipsis is one unit on every platform
	if room <= 0 {
		return ellipsis, true
	}
	runes := []rune(s)
	// n: how many runes fit in room.
	n, used := 0, 0
	var prev rune
	for n < len(runes) {
		c := cost(prev, runes[n])
		if used+c > room {
			break
		}
		used += c
		prev = runes[n]
		n++
	}
	// Prefer the last space, unless that would throw away more than half
	// of what fits (one enormous "word", a URL, a run of emoji).
	cut := -1
	for i := n; i > 0 && i >= n/2; i-- {
		if i < len(runes) && runes[i] == ' ' {
			cut = i
			break
		}
	}
	if cut < 0 {
		cut = graphemeSafeCut(runes, n)
	}
	return strings.TrimRight(string(runes[:cut]), " ") + ellipsis, true
}

// graphemeSafeCut moves a cut position back until it no longer separates
// a character from what extends it: combining marks, variation selectors,
// emoji modifiers and tags, the rune after a ZWJ, the second half of a
// regional-indicator flag.
func graphemeSafeCut(runes []rune, cut int) int {
	for cut > 0 && cut < len(runes) {
		r, p := runes[cut], runes[cut-1]
		switch {
		case isExtender(r), p == zwj:
			cut--
		case isRegional(r) && isRegional(p):
			// Count the indicators before cut: an odd number means p
			// starts a pair that r completes.
			k := 0
			for j := cut - 1; j >= 0 && isRegional(runes[j]); j-- {
				k++
			}
			if k%2 == 0 {
				return cut
			}
			cut--
		default:
			return cut
		}
	}
	return cut
}

func isExtender(r rune) bool {
	if r < 0x300 {
		return false
	}
	return unicode.In(r, unicode.Mn, unicode.Me, unicode.Mc) ||
		r == zwj ||
		(r >= '\uFE00' && r <= '\uFE0F') ||
		(r >= 0xE0100 && r <= 0xE01EF) ||
		(r >= 0x1F3FB && r <= 0x1F3FF) ||
		(r >= 0xE0020 && r <= 0xE007F)
}

func isRegional(r rune) bool { return r >= 0x1F1E6 && r <= 0x1F1FF }
