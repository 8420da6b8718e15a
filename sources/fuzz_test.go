package sources

import (
	"bytes"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/newsdigest/newsdigest/store"
)

func FuzzParseFeed(f *testing.F) {
	for _, name := range []string{"rss2.xml", "atom.xml", "feed.json", "rss1.rdf", "rss091.xml", "cp1251.xml", "latin1.xml", "malformed.xml", "page.html"} {
		f.Add(readTestdata(f, name), "")
	}
	f.Add([]byte(`<rss><channel><item><title>&lt;b&gt;x</title><link>javascript:alert(1)</link></item></channel></rss>`), "text/xml; charset=koi8-r")
	f.Add([]byte("\xfe\xff\x00<\x00r\x00s\x00s\x00>"), "")
	f.Add([]byte(`{"version":"https://jsonfeed.org/version/1","items":[{"content_text":"\ud800"}]}`), "application/json")
	f.Fuzz(func(t *testing.T, data []byte, contentType string) {
		feed, err := ParseFeed(data, contentType, "https://example.com/feed")
		if err != nil {
			if !utf8.ValidString(err.Error()) {
				t.Fatalf("invalid UTF-8 in error %q", err)
			}
			return
		}
		checkValidUTF8(t, feed)
		for _, a := range feed.Articles {
			if a.Title == "" && a.Body == "" {
				t.Fatal("article without title and body")
			}
			if a.Body != store.NormalizeText(a.Body) {
				t.Fatalf("body not normalised: %q", a.Body)
			}
			if a.URL != "" {
				if c, err := store.CanonicalURL(a.URL); err != nil || c != a.URL {
					t.Fatalf("URL %q not canonical (%q, %v)", a.URL, c, err)
				}
			}
		}
	})
}

func FuzzJSONLines(f *testing.F) {
	f.Add(readTestdata(f, "files/articles.jsonl"))
	f.Add([]byte(`{"title":"a","body":"b","published":"2025-01-01T00:00:00+01:00","url":"http://x/?utm_source=1"}`))
	f.Add([]byte("{\"title\":\"\xff\"}\n\n\r\n{}"))
	f.Add([]byte(`{"title":"a","html":"<script>x</script><p>y</p>"} {"title":"b"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		lines := bytes.Count(data, []byte("\n")) + 1
		last := 0
		err := readJSONLines(bytes.NewReader(data), 256, func(line int, a *store.Article, err error) error {
			if line <= last || line > lines {
				t.Fatalf("line %d after %d, of %d", line, last, lines)
			}
			last = line
			if (a == nil) == (err == nil) {
				t.Fatalf("line %d: article %v and error %v", line, a, err)
			}
			if err != nil {
				if !utf8.ValidString(err.Error()) {
					t.Fatalf("invalid UTF-8 in error %q", err)
				}
				return nil
			}
			for _, s := range []string{a.Title, a.Body, a.Byline, a.URL, a.Language} {
				if !utf8.ValidString(s) {
					t.Fatalf("invalid UTF-8 %q", s)
				}
			}
			if a.Title == "" && a.Body == "" {
				t.Fatal("empty article accepted")
			}
			return nil
		})
		if err != nil {
			t.Fatalf("reading from memory failed: %v", err)
		}
	})
}

func FuzzMarkdown(f *testing.F) {
	f.Add(string(readTestdata(f, "files/story.md")))
	f.Add("---\ntitle: x\n---")
	f.Add("\\*a\\* ``` [x](y) ![z](w) | a | b |")
	f.Fuzz(func(t *testing.T, src string) {
		doc := markdownToText(src)
		body := store.NormalizeText(doc.Body)
		if !utf8.ValidString(body) || !utf8.ValidString(doc.Title) {
			t.Fatalf("invalid UTF-8: %q %q", doc.Title, body)
		}
		if strings.ContainsRune(body, escapeBase+'*') {
			t.Fatalf("escape placeholder left in %q", body)
		}
	})
}
