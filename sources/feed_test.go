package sources

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/newsdigest/newsdigest/store"
)

func readTestdata(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestParseFeedFormats(t *testing.T) {
	tests := []struct {
		file        string
		contentType string
		base        string
		feedTitle   string
		lang        string
		want        []store.Article // compared field by field; Body by prefix
		bodyHas     []string
		bodyLacks   []string
	}{
		{
			file: "rss2.xml", contentType: "application/rss+xml", base: "https://gazette.example/feed.xml",
			feedTitle: "Harbour Town Gazette", lang: "en",
			want: []store.Article{
				{Title: "Council approves new & wider sea wall", URL: "https://gazette.example/news/sea-wall?id=7", Byline: "Mara Ellison",
					Published: time.Date(2025, 3, 4, 9, 30, 0, 0, time.UTC),
					Body:      "The town council voted seven to two on Monday night to build a wider sea wall along the north quay.\n\n\"We cannot wait for the next storm to decide for us,\" said the harbour master, Ines Calloway.\n\nWork is due to start in the spring — weather permitting."},
				{Title: "Ferry timetable changes", URL: "https://gazette.example/news/ferry", Byline: "Tom Reyes",
					Published: time.Date(2025, 3, 3, 17, 0, 0, 0, time.UTC),
					Body:      "The evening ferry will leave twenty minutes earlier from April."},
			},
			bodyLacks: []string{"trackReader", "low tide", "<p>"},
		},
		{
			file: "atom.xml", contentType: "application/atom+xml", base: "https://col.example/atom.xml",
			feedTitle: "Le Journal du Col", lang: "fr",
			want: []store.Article{
				{Title: "La route du col rouvre", URL: "https://col.example/2025/03/route", Byline: "Camille Fabre, Luc Martel",
					Published: time.Date(2025, 3, 5, 6, 0, 0, 0, time.UTC),
					Body:      "La route du col rouvre ce matin après trois semaines de travaux.\n\n« Nous sommes prêts », a déclaré le maire."},
				{Title: "Marché d'hiver", URL: "https://col.example/2025/03/marche",
					Published: time.Date(2025, 3, 4, 10, 0, 0, 0, time.UTC),
					Body:      "Le marché d'hiver a attiré plus de visiteurs que prévu."},
			},
		},
		{
			file: "feed.json", contentType: "application/feed+json", base: "https://valley.example/feed.json",
			feedTitle: "Valley Notes", lang: "en",
			want: []store.Article{
				{Title: "Orchard owners plan cider festival", URL: "https://valley.example/posts/orchard", Byline: "Priya Nandakumar",
					Published: time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC),
					Body:      "Orchard owners in the valley plan a cider festival for October.\n\nTastings\n\nMusic"},
				{Title: "", URL: "https://valley.example/posts/bridge",
					Published: time.Date(2025, 3, 2, 8, 15, 0, 0, time.UTC),
					Body:      "The old footbridge is closed for repairs.\n\nA detour runs along the mill road."},
			},
		},
		{
			file: "rss1.rdf", contentType: "application/rdf+xml", base: "https://fen.example/rss",
			feedTitle: "Fen Weekly", lang: "nl",
			want: []store.Article{
				{Title: "Dyke inspection finds minor damage", URL: "https://fen.example/dyke", Byline: "Joost de Vries",
					Published: time.Date(2025, 2, 28, 15, 20, 0, 0, time.UTC),
					Body:      "Inspectors found minor damage on the eastern dyke after the storm."},
			},
		},
		{
			file: "rss091.xml", contentType: "text/xml", base: "http://mill.example/rss",
			feedTitle: "Old Mill Bulletin", lang: "en",
			want: []store.Article{
				{Title: "Mill wheel restored", URL: "http://mill.example/wheel.html",
					Body: "Volunteers restored the mill wheel over the winter."},
			},
		},
		{
			file: "cp1251.xml", contentType: "application/rss+xml", base: "https://sever.example/rss",
			feedTitle: "Северный вестник", lang: "ru",
			want: []store.Article{
				{Title: "Паром возобновил рейсы", URL: "https://sever.example/news/parom",
					Published: time.Date(2025, 3, 5, 3, 0, 0, 0, time.UTC),
					Body:      "Паром через реку снова ходит по расписанию, сообщил глава района."},
			},
		},
		{
			file: "latin1.xml", contentType: "text/xml", base: "https://lac.example/rss",
			feedTitle: "Gazette du Lac", lang: "fr",
			want: []store.Article{
				{Title: "Fête d'été à Genève", URL: "https://lac.example/fete",
					Body: "La fête d'été aura lieu près du lac, a annoncé la mairie. Entrée libre, café offert."},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			feed, err := ParseFeed(readTestdata(t, tt.file), tt.contentType, tt.base)
			if err != nil {
				t.Fatalf("ParseFeed: %v", err)
			}
			if feed.Title != tt.feedTitle {
				t.Errorf("feed title = %q, want %q", feed.Title, tt.feedTitle)
			}
			if len(feed.Articles) != len(tt.want) {
				t.Fatalf("got %d articles, want %d: %+v", len(feed.Articles), len(tt.want), feed.Articles)
			}
			for i, w := range tt.want {
				g := feed.Articles[i]
				if g.Title != w.Title || g.URL != w.URL || g.Byline != w.Byline || !g.Published.Equal(w.Published) || g.Body != w.Body {
					t.Errorf("article %d:\n got %q %q %q %v\n%q\nwant %q %q %q %v\n%q", i,
						g.Title, g.URL, g.Byline, g.Published, g.Body, w.Title, w.URL, w.Byline, w.Published, w.Body)
				}
				if g.Language != tt.lang {
					t.Errorf("article %d language = %q, want %q", i, g.Language, tt.lang)
				}
				for _, s := range tt.bodyLacks {
					if strings.Contains(g.Body, s) {
						t.Errorf("article %d body contains %q", i, s)
					}
				}
			}
		})
	}
}

// TestParseFeedEncodings checks that no invalid UTF-8 comes out whatever
// the declaration says, and that what can be decoded correctly is.
func TestParseFeedEncodings(t *testing.T) {
	cp1251 := readTestdata(t, "cp1251.xml")
	latin1 := readTestdata(t, "latin1.xml")
	utf8Feed := readTestdata(t, "rss2.xml")
	tests := []struct {
		name        string
		data        []byte
		contentType string
		wantTitle   string // of the first article; "" to check validity only
	}{
		{"cp1251 declared only in HTTP", redeclare(cp1251, ""), "text/xml; charset=windows-1251", "Паром возобновил рейсы"},
		{"cp1251 declared as UTF-8", redeclare(cp1251, "UTF-8"), "text/xml; charset=utf-8", ""},
		{"cp1251 declared as ISO-8859-1", redeclare(cp1251, "ISO-8859-1"), "", ""},
		{"latin1 undeclared", redeclare(latin1, ""), "application/rss+xml", "Fête d'été à Genève"},
		{"latin1 declared as UTF-8", redeclare(latin1, "utf-8"), "", "Fête d'été à Genève"},
		{"latin1 header says windows-1251", latin1, "text/xml; charset=windows-1251", "Fête d'été à Genève"},
		{"utf-8 declared windows-1251", redeclare(utf8Feed, "windows-1251"), "", "Council approves new & wider sea wall"},
		{"utf-8 with stray bytes", bytes.Replace(utf8Feed, []byte("Ferry"), []byte("Fe\xff\xfery"), 1), "", "Council approves new & wider sea wall"},
		{"utf-8 BOM", append([]byte("\xef\xbb\xbf"), utf8Feed...), "", "Council approves new & wider sea wall"},
		{"unknown declared encoding", redeclare(utf8Feed, "x-no-such-charset"), "", "Council approves new & wider sea wall"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			feed, err := ParseFeed(tt.data, tt.contentType, "https://example.com/feed")
			if err != nil {
				t.Fatalf("ParseFeed: %v", err)
			}
			if len(feed.Articles) == 0 {
				t.Fatal("no articles")
			}
			checkValidUTF8(t, feed)
			if tt.wantTitle != "" && feed.Articles[0].Title != tt.wantTitle {
				t.Errorf("title = %q, want %q", feed.Articles[0].Title, tt.wantTitle)
			}
		})
	}
}

// redeclare replaces (or, with enc "", removes) the encoding in a
// document's XML declaration.
func redeclare(doc []byte, enc string) []byte {
	m := xmlDeclEncoding.FindSubmatchIndex(doc)
	if m == nil {
		panic("no encoding declaration")
	}
	var out []byte
	if enc == "" {
		// drop ` encoding="..."` entirely
		start := bytes.LastIndex(doc[:m[2]], []byte("encoding"))
		out = append(out, bytes.TrimRight(doc[:start], " ")...)
		out = append(out, doc[m[3]+1:]...)
		return out
	}
	out = append(out, doc[:m[2]]...)
	out = append(out, enc...)
	return append(out, doc[m[3]:]...)
}

func checkValidUTF8(t testing.TB, feed *Feed) {
	t.Helper()
	for _, s := range []string{feed.Title, feed.SiteURL, feed.Language} {
		if !utf8.ValidString(s) {
			t.Errorf("invalid UTF-8 in feed field %q", s)
		}
	}
	for i, a := range feed.Articles {
		for _, s := range []string{a.Title, a.URL, a.Byline, a.Body, a.Language} {
			if !utf8.ValidString(s) {
				t.Errorf("article %d: invalid UTF-8 in %q", i, s)
			}
		}
	}
}

func TestParseFeedErrors(t *testing.T) {
	tests := []struct {
		name    string
		data    []byte
		ct      string
		is      error
		message string
	}{
		{"empty", nil, "", ErrEmptyBody, "empty response body"},
		{"whitespace", []byte(" \n\t "), "", ErrEmptyBody, "empty"},
		{"malformed XML", readTestdata(t, "malformed.xml"), "", nil, "malformed feed"},
		{"HTML page", readTestdata(t, "page.html"), "text/html; charset=utf-8", ErrNotFeed,
			"not a feed (got an HTML page); the page links to the feeds https://gazette.example/feed.xml, https://gazette.example/atom.xml"},
		{"other XML", []byte(`<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"></svg>`), "image/svg+xml", ErrNotFeed, "not a feed (got image/svg+xml content"},
		{"plain text", []byte("hello, world"), "text/plain", ErrNotFeed, "not a feed"},
		{"JSON, not a feed", []byte(`{"error": "rate limited"}`), "application/json", ErrNotFeed, "not a feed (got JSON that is not a JSON Feed"},
		{"broken JSON", []byte(`{"version": "https://jsonfeed.org/version/1.1", "items": [`), "application/json", nil, "malformed feed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseFeed(tt.data, tt.ct, "https://gazette.example/news")
			if err == nil {
				t.Fatal("no error")
			}
			t.Log(err)
			if tt.is != nil && !errors.Is(err, tt.is) {
				t.Errorf("error %v is not %v", err, tt.is)
			}
			if !strings.Contains(err.Error(), tt.message) {
				t.Errorf("error %q does not say %q", err, tt.message)
			}
		})
	}
}

func TestIsTeaser(t *testing.T) {
	long := strings.Repeat("A full paragraph of reporting. ", 30)
	tests := []struct {
		body string
		want bool
	}{
		{"", true},
		{"Short.", true},
		{long, false},
		{long + "The mayor said…", true},
		{long + "More inside [...]", true},
		{long + "Read more »", true},
		{long + "Continue reading →", true},
		{long + "We need more", false},
	}
	for _, tt := range tests {
		if got := IsTeaser(tt.body, 500); got != tt.want {
			t.Errorf("IsTeaser(%q) = %v, want %v", tt.body[max(0, len(tt.body)-30):], got, tt.want)
		}
	}
}
