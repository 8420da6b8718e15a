package digest

import (
	"strings"
	"testing"
)

// quoteBenchArticle builds a synthetic news article of about words words:
// a dateline, a subheading, paragraphs of reporting with full, partial and
// continued quotations, pronouns and roles to resolve. The text is written
// for this benchmark.
func quoteBenchArticle(words int) string {
	paras := []string{
		`LONDON, March 3. /Wire/. The city council approved a new transport plan on Tuesday after months of debate, council leader Maria Jensen said in a statement.`,
		`"This plan gives every district a fair share of buses, trams and cycle lanes," Jensen said. "It will not solve every problem, but it is a start."`,
		`Opposition member Tom Alders called the vote "a rushed decision that ignores the suburbs" and said he would ask for a review.`,
		`"We asked for data on costs three times and got nothing," he told reporters outside City Hall. "Residents deserve better than this."`,
		`Funding and timing`,
		`According to Jensen, the first phase will cost about 2.5 million pounds and start in Sept. next year. The council spokesman noted that "the money is already in the budget."`,
		`Transport analyst Ruth Okafor, who has studied similar schemes in Europe, was more cautious. "Plans like this often look cheap on paper. The real test is maintenance," she said.`,
		`The mayor welcomed the decision. "I am glad the council found a compromise," Mr. Patel said on Wednesday, adding that the U.S. and Dutch examples had helped.`,
	}
	var b strings.Builder
	n := 0
	for i := 0; n < words; i++ {
		p := paras[i%len(paras)]
		if b.Len() > 0 {
			b.WriteString("\n\n")
		}
		b.WriteString(p)
		n += len(strings.Fields(p))
	}
	return b.String()
}

func BenchmarkParse(b *testing.B) {
	text := quoteBenchArticle(500)
	b.ReportAllocs()
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		Parse("Council approves transport plan", text)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "articles/s")
}

func BenchmarkQuotes(b *testing.B) {
	text := quoteBenchArticle(500)
	d := Parse("Council approves transport plan", text)
	if len(Quotes(d)) == 0 {
		b.Fatal("no quotes in the benchmark article")
	}
	b.ReportAllocs()
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		Quotes(d)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "articles/s")
}

// BenchmarkParseQuotesKey is what a digest needs of one article's text:
// its structure, quotations and key quotes.
func BenchmarkParseQuotesKey(b *testing.B) {
	text := quoteBenchArticle(500)
	b.ReportAllocs()
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		d := Parse("Council approves transport plan", text)
		KeyQuotes(d, Quotes(d), 2)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "articles/s")
}

// BenchmarkQuotesLarge checks that a 1 MiB article takes well under a second.
func BenchmarkQuotesLarge(b *testing.B) {
	text := quoteBenchArticle(180000)
	b.ReportAllocs()
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		d := Parse("", text)
		KeyQuotes(d, Quotes(d), 2)
	}
}

func TestQuoteBenchArticle(t *testing.T) {
	d := Parse("Council approves transport plan", quoteBenchArticle(500))
	qs := Quotes(d)
	byText := make(map[string]string)
	for _, q := range qs {
		byText[q.Text] = q.Speaker
	}
	want := map[string]string{
		"This plan gives every district a fair share of buses, trams and cycle lanes,": "Maria Jensen",
		"It will not solve every problem, but it is a start.":                          "Maria Jensen",
		"a rushed decision that ignores the suburbs":                                   "Tom Alders",
		"We asked for data on costs three times and got nothing,":                      "Tom Alders",
		"Residents deserve better than this.":                                          "Tom Alders",
		"the money is already in the budget.":                                          "the council spokesman",
		"Plans like this often look cheap on paper. The real test is maintenance,":     "Ruth Okafor",
		"I am glad the council found a compromise,":                                    "Patel",
	}
	for text, speaker := range want {
		if got, ok := byText[text]; !ok || got != speaker {
			t.Errorf("%q: speaker %q (found %v), want %q", text, got, ok, speaker)
		}
	}
	if d.Sentences[0].Kind != Dateline {
		t.Errorf("first sentence %q is not a dateline", d.SentenceText(0))
	}
}
