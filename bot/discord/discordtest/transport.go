package discordtest

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// discordHosts are the hosts whose /api/ paths the redirecting transport
// sends to the fake.
var discordHosts = map[string]bool{
	"discord.com":        true,
	"discordapp.com":     true,
	"canary.discord.com": true,
	"ptb.discord.com":    true,
}

// redirect is an http.RoundTripper that sends requests for Discord's API to
// the fake and refuses everything else.
type redirect struct {
	target *url.URL
	base   http.RoundTripper
}

// RoundTrip swaps scheme and host for the fake's, keeping the path
// (/api/v9/...), query, headers and body.
func (t *redirect) RoundTrip(req *http.Request) (*http.Response, error) {
	host := strings.ToLower(req.URL.Hostname())
	if !discordHosts[host] || !strings.HasPrefix(req.URL.Path, "/api/") {
		if req.Body != nil {
			req.Body.Close()
		}
		return nil, fmt.Errorf("discordtest: refusing %s %s: only https://discord.com/api/... goes to the fake", req.Method, req.URL.Redacted())
	}
	out := req.Clone(req.Context())
	out.URL.Scheme = t.target.Scheme
	out.URL.Host = t.target.Host
	out.Host = t.target.Host
	return t.base.RoundTrip(out)
}

// Transport returns an http.RoundTripper that rewrites requests for
// https://discord.com/api/... (and discordapp.com, canary, ptb) to the fake
// and refuses requests to any other host.
func (s *Server) Transport() http.RoundTripper {
	target, err := url.Parse(s.http.URL)
	if err != nil {
		panic("discordtest: bad server URL: " + err.Error())
	}
	return &redirect{target: target, base: s.transport}
}

// Client returns an *http.Client for discordgo's Session.Client: it sends
// Discord API requests to the fake. Its 20s timeout matches discordgo's
// default client.
func (s *Server) Client() *http.Client {
	return &http.Client{Transport: s.Transport(), Timeout: 20 * time.Second}
}
