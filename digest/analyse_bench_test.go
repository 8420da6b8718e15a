package digest

import (
	"strings"
	"testing"
)

// analyseBenchTitle and analyseBenchParas make a made-up wire story of
// about 500 words, written for this benchmark: a dateline, a subheading,
// reporting, full and partial quotations, a continued quotation, pronouns
// and roles to resolve, numbers and abbreviations.
const analyseBenchTitle = "Harbour city votes to close coal terminal by 2030"

var analyseBenchParas = []string{
	`PORTHAVEN, May 14. /Wire/. The city council of Porthaven voted on Monday to close the coal terminal at its northern harbour by 2030, ending more than a century of coal shipments through the port.`,
	`The decision, passed by 31 votes to 18 after a six-hour debate, commits the council to finding new work for the terminal's 420 employees and to cleaning up the site before it is sold.`,
	`"Today we chose the future of this harbour over its past," council leader Helen Marsh told reporters after the vote. "Nobody here pretends it will be easy, and nobody will be left behind."`,
	`The terminal handled about 6.2 million tonnes of coal last year, most of it bound for steelworks in Germany and the Netherlands, according to figures from the port authority.`,
	`Jobs and money`,
	`Union organiser Daniel Okoye said the workers had learned of the plan from the newspapers. "We were promised a seat at the table, and instead we got a press release," he said. "Our members want training and real jobs, not warm words."`,
	`He added that the union would ask the regional government to match the council's retraining fund, which Marsh put at 12 million euros over five years.`,
	`The terminal's operator, Northline Bulk Ltd., called the vote "a political gesture that ignores the contracts we have signed" and said it was studying its legal options.`,
	`A spokeswoman for the company said the firm had invested heavily in dust controls since 2019. "We have met every standard we were set. The council has moved the goalposts," she said.`,
	`Environmental groups welcomed the decision. Dr. Priya Raman, who leads the local branch of Clean Coasts, said the closure would cut fine dust near the harbour by more than half.`,
	`"Children in the northern districts have breathed this dust for decades," Raman said. "This is the first time the city has put their health ahead of the shipping schedule."`,
	`Residents were divided. Shop owner Mark Feld, whose family has run a bakery near the docks since 1962, said the terminal's workers were his best customers. "When they go, I do not know who comes instead," he said.`,
	`Economists were less sure of the sums. Port analyst Tomas Berg said the harbour earned about a third of its fees from coal, and that the city would have to find new cargo quickly to keep the port's budget balanced once the last ship leaves.`,
	`What happens next`,
	`The council will publish a detailed plan for the site in the autumn. Officials said it could include housing, a ferry terminal and a park, but no decision has been made.`,
	`Marsh said she expected talks with the operator to be difficult. "They have a business to run and we respect that," she said. "But the date is now set, and it will not move."`,
	`The regional transport minister, Elena Voss, said on Tuesday that the government would review the port's rail links in light of the vote.`,
}

// analyseBenchArticle joins the paragraphs with blank lines.
func analyseBenchArticle() string {
	return strings.Join(analyseBenchParas, "\n\n")
}

// analyse is what the digest pipeline computes of one article's text: its
// structure, a two-sentence summary, its quotations and two key quotes.
func analyse(title, body string) ([]int, []KeyQuoteChoice) {
	d := Parse(title, body)
	sum := Summarize(d, SummaryOptions{Sentences: 2, MaxChars: 400})
	qs := Quotes(d)
	return sum, KeyQuotes(d, qs, 2)
}

// BenchmarkAnalyse measures a whole article's analysis; the target is at
// least 5,000 articles per second on one core.
func BenchmarkAnalyse(b *testing.B) {
	text := analyseBenchArticle()
	b.ReportAllocs()
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		analyse(analyseBenchTitle, text)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "articles/s")
}

// BenchmarkAnalyse1MiB checks that a 1 MiB article takes well under a
// second end to end.
func BenchmarkAnalyse1MiB(b *testing.B) {
	var sb strings.Builder
	for sb.Len() < 1<<20 {
		if sb.Len() > 0 {
			sb.WriteString("\n\n")
		}
		sb.WriteString(analyseBenchArticle())
	}
	text := sb.String()
	b.ReportAllocs()
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		analyse(analyseBenchTitle, text)
	}
}

// TestAnalyseBenchArticle checks that the benchmark article exercises what
// it is meant to: about 500 words, furniture found, quotations with their
// speakers resolved, a summary and key quotes.
func TestAnalyseBenchArticle(t *testing.T) {
	text := analyseBenchArticle()
	if n := len(strings.Fields(text)); n < 450 || n > 600 {
		t.Errorf("benchmark article has %d words, want about 500", n)
	}
	d := Parse(analyseBenchTitle, text)
	if d.Language != "en" {
		t.Errorf("language %q, want en", d.Language)
	}
	if d.Sentences[0].Kind != Dateline {
		t.Errorf("first sentence %q is not a dateline", d.SentenceText(0))
	}
	sum, keys := analyse(analyseBenchTitle, text)
	if len(sum) == 0 || len(sum) > 2 {
		t.Errorf("summary has %d sentences, want 1 or 2", len(sum))
	}
	if len(keys) != 2 {
		t.Errorf("%d key quotes, want 2", len(keys))
	}
	speakers := make(map[string]string)
	for _, q := range Quotes(d) {
		speakers[q.Text] = q.Speaker
	}
	want := map[string]string{
		"Today we chose the future of this harbour over its past,":                             "Helen Marsh",
		"We were promised a seat at the table, and instead we got a press release,":            "Daniel Okoye",
		"Our members want training and real jobs, not warm words.":                             "Daniel Okoye",
		"This is the first time the city has put their health ahead of the shipping schedule.": "Priya Raman",
		"But the date is now set, and it will not move.":                                       "Helen Marsh",
	}
	for q, sp := range want {
		if got, ok := speakers[q]; !ok || got != sp {
			t.Errorf("%q: speaker %q (found %v), want %q", q, got, ok, sp)
		}
	}
}
