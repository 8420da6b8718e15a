package sources

import (
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
)

// readBody reads a response body, decompressing gzip, and stops at max
// bytes of decompressed data so that a small gzip bomb cannot expand into
// gigabytes of memory.
func readBody(resp *http.Response, max int64) ([]byte, error) {
	if resp.ContentLength > max {
		return nil, tooLarge("response body", max)
	}
	var r io.Reader = resp.Body
	switch enc := strings.ToLower(strings.TrimSpace(resp.Header.Get("Content-Encoding"))); enc {
	case "", "identity":
	case "gzip", "x-gzip":
		// The compressed stream is capped too: it is never larger than
		// what it expands to, except when it is hostile.
		zr, err := gzip.NewReader(&capReader{r: resp.Body, left: max, max: max, what: "compressed response body"})
		if err != nil {
			if err == io.EOF {
				return nil, nil
			}
			return nil, fmt.Errorf("gzip body: %w", err)
		}
		defer zr.Close()
		r = zr
	default:
		return nil, fmt.Errorf("content encoding %q: %w", enc, ErrUnsupported)
	}
	return readCapped(r, max, "response body")
}

// readCapped reads all of r, failing with ErrTooLarge beyond max bytes.
func readCapped(r io.Reader, max int64, what string) ([]byte, error) {
	data, err := io.ReadAll(&capReader{r: r, left: max, max: max, what: what})
	if errors.Is(err, ErrTooLarge) {
		return nil, err
	}
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", what, err)
	}
	return data, nil
}

// capReader fails with ErrTooLarge once more than max bytes came through,
// instead of truncating silently as io.LimitReader does.
type capReader struct {
	r    io.Reader
	left int64
	max  int64
	what string
}

func (c *capReader) Read(p []byte) (int, error) {
	if c.left < 0 {
		return 0, tooLarge(c.what, c.max)
	}
	if int64(len(p)) > c.left+1 {
		p = p[:c.left+1]
	}
	n, err := c.r.Read(p)
	c.left -= int64(n)
	if c.left < 0 {
		return n, tooLarge(c.what, c.max)
	}
	return n, err
}

func tooLarge(what string, max int64) error {
	return fmt.Errorf("%s is %w (over %s)", what, ErrTooLarge, byteSize(max))
}

// byteSize formats n for messages: "10 MiB", "512 KiB", "300 bytes".
func byteSize(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}
