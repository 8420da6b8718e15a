package sources

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
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
		// the Atom feed under other URLs, with bytes that are not UTF-8
		doc := bytes.ReplaceAll(readTestdata(t, "atom.xml"), []byte("col.example"), []byte("col-bad.example"))
		doc = bytes.Replace(doc, []byte("La route du col"), []byte("La route\xfe du col"), 1)
		doc = bytes.Replace(doc, []byte("Marché d'hiver"), []byte("March\xc3\xa9\xff d'hiver"), 1)
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
		io.CopyN(w, letters{}, 50<<20) // streamed: never 50 MiB in memory
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

type pollCase struct {
	path     string
	articles int    // stored on success
	errHas   string // "" for a source that must succeed
}

var pollCases = []pollCase{
	{"/rss2", 2, ""},
	{"/atom", 2, ""},
	{"/json", 2, ""},
	{"/rdf", 1, ""},
	{"/cp1251", 1, ""},
	{"/cp1251-wrong", 1, ""},
	{"/latin1", 1, ""},
	{"/invalid-utf8", 2, ""},
	{"/gzipped", 1, ""},
	{"/malformed", 0, "malformed feed: XML syntax error"},
	{"/empty", 0, "empty response body"},
	{"/html", 0, "not a feed (got an HTML page); the page links to the feeds "},
	{"/huge", 0, "response body is too large (over 10 MiB)"},
	{"/bomb", 0, "response body is too large (over 10 MiB)"},
	{"/hang", 0, "timeout awaiting response headers"},
	{"/loop", 0, "redirect loop"},
	{"/private", 0, "address not allowed: 127.0.0.2 is not a public address"},
	{"/404", 0, "HTTP 404 Not Found"},
	{"/410", 0, "HTTP 410 Gone"},
	{"/500", 0, "HTTP 500 Internal Server Error"},
	{"/429", 0, "HTTP 429 Too Many Requests (retry after 2h0m0s)"},
}

// TestPollerRunOnce polls good and broken feeds in one pass: each broken
// one fails with a clear error in its own state, every good one is stored.
func TestPollerRunOnce(t *testing.T) {
	srv, stop := feedServer(t)
	defer stop()
	st := openStore(t)
	ctx := context.Background()
	byPath := map[string]*store.Source{}
	for _, c := range pollCases {
		byPath[c.path] = addSource(t, st, strings.TrimPrefix(c.path, "/"), srv.URL+c.path, store.FullTextOff)
	}
	// The guard is on: only the test server's own address is allowed, so
	// the redirect to 127.0.0.2 is refused as it would be in production.
	client := NewClient(ClientOptions{
		AllowNetworks: []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")},
		// Long enough for 20 fetches at once on a busy machine; the
		// server that never answers is cut off after it.
		HeaderTimeout: 1500 * time.Millisecond,
		Timeout:       5 * time.Second,
	})
	t0 := time.Date(2025, 3, 5, 12, 0, 0, 0, time.UTC)
	now := t0
	p := &Poller{
		Store: st, Fetcher: &Fetcher{Client: client},
		PerHost: 32, MaxConcurrent: 32,
		Now:  func() time.Time { return now },
		Rand: rand.New(rand.NewPCG(1, 2)),
	}

	stats, err := p.RunOnce(ctx, true)
	if err != nil {
		t.Fatal(err)
	}
	good, bad, wantArticles := 0, 0, 0
	for _, c := range pollCases {
		if c.errHas == "" {
			good++
			wantArticles += c.articles
		} else {
			bad++
		}
	}
	want := Stats{Sources: len(pollCases), Fetched: good, Failed: bad, Inserted: wantArticles}
	if stats != want {
		t.Errorf("first pass: %+v, want %+v", stats, want)
	}
	interval := DefaultPollInterval
	for _, c := range pollCases {
		src, err := st.Source(ctx, byPath[c.path].ID)
		if err != nil {
			t.Fatal(err)
		}
		s := src.State
		if !s.LastFetch.Equal(t0) {
			t.Errorf("%s: LastFetch = %v", c.path, s.LastFetch)
		}
		if c.errHas == "" {
			if s.Failures != 0 || s.LastError != "" || !s.LastSuccess.Equal(t0) {
				t.Errorf("%s: state after success: %+v", c.path, s)
			}
			if d := s.NextPoll.Sub(t0); d < interval*9/10-time.Millisecond || d > interval*11/10+time.Millisecond {
				t.Errorf("%s: next poll in %v, want %v ± 10%%", c.path, d, interval)
			}
			n, err := st.Articles(ctx, store.ArticleQuery{SourceID: src.ID})
			if err != nil || len(n) != c.articles {
				t.Errorf("%s: %d articles stored (%v), want %d", c.path, len(n), err, c.articles)
			}
			continue
		}
		t.Logf("%s: %s", c.path, s.LastError)
		if s.Failures != 1 || !strings.Contains(s.LastError, c.errHas) || !s.LastErrorAt.Equal(t0) {
			t.Errorf("%s: state %+v, want one failure saying %q", c.path, s, c.errHas)
		}
		if !strings.Contains(s.LastError, srv.URL+c.path) {
			t.Errorf("%s: error %q does not name the URL", c.path, s.LastError)
		}
		minWait := interval * 9 / 10
		if c.path == "/429" {
			minWait = 2 * time.Hour // Retry-After beats the shorter backoff
		}
		if d := s.NextPoll.Sub(t0); d < minWait-time.Millisecond || d > max(minWait, interval*11/10)+time.Millisecond {
			t.Errorf("%s: next poll in %v", c.path, d)
		}
	}
	if s, _ := st.Source(ctx, byPath["/rss2"].ID); s.State.ETag != `"r1"` {
		t.Errorf("ETag not kept: %q", s.State.ETag)
	}
	if s, _ := st.Source(ctx, byPath["/atom"].ID); s.State.LastModified != "Tue, 04 Mar 2025 10:00:00 GMT" {
		t.Errorf("Last-Modified not kept: %q", s.State.LastModified)
	}
	all, err := st.Articles(ctx, store.ArticleQuery{Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != wantArticles {
		t.Errorf("%d articles stored, want %d", len(all), wantArticles)
	}
	for _, a := range all {
		for _, s := range []string{a.Title, a.Body, a.Byline, a.URL} {
			if !utf8.ValidString(s) {
				t.Errorf("invalid UTF-8 stored: %q", s)
			}
		}
	}
	ru, err := st.ArticleByURL(ctx, "https://sever.example/news/parom")
	if err != nil || ru.Title != "Паром возобновил рейсы" {
		t.Errorf("windows-1251 feed stored as %+v, %v", ru, err)
	}

	// Nothing is due right after the pass.
	if stats, err := p.RunOnce(ctx, false); err != nil || stats.Sources != 0 {
		t.Errorf("due pass right after: %+v, %v", stats, err)
	}

	// 90 minutes later everything but the throttled source is due. The
	// conditional GETs come back 304, the other feeds the same bytes as
	// before, which are not parsed again, and the broken ones fail a second
	// time with a doubled backoff. (A new Poller, as after a restart: it
	// knows the bodies it stored from their hashes in the fetch state.)
	now = t0.Add(90 * time.Minute)
	p2 := &Poller{Store: st, Fetcher: p.Fetcher, PerHost: 32, MaxConcurrent: 32, Now: p.Now, Rand: rand.New(rand.NewPCG(5, 6))}
	stats, err = p2.RunOnce(ctx, false)
	if err != nil {
		t.Fatal(err)
	}
	want = Stats{Sources: len(pollCases) - 1, NotModified: good, Failed: bad - 1}
	if stats != want {
		t.Errorf("second pass: %+v, want %+v", stats, want)
	}
	src, _ := st.Source(ctx, byPath["/500"].ID)
	if src.State.Failures != 2 {
		t.Errorf("/500: failures = %d", src.State.Failures)
	}
	if d := src.State.NextPoll.Sub(now); d < 2*interval*9/10-time.Millisecond || d > 2*interval*11/10+time.Millisecond {
		t.Errorf("/500: second backoff %v, want %v ± 10%%", d, 2*interval)
	}
	src, _ = st.Source(ctx, byPath["/rss2"].ID)
	if !src.State.LastSuccess.Equal(now) || src.State.ETag != `"r1"` {
		t.Errorf("/rss2 after 304: %+v", src.State)
	}

	// Feeds that come back byte for byte the same are not parsed again,
	// validators or not, whichever poller fetches them.
	stats, err = p.RunOnce(ctx, true)
	if err != nil {
		t.Fatal(err)
	}
	want = Stats{Sources: len(pollCases), NotModified: good, Failed: bad}
	if stats != want {
		t.Errorf("third pass: %+v, want %+v", stats, want)
	}
}

func TestPollerBackoff(t *testing.T) {
	p := &Poller{Rand: rand.New(rand.NewPCG(3, 4))}
	p.init()
	src := &store.Source{Interval: 30 * time.Minute}
	tests := []struct {
		failures   int
		retryAfter time.Duration
		want       time.Duration // ± 10%
	}{
		{0, 0, 30 * time.Minute},
		{1, 0, time.Hour},
		{2, 0, 2 * time.Hour},
		{5, 0, 16 * time.Hour},
		{6, 0, 24 * time.Hour},
		{60, 0, 24 * time.Hour},
		{0, 10 * time.Second, 30 * time.Minute}, // shorter Retry-After: backoff wins
		{0, 48 * time.Hour, 48 * time.Hour},
		{3, 400 * time.Hour, 7 * 24 * time.Hour},
	}
	for _, tt := range tests {
		for range 20 {
			got := p.backoff(src, tt.failures, tt.retryAfter)
			lo, hi := tt.want*9/10, tt.want*11/10
			if tt.retryAfter >= tt.want {
				lo, hi = tt.want, tt.want
			}
			if got < lo || got > hi {
				t.Errorf("backoff(failures=%d, retry after %v) = %v, want %v..%v", tt.failures, tt.retryAfter, got, lo, hi)
				break
			}
		}
	}
}

// TestPollerLimits checks the per-host and overall concurrency limits.
func TestPollerLimits(t *testing.T) {
	tests := []struct {
		perHost, maxConcurrent, wantMax int
	}{
		{2, 10, 2},
		{10, 3, 3},
		{1, 1, 1},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("perHost=%d,max=%d", tt.perHost, tt.maxConcurrent), func(t *testing.T) {
			var cur, peak atomic.Int32
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				n := cur.Add(1)
				defer cur.Add(-1)
				for {
					p := peak.Load()
					if n <= p || peak.CompareAndSwap(p, n) {
						break
					}
				}
				time.Sleep(60 * time.Millisecond)
				w.WriteHeader(http.StatusNotFound)
			}))
			defer srv.Close()
			st := openStore(t)
			for i := range 6 {
				addSource(t, st, fmt.Sprint(i), fmt.Sprintf("%s/feed/%d", srv.URL, i), store.FullTextOff)
			}
			p := &Poller{Store: st, Fetcher: &Fetcher{Client: testClient(ClientOptions{})}, PerHost: tt.perHost, MaxConcurrent: tt.maxConcurrent}
			stats, err := p.RunOnce(context.Background(), true)
			if err != nil || stats.Failed != 6 {
				t.Fatalf("%+v, %v", stats, err)
			}
			if got := int(peak.Load()); got != tt.wantMax {
				t.Errorf("peak concurrency %d, want %d", got, tt.wantMax)
			}
		})
	}
}

// TestPollerRun checks that Run fetches every due source and that a source
// whose server never answers holds up no other.
func TestPollerRun(t *testing.T) {
	srv, stop := feedServer(t)
	defer stop()
	st := openStore(t)
	hang := addSource(t, st, "hang", srv.URL+"/hang", store.FullTextOff)
	rss := addSource(t, st, "rss", srv.URL+"/rss2", store.FullTextOff)
	atom := addSource(t, st, "atom", srv.URL+"/atom", store.FullTextOff)
	p := &Poller{
		Store:   st,
		Fetcher: &Fetcher{Client: testClient(ClientOptions{HeaderTimeout: time.Minute, Timeout: time.Minute})},
		PerHost: 4,
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- p.Run(ctx) }()

	// Done when both feeds' articles are stored and their fetches recorded
	// (the poller stores the articles first, then the fetch state).
	recorded := func() bool {
		for _, id := range []int64{rss.ID, atom.ID} {
			if s, err := st.Source(context.Background(), id); err != nil || s.State.LastSuccess.IsZero() {
				return false
			}
		}
		return true
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		n, err := st.CountArticles(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if n == 4 && recorded() {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d articles stored after 10s (want 4), fetches recorded: %v", n, recorded())
		}
		time.Sleep(20 * time.Millisecond)
	}
	for _, id := range []int64{rss.ID, atom.ID} {
		s, _ := st.Source(context.Background(), id)
		if s.State.LastSuccess.IsZero() || s.State.NextPoll.Before(time.Now().Add(20*time.Minute)) {
			t.Errorf("%s: state %+v", s.Name, s.State)
		}
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Run = %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not return after cancel")
	}
	// Shutting down is not the hanging source's fault.
	if s, _ := st.Source(context.Background(), hang.ID); s.State.Failures != 0 {
		t.Errorf("hang: %+v", s.State)
	}
}

// TestPollerFullText: teasers get their page's text once; a page that
// fails keeps the feed's text; later polls do not fetch pages again.
func TestPollerFullText(t *testing.T) {
	var pageHits sync.Map
	page := readTestdata(t, "article.html")
	mux := http.NewServeMux()
	mux.HandleFunc("/feed", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		fmt.Fprintf(w, `<?xml version="1.0"?><rss version="2.0"><channel><title>Teasers</title>
<item><title>Sea wall vote</title><link>/story/1</link><description>The council voted for the wall. Read more</description></item>
<item><title>Broken page</title><link>/story/2</link><description>This page will fail to load…</description></item>
<item><title>Full item</title><link>/story/3</link><description>%s</description></item>
</channel></rss>`, strings.Repeat("This item carries its whole story in the feed. ", 20))
	})
	mux.HandleFunc("/story/", func(w http.ResponseWriter, r *http.Request) {
		n, _ := pageHits.LoadOrStore(r.URL.Path, new(atomic.Int32))
		n.(*atomic.Int32).Add(1)
		if r.URL.Path == "/story/2" {
			w.WriteHeader(http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write(page)
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	st := openStore(t)
	addSource(t, st, "teasers", srv.URL+"/feed", store.FullTextAuto)
	p := &Poller{Store: st, Fetcher: &Fetcher{Client: testClient(ClientOptions{})}}
	ctx := context.Background()

	stats, err := p.RunOnce(ctx, true)
	if err != nil || stats.Inserted != 3 || stats.Failed != 0 {
		t.Fatalf("first pass: %+v, %v", stats, err)
	}
	a1, err := st.ArticleByURL(ctx, srv.URL+"/story/1")
	if err != nil {
		t.Fatal(err)
	}
	if a1.Title != "Sea wall vote" || !strings.HasPrefix(a1.Body, "The town council voted seven to two") || a1.Byline != "Mara Ellison" {
		t.Errorf("story 1 not expanded: %q by %q: %q", a1.Title, a1.Byline, a1.Body)
	}
	if a2, err := st.ArticleByURL(ctx, srv.URL+"/story/2"); err != nil || a2.Body != "This page will fail to load…" {
		t.Errorf("story 2: %+v, %v", a2, err)
	}
	if _, ok := pageHits.Load("/story/3"); ok {
		t.Error("the page of a complete item was fetched")
	}

	// A new Poller that does not know the feed body (stored before body
	// hashes were kept) finds the items stored and fetches no page again.
	src, err := st.Source(ctx, a1.SourceID)
	if err != nil {
		t.Fatal(err)
	}
	src.State.BodyHash = ""
	if err := st.SetFetchState(ctx, src.ID, src.State); err != nil {
		t.Fatal(err)
	}
	p = &Poller{Store: st, Fetcher: p.Fetcher}
	stats, err = p.RunOnce(ctx, true)
	if err != nil || stats.Inserted != 0 || stats.Updated != 0 || stats.Unchanged != 3 {
		t.Errorf("second pass: %+v, %v", stats, err)
	}
	if stats, err = p.RunOnce(ctx, true); err != nil || stats.NotModified != 1 {
		t.Errorf("third pass, same body: %+v, %v", stats, err)
	}
	for _, path := range []string{"/story/1", "/story/2"} {
		if n, ok := pageHits.Load(path); !ok || n.(*atomic.Int32).Load() != 1 {
			t.Errorf("%s fetched %v times, want once", path, n)
		}
	}
}

// countingStore counts the article writes a poller makes, and fails them
// while fail is set.
type countingStore struct {
	store.Store
	puts atomic.Int32
	fail atomic.Bool
}

func (c *countingStore) PutArticles(ctx context.Context, as []*store.Article) ([]store.PutOutcome, error) {
	c.puts.Add(1)
	if c.fail.Load() {
		return nil, fmt.Errorf("disk full")
	}
	return c.Store.PutArticles(ctx, as)
}

// TestPollerRestartSkipsUnchangedBody: the hash of the feed body last
// stored is kept in the store, so a poller started afresh (each step here
// has a new one) does not parse or store again a feed that comes back the
// same from a server without ETag or Last-Modified; a failed fetch keeps
// the hash, a failed write does not record it.
func TestPollerRestartSkipsUnchangedBody(t *testing.T) {
	item := func(n int) string {
		return fmt.Sprintf("<item><title>Story %d</title><link>https://plain.example/%d</link><description>Text of story %d.</description></item>", n, n, n)
	}
	feed := func(n int) string {
		var b strings.Builder
		b.WriteString(`<?xml version="1.0"?><rss version="2.0"><channel><title>Plain</title>`)
		for i := 1; i <= n; i++ {
			b.WriteString(item(i))
		}
		b.WriteString(`</channel></rss>`)
		return b.String()
	}
	var body atomic.Value // the feed served; "" for an HTTP 500
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b := body.Load().(string)
		if b == "" {
			w.WriteHeader(http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "application/rss+xml") // no ETag, no Last-Modified
		io.WriteString(w, b)
	}))
	defer srv.Close()
	st := &countingStore{Store: openStore(t)}
	src := addSource(t, st, "plain", srv.URL+"/feed", store.FullTextOff)
	fetcher := &Fetcher{Client: testClient(ClientOptions{})}
	ctx := context.Background()

	steps := []struct {
		name      string
		body      string
		failStore bool
		want      Stats
		puts      int    // article writes in the step
		hashOf    string // the body whose hash the fetch state holds after it
	}{
		{"first fetch", feed(2), false, Stats{Sources: 1, Fetched: 1, Inserted: 2}, 1, feed(2)},
		{"restart, same body", feed(2), false, Stats{Sources: 1, NotModified: 1}, 0, feed(2)},
		{"server error", "", false, Stats{Sources: 1, Failed: 1}, 0, feed(2)},
		{"same body after the error", feed(2), false, Stats{Sources: 1, NotModified: 1}, 0, feed(2)},
		{"new body", feed(3), false, Stats{Sources: 1, Fetched: 1, Inserted: 1, Unchanged: 2}, 1, feed(3)},
		{"restart, new body again", feed(3), false, Stats{Sources: 1, NotModified: 1}, 0, feed(3)},
		{"store fails", feed(4), true, Stats{Sources: 1, Failed: 1}, 1, feed(3)},
		{"store back: parsed again", feed(4), false, Stats{Sources: 1, Fetched: 1, Inserted: 1, Unchanged: 3}, 1, feed(4)},
	}
	for _, step := range steps {
		body.Store(step.body)
		st.fail.Store(step.failStore)
		before := st.puts.Load()
		p := &Poller{Store: st, Fetcher: fetcher, Rand: rand.New(rand.NewPCG(1, 2))}
		stats, err := p.RunOnce(ctx, true)
		if err != nil {
			t.Fatalf("%s: %v", step.name, err)
		}
		if stats != step.want {
			t.Errorf("%s: %+v, want %+v", step.name, stats, step.want)
		}
		if n := int(st.puts.Load() - before); n != step.puts {
			t.Errorf("%s: %d article writes, want %d", step.name, n, step.puts)
		}
		got, err := st.Source(ctx, src.ID)
		if err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256([]byte(step.hashOf))
		if want := hex.EncodeToString(sum[:]); got.State.BodyHash != want {
			t.Errorf("%s: body hash %q, want %q", step.name, got.State.BodyHash, want)
		}
	}
}
