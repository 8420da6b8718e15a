package sources

import (
	"bytes"
	"context"
	"fmt"
	"mime"
	"net/http"
	"net/url"
	"strings"

	readability "codeberg.org/readeck/go-readability/v2"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/newsdigest/newsdigest/store"
)

// pageAccept is the Accept header of page requests.
const pageAccept = "text/html, application/xhtml+xml;q=0.9, text/plain;q=0.5, */*;q=0.1"

// maxPageElements bounds the DOM readability works on; its scoring is not
// linear, and no article page needs more.
const maxPageElements = 100000

// FetchPage fetches one web page and extracts its article: title, byline,
// language, publication time when the page gives it, and the main text
// (found with readability, without menus, ads and comments). The URL is
// the canonical form of the address after redirects.
func (f *Fetcher) FetchPage(ctx context.Context, pageURL string) (*store.Article, error) {
	resp, err := f.client().Fetch(ctx, Request{URL: pageURL, Accept: pageAccept})
	if err != nil {
		return nil, err
	}
	a, err := ExtractPage(resp.Body, resp.ContentType(), resp.URL)
	if err != nil {
		return nil, fmt.Errorf("sources: page %s: %w", redactString(pageURL), err)
	}
	a.Fetched = f.now()
	return a, nil
}

// ExtractPage extracts the article from an HTML (or plain text) document
// fetched from pageURL.
func ExtractPage(data []byte, contentType, pageURL string) (*store.Article, error) {
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, ErrEmptyBody
	}
	a := &store.Article{}
	if c, err := store.CanonicalURL(pageURL); err == nil {
		a.URL = c
	}
	switch kind := pageKind(data, contentType); kind {
	case "html":
	case "text":
		a.Body = store.NormalizeText(string(toUTF8(data, contentTypeCharset(contentType))))
		a.Title = titleFromURL(pageURL)
		return a, nil
	default:
		return nil, fmt.Errorf("%s content: %w", validUTF8(kind), ErrUnsupported)
	}
	page := decodeHTML(data, contentType)
	if err := extractHTML(a, page, pageURL); err != nil {
		return nil, err
	}
	if a.Body == "" {
		return nil, ErrNoText
	}
	return a, nil
}

// pageKind is "html", "text" or the media type of anything else.
func pageKind(data []byte, contentType string) string {
	mt, _, err := mime.ParseMediaType(contentType)
	if err != nil || mt == "" || mt == "application/octet-stream" {
		mt, _, _ = mime.ParseMediaType(http.DetectContentType(data))
	}
	switch {
	case mt == "text/html" || mt == "application/xhtml+xml":
		return "html"
	case mt == "text/plain":
		if looksLikeHTML(bytes.TrimSpace(data)) {
			return "html"
		}
		return "text"
	}
	return mt
}

// extractHTML fills a from an HTML page (already UTF-8).
func extractHTML(a *store.Article, page []byte, pageURL string) error {
	doc, err := html.Parse(bytes.NewReader(page))
	if err != nil {
		// Too deeply nested for the parser: keep what plain stripping gives.
		a.Body = HTMLToText(string(page))
		return nil
	}
	docTitle, docLang := pageMeta(doc)
	a.Title, a.Language = docTitle, normLanguage(docLang)

	art, err := readabilityParse(doc, pageURL)
	if err == nil {
		if t := textLine(art.Title()); t != "" {
			a.Title = t
		}
		a.Byline = clip(textLine(art.Byline()), 200)
		a.Outlet = clip(textLine(art.SiteName()), 200)
		if l := normLanguage(art.Language()); l != "" {
			a.Language = l
		}
		if t, err := art.PublishedTime(); err == nil {
			a.Published = sane(t)
		}
		if art.Node != nil {
			var buf bytes.Buffer
			if html.Render(&buf, art.Node) == nil {
				a.Body = HTMLToText(buf.String())
			}
		}
	}
	a.Body = dropBylineParagraph(a.Body, a.Byline)
	if a.Body == "" {
		// Readability found no article (a short page, a list); the page's
		// text without its furniture is better than nothing.
		a.Body = HTMLToText(string(page))
	}
	if a.Title == "" {
		a.Title = titleFromURL(pageURL)
	}
	return nil
}

// dropBylineParagraph removes a first paragraph that only repeats the
// byline ("By Mara Ellison"): it is metadata, not the story's first words.
func dropBylineParagraph(body, byline string) string {
	if byline == "" {
		return body
	}
	first, rest, _ := strings.Cut(body, "\n\n")
	f := strings.ToLower(strings.TrimSpace(first))
	f = strings.TrimPrefix(f, "by ")
	if f == strings.ToLower(byline) {
		return rest
	}
	return body
}

// readabilityParse runs readability, turning a panic in it (a port of a
// large JavaScript library, fed hostile pages) into an error.
func readabilityParse(doc *html.Node, pageURL string) (art readability.Article, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("readability: %v", r)
		}
	}()
	u, _ := url.Parse(pageURL)
	if u == nil {
		u = &url.URL{}
	}
	p := readability.NewParser()
	p.MaxElemsToParse = maxPageElements
	return p.ParseAndMutate(doc, u)
}

// pageMeta returns the <title> text and the <html lang> attribute.
func pageMeta(doc *html.Node) (title, lang string) {
	for n := doc.FirstChild; n != nil; n = n.NextSibling {
		if n.Type == html.ElementNode && n.DataAtom == atom.Html {
			for _, at := range n.Attr {
				if at.Key == "lang" || at.Key == "xml:lang" {
					lang = at.Val
				}
			}
			title = findTitle(n)
		}
	}
	return textLine(title), lang
}

// findTitle returns the text of the first <title> in the head.
func findTitle(root *html.Node) string {
	for n := root.FirstChild; n != nil; n = n.NextSibling {
		if n.Type == html.ElementNode && n.DataAtom == atom.Head {
			for c := n.FirstChild; c != nil; c = c.NextSibling {
				if c.Type == html.ElementNode && c.DataAtom == atom.Title && c.FirstChild != nil {
					return c.FirstChild.Data
				}
			}
		}
	}
	return ""
}

// titleFromURL makes a title from the last path segment of a URL:
// "https://x/news/big-storm_hits.html" gives "big storm hits".
func titleFromURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return ""
	}
	seg := strings.Trim(u.Path, "/")
	if i := strings.LastIndexByte(seg, '/'); i >= 0 {
		seg = seg[i+1:]
	}
	if s, err := url.PathUnescape(seg); err == nil {
		seg = s
	}
	return nameToTitle(seg)
}

// clip shortens s to at most n runes.
func clip(s string, n int) string {
	i := 0
	for j := range s {
		if i == n {
			return strings.TrimSpace(s[:j])
		}
		i++
	}
	return s
}
