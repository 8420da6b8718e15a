package store

import (
	"errors"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"
)

func TestNormalizeText(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"empty", "", ""},
		{"only space", " \t\n\r\n ", ""},
		{"trim", "  Hello world  ", "Hello world"},
		{"collapse spaces", "a  b\t\tc", "a b c"},
		{"single newline is a space", "line one\nline two", "line one line two"},
		{"blank line is a paragraph", "one\n\ntwo", "one\n\ntwo"},
		{"many blank lines", "one\n\n\n\n\ntwo", "one\n\ntwo"},
		{"blank line with spaces", "one \n \t \n two", "one\n\ntwo"},
		{"crlf", "one\r\n\r\ntwo\r\nthree", "one\n\ntwo three"},
		{"lone cr", "one\r\rtwo\rthree", "one\n\ntwo three"},
		{"paragraph separator", "one\u2029two", "one\n\ntwo"},
		{"nbsp", "a\u00a0b", "a b"},
		{"control chars removed", "a\x00b\x07c\x1b", "abc"},
		{"control inside space run", "a \x00 b", "a b"},
		{"invisible removed", "\ufeffword\u200bs and soft\u00adhyphen", "words and softhyphen"},
		{"case kept", "MiXeD Case", "MiXeD Case"},
		{"cyrillic", "  Москва\n\nПривет,   мир ", "Москва\n\nПривет, мир"},
		{"invalid utf8", "a\xffb", "a\ufffdb"},
		{"leading and trailing breaks", "\n\n\npara\n\n\n", "para"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := NormalizeText(tt.in)
			if got != tt.want {
				t.Errorf("NormalizeText(%q) = %q, want %q", tt.in, got, tt.want)
			}
			if again := NormalizeText(got); again != got {
				t.Errorf("NormalizeText not idempotent: %q -> %q", got, again)
			}
			if ref := referenceNormalize(tt.in); ref != got {
				t.Errorf("referenceNormalize(%q) = %q, NormalizeText gives %q", tt.in, ref, got)
			}
		})
	}
}

func TestContentHash(t *testing.T) {
	base := ContentHash("Title", "First paragraph.\n\nSecond one.")
	if len(base) != 64 || strings.Trim(base, "0123456789abcdef") != "" {
		t.Fatalf("ContentHash = %q, want 64 lower-case hex digits", base)
	}
	same := []struct{ name, title, body string }{
		{"extra whitespace", "  Title ", "First   paragraph.\r\n\r\n\r\nSecond\none."},
		{"control chars", "Ti\x00tle", "First paragraph.\n\nSecond one.\x07"},
	}
	for _, tt := range same {
		if got := ContentHash(tt.title, tt.body); got != base {
			t.Errorf("%s: ContentHash = %s, want %s (same text)", tt.name, got, base)
		}
	}
	differ := []struct{ name, title, body string }{
		{"case", "title", "First paragraph.\n\nSecond one."},
		{"word", "Title", "First paragraph.\n\nSecond two."},
		{"paragraph break", "Title", "First paragraph. Second one."},
		{"word moved between title and body", "Title First", "paragraph.\n\nSecond one."},
		{"empty body", "Title", ""},
	}
	for _, tt := range differ {
		if got := ContentHash(tt.title, tt.body); got == base {
			t.Errorf("%s: ContentHash equals the base hash; want a different one", tt.name)
		}
	}
	if ContentHash("a", "") == ContentHash("", "a") {
		t.Error(`ContentHash("a", "") == ContentHash("", "a")`)
	}
}

func TestArticleNormalize(t *testing.T) {
	a := Article{
		URL:      "HTTPS://Example.com/a?utm_source=x#top",
		Title:    "  A title\n",
		Byline:   " Jane\n\nDoe ",
		Language: " EN ",
		Body:     "one\r\n\r\ntwo",
	}
	if err := a.Normalize(); err != nil {
		t.Fatal(err)
	}
	want := Article{URL: "https://example.com/a", Title: "A title", Byline: "Jane Doe", Language: "en", Body: "one\n\ntwo"}
	want.Hash = ContentHash(want.Title, want.Body)
	if a != want {
		t.Errorf("Normalize gave %+v, want %+v", a, want)
	}

	bad := []struct {
		name string
		a    Article
	}{
		{"empty text", Article{URL: "https://example.com/", Title: " \n", Body: "\x00"}},
		{"bad url", Article{URL: "ftp://example.com/", Title: "t"}},
		{"huge", Article{Title: "t", Body: strings.Repeat("x", MaxTextLength)}},
		{"far future", Article{Title: "t", Published: time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)}},
		{"before year 1", Article{Title: "t", Fetched: time.Date(0, 12, 31, 0, 0, 0, 0, time.UTC)}},
	}
	for _, tt := range bad {
		before := tt.a
		if err := tt.a.Normalize(); !errors.Is(err, ErrInvalid) {
			t.Errorf("%s: Normalize error = %v, want ErrInvalid", tt.name, err)
		}
		if tt.a != before {
			t.Errorf("%s: Normalize changed the article on error", tt.name)
		}
	}
}

func FuzzNormalizeText(f *testing.F) {
	for _, s := range []string{"", "a\r\n\r\nb", "\xff\xfe", "x\u2029\u2028y", " \t\x00 "} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		out := NormalizeText(in)
		if !utf8.ValidString(out) {
			t.Fatalf("NormalizeText(%q) = %q: invalid UTF-8", in, out)
		}
		if strings.TrimSpace(out) != out || strings.Contains(out, "\n\n\n") || strings.ContainsAny(out, "\r\t\x00") {
			t.Fatalf("NormalizeText(%q) = %q: not normal", in, out)
		}
		if again := NormalizeText(out); again != out {
			t.Fatalf("NormalizeText not idempotent: %q -> %q -> %q", in, out, again)
		}
		if ref := referenceNormalize(in); ref != out {
			t.Fatalf("NormalizeText(%q) = %q, the reference gives %q", in, out, ref)
		}
	})
}

// referenceNormalize is NormalizeText written the slow, obvious way, rune by
// rune; the fuzz test holds the fast one to it.
func referenceNormalize(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	var paras []string
	var words []string
	breaks := 0
	flush := func() {
		if len(words) > 0 {
			paras = append(paras, strings.Join(words, " "))
			words = nil
		}
	}
	var word strings.Builder
	endWord := func() {
		if word.Len() > 0 {
			if breaks >= 2 {
				flush()
			}
			words = append(words, word.String())
			word.Reset()
			breaks = 0
		}
	}
	for _, r := range s {
		switch {
		case r == '\n' || r == '\v' || r == '\f' || r == '\u0085' || r == '\u2028':
			endWord()
			breaks++
		case r == '\u2029':
			endWord()
			breaks += 2
		case unicode.IsSpace(r):
			endWord()
		case unicode.IsControl(r), invisible(r):
		default:
			if word.Len() == 0 && breaks >= 2 {
				flush()
			}
			if word.Len() == 0 {
				breaks = 0
			}
			word.WriteRune(r)
		}
	}
	endWord()
	flush()
	return strings.Join(paras, "\n\n")
}
