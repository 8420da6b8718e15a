package render

import (
	"strings"
	"testing"
)

func TestCheckTelegramHTML(t *testing.T) {
	tests := []struct {
		name string
		in   string
		ok   bool
	}{
		{"plain", "hello", true},
		{"all allowed tags", `<b>b</b><strong>s</strong><i>i</i><em>e</em><u>u</u><ins>n</ins><s>s</s><strike>k</strike><del>d</del>` +
			`<a href="https://x.example/?a=1&amp;b=2">a</a><code>c</code><pre>p</pre><pre><code class="language-go">g</code></pre>` +
			`<blockquote>q</blockquote><blockquote expandable>e</blockquote><tg-spoiler>t</tg-spoiler><span class="tg-spoiler">s</span>`, true},
		{"nested formatting", "<b><i><u>x</u></i></b>", true},
		{"entities", "&lt;&gt;&amp;&quot;&#65;&#x42;", true},
		{"raw > and quote in text", `a > b "c"`, true},
		{"upper-case tags", "<B>x</B>", true},
		{"single-quoted href", "<a href='https://x.example/'>x</a>", true},
		{"empty", "", false},
		{"only tags and spaces", "<b> </b>", false},
		{"unknown tag", "<script>x</script>", false},
		{"tg-emoji not allowed", `<tg-emoji emoji-id="1">x</tg-emoji>`, false},
		{"unclosed", "<b>x", false},
		{"misnested", "<b><i>x</b></i>", false},
		{"stray close", "x</b>", false},
		{"raw <", "a < b", false},
		{"raw < at end", "a <", false},
		{"bare &", "fish & chips", false},
		{"unknown entity", "&nbsp;", false},
		{"zero entity", "&#0;", false},
		{"surrogate entity", "&#xD800;", false},
		{"too big entity", "&#x110000;", false},
		{"attribute on b", `<b class="x">x</b>`, false},
		{"a without href", "<a>x</a>", false},
		{"a with extra attribute", `<a href="https://x.example/" target="_blank">x</a>`, false},
		{"javascript href", `<a href="javascript:alert(1)">x</a>`, false},
		{"relative href", `<a href="/x">x</a>`, false},
		{"a in a", `<a href="https://x.example/"><a href="https://y.example/">x</a></a>`, false},
		{"tag in code", "<code><b>x</b></code>", false},
		{"b in pre", "<pre><b>x</b></pre>", false},
		{"blockquote in blockquote", "<blockquote><blockquote>x</blockquote></blockquote>", false},
		{"span without spoiler class", `<span class="x">x</span>`, false},
		{"code class outside pre", `<code class="language-go">x</code>`, false},
		{"self-closing", "<br/>x", false},
		{"invalid UTF-8", "a\xffb", false},
		{"4096 characters", strings.Repeat("x", 4096), true},
		{"4097 characters", strings.Repeat("x", 4097), false},
		{"4096 escaped characters", strings.Repeat("&amp;", 4096), true},
		{"2048 emoji", strings.Repeat("😀", 2048), true},
		{"2049 emoji: 4098 UTF-16 units", strings.Repeat("😀", 2049), false},
		{"100 entities", strings.Repeat("<b>x</b>", 100), true},
		{"101 entities", strings.Repeat("<b>x</b>", 101), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := CheckTelegramHTML(tt.in)
			if (err == nil) != tt.ok {
				t.Errorf("CheckTelegramHTML(%.60q) = %v, want ok %v", tt.in, err, tt.ok)
			}
		})
	}
}

func TestTelegramVisibleText(t *testing.T) {
	got, err := TelegramVisibleText(`<b>A &amp; B</b> <a href="https://x.example/?a=1&amp;b=2">l&#105;nk</a> &lt;3`)
	if err != nil {
		t.Fatal(err)
	}
	if want := "A & B link <3"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestCheckDiscordMessage(t *testing.T) {
	ok := func() DiscordMessage {
		return DiscordMessage{Content: "hi", Embeds: []DiscordEmbed{{
			Title: "t", URL: "https://x.example/", Description: "d", Color: 0xFFFFFF,
			Fields: []DiscordField{{Name: "n", Value: "v"}},
			Footer: &DiscordFooter{Text: "f"}, Author: &DiscordAuthor{Name: "a"},
			Timestamp: "2026-11-25T08:00:00+01:00",
		}}}
	}
	many := func(n int) []DiscordEmbed {
		es := make([]DiscordEmbed, n)
		for i := range es {
			es[i] = DiscordEmbed{Description: "x"}
		}
		return es
	}
	tests := []struct {
		name string
		edit func(m *DiscordMessage)
		ok   bool
	}{
		{"valid", func(m *DiscordMessage) {}, true},
		{"content only", func(m *DiscordMessage) { m.Embeds = nil }, true},
		{"embeds only", func(m *DiscordMessage) { m.Content = "" }, true},
		{"empty message", func(m *DiscordMessage) { *m = DiscordMessage{} }, false},
		{"empty embed", func(m *DiscordMessage) { m.Embeds = append(m.Embeds, DiscordEmbed{Color: 1}) }, false},
		{"content 2000", func(m *DiscordMessage) { m.Content = strings.Repeat("é", 2000) }, true},
		{"content 2001", func(m *DiscordMessage) { m.Content = strings.Repeat("é", 2001) }, false},
		{"title 257", func(m *DiscordMessage) { m.Embeds[0].Title = strings.Repeat("x", 257) }, false},
		{"description 4096", func(m *DiscordMessage) { m.Embeds[0].Description = strings.Repeat("x", 4096) }, true},
		{"description 4097", func(m *DiscordMessage) { m.Embeds[0].Description = strings.Repeat("x", 4097) }, false},
		{"field name 257", func(m *DiscordMessage) { m.Embeds[0].Fields[0].Name = strings.Repeat("x", 257) }, false},
		{"field value 1025", func(m *DiscordMessage) { m.Embeds[0].Fields[0].Value = strings.Repeat("x", 1025) }, false},
		{"empty field value", func(m *DiscordMessage) { m.Embeds[0].Fields[0].Value = "" }, false},
		{"26 fields", func(m *DiscordMessage) { m.Embeds[0].Fields = make([]DiscordField, 26) }, false},
		{"footer 2049", func(m *DiscordMessage) { m.Embeds[0].Footer.Text = strings.Repeat("x", 2049) }, false},
		{"author 257", func(m *DiscordMessage) { m.Embeds[0].Author.Name = strings.Repeat("x", 257) }, false},
		{"10 embeds", func(m *DiscordMessage) { m.Embeds = many(10) }, true},
		{"11 embeds", func(m *DiscordMessage) { m.Embeds = many(11) }, false},
		{"6000 across embeds", func(m *DiscordMessage) {
			m.Embeds = many(2)
			m.Embeds[0].Description = strings.Repeat("x", 4000)
			m.Embeds[1].Description = strings.Repeat("x", 2000)
		}, true},
		{"6001 across embeds", func(m *DiscordMessage) {
			m.Embeds = many(2)
			m.Embeds[0].Description = strings.Repeat("x", 4000)
			m.Embeds[1].Description = strings.Repeat("x", 1990)
			m.Embeds[1].Title = strings.Repeat("x", 11)
		}, false},
		{"code points, not bytes", func(m *DiscordMessage) { m.Embeds[0].Title = strings.Repeat("😀", 256) }, true},
		{"bad URL", func(m *DiscordMessage) { m.Embeds[0].URL = "javascript:alert(1)" }, false},
		{"relative URL", func(m *DiscordMessage) { m.Embeds[0].URL = "/x" }, false},
		{"bad timestamp", func(m *DiscordMessage) { m.Embeds[0].Timestamp = "yesterday" }, false},
		{"bad color", func(m *DiscordMessage) { m.Embeds[0].Color = 0x1000000 }, false},
		{"invalid UTF-8", func(m *DiscordMessage) { m.Content = "a\xff" }, false},
		{"@everyone in content", func(m *DiscordMessage) { m.Content = "hi @everyone" }, false},
		{"@here in a title", func(m *DiscordMessage) { m.Embeds[0].Title = "@HERE" }, false},
		{"user mention", func(m *DiscordMessage) { m.Embeds[0].Description = "<@123>" }, false},
		{"nick mention", func(m *DiscordMessage) { m.Embeds[0].Fields[0].Value = "<@!123>" }, false},
		{"role mention", func(m *DiscordMessage) { m.Embeds[0].Footer.Text = "<@&123>" }, false},
		{"channel mention", func(m *DiscordMessage) { m.Embeds[0].Author.Name = "<#123>" }, false},
		{"guarded mentions", func(m *DiscordMessage) {
			m.Content = "@\u200Deveryone \\<@\u200D123\\> <\u200D#1>"
		}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := ok()
			tt.edit(&m)
			err := CheckDiscordMessage(m)
			if (err == nil) != tt.ok {
				t.Errorf("CheckDiscordMessage = %v, want ok %v", err, tt.ok)
			}
		})
	}
	if err := CheckDiscordMessages(nil); err == nil {
		t.Error("CheckDiscordMessages(nil) = nil, want an error")
	}
}
