package sqlite

import (
	"context"
	"crypto/sha256"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/newsdigest/newsdigest/store"
	"github.com/newsdigest/newsdigest/store/storetest"
)

// The benchmarks use storetest's synthetic news, as store/postgres's do,
// so that the backends' numbers compare.

func BenchmarkPutArticles500(b *testing.B) {
	as := storetest.Articles500()
	dir := b.TempDir()
	ctx := context.Background()
	var elapsed, cpu time.Duration
	for i := 0; b.Loop(); i++ {
		b.StopTimer()
		s, err := Open(filepath.Join(dir, fmt.Sprintf("put%d.db", i)))
		if err != nil {
			b.Fatal(err)
		}
		batch := storetest.Copies(as)
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
	as := storetest.Articles500()
	ctx := context.Background()
	s, err := Open(filepath.Join(b.TempDir(), "again.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	if _, err := s.PutArticles(ctx, storetest.Copies(as)); err != nil {
		b.Fatal(err)
	}
	var elapsed, cpu time.Duration
	for b.Loop() {
		b.StopTimer()
		batch := storetest.Copies(as)
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

// The 100,000-article store (see storetest.BigBatches) is built once and
// kept in os.TempDir under a name that changes whenever the generator or
// the schema does, so later runs reuse it (delete /tmp/newsdigest-bench-*
// to reclaim the space).
const bigArticles = storetest.BigArticles

var bigAnchor = storetest.BigAnchor

// bigStorePath names the cached store after everything that shapes it: the
// generator version, the migrations' text and the page size.
func bigStorePath() string {
	h := sha256.New()
	ms, _ := loadMigrations()
	for _, m := range ms {
		h.Write([]byte(m.sql))
	}
	return filepath.Join(os.TempDir(), fmt.Sprintf("newsdigest-bench-%s-%x-p%d-%d.db", storetest.BigGenerator, h.Sum(nil)[:4], pageSize, bigArticles))
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
	start := time.Now()
	err = storetest.BigBatches(func(batch []*store.Article) error {
		_, err := s.PutArticles(context.Background(), batch)
		return err
	})
	if err != nil {
		return err
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
	benchQuery(b, store.ArticleQuery{Since: bigAnchor.Add(-24 * time.Hour), Limit: 5000}, storetest.BigRecent)
}

// BenchmarkSearch runs searches of words from common to very rare (by their
// rank in the synthetic vocabulary), two words, and a prefix; newest 100
// first. A rare word's matches are all read, since fewer than 100 match.
func BenchmarkSearch(b *testing.B) {
	g := storetest.NewSynth(0)
	for _, tt := range []struct {
		name    string
		search  string
		atLeast int
	}{
		{"common", g.Vocab[20], 100},
		{"middling", g.Vocab[300], 100},
		{"rare", g.Vocab[5000], 100},
		{"very-rare", g.Vocab[19000], 100},
		{"two-words", g.Vocab[40] + " " + g.Vocab[200], 100},
		{"prefix", g.Vocab[700][:3] + "*", 100},
		{"rare-pair", g.Vocab[15000] + " " + g.Vocab[19000], 0}, // few or no matches
	} {
		b.Run(tt.name, func(b *testing.B) {
			benchQuery(b, store.ArticleQuery{Search: tt.search, Limit: 100}, tt.atLeast)
		})
	}
}
