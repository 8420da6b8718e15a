package sources

import (
	"errors"
	"fmt"
	"net/http"
	"time"
)

var (
	// ErrBlockedAddress is returned when a URL's host resolves to an address
	// the client refuses to connect to (loopback, private, link-local, ...).
	ErrBlockedAddress = errors.New("address not allowed")
	// ErrTooLarge is returned when a response or file is bigger than the cap.
	ErrTooLarge = errors.New("too large")
	// ErrTooManyRedirects is returned after more redirects than allowed.
	ErrTooManyRedirects = errors.New("too many redirects")
	// ErrRedirectLoop is returned when a redirect leads back to a URL
	// already visited in the same fetch.
	ErrRedirectLoop = errors.New("redirect loop")
	// ErrScheme is returned for URLs that are not http or https.
	ErrScheme = errors.New("only http and https URLs are allowed")
	// ErrEmptyBody is returned when a feed or page has no content at all.
	ErrEmptyBody = errors.New("empty response body")
	// ErrNotFeed is returned when a document is not RSS, Atom or JSON Feed.
	ErrNotFeed = errors.New("not a feed")
	// ErrNoText is returned when no article text could be extracted.
	ErrNoText = errors.New("no article text found")
	// ErrUnsupported is returned for file types and encodings not handled.
	ErrUnsupported = errors.New("unsupported")
)

// HTTPError is a response with a status other than 2xx or 304.
type HTTPError struct {
	Status int
	// RetryAfter is how long the server asked us to wait (Retry-After on
	// 429, 503 and 3xx-less throttling answers); 0 when it did not say.
	RetryAfter time.Duration
}

func (e *HTTPError) Error() string {
	s := fmt.Sprintf("HTTP %d", e.Status)
	if t := http.StatusText(e.Status); t != "" {
		s += " " + t
	}
	if e.RetryAfter > 0 {
		s += fmt.Sprintf(" (retry after %s)", e.RetryAfter)
	}
	return s
}

// Temporary reports whether retrying later may help: throttling and server
// errors, as opposed to 404 or 410.
func (e *HTTPError) Temporary() bool {
	return e.Status == http.StatusTooManyRequests || e.Status == http.StatusRequestTimeout || e.Status >= 500
}

// RetryAfter returns the wait a server asked for somewhere in err's chain,
// or 0.
func RetryAfter(err error) time.Duration {
	var he *HTTPError
	if errors.As(err, &he) {
		return he.RetryAfter
	}
	return 0
}
