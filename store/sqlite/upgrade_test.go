package sqlite

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"

	"github.com/newsdigest/newsdigest/store"
)

// A database of schema 1, written before outlets, channels, analyses and
// slots existed, opens, upgrades in place and keeps its articles; each
// article gets its outlet the next time it is put.
func TestUpgradeFromSchema1(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "old.db")
	ms, err := loadMigrations()
	if err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	a := &store.Article{URL: "https://news.example.com/old", Title: "Old story", Body: "Stored by schema 1.", Outlet: "Old Times"}
	if err := a.Normalize(); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		ms[0].sql,
		`CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied INTEGER NOT NULL)`,
		`INSERT INTO schema_migrations VALUES (1, 0)`,
	} {
		if _, err := db.Exec(q); err != nil {
			db.Close()
			t.Fatal(err)
		}
	}
	hash := store.ContentHash(a.Title, a.Body)
	if _, err := db.Exec(`INSERT INTO articles (sort_key, id, url, title, fetched, body, hash) VALUES (?, 1, ?, ?, ?, ?, unhex(?))`,
		keyFloor(nowMillis()), a.URL, a.Title, nowMillis().UnixMilli(), a.Body, hash); err != nil {
		db.Close()
		t.Fatal(err)
	}
	db.Close()

	s, err := Open(path)
	if err != nil {
		t.Fatalf("Open of a schema 1 database: %v", err)
	}
	defer s.Close()
	if vs := schemaVersions(t, path); len(vs) != SchemaVersion() {
		t.Errorf("schema_migrations = %v after the upgrade, want 1..%d", vs, SchemaVersion())
	}
	got, err := s.Article(ctx, 1)
	if err != nil || got.Title != a.Title || got.Outlet != "" || got.Hash != hash {
		t.Fatalf("old article after the upgrade = %+v, %v", got, err)
	}
	out, err := s.PutArticle(ctx, &store.Article{URL: a.URL, Title: a.Title, Body: a.Body, Outlet: "Old Times"})
	if err != nil || out != store.Unchanged {
		t.Fatalf("PutArticle of the old article = %v, %v; want unchanged", out, err)
	}
	if got, err := s.Article(ctx, 1); err != nil || got.Outlet != "Old Times" {
		t.Errorf("old article's outlet after a put = %q, %v; want %q", got.Outlet, err, "Old Times")
	}
	// The new tables work on the upgraded file.
	c := &store.Channel{Platform: store.Telegram, ChatID: "1"}
	if err := s.SaveChannel(ctx, c); err != nil {
		t.Fatal(err)
	}
	if err := s.PutAnalyses(ctx, []*store.Analysis{{ArticleID: 1, Version: 1}}); err != nil {
		t.Fatal(err)
	}
}

// An analysis goes with its article, and its quotes with it; deliveries
// and slots go with their channel. No API deletes articles yet, so the
// test deletes one by hand.
func TestCascades(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	a := &store.Article{URL: "https://news.example.com/a", Title: "A", Body: "Quoted."}
	if _, err := s.PutArticle(ctx, a); err != nil {
		t.Fatal(err)
	}
	an := &store.Analysis{ArticleID: a.ID, Version: 1, Quotes: []store.StoredQuote{{Text: "q", Speaker: "S", Key: true}}}
	if err := s.PutAnalyses(ctx, []*store.Analysis{an}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.w.ExecContext(ctx, `DELETE FROM articles WHERE id = ?`, a.ID); err != nil {
		t.Fatal(err)
	}
	for _, table := range []string{"analyses", "analysis_quotes"} {
		var n int
		if err := s.r.QueryRowContext(ctx, `SELECT count(*) FROM `+table).Scan(&n); err != nil || n != 0 {
			t.Errorf("%s holds %d rows (%v) after its article was deleted", table, n, err)
		}
	}
}
