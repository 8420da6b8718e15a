package discord

import (
	"net/url"
	"strings"
	"unicode/utf8"

	"github.com/newsdigest/newsdigest/digest/render"
)

// markdownSpecial are the characters Discord's Markdown gives a meaning
// to; a backslash before one shows it as itself. "<" is among them so
// that "<@123>", "<#123>" and "<t:…>" stay text.
const markdownSpecial = "\\*_~`|>#-[]()<"

// zwj follows every "@" of the text, so that "@everyone", "@here" and
// "<@123>" are no mentions even if allowed_mentions were lost.
const zwj = '\u200D'

// escapeText makes the command layer's plain text show in Discord as
// written: Markdown characters are backslash-escaped, a "." after a digit
// too (so "1. " starts no list), and mentions are broken. Links are
// wrapped in <…>, which keeps them clickable and unescaped without
// unfurling a preview of each.
func escapeText(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	lines := strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n")
	for i, line := range lines {
		words := strings.Split(line, " ")
		for j, w := range words {
			if isPlainLink(w) {
				words[j] = "<" + w + ">"
			} else {
				words[j] = escapeWord(w)
			}
		}
		lines[i] = strings.Join(words, " ")
	}
	return strings.Join(lines, "\n")
}

func escapeWord(w string) string {
	var b strings.Builder
	b.Grow(len(w) + 4)
	var prev rune
	for _, r := range w {
		switch {
		case r == '@':
			b.WriteRune('@')
			b.WriteRune(zwj)
		case strings.ContainsRune(markdownSpecial, r), r == '.' && prev >= '0' && prev <= '9':
			b.WriteByte('\\')
			b.WriteRune(r)
		default:
			b.WriteRune(r)
		}
		prev = r
	}
	return b.String()
}

// isPlainLink reports an http(s) URL that can be shown as <URL>: nothing
// in it could end the brackets or read as a mention.
func isPlainLink(w string) bool {
	if !strings.HasPrefix(w, "https://") && !strings.HasPrefix(w, "http://") {
		return false
	}
	if strings.ContainsAny(w, "<>`\\\"") || render.DiscordMention(w) != "" {
		return false
	}
	u, err := url.Parse(w)
	return err == nil && u.Host != ""
}

// splitContent cuts text into messages of at most max code points, at
// line boundaries where it can, else at a space, else anywhere but inside
// a backslash escape. Empty parts are dropped.
func splitContent(text string, max int) []string {
	var parts []string
	var cur strings.Builder
	curLen := 0
	flush := func() {
		if s := strings.TrimRight(cur.String(), "\n"); strings.TrimSpace(s) != "" {
			parts = append(parts, s)
		}
		cur.Reset()
		curLen = 0
	}
	for _, line := range strings.Split(text, "\n") {
		n := utf8.RuneCountInString(line)
		if curLen > 0 && curLen+1+n > max {
			flush()
		}
		for n > max {
			head, tail := cutLine(line, max)
			if curLen > 0 {
				flush()
			}
			cur.WriteString(head)
			flush()
			line, n = tail, utf8.RuneCountInString(tail)
		}
		if curLen > 0 {
			cur.WriteByte('\n')
			curLen++
		}
		cur.WriteString(line)
		curLen += n
	}
	flush()
	return parts
}

// cutLine splits a line longer than max code points: at the last space
// that leaves a reasonably full part, else at max, moved back so that no
// escaping backslash ends the head.
func cutLine(line string, max int) (string, string) {
	r := []rune(line)
	cut := max
	for i := max; i > max/2; i-- {
		if r[i] == ' ' {
			cut = i
			break
		}
	}
	if cut == max {
		slashes := 0
		for i := cut - 1; i >= 0 && r[i] == '\\'; i-- {
			slashes++
		}
		if slashes%2 == 1 {
			cut--
		}
	}
	return string(r[:cut]), strings.TrimLeft(string(r[cut:]), " ")
}
