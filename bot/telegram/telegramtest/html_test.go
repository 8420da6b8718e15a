package telegramtest

import (
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestParseHTML(t *testing.T) {
	tests := []struct {
		name     string
		html     string
		text     string
		entities []Entity
	}{
		{"plain", "no markup", "no markup", nil},
		{"bold strong", "<b>a</b><strong>b</strong>", "ab",
			[]Entity{{Type: "bold", Offset: 0, Length: 1}, {Type: "bold", Offset: 1, Length: 1}}},
		{"nested", "<b>bold <i>both</i></b>", "bold both",
			[]Entity{{Type: "bold", Offset: 0, Length: 9}, {Type: "italic", Offset: 5, Length: 4}}},
		{"all simple tags", "<u>u</u><ins>i</ins><s>s</s><strike>k</strike><del>d</del><em>e</em><tg-spoiler>p</tg-spoiler>", "uiskdep",
			[]Entity{{Type: "underline", Offset: 0, Length: 1}, {Type: "underline", Offset: 1, Length: 1},
				{Type: "strikethrough", Offset: 2, Length: 1}, {Type: "strikethrough", Offset: 3, Length: 1},
				{Type: "strikethrough", Offset: 4, Length: 1}, {Type: "italic", Offset: 5, Length: 1},
				{Type: "spoiler", Offset: 6, Length: 1}}},
		{"span spoiler", `<span class="tg-spoiler">x</span>`, "x", []Entity{{Type: "spoiler", Offset: 0, Length: 1}}},
		{"tag names are case-insensitive", "<B>x</b>", "x", []Entity{{Type: "bold", Offset: 0, Length: 1}}},
		{"</> closes the open tag", "<i>x</>", "x", []Entity{{Type: "italic", Offset: 0, Length: 1}}},
		{"empty element makes no entity", "a<b></b>b", "ab", nil},
		{"link", `<a href="https://example.com/x?a=1&amp;b=2">x</a>`, "x",
			[]Entity{{Type: "text_link", Offset: 0, Length: 1, URL: "https://example.com/x?a=1&b=2"}}},
		{"single-quoted href", `<a href='https://example.com'>x</a>`, "x",
			[]Entity{{Type: "text_link", Offset: 0, Length: 1, URL: "https://example.com"}}},
		{"link without href uses its text", `<a>example.com</a>`, "example.com",
			[]Entity{{Type: "text_link", Offset: 0, Length: 11, URL: "http://example.com"}}},
		{"unusable link is dropped", `<a href="javascript:alert(1)">x</a>`, "x", nil},
		{"user mention", `<a href="tg://user?id=42">Ann</a>`, "Ann",
			[]Entity{{Type: "text_mention", Offset: 0, Length: 3, User: &User{ID: 42}}}},
		{"pre with language", `<pre><code class="language-go">x := 1</code></pre>`, "x := 1",
			[]Entity{{Type: "pre", Offset: 0, Length: 6, Language: "go"}}},
		{"code keeps no language", `<code class="language-go">x</code>`, "x", []Entity{{Type: "code", Offset: 0, Length: 1}}},
		{"pre", "<pre>a\nb</pre>", "a\nb", []Entity{{Type: "pre", Offset: 0, Length: 3}}},
		{"blockquote", "<blockquote>q</blockquote>", "q", []Entity{{Type: "blockquote", Offset: 0, Length: 1}}},
		{"expandable blockquote", "<blockquote expandable>q</blockquote>", "q",
			[]Entity{{Type: "expandable_blockquote", Offset: 0, Length: 1}}},
		{"custom emoji", `<tg-emoji emoji-id="5368324170671202286">👍</tg-emoji>`, "👍",
			[]Entity{{Type: "custom_emoji", Offset: 0, Length: 2, CustomEmojiID: "5368324170671202286"}}},
		{"named entities", "&lt;&gt;&amp;&quot;", `<>&"`, nil},
		{"numeric entities", "&#65;&#x42;&#128512;", "AB😀", nil},
		{"semicolon optional", "&lt3 &amp", "<3 &", nil},
		{"unknown entity stays literal", "&nbsp; AT&T & co", "&nbsp; AT&T & co", nil},
		{"offsets in UTF-16 units", "😀é <b>x</b>", "😀é x", []Entity{{Type: "bold", Offset: 4, Length: 1}}},
		{"entity inside bold counts once", "<b>&lt;</b>x", "<x", []Entity{{Type: "bold", Offset: 0, Length: 1}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			text, entities, err := parseHTML(tt.html)
			if err != nil {
				t.Fatalf("parseHTML(%q): %v", tt.html, err)
			}
			if text != tt.text || !slices.EqualFunc(entities, tt.entities, sameEntity) {
				t.Errorf("parseHTML(%q) = %q %+v, want %q %+v", tt.html, text, entities, tt.text, tt.entities)
			}
		})
	}
}

func sameEntity(a, b Entity) bool { return sameEntities([]Entity{a}, []Entity{b}) }

func TestParseHTMLErrors(t *testing.T) {
	tests := []struct{ html, err string }{
		{"<b>x", `Can't find end tag corresponding to start tag "b"`},
		{"<b><i>x</i>", `Can't find end tag corresponding to start tag "b"`},
		{"<br>", `Unsupported start tag "br" at byte offset 0`},
		{"<p>x</p>", `Unsupported start tag "p" at byte offset 0`},
		{"x <!-- c -->", `Unsupported start tag "!--" at byte offset 2`},
		{"1 < 2", `Unsupported start tag "" at byte offset 2`},
		{"<b", "Unclosed start tag at byte offset 0"},
		{"ab</b>", "Unexpected end tag at byte offset 2"},
		{"<b>x</i>", `Unmatched end tag at byte offset 4, expected "</b>", found "</i>"`},
		{"<b>x</b", "Unclosed end tag at byte offset 4"},
		{"<a href>x</a>", `Expected equal sign in declaration of an attribute of the tag "a" at byte offset 0`},
		{`<a =x>y</a>`, `Empty attribute name in the tag "a" at byte offset 0`},
		{"<a href=", `Unclosed start tag "a" at byte offset 0`},
		{`<a href="x`, "Unclosed start tag at byte offset 0"},
		{"<a href=http://x>y</a>", "Unexpected end of name token at byte offset 8"},
		{"<span>x</span>", `Tag "span" must have class "tg-spoiler" at byte offset 0`},
		{`<span class="bold">x</span>`, `Tag "span" must have class "tg-spoiler" at byte offset 0`},
		{`<tg-emoji emoji-id="abc">x</tg-emoji>`, "Invalid custom emoji identifier specified"},
		{"&#xD800;", "Text contains invalid Unicode characters after decoding HTML entities, check for unmatched surrogate code units"},
	}
	for _, tt := range tests {
		_, _, err := parseHTML(tt.html)
		if err == nil || err.Error() != tt.err {
			t.Errorf("parseHTML(%q) error = %v, want %q", tt.html, err, tt.err)
		}
	}
}

// FuzzParseHTML checks that hostile input gives text or an error, never a
// panic, and that entities always lie inside the text.
func FuzzParseHTML(f *testing.F) {
	for _, seed := range []string{"<b>x</b>", `<a href="https://x">y</a>`, "&#128512;<pre><code class=\"language-go\">",
		"<blockquote expandable>", "1 < 2 &amp", "</>", "<a href='&quot;'>", "😀<i>é</i>"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, html string) {
		if !utf8.ValidString(html) {
			return
		}
		text, entities, err := parseHTML(html)
		if err != nil {
			return
		}
		if !utf8.ValidString(text) {
			t.Fatalf("parseHTML(%q) text %q is not UTF-8", html, text)
		}
		if len(text) > len(html) {
			t.Fatalf("parseHTML(%q) text %q is longer than its source", html, text)
		}
		n := utf16Len(text)
		for _, e := range entities {
			if e.Offset < 0 || e.Length <= 0 || e.Offset+e.Length > n {
				t.Fatalf("parseHTML(%q) entity %+v outside text of %d units", html, e, n)
			}
		}
	})
}

func TestTrimText(t *testing.T) {
	text, entities := trimText("\n  <b>x</b> y \n", nil)
	if text != "<b>x</b> y" || len(entities) != 0 {
		t.Errorf("trimText = %q %v", text, entities)
	}
	text, entities = trimText(" ab ", []Entity{{Type: "bold", Offset: 0, Length: 4}, {Type: "italic", Offset: 3, Length: 1}})
	if text != "ab" || len(entities) != 1 || entities[0] != (Entity{Type: "bold", Offset: 0, Length: 2}) {
		t.Errorf("trimText = %q %+v", text, entities)
	}
}

func TestBotCommandEntities(t *testing.T) {
	tests := []struct {
		text string
		want []Entity
	}{
		{"/start", []Entity{{Type: "bot_command", Offset: 0, Length: 6}}},
		{"/digest@newsdigest_bot tech", []Entity{{Type: "bot_command", Offset: 0, Length: 22}}},
		{"/digest_today now", []Entity{{Type: "bot_command", Offset: 0, Length: 13}}},
		{"😀 /digest", []Entity{{Type: "bot_command", Offset: 3, Length: 7}}},
		{"a /b and /c", []Entity{{Type: "bot_command", Offset: 2, Length: 2}, {Type: "bot_command", Offset: 9, Length: 2}}},
		{"and/or", nil},
		{"path /usr/bin", nil},
		{"/", nil},
		{"/" + strings.Repeat("a", 65), nil},
		{"/cmd@ab", nil}, // a username needs 3 characters
		{"/cmdé", nil},
	}
	for _, tt := range tests {
		if got := botCommandEntities(tt.text); !slices.Equal(got, tt.want) {
			t.Errorf("botCommandEntities(%q) = %+v, want %+v", tt.text, got, tt.want)
		}
	}
}
