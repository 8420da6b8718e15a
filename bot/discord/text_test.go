package discord

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/newsdigest/newsdigest/bot"
	"github.com/newsdigest/newsdigest/digest/render"
)

func TestEscapeText(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"plain words", "plain words"},
		{"/digest [topic] [since]", "/digest \\[topic\\] \\[since\\]"},
		{"cron 0 8 * * 1-5", "cron 0 8 \\* \\* 1\\-5"},
		{"__init__ and ~~x~~ `code` a|b", "\\_\\_init\\_\\_ and \\~\\~x\\~\\~ \\`code\\` a\\|b"},
		{"# heading\n> quote\n- item\n1. first", "\\# heading\n\\> quote\n\\- item\n1\\. first"},
		{"ping @everyone and @here", "ping @\u200Deveryone and @\u200Dhere"},
		{"<@123> <#456> <@&789> <t:1:R>", "\\<@\u200D123\\> \\<\\#456\\> \\<@\u200D&789\\> \\<t:1:R\\>"},
		{"see https://news.example.com/a_b_(c)?x=1", "see <https://news.example.com/a_b_(c)?x=1>"},
		{"fake https://x.example/@everyone", "fake https://x.example/@\u200Deveryone"},
		{"not a link: https://", "not a link: https://"},
		{"bad \xff utf8", "bad \uFFFD utf8"},
		{"version 2.5 and 10.", "version 2\\.5 and 10\\."},
	}
	for _, tt := range tests {
		if got := escapeText(tt.in); got != tt.want {
			t.Errorf("escapeText(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestEscapedTextCannotMention(t *testing.T) {
	t.Parallel()
	for _, in := range []string{"@everyone", "@HERE", "<@123>", "<@!123>", "<@&9>", "<#1>", "x<@1>y", "https://a.example/<@1>"} {
		if m := render.DiscordMention(escapeText(in)); m != "" {
			t.Errorf("escapeText(%q) still mentions %q", in, m)
		}
	}
}

func TestSplitContent(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("word ", 900) // one line of 4500 characters
	tests := []struct {
		name  string
		text  string
		max   int
		parts int
	}{
		{"short", "a\nb", 2000, 1},
		{"empty", "", 2000, 0},
		{"blank lines", "\n \n", 2000, 0},
		{"lines", strings.Repeat(strings.Repeat("x", 99)+"\n", 50), 2000, 3},
		{"one long line", long, 2000, 3},
		{"escapes at the cut", strings.Repeat("\\*", 3000), 2000, 3},
		{"escape straddles the cut", "x" + strings.Repeat("\\*", 3000), 2000, 4},
		{"no spaces", strings.Repeat("é", 4001), 2000, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			parts := splitContent(tt.text, tt.max)
			if len(parts) != tt.parts {
				t.Fatalf("%d parts, want %d", len(parts), tt.parts)
			}
			var kept int
			for _, p := range parts {
				if n := utf8.RuneCountInString(p); n > tt.max || n == 0 {
					t.Errorf("part of %d characters", n)
				}
				if trailing := len(p) - len(strings.TrimRight(p, "\\")); trailing%2 == 1 {
					t.Errorf("part ends in a lone backslash: …%q", p[len(p)-5:])
				}
				kept += len(strings.Join(strings.Fields(p), ""))
			}
			if want := len(strings.Join(strings.Fields(tt.text), "")); kept != want {
				t.Errorf("kept %d bytes of text, want %d", kept, want)
			}
		})
	}
}

func TestReplyMessages(t *testing.T) {
	t.Parallel()
	msgs := replyMessages(bot.Reply{Text: strings.Repeat("line of text\n", 400)})
	if len(msgs) != 3 {
		t.Fatalf("%d messages, want 3", len(msgs))
	}
	for _, m := range msgs {
		if err := render.CheckDiscordMessage(render.DiscordMessage{Content: m.Content, Embeds: m.Embeds}); err != nil {
			t.Error(err)
		}
	}
	if m := replyMessages(bot.Reply{}); len(m) != 1 || m[0].Content == "" {
		t.Errorf("empty reply = %+v, want one message saying something", m)
	}
	if m := replyMessages(bot.Reply{Text: strings.Repeat("x\n", 30000)}); len(m) != maxReplyMessages {
		t.Errorf("huge reply took %d messages, want at most %d", len(m), maxReplyMessages)
	}
}
