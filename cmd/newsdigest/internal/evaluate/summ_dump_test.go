package evaluate

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

func TestSummDump(t *testing.T) {
	out := os.Getenv("SUMM_DUMP")
	if out == "" {
		t.Skip()
	}
	dir := summCorpusDir(t)
	type sent struct{ S, E, K int }
	type rec struct {
		Corpus string
		Title  string
		Text   string
		Sents  []sent
		Ref    []string
	}
	var recs []rec
	for _, c := range []struct {
		name string
		load func(string) ([]summPair, error)
		dir  string
	}{{"bbc", summLoadBBC, "bbc-news-summary"}, {"cnn", summLoadCNNDM, "realsumm-cnndm"}} {
		pairs, err := c.load(filepath.Join(dir, c.dir))
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range pairs {
			r := rec{Corpus: c.name, Title: p.doc.Title, Text: p.doc.Text, Ref: p.ref}
			for _, s := range p.doc.Sentences {
				r.Sents = append(r.Sents, sent{s.Start, s.End, int(s.Kind)})
			}
			recs = append(recs, r)
		}
	}
	b, _ := json.Marshal(recs)
	os.WriteFile(out, b, 0o644)
}
