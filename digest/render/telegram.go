package render

import (
	"strings"
	"unicode/utf16"

	"github.com/newsdigest/newsdigest/digest"
)

// Telegram's limits for a text message sent with parse_mode HTML.
//
// The Bot API allows "1-4096 characters after entities parsing", that is
// the visible text once tags are removed and &lt; &gt; &amp; &quot; and
// numeric references decoded. Telegram measures text, like entity
// offsets, in UTF-16 code units, so an emoji outside the Basic
// Multilingual Plane counts twice. A UTF-16 count is never below the code
// point count, so staying within 4096 UTF-16 units stays within both.
// Telegram keeps at most 100 formatting entities per message and silently
// drops the formatting of the rest; the renderer stays within that too.
const (
	TelegramTextMax     = 4096
	TelegramEntitiesMax = 100
)

// Caps on single pieces; the rest is limited only by a message's size.
const (
	telegramHeadlineMax = 1024
	telegramNameMax     = 200
	telegramSpeakerMax  = 200
	telegramLabelMax    = 200
	telegramIDMax       = 64
	telegramNoticeMax   = 1024
)

// Telegram renders a digest as HTML messages for parse_mode "HTML": the
// header, then the stories (each with its headline linked to the best
// article, its summary, quotes in blockquotes and its links), then the
// failing sources. A story never straddles two messages unless it alone
// is longer than one. Every message passes CheckTelegramHTML.
func Telegram(d digest.Digest) []string {
	var groups [][]unit

	name, _ := fit(digestName(d), telegramNameMax, telegramCost)
	var h tgBuilder
	h.open("b")
	h.text(name)
	h.close("b")
	if when := headerWhen(d); when != "" {
		h.text(" — " + when)
	}
	header := []unit{h.unit("")}
	if d.Late {
		var l tgBuilder
		l.open("i")
		l.text(lateNotice)
		l.close("i")
		header = append(header, l.unit("\n"))
	}
	groups = append(groups, header)

	for _, item := range d.Stories {
		groups = append(groups, telegramStory(prepare(item)))
	}
	if len(d.Stories) == 0 {
		var e tgBuilder
		e.text(emptyNotice(d))
		groups = append(groups, []unit{e.unit("\n\n")})
	}
	if notice := failingNotice(d); notice != "" {
		text, _ := fit(warnSign+" "+notice, telegramNoticeMax, telegramCost)
		var f tgBuilder
		f.open("i")
		f.text(text)
		f.close("i")
		groups = append(groups, []unit{f.unit("\n\n")})
	}

	var msgs []string
	for _, c := range pack(groups, TelegramTextMax, TelegramEntitiesMax) {
		msgs = append(msgs, join(c))
	}
	return msgs
}

func telegramStory(s story) []unit {
	var us []unit

	var h tgBuilder
	h.open("b")
	prefix := ""
	if s.update {
		prefix = updateLabel + " "
		h.text(prefix)
	}
	headline, _ := fit(s.headline, telegramHeadlineMax-runeLen(prefix), telegramCost)
	if s.best != "" {
		h.link(s.best, headline)
	} else {
		h.text(headline)
	}
	h.close("b")
	us = append(us, h.unit("\n\n"))

	if s.summary != "" {
		text, _ := fit(s.summary, TelegramTextMax, telegramCost)
		var b tgBuilder
		b.text(text)
		us = append(us, b.unit("\n"))
	}
	for _, q := range s.quotes {
		speaker, _ := fit(q.speaker, telegramSpeakerMax, telegramCost)
		outlet, _ := fit(q.outlet, telegramSpeakerMax, telegramCost)
		attr := quote{speaker: speaker, outlet: outlet}.attribution()
		text, _ := fit(q.text, TelegramTextMax-costOf("“”"+attr, telegramCost), telegramCost)
		var b tgBuilder
		b.open("blockquote")
		b.text("“" + text + "”" + attr)
		b.close("blockquote")
		us = append(us, b.unit("\n"))
	}
	for i, l := range s.links {
		label, _ := fit(l.label, telegramLabelMax, telegramCost)
		var b tgBuilder
		if l.url != "" {
			b.link(l.url, label)
		} else {
			b.text(label)
		}
		sep := " · "
		if i == 0 {
			sep = "\n"
		}
		us = append(us, b.unit(sep))
	}
	if s.id != "" {
		id, _ := fit(s.id, telegramIDMax, telegramCost)
		var b tgBuilder
		b.open("code") // tap to copy in Telegram's apps
		b.text("/story " + id)
		b.close("code")
		sep := " · "
		if len(s.links) == 0 {
			sep = "\n"
		}
		us = append(us, b.unit(sep))
	}
	return us
}

// tgBuilder writes Telegram HTML while counting what Telegram counts: the
// visible text in UTF-16 units and the entities.
type tgBuilder struct {
	b          strings.Builder
	size, ents int
}

// text writes outside text escaped, with a zero-width joiner after each
// "@" so that "@username" cannot notify anyone.
func (t *tgBuilder) text(s string) {
	for _, r := range s {
		switch r {
		case '<':
			t.b.WriteString("&lt;")
		case '>':
			t.b.WriteString("&gt;")
		case '&':
			t.b.WriteString("&amp;")
		case '"':
			t.b.WriteString("&quot;")
		case '@':
			t.b.WriteRune('@')
			t.b.WriteRune(zwj)
			t.size++
		default:
			t.b.WriteRune(r)
		}
		t.size += utf16.RuneLen(r)
	}
}

func (t *tgBuilder) open(tag string) {
	t.b.WriteString("<" + tag + ">")
	t.ents++
}

func (t *tgBuilder) close(tag string) { t.b.WriteString("</" + tag + ">") }

// link writes <a href="url">label</a>; url must come from safeURL.
func (t *tgBuilder) link(url, label string) {
	t.b.WriteString(`<a href="` + telegramAttr(url) + `">`)
	t.ents++
	t.text(label)
	t.b.WriteString("</a>")
}

func (t *tgBuilder) unit(sep string) unit {
	return unit{text: t.b.String(), size: t.size, ents: t.ents, sep: sep, sepSize: utf16Len(sep)}
}

// telegramAttr escapes an attribute value for a double-quoted attribute.
func telegramAttr(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '&':
			b.WriteString("&amp;")
		case '<':
			b.WriteString("&lt;")
		case '>':
			b.WriteString("&gt;")
		case '"':
			b.WriteString("&quot;")
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

func telegramCost(_, r rune) int {
	n := utf16.RuneLen(r)
	if n < 0 {
		n = 1
	}
	if r == '@' {
		n++
	}
	return n
}
