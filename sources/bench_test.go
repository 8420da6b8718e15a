package sources

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/newsdigest/newsdigest/store"
	"github.com/newsdigest/newsdigest/store/sqlite"
)

// synthFeed returns an RSS 2.0 feed of n items of about 2.5 KB each:
// made-up words from made-up syllables (no real text), Zipf-distributed
// like real vocabulary, in HTML paragraphs with a little markup.
func synthFeed(n int, seed uint64) []byte {
	rng := rand.New(rand.NewPCG(seed, 7))
	syl := strings.Fields("ka ri to mu ne sa lo vi de an par os tel mir gor zen bra lu chi fen dor ist ul ver mak ton pe ru sha")
	vocab := make([]string, 5000)
	for i := range vocab {
		var w strings.Builder
		for range 1 + rng.IntN(4) {
			w.WriteString(syl[rng.IntN(len(syl))])
		}
		vocab[i] = w.String()
	}
	zipf := rand.NewZipf(rng, 1.07, 2, uint64(len(vocab)-1))
	sentence := func(b *strings.Builder) {
		for i := range 8 + rng.IntN(16) {
			w := vocab[zipf.Uint64()]
			if i == 0 {
				w = strings.ToUpper(w[:1]) + w[1:]
			} else {
				b.WriteByte(' ')
			}
			if rng.IntN(30) == 0 {
				w = "<b>" + w + "</b>"
			}
			b.WriteString(w)
		}
		b.WriteString(". ")
	}
	var doc strings.Builder
	doc.WriteString(`<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel><title>Synthetic News</title><link>https://synthetic.example/</link><language>en</language>
`)
	base := time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)
	for i := range n {
		var title, body strings.Builder
		sentence(&title)
		for body.Len() < 2200 {
			body.WriteString("<p>")
			for range 2 + rng.IntN(3) {
				sentence(&body)
			}
			body.WriteString("</p>\n")
		}
		fmt.Fprintf(&doc, `<item><title>%s</title><link>https://synthetic.example/news/%d-%d?utm_source=rss</link>
<dc:creator>Reporter %d</dc:creator><pubDate>%s</pubDate>
<description>%s</description>
<content:encoded><![CDATA[%s]]></content:encoded></item>
`, strings.TrimSpace(strings.NewReplacer("<b>", "", "</b>", "").Replace(title.String())), seed, i, i%17,
			base.Add(time.Duration(i)*time.Minute).Format(time.RFC1123Z),
			strings.TrimSpace(strings.NewReplacer("<b>", "", "</b>", "").Replace(title.String())), body.String())
	}
	doc.WriteString("</channel></rss>\n")
	return []byte(doc.String())
}

// cpuTime is the CPU time this process has used, all threads: on a
// machine shared with other work it measures the cost where wall time
// measures the contention too.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func ingest(b *testing.B, st store.Store, feed []byte) []store.PutOutcome {
	f, err := ParseFeed(feed, "application/rss+xml", "https://synthetic.example/feed")
	if err != nil {
		b.Fatal(err)
	}
	if len(f.Articles) != 500 {
		b.Fatalf("%d articles", len(f.Articles))
	}
	now := time.Now()
	for _, a := range f.Articles {
		a.Fetched = now
	}
	out, err := st.PutArticles(context.Background(), f.Articles)
	if err != nil {
		b.Fatal(err)
	}
	return out
}

// BenchmarkIngestFeed500 parses a 500-item feed and stores every item in a
// fresh SQLite store (full-text index included).
func BenchmarkIngestFeed500(b *testing.B) {
	feed := synthFeed(500, 1)
	b.SetBytes(int64(len(feed)))
	var elapsed, cpu time.Duration
	for i := 0; b.Loop(); i++ {
		b.StopTimer()
		st, err := sqlite.Open(filepath.Join(b.TempDir(), fmt.Sprintf("bench%d.db", i)))
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		start, startCPU := time.Now(), cpuTime()
		out := ingest(b, st, feed)
		elapsed += time.Since(start)
		cpu += cpuTime() - startCPU
		b.StopTimer()
		if out[0] != store.Inserted || out[499] != store.Inserted {
			b.Fatalf("outcomes %v %v", out[0], out[499])
		}
		st.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(500*b.N)/elapsed.Seconds(), "articles/s")
	b.ReportMetric(float64(500*b.N)/cpu.Seconds(), "articles/cpu-s")
}

// BenchmarkReingestFeed500 parses the same feed again into a store that
// already holds every item: the common case of a poll that finds nothing new.
func BenchmarkReingestFeed500(b *testing.B) {
	feed := synthFeed(500, 1)
	b.SetBytes(int64(len(feed)))
	st, err := sqlite.Open(filepath.Join(b.TempDir(), "bench.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	ingest(b, st, feed)
	start, startCPU := time.Now(), cpuTime()
	for b.Loop() {
		out := ingest(b, st, feed)
		if out[0] != store.Unchanged || out[499] != store.Unchanged {
			b.Fatalf("outcomes %v %v", out[0], out[499])
		}
	}
	b.ReportMetric(float64(500*b.N)/time.Since(start).Seconds(), "articles/s")
	b.ReportMetric(float64(500*b.N)/(cpuTime()-startCPU).Seconds(), "articles/cpu-s")
}

// BenchmarkParseFeed500 is the parsing half alone.
func BenchmarkParseFeed500(b *testing.B) {
	feed := synthFeed(500, 1)
	b.SetBytes(int64(len(feed)))
	startCPU := cpuTime()
	for b.Loop() {
		if _, err := ParseFeed(feed, "", "https://synthetic.example/feed"); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(500*b.N)/b.Elapsed().Seconds(), "articles/s")
	b.ReportMetric(float64(500*b.N)/(cpuTime()-startCPU).Seconds(), "articles/cpu-s")
}

// BenchmarkRepollFeed500 is a poll of a 500-item feed that has not changed
// and whose server sends no ETag or Last-Modified: the Poller fetches it
// over HTTP (loopback), sees the body it stored last time and parses
// nothing. Compare with BenchmarkIngestFeed500.
func BenchmarkRepollFeed500(b *testing.B) {
	feed := synthFeed(500, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		w.Write(feed)
	}))
	defer srv.Close()
	st, err := sqlite.Open(filepath.Join(b.TempDir(), "bench.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	if err := st.AddSource(context.Background(), &store.Source{Name: "synthetic", URL: srv.URL, FullText: store.FullTextOff}); err != nil {
		b.Fatal(err)
	}
	p := &Poller{Store: st, Fetcher: &Fetcher{Client: NewClient(ClientOptions{AllowPrivate: true})}}
	if stats, err := p.RunOnce(context.Background(), true); err != nil || stats.Inserted != 500 {
		b.Fatalf("first poll: %+v, %v", stats, err)
	}
	b.SetBytes(int64(len(feed)))
	start, startCPU := time.Now(), cpuTime()
	for b.Loop() {
		if stats, err := p.RunOnce(context.Background(), true); err != nil || stats.NotModified != 1 {
			b.Fatalf("repoll: %+v, %v", stats, err)
		}
	}
	b.ReportMetric(float64(500*b.N)/time.Since(start).Seconds(), "articles/s")
	b.ReportMetric(float64(500*b.N)/(cpuTime()-startCPU).Seconds(), "articles/cpu-s")
}
