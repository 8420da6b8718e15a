package digest

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// RougeTokens splits text the way rouge_score does before it counts
// anything: lower-case it, turn every character outside a-z and 0-9 into a
// space, split on spaces and, when stem is true, Porter-stem the tokens
// longer than three characters.
func RougeTokens(text string, stem bool) []string {
	var toks []string
	var b strings.Builder
	flush := func() {
		if b.Len() == 0 {
			return
		}
		t := b.String()
		b.Reset()
		if stem && len(t) > 3 {
			t = PorterStem(t)
		}
		toks = append(toks, t)
	}
	for i := 0; i < len(text); {
		c := text[i]
		if c < utf8.RuneSelf {
			i++
			switch {
			case c >= 'A' && c <= 'Z':
				b.WriteByte(c + 'a' - 'A')
			case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
				b.WriteByte(c)
			default:
				flush()
			}
			continue
		}
		r, size := utf8.DecodeRuneInString(text[i:])
		i += size
		if r == '\u0130' { // Python lower-cases it to i and a combining dot
			b.WriteByte('i')
			flush()
			continue
		}
		// A few non-ASCII letters lower-case to ASCII (the Kelvin sign
		// to k, dotted capital I to i); Python keeps those letters.
		if l := unicode.ToLower(r); l < utf8.RuneSelf && r != utf8.RuneError &&
			(l >= 'a' && l <= 'z' || l >= '0' && l <= '9') {
			b.WriteByte(byte(l))
			continue
		}
		flush()
	}
	flush()
	return toks
}
