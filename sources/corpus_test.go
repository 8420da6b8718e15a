package sources

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/newsdigest/newsdigest/store"
)

// corpusDir finds the evaluation corpus: $NEWSDIGEST_CORPUS, or
// ../shared/corpus from the module root. It skips the test when absent.
func corpusDir(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("NEWSDIGEST_CORPUS")
	if dir == "" {
		root, err := filepath.Abs(".")
		if err != nil {
			t.Fatal(err)
		}
		for {
			if _, err := os.Stat(filepath.Join(root, "go.mod")); err == nil {
				break
			}
			parent := filepath.Dir(root)
			if parent == root {
				t.Skip("corpus not found: no go.mod above the test; set NEWSDIGEST_CORPUS")
			}
			root = parent
		}
		dir = filepath.Join(root, "..", "shared", "corpus")
	}
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("corpus not found at %s (set NEWSDIGEST_CORPUS): %v", dir, err)
	}
	return dir
}

// TestImportCorpusText imports the BBC articles, which are plain text
// files in the form the importer reads a title from (title line, blank
// line, body), and checks every one against its file.
func TestImportCorpusText(t *testing.T) {
	dir := filepath.Join(corpusDir(t), "bbc-news-summary", "articles")
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("no BBC articles in the corpus: %v", err)
	}
	var files []string
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".txt") {
			files = append(files, p)
		}
		return nil
	})
	got := map[string]*store.Article{}
	var order []*store.Article
	stats, err := ImportPaths(context.Background(), []string{dir}, func(a *store.Article) error {
		order = append(order, a)
		return nil
	})
	if err != nil {
		t.Fatalf("import: %v", err)
	}
	if stats.Files != len(files) || stats.Articles != len(files) || stats.Failed != 0 {
		t.Fatalf("stats %+v for %d files", stats, len(files))
	}
	// Import reads a directory in name order, as WalkDir does.
	for i, p := range files {
		got[p] = order[i]
	}
	for _, p := range files {
		a := got[p]
		raw, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		text := string(toUTF8(raw))
		title, body, _ := strings.Cut(strings.TrimLeft(text, "\ufeff\n"), "\n")
		if want := store.NormalizeText(title); a.Title != want {
			t.Errorf("%s: title %q, want %q", p, a.Title, want)
		}
		if a.Body != store.NormalizeText(body) || a.Body == "" {
			t.Errorf("%s: body differs from the file's", p)
		}
		for _, s := range []string{a.Title, a.Body} {
			if !utf8.ValidString(s) || strings.ContainsRune(s, utf8.RuneError) {
				t.Errorf("%s: bad text %q", p, s[:min(len(s), 80)])
			}
		}
	}
}
