package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/newsdigest/newsdigest/store"
	"github.com/newsdigest/newsdigest/store/storetest"
)

func openTemp(t *testing.T) *Store {
	t.Helper()
	s, err := Open(filepath.Join(t.TempDir(), "news.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return s
}

func TestContract(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Store { return openTemp(t) })
}

func TestContractInMemory(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Store {
		s, err := Open(":memory:")
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	})
}

func schemaVersions(t *testing.T, path string) []int {
	t.Helper()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Query(`SELECT version FROM schema_migrations ORDER BY version`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var vs []int
	for rows.Next() {
		var v int
		if err := rows.Scan(&v); err != nil {
			t.Fatal(err)
		}
		vs = append(vs, v)
	}
	return vs
}

func TestReopen(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "news.db")
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	src := &store.Source{Name: "Wire", URL: "https://wire.example.com/rss"}
	if err := s.AddSource(ctx, src); err != nil {
		t.Fatal(err)
	}
	a := &store.Article{URL: "https://news.example.com/a", SourceID: src.ID, Title: "Kept", Body: "Survives a restart."}
	if _, err := s.PutArticle(ctx, a); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	for range 2 {
		s, err = Open(path)
		if err != nil {
			t.Fatalf("reopen: %v", err)
		}
		got, err := s.Article(ctx, a.ID)
		if err != nil {
			t.Fatalf("article after reopen: %v", err)
		}
		if got.Body != a.Body || got.SourceID != src.ID {
			t.Errorf("article after reopen = %+v", got)
		}
		found, err := s.Articles(ctx, store.ArticleQuery{Search: "restart"})
		if err != nil || len(found) != 1 {
			t.Errorf("search after reopen = %d, %v", len(found), err)
		}
		if out, err := s.PutArticle(ctx, &store.Article{URL: a.URL, Title: a.Title, Body: a.Body}); err != nil || out != store.Unchanged {
			t.Errorf("PutArticle after reopen = %v, %v; want unchanged", out, err)
		}
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
	}
	vs := schemaVersions(t, path)
	if len(vs) != SchemaVersion() || vs[len(vs)-1] != SchemaVersion() {
		t.Errorf("schema_migrations = %v after three opens, want 1..%d once each", vs, SchemaVersion())
	}
}

func TestRefuseNewerSchema(t *testing.T) {
	path := filepath.Join(t.TempDir(), "news.db")
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	newer := SchemaVersion() + 1
	if _, err := db.Exec(`INSERT INTO schema_migrations (version, applied) VALUES (?, 0)`, newer); err != nil {
		t.Fatal(err)
	}
	db.Close()

	s, err = Open(path)
	if err == nil {
		s.Close()
		t.Fatal("Open of a database with a newer schema succeeded")
	}
	if !errors.Is(err, ErrSchemaTooNew) {
		t.Errorf("error %v, want ErrSchemaTooNew", err)
	}
	if !strings.Contains(err.Error(), fmt.Sprint(newer)) {
		t.Errorf("error %q does not say which version the database has", err)
	}
	if vs := schemaVersions(t, path); len(vs) != SchemaVersion()+1 {
		t.Errorf("schema_migrations = %v: the refused open changed it", vs)
	}
}

func TestMigrations(t *testing.T) {
	ms, err := loadMigrations()
	if err != nil {
		t.Fatal(err)
	}
	if len(ms) == 0 || SchemaVersion() != len(ms) {
		t.Fatalf("%d migrations, SchemaVersion %d", len(ms), SchemaVersion())
	}
	// Upgrades must never lose data.
	destructive := regexp.MustCompile(`(?i)\b(DROP\s+(TABLE|COLUMN)|DELETE\s+FROM|TRUNCATE|RENAME\s+(TO|COLUMN))\b`)
	for _, m := range ms {
		if loc := destructive.FindStringIndex(m.sql); loc != nil {
			t.Errorf("migration %s is destructive: %q", m.name, m.sql[loc[0]:loc[1]])
		}
	}
}

func TestOpenErrors(t *testing.T) {
	dir := t.TempDir()
	junk := filepath.Join(dir, "junk.db")
	if err := os.WriteFile(junk, []byte(strings.Repeat("not a database ", 100)), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{"", dir, junk, filepath.Join(dir, "missing", "dir", "x.db")} {
		s, err := Open(path)
		if err == nil {
			s.Close()
			t.Errorf("Open(%q) succeeded", path)
		}
	}
	// Paths with URI-special characters are plain file names.
	odd := filepath.Join(dir, "odd?name#with%chars.db")
	s, err := Open(odd)
	if err != nil {
		t.Fatalf("Open(%q): %v", odd, err)
	}
	s.Close()
	if _, err := os.Stat(odd); err != nil {
		t.Errorf("database not created at %q: %v", odd, err)
	}
}

// Two Stores on one file behave like two processes: they share the file
// only through SQLite's locks, and the busy timeout must absorb the waits.
func TestTwoStoresOneFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "news.db")
	var stores [2]*Store
	for i := range stores {
		s, err := Open(path)
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		stores[i] = s
	}
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for w := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s := stores[w%2]
			for i := range 10 {
				batch := make([]*store.Article, 20)
				for j := range batch {
					batch[j] = &store.Article{
						URL:   fmt.Sprintf("https://news.example.com/%d/%d/%d", w, i, j),
						Title: fmt.Sprintf("Item %d %d %d", w, i, j),
						Body:  "Body text for the concurrency test.",
					}
				}
				if _, err := s.PutArticles(context.Background(), batch); err != nil {
					errs <- err
					return
				}
				if _, err := s.Articles(context.Background(), store.ArticleQuery{Search: "concurrency", Limit: 10}); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	n, err := stores[0].CountArticles(context.Background())
	if err != nil || n != 4*10*20 {
		t.Errorf("CountArticles = %d, %v; want %d", n, err, 4*10*20)
	}
}

// The write path's lookups and the queries must use indexes, and queries
// must not sort: a table scan or a sort of every match would make
// re-ingest, digests and searches slow as the store grows.
func TestQueryPlans(t *testing.T) {
	s := openTemp(t)
	window, args, err := articlesQuery(store.ArticleQuery{Since: time.Now().Add(-24 * time.Hour), Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	search, sargs, err := articlesQuery(store.ArticleQuery{Search: "storm", Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	searchWindow, swargs, err := articlesQuery(store.ArticleQuery{Search: "storm", Since: time.Now().Add(-time.Hour), Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	bySource, bsargs, err := articlesQuery(store.ArticleQuery{SourceID: 3, Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		query string
		args  []any
		want  string
	}{
		{"by url", sqlArticleByURL, []any{"https://x/"}, "USING INDEX sqlite_autoindex_articles_2 (url=?)"},
		{"max key", sqlMaxSortKey, []any{1, 2}, "USING INTEGER PRIMARY KEY (rowid>? AND rowid<?)"},
		{"by id", `SELECT ` + articleColumns + ` FROM articles WHERE id = ?`, []any{1}, "USING INDEX sqlite_autoindex_articles_1 (id=?)"},
		{"by hash", sqlArticleIDByHash, []any{[]byte("h")}, "USING INDEX articles_hash"},
		{"window", window, args, "SEARCH a USING INTEGER PRIMARY KEY (rowid>?)"},
		// FTS5 plans: 192 is ORDER BY rowid DESC done by FTS5; after the
		// colon, M is the MATCH and ">" a lower bound on the rowid.
		{"search", search, sargs, "SCAN f VIRTUAL TABLE INDEX 192:"},
		{"search in a window", searchWindow, swargs, "SCAN f VIRTUAL TABLE INDEX 192:M2>; SEARCH a USING INTEGER PRIMARY KEY (rowid=?)"},
		{"source", bySource, bsargs, "USING INDEX articles_source (source_id=?)"},
		// Prune's batches read only the rows they delete, and their ends.
		{"prune slots", sqlPruneSlots, []any{1, 2, 3}, "SEARCH s USING COVERING INDEX slots_done (channel_id>?); CORRELATED SCALAR SUBQUERY 1; SEARCH l USING COVERING INDEX slots_done (channel_id=?)"},
		{"prune delivered", sqlPruneDelivered, []any{1, 2, 3}, "SEARCH delivered USING COVERING INDEX delivered_at (channel_id>?)"},
		{"prune articles' window", sqlArticleWindow, []any{1, 2, 3}, "SEARCH articles USING INTEGER PRIMARY KEY (rowid>? AND rowid<?)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rows, err := s.r.Query(`EXPLAIN QUERY PLAN `+tt.query, tt.args...)
			if err != nil {
				t.Fatal(err)
			}
			defer rows.Close()
			var plan []string
			for rows.Next() {
				var id, parent, notused int
				var detail string
				if err := rows.Scan(&id, &parent, &notused, &detail); err != nil {
					t.Fatal(err)
				}
				plan = append(plan, detail)
			}
			p := strings.Join(plan, "; ")
			if !strings.Contains(p, tt.want) || strings.Contains(p, "SCAN a") || strings.Contains(p, "TEMP B-TREE") {
				t.Errorf("plan %q: want %q, no full scan of articles and no sort", p, tt.want)
			}
		})
	}
}

// The write path keeps the full-text index by hand; FTS5's integrity check
// compares the index with the articles table after every kind of write.
func TestFTSIntegrity(t *testing.T) {
	s := openTemp(t)
	ctx := context.Background()
	check := func(when string) {
		t.Helper()
		if _, err := s.w.ExecContext(ctx, `INSERT INTO articles_fts (articles_fts, rank) VALUES ('integrity-check', 1)`); err != nil {
			t.Fatalf("integrity check after %s: %v", when, err)
		}
	}
	check("nothing")
	at := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	a := func(url, body string, published time.Time) *store.Article {
		return &store.Article{URL: url, Title: "Title of " + url, Body: body, Published: published}
	}
	steps := []struct {
		name  string
		batch []*store.Article
	}{
		{"inserts", []*store.Article{a("https://x.example/1", "one", at), a("https://x.example/2", "two", at), a("", "no url", time.Time{})}},
		{"unchanged", []*store.Article{a("https://x.example/1", "one", at), a("https://mirror.example/2", "two", at)}},
		{"update in place", []*store.Article{a("https://x.example/1", "one, corrected", at)}},
		{"update moving in time", []*store.Article{a("https://x.example/2", "two, later", at.Add(time.Hour))}},
		{"insert and updates in one batch", []*store.Article{
			a("https://x.example/3", "three", at), a("https://x.example/3", "three again", at),
			a("https://x.example/3", "three moved", at.Add(-time.Hour)), a("https://x.example/1", "one again", at),
			a("https://x.example/1", "one once more", at.Add(time.Minute)),
		}},
		{"same millisecond", []*store.Article{a("https://x.example/4", "four", at), a("https://x.example/5", "five", at)}},
		{"date beyond the key range", []*store.Article{a("https://x.example/6", "six", time.Date(2500, 1, 1, 0, 0, 0, 0, time.UTC))}},
	}
	for _, st := range steps {
		if _, err := s.PutArticles(ctx, st.batch); err != nil {
			t.Fatalf("%s: %v", st.name, err)
		}
		check(st.name)
	}
	// A failed batch leaves the index as it was.
	if _, err := s.PutArticles(ctx, []*store.Article{a("https://x.example/7", "seven", at), {URL: "https://x.example/8", SourceID: 99, Title: "t"}}); err == nil {
		t.Fatal("batch with an unknown source succeeded")
	}
	check("a failed batch")
	if _, err := s.w.ExecContext(ctx, `DELETE FROM articles WHERE url = 'https://x.example/4'`); err != nil {
		t.Fatal(err)
	}
	check("a delete")
	// Prune deletes what was fetched before its time too: every article
	// but the one dated beyond it.
	got, err := s.Prune(ctx, store.PruneRequest{Articles: time.Now().Add(time.Hour), Batch: 2})
	if err != nil || got.Articles != 6 {
		t.Fatalf("Prune = %+v, %v; want 6 articles deleted", got, err)
	}
	check("a prune")
}

func TestFTSQuery(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"   ", ""},
		{"storm", `"storm"`},
		{"storm warning", `"storm" "warning"`},
		{"storm*", `"storm"*`},
		{"storm**", `"storm"*`},
		{"*", ""},
		{"(", ""},
		{`"`, ""},
		{`say "hi"`, `"say" """hi"""`},
		{"AND OR NOT", `"AND" "OR" "NOT"`},
		{"NEAR(a b)", `"NEAR(a" "b)"`},
		{"don't", `"don't"`},
		{"a\x00b", `"ab"`},
		{"Москва", `"Москва"`},
		{"€ 💥 -", ""},
	}
	for _, tt := range tests {
		got, err := ftsQuery(tt.in)
		if err != nil {
			t.Errorf("ftsQuery(%q): %v", tt.in, err)
			continue
		}
		if got != tt.want {
			t.Errorf("ftsQuery(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	if _, err := ftsQuery(strings.Repeat("word ", maxSearchWords+1)); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("ftsQuery of %d words: %v, want ErrInvalid", maxSearchWords+1, err)
	}
	if _, err := ftsQuery(strings.Repeat("x", maxSearchBytes+1)); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("ftsQuery of %d bytes: %v, want ErrInvalid", maxSearchBytes+1, err)
	}
}

// FuzzSearch checks that no search string makes the query fail.
func FuzzSearch(f *testing.F) {
	for _, s := range []string{`"`, "AND (", "NEAR(a b, 3)", "a* OR b", "x\x00\"y", "{title body}: x", "^a", "Москва*"} {
		f.Add(s)
	}
	s, err := Open(filepath.Join(f.TempDir(), "fuzz.db"))
	if err != nil {
		f.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	if _, err := s.PutArticle(ctx, &store.Article{URL: "https://x.example.com/", Title: "A title", Body: "Some body text."}); err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, search string) {
		_, err := s.Articles(ctx, store.ArticleQuery{Search: search})
		if err != nil && !errors.Is(err, store.ErrInvalid) {
			t.Fatalf("Articles(Search: %q): %v", search, err)
		}
	})
}
