package render

import (
	"testing"
	"time"

	"github.com/newsdigest/newsdigest/digest"
)

// fuzzDigest builds a digest from fuzzed text: n stories (at most 12)
// with every text field taken from the arguments.
func fuzzDigest(name, headline, summary, quoteText, speaker, outlet, link string, n uint8, update bool) digest.Digest {
	z := testZone()
	at := time.Date(2026, 11, 25, 8, 0, 0, 0, z)
	d := digest.Digest{
		Name: name, At: at, Since: at.Add(-24 * time.Hour), Until: at, Late: update,
		Failing: []digest.FailingSource{{Name: outlet, Error: speaker, Since: at.Add(-30 * time.Hour)}},
	}
	for i := range int(n % 13) {
		d.Stories = append(d.Stories, digest.StoryItem{
			ID:       name,
			Headline: headline,
			Summary:  summary,
			Quotes:   []digest.KeyQuote{{Text: quoteText, Speaker: speaker, Outlet: outlet, URL: link}},
			Links:    []digest.Link{{Outlet: outlet, Title: headline, URL: link}, {Outlet: speaker, URL: link}},
			Update:   update && i%2 == 0,
			Time:     at,
		})
	}
	return d
}

func addSeeds(f *testing.F) {
	texts := hostile()
	urls := hostileURLs()
	for i, s := range texts {
		f.Add(s, s, s, s, s, s, urls[i%len(urls)], uint8(i), i%2 == 0)
	}
	f.Add("Morning digest", "Headline", "Summary.", "Quote", "Speaker", "Outlet", "https://x.example/", uint8(3), false)
}

func FuzzDiscord(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, name, headline, summary, quoteText, speaker, outlet, link string, n uint8, update bool) {
		d := fuzzDigest(name, headline, summary, quoteText, speaker, outlet, link, n, update)
		if err := checkDiscord(d, Discord(d)); err != nil {
			t.Fatal(err)
		}
	})
}

func FuzzTelegram(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, name, headline, summary, quoteText, speaker, outlet, link string, n uint8, update bool) {
		d := fuzzDigest(name, headline, summary, quoteText, speaker, outlet, link, n, update)
		if err := checkTelegram(d, Telegram(d)); err != nil {
			t.Fatal(err)
		}
	})
}

func FuzzText(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, name, headline, summary, quoteText, speaker, outlet, link string, n uint8, update bool) {
		d := fuzzDigest(name, headline, summary, quoteText, speaker, outlet, link, n, update)
		opts := TextOptions{Color: update, Width: int(n) % 100}
		if err := checkText(d, opts, Text(d, opts)); err != nil {
			t.Fatal(err)
		}
		if err := checkMarkdown(d, Markdown(d)); err != nil {
			t.Fatal(err)
		}
	})
}

// FuzzCheckTelegramHTML feeds arbitrary HTML to the checker: it must not
// panic, and must not accept a message over the length limit.
func FuzzCheckTelegramHTML(f *testing.F) {
	for _, s := range []string{"<b>x</b>", `<a href="https://x.example/">y</a>`, "&amp;", "<pre><code class=\"language-go\">x</code></pre>", "a < b", "&#x1F600;"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		text, err := TelegramVisibleText(s)
		if err != nil {
			return
		}
		if runeLen(text) > TelegramTextMax || utf16Len(text) > TelegramTextMax {
			t.Fatalf("accepted %d characters", runeLen(text))
		}
	})
}
