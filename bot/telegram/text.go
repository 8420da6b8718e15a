package telegram

import (
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// maxMessage is Telegram's limit on a message's visible text, in UTF-16
// code units.
const maxMessage = 4096

// zwj follows an "@" that could start a mention, as in digest/render, so
// that echoing text never notifies anyone.
const zwj = '\u200D'

var htmlEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")

// textMessages turns a plain-text reply into HTML messages: mentions
// defused, split on line boundaries to fit maxMessage, then escaped.
// Empty or blank text gives none.
func textMessages(s string) []string {
	var out []string
	s = strings.ToValidUTF8(s, "\uFFFD") // Telegram refuses invalid UTF-8
	for _, part := range splitText(defuseMentions(s), maxMessage) {
		out = append(out, htmlEscaper.Replace(part))
	}
	return out
}

// defuseMentions puts a zero-width joiner after every "@" that is not part
// of a link, so that "@username" shows but pings no one.
func defuseMentions(s string) string {
	if !strings.Contains(s, "@") {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	inLink := false
	for i, r := range s {
		if i == 0 || isSpace(prevRune(s, i)) {
			rest := s[i:]
			inLink = strings.HasPrefix(rest, "http://") || strings.HasPrefix(rest, "https://")
		}
		b.WriteRune(r)
		if r == '@' && !inLink {
			b.WriteRune(zwj)
		}
	}
	return b.String()
}

func prevRune(s string, i int) rune {
	r, _ := utf8.DecodeLastRuneInString(s[:i])
	return r
}

func isSpace(r rune) bool {
	return r == ' ' || r == '\n' || r == '\t' || r == '\r' || r == '\v' || r == '\f' || r == '\u00a0'
}

// splitText cuts s into parts of at most limit UTF-16 units, at line
// breaks where it can, else at a space, else between characters. Parts
// are trimmed, as Telegram trims messages; blank ones are dropped.
func splitText(s string, limit int) []string {
	var out []string
	var cur strings.Builder
	size := 0
	flush := func() {
		if t := strings.TrimSpace(cur.String()); t != "" {
			out = append(out, t)
		}
		cur.Reset()
		size = 0
	}
	for _, line := range strings.SplitAfter(s, "\n") {
		n := utf16Len(line)
		if size+n <= limit {
			cur.WriteString(line)
			size += n
			continue
		}
		flush()
		for n > limit {
			head, rest := cutLine(line, limit)
			if t := strings.TrimSpace(head); t != "" {
				out = append(out, t)
			}
			line, n = rest, utf16Len(rest)
		}
		cur.WriteString(line)
		size = n
	}
	flush()
	return out
}

// cutLine splits a line longer than limit: the head fits and ends at the
// last space of its second half, or mid-word when there is none.
func cutLine(line string, limit int) (head, rest string) {
	size, end := 0, 0
	for i, r := range line {
		n := max(utf16.RuneLen(r), 1)
		if size+n > limit {
			break
		}
		size += n
		end = i + max(utf8.RuneLen(r), 1)
	}
	if sp := strings.LastIndexAny(line[:end], " \t"); sp > end/2 {
		return line[:sp], line[sp+1:]
	}
	return line[:end], line[end:]
}

// utf16Len is the length of s in UTF-16 code units, as Telegram counts.
func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		if r >= 0x10000 {
			n += 2
		} else {
			n++
		}
	}
	return n
}
