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

// The write path's lookups and the window query must use indexes: a table
// scan there would make re-ingest and digests slow as the store grows.
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
	tests := []struct {
		name  string
		query string
		args  []any
		want  string
	}{
		{"by url", sqlArticleIDByURL, []any{"https://x/"}, "USING INDEX sqlite_autoindex_articles_1"},
		{"by hash", sqlArticleIDByHash, []any{[]byte("h")}, "USING INDEX articles_hash"},
		{"window", window, args, "USING INDEX articles_time"},
		{"search", search, sargs, "VIRTUAL TABLE INDEX"},
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
			if !strings.Contains(p, tt.want) || strings.Contains(p, "SCAN articles ") || strings.HasSuffix(p, "SCAN articles") {
				t.Errorf("plan %q: want %q and no full scan of articles", p, tt.want)
			}
		})
	}
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
