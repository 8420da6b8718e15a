package digest

import (
	"math"
	"slices"
	"strings"
	"unicode/utf8"
)

// SummaryOptions is the length budget of a summary. A summary holds at
// most Sentences sentences and, when MaxChars is set, at most MaxChars
// characters (code points) counting one space between sentences. Zero
// Sentences means 3 unless MaxChars is set, in which case only MaxChars
// limits it.
type SummaryOptions struct {
	Sentences int
	MaxChars  int
}

// sumParams are the knobs of the summariser, tuned once on BBC News
// Summary and CNN/DailyMail together (see cmd/newsdigest/internal/evaluate).
type sumParams struct {
	maxCands  int     // only the first maxCands prose sentences are candidates
	beta      float64 // edges below min+beta*(max-min) similarity are dropped
	lFollow   float64 // weight of similarity to following sentences
	lPrecede  float64 // weight of similarity to preceding sentences
	posWeight float64 // weight of the position prior
	posDecay  float64 // the prior is exp(-position/posDecay)
	maxSim    float64 // a sentence this similar to one already chosen is skipped
	minWords  int     // shorter sentences are not candidates
	graph     sumGraphParams
	window    int     // only the first window candidates may be chosen
	dupSim    float64 // edges this strong (near duplicates) add no centrality
	lenWeight float64 // weight of log(length/mean length)
	titleW    float64 // weight of similarity to the title
	quote     float64 // subtracted from a sentence holding a quotation
}

func sumDefaults() sumParams {
	return sumParams{
		maxCands:  64,
		beta:      0.0,
		lFollow:   1.0,
		lPrecede:  -0.2,
		posWeight: 0.5,
		posDecay:  4,
		maxSim:    0.6,
		minWords:  4,
		window:    64,
		dupSim:    2,
		quote:     0,
	}
}

// Summarize picks the sentences of an extractive summary of d and returns
// their indexes into d.Sentences in article order.
//
// Sentences are scored by position-aware centrality (PacSum): a sentence
// scores by how much of it the sentences after it take up again, less a
// little for how much it repeats the ones before it, over TF-IDF cosine
// similarities with the IDF taken from the document's own sentences, plus a
// prior for coming early. They are taken best first, skipping any too
// similar to one already taken or too long for the budget. Only prose is
// ever chosen (no dateline, subheading, byline, credit or boilerplate), and
// the summary never opens with a sentence whose leading pronoun ("He
// added", "They", "This") would point at nobody: the sentence before it is
// taken instead, or it is dropped.
//
// Only the first 64 prose sentences are candidates, so the cost is bounded
// however long the article is.
func Summarize(d *Document, opt SummaryOptions) []int {
	return sumSummarize(d, opt, sumDefaults())
}

func sumSummarize(d *Document, opt SummaryOptions, p sumParams) []int {
	if d == nil {
		return nil
	}
	limit := opt.Sentences
	if limit <= 0 {
		if opt.MaxChars > 0 {
			limit = math.MaxInt
		} else {
			limit = 3
		}
	}
	cands := sumCandidates(d, p.maxCands, p.minWords)
	if len(cands) == 0 {
		return nil
	}
	g := sumBuildGraph(d, cands, p.graph)
	scores := sumPacScores(g, p)
	sumAdjust(d, cands, scores, p)
	order := make([]int, len(cands))
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
	return sumSelect(d, cands, g, order, limit, opt.MaxChars, p.maxSim)
}

// sumCandidates lists the prose sentences a summary may hold: the first
// max of them with at least minWords words.
func sumCandidates(d *Document, max, minWords int) []int {
	var out []int
	for i, s := range d.Sentences {
		if s.Kind != Prose {
			continue
		}
		if s.Start < 0 || s.End > len(d.Text) || s.Start > s.End {
			continue
		}
		if sumWordCount(d.Text[s.Start:s.End], minWords) < minWords {
			continue
		}
		out = append(out, i)
		if len(out) == max {
			break
		}
	}
	return out
}

// sumWordCount counts space-separated words in s, stopping at max.
func sumWordCount(s string, max int) int {
	n := 0
	in := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == ' ' || c == '\n' || c == '\t' || c == '\r' {
			in = false
			continue
		}
		if !in {
			in = true
			n++
			if n >= max {
				return n
			}
		}
	}
	return n
}

// sumGraph holds candidates' TF-IDF vectors and their pairwise cosines.
type sumGraph struct {
	n     int
	title sumTermVec // the title's vector, weighted like the sentences
	vec   []sumTermVec
	sim   []float64 // n*n, symmetric, zero diagonal
	lens  []int     // content words per sentence
}

func (g *sumGraph) at(i, j int) float64 { return g.sim[i*g.n+j] }

// sumGraphParams says how sentences are compared.
type sumGraphParams struct {
	idf  int  // 0: log((n+1)/(df+1))+1; 1: log(n/df); 2: none
	tf   int  // 0: raw count; 1: binary; 2: 1+log(count)
	sim  int  // 0: cosine; 1: shared weight over log lengths (TextRank 2004)
	news bool // drop news function words too
}

// sumBuildGraph weighs each candidate's terms by tf*idf, with idf taken
// over the candidates themselves, and fills the similarity matrix.
func sumBuildGraph(d *Document, cands []int, gp sumGraphParams) *sumGraph {
	n := len(cands)
	g := &sumGraph{n: n, vec: make([]sumTermVec, n), sim: make([]float64, n*n)}
	var all []uint64
	bounds := make([]int, n+1)
	for i, si := range cands {
		s := d.Sentences[si]
		all = sumSentenceTerms(all, d.Text[s.Start:s.End], gp.news)
		bounds[i+1] = len(all)
	}
	lens := make([]int, n)
	for i := range lens {
		lens[i] = bounds[i+1] - bounds[i]
	}
	g.lens = lens
	// Each vector sorts and compacts its own stretch of all in place.
	for i := range g.vec {
		g.vec[i] = sumVector(all[bounds[i]:bounds[i+1]:bounds[i+1]])
	}
	// Document frequency: merge the unique terms of every sentence.
	uniq := make([]uint64, 0, len(all))
	for i := range g.vec {
		uniq = append(uniq, g.vec[i].terms...)
	}
	slices.Sort(uniq)
	idf := func(t uint64) float64 {
		lo, _ := slices.BinarySearch(uniq, t)
		hi := lo
		for hi < len(uniq) && uniq[hi] == t {
			hi++
		}
		df := float64(hi - lo)
		switch gp.idf {
		case 1:
			return math.Log(float64(n) / df)
		case 2:
			return 1
		}
		return math.Log(float64(n+1)/(df+1)) + 1
	}
	for i := range g.vec {
		v := &g.vec[i]
		s := 0.0
		for k, t := range v.terms {
			switch gp.tf {
			case 1:
				v.w[k] = 1
			case 2:
				v.w[k] = 1 + math.Log(v.w[k])
			}
			v.w[k] *= idf(t)
			s += v.w[k] * v.w[k]
		}
		v.norm = math.Sqrt(s)
	}
	if d.Title != "" {
		g.title = sumVector(sumSentenceTerms(nil, d.Title, gp.news))
		s := 0.0
		for k, t := range g.title.terms {
			g.title.w[k] = idf(t)
			s += g.title.w[k] * g.title.w[k]
		}
		g.title.norm = math.Sqrt(s)
	}
	for i := 0; i < n; i++ {
		for j := i + 1; j < n; j++ {
			var c float64
			switch gp.sim {
			case 1:
				if lens[i] > 1 && lens[j] > 1 {
					c = sumDot(&g.vec[i], &g.vec[j]) / (math.Log(float64(lens[i])) + math.Log(float64(lens[j])))
				}
			default:
				c = sumCosine(&g.vec[i], &g.vec[j])
			}
			g.sim[i*n+j] = c
			g.sim[j*n+i] = c
		}
	}
	return g
}

// sumPacScores is PacSum's directed centrality with a position prior.
func sumPacScores(g *sumGraph, p sumParams) []float64 {
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
				if g.at(i, j) >= p.dupSim {
					continue
				}
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
		scores[i] += p.posWeight * math.Exp(-float64(i)/p.posDecay)
		if p.titleW != 0 {
			scores[i] += p.titleW * sumCosine(&g.title, &g.vec[i])
		}
		if p.lenWeight != 0 && g.lens[i] > 0 && mean > 0 {
			scores[i] += p.lenWeight * math.Log(float64(g.lens[i])/mean)
		}
	}
	return scores
}

// sumAdjust applies what the graph does not see: a penalty for direct
// speech and the window of sentences that may be chosen at all.
func sumAdjust(d *Document, cands []int, scores []float64, p sumParams) {
	for i, si := range cands {
		if i >= p.window {
			scores[i] = math.Inf(-1)
			continue
		}
		if p.quote != 0 && sumHasQuote(d.SentenceText(si)) {
			scores[i] -= p.quote
		}
	}
}

// sumHasQuote reports whether s holds a quotation mark of direct speech.
func sumHasQuote(s string) bool {
	for _, r := range s {
		switch r {
		case '"', '\u201c', '\u201d', '\u00ab', '\u00bb', '\u201e':
			return true
		}
	}
	return strings.Contains(s, "``") || strings.Contains(s, "''")
}

// sumSelect takes candidates best first within the budget, skipping near
// duplicates, fixes a dangling opening pronoun and returns the sentence
// indexes in article order.
func sumSelect(d *Document, cands []int, g *sumGraph, order []int, limit, maxChars int, maxSim float64) []int {
	chosen := make([]bool, len(cands))
	banned := make([]bool, len(cands)) // dropped as an opener; never retaken
	chars := 0
	count := 0
	lengths := make([]int, len(cands))
	for i, si := range cands {
		lengths[i] = utf8.RuneCountInString(d.SentenceText(si))
	}
	cost := func(c int) int {
		if count == 0 {
			return lengths[c]
		}
		return lengths[c] + 1
	}
	fits := func(c int) bool {
		return maxChars <= 0 || chars+cost(c) <= maxChars
	}
	take := func(c int) {
		chars += cost(c)
		count++
		chosen[c] = true
	}
	drop := func(c int) {
		chosen[c] = false
		count--
		// Recount: the separator goes with every sentence but the first.
		chars = 0
		k := 0
		for i, ok := range chosen {
			if ok {
				if k > 0 {
					chars++
				}
				chars += lengths[i]
				k++
			}
		}
	}
	redundant := func(c int) bool {
		for i, ok := range chosen {
			if ok && g.at(i, c) > maxSim {
				return true
			}
		}
		return false
	}
	fill := func() {
		for _, c := range order {
			if count >= limit {
				return
			}
			if chosen[c] || banned[c] || !fits(c) || redundant(c) {
				continue
			}
			take(c)
		}
	}
	fill()
	// The opener must not lean on a sentence the summary lacks. Each round
	// either swaps the opener for an earlier sentence or bans one, so this
	// ends within len(cands) rounds.
	for range len(cands) + 1 {
		first := slices.Index(chosen, true)
		if first < 0 || !sumDanglingOpener(d.SentenceText(cands[first])) {
			break
		}
		drop(first)
		banned[first] = true
		if first > 0 && !banned[first-1] && !chosen[first-1] &&
			!sumDanglingOpener(d.SentenceText(cands[first-1])) && fits(first-1) {
			take(first - 1)
			continue
		}
		fill()
	}
	out := make([]int, 0, count)
	for i, ok := range chosen {
		if ok {
			out = append(out, cands[i])
		}
	}
	return out
}

// SummaryText returns the text of the sentences idx of d, skipping any
// index out of range.
func SummaryText(d *Document, idx []int) []string {
	out := make([]string, 0, len(idx))
	for _, i := range idx {
		if d != nil && i >= 0 && i < len(d.Sentences) {
			out = append(out, d.SentenceText(i))
		}
	}
	return out
}

// Lead returns the first n prose sentences of d: the Lead-N baseline.
func Lead(d *Document, n int) []int {
	if d == nil {
		return nil
	}
	var out []int
	for i, s := range d.Sentences {
		if len(out) >= n {
			break
		}
		if s.Kind == Prose {
			out = append(out, i)
		}
	}
	return out
}
