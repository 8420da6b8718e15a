package postgres

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"os"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/newsdigest/newsdigest/store"
	"github.com/newsdigest/newsdigest/store/storetest"
)

// envDSN names the database the tests use. Each test works in a schema of
// its own, created and dropped by the test.
const envDSN = "NEWSDIGEST_TEST_POSTGRES"

func baseDSN(t testing.TB) string {
	t.Helper()
	dsn := os.Getenv(envDSN)
	if dsn == "" {
		t.Skipf("PostgreSQL tests skipped: set %s to a database to run them in, e.g. "+
			"%s='postgres://postgres@127.0.0.1:5432/test?sslmode=disable' go test ./store/postgres", envDSN, envDSN)
	}
	return dsn
}

// withParams adds connection parameters to a URL or keyword/value DSN.
func withParams(t testing.TB, dsn string, params map[string]string) string {
	t.Helper()
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		u, err := url.Parse(dsn)
		if err != nil {
			t.Fatalf("%s: %v", envDSN, err)
		}
		q := u.Query()
		for k, v := range params {
			q.Set(k, v)
		}
		u.RawQuery = q.Encode()
		return u.String()
	}
	for k, v := range params {
		dsn += fmt.Sprintf(" %s=%s", k, v)
	}
	return dsn
}

// admin runs f on a connection of its own to the test database, outside
// any test schema.
func admin(t testing.TB, f func(ctx context.Context, conn *pgx.Conn) error) {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, baseDSN(t))
	if err != nil {
		t.Fatalf("connect to %s: %v", envDSN, err)
	}
	defer conn.Close(ctx)
	if err := f(ctx, conn); err != nil {
		t.Fatal(err)
	}
}

// newSchema creates an empty schema nd_test_<random>, dropped when the test
// ends, and returns a DSN whose search_path is that schema and whose
// application_name is the schema's name (so that a test can find its
// connections).
func newSchema(t testing.TB) (dsn, schema string) {
	t.Helper()
	base := baseDSN(t)
	var b [6]byte
	rand.Read(b[:])
	schema = "nd_test_" + hex.EncodeToString(b[:])
	admin(t, func(ctx context.Context, conn *pgx.Conn) error {
		_, err := conn.Exec(ctx, `CREATE SCHEMA `+schema)
		return err
	})
	t.Cleanup(func() {
		admin(t, func(ctx context.Context, conn *pgx.Conn) error {
			_, err := conn.Exec(ctx, `DROP SCHEMA `+schema+` CASCADE`)
			return err
		})
	})
	return withParams(t, base, map[string]string{"search_path": schema, "application_name": schema}), schema
}

// open opens a store on dsn, closed when the test ends.
func open(t testing.TB, dsn string) *Store {
	t.Helper()
	s, err := Open(context.Background(), dsn)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// openTemp opens a store in a new schema.
func openTemp(t testing.TB) *Store {
	t.Helper()
	dsn, _ := newSchema(t)
	return open(t, dsn)
}

func TestContract(t *testing.T) {
	baseDSN(t)
	storetest.Run(t, func(t *testing.T) store.Store { return openTemp(t) })
}

// Two Stores on one schema are two replicas: a slot claimed through both at
// once must still go to exactly one owner.
func TestClaimTwoStores(t *testing.T) {
	dsn, _ := newSchema(t)
	a, b := open(t, dsn), open(t, dsn)
	storetest.ClaimRace(t, []store.Store{a, b}, 16)
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
	destructive := regexp.MustCompile(`(?i)\b(DROP\s+(TABLE|COLUMN|SCHEMA)|DELETE\s+FROM|TRUNCATE|RENAME\s+(TO|COLUMN)|ALTER\s+COLUMN\s+\w+\s+TYPE)\b`)
	for _, m := range ms {
		if loc := destructive.FindStringIndex(m.sql); loc != nil {
			t.Errorf("migration %s is destructive: %q", m.name, m.sql[loc[0]:loc[1]])
		}
	}
}

func schemaVersions(t *testing.T, s *Store) []int {
	t.Helper()
	rows, err := s.pool.Query(context.Background(), `SELECT version FROM schema_migrations ORDER BY version`)
	if err != nil {
		t.Fatal(err)
	}
	vs, err := pgx.CollectRows(rows, pgx.RowTo[int])
	if err != nil {
		t.Fatal(err)
	}
	return vs
}

// Replicas starting at once all open the store; the migrations are applied
// once.
func TestMigrateConcurrently(t *testing.T) {
	dsn, _ := newSchema(t)
	const replicas = 6
	stores := make([]*Store, replicas)
	errs := make([]error, replicas)
	var wg sync.WaitGroup
	for i := range replicas {
		wg.Add(1)
		go func() {
			defer wg.Done()
			stores[i], errs[i] = Open(context.Background(), dsn)
		}()
	}
	wg.Wait()
	for i, s := range stores {
		if errs[i] != nil {
			t.Errorf("replica %d: Open: %v", i, errs[i])
			continue
		}
		defer s.Close()
	}
	if t.Failed() {
		return
	}
	vs := schemaVersions(t, stores[0])
	if len(vs) != SchemaVersion() || vs[len(vs)-1] != SchemaVersion() {
		t.Errorf("schema_migrations = %v after %d concurrent opens, want 1..%d once each", vs, replicas, SchemaVersion())
	}
	// And the store works from every replica.
	for i, s := range stores {
		a := &store.Article{URL: fmt.Sprintf("https://news.example.com/%d", i), Title: "T", Body: fmt.Sprint("Body ", i)}
		if _, err := s.PutArticle(context.Background(), a); err != nil {
			t.Errorf("replica %d: PutArticle: %v", i, err)
		}
	}
}

func TestReopenAndRefuseNewerSchema(t *testing.T) {
	ctx := context.Background()
	dsn, _ := newSchema(t)
	s, err := Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	a := &store.Article{URL: "https://news.example.com/a", Title: "Kept", Body: "Survives a restart."}
	if _, err := s.PutArticle(ctx, a); err != nil {
		t.Fatal(err)
	}
	s.Close()

	s = open(t, dsn)
	if got, err := s.Article(ctx, a.ID); err != nil || got.Body != a.Body {
		t.Fatalf("article after reopen = %+v, %v", got, err)
	}
	if vs := schemaVersions(t, s); len(vs) != SchemaVersion() {
		t.Errorf("schema_migrations = %v after two opens", vs)
	}
	newer := SchemaVersion() + 1
	if _, err := s.pool.Exec(ctx, `INSERT INTO schema_migrations (version) VALUES ($1)`, newer); err != nil {
		t.Fatal(err)
	}
	s2, err := Open(ctx, dsn)
	if err == nil {
		s2.Close()
		t.Fatal("Open of a database with a newer schema succeeded")
	}
	if !errors.Is(err, ErrSchemaTooNew) || !strings.Contains(err.Error(), fmt.Sprint(newer)) {
		t.Errorf("error %v, want ErrSchemaTooNew naming version %d", err, newer)
	}
}

func TestOpenErrors(t *testing.T) {
	base := baseDSN(t)
	ctx := context.Background()
	for _, dsn := range []string{
		"postgres://postgres:secret@127.0.0.1:5432/test?sslmode=disable&pool_max_conns=lots",
		"postgres://postgres:secret@127.0.0.1:port/test",
		"postgres://postgres:secret@[::1/test%zz",
		"host=127.0.0.1 password=secret port=x",
		"postgres://postgres:secret@127.0.0.1:1/test?sslmode=disable&connect_timeout=2",
		withParams(t, base, map[string]string{"search_path": "nd_test_no_such_schema"}),
	} {
		s, err := Open(ctx, dsn)
		if err == nil {
			s.Close()
			t.Errorf("Open(%q) succeeded", dsn)
			continue
		}
		if strings.Contains(err.Error(), "secret") {
			t.Errorf("Open error %q shows the password", err)
		}
	}
	// Pool settings come from the DSN.
	dsn, _ := newSchema(t)
	s := open(t, withParams(t, dsn, map[string]string{"pool_max_conns": "3"}))
	if n := s.pool.Config().MaxConns; n != 3 {
		t.Errorf("MaxConns = %d, want 3 from pool_max_conns", n)
	}
}

// Text PostgreSQL cannot hold is refused as invalid, never stored cut.
func TestNulText(t *testing.T) {
	s := openTemp(t)
	ctx := context.Background()
	err := s.AddSource(ctx, &store.Source{Name: "bad\x00name", URL: "https://x.example.com/feed"})
	if !errors.Is(err, store.ErrInvalid) {
		t.Errorf("AddSource with a NUL in the name: %v, want ErrInvalid", err)
	}
	err = s.SaveChannel(ctx, &store.Channel{Platform: store.Telegram, ChatID: "1", Title: "a\x00b"})
	if !errors.Is(err, store.ErrInvalid) {
		t.Errorf("SaveChannel with a NUL in the title: %v, want ErrInvalid", err)
	}
	// Articles are normalised first: control characters go.
	a := &store.Article{URL: "https://x.example.com/a", Title: "T\x00itle", Body: "Bo\x00dy", Language: "e\x00n"}
	if _, err := s.PutArticle(ctx, a); err != nil {
		t.Fatalf("PutArticle with NULs: %v", err)
	}
	if got, err := s.Article(ctx, a.ID); err != nil || got.Title != "Title" || got.Body != "Body" || got.Language != "en" {
		t.Errorf("article = %+v, %v", got, err)
	}
}

func TestSearchTerms(t *testing.T) {
	tests := []struct {
		in   string
		want []searchTerm
	}{
		{"", nil},
		{"   ", nil},
		{"storm", []searchTerm{{"phraseto_tsquery", "storm"}}},
		{"storm warning", []searchTerm{{"phraseto_tsquery", "storm"}, {"phraseto_tsquery", "warning"}}},
		{"storm*", []searchTerm{{"to_tsquery", "'storm':*"}}},
		{"storm**", []searchTerm{{"to_tsquery", "'storm':*"}}},
		{"covid-1*", []searchTerm{{"to_tsquery", "'covid' <-> '1':*"}}},
		{"don't*", []searchTerm{{"to_tsquery", "'don' <-> 't':*"}}},
		{`it's'*`, []searchTerm{{"to_tsquery", "'it' <-> 's':*"}}},
		{"*", nil},
		{"(", nil},
		{`"`, nil},
		{`say "hi"`, []searchTerm{{"phraseto_tsquery", "say"}, {"phraseto_tsquery", `"hi"`}}},
		{"AND OR NOT", []searchTerm{{"phraseto_tsquery", "AND"}, {"phraseto_tsquery", "OR"}, {"phraseto_tsquery", "NOT"}}},
		{"a\x00b", []searchTerm{{"phraseto_tsquery", "ab"}}},
		{"a\xffb", []searchTerm{{"phraseto_tsquery", "a"}, {"phraseto_tsquery", "b"}}},
		{"моск*", []searchTerm{{"to_tsquery", "'моск':*"}}},
		{"€ 💥 -", nil},
	}
	for _, tt := range tests {
		got, err := searchTerms(tt.in)
		if err != nil {
			t.Errorf("searchTerms(%q): %v", tt.in, err)
			continue
		}
		if fmt.Sprint(got) != fmt.Sprint(tt.want) {
			t.Errorf("searchTerms(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	if _, err := searchTerms(strings.Repeat("word ", maxSearchWords+1)); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("searchTerms of %d words: %v, want ErrInvalid", maxSearchWords+1, err)
	}
	if _, err := searchTerms(strings.Repeat("x", maxSearchBytes+1)); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("searchTerms of %d bytes: %v, want ErrInvalid", maxSearchBytes+1, err)
	}
}

// FuzzSearch checks that no search string makes the query fail.
func FuzzSearch(f *testing.F) {
	for _, s := range []string{`"`, "AND (", "NEAR(a b, 3)", "a* OR b", "x\x00\"y", "{title body}: x", "^a", "Москва*",
		`'*`, `\*`, `a:*`, `!a*`, `a' | 'b*`, "\xff*", `(a & b):* <-> c`} {
		f.Add(s)
	}
	s := openTemp(f)
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
