package digest

import (
	"math"
	"slices"
)

// sumGraph holds the candidates' TF-IDF vectors, their pairwise cosines
// and the title's vector weighted the same way.
type sumGraph struct {
	n     int
	vec   []sumTermVec
	title sumTermVec
	sim   []float64 // n*n, symmetric, zero diagonal
	lens  []int     // content words per sentence
}

func (g *sumGraph) at(i, j int) float64 { return g.sim[i*g.n+j] }

// sumBuildGraph weighs each candidate's terms by tf*idf and fills the
// similarity matrix. The idf, log((n+1)/(df+1))+1, is taken over the
// candidates themselves: no corpus-wide table is needed.
func sumBuildGraph(d *Document, cands []int) *sumGraph {
	n := len(cands)
	g := &sumGraph{n: n, vec: make([]sumTermVec, n), sim: make([]float64, n*n), lens: make([]int, n)}
	// In news prose about one byte in ten starts a content word, hardly
	// ever one in eight; room for one in six saves growing the slice.
	size := 0
	for _, si := range cands {
		size += d.Sentences[si].End - d.Sentences[si].Start
	}
	all := make([]uint64, 0, size/6+8)
	bounds := make([]int, n+1)
	for i, si := range cands {
		s := d.Sentences[si]
		all = sumSentenceTerms(all, d.Text[s.Start:s.End])
		bounds[i+1] = len(all)
		g.lens[i] = bounds[i+1] - bounds[i]
	}
	// Each vector sorts and compacts its own stretch of all in place, and
	// keeps its weights in the same stretch of one shared slice.
	weights := make([]float64, len(all))
	for i := range g.vec {
		g.vec[i] = sumVector(all[bounds[i]:bounds[i+1]:bounds[i+1]], weights[bounds[i]:bounds[i]:bounds[i+1]])
	}
	// Document frequency: every sentence's distinct terms, sorted together.
	uniq := make([]uint64, 0, len(all))
	for i := range g.vec {
		uniq = append(uniq, g.vec[i].terms...)
	}
	slices.Sort(uniq)
	// A term's idf depends only on its document frequency, 0 to n.
	idfs := make([]float64, n+1)
	for df := range idfs {
		idfs[df] = math.Log(float64(n+1)/float64(df+1)) + 1
	}
	idf := func(t uint64) float64 {
		lo, _ := slices.BinarySearch(uniq, t)
		hi := lo
		for hi < len(uniq) && uniq[hi] == t {
			hi++
		}
		return idfs[hi-lo]
	}
	weigh := func(v *sumTermVec) {
		s := 0.0
		for k, t := range v.terms {
			v.w[k] *= idf(t)
			s += v.w[k] * v.w[k]
		}
		v.norm = math.Sqrt(s)
	}
	for i := range g.vec {
		weigh(&g.vec[i])
	}
	if d.Title != "" {
		g.title = sumVector(sumSentenceTerms(nil, d.Title), nil)
		weigh(&g.title)
	}
	for i := 0; i < n; i++ {
		for j := i + 1; j < n; j++ {
			c := sumCosine(&g.vec[i], &g.vec[j])
			g.sim[i*n+j] = c
			g.sim[j*n+i] = c
		}
	}
	return g
}

// sumPacScores is PacSum's directed centrality: a sentence gains
// lFollow times its thresholded similarity to the sentences after it and
// lPrecede times that to the sentences before it. Weighing what comes
// after more is what makes it position-aware: a story's opening is taken
// up again by what follows, an aside late in it is not. The scores are
// scaled to a maximum of 1 and then nudged by the sentence's length, its
// similarity to the title and whether it speaks in the first person.
func sumPacScores(d *Document, cands []int, g *sumGraph, p sumParams) []float64 {
	n := g.n
	scores := make([]float64, n)
	if n > 1 {
		lo, hi := math.Inf(1), math.Inf(-1)
		for i := 0; i < n; i++ {
			for j := i + 1; j < n; j++ {
				s := g.at(i, j)
				lo = min(lo, s)
				hi = max(hi, s)
			}
		}
		thr := lo + p.beta*(hi-lo)
		follow := make([]float64, n)
		precede := make([]float64, n)
		for i := 0; i < n; i++ {
			for j := i + 1; j < n; j++ {
				e := g.at(i, j) - thr
				if e <= 0 {
					continue
				}
				follow[i] += e
				precede[j] += e
			}
		}
		top := 0.0
		for i := range scores {
			scores[i] = p.lFollow*follow[i] + p.lPrecede*precede[i]
			top = max(top, math.Abs(scores[i]))
		}
		if top > 0 {
			for i := range scores {
				scores[i] /= top
			}
		}
	}
	mean := 0.0
	for _, l := range g.lens {
		mean += float64(l)
	}
	mean /= float64(n)
	for i := range scores {
		if g.lens[i] > 0 && mean > 0 {
			scores[i] += p.lenWeight * math.Log(float64(g.lens[i])/mean)
		}
		scores[i] += p.titleWeight * sumCosine(&g.title, &g.vec[i])
		if sumFirstPerson(d.SentenceText(cands[i])) {
			scores[i] -= p.firstPerson
		}
	}
	return scores
}
