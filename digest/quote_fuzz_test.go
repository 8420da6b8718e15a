package digest

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// quoteFuzzSeeds are inputs that exercise the parser's corners: marks of
// every family, unclosed and nested quotations, datelines, invalid UTF-8.
var quoteFuzzSeeds = []string{
	"",
	"MOSCOW, January 24. /TASS/. \"We are ready,\" Peskov said. \"But not now.\"",
	"Burton said, \"I love cats!\"\n\n\"We love cats!\" reply Burton and Nick.",
	"'AMANDA, you stabbed me,\" a stunned Anna Ramirez told her twin.",
	"«Мы готовы», — заявил он. „Wir sind bereit“, sagte sie. »Gut«, sagte er. « Oui », a-t-il dit.",
	"\"unclosed at the end\n\n\"another \"nested\" one\" he said.",
	"‘Single marks,’ she said. ‘Only these.’",
	"U.S. Sen. J. R. Smith (D-N.Y.) said: \"It's 3.5 percent… really?\" — and left.",
	"\xff\xfe\"bad \xc3 bytes\" said \xe2\x80 he.",
	strings.Repeat("\"a\" ", 50) + strings.Repeat("Mr. ", 50),
	"Flexibility in relations\nBy Jane Smith\nPhoto: Reuters\nRead more: x",
}

func FuzzParse(f *testing.F) {
	for _, s := range quoteFuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		d := Parse("title", body)
		if d.Text != body {
			t.Fatal("Text is not the body")
		}
		prevEnd := 0
		for pi, p := range d.Paragraphs {
			if p.Start < prevEnd || p.Start >= p.End || p.End > len(body) {
				t.Fatalf("paragraph %d [%d,%d) out of order or bounds", pi, p.Start, p.End)
			}
			if p.First > p.Last || p.Last > len(d.Sentences) {
				t.Fatalf("paragraph %d sentences [%d,%d)", pi, p.First, p.Last)
			}
			prevEnd = p.End
		}
		prevEnd = 0
		for si, s := range d.Sentences {
			if s.Start < prevEnd || s.Start >= s.End || s.End > len(body) {
				t.Fatalf("sentence %d [%d,%d) out of order or bounds", si, s.Start, s.End)
			}
			p := d.Paragraphs[s.Paragraph]
			if s.Start < p.Start || s.End > p.End || si < p.First || si >= p.Last {
				t.Fatalf("sentence %d outside its paragraph %d", si, s.Paragraph)
			}
			prevEnd = s.End
		}
		rs := RuneOffsets(body, 0, len(body))
		if rs[0] != 0 || rs[1] != utf8.RuneCountInString(body) {
			t.Fatalf("RuneOffsets of the ends: %v", rs)
		}
	})
}

func FuzzQuotes(f *testing.F) {
	for _, s := range quoteFuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		d := Parse("", body)
		qs := Quotes(d)
		prev := -1
		for i, q := range qs {
			if q.Start < 0 || q.Start >= q.End || q.End > len(body) {
				t.Fatalf("quote %d [%d,%d) out of bounds", i, q.Start, q.End)
			}
			if q.Start <= prev {
				t.Fatalf("quote %d starts at %d, not after the previous one at %d", i, q.Start, prev)
			}
			prev = q.Start
			if q.Text != body[q.Start:q.End] {
				t.Fatalf("quote %d text %q is not Text[Start:End]", i, q.Text)
			}
			if (q.SpeakerStart < 0) != (q.SpeakerEnd < 0) {
				t.Fatalf("quote %d speaker span [%d,%d)", i, q.SpeakerStart, q.SpeakerEnd)
			}
			if q.SpeakerStart >= 0 && (q.SpeakerStart >= q.SpeakerEnd || q.SpeakerEnd > len(body)) {
				t.Fatalf("quote %d speaker span [%d,%d) out of bounds", i, q.SpeakerStart, q.SpeakerEnd)
			}
			if q.Sentence < 0 || q.Sentence >= len(d.Sentences) {
				t.Fatalf("quote %d sentence %d", i, q.Sentence)
			}
		}
		for _, k := range KeyQuotes(d, qs, 3) {
			var parts []string
			for _, p := range k.Pieces {
				if p[0] < k.Quote.Start || p[1] > k.Quote.End || p[0] >= p[1] {
					t.Fatalf("key quote piece %v outside its quote [%d,%d)", p, k.Quote.Start, k.Quote.End)
				}
				parts = append(parts, body[p[0]:p[1]])
			}
			joined := strings.Join(parts, " … ")
			if k.Text != joined && k.Text != joined+" …" {
				t.Fatalf("key quote %q is not its pieces %q", k.Text, parts)
			}
		}
	})
}
