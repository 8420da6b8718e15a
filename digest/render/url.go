package render

import (
	"fmt"
	"net/url"
	"strings"
)

// maxURL bounds a link's length; longer ones are dropped (the outlet's name
// still shows). Browsers and both platforms cope with 2048.
const maxURL = 2048

// safeURL returns raw as an absolute http or https URL that is safe to
// place in a Markdown link target or an HTML attribute, or "" when it is
// anything else: another scheme (javascript:, data:, tg:), no host, a
// user name in it ("https://bank.com@evil.example"), a host that is not
// plain ASCII, or too long. Characters that could end or confuse a link
// target (spaces, brackets, parentheses, quotes, backslashes, "@") are
// percent-encoded, which leaves the address it names unchanged.
func safeURL(raw string) string {
	raw = strings.TrimSpace(raw)
	if raw == "" || len(raw) > maxURL {
		return ""
	}
	u, err := url.Parse(raw)
	if err != nil || u.User != nil || u.Opaque != "" {
		return ""
	}
	scheme := strings.ToLower(u.Scheme)
	if scheme != "http" && scheme != "https" {
		return ""
	}
	if !plainHost(u.Host) {
		return ""
	}
	host := strings.ToLower(u.Host)
	rest := u.EscapedPath()
	if u.RawQuery != "" || u.ForceQuery {
		rest += "?" + u.RawQuery
	}
	if u.Fragment != "" {
		rest += "#" + u.EscapedFragment()
	}
	var b strings.Builder
	b.WriteString(scheme + "://" + host)
	for i := 0; i < len(rest); i++ {
		c := rest[i]
		if c <= ' ' || c >= 0x7f || strings.IndexByte(`()[]<>"'`+"`"+`\|^{}@`, c) >= 0 {
			fmt.Fprintf(&b, "%%%02X", c)
			continue
		}
		b.WriteByte(c)
	}
	if b.Len() > maxURL {
		return ""
	}
	return b.String()
}

// plainHost accepts "example.com" and "example.com:8080": ASCII letters,
// digits, dots and hyphens, with an optional numeric port.
func plainHost(h string) bool {
	name, port, hasPort := strings.Cut(h, ":")
	if name == "" || (hasPort && port == "") {
		return false
	}
	for _, c := range []byte(name) {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '-') {
			return false
		}
	}
	for _, c := range []byte(port) {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// hostOf is the host of a safe URL, for a link with no outlet name.
func hostOf(safe string) string {
	if safe == "" {
		return ""
	}
	u, err := url.Parse(safe)
	if err != nil {
		return ""
	}
	return u.Hostname()
}
