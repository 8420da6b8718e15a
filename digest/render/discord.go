package render

import (
	"strings"
	"time"

	"github.com/newsdigest/newsdigest/digest"
)

// Discord's limits, in Unicode code points, from its API documentation.
const (
	DiscordContentMax     = 2000
	DiscordEmbedsMax      = 10
	DiscordMessageTextMax = 6000 // all embeds of one message together
	DiscordTitleMax       = 256
	DiscordDescriptionMax = 4096
	DiscordFieldsMax      = 25
	DiscordFieldNameMax   = 256
	DiscordFieldValueMax  = 1024
	DiscordFooterMax      = 2048
	DiscordAuthorMax      = 256
)

// Caps on single pieces, well inside the limits above so that a story
// embed (title + description + footer) always fits a message's 6000.
const (
	discordNameMax    = 200  // digest name in the header
	discordSpeakerMax = 200  // speaker or outlet in a quote's attribution
	discordLabelMax   = 200  // an outlet's name in the links
	discordIDMax      = 64   // story id in the footer
	discordNoticeMax  = 1024 // failing sources in the footer
)

const (
	colorStory  = 0x2B6CB0
	colorUpdate = 0xD69E2E
	colorNotice = 0x718096
)

// DiscordMessage mirrors the parts of Discord's message JSON the digest
// uses. The bot sends it with allowed_mentions {"parse": []}.
type DiscordMessage struct {
	Content string         `json:"content,omitempty"`
	Embeds  []DiscordEmbed `json:"embeds,omitempty"`
}

// DiscordEmbed mirrors Discord's embed object.
type DiscordEmbed struct {
	Title       string         `json:"title,omitempty"`
	URL         string         `json:"url,omitempty"`
	Description string         `json:"description,omitempty"`
	Color       int            `json:"color,omitempty"`
	Fields      []DiscordField `json:"fields,omitempty"`
	Author      *DiscordAuthor `json:"author,omitempty"`
	Footer      *DiscordFooter `json:"footer,omitempty"`
	Timestamp   string         `json:"timestamp,omitempty"` // RFC 3339
}

// DiscordField mirrors an embed field.
type DiscordField struct {
	Name   string `json:"name"`
	Value  string `json:"value"`
	Inline bool   `json:"inline,omitempty"`
}

// DiscordFooter mirrors an embed footer; its text is not Markdown.
type DiscordFooter struct {
	Text string `json:"text"`
}

// DiscordAuthor mirrors an embed author; its name is not Markdown.
type DiscordAuthor struct {
	Name string `json:"name"`
	URL  string `json:"url,omitempty"`
}

// Discord renders a digest as one or more messages. The first message's
// content is the header; each story is one embed (more when it is too long
// for one: the continuations carry "(continued)" titles); the failing
// sources go in the footer of the last embed. Every message passes
// CheckDiscordMessage.
func Discord(d digest.Digest) []DiscordMessage {
	var embeds []DiscordEmbed
	for _, item := range d.Stories {
		embeds = append(embeds, discordStory(prepare(item))...)
	}
	if len(embeds) == 0 {
		embeds = append(embeds, DiscordEmbed{
			Description: discordEscape(emptyNotice(d)),
			Color:       colorNotice,
		})
	}
	if notice := failingNotice(d); notice != "" {
		text, _ := fit(warnSign+" "+notice, discordNoticeMax, discordPlainCost)
		last := &embeds[len(embeds)-1]
		if last.Footer == nil {
			last.Footer = &DiscordFooter{Text: discordPlain(text)}
		} else {
			last.Footer.Text += "\n" + discordPlain(text)
		}
	}

	msgs := []DiscordMessage{{Content: discordHeader(d)}}
	total := 0
	for _, e := range embeds {
		cur := &msgs[len(msgs)-1]
		size := discordEmbedSize(e)
		if len(cur.Embeds) == DiscordEmbedsMax || total+size > DiscordMessageTextMax {
			msgs = append(msgs, DiscordMessage{})
			cur, total = &msgs[len(msgs)-1], 0
		}
		cur.Embeds = append(cur.Embeds, e)
		total += size
	}
	for i := range msgs {
		dedupeURLs(msgs[i].Embeds)
	}
	return msgs
}

// discordHeader is the first message's content: the digest's name, when
// and what span it covers, and whether it is late.
func discordHeader(d digest.Digest) string {
	name, _ := fit(digestName(d), discordNameMax, discordCost)
	h := "**" + discordEscape(name) + "**"
	if when := headerWhen(d); when != "" {
		h += " — " + when // our own words: digits, names of days and months
	}
	if d.Late {
		h += "\n*" + discordEscape(lateNotice) + "*"
	}
	return h
}

// discordStory lays one story out as embeds: usually one, more when its
// summary, quotes and links overflow one description.
func discordStory(s story) []DiscordEmbed {
	var units []unit
	add := func(text, sep string) {
		units = append(units, unit{text: text, size: runeLen(text), sep: sep, sepSize: runeLen(sep)})
	}
	if s.summary != "" {
		text, _ := fit(s.summary, DiscordDescriptionMax, discordCost)
		add(discordEscape(text), "\n\n")
	}
	for i, q := range s.quotes {
		speaker, _ := fit(q.speaker, discordSpeakerMax, discordCost)
		outlet, _ := fit(q.outlet, discordSpeakerMax, discordCost)
		attr := discordEscape(quote{speaker: speaker, outlet: outlet}.attribution())
		budget := DiscordDescriptionMax - runeLen("> “”") - runeLen(attr)
		text, _ := fit(q.text, budget, discordCost)
		sep := "\n\n"
		if i > 0 {
			sep = "\n"
		}
		add("> “"+discordEscape(text)+"”"+attr, sep)
	}
	for i, l := range s.links {
		label, _ := fit(l.label, discordLabelMax, discordCost)
		text := discordEscape(label)
		if l.url != "" {
			text = "[" + text + "](" + l.url + ")"
		}
		sep := " · "
		if i == 0 {
			sep = "\n\n"
		}
		add(text, sep)
	}
	color := colorStory
	if s.update {
		color = colorUpdate
	}
	var ts string
	if y := s.time.Year(); !s.time.IsZero() && y >= 1 && y <= 9999 {
		ts = s.time.Format(time.RFC3339)
	}
	var footer *DiscordFooter
	if s.id != "" {
		id, _ := fit(s.id, discordIDMax, discordPlainCost)
		footer = &DiscordFooter{Text: "/story " + discordPlain(id)}
	}

	descs := pack([][]unit{units}, DiscordDescriptionMax, 1<<30)
	if len(descs) == 0 {
		descs = [][]unit{nil}
	}
	embeds := make([]DiscordEmbed, 0, len(descs))
	for i, desc := range descs {
		e := DiscordEmbed{
			Title:       discordTitle(s, i > 0),
			Description: join(desc),
			Color:       color,
			Timestamp:   ts,
		}
		if i == 0 {
			e.URL = s.best
		}
		if footer != nil {
			f := *footer
			e.Footer = &f
		}
		embeds = append(embeds, e)
	}
	return embeds
}

// discordTitle is the embed title: the headline, "Update: " before it for
// an update, " (continued)" after it on a continuation.
func discordTitle(s story, continued bool) string {
	prefix, suffix := "", ""
	if s.update {
		prefix = updateLabel + " "
	}
	if continued {
		suffix = discordEscape(" (continued)")
	}
	h, _ := fit(s.headline, DiscordTitleMax-runeLen(prefix)-runeLen(suffix), discordCost)
	return prefix + discordEscape(h) + suffix
}

// dedupeURLs clears repeated embed URLs within one message: Discord merges
// embeds that share a URL into one, hiding all but the first.
func dedupeURLs(embeds []DiscordEmbed) {
	seen := map[string]bool{}
	for i := range embeds {
		if u := embeds[i].URL; u != "" {
			if seen[u] {
				embeds[i].URL = ""
			}
			seen[u] = true
		}
	}
}

// discordEmbedSize is what an embed counts towards a message's 6000.
func discordEmbedSize(e DiscordEmbed) int {
	n := runeLen(e.Title) + runeLen(e.Description)
	for _, f := range e.Fields {
		n += runeLen(f.Name) + runeLen(f.Value)
	}
	if e.Footer != nil {
		n += runeLen(e.Footer.Text)
	}
	if e.Author != nil {
		n += runeLen(e.Author.Name)
	}
	return n
}

// discordSpecial are the characters Discord's Markdown gives a meaning
// to; a backslash before one shows it as itself. "<" is among them so
// that "<@123>", "<#123>", "<t:…>" and "<https://…>" stay text.
const discordSpecial = "\\*_~`|>#-[]()<"

// discordEscape makes article text show literally in Discord Markdown and
// unable to mention: specials are backslash-escaped, a "." after a digit
// too (so "1. " cannot start a list), and every "@" is followed by a
// zero-width joiner so that "@everyone", "@here" and "<@123>" are not
// mentions even where the escaping is not applied.
func discordEscape(s string) string {
	var b strings.Builder
	b.Grow(len(s) + len(s)/8)
	var prev rune
	for _, r := range s {
		switch {
		case r == '@':
			b.WriteRune('@')
			b.WriteRune(zwj)
		case strings.ContainsRune(discordSpecial, r), r == '.' && prev >= '0' && prev <= '9':
			b.WriteByte('\\')
			b.WriteRune(r)
		default:
			b.WriteRune(r)
		}
		prev = r
	}
	return b.String()
}

func discordCost(prev, r rune) int {
	if r == '@' || strings.ContainsRune(discordSpecial, r) || r == '.' && prev >= '0' && prev <= '9' {
		return 2
	}
	return 1
}

// discordPlain neutralises mentions in text Discord shows without
// Markdown (footers, author names), where a backslash would show: a
// zero-width joiner follows every "@" and "<".
func discordPlain(s string) string {
	var b strings.Builder
	for _, r := range s {
		b.WriteRune(r)
		if r == '@' || r == '<' {
			b.WriteRune(zwj)
		}
	}
	return b.String()
}

func discordPlainCost(_, r rune) int {
	if r == '@' || r == '<' {
		return 2
	}
	return 1
}
