package sources

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"time"
)

// Defaults for ClientOptions fields left zero.
const (
	DefaultMaxBytes       = 10 << 20 // 10 MiB, after decompression
	DefaultMaxRedirects   = 5
	DefaultConnectTimeout = 10 * time.Second
	DefaultTLSTimeout     = 10 * time.Second
	DefaultHeaderTimeout  = 20 * time.Second
	DefaultFetchTimeout   = 60 * time.Second
)

// ClientOptions configure a Client. The zero value is the safe default.
type ClientOptions struct {
	// AllowPrivate lets fetches reach loopback, private, link-local and
	// other non-public addresses. Off by default: a feed URL must not be a
	// way into the local network.
	AllowPrivate bool
	// AllowNetworks lists networks reachable even when AllowPrivate is off,
	// for an intranet feed server (say 10.1.2.3/32).
	AllowNetworks []netip.Prefix
	// MaxBytes caps a response body after decompression; 0 means
	// DefaultMaxBytes.
	MaxBytes int64
	// MaxRedirects caps redirects followed per fetch; 0 means
	// DefaultMaxRedirects, negative means none.
	MaxRedirects int
	// Timeouts; 0 means the matching default. Timeout bounds a whole fetch,
	// body included.
	ConnectTimeout time.Duration
	TLSTimeout     time.Duration
	HeaderTimeout  time.Duration
	Timeout        time.Duration
	// UserAgent overrides the default honest User-Agent.
	UserAgent string
}

// Client fetches URLs over HTTP(S) safely: only http and https, no
// non-public addresses unless allowed (checked after DNS resolution, for
// every connection including redirects), bounded redirects, time and size.
// It is safe for concurrent use.
type Client struct {
	opts ClientOptions
	hc   *http.Client
}

// NewClient returns a Client with opts, zero fields set to the defaults.
func NewClient(opts ClientOptions) *Client {
	if opts.MaxBytes <= 0 {
		opts.MaxBytes = DefaultMaxBytes
	}
	if opts.MaxRedirects == 0 {
		opts.MaxRedirects = DefaultMaxRedirects
	} else if opts.MaxRedirects < 0 {
		opts.MaxRedirects = 0
	}
	if opts.ConnectTimeout <= 0 {
		opts.ConnectTimeout = DefaultConnectTimeout
	}
	if opts.TLSTimeout <= 0 {
		opts.TLSTimeout = DefaultTLSTimeout
	}
	if opts.HeaderTimeout <= 0 {
		opts.HeaderTimeout = DefaultHeaderTimeout
	}
	if opts.Timeout <= 0 {
		opts.Timeout = DefaultFetchTimeout
	}
	if opts.UserAgent == "" {
		opts.UserAgent = userAgent()
	}
	g := guard{allowPrivate: opts.AllowPrivate, allow: opts.AllowNetworks}
	dialer := &net.Dialer{
		Timeout:   opts.ConnectTimeout,
		KeepAlive: 30 * time.Second,
		Control:   g.control,
	}
	tr := &http.Transport{
		// No proxy: a proxy would connect on our behalf, out of the guard's
		// sight.
		Proxy:                  nil,
		DialContext:            dialer.DialContext,
		TLSClientConfig:        &tls.Config{MinVersion: tls.VersionTLS12},
		TLSHandshakeTimeout:    opts.TLSTimeout,
		ResponseHeaderTimeout:  opts.HeaderTimeout,
		ExpectContinueTimeout:  time.Second,
		MaxIdleConns:           100,
		MaxIdleConnsPerHost:    2,
		IdleConnTimeout:        90 * time.Second,
		MaxResponseHeaderBytes: 1 << 20,
		// Compression is handled in readBody, so that the size cap applies
		// to what the server's gzip stream expands to.
		DisableCompression: true,
		ForceAttemptHTTP2:  true,
	}
	c := &Client{opts: opts}
	c.hc = &http.Client{Transport: tr, CheckRedirect: c.checkRedirect}
	return c
}

// checkRedirect refuses other schemes, loops and long redirect chains.
func (c *Client) checkRedirect(req *http.Request, via []*http.Request) error {
	if req.URL.Scheme != "http" && req.URL.Scheme != "https" {
		return fmt.Errorf("%w (redirected to %s)", ErrScheme, redact(req.URL))
	}
	target := req.URL.String()
	for _, v := range via {
		if v.URL.String() == target {
			return fmt.Errorf("%w: %s redirects back to %s", ErrRedirectLoop, redact(via[len(via)-1].URL), redact(req.URL))
		}
	}
	if len(via) > c.opts.MaxRedirects {
		return fmt.Errorf("%w: more than %d", ErrTooManyRedirects, c.opts.MaxRedirects)
	}
	return nil
}

// Request is one GET.
type Request struct {
	URL string
	// Accept is the Accept header; empty sends "*/*".
	Accept string
	// ETag and LastModified make the request conditional; a 304 answer
	// gives a Response whose NotModified reports true.
	ETag         string
	LastModified string
}

// Response is a fetched document, body read in full and decompressed.
type Response struct {
	URL    string // after redirects
	Status int
	Header http.Header
	Body   []byte
}

// NotModified reports whether the server answered 304 to a conditional GET.
func (r *Response) NotModified() bool { return r.Status == http.StatusNotModified }

// ContentType returns the Content-Type header.
func (r *Response) ContentType() string { return r.Header.Get("Content-Type") }

// MaxBytes is the body size cap this client enforces.
func (c *Client) MaxBytes() int64 { return c.opts.MaxBytes }

// Fetch performs req. A status other than 2xx and 304 gives an *HTTPError;
// every error says which URL failed and why, prefixed "sources: fetch".
func (c *Client) Fetch(ctx context.Context, req Request) (*Response, error) {
	u, err := parseHTTPURL(req.URL)
	if err != nil {
		return nil, fmt.Errorf("sources: fetch %q: %w", req.URL, err)
	}
	shown := redact(u)
	resp, err := c.fetch(ctx, u, req)
	if err != nil {
		return nil, fmt.Errorf("sources: fetch %s: %w", shown, err)
	}
	return resp, nil
}

func (c *Client) fetch(ctx context.Context, u *url.URL, req Request) (*Response, error) {
	ctx, cancel := context.WithTimeout(ctx, c.opts.Timeout)
	defer cancel()
	hr, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, err
	}
	hr.Header.Set("User-Agent", c.opts.UserAgent)
	hr.Header.Set("Accept-Encoding", "gzip")
	accept := req.Accept
	if accept == "" {
		accept = "*/*"
	}
	hr.Header.Set("Accept", accept)
	if req.ETag != "" {
		hr.Header.Set("If-None-Match", req.ETag)
	}
	if req.LastModified != "" {
		hr.Header.Set("If-Modified-Since", req.LastModified)
	}
	hresp, err := c.hc.Do(hr)
	if err != nil {
		return nil, c.explain(ctx, err)
	}
	defer hresp.Body.Close()
	resp := &Response{URL: hresp.Request.URL.String(), Status: hresp.StatusCode, Header: hresp.Header}
	if hresp.StatusCode == http.StatusNotModified {
		return resp, nil
	}
	if hresp.StatusCode < 200 || hresp.StatusCode > 299 {
		he := &HTTPError{Status: hresp.StatusCode, RetryAfter: parseRetryAfter(hresp.Header.Get("Retry-After"), time.Now())}
		if final := hresp.Request.URL; final.String() != u.String() {
			return nil, fmt.Errorf("at %s: %w", redact(final), he)
		}
		return nil, he
	}
	resp.Body, err = readBody(hresp, c.opts.MaxBytes)
	if err != nil {
		return nil, c.explain(ctx, err)
	}
	return resp, nil
}

// explain turns transport errors into messages an operator understands:
// the url.Error wrapper repeats the URL, and a deadline says nothing of
// which limit it was.
func (c *Client) explain(ctx context.Context, err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	if ctx.Err() == context.DeadlineExceeded && !errors.Is(err, ErrTooLarge) {
		return fmt.Errorf("timed out after %s: %w", c.opts.Timeout, err)
	}
	return err
}

// parseHTTPURL accepts absolute http and https URLs with a host.
func parseHTTPURL(raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, err
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return nil, ErrScheme
	}
	if u.Host == "" {
		return nil, errors.New("URL has no host")
	}
	return u, nil
}

// redact shows a URL without its password, for logs and errors.
func redact(u *url.URL) string { return u.Redacted() }
