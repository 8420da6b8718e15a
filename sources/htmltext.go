package sources

import (
	"bytes"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/newsdigest/newsdigest/store"
)

// HTMLToText converts an HTML fragment or document to the plain text form
// articles are stored in (see store.Article.Body): tags stripped, entities
// decoded, each block element (paragraph, heading, list item, ...) its own
// paragraph, paragraphs separated by "\n\n". Scripts, styles, navigation,
// footers, asides, forms, figure captions and hidden elements are dropped:
// they are never part of the story. Text without any markup comes through
// with its blank lines kept as paragraph breaks.
func HTMLToText(s string) string {
	if !strings.ContainsAny(s, "<&") {
		return store.NormalizeText(s)
	}
	var w textWriter
	w.b.Grow(len(s))
	z := html.NewTokenizer(strings.NewReader(s))
	skip := "" // the element being skipped, with everything inside
	depth := 0 // nesting of skip inside itself
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			return store.NormalizeText(w.b.String())
		case html.TextToken:
			if skip == "" {
				w.text(z.Text())
			}
		case html.StartTagToken, html.SelfClosingTagToken:
			name, hasAttr := z.TagName()
			a := atom.Lookup(name)
			// HTML ignores "/>" on elements that are not void: <nav/>
			// opens a nav (and <script/> a script) like <nav> does.
			opens := !voidElement(a)
			if skip != "" {
				if opens && string(name) == skip {
					depth++
				}
				continue
			}
			if opens && (dropElement(a) || (hasAttr && hiddenElement(z))) {
				skip, depth = string(name), 1
				continue
			}
			w.tag(a, true)
		case html.EndTagToken:
			name, _ := z.TagName()
			if skip != "" {
				if string(name) == skip {
					if depth--; depth == 0 {
						skip = ""
					}
				}
				continue
			}
			w.tag(atom.Lookup(name), false)
		}
	}
}

// textWriter collects text, collapsing whitespace inside a paragraph as a
// browser does, and marks block boundaries with blank lines for
// store.NormalizeText to turn into paragraph breaks.
type textWriter struct {
	b bytes.Buffer
}

func (w *textWriter) text(t []byte) {
	for i := 0; i < len(t); {
		c := t[i]
		if c < utf8.RuneSelf {
			if asciiSpace[c] {
				w.space()
				i++
				continue
			}
			j := i + 1 // a run of visible ASCII goes in at once
			for j < len(t) && t[j] < utf8.RuneSelf && !asciiSpace[t[j]] {
				j++
			}
			w.b.Write(t[i:j])
			i = j
			continue
		}
		r, size := utf8.DecodeRune(t[i:])
		if unicode.IsSpace(r) {
			w.space()
		} else {
			w.b.Write(t[i : i+size]) // invalid bytes too: NormalizeText replaces them
		}
		i += size
	}
}

var asciiSpace = [utf8.RuneSelf]bool{'\t': true, '\n': true, '\v': true, '\f': true, '\r': true, ' ': true}

// space writes one space unless the text already ends in whitespace.
func (w *textWriter) space() {
	if n := w.b.Len(); n > 0 {
		switch w.b.Bytes()[n-1] {
		case ' ', '\n':
			return
		}
		w.b.WriteByte(' ')
	}
}

func (w *textWriter) tag(a atom.Atom, start bool) {
	switch {
	case a == atom.Br:
		if start {
			w.b.WriteByte('\n') // two in a row make a paragraph break
		}
	case a == atom.Td || a == atom.Th:
		w.space()
	case blockElement(a):
		w.b.WriteString("\n\n")
	}
}

// blockElement reports whether an element starts and ends a paragraph.
func blockElement(a atom.Atom) bool {
	switch a {
	case atom.P, atom.Div, atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6,
		atom.Li, atom.Ul, atom.Ol, atom.Dl, atom.Dt, atom.Dd, atom.Blockquote,
		atom.Pre, atom.Hr, atom.Table, atom.Tr, atom.Thead, atom.Tbody, atom.Tfoot,
		atom.Caption, atom.Section, atom.Article, atom.Header, atom.Main, atom.Address,
		atom.Figure, atom.Details, atom.Summary, atom.Fieldset, atom.Center,
		atom.Body, atom.Html, atom.Hgroup, atom.Dialog, atom.Menu, atom.Legend:
		return true
	}
	return false
}

// dropElement reports whether an element's whole content is left out:
// code, styling, embedded media and page furniture around the story.
func dropElement(a atom.Atom) bool {
	switch a {
	case atom.Script, atom.Style, atom.Noscript, atom.Template, atom.Title, atom.Xmp,
		atom.Iframe, atom.Object, atom.Embed, atom.Svg, atom.Math, atom.Canvas,
		atom.Audio, atom.Video, atom.Picture, atom.Map,
		atom.Nav, atom.Footer, atom.Aside, atom.Figcaption,
		atom.Form, atom.Button, atom.Select, atom.Textarea, atom.Option, atom.Datalist:
		return true
	}
	return false
}

// voidElement reports elements that never have content or an end tag, so
// that a hidden <img> does not start a skip that never ends.
func voidElement(a atom.Atom) bool {
	switch a {
	case atom.Area, atom.Base, atom.Br, atom.Col, atom.Embed, atom.Hr, atom.Img,
		atom.Input, atom.Link, atom.Meta, atom.Source, atom.Track, atom.Wbr, atom.Param, atom.Keygen:
		return true
	}
	return false
}

// hiddenElement reports whether the current tag hides its content:
// the hidden attribute, aria-hidden="true" or an inline display:none.
func hiddenElement(z *html.Tokenizer) bool {
	for {
		key, val, more := z.TagAttr()
		switch string(key) {
		case "hidden":
			return true
		case "aria-hidden":
			if strings.EqualFold(string(val), "true") {
				return true
			}
		case "style":
			v := strings.ToLower(strings.ReplaceAll(string(val), " ", ""))
			if strings.Contains(v, "display:none") || strings.Contains(v, "visibility:hidden") {
				return true
			}
		}
		if !more {
			return false
		}
	}
}

// textLine is HTMLToText for a title or a name: one line, no paragraphs.
func textLine(s string) string {
	t := HTMLToText(s)
	if strings.Contains(t, "\n") {
		t = strings.Join(strings.Fields(t), " ")
	}
	return t
}
