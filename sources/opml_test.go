package sources

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/newsdigest/newsdigest/store"
)

func TestParseOPML(t *testing.T) {
	feeds, err := ParseOPML(bytes.NewReader(readTestdata(t, "subscriptions.opml")))
	if err != nil {
		t.Fatal(err)
	}
	want := []OPMLFeed{
		{Title: "Harbour Town Gazette", URL: "https://gazette.example/feed.xml", SiteURL: "https://gazette.example/", Category: "Local news"},
		{Title: "Valley Notes", URL: "https://valley.example/feed.json", Category: "Local news"},
		{Title: "Le Journal du Col", URL: "https://col.example/atom.xml", Category: "Mountains"},
		{Title: "Fen Weekly & more", URL: "https://fen.example/rss?a=1&b=2"},
		{Title: "https://untitled.example/rss", URL: "https://untitled.example/rss"},
	}
	if len(feeds) != len(want) {
		t.Fatalf("got %d feeds: %+v", len(feeds), feeds)
	}
	for i := range want {
		if feeds[i] != want[i] {
			t.Errorf("feed %d = %+v, want %+v", i, feeds[i], want[i])
		}
	}
}

func TestParseOPMLErrors(t *testing.T) {
	tests := []struct {
		name, doc, msg string
		is             error
	}{
		{"empty", "", "sources: opml: empty", ErrEmptyBody},
		{"not xml", "hello", "not an OPML document", nil},
		{"rss instead", `<?xml version="1.0"?><rss version="2.0"><channel/></rss>`, "not an OPML document (root element <rss>)", nil},
		{"truncated", `<opml version="2.0"><body><outline text="a" xmlUrl="https://a.example/"`, "malformed XML", nil},
		{"too deep", "<opml><body>" + strings.Repeat("<outline text='x'>", 100) + strings.Repeat("</outline>", 100) + "</body></opml>", "nested more than 64 deep", nil},
		{"too large", "<opml><body>" + strings.Repeat("<outline text='x'/>", MaxOPMLSize/19+1) + "</body></opml>", "too large", ErrTooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseOPML(strings.NewReader(tt.doc))
			if err == nil || !strings.Contains(err.Error(), tt.msg) {
				t.Fatalf("err = %v, want %q", err, tt.msg)
			}
			if tt.is != nil && !errors.Is(err, tt.is) {
				t.Errorf("err %v is not %v", err, tt.is)
			}
		})
	}
}

func TestWriteOPMLRoundTrip(t *testing.T) {
	srcs := []*store.Source{
		{Name: "Harbour <Town> & \"Gazette\"", URL: "https://gazette.example/feed.xml?a=1&b=2"},
		{Name: "", URL: "https://valley.example/feed.json"},
		{Name: "Северный вестник", URL: "https://sever.example/rss"},
	}
	var buf bytes.Buffer
	if err := WriteOPML(&buf, srcs); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(buf.String(), `<?xml version="1.0" encoding="UTF-8"?>`) || !strings.Contains(buf.String(), `<opml version="2.0">`) {
		t.Errorf("document:\n%s", buf.String())
	}
	feeds, err := ParseOPML(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if len(feeds) != 3 {
		t.Fatalf("%+v", feeds)
	}
	for i, s := range srcs {
		name := s.Name
		if name == "" {
			name = s.URL
		}
		if feeds[i].URL != s.URL || feeds[i].Title != name {
			t.Errorf("feed %d = %+v, want %q %q", i, feeds[i], name, s.URL)
		}
	}
}

func FuzzParseOPML(f *testing.F) {
	f.Add(readTestdata(f, "subscriptions.opml"))
	f.Add([]byte(`<opml><body><outline xmlUrl="http://a/"><outline xmlUrl="http://b/"/></outline></body></opml>`))
	f.Add([]byte(`<?xml version="1.0" encoding="windows-1251"?><opml><body><outline text="\xcf\xf0" xmlUrl="http://a/"/></body></opml>`))
	f.Add([]byte(`<opml><body><outline text="&bogus; &#0; &#xD800;" xmlUrl="http://a/"/>`))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, doc []byte) {
		feeds, err := ParseOPML(bytes.NewReader(doc))
		if err != nil {
			if !utf8.ValidString(err.Error()) {
				t.Fatalf("invalid UTF-8 in error %q", err)
			}
			return
		}
		seen := map[string]bool{}
		for _, f := range feeds {
			if !strings.HasPrefix(f.URL, "http://") && !strings.HasPrefix(f.URL, "https://") {
				t.Fatalf("non-http URL %q", f.URL)
			}
			if seen[f.URL] {
				t.Fatalf("URL %q twice", f.URL)
			}
			seen[f.URL] = true
			for _, s := range []string{f.Title, f.URL, f.SiteURL, f.Category} {
				if !utf8.ValidString(s) {
					t.Fatalf("invalid UTF-8 %q", s)
				}
			}
		}
	})
}
