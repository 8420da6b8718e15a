package evaluate

import (
	"os"
	"path/filepath"
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

func TestEvalSummaries(t *testing.T) {
	dir := summCorpusDir(t)
	rep, err := EvalSummaries(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Log("\n" + rep.Table())
}
