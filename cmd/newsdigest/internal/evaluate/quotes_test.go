package evaluate

import (
	"strings"
	"testing"
)

// TestEvalQuotes scores the quotation finder on PolNeAR dev and the seed
// article. The floors sit just below the measured figures, so a change
// that makes quotes or speakers worse fails here.
func TestEvalQuotes(t *testing.T) {
	dir := summCorpusDir(t)
	r, err := EvalQuotes(dir, "dev")
	if err != nil {
		t.Fatal(err)
	}
	t.Log("\n" + r.Table())
	if r.Articles < 80 || r.Gold < 400 {
		t.Fatalf("loaded %d articles with %d gold quotes; the corpus looks incomplete", r.Articles, r.Gold)
	}
	floors := []struct {
		name  string
		got   float64
		floor float64
	}{
		{"lenient F1 at overlap 0.3", r.Lenient[0].F1(), 0.97},
		{"lenient F1 at overlap 0.8", r.Lenient[1].F1(), 0.95},
		{"strict F1 at overlap 0.3", r.Strict[0].F1(), 0.82},
		{"strict F1 at overlap 0.8", r.Strict[1].F1(), 0.80},
		{"lenient precision at overlap 0.3", r.Lenient[0].Precision(), 0.97},
		{"recall at overlap 0.3", r.Lenient[0].Recall(), 0.965},
		{"speaker accuracy", r.SpeakerAccuracy(), 0.95},
	}
	for _, f := range floors {
		if f.got < f.floor {
			t.Errorf("%s = %.3f, below the floor %.3f", f.name, f.got, f.floor)
		}
	}
	s := r.TASS
	if s.Gold != 14 || s.Found != s.Gold || s.SpeakerRight != s.Gold || s.NotQuotes != 0 || s.Extra != 0 {
		t.Errorf("seed article: %d/%d found, %d speakers right, %d non-quotes, %d extra:\n%s",
			s.Found, s.Gold, s.SpeakerRight, s.NotQuotes, s.Extra, strings.Join(s.Errors, "\n"))
	}
	if len(s.KeyQuotes) == 0 || s.KeyFromGold != len(s.KeyQuotes) {
		t.Errorf("seed article key quotes %q: %d from the gold key set", s.KeyQuotes, s.KeyFromGold)
	}
	if s.NotProse != s.NotProseGold {
		t.Errorf("seed article: %d of %d non-sentences recognised", s.NotProse, s.NotProseGold)
	}
}

func TestQuoteMatch(t *testing.T) {
	gold := []quoteGold{{start: 0, end: 10}, {start: 20, end: 30}}
	preds := []quotePred{{start: 0, end: 10}, {start: 22, end: 25}, {start: 40, end: 50}}
	m := quoteMatch(preds, gold, 0.3)
	if m[0] != 0 || m[1] != 1 || m[2] != -1 {
		t.Errorf("match at 0.3 = %v", m)
	}
	m = quoteMatch(preds, gold, 0.8)
	if m[0] != 0 || m[1] != -1 || m[2] != -1 {
		t.Errorf("match at 0.8 = %v", m)
	}
	a := quoteArticle{gold: gold, otherContent: [][2]int{{38, 60}}}
	s := quoteScoreArticle(preds, a, quoteMatch(preds, gold, 0.3))
	if s.TP != 2 || s.FP != 0 || s.Ignored != 1 || s.FN != 0 {
		t.Errorf("score = %+v", s)
	}
}

func TestQuoteStripMarks(t *testing.T) {
	s, e := quoteStripMarks("“Hello, world,” ", 10, 26)
	if s != 11 || e != 24 {
		t.Errorf("strip = [%d,%d), want [11,24)", s, e)
	}
}
