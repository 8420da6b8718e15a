package evaluate

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// summCorpusDir finds the evaluation corpus: $NEWSDIGEST_CORPUS, else
// ../shared/corpus beside the module root. It skips the test when absent.
func summCorpusDir(t testing.TB) string {
	t.Helper()
	if dir := os.Getenv("NEWSDIGEST_CORPUS"); dir != "" {
		if _, err := os.Stat(dir); err == nil {
			return dir
		}
		t.Skipf("corpus not found at NEWSDIGEST_CORPUS=%s", dir)
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

// TestEvalSummaries runs the whole summary evaluation and fails when a
// score drops below what was measured (floors just under it), or when the
// engine stops beating its baselines where it is meant to: plain TextRank
// on BBC and Lead-3 on CNN/DailyMail, ROUGE-2 at 3 sentences.
func TestEvalSummaries(t *testing.T) {
	dir := summCorpusDir(t)
	rep, err := EvalSummaries(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Log("\n" + rep.Table())
	floors := []struct {
		corpus, setting, system string
		r1, r2, rlsum           float64
	}{
		{"BBC", "3 sentences", "Engine", 61.0, 57.0, 60.6},
		{"BBC", "reference length", "Engine", 81.5, 75.0, 81.0},
		{"CNN", "3 sentences", "Engine", 40.3, 15.8, 36.3},
		{"CNN", "reference length", "Engine", 37.5, 14.7, 34.1},
	}
	for _, f := range floors {
		got, ok := rep.System(f.corpus, f.setting, f.system)
		if !ok {
			t.Errorf("%s %s %s: missing from the report", f.corpus, f.setting, f.system)
			continue
		}
		if got.R1 < f.r1 || got.R2 < f.r2 || got.RLsum < f.rlsum {
			t.Errorf("%s %s %s: ROUGE-1/2/Lsum %.2f/%.2f/%.2f, below the floor %.1f/%.1f/%.1f",
				f.corpus, f.setting, f.system, got.R1, got.R2, got.RLsum, f.r1, f.r2, f.rlsum)
		}
	}
	beats := []struct{ corpus, baseline string }{{"BBC", "TextRank"}, {"CNN", "Lead-3"}}
	for _, b := range beats {
		eng, _ := rep.System(b.corpus, "3 sentences", "Engine")
		base, ok := rep.System(b.corpus, "3 sentences", b.baseline)
		if !ok {
			t.Errorf("%s: no %s", b.corpus, b.baseline)
			continue
		}
		if eng.R2 < base.R2 {
			t.Errorf("%s at 3 sentences: engine ROUGE-2 %.2f below %s %.2f", b.corpus, eng.R2, b.baseline, base.R2)
		}
	}
	bbc := rep.Corpora[0]
	if !strings.HasPrefix(bbc.Name, "BBC") || bbc.Documents < 1200 {
		t.Errorf("BBC: %s with %d articles, want all of BBC News Summary", bbc.Name, bbc.Documents)
	}
}

func TestEvalSummariesNoCorpus(t *testing.T) {
	if _, err := EvalSummaries(t.TempDir()); err == nil {
		t.Error("no error for a folder without corpora")
	}
}

func TestSummSplitReference(t *testing.T) {
	body := "Prices rose 2% in May. Shops said demand was strong.\n\nThe bank may act. Analysts agree."
	tests := []struct {
		summary string
		want    []string
	}{
		{"The bank may act.Prices rose 2% in May.", []string{"The bank may act.", "Prices rose 2% in May."}},
		{"Analysts agree.Shops said demand was strong.The bank may act.",
			[]string{"Analysts agree.", "Shops said demand was strong.", "The bank may act."}},
		{"  Prices rose 2% in May.\n", []string{"Prices rose 2% in May."}},
		{"Something else entirely", []string{"Something else entirely"}},
		{"", nil},
	}
	for _, tt := range tests {
		if got := summSplitReference(body, tt.summary); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("split %q:\n got %q\nwant %q", tt.summary, got, tt.want)
		}
	}
}

func TestSummTokenizedDocument(t *testing.T) {
	d := summTokenizedDocument("<t> the cat sat . `` it was fine , '' he said . did it ? yes </t>")
	var got []string
	for i := range d.Sentences {
		got = append(got, d.SentenceText(i))
	}
	want := []string{"the cat sat .", "`` it was fine , '' he said .", "did it ?", "yes"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %q\nwant %q", got, want)
	}
	if len(d.Paragraphs) != 1 || d.Paragraphs[0].Last != len(d.Sentences) {
		t.Errorf("paragraphs %+v", d.Paragraphs)
	}
	if d := summTokenizedDocument("<t> </t>"); len(d.Sentences) != 0 {
		t.Errorf("empty line gave %d sentences", len(d.Sentences))
	}
}

func TestSummSplitHighlights(t *testing.T) {
	got := summSplitHighlights("<t> the cat sat .the dog ran . </t> <t> it rained . </t>")
	want := []string{"the cat sat .", "the dog ran .", "it rained ."}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestSummDecode(t *testing.T) {
	if got := summDecode([]byte("caf\xe9\r\n")); got != "café\n" {
		t.Errorf("Latin-1: got %q", got)
	}
	if got := summDecode([]byte("café")); got != "café" {
		t.Errorf("UTF-8: got %q", got)
	}
}
