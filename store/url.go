package store

import (
	"fmt"
	"net"
	"net/url"
	"sort"
	"strings"
)

// MaxURLLength is the longest URL CanonicalURL accepts. Real article URLs
// are far shorter; anything longer is junk or an attack on memory.
const MaxURLLength = 8192

// trackingParams are query parameters that only say how a reader reached a
// page (campaign tags, click ids), never which page it is. They are compared
// lower-cased. Parameters starting with "utm_" are dropped too.
var trackingParams = map[string]bool{
	"fbclid": true, "gclid": true, "dclid": true, "gbraid": true, "wbraid": true,
	"msclkid": true, "yclid": true, "twclid": true, "ttclid": true, "li_fat_id": true,
	"igshid": true, "igsh": true, "mc_cid": true, "mc_eid": true,
	"_ga": true, "_gl": true, "_hsenc": true, "_hsmi": true, "__hstc": true, "__hssc": true, "__hsfp": true,
	"hsctatracking": true, "mkt_tok": true, "oly_anon_id": true, "oly_enc_id": true,
	"vero_conv": true, "vero_id": true, "wickedid": true, "rb_clickid": true, "s_kwcid": true,
	"ref_src": true, "ref_url": true, "cmpid": true, "ncid": true, "sr_share": true,
	"at_medium": true, "at_campaign": true, "at_link": true, "at_link_id": true, "at_link_type": true,
	"at_link_origin": true, "at_ptr_name": true, "at_bbc_team": true, "at_format": true,
	"at_custom1": true, "at_custom2": true, "at_custom3": true, "at_custom4": true,
}

// IsTrackingParam reports whether the query parameter named key only tracks
// the reader and is dropped by CanonicalURL.
func IsTrackingParam(key string) bool {
	k := strings.ToLower(key)
	return strings.HasPrefix(k, "utm_") || trackingParams[k]
}

// CanonicalURL returns the form of an article URL under which the store
// keeps it, so that the same page reached through different links is stored
// once. The rules:
//
//   - only absolute http and https URLs with a host are accepted; anything
//     else (and anything longer than MaxURLLength) gives an error wrapping
//     ErrInvalid;
//   - scheme and host are lower-cased, user info is dropped, and the port is
//     dropped when it is the scheme's default (80, 443) or empty;
//   - the fragment is dropped;
//   - tracking query parameters (see IsTrackingParam) and empty ones are
//     dropped, the rest are sorted (by the whole "key=value" text, so the
//     order of repeated keys does not matter either), and a query left empty
//     loses its "?";
//   - characters that may not appear raw in a query are percent-encoded, and
//     a "%" that does not start an escape becomes "%25";
//   - an empty path becomes "/" (so "http://x.com" and "http://x.com/" are
//     one URL); any other path is kept exactly, trailing slash included,
//     because servers may treat "/a" and "/a/" as different pages.
//
// CanonicalURL is idempotent: CanonicalURL(CanonicalURL(u)) == CanonicalURL(u).
func CanonicalURL(raw string) (string, error) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return "", fmt.Errorf("store: canonical url: empty: %w", ErrInvalid)
	}
	if len(raw) > MaxURLLength {
		return "", fmt.Errorf("store: canonical url: longer than %d bytes: %w", MaxURLLength, ErrInvalid)
	}
	u, err := url.Parse(raw)
	if err != nil {
		return "", fmt.Errorf("store: canonical url: %v: %w", err, ErrInvalid)
	}
	scheme := strings.ToLower(u.Scheme)
	if scheme != "http" && scheme != "https" {
		return "", fmt.Errorf("store: canonical url %q: scheme must be http or https: %w", shorten(raw), ErrInvalid)
	}
	if u.Opaque != "" {
		return "", fmt.Errorf("store: canonical url %q: not a hierarchical url: %w", shorten(raw), ErrInvalid)
	}
	host := strings.ToLower(u.Hostname())
	if host == "" {
		return "", fmt.Errorf("store: canonical url %q: no host: %w", shorten(raw), ErrInvalid)
	}
	port := u.Port()
	if (scheme == "http" && port == "80") || (scheme == "https" && port == "443") {
		port = ""
	}
	if port != "" {
		host = net.JoinHostPort(host, port) // brackets an IPv6 literal
	} else if strings.Contains(host, ":") {
		host = "[" + host + "]"
	}

	out := url.URL{Scheme: scheme, Host: host, Path: u.Path, RawPath: u.RawPath}
	if out.Path == "" {
		out.Path, out.RawPath = "/", ""
	}
	out.RawQuery = canonicalQuery(u.RawQuery)
	s := out.String()
	// url.URL.String writes a path without a leading slash as is; make sure
	// what we return reads back as the same URL.
	if _, err := url.Parse(s); err != nil {
		return "", fmt.Errorf("store: canonical url %q: %v: %w", shorten(raw), err, ErrInvalid)
	}
	return s, nil
}

// canonicalQuery drops tracking and empty parameters from a raw query,
// escapes what must be escaped and sorts the rest.
func canonicalQuery(raw string) string {
	if raw == "" {
		return ""
	}
	var kept []string
	for _, part := range strings.Split(raw, "&") {
		key, _, _ := strings.Cut(part, "=")
		if key == "" {
			continue
		}
		if k, err := url.QueryUnescape(key); err == nil {
			key = k
		}
		if IsTrackingParam(key) {
			continue
		}
		kept = append(kept, escapeQueryPart(part))
	}
	sort.Strings(kept)
	return strings.Join(kept, "&")
}

// escapeQueryPart percent-encodes the bytes of one "key=value" pair that may
// not appear raw in a URL query, and a "%" that does not begin a valid
// escape. Valid escapes are kept as they are, so the result is stable.
func escapeQueryPart(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '%':
			if i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]) {
				b.WriteByte(c)
			} else {
				b.WriteString("%25")
			}
		case queryByteOK(c):
			b.WriteByte(c)
		default:
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}

// queryByteOK reports whether c may appear raw in a query (RFC 3986
// unreserved, sub-delims other than "&", and ":@/?").
func queryByteOK(c byte) bool {
	switch {
	case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		return true
	}
	return strings.IndexByte("-._~!$'()*+,;=:@/?", c) >= 0
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// shorten keeps error messages about hostile input short.
func shorten(s string) string {
	const max = 200
	if len(s) <= max {
		return s
	}
	return s[:max] + "..."
}
