package sources

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/newsdigest/newsdigest/store"
	"github.com/newsdigest/newsdigest/store/sqlite"
)

func openStore(t testing.TB) *sqlite.Store {
	t.Helper()
	st, err := sqlite.Open(filepath.Join(t.TempDir(), "news.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func addSource(t testing.TB, st store.Store, name, url string, mode store.FullTextMode) *store.Source {
	t.Helper()
	src := &store.Source{Name: name, URL: url, FullText: mode}
	if err := st.AddSource(context.Background(), src); err != nil {
		t.Fatal(err)
	}
	return src
}

// feedServer serves the test feeds, good and broken, by path.
func feedServer(t *testing.T) (*httptest.Server, func()) {
	var bomb bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&bomb, gzip.BestCompression)
	io.CopyN(zw, zeros{}, 64<<20)
	zw.Close()
	release := make(chan struct{})
	const lastMod = "Tue, 04 Mar 2025 10:00:00 GMT"

	serve := func(w http.ResponseWriter, file, ct string) {
		w.Header().Set("Content-Type", ct)
		w.Write(readTestdata(t, file))
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/rss2", func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("If-None-Match") == `"r1"` {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("ETag", `"r1"`)
		serve(w, "rss2.xml", "application/rss+xml; charset=utf-8")
	})
	mux.HandleFunc("/atom", func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("If-Modified-Since") == lastMod {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("Last-Modified", lastMod)
		serve(w, "atom.xml", "application/atom+xml")
	})
	mux.HandleFunc("/json", func(w http.ResponseWriter, r *http.Request) { serve(w, "feed.json", "application/feed+json") })
	mux.HandleFunc("/rdf", func(w http.ResponseWriter, r *http.Request) { serve(w, "rss1.rdf", "application/rdf+xml") })
	mux.HandleFunc("/cp1251", func(w http.ResponseWriter, r *http.Request) { serve(w, "cp1251.xml", "text/xml") })
	mux.HandleFunc("/cp1251-wrong", func(w http.ResponseWriter, r *http.Request) {
		// windows-1251 bytes that claim to be UTF-8, in the prolog and the header
		w.Header().Set("Content-Type", "text/xml; charset=utf-8")
		doc := redeclare(readTestdata(t, "cp1251.xml"), "UTF-8")
		w.Write(bytes.ReplaceAll(doc, []byte("sever.example"), []byte("sever-wrong.example")))
	})
	mux.HandleFunc("/latin1", func(w http.ResponseWriter, r *http.Request) { serve(w, "latin1.xml", "text/xml") })
	mux.HandleFunc("/invalid-utf8", func(w http.ResponseWriter, r *http.Request) {
		doc := readTestdata(t, "rdf-like-invalid.placeholder")
		w.Write(doc)
	})
	mux.HandleFunc("/gzipped", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Encoding", "gzip")
		zw := gzip.NewWriter(w)
		zw.Write(readTestdata(t, "rss091.xml"))
		zw.Close()
	})
	mux.HandleFunc("/malformed", func(w http.ResponseWriter, r *http.Request) { serve(w, "malformed.xml", "application/rss+xml") })
	mux.HandleFunc("/empty", func(w http.ResponseWriter, r *http.Request) { w.Header().Set("Content-Type", "application/rss+xml") })
	mux.HandleFunc("/html", func(w http.ResponseWriter, r *http.Request) { serve(w, "page.html", "text/html; charset=utf-8") })
	mux.HandleFunc("/huge", func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, `<?xml version="1.0"?><rss version="2.0"><channel><title>`)
		io.CopyN(w, strings.NewReader(strings.Repeat("a", 50<<20)), 50<<20)
	})
	mux.HandleFunc("/bomb", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Encoding", "gzip")
		w.Write(bomb.Bytes())
	})
	mux.HandleFunc("/hang", func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-release:
		}
	})
	mux.HandleFunc("/loop", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/loop2", http.StatusFound) })
	mux.HandleFunc("/loop2", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/loop", http.StatusFound) })
	mux.HandleFunc("/private", func(w http.ResponseWriter, r *http.Request) {
		_, port, _ := strings.Cut(r.Host, ":")
		http.Redirect(w, r, "http://127.0.0.2:"+port+"/rss2", http.StatusFound)
	})
	mux.HandleFunc("/429", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "7200")
		w.WriteHeader(http.StatusTooManyRequests)
	})
	for _, code := range []int{404, 410, 500} {
		mux.HandleFunc(fmt.Sprintf("/%d", code), func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(code) })
	}
	srv := httptest.NewServer(mux)
	return srv, func() { close(release); srv.Close() }
}
