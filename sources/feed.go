package sources

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/mmcdole/gofeed"

	"github.com/newsdigest/newsdigest/store"
)

// feedAccept is the Accept header of feed requests.
const feedAccept = "application/rss+xml, application/atom+xml, application/feed+json, application/json;q=0.9, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5"

// MaxFeedItems caps the items taken from one feed document, newest or not:
// a feed with more is a dump, not a feed.
const MaxFeedItems = 2000

// Feed is a parsed feed document.
type Feed struct {
	Title    string // the feed's own title
	SiteURL  string // the site the feed belongs to, if it says
	Language string // ISO 639-1, empty when the feed does not say
	Articles []*store.Article
}

// FeedResult is the outcome of fetching a source's feed.
type FeedResult struct {
	// NotModified is true when the server answered 304 to the conditional
	// request: nothing changed since the ETag / Last-Modified in the
	// source's state, and Feed is empty.
	NotModified bool
	URL         string // after redirects
	// ETag and LastModified are the validators to send next time.
	ETag         string
	LastModified string
	Feed
}

// FetchFeed fetches src's feed with a conditional GET (using src.State's
// ETag and Last-Modified) and parses it. Articles carry src.ID and the
// feed's own text; fetching full text is ExpandFullText's job, so that the
// caller can skip articles it already has.
func (f *Fetcher) FetchFeed(ctx context.Context, src *store.Source) (FeedResult, error) {
	return f.fetchFeed(ctx, src, nil)
}

// fetchFeed is FetchFeed with a check for a body seen before: when
// unchanged reports true, the body is not parsed and the result is
// NotModified, as if the server had answered 304. Many servers send no
// validators, and parsing is most of the cost of a poll that finds
// nothing new.
func (f *Fetcher) fetchFeed(ctx context.Context, src *store.Source, unchanged func(body []byte) bool) (FeedResult, error) {
	resp, err := f.client().Fetch(ctx, Request{
		URL:          src.URL,
		Accept:       feedAccept,
		ETag:         src.State.ETag,
		LastModified: src.State.LastModified,
	})
	if err != nil {
		return FeedResult{}, err
	}
	res := FeedResult{
		URL:          resp.URL,
		ETag:         resp.Header.Get("ETag"),
		LastModified: resp.Header.Get("Last-Modified"),
	}
	if resp.NotModified() || (unchanged != nil && unchanged(resp.Body)) {
		res.NotModified = true
		if res.ETag == "" {
			res.ETag = src.State.ETag
		}
		if res.LastModified == "" {
			res.LastModified = src.State.LastModified
		}
		return res, nil
	}
	feed, err := ParseFeed(resp.Body, resp.ContentType(), resp.URL)
	if err != nil {
		return FeedResult{}, fmt.Errorf("sources: feed %s: %w", redactString(src.URL), err)
	}
	now := f.now()
	for _, a := range feed.Articles {
		a.SourceID = src.ID
		a.Fetched = now
	}
	res.Feed = *feed
	return res, nil
}

// ParseFeed parses an RSS (0.9x, 1.0, 2.0), Atom or JSON Feed document
// into articles. contentType is the HTTP Content-Type (for its charset),
// base the document's URL (for relative links); both may be empty. The
// text of every field is valid UTF-8 whatever the input was.
func ParseFeed(data []byte, contentType, base string) (*Feed, error) {
	trimmed := bytes.TrimLeft(bytes.TrimPrefix(data, utf8BOM), " \t\r\n\x00")
	if len(trimmed) == 0 {
		return nil, ErrEmptyBody
	}
	if looksLikeHTML(trimmed) {
		page := decodeHTML(data, contentType)
		return nil, &NotFeedError{Got: "an HTML page", Feeds: DiscoverFeeds(page, base)}
	}
	var doc []byte
	switch trimmed[0] {
	case '{':
		doc = toUTF8(data, contentTypeCharset(contentType))
	case '<':
		doc = decodeXML(data, contentType)
	default:
		if _, rest := bomEncoding(data); len(rest) == len(data) {
			return nil, &NotFeedError{Got: describeContent(contentType)}
		}
		doc = decodeXML(data, contentType) // UTF-16 with a byte order mark
	}
	p := gofeed.NewParser()
	p.RSSTranslator = &gofeed.DefaultRSSTranslator{DisableContentImageScan: true}
	gf, err := p.Parse(bytes.NewReader(doc))
	if err != nil {
		if errors.Is(err, gofeed.ErrFeedTypeNotDetected) {
			return nil, &NotFeedError{Got: describeContent(contentType)}
		}
		return nil, fmt.Errorf("malformed feed: %s", validUTF8(err.Error()))
	}
	if gf.FeedType == "json" && !strings.Contains(gf.FeedVersion, "jsonfeed.org/version/") {
		// Any JSON object parses as an empty JSON Feed; an API answer or
		// an error document is not one.
		return nil, &NotFeedError{Got: "JSON that is not a JSON Feed (no jsonfeed.org version)"}
	}
	return convertFeed(gf, base), nil
}

// convertFeed turns gofeed's universal feed into articles.
func convertFeed(gf *gofeed.Feed, base string) *Feed {
	siteBase, _ := url.Parse(base)
	if gf.Link != "" && siteBase != nil {
		if u := resolveURL(siteBase, gf.Link); u != "" {
			siteBase, _ = url.Parse(u)
		}
	}
	feed := &Feed{
		Title:    textLine(gf.Title),
		Language: normLanguage(gf.Language),
	}
	if siteBase != nil && gf.Link != "" {
		feed.SiteURL = siteBase.String()
	}
	items := gf.Items
	if len(items) > MaxFeedItems {
		items = items[:MaxFeedItems]
	}
	feed.Articles = make([]*store.Article, 0, len(items))
	for _, it := range items {
		if a := convertItem(it, siteBase); a != nil {
			a.Language = feed.Language
			a.Outlet = clip(feed.Title, 200)
			feed.Articles = append(feed.Articles, a)
		}
	}
	return feed
}

// convertItem returns the article an item holds, or nil when it has
// neither a title nor any text.
func convertItem(it *gofeed.Item, base *url.URL) *store.Article {
	if it == nil {
		return nil
	}
	a := &store.Article{
		Title:  textLine(it.Title),
		Byline: byline(it.Authors),
		Body:   itemText(it),
	}
	if a.Title == "" && a.Body == "" {
		return nil
	}
	link := it.Link
	if link == "" && (strings.HasPrefix(it.GUID, "http://") || strings.HasPrefix(it.GUID, "https://")) {
		link = it.GUID
	}
	if u := resolveURL(base, link); u != "" {
		if c, err := store.CanonicalURL(u); err == nil {
			a.URL = c
		}
	}
	switch {
	case it.PublishedParsed != nil:
		a.Published = sane(*it.PublishedParsed)
	case it.UpdatedParsed != nil:
		a.Published = sane(*it.UpdatedParsed)
	}
	return a
}

// itemText is the longer of an item's content and description as text:
// some feeds put the whole story in content and a teaser in the
// description, others the other way round.
func itemText(it *gofeed.Item) string {
	content := HTMLToText(it.Content)
	if it.Description == "" || it.Description == it.Content {
		return content
	}
	desc := HTMLToText(it.Description)
	if utf8.RuneCountInString(desc) > utf8.RuneCountInString(content) {
		return desc
	}
	return content
}

// byline joins the authors' names; addresses alone are not a byline.
func byline(ps []*gofeed.Person) string {
	var names []string
	for _, p := range ps {
		if p == nil {
			continue
		}
		if n := textLine(p.Name); n != "" {
			names = append(names, n)
		}
	}
	return strings.Join(names, ", ")
}

// sane returns t in UTC, or the zero time for dates no article has.
func sane(t time.Time) time.Time {
	if t.Year() < 1900 || t.Year() > 9999 {
		return time.Time{}
	}
	return t.UTC()
}

// normLanguage reduces a language tag ("en-US", "ru_RU", "EN") to its
// ISO 639-1 code, or "" when it is not one.
func normLanguage(tag string) string {
	tag = strings.ToLower(strings.TrimSpace(tag))
	if i := strings.IndexAny(tag, "-_"); i >= 0 {
		tag = tag[:i]
	}
	if len(tag) != 2 || tag[0] < 'a' || tag[0] > 'z' || tag[1] < 'a' || tag[1] > 'z' {
		return ""
	}
	return tag
}

// looksLikeHTML reports whether a document starts like an HTML page.
func looksLikeHTML(b []byte) bool {
	head := bytes.ToLower(b[:min(len(b), 1024)])
	if bytes.HasPrefix(head, []byte("<!doctype html")) || bytes.HasPrefix(head, []byte("<html")) {
		return true
	}
	// An XML prolog or comments may come first; the root decides.
	for _, root := range [][]byte{[]byte("<rss"), []byte("<feed"), []byte("<rdf:rdf"), []byte("<rdf")} {
		if bytes.Contains(head, root) {
			return false
		}
	}
	return bytes.Contains(head, []byte("<html")) || bytes.Contains(head, []byte("<head")) || bytes.Contains(head, []byte("<body"))
}

// describeContent says what a non-feed document is, for messages.
func describeContent(contentType string) string {
	if ct := strings.TrimSpace(strings.SplitN(contentType, ";", 2)[0]); ct != "" {
		return fmt.Sprintf("%s content, not RSS, Atom or JSON Feed", validUTF8(ct))
	}
	return "a document that is not RSS, Atom or JSON Feed"
}

// validUTF8 makes a string from outside safe to put in a message.
func validUTF8(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	if len(s) > 300 {
		s = s[:300] + "..."
		s = strings.ToValidUTF8(s, "")
	}
	return s
}

// redactString is redact for a URL string that may not parse.
func redactString(s string) string {
	if u, err := url.Parse(s); err == nil {
		return u.Redacted()
	}
	return validUTF8(s)
}
