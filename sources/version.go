package sources

// Version is newsdigest's version as sent in the User-Agent header. The
// command sets it at start-up (from build information or a linker flag).
var Version = "dev"

// userAgent is the honest User-Agent every request carries, so that site
// operators can see who fetches their pages and where to complain.
func userAgent() string {
	return "newsdigest/" + Version + " (+https://github.com/newsdigest/newsdigest)"
}
