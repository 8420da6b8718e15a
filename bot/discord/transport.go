package discord

import (
	"net/http"
	"net/url"
	"strings"

	"golang.org/x/time/rate"
)

// globalRate is Discord's global limit per bot token: 50 requests a
// second across every route except interaction and webhook-token ones.
const globalRate = 50

// apiTransport is the session's http.RoundTripper. It sends discordgo's
// requests for https://discord.com/api/vN/... to the configured API base
// (a REST proxy, or Discord itself), waits on a global limiter so that a
// burst of deliveries stays under Discord's global rate limit, and counts
// 429s. Other requests pass through unchanged.
type apiTransport struct {
	base    *url.URL // scheme, host and path prefix, like /api/v9
	next    http.RoundTripper
	limiter *rate.Limiter
	limited func() // called on every 429; may be nil
}

func newAPITransport(base *url.URL, next http.RoundTripper, limited func()) *apiTransport {
	if next == nil {
		next = http.DefaultTransport
	}
	return &apiTransport{base: base, next: next, limiter: rate.NewLimiter(globalRate, 5), limited: limited}
}

func (t *apiTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	rest, ok := "", isDiscordHost(req.URL.Hostname())
	if ok {
		rest, ok = stripAPIPrefix(req.URL.EscapedPath())
	}
	if !ok {
		return t.next.RoundTrip(req)
	}
	out := req.Clone(req.Context())
	escaped := strings.TrimRight(t.base.EscapedPath(), "/") + rest
	path, err := url.PathUnescape(escaped)
	if err != nil {
		closeBody(req)
		return nil, err
	}
	out.URL.Scheme, out.URL.Host, out.Host = t.base.Scheme, t.base.Host, t.base.Host
	out.URL.Path, out.URL.RawPath = path, escaped
	if !globalExempt(rest) {
		if err := t.limiter.Wait(req.Context()); err != nil {
			closeBody(req)
			return nil, err
		}
	}
	resp, err := t.next.RoundTrip(out)
	if err == nil && resp.StatusCode == http.StatusTooManyRequests && t.limited != nil {
		t.limited()
	}
	return resp, err
}

func closeBody(req *http.Request) {
	if req.Body != nil {
		req.Body.Close()
	}
}

// isDiscordHost reports the hosts discordgo sends API requests to.
func isDiscordHost(host string) bool {
	switch strings.ToLower(host) {
	case "discord.com", "discordapp.com", "canary.discord.com", "ptb.discord.com":
		return true
	}
	return false
}

// stripAPIPrefix removes "/api" and an optional "/vN" from an API path:
// "/api/v9/channels/1/messages" gives "/channels/1/messages".
func stripAPIPrefix(p string) (string, bool) {
	rest, ok := strings.CutPrefix(p, "/api")
	if !ok {
		return "", false
	}
	if strings.HasPrefix(rest, "/v") {
		i := 2
		for i < len(rest) && rest[i] >= '0' && rest[i] <= '9' {
			i++
		}
		if i > 2 && (i == len(rest) || rest[i] == '/') {
			rest = rest[i:]
		}
	}
	if rest != "" && rest[0] != '/' {
		return "", false // "/apix": not the API
	}
	return rest, true
}

// globalExempt reports the routes Discord's global rate limit does not
// cover: interaction callbacks and webhook-token routes (followups and
// edits of interaction responses).
func globalExempt(rest string) bool {
	if strings.HasPrefix(rest, "/interactions/") {
		return true
	}
	if tail, ok := strings.CutPrefix(rest, "/webhooks/"); ok {
		return strings.Count(strings.TrimRight(tail, "/"), "/") >= 1 // {id}/{token}...
	}
	return false
}
