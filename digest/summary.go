package digest

import (
	"math"
	"slices"
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

// sumParams are the knobs of the summariser.
type sumParams struct {
	maxCands    int     // only the first maxCands prose sentences are candidates
	minWords    int     // shorter sentences are not candidates
	beta        float64 // edges below min+beta*(max-min) similarity count for nothing
	lFollow     float64 // weight of similarity to following sentences
	lPrecede    float64 // weight of similarity to preceding sentences
	lenWeight   float64 // weight of log(content words / mean content words)
	titleWeight float64 // weight of cosine similarity to the title
	firstPerson float64 // subtracted from a sentence in the first person
	maxSim      float64 // a sentence this similar to one already chosen is skipped
}

// sumDefaults is the one configuration the summariser runs with. It was
// tuned on BBC News Summary and the CNN/DailyMail sample together (see
// cmd/newsdigest/internal/evaluate): BBC's references reward centrality,
// CNN/DailyMail's the lead, and one setting has to serve both. The first
// person costs little since sumLeaning keeps out the pieces of quotations
// the penalty once stood in for.
func sumDefaults() sumParams {
	return sumParams{
		maxCands:    64,
		minWords:    4,
		beta:        0,
		lFollow:     1,
		lPrecede:    0.8,
		lenWeight:   0.2,
		titleWeight: 0.2,
		firstPerson: 0.05,
		maxSim:      0.7,
	}
}

// Summarize picks the sentences of an extractive summary of d and returns
// their indexes into d.Sentences in article order.
//
// Sentences are scored by position-aware graph centrality (PacSum):
// TF-IDF cosine similarities, with the IDF taken from the document's own
// sentences, and a sentence scoring more for what the sentences after it
// take up again than for what it repeats of those before it; a little
// weight goes to longer sentences and to those close to the title, and a
// sentence in the first person (someone talking) loses some. Sentences are
// taken best first, skipping any too similar to one already taken or too
// long for the budget. Only prose is ever chosen (no dateline, subheading,
// byline, credit or boilerplate), and the summary never opens with a
// sentence whose leading pronoun ("He added", "They", "This") would point
// at nobody: the sentence before it is taken instead, or it is dropped.
//
// Only the first 64 prose sentences are candidates, so the cost is bounded
// however long the article is. The result is the same for the same input.
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
	g := sumBuildGraph(d, cands)
	scores := sumPacScores(d, cands, g, p)
	return sumSelect(d, cands, g, sumRanked(scores), limit, opt.MaxChars, p.maxSim)
}

// sumRanked returns the positions of scores from best to worst, earlier
// first among equals.
func sumRanked(scores []float64) []int {
	order := make([]int, len(scores))
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
		return 0
	})
	return order
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

// sumSelect takes candidates best first within the budget, skipping near
// duplicates and taking the sentences that cannot stand alone (see
// sumLeaning) only when the others run out; it fixes a dangling opener and
// returns the sentence indexes in article order.
func sumSelect(d *Document, cands []int, g *sumGraph, order []int, limit, maxChars int, maxSim float64) []int {
	leaning := newSumLeaning(d, cands)
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
	// ok reports whether c stands in the summary: on its own, right after
	// the sentence it leans on, or after two sentences that stand alone.
	// A digest shows the first two sentences of a summary, and a reader
	// takes them for the story: they must say who speaks. Further on, a
	// longer summary reads as an account in which a quotation is heard in
	// the context of what came before it.
	ok := func(c int) bool {
		if !leaning.poor(c) || leaning.follows(c) && chosen[c-1] {
			return true
		}
		before := 0
		for k := 0; k < c && before < 2; k++ {
			if chosen[k] && !leaning.poor(k) {
				before++
			}
		}
		return before == 2
	}
	fill := func() {
		for pass := 0; pass < 2; pass++ {
			for again := true; again; {
				again = false
				for _, c := range order {
					if count >= limit {
						return
					}
					if chosen[c] || banned[c] || pass == 0 && !ok(c) || !fits(c) || redundant(c) {
						continue
					}
					take(c)
					// A sentence passed over for want of this one may follow it now.
					again = again || pass == 0 && c+1 < len(cands) && !chosen[c+1] && leaning.poor(c+1) && leaning.follows(c+1)
				}
			}
		}
	}
	// dropOpener drops the opener and the sentences that no longer stand
	// without it.
	dropOpener := func(c int) {
		drop(c)
		for k := c + 1; k < len(cands); k++ {
			if chosen[k] && !ok(k) {
				drop(k)
			}
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
		dropOpener(first)
		banned[first] = true
		if first > 0 && !banned[first-1] && !chosen[first-1] && !leaning.poor(first-1) &&
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
