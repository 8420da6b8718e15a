package sources

import (
	"html"
	"regexp"
	"strings"
)

// Markdown is stripped to text with a line-by-line pass plus inline
// rewrites: enough for notes and articles written by hand, without a
// Markdown library. What it cannot parse stays in as text.
var (
	mdHeading  = regexp.MustCompile(`^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$`)
	mdSetext   = regexp.MustCompile(`^ {0,3}(=+|-+)[ \t]*$`)
	mdRule     = regexp.MustCompile(`^ {0,3}(?:(?:\*[ \t]*){3,}|(?:-[ \t]*){3,}|(?:_[ \t]*){3,})$`)
	mdFence    = regexp.MustCompile("^ {0,3}(```+|~~~+)")
	mdListItem = regexp.MustCompile(`^[ \t]*(?:[-*+]|\d{1,9}[.)])[ \t]+(?:\[[ xX]\][ \t]+)?`)
	mdQuote    = regexp.MustCompile(`^ {0,3}(?:>[ \t]?)+`)
	mdRefDef   = regexp.MustCompile(`^ {0,3}\[[^\]]+\]:[ \t]*\S+`)
	mdTableSep = regexp.MustCompile(`^[ \t]*\|?[ \t]*:?-+:?[ \t]*(\|[ \t]*:?-+:?[ \t]*)+\|?[ \t]*$`)
	mdImage    = regexp.MustCompile(`!\[([^\]]*)\]\([^)]*\)`)
	mdLink     = regexp.MustCompile(`\[([^\]]*)\]\([^)]*\)`)
	mdRefLink  = regexp.MustCompile(`\[([^\]]+)\]\[[^\]]*\]`)
	mdAutoLink = regexp.MustCompile(`<((?:https?|mailto):[^>\s]+)>`)
	mdCode     = regexp.MustCompile("`+([^`]*)`+")
	mdStrong   = regexp.MustCompile(`(\*\*|__)([^\n]+?)(\*\*|__)`)
	mdEmStar   = regexp.MustCompile(`\*([^*\n]+)\*`)
	mdEmUnder  = regexp.MustCompile(`(^|[^\pL\pN_])_([^_\n]+)_($|[^\pL\pN_])`)
	mdStrike   = regexp.MustCompile(`~~([^\n]+?)~~`)
	mdTag      = regexp.MustCompile(`</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>`)
	mdEscape   = regexp.MustCompile("\\\\([\\\\`*_{}\\[\\]()#+\\-.!|>~])")
	mdFrontKey = regexp.MustCompile(`^([A-Za-z_]+):\s*(.*?)\s*$`)
)

// markdownDoc is a Markdown file as text.
type markdownDoc struct {
	Title  string // from front matter, or a heading that opens the document
	Byline string // front matter author
	Date   string // front matter date, as written
	Lang   string // front matter lang / language
	Body   string
}

// markdownToText strips Markdown syntax, keeping the words: headings,
// list items and quotes become paragraphs, links keep their text, images
// and reference definitions go.
func markdownToText(src string) markdownDoc {
	var doc markdownDoc
	src = strings.ReplaceAll(src, "\r\n", "\n")
	src = doc.frontMatter(src)

	var b strings.Builder
	var para []string
	firstBlock := true
	flush := func() {
		if len(para) == 0 {
			return
		}
		b.WriteString(strings.Join(para, " "))
		b.WriteString("\n\n")
		para = para[:0]
		firstBlock = false
	}
	fence := ""
	for _, line := range strings.Split(src, "\n") {
		if fence != "" {
			if strings.HasPrefix(strings.TrimSpace(line), fence) {
				fence = ""
				flush()
				continue
			}
			para = append(para, line)
			continue
		}
		if m := mdFence.FindStringSubmatch(line); m != nil {
			flush()
			fence = m[1]
			continue
		}
		if strings.TrimSpace(line) == "" {
			flush()
			continue
		}
		if m := mdHeading.FindStringSubmatch(line); m != nil {
			heading := mdInline(m[2])
			if firstBlock && len(para) == 0 && doc.Title == "" && heading != "" {
				doc.Title = heading
				firstBlock = false
				continue
			}
			flush()
			para = append(para, heading)
			flush()
			continue
		}
		if len(para) > 0 && mdSetext.MatchString(line) {
			if firstBlock && doc.Title == "" && len(para) == 1 {
				doc.Title = para[0]
				para = para[:0]
				firstBlock = false
				continue
			}
			flush()
			continue
		}
		if mdRule.MatchString(line) || mdRefDef.MatchString(line) || mdTableSep.MatchString(line) {
			flush()
			continue
		}
		line = mdQuote.ReplaceAllString(line, "")
		if loc := mdListItem.FindStringIndex(line); loc != nil {
			flush()
			line = line[loc[1]:]
		}
		if t := strings.TrimSpace(line); strings.HasPrefix(t, "|") || strings.Count(t, "|") >= 2 {
			// a table row: its own paragraph, cells apart
			flush()
			para = append(para, mdInline(strings.ReplaceAll(strings.Trim(t, "|"), "|", " ")))
			flush()
			continue
		}
		para = append(para, mdInline(line))
	}
	flush()
	doc.Body = b.String()
	return doc
}

// mdInline rewrites inline Markdown to its text.
func mdInline(s string) string {
	// Escaped characters are set aside as private-use runes so that no
	// rule below reads them as syntax, and put back at the end.
	s = mdEscape.ReplaceAllStringFunc(s, func(m string) string { return string(rune(escapeBase + rune(m[1]))) })
	s = mdCode.ReplaceAllString(s, "$1")
	s = mdImage.ReplaceAllString(s, "")
	s = mdLink.ReplaceAllString(s, "$1")
	s = mdRefLink.ReplaceAllString(s, "$1")
	s = mdAutoLink.ReplaceAllString(s, "$1")
	s = mdStrong.ReplaceAllString(s, "$2")
	s = mdEmStar.ReplaceAllString(s, "$1")
	s = mdEmUnder.ReplaceAllString(s, "$1$2$3")
	s = mdStrike.ReplaceAllString(s, "$1")
	s = mdTag.ReplaceAllString(s, "")
	s = strings.Map(func(r rune) rune {
		if r >= escapeBase && r < escapeBase+128 {
			return r - escapeBase
		}
		return r
	}, s)
	return strings.TrimSpace(html.UnescapeString(s))
}

// escapeBase is where mdInline parks escaped ASCII characters.
const escapeBase = 0xF780

// frontMatter reads a YAML front matter block ("---" lines around
// "key: value" lines) for title, author, date and language, and returns
// the rest of the document.
func (d *markdownDoc) frontMatter(src string) string {
	if !strings.HasPrefix(src, "---\n") {
		return src
	}
	end := strings.Index(src[4:], "\n---")
	if end < 0 {
		return src
	}
	block := src[4 : 4+end]
	rest := src[4+end+4:]
	if i := strings.IndexByte(rest, '\n'); i >= 0 {
		rest = rest[i+1:]
	} else {
		rest = ""
	}
	for _, line := range strings.Split(block, "\n") {
		m := mdFrontKey.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		v := strings.Trim(m[2], `"'`)
		switch strings.ToLower(m[1]) {
		case "title":
			d.Title = v
		case "author", "byline":
			d.Byline = v
		case "date", "published":
			d.Date = v
		case "lang", "language":
			d.Lang = v
		}
	}
	return rest
}
