package store

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"unicode"
	"unicode/utf8"
)

// NormalizeText puts article text in the form the store keeps:
//
//   - invalid UTF-8 bytes become U+FFFD;
//   - control characters (other than line breaks and tabs, which count as
//     whitespace) and the invisible U+FEFF, U+200B, U+2060 and soft hyphen
//     are removed;
//   - a blank line (two or more line breaks with only whitespace between
//     them, whether written "\n", "\r\n" or "\r") or a U+2029 separates
//     paragraphs; inside a paragraph every run of whitespace, a single line
//     break included, becomes one space;
//   - paragraphs are joined with exactly "\n\n", and the text starts and
//     ends with neither spaces nor line breaks.
//
// Letters, digits, punctuation and case are left as they are. NormalizeText
// is idempotent.
func NormalizeText(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	breaks := 0    // line breaks in the whitespace run before the next visible rune
	space := false // whether such a run exists
	// sep writes the separator a whitespace run stands for, if it is
	// followed by visible text and preceded by some.
	sep := func() {
		if space && b.Len() > 0 {
			if breaks >= 2 {
				b.WriteString("\n\n")
			} else {
				b.WriteByte(' ')
			}
		}
		breaks, space = 0, false
	}
	for i := 0; i < len(s); {
		c := s[i]
		if c > ' ' && c < utf8.RuneSelf && c != 0x7f {
			// Fast path: copy a run of visible ASCII at once.
			j := i + 1
			for j < len(s) && s[j] > ' ' && s[j] < utf8.RuneSelf && s[j] != 0x7f {
				j++
			}
			sep()
			b.WriteString(s[i:j])
			i = j
			continue
		}
		r, size := rune(c), 1
		if c >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && size == 1 {
				r = unicode.ReplacementChar
			}
		}
		i += size
		switch {
		case r == '\r':
			if i < len(s) && s[i] == '\n' {
				continue // "\r\n" is one break: count it at the '\n'
			}
			breaks++
			space = true
		case r == '\n' || r == '\v' || r == '\f' || r == '\u0085' || r == '\u2028':
			breaks++
			space = true
		case r == '\u2029':
			breaks += 2
			space = true
		case r == ' ' || r == '\t' || (r >= utf8.RuneSelf && unicode.IsSpace(r)):
			space = true
		case unicode.IsControl(r), invisible(r):
			// dropped; does not end a whitespace run
		default:
			sep()
			b.WriteRune(r)
		}
	}
	return b.String()
}

// invisible reports whether r is a format character that only gets in the
// way of search and comparison.
func invisible(r rune) bool {
	return r == '\uFEFF' || r == '\u200B' || r == '\u2060' || r == '\u00AD'
}

// ContentHash returns the hex SHA-256 of an article's normalised title and
// body (see NormalizeText). Two texts that differ only in whitespace, control
// characters or line endings hash the same; a change of case or of any
// visible character changes the hash. The store uses it to notice the same
// story under another URL and a changed story under the same URL.
func ContentHash(title, body string) string {
	return hashNormalized(NormalizeText(title), NormalizeText(body))
}

// hashNormalized is ContentHash for text already normalised. A NUL, which
// NormalizeText never leaves in, separates title from body so that moving
// words between them changes the hash.
func hashNormalized(title, body string) string {
	h := sha256.New()
	h.Write([]byte(title))
	h.Write([]byte{0})
	h.Write([]byte(body))
	return hex.EncodeToString(h.Sum(nil))
}
