package digest

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// sumCorpusDir finds the evaluation corpus: $NEWSDIGEST_CORPUS, else
// ../shared/corpus beside the module root. It skips the test when absent.
func sumCorpusDir(t testing.TB) string {
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

type rougeVectorScore struct {
	Recall, Precision, F float64
}

type rougeVector struct {
	Target, Prediction string
	Stem               bool
	Rouge1             *rougeVectorScore `json:"rouge1"`
	Rouge2             *rougeVectorScore `json:"rouge2"`
	RougeL             *rougeVectorScore `json:"rougeL"`
	RougeLsum          *rougeVectorScore `json:"rougeLsum"`
}

// TestRougeVectors checks every case of the ROUGE-1.5.5 vectors shipped with
// the corpus to four decimals.
func TestRougeVectors(t *testing.T) {
	path := filepath.Join(sumCorpusDir(t), "rouge-vectors.json")
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Skipf("rouge vectors: %v", err)
	}
	var file struct {
		Cases []rougeVector
	}
	if err := json.Unmarshal(raw, &file); err != nil {
		t.Fatalf("rouge vectors: %v", err)
	}
	if len(file.Cases) == 0 {
		t.Fatal("rouge vectors: no cases")
	}
	checked := 0
	for i, c := range file.Cases {
		got := Rouge(c.Target, c.Prediction, c.Stem)
		for _, m := range []struct {
			name string
			want *rougeVectorScore
			got  RougeScore
		}{
			{"rouge1", c.Rouge1, got.R1},
			{"rouge2", c.Rouge2, got.R2},
			{"rougeL", c.RougeL, got.L},
			{"rougeLsum", c.RougeLsum, got.Lsum},
		} {
			if m.want == nil {
				continue
			}
			checked++
			if !rougeClose(m.got.Precision, m.want.Precision) || !rougeClose(m.got.Recall, m.want.Recall) ||
				!rougeClose(m.got.F, m.want.F) {
				t.Errorf("case %d %s (stem=%v): got P/R/F %.5f/%.5f/%.5f, want %.5f/%.5f/%.5f", i, m.name, c.Stem,
					m.got.Precision, m.got.Recall, m.got.F, m.want.Precision, m.want.Recall, m.want.F)
			}
		}
	}
	t.Logf("%d measures checked in %d cases", checked, len(file.Cases))
}

func rougeClose(a, b float64) bool { return math.Abs(a-b) < 5e-5 }

func TestRougeTokens(t *testing.T) {
	tests := []struct {
		text string
		stem bool
		want []string
	}{
		{"", false, nil},
		{"  ,.; ", false, nil},
		{"The quick-brown FOX's 2nd try", false, []string{"the", "quick", "brown", "fox", "s", "2nd", "try"}},
		{"running dogs were happily jumping", true, []string{"run", "dog", "were", "happili", "jump"}},
		{"bus news", true, []string{"bus", "news"}}, // three letters or fewer stay as they are
		{"café naïve", false, []string{"caf", "na", "ve"}},
		{"\u212Aelvin", false, []string{"kelvin"}},
		{"\u0130stanbul", false, []string{"i", "stanbul"}},
		{"bad\xffbyte", false, []string{"bad", "byte"}},
	}
	for _, tt := range tests {
		if got := RougeTokens(tt.text, tt.stem); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("RougeTokens(%q, %v) = %q, want %q", tt.text, tt.stem, got, tt.want)
		}
	}
}

func TestRougeByHand(t *testing.T) {
	tests := []struct {
		name         string
		target, pred string
		want         RougeResult
	}{
		{"identical", "a b c", "a b c", RougeResult{
			R1: RougeScore{1, 1, 1}, R2: RougeScore{1, 1, 1}, L: RougeScore{1, 1, 1}, Lsum: RougeScore{1, 1, 1}}},
		{"empty prediction", "a b", "", RougeResult{}},
		{"empty target", "", "a b", RougeResult{}},
		{"one word", "a", "a", RougeResult{
			R1: RougeScore{1, 1, 1}, R2: RougeScore{0, 0, 0}, L: RougeScore{1, 1, 1}, Lsum: RougeScore{1, 1, 1}}},
		// Repeated tokens count once per occurrence on both sides.
		{"clipped counts", "a a b", "a a a a", RougeResult{
			R1: RougeScore{0.5, 2.0 / 3, 4.0 / 7}, R2: RougeScore{1.0 / 3, 0.5, 0.4},
			L: RougeScore{0.5, 2.0 / 3, 4.0 / 7}, Lsum: RougeScore{0.5, 2.0 / 3, 4.0 / 7}}},
		// Lsum unions the LCS over lines; L reads one sequence.
		{"lsum union", "a b c d", "a b\nc d", RougeResult{
			R1: RougeScore{1, 1, 1}, R2: RougeScore{1, 1, 1}, L: RougeScore{1, 1, 1}, Lsum: RougeScore{1, 1, 1}}},
		{"lsum order", "c d a b", "a b\nc d", RougeResult{
			R1: RougeScore{1, 1, 1}, R2: RougeScore{2.0 / 3, 2.0 / 3, 2.0 / 3}, L: RougeScore{0.5, 0.5, 0.5}, Lsum: RougeScore{1, 1, 1}}},
	}
	for _, tt := range tests {
		got := Rouge(tt.target, tt.pred, false)
		for _, m := range []struct {
			name      string
			got, want RougeScore
		}{{"R1", got.R1, tt.want.R1}, {"R2", got.R2, tt.want.R2}, {"L", got.L, tt.want.L}, {"Lsum", got.Lsum, tt.want.Lsum}} {
			if !rougeClose(m.got.Precision, m.want.Precision) || !rougeClose(m.got.Recall, m.want.Recall) || !rougeClose(m.got.F, m.want.F) {
				t.Errorf("%s %s: got %+v, want %+v", tt.name, m.name, m.got, m.want)
			}
		}
	}
}
