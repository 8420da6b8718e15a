package render

import (
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/newsdigest/newsdigest/digest"
)

// hostile is text chosen to break renderers: mentions, markup of every
// platform, entities, control and bidi characters, invalid UTF-8, emoji
// sequences, right-to-left scripts, and sizes far over every limit.
func hostile() []string {
	return []string{
		"",
		" ",
		"@everyone",
		"@here look",
		"<@123> <@!456> <@&789> <#1011> </cmd:12> <t:1700000000:R> <:emoji:99>",
		"<script>alert('x')</script>",
		`<a href="javascript:alert(1)">click</a> <b>bold</b> </i>`,
		"**bold** __u__ *it* _it_ ~~s~~ `code` ```block``` ||spoiler|| > quote >>> all",
		"# Heading\n## Sub\n-# small\n- item\n* item\n+ item\n1. one\n2) two\n===\n---",
		"[masked](https://evil.example) ![img](https://evil.example/i.png) <https://evil.example>",
		`&amp; &lt; &gt; &quot; &#0; &#x110000; &bogus; & ; "quoted" 'single'`,
		`back\slash\ end\`,
		"مرحبا بالعالم، هذا خبر عاجل",
		"שלום עולם",
		"👩‍👩‍👧‍👦 🇫🇷🇩🇪🇺🇸 👍🏽 1️⃣ e\u0301 n\u0303 🏳️‍🌈",
		"\u202Eevil\u202C \u2066iso\u2069 \u200F rlm",
		"\x00nul \x1b[31mred\x1b[0m\r\n\ttab \u0085 \u2028 \u2029",
		"\xff\xfe invalid \xc3\x28 bytes",
		"3.5% of 1.000 people; 12. Mai; 2024.",
		"user@example.com and @handle",
		"日本語のテキストと中文文本",
		strings.Repeat("word ", 2100),
		strings.Repeat("x", 10000),
		strings.Repeat("😀", 3000),
		strings.Repeat("<", 5000),
		strings.Repeat("@", 3000),
		strings.Repeat("*", 4500),
		strings.Repeat("e\u0301", 3000),
		strings.Repeat("👩‍👩‍👧‍👦", 700),
		strings.Repeat("🇫🇷", 2000),
	}
}

func hostileURLs() []string {
	return []string{
		"",
		"https://news.example/a",
		"http://news.example/path?q=1&r=2#frag",
		"https://news.example/(a)[b]<c>\"d\"'e'`f`|g|^h^{i}@j",
		"https://news.example/" + strings.Repeat("a", 3000),
		"javascript:alert(1)",
		"data:text/html,<script>alert(1)</script>",
		"tg://user?id=123",
		"ftp://files.example/x",
		"https://bank.example@evil.example/",
		"https://例子.测试/",
		"https://news.example/a b",
		"//news.example/relative",
		"not a url",
		"https://news.example:8443/ok",
		"HTTPS://NEWS.EXAMPLE/Upper",
		"https://news.example/%E2%80%AE",
		"https://[::1]/v6",
	}
}

func pick(r *rand.Rand, pool []string) string {
	n := 1 + r.IntN(2)
	parts := make([]string, n)
	for i := range parts {
		parts[i] = pool[r.IntN(len(pool))]
	}
	return strings.Join(parts, " ")
}

// randomDigest builds a digest of hostile text; big gives it 200 stories.
func randomDigest(r *rand.Rand, big bool) digest.Digest {
	z := testZone()
	at := time.Date(2026, 11, 25, 8, 0, 0, 0, z)
	texts, urls := hostile(), hostileURLs()
	if big {
		// Many stories of modest size: the test is of splitting, and
		// checking megabytes of output for every field takes too long.
		var short []string
		for _, t := range texts {
			if len(t) < 200 {
				short = append(short, t)
			}
		}
		texts = short
	}
	d := digest.Digest{
		Name:  pick(r, texts),
		At:    at,
		Since: at.Add(-time.Duration(r.IntN(100)) * time.Hour),
		Until: at,
		Late:  r.IntN(2) == 0,
	}
	n := r.IntN(6)
	if big {
		n = 200
	}
	for i := 0; i < n; i++ {
		s := digest.StoryItem{
			ID:       pick(r, texts),
			Headline: pick(r, texts),
			Summary:  pick(r, texts),
			Update:   r.IntN(3) == 0,
			Time:     at.Add(-time.Duration(r.IntN(1000)) * time.Minute),
		}
		for range r.IntN(4) {
			s.Quotes = append(s.Quotes, digest.KeyQuote{
				Text: pick(r, texts), Speaker: pick(r, texts), Outlet: pick(r, texts), URL: urls[r.IntN(len(urls))],
			})
		}
		links := r.IntN(5)
		if !big && r.IntN(10) == 0 {
			links = 150
		}
		for range links {
			s.Links = append(s.Links, digest.Link{
				Outlet: pick(r, texts), Title: pick(r, texts), URL: urls[r.IntN(len(urls))],
			})
		}
		d.Stories = append(d.Stories, s)
	}
	for range r.IntN(4) {
		d.Failing = append(d.Failing, digest.FailingSource{
			Name: pick(r, texts), Error: pick(r, texts), Since: at.Add(-time.Duration(r.IntN(300)) * time.Hour),
		})
	}
	return d
}

// TestProperties renders random hostile digests on every platform and
// checks every invariant.
func TestProperties(t *testing.T) {
	iterations := 60
	if testing.Short() {
		iterations = 20
	}
	for i := range iterations {
		r := rand.New(rand.NewPCG(uint64(i), 7))
		d := randomDigest(r, i%20 == 0)
		if err := checkDiscord(d, Discord(d)); err != nil {
			t.Fatalf("seed %d: discord: %v", i, err)
		}
		if err := checkTelegram(d, Telegram(d)); err != nil {
			t.Fatalf("seed %d: telegram: %v", i, err)
		}
		opts := TextOptions{Color: i%2 == 0, Width: []int{0, 1, 40, 80}[i%4]}
		if err := checkText(d, opts, Text(d, opts)); err != nil {
			t.Fatalf("seed %d: text %+v: %v", i, opts, err)
		}
		if err := checkMarkdown(d, Markdown(d)); err != nil {
			t.Fatalf("seed %d: markdown: %v", i, err)
		}
	}
}

// TestPropertiesEachHostileText puts each hostile text, alone, in every
// place of a story, so that no combination hides a failure of one.
func TestPropertiesEachHostileText(t *testing.T) {
	for _, text := range hostile() {
		for _, u := range hostileURLs() {
			d := sampleDigest()
			d.Name = text
			d.Stories = append(d.Stories, digest.StoryItem{
				ID: text, Headline: text, Summary: text,
				Quotes: []digest.KeyQuote{{Text: text, Speaker: text, Outlet: text, URL: u}},
				Links:  []digest.Link{{Outlet: text, Title: text, URL: u}, {URL: u}},
			})
			d.Failing = append(d.Failing, digest.FailingSource{Name: text, Error: text})
			if err := checkDiscord(d, Discord(d)); err != nil {
				t.Fatalf("%.40q %q: discord: %v", text, u, err)
			}
			if err := checkTelegram(d, Telegram(d)); err != nil {
				t.Fatalf("%.40q %q: telegram: %v", text, u, err)
			}
			opts := TextOptions{Color: true, Width: 60}
			if err := checkText(d, opts, Text(d, opts)); err != nil {
				t.Fatalf("%.40q %q: text: %v", text, u, err)
			}
			if err := checkMarkdown(d, Markdown(d)); err != nil {
				t.Fatalf("%.40q %q: markdown: %v", text, u, err)
			}
		}
	}
}
