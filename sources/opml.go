package sources

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/newsdigest/newsdigest/store"
)

// Limits on OPML input: subscription lists are small; anything near these
// is not one.
const (
	MaxOPMLSize     = 5 << 20
	maxOPMLOutlines = 20000
	maxOPMLDepth    = 64
)

// OPMLFeed is one feed listed in an OPML document.
type OPMLFeed struct {
	Title    string // the outline's title or text; the URL when it has neither
	URL      string // xmlUrl: the feed itself
	SiteURL  string // htmlUrl: the site, when given
	Category string // the text of the enclosing outline (folder), if any
}

// ParseOPML reads an OPML subscription list (as exported by feed readers)
// and returns its feeds in document order, nested outlines included, each
// URL once. Outlines without an http(s) xmlUrl are folders or other things
// and are not listed.
func ParseOPML(r io.Reader) ([]OPMLFeed, error) {
	data, err := readCapped(r, MaxOPMLSize, "OPML document")
	if err != nil {
		return nil, fmt.Errorf("sources: opml: %w", err)
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, fmt.Errorf("sources: opml: %w", ErrEmptyBody)
	}
	feeds, err := parseOPML(decodeXML(data, ""))
	if err != nil {
		return nil, fmt.Errorf("sources: opml: %w", err)
	}
	return feeds, nil
}

func parseOPML(doc []byte) ([]OPMLFeed, error) {
	d := xml.NewDecoder(bytes.NewReader(doc))
	d.Strict = false // real exports contain unescaped "&"
	d.Entity = xml.HTMLEntity
	d.CharsetReader = func(label string, in io.Reader) (io.Reader, error) {
		return in, nil // decodeXML has made it UTF-8 already
	}
	var (
		feeds    []OPMLFeed
		seen     = map[string]bool{}
		folders  []string // enclosing outlines' texts, "" for feed outlines
		depth    int
		rootSeen bool
		outlines int
	)
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("malformed XML: %s", validUTF8(err.Error()))
		}
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
			if depth > maxOPMLDepth {
				return nil, fmt.Errorf("outlines nested more than %d deep", maxOPMLDepth)
			}
			name := strings.ToLower(t.Name.Local)
			if !rootSeen {
				if name != "opml" {
					return nil, fmt.Errorf("not an OPML document (root element <%s>)", validUTF8(clip(t.Name.Local, 40)))
				}
				rootSeen = true
				continue
			}
			if name != "outline" {
				continue
			}
			if outlines++; outlines > maxOPMLOutlines {
				return nil, fmt.Errorf("more than %d outlines", maxOPMLOutlines)
			}
			f := outlineFeed(t.Attr)
			if f.URL == "" {
				folders = append(folders, firstLine(attr(t.Attr, "text"), attr(t.Attr, "title")))
				continue
			}
			folders = append(folders, "")
			f.Category = category(folders[:len(folders)-1])
			if !seen[f.URL] {
				seen[f.URL] = true
				feeds = append(feeds, f)
			}
		case xml.EndElement:
			depth--
			if strings.EqualFold(t.Name.Local, "outline") && len(folders) > 0 {
				folders = folders[:len(folders)-1]
			}
		}
	}
	if !rootSeen {
		return nil, errors.New("not an OPML document (no <opml> element)")
	}
	return feeds, nil
}

// outlineFeed reads a feed outline's attributes; URL is empty when the
// outline has no usable xmlUrl.
func outlineFeed(attrs []xml.Attr) OPMLFeed {
	f := OPMLFeed{
		URL:     resolveURL(nil, attr(attrs, "xmlurl")),
		SiteURL: resolveURL(nil, attr(attrs, "htmlurl")),
	}
	f.Title = firstLine(attr(attrs, "title"), attr(attrs, "text"))
	if f.Title == "" {
		f.Title = f.URL
	}
	return f
}

// attr returns an attribute by case-insensitive name ("xmlUrl", "xmlURL"
// and "xmlurl" are all in the wild).
func attr(attrs []xml.Attr, name string) string {
	for _, a := range attrs {
		if strings.EqualFold(a.Name.Local, name) {
			return a.Value
		}
	}
	return ""
}

// firstLine returns the first non-empty of ss as a one-line text.
func firstLine(ss ...string) string {
	for _, s := range ss {
		// OPML attributes are plain text: "<" is a character, not a tag.
		if t := clip(strings.Join(strings.Fields(store.NormalizeText(s)), " "), 300); t != "" {
			return t
		}
	}
	return ""
}

// category is the innermost enclosing folder's name.
func category(folders []string) string {
	for i := len(folders) - 1; i >= 0; i-- {
		if folders[i] != "" {
			return folders[i]
		}
	}
	return ""
}

// opmlDoc is the shape WriteOPML writes.
type opmlDoc struct {
	XMLName xml.Name      `xml:"opml"`
	Version string        `xml:"version,attr"`
	Title   string        `xml:"head>title"`
	Body    []opmlOutline `xml:"body>outline"`
}

type opmlOutline struct {
	Type   string `xml:"type,attr"`
	Text   string `xml:"text,attr"`
	Title  string `xml:"title,attr"`
	XMLURL string `xml:"xmlUrl,attr"`
}

// WriteOPML writes sources as an OPML 2.0 subscription list that feed
// readers (and ParseOPML) import.
func WriteOPML(w io.Writer, sources []*store.Source) error {
	doc := opmlDoc{Version: "2.0", Title: "newsdigest subscriptions"}
	for _, s := range sources {
		name := s.Name
		if name == "" {
			name = s.URL
		}
		doc.Body = append(doc.Body, opmlOutline{Type: "rss", Text: name, Title: name, XMLURL: s.URL})
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return fmt.Errorf("sources: write opml: %w", err)
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return fmt.Errorf("sources: write opml: %w", err)
	}
	if _, err := io.WriteString(w, "\n"); err != nil {
		return fmt.Errorf("sources: write opml: %w", err)
	}
	return nil
}
