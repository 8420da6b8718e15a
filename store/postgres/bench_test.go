package postgres

import (
	"context"
	"crypto/sha256"
	"fmt"
	"os"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/newsdigest/newsdigest/store"
	"github.com/newsdigest/newsdigest/store/storetest"
)

// The benchmarks mirror store/sqlite's, on the same synthetic news
// (storetest.Synth), so that one run of
//
//	go test -run '^$' -bench . ./store/sqlite ./store/postgres
//
// compares the backends. Times are wall time at the client: the server's
// work is in them, and the client's CPU alone would say little.

func BenchmarkPutArticles500(b *testing.B) {
	s := openTemp(b)
	as := storetest.Articles500()
	ctx := context.Background()
	var elapsed time.Duration
	for b.Loop() {
		b.StopTimer()
		if _, err := s.pool.Exec(ctx, `TRUNCATE articles RESTART IDENTITY CASCADE`); err != nil {
			b.Fatal(err)
		}
		batch := storetest.Copies(as)
		b.StartTimer()
		start := time.Now()
		outs, err := s.PutArticles(ctx, batch)
		elapsed += time.Since(start)
		b.StopTimer()
		if err != nil {
			b.Fatal(err)
		}
		for j, o := range outs {
			if o != store.Inserted {
				b.Fatalf("article %d: %v, want inserted", j, o)
			}
		}
		b.StartTimer()
	}
	b.ReportMetric(float64(len(as)*b.N)/elapsed.Seconds(), "articles/s")
}

func BenchmarkPutArticles500Again(b *testing.B) {
	s := openTemp(b)
	as := storetest.Articles500()
	ctx := context.Background()
	if _, err := s.PutArticles(ctx, storetest.Copies(as)); err != nil {
		b.Fatal(err)
	}
	var elapsed time.Duration
	for b.Loop() {
		b.StopTimer()
		batch := storetest.Copies(as)
		b.StartTimer()
		start := time.Now()
		outs, err := s.PutArticles(ctx, batch)
		elapsed += time.Since(start)
		if err != nil {
			b.Fatal(err)
		}
		for j, o := range outs {
			if o != store.Unchanged {
				b.Fatalf("article %d: %v, want unchanged", j, o)
			}
		}
	}
	b.ReportMetric(float64(len(as)*b.N)/elapsed.Seconds(), "articles/s")
}

// The big store (storetest.BigBatches) is built once in a schema of the
// test database named after the generator and the migrations, and kept, so
// that later runs reuse it (DROP SCHEMA nd_bench_... CASCADE to reclaim the
// space).
func bigSchema() string {
	h := sha256.New()
	ms, _ := loadMigrations()
	for _, m := range ms {
		h.Write([]byte(m.sql))
	}
	return fmt.Sprintf("nd_bench_%s_%x_%d", storetest.BigGenerator, h.Sum(nil)[:4], storetest.BigArticles)
}

var bigStoreOnce sync.Once

func openBigStore(b *testing.B) *Store {
	b.Helper()
	ctx := context.Background()
	schema := bigSchema()
	dsn := withParams(b, baseDSN(b), map[string]string{"search_path": schema})
	bigStoreOnce.Do(func() {
		var n int
		admin(b, func(ctx context.Context, conn *pgx.Conn) error {
			err := conn.QueryRow(ctx, `SELECT count(*) FROM `+schema+`.articles`).Scan(&n)
			if err == nil && n == storetest.BigArticles {
				return nil
			}
			n = 0
			_, err = conn.Exec(ctx, `DROP SCHEMA IF EXISTS `+schema+` CASCADE; CREATE SCHEMA `+schema)
			return err
		})
		if n == storetest.BigArticles {
			return
		}
		s, err := Open(ctx, dsn)
		if err != nil {
			b.Fatal(err)
		}
		defer s.Close()
		start := time.Now()
		err = storetest.BigBatches(func(batch []*store.Article) error {
			_, err := s.PutArticles(ctx, batch)
			return err
		})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := s.pool.Exec(ctx, `VACUUM ANALYZE articles`); err != nil {
			b.Fatal(err)
		}
		fmt.Fprintf(os.Stderr, "built schema %s: %d articles in %v\n", schema, storetest.BigArticles, time.Since(start).Round(time.Second))
	})
	s, err := Open(ctx, dsn)
	if err != nil {
		b.Fatal(err)
	}
	return s
}

// diskPerArticle is the articles table's size, its TOAST data and indexes
// included, divided by the number of articles.
func diskPerArticle(b *testing.B, s *Store) float64 {
	b.Helper()
	var size int64
	if err := s.pool.QueryRow(context.Background(), `SELECT pg_total_relation_size('articles')`).Scan(&size); err != nil {
		b.Fatal(err)
	}
	return float64(size) / storetest.BigArticles
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
	var ds []time.Duration
	var n int
	for b.Loop() {
		start := time.Now()
		as, err := s.Articles(ctx, q)
		ds = append(ds, time.Since(start))
		if err != nil {
			b.Fatal(err)
		}
		n = len(as)
	}
	if n < wantAtLeast {
		b.Fatalf("query %+v returned %d articles, want at least %d", q, n, wantAtLeast)
	}
	b.ReportMetric(p50(ds), "p50-ms")
	b.ReportMetric(disk, "disk-bytes/article")
	b.ReportMetric(float64(n), "rows")
}

func BenchmarkWindow24h(b *testing.B) {
	benchQuery(b, store.ArticleQuery{Since: storetest.BigAnchor.Add(-24 * time.Hour), Limit: 5000}, storetest.BigRecent)
}

// BenchmarkSearch runs the searches of store/sqlite's BenchmarkSearch.
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
