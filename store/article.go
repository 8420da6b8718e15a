package store

import (
	"fmt"
	"strings"
	"time"
)

// Article is one news article as newsdigest keeps it.
//
// Body holds plain text only: HTML stripped, entities decoded, whitespace
// normalised, paragraphs separated by one blank line ("\n\n"). The sources
// package produces bodies in that form; NormalizeText does the last step.
type Article struct {
	ID        int64
	SourceID  int64  // 0 when the article did not come from a registered source (file import, add URL)
	URL       string // canonical URL (see CanonicalURL); empty for articles imported from files without one
	Title     string
	Outlet    string // the publication's name ("Coastline Times"); empty: the source's name or the URL's host
	Byline    string
	Published time.Time // when the outlet published it; zero when unknown
	Fetched   time.Time // when newsdigest stored this version
	Language  string    // ISO 639-1 code ("en", "ru"), empty when unknown
	Body      string
	Hash      string // ContentHash(Title, Body), set by the store on write
}

// Articles' times must fall within years 1 to 9999, which every backend can
// store.
var (
	minArticleTime = time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC)
	maxArticleTime = time.Date(9999, 12, 31, 23, 59, 59, 0, time.UTC)
)

// MaxTextLength is the most bytes an article's title plus body may hold.
// Longer input is not a news article; refusing it keeps memory bounded.
const MaxTextLength = 8 << 20

// Normalize prepares a for storage the same way in every backend: URL
// canonicalised (CanonicalURL; an empty URL stays empty), title and body
// normalised (NormalizeText), byline and outlet put on one line (the same
// rules, paragraphs joined with a space), language put on one line and
// lower-cased, and Hash set to ContentHash(Title, Body). An article with
// neither title nor body, with a URL CanonicalURL rejects, or with more than
// MaxTextLength bytes of text, or with a time outside years 1 to 9999, gives
// an error wrapping ErrInvalid; a is then left as it was.
func (a *Article) Normalize() error {
	if len(a.Title)+len(a.Body) > MaxTextLength {
		return fmt.Errorf("store: article: text longer than %d bytes: %w", MaxTextLength, ErrInvalid)
	}
	for _, t := range []time.Time{a.Published, a.Fetched} {
		if t.Before(minArticleTime) || t.After(maxArticleTime) {
			return fmt.Errorf("store: article: time %v out of range: %w", t, ErrInvalid)
		}
	}
	u := a.URL
	if strings.TrimSpace(u) != "" {
		var err error
		if u, err = CanonicalURL(u); err != nil {
			return fmt.Errorf("store: article: %w", err)
		}
	} else {
		u = ""
	}
	title, body := NormalizeText(a.Title), NormalizeText(a.Body)
	if title == "" && body == "" {
		return fmt.Errorf("store: article: empty title and body: %w", ErrInvalid)
	}
	a.URL, a.Title, a.Body = u, title, body
	a.Byline = strings.ReplaceAll(NormalizeText(a.Byline), "\n\n", " ")
	a.Outlet = strings.ReplaceAll(NormalizeText(a.Outlet), "\n\n", " ")
	a.Language = strings.ToLower(strings.ReplaceAll(NormalizeText(a.Language), "\n\n", " "))
	a.Hash = hashNormalized(title, body)
	return nil
}

// Paragraphs splits Body into its paragraphs.
func (a *Article) Paragraphs() []string {
	if strings.TrimSpace(a.Body) == "" {
		return nil
	}
	return strings.Split(a.Body, "\n\n")
}

// PutOutcome says what a write of an article did.
type PutOutcome int

const (
	// Inserted: the article was new.
	Inserted PutOutcome = iota + 1
	// Updated: an article with the same canonical URL existed with other text;
	// it was updated in place and kept its id.
	Updated
	// Unchanged: the same article (same URL and text, or the same content hash
	// under another URL) was already stored; nothing was written.
	Unchanged
)

func (o PutOutcome) String() string {
	switch o {
	case Inserted:
		return "inserted"
	case Updated:
		return "updated"
	case Unchanged:
		return "unchanged"
	}
	return "unknown"
}

// ArticleQuery selects articles. Zero fields do not filter.
type ArticleQuery struct {
	Since    time.Time // published (or, when unknown, fetched) at or after
	Until    time.Time // published (or fetched) before
	SourceID int64
	// Search is a full-text query over title and body: words separated by
	// spaces, all of which must match, case-insensitively; a word ending in
	// "*" matches as a prefix. Operators and quotes have no special meaning,
	// and a word of punctuation only is ignored (a search of nothing but
	// such words selects everything).
	Search   string
	Language string
	Limit    int // 0 means DefaultLimit
	Offset   int
}

// DefaultLimit caps queries that do not set a limit, so that no caller can
// load the whole store by accident.
const DefaultLimit = 1000

// MaxLimit is the most rows one query returns whatever it asks for.
const MaxLimit = 100000

// EffectiveTime is the time an article is placed at in windows and ordering:
// its publication time, or when it was fetched if the outlet gave none.
func (a *Article) EffectiveTime() time.Time {
	if !a.Published.IsZero() {
		return a.Published
	}
	return a.Fetched
}
