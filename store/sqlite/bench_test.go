package sqlite

import (
	"context"
	"crypto/sha256"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/newsdigest/newsdigest/store"
)

// The benchmarks use synthetic news: made-up words from made-up syllables,
// drawn with a Zipf distribution so that word frequencies look like real
// text (a few very common words, a long tail of rare ones). No real text is
// used.

// textGen makes deterministic synthetic articles.
type textGen struct {
	rng   *rand.Rand
	zipf  *rand.Zipf
	vocab []string
}

func newTextGen(seed uint64) *textGen {
	rng := rand.New(rand.NewPCG(seed, 0x6e657773))
	syllables := strings.Fields("ka ri to mu ne sa lo vi de an par os tel mir gor zen bra lu chi fen dor ist ul ver mak ton pe ru sha")
	vocab := make([]string, 0, 20000)
	seen := map[string]bool{}
	// Vocabulary generated from a fixed seed independent of the article seed,
	// so that every generator shares it and searches find the same words.
	vr := rand.New(rand.NewPCG(1, 2))
	for len(vocab) < cap(vocab) {
		n := 1 + vr.IntN(4)
		var w strings.Builder
		for range n {
			w.WriteString(syllables[vr.IntN(len(syllables))])
		}
		if !seen[w.String()] {
			seen[w.String()] = true
			vocab = append(vocab, w.String())
		}
	}
	return &textGen{rng: rng, zipf: rand.NewZipf(rng, 1.07, 2, uint64(len(vocab)-1)), vocab: vocab}
}

func (g *textGen) word() string { return g.vocab[g.zipf.Uint64()] }

func (g *textGen) sentence(b *strings.Builder) {
	n := 8 + g.rng.IntN(18)
	for i := range n {
		w := g.word()
		if i == 0 {
			w = strings.ToUpper(w[:1]) + w[1:]
		} else {
			b.WriteByte(' ')
			if g.rng.IntN(12) == 0 { // a name
				w = strings.ToUpper(w[:1]) + w[1:]
			}
		}
		b.WriteString(w)
		if i < n-1 && g.rng.IntN(10) == 0 {
			b.WriteByte(',')
		}
	}
	b.WriteByte('.')
}

// article returns an article of about size bytes of body text.
func (g *textGen) article(n int, size int) *store.Article {
	var title strings.Builder
	g.sentence(&title)
	var body strings.Builder
	for body.Len() < size {
		if body.Len() > 0 {
			body.WriteString("\n\n")
		}
		for range 2 + g.rng.IntN(4) {
			if body.Len() > 0 && !strings.HasSuffix(body.String(), "\n\n") {
				body.WriteByte(' ')
			}
			g.sentence(&body)
		}
	}
	return &store.Article{
		URL:      fmt.Sprintf("https://outlet%d.example.com/news/2026/%d-%s?utm_source=rss&utm_medium=feed", n%40, n, g.word()),
		Title:    strings.TrimSuffix(title.String(), "."),
		Byline:   "By " + g.word() + " " + g.word(),
		Language: "en",
		Body:     body.String(),
	}
}

// articles500 is the ingest benchmarks' feed: 500 articles of about 3 KB.
var articles500 = sync.OnceValue(func() []*store.Article {
	g := newTextGen(500)
	now := time.Now()
	as := make([]*store.Article, 500)
	for i := range as {
		as[i] = g.article(i, 3000)
		as[i].Published = now.Add(-time.Duration(i) * time.Minute)
	}
	return as
})

// copies returns fresh copies of as, since PutArticles writes to them.
func copies(as []*store.Article) []*store.Article {
	out := make([]*store.Article, len(as))
	for i, a := range as {
		c := *a
		out[i] = &c
	}
	return out
}

func BenchmarkPutArticles500(b *testing.B) {
	as := articles500()
	dir := b.TempDir()
	ctx := context.Background()
	var elapsed, cpu time.Duration
	for i := 0; b.Loop(); i++ {
		b.StopTimer()
		s, err := Open(filepath.Join(dir, fmt.Sprintf("put%d.db", i)))
		if err != nil {
			b.Fatal(err)
		}
		batch := copies(as)
		b.StartTimer()
		start, startCPU := time.Now(), cpuTime()
		outs, err := s.PutArticles(ctx, batch)
		elapsed, cpu = elapsed+time.Since(start), cpu+cpuTime()-startCPU
		b.StopTimer()
		if err != nil {
			b.Fatal(err)
		}
		for j, o := range outs {
			if o != store.Inserted {
				b.Fatalf("article %d: %v, want inserted", j, o)
			}
		}
		s.Close()
		os.Remove(filepath.Join(dir, fmt.Sprintf("put%d.db", i)))
		b.StartTimer()
	}
	reportRate(b, len(as)*b.N, elapsed, cpu)
}

func BenchmarkPutArticles500Again(b *testing.B) {
	as := articles500()
	ctx := context.Background()
	s, err := Open(filepath.Join(b.TempDir(), "again.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	if _, err := s.PutArticles(ctx, copies(as)); err != nil {
		b.Fatal(err)
	}
	var elapsed, cpu time.Duration
	for b.Loop() {
		b.StopTimer()
		batch := copies(as)
		b.StartTimer()
		start, startCPU := time.Now(), cpuTime()
		outs, err := s.PutArticles(ctx, batch)
		elapsed, cpu = elapsed+time.Since(start), cpu+cpuTime()-startCPU
		if err != nil {
			b.Fatal(err)
		}
		for j, o := range outs {
			if o != store.Unchanged {
				b.Fatalf("article %d: %v, want unchanged", j, o)
			}
		}
	}
	reportRate(b, len(as)*b.N, elapsed, cpu)
}

// reportRate reports articles per second of wall time and, where measured,
// per second of CPU time (what one core would do on a quiet machine).
func reportRate(b *testing.B, n int, wall, cpu time.Duration) {
	b.ReportMetric(float64(n)/wall.Seconds(), "articles/s")
	if cpu > 0 {
		b.ReportMetric(float64(n)/cpu.Seconds(), "articles/cpu-s")
	}
}

// The 100,000-article store: 5,000 articles in the 24 hours before
// bigAnchor and 95,000 in the year before that, put in time order (as a
// poller would) in batches of 5,000. It is built once and kept in
// os.TempDir under a name that changes whenever the generator or the schema
// does, so later runs reuse it (delete /tmp/newsdigest-bench-* to reclaim
// the space).
const (
	bigArticles  = 100000
	bigRecent    = 5000
	bigGenerator = "g1"
)

var bigAnchor = time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)

// bigStorePath names the cached store after everything that shapes it: the
// generator version, the migrations' text and the page size.
func bigStorePath() string {
	h := sha256.New()
	ms, _ := loadMigrations()
	for _, m := range ms {
		h.Write([]byte(m.sql))
	}
	return filepath.Join(os.TempDir(), fmt.Sprintf("newsdigest-bench-%s-%x-p%d-%d.db", bigGenerator, h.Sum(nil)[:4], pageSize, bigArticles))
}

var bigStoreOnce sync.Once

func openBigStore(b *testing.B) *Store {
	b.Helper()
	path := bigStorePath()
	bigStoreOnce.Do(func() {
		if _, err := os.Stat(path); err == nil {
			return
		}
		if err := buildBigStore(path + ".tmp"); err != nil {
			b.Fatal(err)
		}
		if err := os.Rename(path+".tmp", path); err != nil {
			b.Fatal(err)
		}
	})
	s, err := Open(path)
	if err != nil {
		b.Fatal(err)
	}
	n, err := s.CountArticles(context.Background())
	if err != nil || n != bigArticles {
		s.Close()
		b.Fatalf("%s holds %d articles (%v); remove it to rebuild", path, n, err)
	}
	return s
}

func buildBigStore(path string) error {
	for _, suffix := range []string{"", "-wal", "-shm"} {
		os.Remove(path + suffix)
	}
	s, err := Open(path)
	if err != nil {
		return err
	}
	defer s.Close()
	g := newTextGen(100000)
	old := bigArticles - bigRecent
	oldSpan := 365 * 24 * time.Hour
	start := time.Now()
	const batchSize = 5000
	batch := make([]*store.Article, 0, batchSize)
	for i := range bigArticles {
		a := g.article(i, 2000+g.rng.IntN(2000))
		if i < old {
			a.Published = bigAnchor.Add(-24*time.Hour - oldSpan + time.Duration(i)*oldSpan/time.Duration(old))
		} else {
			a.Published = bigAnchor.Add(-24*time.Hour + time.Duration(i-old)*24*time.Hour/bigRecent)
		}
		a.Fetched = a.Published.Add(time.Duration(g.rng.IntN(600)) * time.Second)
		batch = append(batch, a)
		if len(batch) == batchSize || i == bigArticles-1 {
			if _, err := s.PutArticles(context.Background(), batch); err != nil {
				return err
			}
			batch = batch[:0]
		}
	}
	fmt.Fprintf(os.Stderr, "built %s: %d articles in %v\n", path, bigArticles, time.Since(start).Round(time.Second))
	return nil
}

// diskPerArticle is the database's size, WAL included, after a checkpoint,
// divided by the number of articles.
func diskPerArticle(b *testing.B, s *Store) float64 {
	b.Helper()
	if _, err := s.w.Exec(`PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
		b.Fatal(err)
	}
	var size int64
	for _, suffix := range []string{"", "-wal"} {
		if fi, err := os.Stat(s.path + suffix); err == nil {
			size += fi.Size()
		}
	}
	return float64(size) / bigArticles
}

// p50 returns the median of ds in milliseconds.
func p50(ds []time.Duration) float64 {
	slices.Sort(ds)
	return float64(ds[len(ds)/2]) / float64(time.Millisecond)
}

func benchQuery(b *testing.B, q store.ArticleQuery, wantAtLeast int) {
	s := openBigStore(b)
	defer s.Close()
	ctx := context.Background()
	disk := diskPerArticle(b, s)
	var ds, cpus []time.Duration
	var n int
	for b.Loop() {
		start, startCPU := time.Now(), cpuTime()
		as, err := s.Articles(ctx, q)
		ds, cpus = append(ds, time.Since(start)), append(cpus, cpuTime()-startCPU)
		if err != nil {
			b.Fatal(err)
		}
		n = len(as)
	}
	if n < wantAtLeast {
		b.Fatalf("query %+v returned %d articles, want at least %d", q, n, wantAtLeast)
	}
	b.ReportMetric(p50(ds), "p50-ms")
	if c := p50(cpus); c > 0 {
		b.ReportMetric(c, "p50-cpu-ms")
	}
	b.ReportMetric(disk, "disk-bytes/article")
	b.ReportMetric(float64(n), "rows")
}

func BenchmarkWindow24h(b *testing.B) {
	benchQuery(b, store.ArticleQuery{Since: bigAnchor.Add(-24 * time.Hour), Limit: 5000}, bigRecent)
}

// BenchmarkSearch runs searches of words from common to very rare (by their
// rank in the synthetic vocabulary), two words, and a prefix; newest 100
// first. A rare word's matches are all read, since fewer than 100 match.
func BenchmarkSearch(b *testing.B) {
	g := newTextGen(0)
	for _, tt := range []struct {
		name    string
		search  string
		atLeast int
	}{
		{"common", g.vocab[20], 100},
		{"middling", g.vocab[300], 100},
		{"rare", g.vocab[5000], 100},
		{"very-rare", g.vocab[19000], 100},
		{"two-words", g.vocab[40] + " " + g.vocab[200], 100},
		{"prefix", g.vocab[700][:3] + "*", 100},
		{"rare-pair", g.vocab[15000] + " " + g.vocab[19000], 0}, // few or no matches
	} {
		b.Run(tt.name, func(b *testing.B) {
			benchQuery(b, store.ArticleQuery{Search: tt.search, Limit: 100}, tt.atLeast)
		})
	}
}
