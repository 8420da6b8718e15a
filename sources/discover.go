package sources

import (
	"bytes"
	"fmt"
	"net/url"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/newsdigest/newsdigest/store"
)

// NotFeedError is returned when a feed URL serves something else, most
// often the site's HTML page. Feeds lists the feed URLs such a page
// advertises (<link rel="alternate" type="application/rss+xml" ...>), so
// that the operator can use one of them instead.
type NotFeedError struct {
	Got   string // what came instead: "an HTML page", "a document of unknown type"
	Feeds []string
}

func (e *NotFeedError) Error() string {
	s := fmt.Sprintf("not a feed (got %s)", e.Got)
	switch len(e.Feeds) {
	case 0:
	case 1:
		s += "; the page links to the feed " + e.Feeds[0]
	default:
		s += "; the page links to the feeds " + strings.Join(e.Feeds, ", ")
	}
	return s
}

// Is makes errors.Is(err, ErrNotFeed) hold.
func (e *NotFeedError) Is(target error) bool { return target == ErrNotFeed }

// feedTypes are the link types that announce a feed.
var feedTypes = map[string]bool{
	"application/rss+xml":   true,
	"application/atom+xml":  true,
	"application/feed+json": true,
	"application/json":      true,
	"application/rdf+xml":   true,
	"text/xml":              true,
	"application/xml":       true,
}

// maxDiscover bounds how much of a page DiscoverFeeds reads: feed links
// are in the head.
const maxDiscover = 512 << 10

// DiscoverFeeds returns the absolute URLs of the feeds an HTML page links
// to with <link rel="alternate">, in page order, without duplicates. base
// is the page's URL, for relative links.
func DiscoverFeeds(page []byte, base string) []string {
	if len(page) > maxDiscover {
		page = page[:maxDiscover]
	}
	baseURL, _ := url.Parse(base)
	z := html.NewTokenizer(bytes.NewReader(page))
	var out []string
	seen := map[string]bool{}
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			return out
		}
		if tt != html.StartTagToken && tt != html.SelfClosingTagToken {
			continue
		}
		name, hasAttr := z.TagName()
		a := atom.Lookup(name)
		if a == atom.Body {
			return out
		}
		if a != atom.Link || !hasAttr {
			continue
		}
		var rel, typ, href string
		for more := true; more; {
			var k, v []byte
			k, v, more = z.TagAttr()
			switch string(k) {
			case "rel":
				rel = strings.ToLower(string(v))
			case "type":
				typ = strings.ToLower(strings.TrimSpace(string(v)))
			case "href":
				href = strings.TrimSpace(string(v))
			}
		}
		if !hasToken(rel, "alternate") || !feedTypes[typ] || href == "" {
			continue
		}
		u := resolveURL(baseURL, href)
		if u == "" || seen[u] {
			continue
		}
		seen[u] = true
		out = append(out, u)
	}
}

// hasToken reports whether the space-separated list s contains tok.
func hasToken(s, tok string) bool {
	for _, f := range strings.Fields(s) {
		if f == tok {
			return true
		}
	}
	return false
}

// resolveURL makes ref absolute against base and returns it if it is an
// http(s) URL, or "".
func resolveURL(base *url.URL, ref string) string {
	ref = strings.TrimSpace(ref)
	if ref == "" {
		return ""
	}
	u, err := url.Parse(ref)
	if err != nil {
		return ""
	}
	if base != nil {
		u = base.ResolveReference(u)
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return ""
	}
	return u.String()
}

// canonicalLink returns the canonical form of the URL a saved HTML page
// names for itself (<link rel="canonical"> or <meta property="og:url">),
// or "" when it names none.
func canonicalLink(page []byte) string {
	if len(page) > maxDiscover {
		page = page[:maxDiscover]
	}
	z := html.NewTokenizer(bytes.NewReader(page))
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			return ""
		}
		if tt != html.StartTagToken && tt != html.SelfClosingTagToken {
			continue
		}
		name, hasAttr := z.TagName()
		a := atom.Lookup(name)
		if a == atom.Body {
			return ""
		}
		if (a != atom.Link && a != atom.Meta) || !hasAttr {
			continue
		}
		attrs := map[string]string{}
		for more := true; more; {
			var k, v []byte
			k, v, more = z.TagAttr()
			attrs[string(k)] = string(v)
		}
		var href string
		switch {
		case a == atom.Link && hasToken(strings.ToLower(attrs["rel"]), "canonical"):
			href = attrs["href"]
		case a == atom.Meta && strings.EqualFold(attrs["property"], "og:url"):
			href = attrs["content"]
		default:
			continue
		}
		if u := resolveURL(nil, href); u != "" {
			if c, err := store.CanonicalURL(u); err == nil {
				return c
			}
		}
	}
}
