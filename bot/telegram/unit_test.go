package telegram

import (
	"net/http"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/newsdigest/newsdigest/bot"
	"github.com/newsdigest/newsdigest/digest/render"
)

func TestParseCommand(t *testing.T) {
	cases := []struct {
		text      string
		name      string
		args      []string
		addressed bool
		ok        bool
	}{
		{"/digest", "digest", nil, true, true},
		{"/Digest climate 3d", "digest", []string{"climate", "3d"}, true, true},
		{"/digest@newsdigest_bot", "digest", nil, true, true},
		{"/digest@NEWSDIGEST_BOT  climate\n6h", "digest", []string{"climate", "6h"}, true, true},
		{"/digest@otherbot climate", "digest", []string{"climate"}, false, true},
		{"/filter add exclude:/transfer (news|rumou?r)/", "filter", []string{"add", "exclude:/transfer", "(news|rumou?r)/"}, true, true},
		{"/sources\u00a0add x", "sources", []string{"add", "x"}, true, true},
		{"/", "", nil, false, false},
		{"/ digest", "", nil, false, false},
		{"/dígest", "", nil, false, false},
		{"/digest@ab", "", nil, false, false},
		{"/digest/now", "", nil, false, false},
		{"digest", "", nil, false, false},
		{"/" + strings.Repeat("a", 65), "", nil, false, false},
	}
	for _, c := range cases {
		name, args, addressed, ok := parseCommand(c.text, "newsdigest_bot")
		if name != c.name || strings.Join(args, "|") != strings.Join(c.args, "|") || addressed != c.addressed || ok != c.ok {
			t.Errorf("parseCommand(%q) = %q %q %v %v, want %q %q %v %v", c.text, name, args, addressed, ok, c.name, c.args, c.addressed, c.ok)
		}
	}
}

func TestBareLink(t *testing.T) {
	cases := []struct {
		text  string
		forMe bool
		want  string
	}{
		{"https://example.com/news/1", true, "https://example.com/news/1"},
		{"  <https://example.com/a?b=c>  ", true, "https://example.com/a?b=c"},
		{"https://example.com/news/1", false, ""},
		{"@newsdigest_bot https://example.com/x", false, "https://example.com/x"},
		{"https://example.com/x @NewsDigest_Bot", false, "https://example.com/x"},
		{"@otherbot https://example.com/x", false, ""},
		{"look https://example.com/x", true, ""},
		{"https://a.example https://b.example", true, ""},
		{"ftp://example.com/file", true, ""},
		{"example.com/news", true, ""},
		{"https://", true, ""},
		{"https://example.com/" + strings.Repeat("a", 2100), true, ""},
	}
	for _, c := range cases {
		got, ok := bareLink(c.text, "newsdigest_bot", c.forMe)
		if got != c.want || ok != (c.want != "") {
			t.Errorf("bareLink(%.60q, %v) = %q, %v; want %q", c.text, c.forMe, got, ok, c.want)
		}
	}
}

func TestTextMessages(t *testing.T) {
	cases := []struct {
		name string
		in   string
		want []string
	}{
		{"empty", "", nil},
		{"blank", " \n\t ", nil},
		{"escaped", "a < b & c > d \"q\"", []string{"a &lt; b &amp; c &gt; d \"q\""}},
		{"tags stay text", "<b>not bold</b>", []string{"&lt;b&gt;not bold&lt;/b&gt;"}},
		{"mentions defused", "ask @everyone and @ann", []string{"ask @\u200Deveryone and @\u200Dann"}},
		{"links kept", "see https://medium.com/@ann/post and mail@x", []string{"see https://medium.com/@ann/post and mail@\u200Dx"}},
		{"invalid UTF-8", "caf\xe9", []string{"caf\uFFFD"}},
	}
	for _, c := range cases {
		got := textMessages(c.in)
		if strings.Join(got, "\x00") != strings.Join(c.want, "\x00") {
			t.Errorf("%s: textMessages(%q) = %q, want %q", c.name, c.in, got, c.want)
		}
	}
}

func TestSplitText(t *testing.T) {
	var long strings.Builder
	for i := 0; long.Len() < 20000; i++ {
		long.WriteString("Line " + strings.Repeat("word ", i%40) + "end.\n")
	}
	cases := []struct {
		name string
		in   string
	}{
		{"lines", long.String()},
		{"one long line", strings.Repeat("word ", 3000)},
		{"no spaces", strings.Repeat("x", 9000)},
		{"astral", strings.Repeat("😀", 5000)}, // two UTF-16 units each
		{"mixed", strings.Repeat("é😀 a<b&c>\n", 1500)},
	}
	for _, c := range cases {
		msgs := textMessages(c.in)
		if len(msgs) < 2 {
			t.Errorf("%s: %d messages, want a split", c.name, len(msgs))
		}
		var visible strings.Builder
		for i, m := range msgs {
			if err := render.CheckTelegramHTML(m); err != nil {
				t.Errorf("%s: message %d: %v", c.name, i, err)
			}
			v, err := render.TelegramVisibleText(m)
			if err != nil {
				t.Fatal(err)
			}
			if n := utf16Len(v); n > maxMessage {
				t.Errorf("%s: message %d is %d UTF-16 units", c.name, i, n)
			}
			if !utf8.ValidString(m) {
				t.Errorf("%s: message %d is not UTF-8", c.name, i)
			}
			visible.WriteString(v)
		}
		// Nothing but white space is lost or added.
		squash := func(s string) string { return strings.Join(strings.Fields(s), "") }
		if squash(visible.String()) != squash(defuseMentions(c.in)) {
			t.Errorf("%s: the parts do not add up to the text", c.name)
		}
	}
	// Lines are kept whole where they fit.
	msgs := splitText(long.String(), maxMessage)
	for i, m := range msgs {
		if !strings.HasSuffix(m, "end.") {
			t.Errorf("part %d ends mid-line: %q", i, m[max(0, len(m)-20):])
		}
	}
}

func TestReplyMessages(t *testing.T) {
	d := bigDigest()
	msgs := replyMessages(bot.Reply{Text: "Here it is:", Digest: d})
	if len(msgs) != 1+len(render.Telegram(*d)) || msgs[0].html != "Here it is:" || msgs[0].noPreview || !msgs[1].noPreview {
		t.Errorf("reply messages: %d, first %+v", len(msgs), msgs[0])
	}
	if got := replyMessages(bot.Reply{}); len(got) != 0 {
		t.Errorf("empty reply gives %d messages", len(got))
	}
}

func TestWindow(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	w := window{lim: Limit{Messages: 2, Per: time.Second}}
	if d := w.wait(t0); d != 0 {
		t.Fatalf("empty window waits %s", d)
	}
	w.start()
	w.start()
	if d := w.wait(t0); d != blocked {
		t.Fatalf("full of sends in flight: %s, want blocked", d)
	}
	w.finish(t0.Add(100 * time.Millisecond))
	if d := w.wait(t0.Add(200 * time.Millisecond)); d != 900*time.Millisecond {
		t.Fatalf("one in flight, one done: %s, want 900ms (until the done one leaves)", d)
	}
	w.finish(t0.Add(300 * time.Millisecond))
	if d := w.wait(t0.Add(400 * time.Millisecond)); d != 700*time.Millisecond {
		t.Fatalf("both done: wait %s, want 700ms (until the first leaves)", d)
	}
	if d := w.wait(t0.Add(1100 * time.Millisecond)); d != 0 {
		t.Fatalf("after the first left: wait %s", d)
	}
	if len(w.done) != 1 {
		t.Fatalf("%d sends remembered, want 1", len(w.done))
	}
	off := window{lim: Limit{Messages: -1}}
	off.start()
	if d := off.wait(t0); d != 0 {
		t.Fatalf("no limit waits %s", d)
	}
}

func TestConfigRefusesBadValues(t *testing.T) {
	good := Config{Token: testToken}
	if _, err := good.check(); err != nil {
		t.Fatalf("good config: %v", err)
	}
	cases := []struct {
		name string
		edit func(*Config)
		want string
	}{
		{"no token", func(c *Config) { c.Token = "" }, "TELEGRAM_BOT_TOKEN"},
		{"no colon", func(c *Config) { c.Token = "abc" }, "does not look like"},
		{"letters in id", func(c *Config) { c.Token = "12a:" + strings.Repeat("x", 30) }, "does not look like"},
		{"slash", func(c *Config) { c.Token = "123:abc/def" + strings.Repeat("x", 30) }, "character"},
		{"bad base", func(c *Config) { c.APIBase = "ftp://api.telegram.org" }, "API base"},
		{"base with query", func(c *Config) { c.APIBase = "https://api.telegram.org/?x=1" }, "API base"},
		{"webhook http", func(c *Config) { c.WebhookURL = "http://bot.example.com/hook"; c.WebhookSecret = "s" }, "https"},
		{"webhook without secret", func(c *Config) { c.WebhookURL = "https://bot.example.com/hook" }, "secret"},
		{"bad secret", func(c *Config) { c.WebhookURL = "https://bot.example.com/hook"; c.WebhookSecret = "has space" }, "secret"},
		{"long secret", func(c *Config) { c.WebhookSecret = strings.Repeat("a", 257) }, "secret"},
		{"short poll", func(c *Config) { c.PollTimeout = time.Millisecond }, "poll timeout"},
		{"client too quick", func(c *Config) { c.HTTPClient = &http.Client{Timeout: 10 * time.Second} }, "must exceed"},
		{"zero limit", func(c *Config) { c.Limits.Chat = Limit{Messages: 0, Per: time.Second} }, "chat limit"},
		{"limit without period", func(c *Config) { c.Limits.Global = Limit{Messages: 5} }, "global limit"},
	}
	for _, c := range cases {
		cfg := good
		c.edit(&cfg)
		_, err := cfg.check()
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want an error about %q", c.name, err, c.want)
			continue
		}
		if leaks(err.Error(), testToken) {
			t.Errorf("%s: the error shows the token: %v", c.name, err)
		}
	}
	c, err := Config{Token: testToken, APIBase: "http://127.0.0.1:8081/tg%20api/"}.check()
	if err != nil || c.endpoint != "http://127.0.0.1:8081/tg%%20api/bot%s/%s" {
		t.Errorf("endpoint %q, %v", c.endpoint, err)
	}
	if _, err := New(good, nil); err == nil {
		t.Error("New without a bot")
	}
}
