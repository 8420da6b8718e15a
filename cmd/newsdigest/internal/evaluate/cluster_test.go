package evaluate

import (
	"fmt"
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
	if r.Articles != r.BBC+r.CNN || r.BBC == 0 || r.CNN == 0 || r.GoldPairs == 0 {
		t.Fatalf("labelled set looks wrong: %+v", r)
	}
	// Measured: P 0.9664, R 0.9664, F1 0.9664, strict F1 0.8984, recall
	// BBC 1.0000, CNN/DM 0.9200.
	clusFloors(t, "", []clusFloor{
		{"precision", r.Precision, 0.96},
		{"recall", r.Recall, 0.96},
		{"F1", r.F1, 0.96},
		{"strict F1", r.StrictF1, 0.89},
		{"BBC recall", r.BBCRecall, 0.99},
		{"CNN/DM recall", r.CNNRecall, 0.91},
	})
}

// TestClusterEvalOrders scores other arrival orders: clustering is
// incremental, and no order should do much worse. Measured F1: 0.9705,
// 0.9664, 0.9623.
func TestClusterEvalOrders(t *testing.T) {
	if testing.Short() {
		t.Skip("three more clusterings of the corpus")
	}
	set, err := clusLoad(clusCorpusDir(t))
	if err != nil {
		t.Fatal(err)
	}
	for _, seed := range []uint64{1, 2, 4} {
		r := clusScore(set.reorder(seed), story.Options{})
		t.Logf("order %d: P %.4f R %.4f F1 %.4f", seed, r.Precision, r.Recall, r.F1)
		clusFloors(t, fmt.Sprintf("order %d: ", seed), []clusFloor{{"F1", r.F1, 0.955}})
	}
}

type clusFloor struct {
	name       string
	got, floor float64
}

func clusFloors(t *testing.T, prefix string, floors []clusFloor) {
	t.Helper()
	for _, f := range floors {
		if f.got < f.floor {
			t.Errorf("%s%s = %.4f, below the floor %.4f", prefix, f.name, f.got, f.floor)
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
