package render

import (
	"strings"

	"github.com/newsdigest/newsdigest/digest"
)

// Markdown renders a digest as CommonMark: the header as a level-2
// heading, each story as a level-3 heading linked to its best article,
// its summary as a paragraph, quotes as block quotes and the links on one
// line. Text from articles is backslash-escaped so that it shows as
// written. Nothing is shortened.
func Markdown(d digest.Digest) string {
	var b strings.Builder
	head := mdEscape(digestName(d))
	if when := headerWhen(d); when != "" {
		head += " — " + mdEscape(when)
	}
	b.WriteString("## " + head + "\n\n")
	if d.Late {
		b.WriteString("*" + mdEscape(lateNotice) + "*\n\n")
	}
	for _, item := range d.Stories {
		s := prepare(item)
		b.WriteString("### ")
		if s.update {
			b.WriteString("**" + updateLabel + "** ")
		}
		if s.best != "" {
			b.WriteString("[" + mdEscape(s.headline) + "](" + s.best + ")")
		} else {
			b.WriteString(mdEscape(s.headline))
		}
		b.WriteString("\n\n")
		if s.summary != "" {
			b.WriteString(mdEscape(s.summary) + "\n\n")
		}
		for _, q := range s.quotes {
			b.WriteString("> “" + mdEscape(q.text) + "”" + mdEscape(q.attribution()) + "\n\n")
		}
		var refs []string
		for _, l := range s.links {
			if l.url != "" {
				refs = append(refs, "["+mdEscape(l.label)+"]("+l.url+")")
			} else {
				refs = append(refs, mdEscape(l.label))
			}
		}
		if s.id != "" {
			refs = append(refs, mdEscape("/story "+s.id))
		}
		if len(refs) > 0 {
			b.WriteString(strings.Join(refs, " · ") + "\n\n")
		}
	}
	if len(d.Stories) == 0 {
		b.WriteString(mdEscape(emptyNotice(d)) + "\n\n")
	}
	if notice := failingNotice(d); notice != "" {
		b.WriteString("---\n\n*" + mdEscape(warnSign+" "+notice) + "*\n\n")
	}
	return strings.TrimRight(b.String(), "\n") + "\n"
}

// mdSpecial are the characters CommonMark may read as markup anywhere in
// a line (GFM's "~" and "|" included). CommonMark lets any ASCII
// punctuation be backslash-escaped.
const mdSpecial = "\\`*_[]<>&~|#"

// mdEscape escapes s for use inside a CommonMark paragraph, heading or
// link text, including at the start of a line, where "-", "+", "=" and
// "1." or "1)" would otherwise start a list, a break or a heading.
func mdEscape(s string) string {
	var b strings.Builder
	b.Grow(len(s) + len(s)/8)
	digits := true // only digits so far
	for i, r := range s {
		switch {
		case strings.ContainsRune(mdSpecial, r),
			i == 0 && strings.ContainsRune("-+=", r),
			digits && i > 0 && (r == '.' || r == ')'):
			b.WriteByte('\\')
		}
		b.WriteRune(r)
		if r < '0' || r > '9' {
			digits = false
		}
	}
	return b.String()
}
