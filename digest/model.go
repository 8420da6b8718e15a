package digest

import "time"

// Digest is what a channel receives, independent of any platform. The
// renderers in digest/render turn it into Discord embeds, Telegram HTML,
// terminal text or Markdown.
type Digest struct {
	Name    string    // "Morning digest", "Digest: climate"
	At      time.Time // when it was made, in the channel's time zone
	Since   time.Time // the window covered, in the channel's time zone
	Until   time.Time
	Late    bool // a scheduled digest sent after its slot (after downtime)
	Stories []StoryItem
	Failing []FailingSource // sources failing now, for the footer
}

// StoryItem is one story as a digest shows it.
type StoryItem struct {
	ID       string // short stable id users pass to /story
	Headline string
	Summary  string // one or two sentences, verbatim from an article
	Quotes   []KeyQuote
	Links    []Link // every outlet's article, best first
	Update   bool   // the channel received this story before; it has developed since
	Time     time.Time
}

// KeyQuote is a verbatim quotation with who said it and where.
type KeyQuote struct {
	Text    string // verbatim; may be shortened only by cutting whole sentences, marked "…"
	Speaker string // resolved full name; empty when unknown
	Outlet  string
	URL     string
}

// Link is one outlet's article about a story.
type Link struct {
	Outlet string
	Title  string
	URL    string
}

// FailingSource names a source the footer reports as failing.
type FailingSource struct {
	Name  string
	Since time.Time // first failure of the current run of failures
	Error string    // short, e.g. "HTTP 403"
}
