package render

import (
	"strings"
	"testing"

	"github.com/newsdigest/newsdigest/digest"
)

func TestTextSample(t *testing.T) {
	want := `Morning digest — Wed 25 Nov 2026, 08:00 (last 24 h)

1. Harbour bridge reopens after repairs
   The bridge reopened on Monday after six weeks of repairs.
   “We are glad to have it back” — Mara Lind (City Post)
   City Post: https://citypost.example/bridge
   Radio North: https://radionorth.example/news/1
   /story a1

2. Update: Council approves budget
   The council approved the budget by 30 votes to 12.
   Gazette: https://gazette.example/b
   /story b2

⚠ Wire A failing since yesterday: HTTP 403
`
	if got := Text(sampleDigest(), TextOptions{}); got != want {
		t.Errorf("got\n%s", got)
	}
}

func TestTextWrapAndColor(t *testing.T) {
	d := sampleDigest()
	d.Stories = d.Stories[1:]
	got := Text(d, TextOptions{Width: 30, Color: true})
	want := "\x1b[1mMorning digest — Wed 25 Nov\x1b[0m\n" +
		"\x1b[1m2026, 08:00 (last 24 h)\x1b[0m\n" +
		"\n" +
		"1. \x1b[1;33mUpdate:\x1b[0m\x1b[1m Council approves\x1b[0m\n" +
		"   \x1b[1mbudget\x1b[0m\n" +
		"   The council approved the\n" +
		"   budget by 30 votes to 12.\n" +
		"   \x1b[36mGazette:\x1b[0m\n" +
		"   \x1b[36mhttps://gazette.example/b\x1b[0m\n" +
		"   \x1b[2m/story b2\x1b[0m\n" +
		"\n" +
		"\x1b[31m⚠ Wire A failing since\x1b[0m\n" +
		"  \x1b[31myesterday: HTTP 403\x1b[0m\n"
	if got != want {
		t.Errorf("got\n%q\nwant\n%q", got, want)
	}
}

func TestText(t *testing.T) {
	tests := []struct {
		name string
		edit func(d *digest.Digest)
		opts TextOptions
		want []string // substrings
	}{
		{"empty", func(d *digest.Digest) { d.Stories = nil }, TextOptions{},
			[]string{"\n\nNo new stories since Tue 24 Nov 2026, 08:00.\n"}},
		{"late", func(d *digest.Digest) { d.Late = true }, TextOptions{},
			[]string{"(last 24 h)\nSent late: this digest missed its scheduled time.\n"}},
		{"terminal escapes in article text are removed", func(d *digest.Digest) {
			d.Stories[0].Summary = "red \x1b[31malert\x1b]0;title\x07 done"
		}, TextOptions{}, []string{"   red [31malert ]0;title done\n"}},
		{"wide characters take two cells", func(d *digest.Digest) {
			d.Stories = d.Stories[:1]
			d.Stories[0].Summary = strings.Repeat("漢字", 20)
		}, TextOptions{Width: 23}, []string{"\n   漢字漢字漢字漢字漢字\n"}},
		{"a huge word is broken, a URL is not", func(d *digest.Digest) {
			d.Stories = d.Stories[:1]
			d.Stories[0].Summary = strings.Repeat("x", 50)
		}, TextOptions{Width: 20}, []string{
			"\n   " + strings.Repeat("x", 17) + "\n",
			"\n   https://radionorth.example/news/1\n",
		}},
		{"ten stories align", func(d *digest.Digest) {
			for len(d.Stories) < 10 {
				d.Stories = append(d.Stories, d.Stories[1])
			}
		}, TextOptions{}, []string{"\n 1. Harbour", "\n10. Update: Council", "\n    The council"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := sampleDigest()
			tt.edit(&d)
			got := Text(d, tt.opts)
			if err := checkText(d, tt.opts, got); err != nil {
				t.Fatal(err)
			}
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("output lacks %q:\n%s", w, got)
				}
			}
		})
	}
}

func TestMarkdownSample(t *testing.T) {
	want := `## Morning digest — Wed 25 Nov 2026, 08:00 (last 24 h)

### [Harbour bridge reopens after repairs](https://citypost.example/bridge)

The bridge reopened on Monday after six weeks of repairs.

> “We are glad to have it back” — Mara Lind (City Post)

[City Post](https://citypost.example/bridge) · [Radio North](https://radionorth.example/news/1) · /story a1

### **Update:** [Council approves budget](https://gazette.example/b)

The council approved the budget by 30 votes to 12.

[Gazette](https://gazette.example/b) · /story b2

---

*⚠ Wire A failing since yesterday: HTTP 403*
`
	if got := Markdown(sampleDigest()); got != want {
		t.Errorf("got\n%s", got)
	}
}

func TestMarkdown(t *testing.T) {
	d := sampleDigest()
	d.Late = true
	d.Stories[0].Headline = "# [x](https://evil.example) <b>*bold*</b> & _it_"
	d.Stories[0].Summary = "1. Not a list - nor ~~struck~~ | a | table |"
	d.Stories[1].Summary = "- not an item"
	got := Markdown(d)
	if err := checkMarkdown(d, got); err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{
		"\n*Sent late: this digest missed its scheduled time.*\n",
		`[\# \[x\](https://evil.example) \<b\>\*bold\*\</b\> \& \_it\_](https://citypost.example/bridge)`,
		"\n1\\. Not a list - nor \\~\\~struck\\~\\~ \\| a \\| table \\|\n",
		"\n\\- not an item\n",
	} {
		if !strings.Contains(got, w) {
			t.Errorf("output lacks %q:\n%s", w, got)
		}
	}
	d.Stories = nil
	if got := Markdown(d); !strings.Contains(got, "\nNo new stories since Tue 24 Nov 2026, 08:00.\n") {
		t.Errorf("empty digest:\n%s", got)
	}
}

func TestMdEscape(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain", "plain"},
		{"-dash", `\-dash`},
		{"a-b", "a-b"},
		{"+plus", `\+plus`},
		{"=eq", `\=eq`},
		{"12. May", `12\. May`},
		{"3) three", `3\) three`},
		{"1.5 million", `1\.5 million`},
		{"v1.5", "v1.5"},
		{"`a` *b* _c_ [d] <e> &f ~g~ |h| #i \\j", "\\`a\\` \\*b\\* \\_c\\_ \\[d\\] \\<e\\> \\&f \\~g\\~ \\|h\\| \\#i \\\\j"},
	}
	for _, tt := range tests {
		if got := mdEscape(tt.in); got != tt.want {
			t.Errorf("mdEscape(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
