package story

import (
	"slices"
	"strings"
	"testing"
)

func TestWords(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"", nil},
		{"Hello, World!", []string{"hello", "world"}},
		{"don't stop-start", []string{"don", "t", "stop", "start"}},
		{"ZÜRICH Zürich zürich", []string{"zürich", "zürich", "zürich"}},
		{"ΟΔΥΣΣΕΑΣ Οδυσσέας", []string{"οδυσσεασ", "οδυσσέασ"}}, // final sigma folds with σ
		{"K vs k (Kelvin sign)", []string{"k", "vs", "k", "kelvin", "sign"}},
		{"北京市 is big", []string{"北", "京", "市", "is", "big"}},
		{"Covid-19: 3.5%", []string{"covid", "19", "3", "5"}},
		{"a\xffb", []string{"a", "b"}},
		{"café naïve", []string{"café", "naïve"}},
		{"e\u0301t\u00e9", []string{"e\u0301t\u00e9"}}, // combining marks stay inside the word
		{strings.Repeat("x", 130), []string{strings.Repeat("x", 64), strings.Repeat("x", 64), "xx"}},
	}
	for _, tt := range tests {
		if got := words(tt.in); !slices.Equal(got, tt.want) {
			t.Errorf("words(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestStemPlural(t *testing.T) {
	tests := map[string]string{
		"strikes": "strike", "parties": "party", "news": "news", "class": "class",
		"status": "status", "analysis": "analysis", "cats": "cats", "workers": "worker",
		"series": "sery", // the price of a timid stemmer: consistent, if not pretty
	}
	for in, want := range tests {
		if got := string(stemPlural([]byte(in))); got != want {
			t.Errorf("stemPlural(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestStopSet(t *testing.T) {
	s := newStopSet()
	for _, w := range append(strings.Fields(stopwords), "x", "") {
		if !s.has([]byte(w), hashWord([]byte(w))) {
			t.Errorf("stopword %q not found", w)
		}
	}
	for _, w := range []string{"strike", "kostova", "2400", "北", "ü", "thee", "th"} {
		if s.has([]byte(w), hashWord([]byte(w))) {
			t.Errorf("%q taken for a stopword", w)
		}
	}
}

func TestDeriveLede(t *testing.T) {
	long := strings.Repeat("word ", 100)
	tests := []struct{ in, want string }{
		{"", ""},
		{"One. Two. Three.", "One. Two."},
		{"  One sentence only  ", "One sentence only"},
		{"Is it? Yes! No.", "Is it? Yes!"},
		{"Version 2.5 is out. It works. Really.", "Version 2.5 is out. It works."},
		{long, strings.TrimSpace(long[:300])},
	}
	for _, tt := range tests {
		if got := deriveLede(tt.in); got != tt.want {
			t.Errorf("deriveLede(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	if got := deriveLede(strings.Repeat("é", 400)); len(got) > ledeMax || !strings.HasPrefix(strings.Repeat("é", 400), got) {
		t.Errorf("deriveLede of one long word = %d bytes, not a clean prefix", len(got))
	}
}

func TestClip(t *testing.T) {
	tests := []struct {
		in   string
		n    int
		want string
	}{
		{"short", 10, "short"},
		{"one two three four", 8, "one two"},
		{"one two three four", 10, "one two th"}, // no space in the last tenth: cut at the byte
		{"aaaaaaaaaaaaaaaa", 10, "aaaaaaaaaa"},
		{"ééééééé", 5, "éé"},
	}
	for _, tt := range tests {
		if got := clip(tt.in, tt.n); got != tt.want {
			t.Errorf("clip(%q, %d) = %q, want %q", tt.in, tt.n, got, tt.want)
		}
	}
}
