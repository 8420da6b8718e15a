package render

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/newsdigest/newsdigest/digest"
)

func TestDiscordSample(t *testing.T) {
	want := []DiscordMessage{{
		Content: "**Morning digest** — Wed 25 Nov 2026, 08:00 (last 24 h)",
		Embeds: []DiscordEmbed{
			{
				Title: "Harbour bridge reopens after repairs",
				URL:   "https://citypost.example/bridge",
				Description: "The bridge reopened on Monday after six weeks of repairs.\n\n" +
					"> “We are glad to have it back” — Mara Lind \\(City Post\\)\n\n" +
					"[City Post](https://citypost.example/bridge) · [Radio North](https://radionorth.example/news/1)",
				Color:     colorStory,
				Footer:    &DiscordFooter{Text: "/story a1"},
				Timestamp: "2026-11-25T06:00:00+01:00",
			},
			{
				Title:       "Update: Council approves budget",
				URL:         "https://gazette.example/b",
				Description: "The council approved the budget by 30 votes to 12\\.\n\n[Gazette](https://gazette.example/b)",
				Color:       colorUpdate,
				Footer:      &DiscordFooter{Text: "/story b2\n⚠ Wire A failing since yesterday: HTTP 403"},
			},
		},
	}}
	got := Discord(sampleDigest())
	if !reflect.DeepEqual(got, want) {
		g, _ := json.MarshalIndent(got, "", "  ")
		t.Fatalf("got\n%s", g)
	}
	if err := checkDiscord(sampleDigest(), got); err != nil {
		t.Fatal(err)
	}
}

// TestDiscordJSON checks the field names Discord's API expects.
func TestDiscordJSON(t *testing.T) {
	b, err := json.Marshal(Discord(sampleDigest())[0])
	if err != nil {
		t.Fatal(err)
	}
	var raw map[string]any
	if err := json.Unmarshal(b, &raw); err != nil {
		t.Fatal(err)
	}
	embed := raw["embeds"].([]any)[0].(map[string]any)
	for _, key := range []string{"title", "url", "description", "color", "footer", "timestamp"} {
		if _, ok := embed[key]; !ok {
			t.Errorf("embed JSON lacks %q: %s", key, b)
		}
	}
	if _, ok := embed["footer"].(map[string]any)["text"]; !ok {
		t.Errorf("footer JSON lacks text: %s", b)
	}
	if _, ok := raw["content"]; !ok {
		t.Errorf("message JSON lacks content: %s", b)
	}
}

func TestDiscord(t *testing.T) {
	long := strings.Repeat("word ", 2000) // 10,000 characters
	tests := []struct {
		name  string
		edit  func(d *digest.Digest)
		check func(t *testing.T, msgs []DiscordMessage)
	}{
		{
			name: "empty digest says so",
			edit: func(d *digest.Digest) { d.Stories = nil },
			check: func(t *testing.T, msgs []DiscordMessage) {
				if len(msgs) != 1 || len(msgs[0].Embeds) != 1 {
					t.Fatalf("want one message with one embed, got %+v", msgs)
				}
				e := msgs[0].Embeds[0]
				if e.Description != `No new stories since Tue 24 Nov 2026, 08:00\.` {
					t.Errorf("description = %q", e.Description)
				}
				if e.Footer == nil || !strings.Contains(e.Footer.Text, "Wire A failing") {
					t.Errorf("failing sources missing from %+v", e.Footer)
				}
			},
		},
		{
			name: "late digest says so",
			edit: func(d *digest.Digest) { d.Late = true },
			check: func(t *testing.T, msgs []DiscordMessage) {
				if !strings.HasSuffix(msgs[0].Content, "\n*Sent late: this digest missed its scheduled time.*") {
					t.Errorf("content = %q", msgs[0].Content)
				}
			},
		},
		{
			name: "10,000-character headline is shortened with an ellipsis",
			edit: func(d *digest.Digest) { d.Stories[0].Headline = long },
			check: func(t *testing.T, msgs []DiscordMessage) {
				title := msgs[0].Embeds[0].Title
				if runeLen(title) > DiscordTitleMax || !strings.HasSuffix(title, "word…") {
					t.Errorf("title (%d) = %.60q…%q", runeLen(title), title, title[len(title)-10:])
				}
			},
		},
		{
			name: "mentions and markdown in article text are inert",
			edit: func(d *digest.Digest) {
				d.Name = "@everyone digest"
				d.Stories[0].Headline = "**Big** news for <@123>"
				d.Stories[0].Summary = "@here [click](https://evil.example) <#42> ||secret||"
				d.Stories[0].Quotes[0].Speaker = "<@&7>"
			},
			check: func(t *testing.T, msgs []DiscordMessage) {
				if want := "**@\u200Deveryone digest**"; !strings.HasPrefix(msgs[0].Content, want) {
					t.Errorf("content = %q, want prefix %q", msgs[0].Content, want)
				}
				e := msgs[0].Embeds[0]
				if want := `\*\*Big\*\* news for \<@` + "\u200D" + `123\>`; e.Title != want {
					t.Errorf("title = %q, want %q", e.Title, want)
				}
				wantDesc := "@\u200Dhere \\[click\\]\\(https://evil.example\\) \\<\\#42\\> \\|\\|secret\\|\\|"
				if !strings.HasPrefix(e.Description, wantDesc) {
					t.Errorf("description = %q, want prefix %q", e.Description, wantDesc)
				}
				if !strings.Contains(e.Description, "— \\<@\u200D&7\\>") {
					t.Errorf("speaker not escaped in %q", e.Description)
				}
			},
		},
		{
			name: "200 stories spread over messages of at most 10 embeds",
			edit: func(d *digest.Digest) {
				base := d.Stories[0]
				d.Stories = nil
				for i := range 200 {
					s := base
					s.Headline = "Story " + strings.Repeat("x", i%7) + string(rune('A'+i%26))
					s.Summary = strings.Repeat("sentence ", 1+i%300)
					d.Stories = append(d.Stories, s)
				}
			},
			check: func(t *testing.T, msgs []DiscordMessage) {
				n := 0
				for _, m := range msgs {
					n += len(m.Embeds)
				}
				if n != 200 || len(msgs) < 20 {
					t.Errorf("%d embeds in %d messages, want 200 in at least 20", n, len(msgs))
				}
			},
		},
		{
			name: "story too big for an embed continues in another",
			edit: func(d *digest.Digest) {
				d.Stories = d.Stories[:1]
				d.Stories[0].Summary = strings.Repeat("long summary ", 300)
				for i := range 150 {
					d.Stories[0].Links = append(d.Stories[0].Links, digest.Link{
						Outlet: "Outlet number " + strings.Repeat("n", i%10),
						URL:    "https://outlet.example/article/" + strings.Repeat("p", i%40),
					})
				}
			},
			check: func(t *testing.T, msgs []DiscordMessage) {
				var embeds []DiscordEmbed
				for _, m := range msgs {
					embeds = append(embeds, m.Embeds...)
				}
				if len(embeds) < 3 {
					t.Fatalf("%d embeds, want the story split over at least 3", len(embeds))
				}
				for i, e := range embeds[1:] {
					if e.Title != `Harbour bridge reopens after repairs \(continued\)` || e.URL != "" {
						t.Errorf("continuation %d: title %q url %q", i+1, e.Title, e.URL)
					}
				}
				if !strings.HasPrefix(embeds[1].Description, "[") {
					t.Errorf("continuation should start with a link, got %.40q", embeds[1].Description)
				}
			},
		},
		{
			name: "embeds sharing a URL in one message keep only the first",
			edit: func(d *digest.Digest) { d.Stories[1].Links = d.Stories[0].Links },
			check: func(t *testing.T, msgs []DiscordMessage) {
				if msgs[0].Embeds[0].URL == "" || msgs[0].Embeds[1].URL != "" {
					t.Errorf("urls %q, %q", msgs[0].Embeds[0].URL, msgs[0].Embeds[1].URL)
				}
			},
		},
		{
			name: "unsafe links are shown as names without links",
			edit: func(d *digest.Digest) {
				d.Stories = d.Stories[:1]
				d.Stories[0].Links = []digest.Link{{Outlet: "Evil", URL: "javascript:alert(1)"}}
			},
			check: func(t *testing.T, msgs []DiscordMessage) {
				e := msgs[0].Embeds[0]
				if e.URL != "" || !strings.HasSuffix(e.Description, "\n\nEvil") {
					t.Errorf("url %q description %q", e.URL, e.Description)
				}
			},
		},
		{
			name: "story time out of RFC 3339's range has no timestamp",
			edit: func(d *digest.Digest) { d.Stories[0].Time = time.Date(12000, 1, 1, 0, 0, 0, 0, time.UTC) },
			check: func(t *testing.T, msgs []DiscordMessage) {
				if ts := msgs[0].Embeds[0].Timestamp; ts != "" {
					t.Errorf("timestamp = %q", ts)
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := sampleDigest()
			tt.edit(&d)
			msgs := Discord(d)
			if err := checkDiscord(d, msgs); err != nil {
				t.Fatal(err)
			}
			tt.check(t, msgs)
		})
	}
}
