package store

import (
	"fmt"
	"time"
)

// FullTextMode says when the poller fetches an item's web page to get the
// whole article instead of the feed's text.
type FullTextMode string

const (
	FullTextOff    FullTextMode = "off"
	FullTextAuto   FullTextMode = "auto" // when the feed item's text is short (a teaser)
	FullTextAlways FullTextMode = "always"
)

// Valid reports whether m is one of the known modes.
func (m FullTextMode) Valid() bool {
	return m == FullTextOff || m == FullTextAuto || m == FullTextAlways
}

// Source is a feed newsdigest polls.
type Source struct {
	ID       int64
	Name     string
	URL      string // the feed's URL as given (http or https); unique
	FullText FullTextMode
	Interval time.Duration // how often to poll; 0 means the poller's default
	Created  time.Time
	State    FetchState
}

// FetchState is what the poller remembers about a source between fetches.
type FetchState struct {
	ETag         string
	LastModified string    // the Last-Modified header value, sent back as If-Modified-Since
	LastFetch    time.Time // last attempt, successful or not
	LastSuccess  time.Time
	LastError    string // empty after a success
	LastErrorAt  time.Time
	Failures     int       // consecutive failures; 0 after a success
	NextPoll     time.Time // not polled before this time
	// BodyHash is the SHA-256, in hex, of the feed body last stored in
	// full: a body that hashes the same is not parsed again, also after a
	// restart (for servers that send neither ETag nor Last-Modified).
	// Empty when none.
	BodyHash string
}

// Failing reports whether the last fetch of the source failed.
func (s *Source) Failing() bool { return s.State.Failures > 0 }

// ValidateSourceClaim reports, with an error wrapping ErrInvalid, why a
// ClaimSource of src by owner for lease cannot be made.
func ValidateSourceClaim(src *Source, owner string, lease time.Duration) error {
	switch {
	case src == nil:
		return fmt.Errorf("store: claim source: nil: %w", ErrInvalid)
	case owner == "":
		return fmt.Errorf("store: claim source %d: empty owner: %w", src.ID, ErrInvalid)
	case lease <= 0:
		return fmt.Errorf("store: claim source %d: lease %v: %w", src.ID, lease, ErrInvalid)
	}
	return nil
}
