package store

import (
	"errors"
	"net/url"
	"strings"
	"testing"
)

func TestCanonicalURL(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"already canonical", "https://example.com/news/a", "https://example.com/news/a"},
		{"surrounding space", "  https://example.com/a\n", "https://example.com/a"},
		{"scheme and host case", "HTTPS://Example.COM/News/A", "https://example.com/News/A"},
		{"http default port", "http://example.com:80/a", "http://example.com/a"},
		{"https default port", "https://example.com:443/a", "https://example.com/a"},
		{"empty port", "https://example.com:/a", "https://example.com/a"},
		{"other port kept", "https://example.com:8443/a", "https://example.com:8443/a"},
		{"http port 443 kept", "http://example.com:443/a", "http://example.com:443/a"},
		{"fragment dropped", "https://example.com/a#comments", "https://example.com/a"},
		{"userinfo dropped", "https://user:pass@example.com/a", "https://example.com/a"},
		{"root gets slash", "https://example.com", "https://example.com/"},
		{"root slash kept", "https://example.com/", "https://example.com/"},
		{"root with query", "https://example.com?b=2&a=1", "https://example.com/?a=1&b=2"},
		{"trailing slash kept", "https://example.com/a/", "https://example.com/a/"},
		{"utm dropped", "https://example.com/a?utm_source=rss&utm_medium=feed&UTM_Campaign=x", "https://example.com/a"},
		{"click ids dropped", "https://example.com/a?fbclid=1&gclid=2&yclid=3&igshid=4&mc_cid=5&mc_eid=6&_ga=7&ref_src=8", "https://example.com/a"},
		{"bbc tags dropped", "https://example.com/a?at_medium=RSS&at_campaign=rss", "https://example.com/a"},
		{"params sorted", "https://example.com/a?z=1&a=2&m=3", "https://example.com/a?a=2&m=3&z=1"},
		{"repeated keys sorted", "https://example.com/a?id=2&id=1", "https://example.com/a?id=1&id=2"},
		{"tracking among real", "https://example.com/a?id=7&utm_source=x&page=2", "https://example.com/a?id=7&page=2"},
		{"empty query", "https://example.com/a?", "https://example.com/a"},
		{"empty params", "https://example.com/a?&&id=1&", "https://example.com/a?id=1"},
		{"empty key", "https://example.com/a?=x&id=1", "https://example.com/a?id=1"},
		{"ref kept", "https://example.com/a?ref=main", "https://example.com/a?ref=main"},
		{"key without value", "https://example.com/a?amp", "https://example.com/a?amp"},
		{"semicolon kept", "https://example.com/a?x=1;y=2", "https://example.com/a?x=1;y=2"},
		{"escaped tracking key", "https://example.com/a?utm%5Fsource=x&id=1", "https://example.com/a?id=1"},
		{"query space escaped", "https://example.com/a?q=a b", "https://example.com/a?q=a%20b"},
		{"bad escape fixed", "https://example.com/a?q=100%", "https://example.com/a?q=100%25"},
		{"good escape kept", "https://example.com/a?q=%D0%BC%D0%B8%D1%80", "https://example.com/a?q=%D0%BC%D0%B8%D1%80"},
		{"unicode path escaped", "https://example.com/новости/1", "https://example.com/%D0%BD%D0%BE%D0%B2%D0%BE%D1%81%D1%82%D0%B8/1"},
		{"escaped path kept", "https://example.com/a%2Fb", "https://example.com/a%2Fb"},
		{"ipv6 host", "http://[2001:DB8::1]:80/a", "http://[2001:db8::1]/a"},
		{"ipv6 host with port", "http://[2001:db8::1]:8080/a", "http://[2001:db8::1]:8080/a"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := CanonicalURL(tt.in)
			if err != nil {
				t.Fatalf("CanonicalURL(%q): %v", tt.in, err)
			}
			if got != tt.want {
				t.Errorf("CanonicalURL(%q) = %q, want %q", tt.in, got, tt.want)
			}
			again, err := CanonicalURL(got)
			if err != nil || again != got {
				t.Errorf("CanonicalURL(%q) = %q, %v; not idempotent", got, again, err)
			}
		})
	}
}

func TestCanonicalURLInvalid(t *testing.T) {
	tests := []struct{ name, in string }{
		{"empty", ""},
		{"spaces", "   "},
		{"relative", "/news/a"},
		{"no scheme", "example.com/a"},
		{"ftp", "ftp://example.com/a"},
		{"javascript", "javascript:alert(1)"},
		{"mailto", "mailto:a@example.com"},
		{"file", "file:///etc/passwd"},
		{"opaque http", "http:example.com"},
		{"no host", "https:///a"},
		{"only userinfo", "https://user@/a"},
		{"control char", "https://example.com/\x00"},
		{"bad port", "https://example.com:port/a"},
		{"bad escape in host", "https://exa%zzmple.com/"},
		{"huge", "https://example.com/" + strings.Repeat("a", MaxURLLength)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := CanonicalURL(tt.in)
			if err == nil {
				t.Fatalf("CanonicalURL(%q) = %q, want an error", tt.in, got)
			}
			if !errors.Is(err, ErrInvalid) {
				t.Errorf("CanonicalURL(%q) error %v does not wrap ErrInvalid", tt.in, err)
			}
		})
	}
}

func TestIsTrackingParam(t *testing.T) {
	for _, k := range []string{"utm_source", "UTM_MEDIUM", "utm_", "fbclid", "GCLID", "_ga", "mc_eid"} {
		if !IsTrackingParam(k) {
			t.Errorf("IsTrackingParam(%q) = false, want true", k)
		}
	}
	for _, k := range []string{"id", "page", "ref", "q", "utm", "source", "ga"} {
		if IsTrackingParam(k) {
			t.Errorf("IsTrackingParam(%q) = true, want false", k)
		}
	}
}

func FuzzCanonicalURL(f *testing.F) {
	for _, s := range []string{
		"https://example.com/a?utm_source=x&b=2&a=1#frag",
		"HTTP://User:Pw@Example.com:80",
		"http://[::1]:443/%zz?%",
		"https://example.com/a%2Fb/?q=a b&&=x;y",
		"https://xn--e1afmkfd.xn--p1ai/новости?q=мир",
		"http://[fe80::1%25en0]:8080/",
		"https://example.com/../a/./b//c",
		"https://example.com/a?q=%",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		c, err := CanonicalURL(in)
		if err != nil {
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("CanonicalURL(%q): error %v does not wrap ErrInvalid", in, err)
			}
			return
		}
		u, err := url.Parse(c)
		if err != nil {
			t.Fatalf("CanonicalURL(%q) = %q, which does not parse: %v", in, c, err)
		}
		if u.Scheme != "http" && u.Scheme != "https" || u.Host == "" || u.Fragment != "" || u.User != nil {
			t.Fatalf("CanonicalURL(%q) = %q: not an absolute http(s) URL without fragment and user", in, c)
		}
		again, err := CanonicalURL(c)
		if err != nil {
			t.Fatalf("CanonicalURL(%q) = %q, which it rejects: %v", in, c, err)
		}
		if again != c {
			t.Fatalf("not idempotent: CanonicalURL(%q) = %q, CanonicalURL(%q) = %q", in, c, c, again)
		}
	})
}
