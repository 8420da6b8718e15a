package sources

import (
	"io"
	"log/slog"
	"sync"
	"time"
)

// Fetcher fetches feeds and pages through a Client and turns them into
// articles. The zero value works, with a default Client; a Fetcher is safe
// for concurrent use once set up.
type Fetcher struct {
	Client *Client
	// TeaserChars: in FullTextAuto mode, feed text shorter than this (in
	// characters) is a teaser, and the item's page is fetched. 0 means 500.
	TeaserChars int
	// MaxFullText caps the pages one ExpandFullText call fetches, so that a
	// feed of 200 teasers does not turn into 200 requests at once. 0 means 20.
	MaxFullText int
	// FullTextConcurrency is how many pages one call fetches at a time
	// (they are usually on one host). 0 means 2.
	FullTextConcurrency int
	Now                 func() time.Time
	Logger              *slog.Logger
}

// NewFetcher returns a Fetcher using c.
func NewFetcher(c *Client) *Fetcher { return &Fetcher{Client: c} }

var defaultClient = sync.OnceValue(func() *Client { return NewClient(ClientOptions{}) })

func (f *Fetcher) client() *Client {
	if f.Client != nil {
		return f.Client
	}
	return defaultClient()
}

func (f *Fetcher) now() time.Time {
	if f.Now != nil {
		return f.Now()
	}
	return time.Now()
}

var discardLogger = slog.New(slog.NewTextHandler(io.Discard, nil))

func (f *Fetcher) logger() *slog.Logger {
	if f.Logger != nil {
		return f.Logger
	}
	return discardLogger
}

func orDefault(v, def int) int {
	if v > 0 {
		return v
	}
	return def
}
