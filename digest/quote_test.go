package digest

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// quoteCorpusDir finds the evaluation corpus: $NEWSDIGEST_CORPUS, else
// ../shared/corpus beside the module root. It skips the test when absent.
func quoteCorpusDir(t testing.TB) string {
	t.Helper()
	if dir := os.Getenv("NEWSDIGEST_CORPUS"); dir != "" {
		if _, err := os.Stat(dir); err != nil {
			t.Skipf("corpus not found at NEWSDIGEST_CORPUS=%s", dir)
		}
		return dir
	}
	dir, err := os.Getwd()
	if err != nil {
		t.Skipf("corpus: %v", err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Skip("corpus: no go.mod above the test directory")
		}
		dir = parent
	}
	corpus := filepath.Join(dir, "..", "shared", "corpus")
	if _, err := os.Stat(corpus); err != nil {
		t.Skipf("corpus not found at %s (set NEWSDIGEST_CORPUS)", corpus)
	}
	return corpus
}

func quoteMentionText(d *Document, q Quote) string {
	if q.SpeakerStart < 0 {
		return ""
	}
	return d.Text[q.SpeakerStart:q.SpeakerEnd]
}

// TestQuotesTextacy runs the direct-quotation cases of textacy's test
// suite (corpus textacy-quotes.json): every quotation with its content,
// cue and speaker mention; titles and scare quotes are no quotations; odd
// and mismatched marks do not derail the rest.
func TestQuotesTextacy(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join(quoteCorpusDir(t), "textacy-quotes.json"))
	if err != nil {
		t.Fatal(err)
	}
	var data struct {
		Cases []struct {
			Text   string `json:"text"`
			Quotes *[]struct {
				Speaker    string `json:"speaker"`
				ResolvesTo string `json:"resolves_to"`
				Cue        string `json:"cue"`
				Content    string `json:"content"`
			} `json:"quotes"`
			Speakers []string `json:"speakers"`
		} `json:"cases"`
	}
	if err := json.Unmarshal(raw, &data); err != nil {
		t.Fatal(err)
	}
	if len(data.Cases) == 0 {
		t.Fatal("no cases")
	}
	for i, c := range data.Cases {
		d := Parse("", c.Text)
		qs := Quotes(d)
		var mentions []string
		for _, q := range qs {
			mentions = append(mentions, quoteMentionText(d, q))
		}
		if c.Quotes == nil {
			if strings.Join(mentions, "|") != strings.Join(c.Speakers, "|") {
				t.Errorf("case %d: speakers %q, want %q", i, mentions, c.Speakers)
			}
			continue
		}
		want := *c.Quotes
		if len(qs) != len(want) {
			t.Errorf("case %d: %d quotes %q, want %d", i, len(qs), mentions, len(want))
			continue
		}
		for j, w := range want {
			q := qs[j]
			content := strings.Trim(w.Content, "\"“”«»„")
			if q.Text != content {
				t.Errorf("case %d quote %d: text %q, want %q", i, j, q.Text, content)
			}
			if m := quoteMentionText(d, q); m != w.Speaker {
				t.Errorf("case %d quote %d: speaker mention %q, want %q", i, j, m, w.Speaker)
			}
			if q.Cue != w.Cue {
				t.Errorf("case %d quote %d: cue %q, want %q", i, j, q.Cue, w.Cue)
			}
			wantName := w.Speaker
			if w.ResolvesTo != "" {
				wantName = w.ResolvesTo
			}
			if w.Speaker == "he" && w.ResolvesTo == "" {
				wantName = "" // nobody named before it
			}
			if q.Speaker != wantName {
				t.Errorf("case %d quote %d: speaker %q, want %q", i, j, q.Speaker, wantName)
			}
		}
	}
}

// TestQuotesSeed checks the project's seed article against its hand-made
// gold (corpus seed/quotes.json): all fourteen quotations with the right
// speakers, the programme title and nested phrases not taken for
// quotations, the host's words not given to Peskov, key quotes only from
// the gold's key set, and the dateline and subheading recognised.
func TestQuotesSeed(t *testing.T) {
	dir := filepath.Join(quoteCorpusDir(t), "seed")
	raw, err := os.ReadFile(filepath.Join(dir, "quotes.json"))
	if err != nil {
		t.Fatal(err)
	}
	var gold struct {
		Article  string              `json:"article"`
		Speakers map[string][]string `json:"speakers"`
		NotQuote []struct {
			Text string `json:"text"`
		} `json:"not_quotes"`
		NotSentences []struct {
			Text string `json:"text"`
		} `json:"not_sentences"`
		Quotes []struct {
			Text       string   `json:"text"`
			Start      int      `json:"start_rune"`
			End        int      `json:"end_rune"`
			Speaker    string   `json:"speaker"`
			Cue        string   `json:"cue"`
			Kind       string   `json:"kind"`
			Key        bool     `json:"key"`
			Acceptable []string `json:"also_acceptable_speakers"`
		} `json:"quotes"`
	}
	if err := json.Unmarshal(raw, &gold); err != nil {
		t.Fatal(err)
	}
	body, err := os.ReadFile(filepath.Join(dir, filepath.Base(gold.Article)))
	if err != nil {
		t.Fatal(err)
	}
	d := Parse("", string(body))
	qs := Quotes(d)
	if len(qs) != len(gold.Quotes) {
		for _, q := range qs {
			t.Logf("found %q (%s)", q.Text, q.Speaker)
		}
		t.Fatalf("%d quotes, want %d", len(qs), len(gold.Quotes))
	}
	for i, g := range gold.Quotes {
		q := qs[i]
		ro := RuneOffsets(d.Text, q.Start, q.End)
		if ro[0] != g.Start || ro[1] != g.End || q.Text != g.Text {
			t.Errorf("quote %d: %q at %v, want %q at [%d %d]", i, q.Text, ro, g.Text, g.Start, g.End)
		}
		ok := strings.EqualFold(q.Speaker, g.Speaker)
		for _, a := range g.Acceptable {
			ok = ok || strings.EqualFold(q.Speaker, a)
		}
		if !ok {
			t.Errorf("quote %d %q: speaker %q, want %q", i, g.Text, q.Speaker, g.Speaker)
		}
		if q.Cue != g.Cue {
			t.Logf("quote %d: cue %q, gold %q", i, q.Cue, g.Cue)
		}
		if (g.Kind == "partial") != q.Partial {
			t.Errorf("quote %d %q: partial %v, gold kind %s", i, g.Text, q.Partial, g.Kind)
		}
	}
	for _, k := range KeyQuotes(d, qs, 2) {
		ro := RuneOffsets(d.Text, k.Quote.Start, k.Quote.End)
		ok := false
		for _, g := range gold.Quotes {
			ok = ok || g.Key && g.Start == ro[0] && g.End == ro[1]
		}
		if !ok {
			t.Errorf("key quote %q is not in the gold key set", k.Text)
		}
	}
	if n := len(KeyQuotes(d, qs, 2)); n == 0 {
		t.Error("no key quote")
	}
	for _, ns := range gold.NotSentences {
		found := false
		for i, s := range d.Sentences {
			found = found || s.Kind != Prose && d.SentenceText(i) == ns.Text
		}
		if !found {
			t.Errorf("%q not recognised as furniture", ns.Text)
		}
	}
}
