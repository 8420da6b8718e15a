package digest

import (
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

// sumDoc builds a document from paragraphs of sentences, each given with
// its kind, so that tests do not depend on the sentence splitter.
type sumSent struct {
	text string
	kind SentenceKind
}

func sumDoc(title string, paras ...[]sumSent) *Document {
	d := &Document{Title: title}
	var b strings.Builder
	for pi, p := range paras {
		if pi > 0 {
			b.WriteString("\n\n")
		}
		ps := b.Len()
		first := len(d.Sentences)
		for si, s := range p {
			if si > 0 {
				b.WriteByte(' ')
			}
			start := b.Len()
			b.WriteString(s.text)
			d.Sentences = append(d.Sentences, Sentence{Start: start, End: b.Len(), Paragraph: pi, Kind: s.kind})
		}
		d.Paragraphs = append(d.Paragraphs, Paragraph{Start: ps, End: b.Len(), First: first, Last: len(d.Sentences)})
	}
	d.Text = b.String()
	return d
}

func prose(ss ...string) []sumSent {
	out := make([]sumSent, len(ss))
	for i, s := range ss {
		out[i] = sumSent{s, Prose}
	}
	return out
}

// sumStory is a small wire story: a dateline and a subheading that must
// never be chosen, and sentences about a central topic (the port strike).
func sumStory() *Document {
	return sumDoc("Dock workers strike over port pay",
		[]sumSent{{"LONDON, March 3 (Reuters) -", Dateline}},
		prose("Dock workers at the port of Felixstowe began a strike over pay on Monday, halting most container traffic.",
			"The union said the port strike would last eight days unless the port operator raised its pay offer."),
		[]sumSent{{"Talks collapse", Subheading}},
		prose("He added that talks with the port operator had collapsed on Friday after the pay offer was cut.",
			"The port handles nearly half of the container traffic coming into Britain.",
			"Shipping lines said they would divert container ships to Rotterdam during the strike.",
			"I have never seen the dock so quiet, one driver said."),
		[]sumSent{{"By Jane Smith", Byline}, {"Photo: Reuters", Credit}, {"Share this article", Boilerplate}},
	)
}

func TestSummarizeRules(t *testing.T) {
	d := sumStory()
	tests := []struct {
		name string
		opt  SummaryOptions
		max  int // most sentences expected
	}{
		{"default three", SummaryOptions{}, 3},
		{"one", SummaryOptions{Sentences: 1}, 1},
		{"two", SummaryOptions{Sentences: 2}, 2},
		{"more than there are", SummaryOptions{Sentences: 50}, 6},
		{"chars only", SummaryOptions{MaxChars: 220}, 6},
		{"chars and sentences", SummaryOptions{Sentences: 3, MaxChars: 120}, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			idx := Summarize(d, tt.opt)
			if len(idx) == 0 {
				t.Fatal("empty summary")
			}
			if len(idx) > tt.max {
				t.Errorf("%d sentences, want at most %d", len(idx), tt.max)
			}
			if !slices.IsSorted(idx) {
				t.Errorf("not in article order: %v", idx)
			}
			for _, i := range idx {
				if k := d.Sentences[i].Kind; k != Prose {
					t.Errorf("sentence %d is kind %d, not prose", i, k)
				}
			}
			if sumDanglingOpener(d.SentenceText(idx[0])) {
				t.Errorf("opens with a dangling pronoun: %q", d.SentenceText(idx[0]))
			}
			if tt.opt.MaxChars > 0 {
				if n := utf8.RuneCountInString(strings.Join(SummaryText(d, idx), " ")); n > tt.opt.MaxChars {
					t.Errorf("%d characters, budget %d", n, tt.opt.MaxChars)
				}
			}
		})
	}
}

func TestSummarizePicksTheStory(t *testing.T) {
	d := sumStory()
	got := SummaryText(d, Summarize(d, SummaryOptions{Sentences: 2}))
	want := []string{
		"Dock workers at the port of Felixstowe began a strike over pay on Monday, halting most container traffic.",
		"The union said the port strike would last eight days unless the port operator raised its pay offer.",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %q\nwant %q", got, want)
	}
}

func TestSummarizeEdges(t *testing.T) {
	tests := []struct {
		name string
		d    *Document
		want []int
	}{
		{"nil", nil, nil},
		{"empty", &Document{}, nil},
		{"one sentence", sumDoc("", prose("The central bank left interest rates unchanged on Thursday.")), []int{0}},
		{"only furniture", sumDoc("", []sumSent{{"By Jane Smith", Byline}, {"Read more", Boilerplate}}), nil},
		{"too short to say anything", sumDoc("", prose("Yes.", "No way.")), nil},
		// The only candidate leans on a sentence that is not there.
		{"lone dangling sentence", sumDoc("", prose("He said the talks would resume next week.")), nil},
		// A dangling opener brings in the sentence before it.
		{"swap in the antecedent", sumDoc("", prose(
			"Short one.",
			"Maria Lopez won the regional election in Valencia on Sunday night.",
			"She said her first act would be to cut the regional income tax for families.",
			"Turnout was the highest in two decades, officials said on Monday morning.")), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Summarize(tt.d, SummaryOptions{Sentences: 3})
			if tt.name == "swap in the antecedent" {
				if len(got) == 0 || got[0] != 1 {
					t.Errorf("got %v, want it to open with sentence 1", got)
				}
				return
			}
			if len(got) != len(tt.want) || len(got) > 0 && !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

func TestSummarizePronounOpener(t *testing.T) {
	// Sentence 1 is the most central, but it opens with "They": with a
	// one-sentence budget the summary must not be that sentence alone.
	d := sumDoc("", prose(
		"The city council met on Tuesday evening.",
		"They voted to close the river bridge to cars, buses and lorries for river bridge repairs.",
		"The river bridge repairs will take a year and the river bridge will reopen to cars next spring.",
		"Cars will use the ring road while the river bridge is closed for the repairs.",
	))
	for n := 1; n <= 3; n++ {
		idx := Summarize(d, SummaryOptions{Sentences: n})
		if len(idx) == 0 {
			t.Fatalf("n=%d: empty summary", n)
		}
		if sumDanglingOpener(d.SentenceText(idx[0])) {
			t.Errorf("n=%d: opens with %q", n, d.SentenceText(idx[0]))
		}
	}
}

func TestSummaryLeaning(t *testing.T) {
	tests := []struct {
		name string
		para []string
		want []bool
	}{
		{"bare quotation after an attributed one", []string{
			`"We listened, and we found the money," said Jonas Berg, who heads the department.`,
			`"A library should be open when people need it most."`,
		}, []bool{false, true}},
		{"curly marks", []string{
			"“Donald Trump is a disgusting fraud,” Rep. G.K. Butterfield said.",
			"“He started this silliness years ago.”",
		}, []bool{false, true}},
		{"attributed to a pronoun", []string{
			"The council voted on Monday to close the coal terminal.",
			`"To be clear, we will not accept it," he said.`,
			`He added: "The date is now set."`,
		}, []bool{false, true, true}},
		{"attributed to a name", []string{
			`"Today we chose the future of this harbour," council leader Helen Marsh said.`,
			`Marsh said: "Nobody will be left behind."`,
		}, []bool{false, false}},
		{"middle of a quotation several sentences long", []string{
			`Professor Allsop said: "Reducing the limit can be expected to save 65 lives a year.`,
			`It would also cut injuries.`,
			`We urge the government to act," he said.`,
		}, []bool{false, true, true}},
		{"the end of a quotation with a name", []string{
			`"The insurance model is sound.`,
			`It just does not work here," Clinton said.`,
		}, []bool{true, true}},
		{"a scare quote is no quotation", []string{
			`The Law Society called the proposals an "abuse of power" on Monday.`,
		}, []bool{false}},
		{"a quotation with the next sentence glued on", []string{
			`Japan Airlines ordered 30 jets on Monday.`,
			`"It could be delivered when we hoped to get it." Boeing continues to lead in Japan, where firms build parts of it.`,
			`"We are not going anywhere." Protest leader Omar Haddad said this to the crowd.`,
		}, []bool{false, true, false}},
		{"question", []string{
			"The party met on Monday.",
			"What is its view of the treaty?",
		}, []bool{false, true}},
		{"tokenized marks", []string{
			"`` we are suffering with rain and strong wind . ''",
			"koirala said the centre was safe .",
		}, []bool{true, false}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := sumDoc("", prose(tt.para...))
			cands := make([]int, len(d.Sentences))
			for i := range cands {
				cands[i] = i
			}
			l := newSumLeaning(d, cands)
			got := make([]bool, len(cands))
			for c := range cands {
				got[c] = l.poor(c)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

func TestSummarizePrefersReporting(t *testing.T) {
	// The bare quotation is the most central sentence; a reader of a
	// two-sentence summary would not learn who said it.
	d := sumDoc("Northgate library to stay open until midnight during exams",
		prose("The Northgate public library will stay open until midnight for the four weeks of the spring exam season, the culture department said."),
		prose("The longer hours follow a petition signed by more than two thousand students who had nowhere quiet to study."),
		prose(`"We listened to the students, and we found the money for the library," said Jonas Berg, who heads the department.`,
			`"A library should be open at midnight when students need it most, and the Northgate library will be open until midnight for exams."`),
		prose("The extra staff will cost about 120,000 crowns, paid from the department's reserve."),
	)
	for n := 1; n <= 3; n++ {
		for _, i := range Summarize(d, SummaryOptions{Sentences: n}) {
			if i == 3 {
				t.Errorf("n=%d: the summary holds the bare quotation %q", n, d.SentenceText(i))
			}
		}
	}
	// With nothing else left it is still taken rather than nothing.
	d = sumDoc("", prose(`"A library should be open when students need it most, and it will be."`))
	if got := Summarize(d, SummaryOptions{Sentences: 2}); len(got) != 1 {
		t.Errorf("last resort: got %v, want the one sentence", got)
	}
}

func TestDanglingOpener(t *testing.T) {
	tests := []struct {
		s    string
		want bool
	}{
		{"He added that the plan would work.", true},
		{"She said so.", true},
		{"They left.", true},
		{"This is the third time.", true},
		{"But he said it was too late.", true},
		{"However, they disagreed.", true},
		{"It said profits fell.", true},
		{"This week the talks resumed.", false},
		{"It is understood that talks resumed.", false},
		{"The minister said so.", false},
		{`"He is wrong," she said.`, false},
		{"Hebrew is spoken there.", false},
		{"he said it was fine.", true},
		{"But global sales of recorded music were flat in 2004.", true},
		{"And overall investment in fixed assets was still high.", true},
		{"Meanwhile, the object of his admiration has invaded Georgia.", true},
		{"On Thursday, she and other parents took their grievances to school.", true},
		{"Speaking in London, he said the talks would resume.", true},
		{"On Thursday, the council voted to close the bridge.", false},
		{"So far the talks have failed.", false},
		{"Still images show the damage.", false},
		{"Andrew Smith said so.", false},
		{"", false},
	}
	for _, tt := range tests {
		if got := sumDanglingOpener(tt.s); got != tt.want {
			t.Errorf("sumDanglingOpener(%q) = %v, want %v", tt.s, got, tt.want)
		}
	}
}

func TestFirstPerson(t *testing.T) {
	tests := []struct {
		s    string
		want bool
	}{
		{"I have never seen it.", true},
		{"We will fight on, the leader said.", true},
		{"'our plan is simple,' she said.", true},
		{"The US said it would act.", false},
		{"The minister spoke.", false},
	}
	for _, tt := range tests {
		if got := sumFirstPerson(tt.s); got != tt.want {
			t.Errorf("sumFirstPerson(%q) = %v, want %v", tt.s, got, tt.want)
		}
	}
}

func TestLeadAndTextRank(t *testing.T) {
	d := sumStory()
	if got, want := Lead(d, 3), []int{1, 2, 4}; !reflect.DeepEqual(got, want) {
		t.Errorf("Lead = %v, want %v (prose only)", got, want)
	}
	if got := Lead(d, 0); len(got) != 0 {
		t.Errorf("Lead(0) = %v", got)
	}
	tr := TextRank(d, 3)
	if len(tr) != 3 || !slices.IsSorted(tr) {
		t.Fatalf("TextRank = %v", tr)
	}
	for _, i := range tr {
		if d.Sentences[i].Kind != Prose {
			t.Errorf("TextRank chose non-prose sentence %d", i)
		}
	}
	if got := TextRank(nil, 3); got != nil {
		t.Errorf("TextRank(nil) = %v", got)
	}
	if got := SummaryText(d, []int{-1, 1, 999}); len(got) != 1 {
		t.Errorf("SummaryText with bad indexes = %q", got)
	}
}

func TestSummarizeDeterministic(t *testing.T) {
	d := sumStory()
	first := Summarize(d, SummaryOptions{Sentences: 3})
	for range 20 {
		if got := Summarize(d, SummaryOptions{Sentences: 3}); !reflect.DeepEqual(got, first) {
			t.Fatalf("got %v, then %v", first, got)
		}
	}
}

// sumBenchArticle is a made-up article of about words words in paragraphs
// of four sentences, each sentence mixing a few topic words.
func sumBenchArticle(words int) *Document {
	topics := []string{"port", "strike", "union", "pay", "container", "ships", "talks", "operator", "Felixstowe", "drivers", "Rotterdam", "traffic"}
	var paras [][]sumSent
	var cur []sumSent
	n := 0
	for i := 0; n < words; i++ {
		s := fmt.Sprintf("The %s and the %s were discussed by %d officials on day %d, while the %s said the %s would wait.",
			topics[i%len(topics)], topics[(i*7+3)%len(topics)], i%13+2, i, topics[(i*5+1)%len(topics)], topics[(i*3+2)%len(topics)])
		n += len(strings.Fields(s))
		cur = append(cur, sumSent{s, Prose})
		if len(cur) == 4 {
			paras = append(paras, cur)
			cur = nil
		}
	}
	if cur != nil {
		paras = append(paras, cur)
	}
	return sumDoc("Port strike talks", paras...)
}

func BenchmarkSummarize(b *testing.B) {
	d := sumBenchArticle(500)
	b.ReportAllocs()
	for b.Loop() {
		Summarize(d, SummaryOptions{Sentences: 3})
	}
}

func BenchmarkSummarize1MiB(b *testing.B) {
	d := sumBenchArticle(1 << 20 / 6)
	b.SetBytes(int64(len(d.Text)))
	b.ReportAllocs()
	for b.Loop() {
		Summarize(d, SummaryOptions{Sentences: 3})
	}
}

func BenchmarkTextRank(b *testing.B) {
	d := sumBenchArticle(500)
	b.ReportAllocs()
	for b.Loop() {
		TextRank(d, 3)
	}
}

func FuzzSummarize(f *testing.F) {
	f.Add("Title", "The cat sat on the mat today. He said it was fine.\n\nThis is a test of it all. By Jane Smith", 3, 0)
	f.Add("", "", 0, 0)
	f.Add("x", "\"I\" said. We. They! \xff\xfe Он сказал, что всё хорошо. «Мы готовы», — сказал он.", 2, 40)
	f.Fuzz(func(t *testing.T, title, body string, n, chars int) {
		d := Parse(title, body)
		opt := SummaryOptions{Sentences: n % 20, MaxChars: chars % 2000}
		idx := Summarize(d, opt)
		for k, i := range idx {
			if i < 0 || i >= len(d.Sentences) {
				t.Fatalf("index %d out of range (%d sentences)", i, len(d.Sentences))
			}
			if k > 0 && idx[k-1] >= i {
				t.Fatalf("not strictly increasing: %v", idx)
			}
			if d.Sentences[i].Kind != Prose {
				t.Fatalf("sentence %d is not prose", i)
			}
		}
		limit := opt.Sentences
		if limit <= 0 && opt.MaxChars <= 0 {
			limit = 3
		}
		if limit > 0 && len(idx) > limit {
			t.Fatalf("%d sentences over limit %d", len(idx), limit)
		}
		if opt.MaxChars > 0 {
			if c := utf8.RuneCountInString(strings.Join(SummaryText(d, idx), " ")); c > opt.MaxChars {
				t.Fatalf("%d characters over budget %d", c, opt.MaxChars)
			}
		}
		for _, i := range TextRank(d, n%20) {
			if i < 0 || i >= len(d.Sentences) {
				t.Fatalf("TextRank index %d out of range", i)
			}
		}
	})
}
