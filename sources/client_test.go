package sources

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func TestIsPublicAddr(t *testing.T) {
	tests := []struct {
		addr string
		want bool
	}{
		{"8.8.8.8", true},
		{"1.1.1.1", true},
		{"172.15.255.255", true},
		{"172.32.0.1", true},
		{"100.63.255.255", true},
		{"100.128.0.1", true},
		{"2606:4700:4700::1111", true},
		{"64:ff9b::808:808", true}, // NAT64 of 8.8.8.8
		{"0.0.0.0", false},
		{"10.0.0.1", false},
		{"10.255.255.255", false},
		{"100.64.0.1", false},
		{"127.0.0.1", false},
		{"127.8.9.10", false},
		{"169.254.169.254", false}, // cloud metadata
		{"172.16.0.1", false},
		{"172.31.255.254", false},
		{"192.168.1.1", false},
		{"224.0.0.251", false},
		{"239.255.255.250", false},
		{"255.255.255.255", false},
		{"::", false},
		{"::1", false},
		{"fc00::1", false},
		{"fd12:3456::1", false},
		{"fe80::1", false},
		{"fe80::1%eth0", false},
		{"ff02::1", false},
		{"::ffff:127.0.0.1", false},
		{"::ffff:10.1.2.3", false},
		{"::ffff:169.254.169.254", false},
		{"::127.0.0.1", false},       // IPv4-compatible
		{"64:ff9b::a00:1", false},    // NAT64 of 10.0.0.1
		{"2002:7f00:1::1", false},    // 6to4 of 127.0.0.1
		{"2002:a9fe:a9fe::1", false}, // 6to4 of 169.254.169.254
	}
	for _, tt := range tests {
		if got := IsPublicAddr(netip.MustParseAddr(tt.addr)); got != tt.want {
			t.Errorf("IsPublicAddr(%s) = %v, want %v", tt.addr, got, tt.want)
		}
	}
	if IsPublicAddr(netip.Addr{}) {
		t.Error("the zero Addr is public")
	}
}

func TestGuardAllowList(t *testing.T) {
	g := guard{allow: []netip.Prefix{netip.MustParsePrefix("10.1.2.3/32")}}
	tests := []struct {
		address string
		ok      bool
	}{
		{"10.1.2.3:80", true},
		{"[::ffff:10.1.2.3]:80", true},
		{"10.1.2.4:80", false},
		{"93.184.215.14:443", true},
		{"[::1]:80", false},
		{"not-an-address", false},
	}
	for _, tt := range tests {
		err := g.control("tcp", tt.address, nil)
		if (err == nil) != tt.ok {
			t.Errorf("control(%s) = %v, want ok=%v", tt.address, err, tt.ok)
		}
		if err != nil && !errors.Is(err, ErrBlockedAddress) {
			t.Errorf("control(%s) error %v is not ErrBlockedAddress", tt.address, err)
		}
	}
}

// testClient allows the loopback test servers and keeps timeouts short.
func testClient(opts ClientOptions) *Client {
	opts.AllowPrivate = true
	if opts.Timeout == 0 {
		opts.Timeout = 5 * time.Second
	}
	return NewClient(opts)
}

func TestClientRefusesLoopbackByDefault(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { hits.Add(1) }))
	defer srv.Close()
	_, err := NewClient(ClientOptions{}).Fetch(context.Background(), Request{URL: srv.URL + "/feed"})
	if !errors.Is(err, ErrBlockedAddress) {
		t.Fatalf("err = %v, want ErrBlockedAddress", err)
	}
	if !strings.Contains(err.Error(), "127.0.0.1 is not a public address") {
		t.Errorf("message %q does not say why", err)
	}
	if hits.Load() != 0 {
		t.Error("the server was reached")
	}
}

// TestClientRefusesRedirectToPrivate lets the client reach the test server
// (127.0.0.1 only) and has it redirect elsewhere on the loopback network.
// The guard runs before connect(2), so nothing is sent to 127.0.0.2.
func TestClientRefusesRedirectToPrivate(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		port := strings.TrimPrefix(r.Host[strings.LastIndexByte(r.Host, ':'):], ":")
		switch r.URL.Path {
		case "/to-127.0.0.2":
			http.Redirect(w, r, "http://127.0.0.2:"+port+"/feed", http.StatusFound)
		case "/to-mapped":
			http.Redirect(w, r, "http://[::ffff:127.0.0.3]:"+port+"/feed", http.StatusMovedPermanently)
		case "/to-metadata":
			http.Redirect(w, r, "http://169.254.169.254/latest/meta-data/", http.StatusFound)
		case "/to-file":
			http.Redirect(w, r, "file:///etc/passwd", http.StatusFound)
		default:
			io.WriteString(w, "ok")
		}
	}))
	defer srv.Close()
	c := NewClient(ClientOptions{
		AllowNetworks: []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")},
		Timeout:       5 * time.Second,
	})
	ctx := context.Background()
	if _, err := c.Fetch(ctx, Request{URL: srv.URL + "/ok"}); err != nil {
		t.Fatalf("allowed address refused: %v", err)
	}
	for _, path := range []string{"/to-127.0.0.2", "/to-mapped", "/to-metadata"} {
		_, err := c.Fetch(ctx, Request{URL: srv.URL + path})
		if !errors.Is(err, ErrBlockedAddress) {
			t.Errorf("%s: err = %v, want ErrBlockedAddress", path, err)
		} else {
			t.Log(err)
		}
	}
	if _, err := c.Fetch(ctx, Request{URL: srv.URL + "/to-file"}); !errors.Is(err, ErrScheme) {
		t.Errorf("redirect to file: err = %v, want ErrScheme", err)
	}
	for _, u := range []string{"file:///etc/passwd", "ftp://example.com/feed", "gopher://x", "//no-scheme", "http:///nohost"} {
		if _, err := c.Fetch(ctx, Request{URL: u}); err == nil {
			t.Errorf("Fetch(%q) succeeded", u)
		}
	}
}

func TestClientRedirects(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var n int
		fmt.Sscanf(r.URL.Path, "/chain/%d", &n)
		switch {
		case r.URL.Path == "/loop/a":
			http.Redirect(w, r, "/loop/b", http.StatusFound)
		case r.URL.Path == "/loop/b":
			http.Redirect(w, r, "/loop/a", http.StatusFound)
		case r.URL.Path == "/self":
			http.Redirect(w, r, "/self", http.StatusMovedPermanently)
		case n > 0:
			http.Redirect(w, r, fmt.Sprintf("/chain/%d", n-1), http.StatusFound)
		default:
			io.WriteString(w, "arrived at "+r.URL.Path)
		}
	}))
	defer srv.Close()
	c := testClient(ClientOptions{})
	ctx := context.Background()

	resp, err := c.Fetch(ctx, Request{URL: srv.URL + "/chain/5"})
	if err != nil {
		t.Fatalf("5 redirects: %v", err)
	}
	if string(resp.Body) != "arrived at /chain/0" || resp.URL != srv.URL+"/chain/0" {
		t.Errorf("got %q at %s", resp.Body, resp.URL)
	}
	if _, err := c.Fetch(ctx, Request{URL: srv.URL + "/chain/6"}); !errors.Is(err, ErrTooManyRedirects) {
		t.Errorf("6 redirects: err = %v, want ErrTooManyRedirects", err)
	}
	for _, p := range []string{"/loop/a", "/self"} {
		_, err := c.Fetch(ctx, Request{URL: srv.URL + p})
		if !errors.Is(err, ErrRedirectLoop) {
			t.Errorf("%s: err = %v, want ErrRedirectLoop", p, err)
		} else {
			t.Log(err)
		}
	}
	if _, err := testClient(ClientOptions{MaxRedirects: -1}).Fetch(ctx, Request{URL: srv.URL + "/chain/1"}); !errors.Is(err, ErrTooManyRedirects) {
		t.Errorf("no redirects allowed: err = %v", err)
	}
}

// zeros is an endless stream of zero bytes, for large bodies without
// large allocations.
type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

// letters is an endless stream of "a".
type letters struct{}

func (letters) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = 'a'
	}
	return len(p), nil
}

func TestClientSizeCaps(t *testing.T) {
	// A gzip bomb: 64 MiB of zeros compressed to about 64 KiB.
	var bomb bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&bomb, gzip.BestCompression)
	if _, err := io.CopyN(zw, zeros{}, 64<<20); err != nil {
		t.Fatal(err)
	}
	zw.Close()

	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/huge": // 50 MiB, streamed, no Content-Length
			io.CopyN(w, zeros{}, 50<<20)
		case "/huge-declared":
			w.Header().Set("Content-Length", fmt.Sprint(50<<20))
			io.CopyN(w, zeros{}, 50<<20)
		case "/bomb":
			w.Header().Set("Content-Encoding", "gzip")
			w.Write(bomb.Bytes())
		case "/gzip":
			w.Header().Set("Content-Encoding", "gzip")
			zw := gzip.NewWriter(w)
			io.WriteString(zw, "small and compressed")
			zw.Close()
		case "/brotli":
			w.Header().Set("Content-Encoding", "br")
			io.WriteString(w, "\x0b\x02\x80hello\x03")
		case "/exact":
			io.CopyN(w, zeros{}, 1<<20)
		}
	}))
	defer srv.Close()
	c := testClient(ClientOptions{})
	ctx := context.Background()
	for _, p := range []string{"/huge", "/huge-declared", "/bomb"} {
		start := time.Now()
		_, err := c.Fetch(ctx, Request{URL: srv.URL + p})
		if !errors.Is(err, ErrTooLarge) {
			t.Errorf("%s: err = %v, want ErrTooLarge", p, err)
			continue
		}
		if !strings.Contains(err.Error(), "over 10 MiB") {
			t.Errorf("%s: message %q does not give the cap", p, err)
		}
		t.Logf("%s: %v in %v", p, err, time.Since(start).Round(time.Millisecond))
	}
	resp, err := c.Fetch(ctx, Request{URL: srv.URL + "/gzip"})
	if err != nil || string(resp.Body) != "small and compressed" {
		t.Errorf("gzip: %q, %v", resp.Body, err)
	}
	if _, err := c.Fetch(ctx, Request{URL: srv.URL + "/brotli"}); !errors.Is(err, ErrUnsupported) {
		t.Errorf("brotli: err = %v, want ErrUnsupported", err)
	}
	small := testClient(ClientOptions{MaxBytes: 1 << 20})
	if _, err := small.Fetch(ctx, Request{URL: srv.URL + "/exact"}); err != nil {
		t.Errorf("a body of exactly MaxBytes: %v", err)
	}
	if _, err := small.Fetch(ctx, Request{URL: srv.URL + "/gzip"}); err != nil {
		t.Errorf("small gzip under a small cap: %v", err)
	}
}

func TestClientTimeouts(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/silent": // never answers
			select {
			case <-r.Context().Done():
			case <-release:
			}
		case "/drip": // headers, then a body that never ends
			w.WriteHeader(http.StatusOK)
			for {
				if _, err := io.WriteString(w, "x"); err != nil {
					return
				}
				w.(http.Flusher).Flush()
				select {
				case <-r.Context().Done():
					return
				case <-release:
					return
				case <-time.After(50 * time.Millisecond):
				}
			}
		}
	}))
	defer srv.Close()
	defer close(release)
	c := testClient(ClientOptions{HeaderTimeout: 200 * time.Millisecond, Timeout: 600 * time.Millisecond})
	ctx := context.Background()

	start := time.Now()
	_, err := c.Fetch(ctx, Request{URL: srv.URL + "/silent"})
	if err == nil || !strings.Contains(err.Error(), "timeout") {
		t.Errorf("silent server: err = %v, want a timeout", err)
	}
	t.Logf("silent: %v after %v", err, time.Since(start).Round(time.Millisecond))

	start = time.Now()
	_, err = c.Fetch(ctx, Request{URL: srv.URL + "/drip"})
	if err == nil || !strings.Contains(err.Error(), "timed out after 600ms") {
		t.Errorf("dripping server: err = %v, want the overall deadline", err)
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("dripping server held the fetch for %v", d)
	}
	t.Logf("drip: %v", err)
}

func TestClientHTTPErrors(t *testing.T) {
	date := time.Now().Add(90 * time.Second).UTC().Format(http.TimeFormat)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/429":
			w.Header().Set("Retry-After", "120")
			w.WriteHeader(http.StatusTooManyRequests)
		case "/503":
			w.Header().Set("Retry-After", date)
			w.WriteHeader(http.StatusServiceUnavailable)
		case "/moved-gone":
			http.Redirect(w, r, "/410", http.StatusFound)
		default:
			var code int
			fmt.Sscanf(r.URL.Path, "/%d", &code)
			w.WriteHeader(code)
		}
	}))
	defer srv.Close()
	c := testClient(ClientOptions{})
	tests := []struct {
		path     string
		status   int
		message  string
		retryMin time.Duration
		retryMax time.Duration
	}{
		{"/403", 403, "sources: fetch " + srv.URL + "/403: HTTP 403 Forbidden", 0, 0},
		{"/404", 404, "HTTP 404 Not Found", 0, 0},
		{"/410", 410, "HTTP 410 Gone", 0, 0},
		{"/500", 500, "HTTP 500 Internal Server Error", 0, 0},
		{"/429", 429, "HTTP 429 Too Many Requests (retry after 2m0s)", 2 * time.Minute, 2 * time.Minute},
		{"/503", 503, "HTTP 503 Service Unavailable", 80 * time.Second, 91 * time.Second},
		{"/moved-gone", 410, "at " + srv.URL + "/410: HTTP 410 Gone", 0, 0},
	}
	for _, tt := range tests {
		_, err := c.Fetch(context.Background(), Request{URL: srv.URL + tt.path})
		var he *HTTPError
		if !errors.As(err, &he) {
			t.Errorf("%s: err = %v, want *HTTPError", tt.path, err)
			continue
		}
		if he.Status != tt.status || !strings.Contains(err.Error(), tt.message) {
			t.Errorf("%s: %v (status %d), want status %d and %q", tt.path, err, he.Status, tt.status, tt.message)
		}
		if ra := RetryAfter(err); ra < tt.retryMin || ra > tt.retryMax {
			t.Errorf("%s: RetryAfter = %v, want %v..%v", tt.path, ra, tt.retryMin, tt.retryMax)
		}
	}
}

func TestClientHeaders(t *testing.T) {
	var got http.Header
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = r.Header.Clone()
		if r.Header.Get("If-None-Match") == `"v1"` {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("ETag", `"v1"`)
		io.WriteString(w, "body")
	}))
	defer srv.Close()
	c := testClient(ClientOptions{})
	resp, err := c.Fetch(context.Background(), Request{URL: srv.URL, Accept: "application/rss+xml"})
	if err != nil {
		t.Fatal(err)
	}
	if ua := got.Get("User-Agent"); ua != "newsdigest/"+Version+" (+https://github.com/newsdigest/newsdigest)" {
		t.Errorf("User-Agent = %q", ua)
	}
	if got.Get("Accept") != "application/rss+xml" || got.Get("Accept-Encoding") != "gzip" {
		t.Errorf("headers: %v", got)
	}
	resp, err = c.Fetch(context.Background(), Request{URL: srv.URL, ETag: resp.Header.Get("ETag"), LastModified: "Tue, 04 Mar 2025 09:30:00 GMT"})
	if err != nil || !resp.NotModified() {
		t.Fatalf("conditional GET: %v, %+v", err, resp)
	}
	if got.Get("If-Modified-Since") != "Tue, 04 Mar 2025 09:30:00 GMT" {
		t.Errorf("If-Modified-Since = %q", got.Get("If-Modified-Since"))
	}
}

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2025, 3, 4, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		v    string
		want time.Duration
	}{
		{"", 0},
		{"0", 0},
		{"-5", 0},
		{"30", 30 * time.Second},
		{" 3600 ", time.Hour},
		{"Tue, 04 Mar 2025 12:10:00 GMT", 10 * time.Minute},
		{"Tuesday, 04-Mar-25 12:00:30 GMT", 30 * time.Second}, // RFC 850
		{"Tue Mar  4 13:00:00 2025", time.Hour},               // asctime
		{"Tue, 04 Mar 2025 11:00:00 GMT", 0},                  // past
		{"soon", 0},
		{"99999999999999999999", 0},
		{"999999999", 365 * 24 * time.Hour},
	}
	for _, tt := range tests {
		if got := parseRetryAfter(tt.v, now); got != tt.want {
			t.Errorf("parseRetryAfter(%q) = %v, want %v", tt.v, got, tt.want)
		}
	}
}
