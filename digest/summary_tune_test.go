package digest

import (
	"cmp"
	"math/rand/v2"
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"testing"
)

type tuneDoc struct {
	corpus string
	d      *Document
	ref    []string
	sentT  [][]string
	cands  []int
	g      *sumGraph
}

func tuneLoad(t *testing.T, minWords int) []tuneDoc {
	b, err := os.ReadFile("/tmp/sumtune.json")
	if err != nil {
		t.Skip()
	}
	var recs []struct {
		Corpus, Title, Text string
		Sents               []struct{ S, E, K int }
		Ref                 []string
	}
	json.Unmarshal(b, &recs)
	var out []tuneDoc
	for _, r := range recs {
		d := &Document{Title: r.Title, Text: r.Text}
		for _, s := range r.Sents {
			d.Sentences = append(d.Sentences, Sentence{Start: s.S, End: s.E, Kind: SentenceKind(s.K)})
		}
		td := tuneDoc{corpus: r.Corpus, d: d}
		for _, x := range r.Ref {
			td.ref = append(td.ref, RougeTokens(x, true)...)
		}
		for i := range d.Sentences {
			td.sentT = append(td.sentT, RougeTokens(d.SentenceText(i), true))
		}
		td.cands = sumCandidates(d, 64, minWords)
		out = append(out, td)
	}
	return out
}

func tuneScore(docs []tuneDoc, p sumParams, k int, pick func(td *tuneDoc) []int) map[string][3]float64 {
	sum := map[string][3]float64{}
	n := map[string]int{}
	for i := range docs {
		td := &docs[i]
		var idx []int
		if pick != nil {
			idx = pick(td)
		} else if len(td.cands) > 0 {
			td.g = sumBuildGraph(td.d, td.cands, p.graph)
			scores := sumPacScores(td.g, p)
			sumAdjust(td.d, td.cands, scores, p)
			order := make([]int, len(td.cands))
			for i := range order {
				order[i] = i
			}
			slices.SortStableFunc(order, func(a, b int) int {
				switch {
				case scores[a] > scores[b]:
					return -1
				case scores[a] < scores[b]:
					return 1
				}
				return a - b
			})
			idx = sumSelect(td.d, td.cands, td.g, order, k, 0, p.maxSim)
		}
		var pred []string
		for _, j := range idx {
			pred = append(pred, td.sentT[j]...)
		}
		s := sum[td.corpus]
		s[0] += RougeN(td.ref, pred, 1).F
		s[1] += RougeN(td.ref, pred, 2).F
		s[2] += float64(len(pred))
		sum[td.corpus] = s
		n[td.corpus]++
	}
	for c, s := range sum {
		sum[c] = [3]float64{100 * s[0] / float64(n[c]), 100 * s[1] / float64(n[c]), s[2] / float64(n[c])}
	}
	return sum
}

func tuneLine(name string, r map[string][3]float64) string {
	return fmt.Sprintf("%-50s BBC %.2f/%.2f (%3.0f)  CNN %.2f/%.2f (%3.0f)", name, r["bbc"][0], r["bbc"][1], r["bbc"][2], r["cnn"][0], r["cnn"][1], r["cnn"][2])
}

func TestSumTune(t *testing.T) {
	if os.Getenv("SUM_TUNE") == "" {
		t.Skip()
	}
	docs := tuneLoad(t, 4)
	t.Log(tuneLine("lead3", tuneScore(docs, sumParams{}, 3, func(td *tuneDoc) []int { return Lead(td.d, 3) })))
	t.Log(tuneLine("textrank", tuneScore(docs, sumParams{}, 3, func(td *tuneDoc) []int { return TextRank(td.d, 3) })))
	t.Log(tuneLine("default", tuneScore(docs, sumDefaults(), 3, nil)))
	if os.Getenv("SUM_TUNE") == "fixed" {
		base := sumParams{maxCands: 64, beta: 0, lFollow: 1, lPrecede: 1, posWeight: 0.2, posDecay: 1, maxSim: 0.7, minWords: 6,
			graph: sumGraphParams{0, 2, 0, false}, window: 64, dupSim: 2, lenWeight: 0.2, titleW: 0.2}
		b2 := base
		b2.lPrecede, b2.posWeight, b2.posDecay, b2.minWords, b2.graph, b2.titleW = 0.8, 0, 5, 4, sumGraphParams{0, 0, 0, false}, 0
		b3 := base
		b3.lPrecede, b3.posWeight, b3.minWords, b3.graph, b3.lenWeight, b3.titleW = 1, 0.6, 8, sumGraphParams{2, 2, 0, false}, 0.3, 0.4
		b4 := base
		b4.lPrecede, b4.posWeight, b4.posDecay, b4.maxSim, b4.graph, b4.lenWeight, b4.titleW = 1, 0.2, 2, 0.5, sumGraphParams{2, 0, 0, false}, 0.3, 0
		for _, p := range []sumParams{base, b2, b3, b4} {
			for i := range docs {
				docs[i].cands = sumCandidates(docs[i].d, 64, p.minWords)
			}
			r := tuneScore(docs, p, 3, nil)
			obj := min(r["bbc"][1]-56.61, r["cnn"][1]-15.70)
			t.Log(tuneLine(fmt.Sprintf("%+.2f", obj), r))
		}
		if os.Getenv("SUM_DEBUG") != "" {
			p := base
			for i := range docs {
				td := &docs[i]
				if td.corpus != "cnn" {
					continue
				}
				td.cands = sumCandidates(td.d, 64, p.minWords)
				g := sumBuildGraph(td.d, td.cands, p.graph)
				scores := sumPacScores(g, p)
				order := make([]int, len(td.cands))
				for i := range order {
					order[i] = i
				}
				slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(scores[b], scores[a]) })
				idx := sumSelect(td.d, td.cands, g, order, 3, 0, p.maxSim)
				r2 := func(idx []int) float64 {
					var pred []string
					for _, j := range idx {
						pred = append(pred, td.sentT[j]...)
					}
					return 100 * RougeN(td.ref, pred, 2).F
				}
				t.Logf("doc %2d n=%2d lead %.1f eng %.1f picks %v", i, len(td.d.Sentences), r2(Lead(td.d, 3)), r2(idx), idx)
			}
		}
		return
	}
	rng := rand.New(rand.NewPCG(uint64(len(os.Getenv("SUM_TUNE"))), 7))
	pick := func(xs ...float64) float64 { return xs[rng.IntN(len(xs))] }
	type res struct {
		obj  float64
		line string
	}
	var all []res
	for it := 0; it < 600; it++ {
		p := sumDefaults()
		p.graph = sumGraphParams{int(pick(0, 2)), int(pick(0, 2)), int(pick(0, 0, 1)), pick(0, 1) == 1}
		p.lFollow = 1
		p.lPrecede = pick(0, 0.5, 0.7, 0.8, 0.9, 1)
		p.beta = pick(0, 0, 0.1)
		p.posWeight = pick(0, 0.1, 0.2, 0.3, 0.4, 0.6)
		p.posDecay = pick(1, 2, 3, 5, 8, 12)
		p.maxSim = pick(0.5, 0.7, 100)
		p.dupSim = pick(0.85, 2)
		p.lenWeight = pick(0, 0.1, 0.2, 0.3)
		p.minWords = int(pick(4, 6, 8))
		p.titleW = pick(0, 0.2, 0.4, 0.8)
		p.window = int(pick(12, 16, 20, 64))
		for i := range docs {
			docs[i].cands = sumCandidates(docs[i].d, 64, p.minWords)
		}
		r := tuneScore(docs, p, 3, nil)
		obj := min(r["bbc"][1]-56.61, r["cnn"][1]-15.70)
		all = append(all, res{obj, tuneLine(fmt.Sprintf("%+.2f %+v", obj, p), r)})
	}
	slices.SortFunc(all, func(a, b res) int { return cmp.Compare(b.obj, a.obj) })
	for _, r := range all[:40] {
		t.Log(r.line)
	}
}
