package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/newsdigest/newsdigest/store"
	"github.com/newsdigest/newsdigest/store/postgres"
	"github.com/newsdigest/newsdigest/store/sqlite"
	"github.com/newsdigest/newsdigest/store/storetest"
)

// envPostgres names the database the PostgreSQL tests use; each test works
// in a schema of its own.
const envPostgres = "NEWSDIGEST_TEST_POSTGRES"

// pgSchema creates an empty schema, dropped when the test ends, and returns
// a DSN whose search_path is that schema and whose application_name is its
// name. Without NEWSDIGEST_TEST_POSTGRES the test is skipped.
func pgSchema(t testing.TB) (dsn, schema string) {
	t.Helper()
	base := os.Getenv(envPostgres)
	if base == "" {
		t.Skipf("PostgreSQL tests skipped: set %s to a database to run them in, e.g. "+
			"%s='postgres://postgres@127.0.0.1:5432/test?sslmode=disable' go test ./cmd/newsdigest", envPostgres, envPostgres)
	}
	var b [6]byte
	rand.Read(b[:])
	schema = "nd_cmd_" + hex.EncodeToString(b[:])
	pgAdmin(t, base, `CREATE SCHEMA `+schema)
	t.Cleanup(func() { pgAdmin(t, base, `DROP SCHEMA `+schema+` CASCADE`) })
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("%s: %v", envPostgres, err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	q.Set("application_name", schema)
	u.RawQuery = q.Encode()
	return u.String(), schema
}

// pgAdmin runs statements on a connection of its own to dsn.
func pgAdmin(t testing.TB, dsn string, sqls ...string) {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatalf("connect to PostgreSQL: %v", err)
	}
	defer conn.Close(ctx)
	for _, q := range sqls {
		if _, err := conn.Exec(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
}

func openSQLite(t testing.TB, path string) *sqlite.Store {
	t.Helper()
	s, err := sqlite.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func openPostgres(t testing.TB, dsn string) *postgres.Store {
	t.Helper()
	s, err := postgres.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// A SQLite store filled through the contract reads back the same through
// the contract from PostgreSQL after 'newsdigest migrate'.
func TestMigrateSQLiteToPostgres(t *testing.T) {
	dsn, _ := pgSchema(t)
	path := filepath.Join(t.TempDir(), "nd.db")
	from := openSQLite(t, path)
	storetest.Fill(t, from)

	c := newCLI(t)
	code, stdout, stderr := c.run("migrate", "--from", path, "--to", dsn)
	if code != 0 {
		t.Fatalf("migrate: exit %d\n%s%s", code, stdout, stderr)
	}
	if !strings.Contains(stdout, "counts verified") || !strings.Contains(stdout, "articles") {
		t.Errorf("migrate printed no verified counts:\n%s", stdout)
	}
	to := openPostgres(t, dsn)
	storetest.SameContent(t, to, from)

	// A second run into the now full destination is refused...
	code, _, stderr = c.run("migrate", "--from", path, "--to", dsn)
	if code != 1 || !strings.Contains(stderr, "not empty") || !strings.Contains(stderr, "--resume") {
		t.Errorf("migrate into a full destination: exit %d, %q; want a refusal naming --resume", code, stderr)
	}
	// ...unless resumed, which changes nothing.
	if code, stdout, stderr := c.run("migrate", "--from", path, "--to", dsn, "--resume"); code != 0 {
		t.Fatalf("migrate --resume over a finished copy: exit %d\n%s%s", code, stdout, stderr)
	}
	storetest.SameContent(t, to, from)
}

// An interrupted migration (the destination holds the first part of the
// copy) is finished by running it again with --resume; a destination
// holding anything else is not overwritten.
func TestMigrateResume(t *testing.T) {
	ctx := context.Background()
	dsn, _ := pgSchema(t)
	path := filepath.Join(t.TempDir(), "nd.db")
	from := openSQLite(t, path)
	storetest.Fill(t, from)
	to := openPostgres(t, dsn)
	// What an interruption after the first page of articles leaves.
	srcs, err := from.Sources(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := to.LoadSources(ctx, srcs); err != nil {
		t.Fatal(err)
	}
	first, err := from.DumpArticles(ctx, 0, 10)
	if err != nil {
		t.Fatal(err)
	}
	if err := to.LoadArticles(ctx, first); err != nil {
		t.Fatal(err)
	}

	c := newCLI(t)
	if code, _, stderr := c.run("migrate", "--from", path, "--to", dsn); code != 1 || !strings.Contains(stderr, "not empty") {
		t.Fatalf("migrate into a half-copied destination without --resume: exit %d, %q; want a refusal", code, stderr)
	}
	if code, stdout, stderr := c.run("migrate", "--from", path, "--to", dsn, "--resume"); code != 0 {
		t.Fatalf("migrate --resume: exit %d\n%s%s", code, stdout, stderr)
	}
	storetest.SameContent(t, to, from)

	// Another store's records in the destination: --resume refuses.
	other := filepath.Join(t.TempDir(), "other.db")
	o := openSQLite(t, other)
	if err := o.AddSource(ctx, &store.Source{URL: "https://elsewhere.example.com/feed"}); err != nil {
		t.Fatal(err)
	}
	code, _, stderr := c.run("migrate", "--from", other, "--to", dsn, "--resume")
	if code != 1 || !strings.Contains(stderr, "not an interrupted copy") && !strings.Contains(stderr, "not from this source") {
		t.Errorf("migrate --resume from another store: exit %d, %q; want a refusal", code, stderr)
	}
	storetest.SameContent(t, to, from) // untouched
}

func TestMigrateUsage(t *testing.T) {
	c := newCLI(t)
	missing := filepath.Join(t.TempDir(), "missing.db")
	for _, tt := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"migrate"}, 2, "--from and --to"},
		{[]string{"migrate", "--from", missing}, 2, "--from and --to"},
		{[]string{"migrate", "--from", missing, "--to", missing}, 2, "same database"},
		{[]string{"migrate", "--from", missing, "--to", filepath.Join(t.TempDir(), "to.db")}, 1, "no such file"},
	} {
		code, _, stderr := c.run(tt.args...)
		if code != tt.code || !strings.Contains(stderr, tt.want) {
			t.Errorf("%v: exit %d, %q; want %d and %q", tt.args, code, stderr, tt.code, tt.want)
		}
	}
	if _, err := os.Stat(missing); err == nil {
		t.Error("migrate created the missing source database")
	}
}
