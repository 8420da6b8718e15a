package render

import (
	"strings"
	"testing"

	"github.com/newsdigest/newsdigest/digest"
)

func TestTelegramSample(t *testing.T) {
	want := `<b>Morning digest</b> — Wed 25 Nov 2026, 08:00 (last 24 h)

<b><a href="https://citypost.example/bridge">Harbour bridge reopens after repairs</a></b>
The bridge reopened on Monday after six weeks of repairs.
<blockquote>“We are glad to have it back” — Mara Lind (City Post)</blockquote>
<a href="https://citypost.example/bridge">City Post</a> · <a href="https://radionorth.example/news/1">Radio North</a> · <code>/story a1</code>

<b>Update: <a href="https://gazette.example/b">Council approves budget</a></b>
The council approved the budget by 30 votes to 12.
<a href="https://gazette.example/b">Gazette</a> · <code>/story b2</code>

<i>⚠ Wire A failing since yesterday: HTTP 403</i>`
	got := Telegram(sampleDigest())
	if len(got) != 1 || got[0] != want {
		t.Fatalf("got %d messages:\n%s", len(got), strings.Join(got, "\n-----\n"))
	}
}

func TestTelegram(t *testing.T) {
	tests := []struct {
		name  string
		edit  func(d *digest.Digest)
		check func(t *testing.T, msgs []string)
	}{
		{
			name: "empty digest says so",
			edit: func(d *digest.Digest) { d.Stories = nil; d.Failing = nil },
			check: func(t *testing.T, msgs []string) {
				want := "<b>Morning digest</b> — Wed 25 Nov 2026, 08:00 (last 24 h)\n\nNo new stories since Tue 24 Nov 2026, 08:00."
				if len(msgs) != 1 || msgs[0] != want {
					t.Errorf("got %q", msgs)
				}
			},
		},
		{
			name: "late digest says so",
			edit: func(d *digest.Digest) { d.Late = true },
			check: func(t *testing.T, msgs []string) {
				if !strings.Contains(msgs[0], "(last 24 h)\n<i>Sent late: this digest missed its scheduled time.</i>\n\n") {
					t.Errorf("got %q", msgs[0])
				}
			},
		},
		{
			name: "HTML and entities in article text are escaped",
			edit: func(d *digest.Digest) {
				d.Stories[0].Headline = `<script>alert("x")</script> & co`
				d.Stories[0].Summary = "&amp; <b>not bold</b> @everyone"
			},
			check: func(t *testing.T, msgs []string) {
				if !strings.Contains(msgs[0], `>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; co</a></b>`) {
					t.Errorf("headline not escaped: %q", msgs[0])
				}
				if !strings.Contains(msgs[0], "\n&amp;amp; &lt;b&gt;not bold&lt;/b&gt; @\u200Deveryone\n") {
					t.Errorf("summary not escaped: %q", msgs[0])
				}
			},
		},
		{
			name: "only http(s) links become links, escaped",
			edit: func(d *digest.Digest) {
				d.Stories = d.Stories[:1]
				d.Stories[0].Links = []digest.Link{
					{Outlet: "Evil", URL: "javascript:alert(1)"},
					{Outlet: "Query", URL: `https://q.example/s?a=1&b="2"`},
				}
			},
			check: func(t *testing.T, msgs []string) {
				want := "\nEvil · <a href=\"https://q.example/s?a=1&amp;b=%222%22\">Query</a> · <code>/story a1</code>"
				if !strings.Contains(msgs[0], want) {
					t.Errorf("got %q, want it to hold %q", msgs[0], want)
				}
				if !strings.Contains(msgs[0], "<b><a href=\"https://q.example/s?a=1&amp;b=%222%22\">Harbour") {
					t.Errorf("headline should link to the first safe URL: %q", msgs[0])
				}
			},
		},
		{
			name: "emoji count twice towards 4096",
			edit: func(d *digest.Digest) {
				d.Stories = d.Stories[:1]
				d.Stories[0].Summary = strings.Repeat("😀", 3000)
			},
			check: func(t *testing.T, msgs []string) {
				n := 0
				for _, m := range msgs {
					text, _ := TelegramVisibleText(m)
					if utf16Len(text) > TelegramTextMax {
						t.Errorf("message of %d UTF-16 units", utf16Len(text))
					}
					n += strings.Count(text, "😀")
				}
				if n < 2000 || n >= 3000 {
					t.Errorf("%d emoji shown, want the summary shortened to about 2047", n)
				}
			},
		},
		{
			name: "a story never straddles messages when it fits in one",
			edit: func(d *digest.Digest) {
				base := d.Stories[0]
				d.Stories = nil
				for range 40 {
					s := base
					s.Summary = strings.Repeat("filler words ", 40)
					d.Stories = append(d.Stories, s)
				}
			},
			check: func(t *testing.T, msgs []string) {
				if len(msgs) < 5 {
					t.Fatalf("%d messages, want the digest split", len(msgs))
				}
				for i, m := range msgs[1:] {
					if !strings.HasPrefix(m, "<b><a href=") {
						t.Errorf("message %d starts mid-story: %.60q", i+1, m)
					}
				}
			},
		},
		{
			name: "many links stay within 100 entities a message",
			edit: func(d *digest.Digest) {
				d.Stories = d.Stories[:1]
				for range 250 {
					d.Stories[0].Links = append(d.Stories[0].Links, digest.Link{Outlet: "O", URL: "https://o.example/"})
				}
			},
			check: func(t *testing.T, msgs []string) {
				if len(msgs) < 3 {
					t.Errorf("%d messages for 252 links", len(msgs))
				}
				for _, m := range msgs {
					if n := strings.Count(m, "<a "); n > TelegramEntitiesMax {
						t.Errorf("%d links in one message", n)
					}
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := sampleDigest()
			tt.edit(&d)
			msgs := Telegram(d)
			if err := checkTelegram(d, msgs); err != nil {
				t.Fatal(err)
			}
			tt.check(t, msgs)
		})
	}
}
