package evaluate

import "testing"

func TestEvalQuotes(t *testing.T) {
	dir := summCorpusDir(t)
	r, err := EvalQuotes(dir, "dev")
	if err != nil {
		t.Fatal(err)
	}
	t.Log("\n" + r.Table())
}
