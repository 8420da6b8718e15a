package sources

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/newsdigest/newsdigest/store"
)

func importAll(t *testing.T, im *Importer, paths ...string) (map[string]*store.Article, ImportStats, error) {
	t.Helper()
	got := map[string]*store.Article{}
	stats, err := im.Import(context.Background(), paths, func(a *store.Article) error {
		if _, dup := got[a.Title]; dup {
			t.Errorf("title %q twice", a.Title)
		}
		got[a.Title] = a
		return nil
	})
	return got, stats, err
}

func TestImportDirectory(t *testing.T) {
	now := time.Date(2025, 3, 6, 0, 0, 0, 0, time.UTC)
	im := &Importer{Now: func() time.Time { return now }}
	got, stats, err := importAll(t, im, filepath.Join("testdata", "files"))

	want := map[string]store.Article{
		"Library opens on Sundays": {Body: "The town library will open on Sunday afternoons from next month, the librarian said on Friday.\n\nOpening hours are one to five."},
		"untitled note":            {Body: "The bakery on Mill Street changed hands this week. The new owners kept the old recipes.\n\nThey plan no other changes."},
		"Harbour festival returns": {Byline: "Tom Reyes", Language: "en", Published: time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC),
			Body: "The harbour festival returns this summer after a two-year break, the organisers said.\n\nProgramme\n\nBoat race on Saturday\n\nFish market on Sunday\n\nFireworks at 10 pm\n\n\"It is good to be back,\" said the festival director."},
		"Road works on the coast road": {Body: "Road works on the coast road will start on Monday and last two weeks."},
		"Neue Brücke eröffnet": {URL: "https://bruecke.example/2025/neue-bruecke", Language: "de",
			Body: "Die neue Brücke über den Fluss ist am Samstag eröffnet worden. Hunderte Menschen kamen zur Feier.\n\nDie Bauarbeiten hatten zwei Jahre gedauert und kosteten mehr als geplant, sagte die Bürgermeisterin."},
		"Café du port": {Body: "Le café du port rouvre après travaux."},
		"Bus route 7 extended": {URL: "https://buses.example/route-7", Byline: "Ana Ruiz", Language: "en",
			Published: time.Date(2025, 3, 1, 8, 0, 0, 0, time.UTC), Body: "Route 7 now runs to the hospital.\n\nBuses leave every twenty minutes."},
		"Second line":           {Published: time.Date(2025, 3, 2, 0, 0, 0, 0, time.UTC), Body: "HTML body here."},
		"Last line, no newline": {Body: "Still read."},
	}
	for title, w := range want {
		g, ok := got[title]
		if !ok {
			t.Errorf("missing %q", title)
			continue
		}
		if g.Body != w.Body || g.URL != w.URL || g.Byline != w.Byline || g.Language != w.Language || !g.Published.Equal(w.Published) {
			t.Errorf("%q:\n got %q %q %q %v %q\nwant %q %q %q %v %q", title, g.URL, g.Byline, g.Language, g.Published, g.Body,
				w.URL, w.Byline, w.Language, w.Published, w.Body)
		}
		if !g.Fetched.Equal(now) {
			t.Errorf("%q: fetched %v", title, g.Fetched)
		}
	}
	if len(got) != len(want) {
		for title := range got {
			if _, ok := want[title]; !ok {
				t.Errorf("unexpected article %q", title)
			}
		}
	}
	wantStats := ImportStats{Files: 7, Articles: len(want), Skipped: 2, Failed: 6}
	if stats != wantStats {
		t.Errorf("stats %+v, want %+v", stats, wantStats)
	}
	if err == nil {
		t.Fatal("no error for the bad lines")
	}
	msg := err.Error()
	t.Log(msg)
	jsonl := filepath.Join("testdata", "files", "articles.jsonl")
	for _, line := range []string{
		jsonl + `:4: published "yesterday": want RFC 3339`,
		jsonl + ":5: invalid JSON",
		jsonl + `:6: field "title": want a string`,
		jsonl + ":7: no title and no body/text",
		jsonl + ":8: url: store: canonical url",
		jsonl + ":9: want a JSON object, got JSON array",
	} {
		if !strings.Contains(msg, line) {
			t.Errorf("errors do not include %q", line)
		}
	}
	var fe *FileError
	if !errors.As(err, &fe) || fe.Path != jsonl {
		t.Errorf("errors.As FileError: %+v", fe)
	}
}

func TestImportFilesAndErrors(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	big := write("big.txt", "Big\n\n"+strings.Repeat("word ", 300))
	small := write("small.txt", "Small file body.")
	empty := write("empty.md", "")
	pdf := write("report.pdf", "%PDF")
	hidden := write(".explicit.txt", "Hidden files named explicitly are read.")
	// a symbolic link loop: loop/back -> dir
	write("loop/inside.txt", "Inside the loop.")
	if err := os.Symlink(dir, filepath.Join(dir, "loop", "back")); err != nil {
		t.Skip("no symlinks:", err)
	}

	im := &Importer{MaxFileSize: 1000}
	got, stats, err := importAll(t, im, big, small, empty, pdf, hidden, filepath.Join(dir, "missing.txt"))
	if len(got) != 2 || got["small"] == nil || got["explicit"] == nil {
		t.Errorf("got %v", got)
	}
	if stats.Failed != 4 {
		t.Errorf("stats %+v", stats)
	}
	msg := ""
	if err != nil {
		msg = err.Error()
	}
	for _, want := range []string{
		big + ": file is too large (over 1000 bytes)",
		empty + ": " + ErrNoText.Error(),
		pdf + `: file type ".pdf": unsupported`,
		filepath.Join(dir, "missing.txt") + ": no such file or directory",
	} {
		if !strings.Contains(msg, want) {
			t.Errorf("errors %q do not include %q", msg, want)
		}
	}

	// The directory, with its loop: every file once, and no endless walk.
	got, _, _ = importAll(t, &Importer{}, dir)
	if got["Inside the loop."] == nil && got["inside"] == nil {
		t.Errorf("file inside the loop not imported: %v", got)
	}
	if got["explicit"] != nil {
		t.Error("hidden file imported from a directory walk")
	}

	// fn errors are recorded per article, the import goes on.
	n := 0
	stats, err = (&Importer{}).Import(context.Background(), []string{small, big}, func(a *store.Article) error {
		n++
		return errors.New("store is full")
	})
	if n != 2 || stats.Failed != 2 || err == nil || !strings.Contains(err.Error(), small+": store is full") {
		t.Errorf("fn errors: n=%d %+v %v", n, stats, err)
	}

	// A cancelled import stops and says so.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := (&Importer{}).Import(ctx, []string{dir}, func(*store.Article) error { return nil }); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v", err)
	}
}

func TestSplitTextTitle(t *testing.T) {
	tests := []struct{ in, title, body string }{
		{"Title\n\nBody.", "Title", "Body."},
		{"Title\r\n\r\nBody.", "Title", "Body."},
		{"\n\nTitle\n\nBody.", "Title", "Body."},
		{"Line one\nline two\n\nBody.", "", "Line one line two\n\nBody."},
		{"Only one line", "", "Only one line"},
		{strings.Repeat("long ", 100) + "\n\nBody.", "", strings.TrimSpace(strings.Repeat("long ", 100)) + "\n\nBody."},
	}
	for _, tt := range tests {
		title, body := splitTextTitle(tt.in)
		if title != tt.title || body != tt.body {
			t.Errorf("splitTextTitle(%q) = %q, %q; want %q, %q", tt.in, title, body, tt.title, tt.body)
		}
	}
}

func TestMarkdownToText(t *testing.T) {
	tests := []struct{ in, title, body string }{
		{"# Title\n\nText with **bold**, *em*, _em_, ~~gone~~ and `code`.", "Title", "Text with bold, em, em, gone and code."},
		{"Title\n=====\n\nBody.", "Title", "Body."},
		{"Intro.\n\n## Part\n\nMore.", "", "Intro.\n\nPart\n\nMore."},
		{"snake_case_name stays", "", "snake_case_name stays"},
		{"A [link](http://x) and ![img](y.png) and <https://z.example>.", "", "A link and  and https://z.example."},
		{"```go\nfmt.Println(1)\n```\n\nAfter.", "", "fmt.Println(1)\n\nAfter."},
		{"| a | b |\n|---|---|\n| 1 | 2 |\n| 3 | 4 |", "", "a b\n\n1 2\n\n3 4"},
		{"Line\n---\n\nx", "Line", "x"},
		{"- [x] done\n- [ ] todo", "", "done\n\ntodo"},
		{"Tom &amp; Jerry \\*not em\\*", "", "Tom & Jerry *not em*"},
	}
	for _, tt := range tests {
		doc := markdownToText(tt.in)
		if got := store.NormalizeText(doc.Body); doc.Title != tt.title || got != store.NormalizeText(tt.body) {
			t.Errorf("markdownToText(%q) = %q, %q; want %q, %q", tt.in, doc.Title, got, tt.title, store.NormalizeText(tt.body))
		}
	}
}
