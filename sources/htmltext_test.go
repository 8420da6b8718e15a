package sources

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/newsdigest/newsdigest/store"
)

func TestHTMLToText(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"empty", "", ""},
		{"plain text", "Just words.\n\nTwo paragraphs.", "Just words.\n\nTwo paragraphs."},
		{"paragraphs", "<p>One.</p><p>Two.</p>", "One.\n\nTwo."},
		{"unclosed paragraphs", "<p>One.<p>Two.", "One.\n\nTwo."},
		{"inline tags join", "<p>in<b>line</b> <i>text</i></p>", "inline text"},
		{"whitespace in source collapses", "<p>a\n   wrapped\n\n\nline</p>", "a wrapped line"},
		{"entities", "<p>Fish &amp; chips &mdash; &#8220;good&#8221; &lt;tag&gt; caf&eacute;&nbsp;bar</p>", "Fish & chips — “good” <tag> café bar"},
		{"one br is a space", "line one<br>line two", "line one line two"},
		{"two br are a paragraph", "line one<br><br>line two<br/>\n<br />line three", "line one\n\nline two\n\nline three"},
		{"headings and lists", "<h2>Title</h2><ul><li>First</li><li>Second</li></ul>", "Title\n\nFirst\n\nSecond"},
		{"script and style dropped", "<p>Keep</p><script>var x = '<p>not this</p>';</script><style>p{color:red}</style><p>this</p>", "Keep\n\nthis"},
		{"self-closed script", "<p>Keep</p><script/>alert(1)</script><p>this</p>", "Keep\n\nthis"},
		{"nav footer aside figcaption", "<nav><a>Home</a></nav><p>Story.</p><figure><img src=x><figcaption>Photo: AP</figcaption></figure><aside>Related</aside><footer>(c) Paper</footer>", "Story."},
		{"nested skipped element", "<aside><aside>inner</aside>still aside</aside><p>After.</p>", "After."},
		{"hidden elements", `<p hidden>no</p><div aria-hidden="true">no</div><span style="display: none">no</span><p>yes</p><img hidden src=x><p>and this</p>`, "yes\n\nand this"},
		{"table cells", "<table><tr><td>a</td><td>b</td></tr><tr><td>c</td><td>d</td></tr></table>", "a b\n\nc d"},
		{"comments", "<p>a<!-- secret -->b</p>", "ab"},
		{"blockquote", "<p>He said:</p><blockquote>Quote here.</blockquote>", "He said:\n\nQuote here."},
		{"broken markup", "<p>unterminated <b>bold <i>and <a href='x", "unterminated bold and"},
		{"stray less-than", "5 < 6 and 7 > 3 &", "5 < 6 and 7 > 3 &"},
		{"control and invisible characters", "<p>a\u0000b\u200bc\ufeffd</p>", "abcd"},
		{"full document", "<html><head><title>Page</title><meta charset=utf-8></head><body><p>Body text.</p></body></html>", "Body text."},
		{"pre collapses like other text", "<pre>line 1\n\nline 2</pre>", "line 1 line 2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := HTMLToText(tt.in); got != tt.want {
				t.Errorf("HTMLToText(%q)\n got %q\nwant %q", tt.in, got, tt.want)
			}
		})
	}
}

func FuzzHTMLToText(f *testing.F) {
	for _, s := range []string{
		"", "<p>One.</p><p>Two.</p>", "<script>x</script>", "<nav><nav></nav>", "a<br><br>b",
		"<div hidden><p>x</div>", "&amp;&#x110000;&#0;&bogus;", "<p>\xff\xfe</p>", "<table><td>a<td>b",
		"<svg><style>x</style></svg>y", "<a href='\x00'>z</a>", "<textarea><p>raw</textarea>",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		out := HTMLToText(in)
		if !utf8.ValidString(out) {
			t.Fatalf("invalid UTF-8 out: %q", out)
		}
		if out != store.NormalizeText(out) {
			t.Fatalf("not normalised: %q", out)
		}
		if strings.Contains(out, "\n\n\n") || strings.HasPrefix(out, " ") || strings.HasSuffix(out, "\n") {
			t.Fatalf("bad paragraph form: %q", out)
		}
		if len(out) > 3*len(in)+16 {
			t.Fatalf("output %d bytes from %d bytes of input", len(out), len(in))
		}
	})
}
