package render

import (
	"strings"
	"testing"
	"time"

	"github.com/newsdigest/newsdigest/digest"
)

func TestClean(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"  plain  text ", "plain text"},
		{"line\nbreak\r\n\ttab\u2028sep\u0085nel", "line break tab sep nel"},
		{"\x00nul\x1b[31mred", "nul [31mred"},
		{"\xffbad\xc3\x28", "\uFFFDbad\uFFFD("},
		{"a\u202Eevil\u202Cb \u2066iso\u2069", "aevilb iso"},
		{"keep \u200F rlm and 👩‍👩‍👧 zwj", "keep \u200F rlm and 👩‍👩‍👧 zwj"},
		{"non\u00A0breaking", "non breaking"},
	}
	for _, tt := range tests {
		if got := clean(tt.in); got != tt.want {
			t.Errorf("clean(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestFit(t *testing.T) {
	one := func(_, _ rune) int { return 1 }
	tests := []struct {
		name   string
		in     string
		budget int
		cost   costFunc
		want   string
		cut    bool
	}{
		{"fits", "short text", 10, one, "short text", false},
		{"word boundary", "the quick brown fox", 12, one, "the quick…", true},
		{"long first word cut between characters", strings.Repeat("x", 30), 10, one, strings.Repeat("x", 9) + "…", true},
		{"short word then a huge one", "a " + strings.Repeat("x", 30), 10, one, "a xxxxxxx…", true},
		{"escaping counts", "a*b*c*d", 6, discordCost, "a*b…", true},
		{"ZWJ sequence kept whole", "ab👩‍👩‍👧", 5, one, "ab…", true},
		{"flag pair kept whole", "🇫🇷🇩🇪🇺🇸", 4, one, "🇫🇷…", true},
		{"combining mark kept with its letter", "abe\u0301c", 4, one, "ab…", true},
		{"skin tone kept with its hand", "a👍🏽b", 3, one, "a…", true},
		{"utf-16 units", "😀😀😀", 5, telegramCost, "😀😀…", true},
		{"budget of one", "abc", 1, one, "…", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, cut := fit(tt.in, tt.budget, tt.cost)
			if got != tt.want || cut != tt.cut {
				t.Errorf("fit(%q, %d) = %q, %v; want %q, %v", tt.in, tt.budget, got, cut, tt.want, tt.cut)
			}
			if costOf(got, tt.cost) > tt.budget {
				t.Errorf("fit(%q, %d) = %q, over budget", tt.in, tt.budget, got)
			}
		})
	}
}

func TestSafeURL(t *testing.T) {
	tests := []struct{ in, want string }{
		{"https://news.example/a", "https://news.example/a"},
		{"  HTTP://News.Example/Path?q=1&r=2#frag ", "http://news.example/Path?q=1&r=2#frag"},
		{"https://news.example/(a)[b]", "https://news.example/%28a%29%5Bb%5D"},
		{"https://medium.example/@user", "https://medium.example/%40user"},
		{"https://news.example/a b", "https://news.example/a%20b"},
		{"https://news.example/q?x=<y>&z=\"w\"", "https://news.example/q?x=%3Cy%3E&z=%22w%22"},
		{"https://news.example:8443/ok", "https://news.example:8443/ok"},
		{"https://news.example/é", "https://news.example/%C3%A9"},
		{"javascript:alert(1)", ""},
		{"data:text/html,x", ""},
		{"tg://user?id=1", ""},
		{"ftp://files.example/x", ""},
		{"//news.example/x", ""},
		{"/relative", ""},
		{"https://bank.example@evil.example/", ""},
		{"https://例子.测试/", ""},
		{"https://[::1]/", ""},
		{"https://news.example:/", ""},
		{"https://news.example/" + strings.Repeat("a", 3000), ""},
		{"", ""},
	}
	for _, tt := range tests {
		if got := safeURL(tt.in); got != tt.want {
			t.Errorf("safeURL(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestWindow(t *testing.T) {
	at := time.Date(2026, 11, 25, 8, 0, 0, 0, time.UTC)
	tests := []struct {
		span time.Duration
		want string
	}{
		{24 * time.Hour, "last 24 h"},
		{45 * time.Minute, "last 45 min"},
		{20 * time.Second, "last 1 min"},
		{90 * time.Minute, "last 1 h 30 min"},
		{72 * time.Hour, "last 3 days"},
		{100 * time.Hour, "last 100 h"},
		{0, ""},
		{-time.Hour, ""},
	}
	for _, tt := range tests {
		if got := window(at.Add(-tt.span), at); got != tt.want {
			t.Errorf("window(%v) = %q, want %q", tt.span, got, tt.want)
		}
	}
	if got := window(time.Time{}, at); got != "" {
		t.Errorf("window from zero time = %q, want empty", got)
	}
}

func TestRelativeDay(t *testing.T) {
	z := testZone()
	now := time.Date(2026, 11, 25, 8, 0, 0, 0, z) // a Wednesday
	tests := []struct {
		t    time.Time
		want string
	}{
		{time.Date(2026, 11, 25, 7, 30, 0, 0, z), "07:30"},
		{time.Date(2026, 11, 25, 6, 30, 0, 0, time.UTC), "07:30"}, // shown in the digest's zone
		{time.Date(2026, 11, 24, 23, 0, 0, 0, z), "yesterday"},
		{time.Date(2026, 11, 24, 1, 0, 0, 0, z), "yesterday"},
		{time.Date(2026, 11, 23, 12, 0, 0, 0, z), "Monday"},
		{time.Date(2026, 11, 19, 12, 0, 0, 0, z), "Thursday"},
		{time.Date(2026, 11, 18, 12, 0, 0, 0, z), "18 Nov"},
		{time.Date(2025, 12, 31, 12, 0, 0, 0, z), "31 Dec 2025"},
	}
	for _, tt := range tests {
		if got := relativeDay(tt.t, now); got != tt.want {
			t.Errorf("relativeDay(%v) = %q, want %q", tt.t, got, tt.want)
		}
	}
}

func TestFailingNotice(t *testing.T) {
	z := testZone()
	at := time.Date(2026, 11, 25, 8, 0, 0, 0, z)
	tue := time.Date(2026, 11, 24, 9, 0, 0, 0, z)
	mon := time.Date(2026, 11, 23, 9, 0, 0, 0, z)
	tests := []struct {
		name    string
		failing []digest.FailingSource
		want    string
	}{
		{"none", nil, ""},
		{"one", []digest.FailingSource{{Name: "Wire A", Since: tue, Error: "HTTP 403"}},
			"Wire A failing since yesterday: HTTP 403"},
		{"two with one error, earliest first failure",
			[]digest.FailingSource{{Name: "A", Since: tue, Error: "HTTP 403"}, {Name: "B", Since: mon, Error: "HTTP 403"}},
			"2 sources failing since Monday: HTTP 403 (A, B)"},
		{"two errors",
			[]digest.FailingSource{{Name: "A", Since: tue, Error: "HTTP 403"}, {Name: "B", Error: "timeout"}},
			"A failing since yesterday: HTTP 403; B failing: timeout"},
		{"blank names and errors",
			[]digest.FailingSource{{Name: " ", Error: "\n"}},
			"unnamed source failing: unknown error"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := failingNotice(digest.Digest{At: at, Failing: tt.failing})
			if got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestHeaderAndEmpty(t *testing.T) {
	d := sampleDigest()
	if got, want := headerWhen(d), "Wed 25 Nov 2026, 08:00 (last 24 h)"; got != want {
		t.Errorf("headerWhen = %q, want %q", got, want)
	}
	if got, want := emptyNotice(d), "No new stories since Tue 24 Nov 2026, 08:00."; got != want {
		t.Errorf("emptyNotice = %q, want %q", got, want)
	}
	if got := headerWhen(digest.Digest{}); got != "" {
		t.Errorf("headerWhen of zero digest = %q, want empty", got)
	}
	if got, want := emptyNotice(digest.Digest{}), "No new stories."; got != want {
		t.Errorf("emptyNotice of zero digest = %q, want %q", got, want)
	}
	if got, want := digestName(digest.Digest{Name: " \n"}), "Digest"; got != want {
		t.Errorf("digestName of blank = %q, want %q", got, want)
	}
}

func TestPrepare(t *testing.T) {
	s := prepare(digest.StoryItem{
		Headline: "  ",
		Quotes: []digest.KeyQuote{
			{Text: " ", Speaker: "Nobody"}, // no text: dropped
			{Text: "Said it", URL: "https://quotes.example/1"},
		},
		Links: []digest.Link{
			{Outlet: "Bad", URL: "javascript:alert(1)"},
			{Title: "Only a title", URL: "https://b.example/"},
			{URL: "https://host.example/x"},
			{},
		},
	})
	if s.headline != untitled {
		t.Errorf("headline = %q, want %q", s.headline, untitled)
	}
	if len(s.quotes) != 1 || s.quotes[0].text != "Said it" {
		t.Errorf("quotes = %+v", s.quotes)
	}
	want := []link{{"Bad", ""}, {"Only a title", "https://b.example/"}, {"host.example", "https://host.example/x"}}
	if len(s.links) != len(want) {
		t.Fatalf("links = %+v, want %+v", s.links, want)
	}
	for i := range want {
		if s.links[i] != want[i] {
			t.Errorf("link %d = %+v, want %+v", i, s.links[i], want[i])
		}
	}
	if s.best != "https://b.example/" {
		t.Errorf("best = %q, want the first safe link", s.best)
	}
	if got := prepare(digest.StoryItem{Quotes: []digest.KeyQuote{{Text: "x", URL: "https://q.example/"}}}).best; got != "https://q.example/" {
		t.Errorf("best without links = %q, want the quote's URL", got)
	}
}
