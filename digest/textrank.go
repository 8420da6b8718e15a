package digest

import (
	"math"
	"slices"
)

// trMaxSentences bounds the TextRank graph so that its cost stays bounded
// on huge documents.
const trMaxSentences = 256

// TextRank returns the n prose sentences of d that plain TextRank ranks
// highest, in article order: PageRank with damping 0.85 over the TF-IDF
// cosine similarity graph of the prose sentences, with no position prior
// and no redundancy removal. It is the baseline the evaluation compares
// Summarize with. Only the first 256 prose sentences are ranked.
func TextRank(d *Document, n int) []int {
	if d == nil || n <= 0 {
		return nil
	}
	cands := sumCandidates(d, trMaxSentences, 1)
	if len(cands) == 0 {
		return nil
	}
	g := sumBuildGraph(d, cands)
	rank := trPageRank(g, 0.85)
	order := sumRanked(rank)
	order = order[:min(n, len(order))]
	slices.Sort(order)
	out := make([]int, len(order))
	for i, c := range order {
		out[i] = cands[c]
	}
	return out
}

// trPageRank runs weighted PageRank on the similarity graph until the
// scores move less than 1e-6 or 100 iterations pass. A sentence with no
// edges spreads its score evenly.
func trPageRank(g *sumGraph, damping float64) []float64 {
	n := g.n
	out := make([]float64, n) // each node's total edge weight
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			out[i] += g.at(i, j)
		}
	}
	rank := make([]float64, n)
	next := make([]float64, n)
	for i := range rank {
		rank[i] = 1 / float64(n)
	}
	for range 100 {
		dangling := 0.0
		for j := 0; j < n; j++ {
			if out[j] == 0 {
				dangling += rank[j]
			}
		}
		base := (1-damping)/float64(n) + damping*dangling/float64(n)
		delta := 0.0
		for i := 0; i < n; i++ {
			s := 0.0
			for j := 0; j < n; j++ {
				if w := g.at(j, i); w > 0 {
					s += w / out[j] * rank[j]
				}
			}
			next[i] = base + damping*s
			delta += math.Abs(next[i] - rank[i])
		}
		rank, next = next, rank
		if delta < 1e-6 {
			break
		}
	}
	return rank
}
