package render

import (
	"strings"
	"testing"

	"github.com/newsdigest/newsdigest/digest"
)

// benchDigest is a large ordinary digest: 30 stories of typical size.
func benchDigest() digest.Digest {
	d := sampleDigest()
	base := d.Stories[0]
	d.Stories = nil
	for range 30 {
		s := base
		s.Summary = strings.Repeat("A sentence of an ordinary summary. ", 6)
		d.Stories = append(d.Stories, s)
	}
	return d
}

func BenchmarkDiscord(b *testing.B) {
	d := benchDigest()
	b.ReportAllocs()
	for b.Loop() {
		Discord(d)
	}
}

func BenchmarkTelegram(b *testing.B) {
	d := benchDigest()
	b.ReportAllocs()
	for b.Loop() {
		Telegram(d)
	}
}

func BenchmarkText(b *testing.B) {
	d := benchDigest()
	b.ReportAllocs()
	for b.Loop() {
		Text(d, TextOptions{Width: 80, Color: true})
	}
}

func BenchmarkMarkdown(b *testing.B) {
	d := benchDigest()
	b.ReportAllocs()
	for b.Loop() {
		Markdown(d)
	}
}
