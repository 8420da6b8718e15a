package render

import (
	"fmt"
	"strings"
	"unicode"

	"golang.org/x/text/width"

	"github.com/newsdigest/newsdigest/digest"
)

// TextOptions shape terminal output.
type TextOptions struct {
	Color bool // ANSI colours and bold
	Width int  // wrap lines to this many terminal cells; 0 or less: no wrapping
}

// minWidth keeps wrapping sensible on absurdly narrow widths.
const minWidth = 20

// ANSI styles. Article text cannot carry its own: clean turns every
// control character, ESC included, into a space.
const (
	ansiReset  = "\x1b[0m"
	ansiBold   = "\x1b[1m"
	ansiDim    = "\x1b[2m"
	ansiItalic = "\x1b[3m"
	ansiRed    = "\x1b[31m"
	ansiYellow = "\x1b[1;33m"
	ansiCyan   = "\x1b[36m"
)

// Text renders a digest as plain text for a terminal: numbered stories,
// each with its summary, quotes, links as "Outlet: URL" and id, wrapped
// to opts.Width with a hanging indent. Nothing is shortened. URLs are
// never broken; a word wider than the line is broken between characters.
func Text(d digest.Digest, opts TextOptions) string {
	w := opts.Width
	if w > 0 && w < minWidth {
		w = minWidth
	}
	t := textWriter{width: w, color: opts.Color}

	head := digestName(d)
	if when := headerWhen(d); when != "" {
		head += " — " + when
	}
	t.para(head, "", "", ansiBold)
	if d.Late {
		t.para(lateNotice, "", "", ansiYellow)
	}
	t.blank()

	num := len(fmt.Sprint(len(d.Stories)))
	for i, item := range d.Stories {
		s := prepare(item)
		label := fmt.Sprintf("%*d. ", num, i+1)
		indent := strings.Repeat(" ", len(label))
		if s.update {
			t.headline(updateLabel+" "+s.headline, label, indent, true)
		} else {
			t.headline(s.headline, label, indent, false)
		}
		if s.summary != "" {
			t.para(s.summary, indent, indent, "")
		}
		for _, q := range s.quotes {
			t.para("“"+q.text+"”"+q.attribution(), indent, indent, ansiItalic)
		}
		for _, l := range s.links {
			line := l.label
			if l.url != "" {
				line += ": " + l.url
			}
			t.para(line, indent, indent, ansiCyan)
		}
		if s.id != "" {
			t.para("/story "+s.id, indent, indent, ansiDim)
		}
		t.blank()
	}
	if len(d.Stories) == 0 {
		t.para(emptyNotice(d), "", "", "")
		t.blank()
	}
	if notice := failingNotice(d); notice != "" {
		t.para(warnSign+" "+notice, "", "  ", ansiRed)
	}
	return strings.TrimRight(t.b.String(), "\n") + "\n"
}

type textWriter struct {
	b     strings.Builder
	width int
	color bool
}

func (t *textWriter) blank() { t.b.WriteByte('\n') }

// para writes text wrapped, first after first, the rest after rest, each
// line in style when colour is on.
func (t *textWriter) para(text, first, rest, style string) {
	avail := 0
	if t.width > 0 {
		avail = t.width - cellWidth(first)
	}
	for i, line := range wrap(text, avail, t.width-cellWidth(rest)) {
		if i == 0 {
			t.b.WriteString(first)
		} else {
			t.b.WriteString(rest)
		}
		if t.color && style != "" {
			line = style + line + ansiReset
		}
		t.b.WriteString(line)
		t.b.WriteByte('\n')
	}
}

// headline writes a story's headline in bold, its "Update:" in yellow.
func (t *textWriter) headline(text, first, rest string, update bool) {
	start := t.b.Len()
	t.para(text, first, rest, ansiBold)
	if t.color && update {
		out := t.b.String()
		head := out[start:]
		head = strings.Replace(head, ansiBold+updateLabel, ansiYellow+updateLabel+ansiReset+ansiBold, 1)
		t.b.Reset()
		t.b.WriteString(out[:start] + head)
	}
}

// wrap breaks text, whose words are separated by single spaces, into
// lines of at most firstW cells for the first and restW for the others;
// a width of 0 or less means no limit.
func wrap(text string, firstW, restW int) []string {
	if firstW <= 0 && restW <= 0 {
		return []string{text}
	}
	var (
		lines []string
		line  strings.Builder
		lw    int
	)
	limit := func() int {
		if len(lines) == 0 {
			return max(firstW, 1)
		}
		return max(restW, 1)
	}
	flush := func() {
		lines = append(lines, line.String())
		line.Reset()
		lw = 0
	}
	for _, word := range strings.Split(text, " ") {
		ww := cellWidth(word)
		if lw > 0 && lw+1+ww <= limit() {
			line.WriteByte(' ')
			line.WriteString(word)
			lw += 1 + ww
			continue
		}
		if lw > 0 {
			flush()
		}
		if ww <= limit() || isURL(word) {
			line.WriteString(word)
			lw = ww
			continue
		}
		// A word wider than a whole line: break it between characters,
		// never inside an emoji or combining sequence.
		runes := []rune(word)
		for len(runes) > 0 {
			n, w := 0, 0
			for n < len(runes) && w+runeCells(runes[n]) <= limit() {
				w += runeCells(runes[n])
				n++
			}
			if c := graphemeSafeCut(runes, n); c > 0 {
				n = c
			} else if n == 0 {
				n = 1
			}
			for n < len(runes) && (isExtender(runes[n]) || runes[n-1] == zwj) {
				n++ // a sequence wider than the line stays whole
			}
			line.WriteString(string(runes[:n]))
			lw = cellWidth(string(runes[:n]))
			runes = runes[n:]
			if len(runes) > 0 {
				flush()
			}
		}
	}
	flush()
	return lines
}

func isURL(w string) bool {
	return strings.HasPrefix(w, "http://") || strings.HasPrefix(w, "https://")
}

// cellWidth is how many terminal cells s takes: East Asian wide and
// fullwidth characters (most emoji among them) take two, combining marks,
// joiners and other format characters none.
func cellWidth(s string) int {
	n := 0
	for _, r := range s {
		n += runeCells(r)
	}
	return n
}

func runeCells(r rune) int {
	if r >= ' ' && r < 0x300 {
		return 1 // Latin, before the combining marks: the common case
	}
	if unicode.In(r, unicode.Mn, unicode.Me, unicode.Cf) || isExtender(r) {
		return 0
	}
	switch width.LookupRune(r).Kind() {
	case width.EastAsianWide, width.EastAsianFullwidth:
		return 2
	}
	return 1
}
