package render

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/newsdigest/newsdigest/digest"
)

// corpusDir finds the evaluation corpus: $NEWSDIGEST_CORPUS, else
// ../shared/corpus from the module root. It skips the test when absent.
func corpusDir(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("NEWSDIGEST_CORPUS")
	if dir == "" {
		root, err := os.Getwd()
		if err != nil {
			t.Fatal(err)
		}
		for {
			if _, err := os.Stat(filepath.Join(root, "go.mod")); err == nil {
				break
			}
			parent := filepath.Dir(root)
			if parent == root {
				t.Skip("corpus: no module root found; set NEWSDIGEST_CORPUS")
			}
			root = parent
		}
		dir = filepath.Join(root, "..", "shared", "corpus")
	}
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("corpus: %s not found (set NEWSDIGEST_CORPUS): %v", dir, err)
	}
	return dir
}

// TestCorpusDigests renders digests made of real BBC articles (title as
// headline, first paragraph as summary, a quotation from the body as key
// quote) on every platform and checks every invariant.
func TestCorpusDigests(t *testing.T) {
	dir := filepath.Join(corpusDir(t), "bbc-news-summary", "articles")
	files, err := filepath.Glob(filepath.Join(dir, "*", "*.txt"))
	if err != nil || len(files) == 0 {
		t.Skipf("corpus: no BBC articles under %s", dir)
	}
	sort.Strings(files)
	if len(files) > 300 {
		files = files[:300]
	}
	at := time.Date(2026, 11, 25, 8, 0, 0, 0, testZone())
	d := digest.Digest{Name: "Corpus digest", At: at, Since: at.Add(-24 * time.Hour), Until: at}
	flush := func() {
		if len(d.Stories) == 0 {
			return
		}
		if err := checkDiscord(d, Discord(d)); err != nil {
			t.Errorf("discord: %v", err)
		}
		if err := checkTelegram(d, Telegram(d)); err != nil {
			t.Errorf("telegram: %v", err)
		}
		opts := TextOptions{Width: 72, Color: true}
		if err := checkText(d, opts, Text(d, opts)); err != nil {
			t.Errorf("text: %v", err)
		}
		if err := checkMarkdown(d, Markdown(d)); err != nil {
			t.Errorf("markdown: %v", err)
		}
		d.Stories = nil
	}
	for i, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		title, body, _ := strings.Cut(string(b), "\n")
		paras := strings.Split(strings.TrimSpace(body), "\n\n")
		s := digest.StoryItem{
			ID:       filepath.Base(filepath.Dir(f)) + "-" + strings.TrimSuffix(filepath.Base(f), ".txt"),
			Headline: title,
			Summary:  paras[0],
			Links:    []digest.Link{{Outlet: "BBC News", URL: "https://www.bbc.co.uk/news/" + filepath.Base(f)}},
			Update:   i%5 == 0,
		}
		if q := firstQuotation(body); q != "" {
			s.Quotes = []digest.KeyQuote{{Text: q, Outlet: "BBC News"}}
		}
		d.Stories = append(d.Stories, s)
		if len(d.Stories) == 30 {
			flush()
		}
	}
	flush()
}

// firstQuotation is the first text between double quotation marks.
func firstQuotation(body string) string {
	_, rest, ok := strings.Cut(body, `"`)
	if !ok {
		return ""
	}
	q, _, ok := strings.Cut(rest, `"`)
	if !ok || len(q) > 600 {
		return ""
	}
	return q
}
