package bot

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/newsdigest/newsdigest/digest"
	"github.com/newsdigest/newsdigest/store"
	"github.com/newsdigest/newsdigest/store/postgres"
	"github.com/newsdigest/newsdigest/store/sqlite"
)

// The benchmarks' stores hold the 100,000 articles of newsGen with their
// analyses, as a running bot's store does (ingest analyses every article).
// They are built once and kept: the SQLite file in os.TempDir, the
// PostgreSQL copy in a schema of the test database, both named after the
// generator and the engine version, so a rerun starts at once (delete
// /tmp/newsdigest-botbench-* or DROP SCHEMA nd_botbench_... CASCADE to
// reclaim the space). The PostgreSQL copy is made from the SQLite file,
// so both backends hold the same data.

const envPostgres = "NEWSDIGEST_TEST_POSTGRES"

func benchStoreName() string {
	return fmt.Sprintf("botbench_%s_v%d_%d", newsGenerator, digest.Version, newsArticles)
}

var (
	sqliteBenchOnce sync.Once
	sqliteBenchErr  error
)

// openSQLiteBench opens the cached SQLite store, building it first if need be.
func openSQLiteBench(b *testing.B) *sqlite.Store {
	b.Helper()
	path := filepath.Join(os.TempDir(), "newsdigest-"+benchStoreName()+".db")
	sqliteBenchOnce.Do(func() {
		if _, err := os.Stat(path); err == nil {
			return
		}
		start := time.Now()
		if sqliteBenchErr = buildSQLiteBench(path + ".tmp"); sqliteBenchErr != nil {
			return
		}
		for _, suffix := range []string{"-wal", "-shm"} {
			os.Remove(path + ".tmp" + suffix)
		}
		sqliteBenchErr = os.Rename(path+".tmp", path)
		fmt.Fprintf(os.Stderr, "built %s in %v\n", path, time.Since(start).Round(time.Second))
	})
	if sqliteBenchErr != nil {
		b.Fatal(sqliteBenchErr)
	}
	s, err := sqlite.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	if n, err := s.CountArticles(context.Background()); err != nil || n != newsArticles {
		s.Close()
		b.Fatalf("%s holds %d articles (%v); remove it to rebuild", path, n, err)
	}
	return s
}

func buildSQLiteBench(path string) error {
	for _, suffix := range []string{"", "-wal", "-shm"} {
		os.Remove(path + suffix)
	}
	s, err := sqlite.Open(path)
	if err != nil {
		return err
	}
	defer s.Close()
	ctx := context.Background()
	srcs := newsSources()
	for _, src := range srcs {
		if err := s.AddSource(ctx, src); err != nil {
			return err
		}
	}
	g := newNewsGen()
	batch := make([]*store.Article, 0, 5000)
	for i := range newsArticles {
		a, outlet := g.nextArticle()
		a.SourceID = srcs[outlet].ID
		batch = append(batch, a)
		if len(batch) < cap(batch) && i < newsArticles-1 {
			continue
		}
		if err := putWithAnalyses(ctx, s, batch, nil); err != nil {
			return err
		}
		batch = batch[:0]
	}
	return failSources(ctx, s, srcs, g.next)
}

// failSources marks a few sources as failing, as a real feed list has.
func failSources(ctx context.Context, s store.Store, srcs []*store.Source, now time.Time) error {
	for i, src := range srcs {
		st := store.FetchState{LastFetch: now, LastSuccess: now, NextPoll: now.Add(15 * time.Minute)}
		if i%(len(srcs)/newsFailing) == 1 {
			st.LastSuccess = now.Add(-time.Duration(i) * time.Hour)
			st.LastError, st.LastErrorAt, st.Failures = "fetch: 503 Service Unavailable", now, 3+i%5
		}
		if err := s.SetFetchState(ctx, src.ID, st); err != nil {
			return err
		}
	}
	return nil
}

// putWithAnalyses stores a batch of articles, all new, with their analyses:
// computed unless given (by the articles' positions).
func putWithAnalyses(ctx context.Context, s store.Store, batch []*store.Article, ans []*store.Analysis) error {
	outs, err := s.PutArticles(ctx, batch)
	if err != nil {
		return err
	}
	for i, o := range outs {
		if o != store.Inserted {
			return fmt.Errorf("bench store: article %q: %v, want inserted", batch[i].URL, o)
		}
	}
	if ans == nil {
		ans = make([]*store.Analysis, len(batch))
		var wg sync.WaitGroup
		workers := runtime.GOMAXPROCS(0)
		for w := range workers {
			wg.Go(func() {
				for i := w; i < len(batch); i += workers {
					ans[i] = Analyse(batch[i])
				}
			})
		}
		wg.Wait()
	}
	for i, an := range ans {
		an.ArticleID = batch[i].ID
	}
	return s.PutAnalyses(ctx, ans)
}

// newsNow is the present of a bench store: a minute after its newest article.
func newsNow(b *testing.B, s store.Store) time.Time {
	b.Helper()
	as, err := s.Articles(context.Background(), store.ArticleQuery{Limit: 1})
	if err != nil || len(as) == 0 {
		b.Fatalf("newest article: %v", err)
	}
	return as[0].EffectiveTime().Add(time.Minute).Truncate(time.Minute)
}

var (
	pgBenchOnce sync.Once
	pgBenchErr  error
)

// openPostgresBench opens the cached PostgreSQL copy of the SQLite store,
// making it first if need be; it skips without NEWSDIGEST_TEST_POSTGRES.
func openPostgresBench(b *testing.B) *postgres.Store {
	b.Helper()
	base := os.Getenv(envPostgres)
	if base == "" {
		b.Skipf("PostgreSQL benchmarks skipped: set %s, e.g. %s='postgres://postgres@127.0.0.1:5432/test?sslmode=disable'", envPostgres, envPostgres)
	}
	schema := "nd_" + benchStoreName()
	u, err := url.Parse(base)
	if err != nil {
		b.Fatalf("%s: %v", envPostgres, err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	dsn := u.String()
	ctx := context.Background()
	pgBenchOnce.Do(func() {
		conn, err := pgx.Connect(ctx, base)
		if err != nil {
			pgBenchErr = err
			return
		}
		defer conn.Close(ctx)
		var n int
		if conn.QueryRow(ctx, `SELECT count(*) FROM `+schema+`.analyses`).Scan(&n) == nil && n == newsArticles {
			return
		}
		if _, pgBenchErr = conn.Exec(ctx, `DROP SCHEMA IF EXISTS `+schema+` CASCADE; CREATE SCHEMA `+schema); pgBenchErr != nil {
			return
		}
		src := openSQLiteBench(b)
		defer src.Close()
		start := time.Now()
		if pgBenchErr = copyBenchStore(ctx, src, dsn); pgBenchErr == nil {
			fmt.Fprintf(os.Stderr, "built schema %s in %v\n", schema, time.Since(start).Round(time.Second))
		}
	})
	if pgBenchErr != nil {
		b.Fatal(pgBenchErr)
	}
	s, err := postgres.Open(ctx, dsn)
	if err != nil {
		b.Fatal(err)
	}
	return s
}

// copyBenchStore copies every source, article and analysis of src into a
// new store at dsn, a day of articles at a time, oldest first.
func copyBenchStore(ctx context.Context, src store.Store, dsn string) error {
	dst, err := postgres.Open(ctx, dsn)
	if err != nil {
		return err
	}
	defer dst.Close()
	srcs, err := src.Sources(ctx)
	if err != nil {
		return err
	}
	ids := map[int64]int64{}
	for _, s := range srcs {
		c := *s
		if err := dst.AddSource(ctx, &c); err != nil {
			return err
		}
		ids[s.ID] = c.ID
	}
	copied := 0
	for day := newsStart.Add(-24 * time.Hour); copied < newsArticles; day = day.Add(24 * time.Hour) {
		if day.After(newsStart.Add(365 * 24 * time.Hour)) {
			return fmt.Errorf("bench store: copied %d articles, want %d", copied, newsArticles)
		}
		as, err := src.Articles(ctx, store.ArticleQuery{Since: day, Until: day.Add(24 * time.Hour), Limit: store.MaxLimit})
		if err != nil {
			return err
		}
		if len(as) == 0 {
			continue
		}
		slices.Reverse(as) // oldest first, as they were stored
		oldIDs := make([]int64, len(as))
		for i, a := range as {
			oldIDs[i] = a.ID
			a.ID, a.Hash, a.SourceID = 0, "", ids[a.SourceID]
		}
		have, err := src.Analyses(ctx, oldIDs, digest.Version)
		if err != nil {
			return err
		}
		ans := make([]*store.Analysis, len(as))
		for i, id := range oldIDs {
			if ans[i] = have[id]; ans[i] == nil {
				return fmt.Errorf("bench store: article %d has no analysis", id)
			}
		}
		if err := putWithAnalyses(ctx, dst, as, ans); err != nil {
			return err
		}
		copied += len(as)
	}
	for _, s := range srcs {
		if err := dst.SetFetchState(ctx, ids[s.ID], s.State); err != nil {
			return err
		}
	}
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	_, err = conn.Exec(ctx, `VACUUM ANALYZE`)
	return err
}
