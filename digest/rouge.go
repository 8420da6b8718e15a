package digest

import "strings"

// ROUGE as google-research's rouge_score computes it, which in turn
// reproduces the official ROUGE-1.5.5 script: the numbers it gives can be
// set beside published ones. Tokenization is RougeTokens.

// RougeScore is one ROUGE measure: precision, recall and their F1.
type RougeScore struct {
	Precision, Recall, F float64
}

// RougeResult holds the measures the evaluation reports for one summary
// against one reference.
type RougeResult struct {
	R1, R2, L, Lsum RougeScore
}

// Rouge scores prediction against target. ROUGE-Lsum reads both texts as
// one sentence per line; the others ignore line breaks.
func Rouge(target, prediction string, stem bool) RougeResult {
	t := RougeTokens(target, stem)
	p := RougeTokens(prediction, stem)
	return RougeResult{
		R1:   RougeN(t, p, 1),
		R2:   RougeN(t, p, 2),
		L:    RougeL(t, p),
		Lsum: RougeLsum(RougeLines(target, stem), RougeLines(prediction, stem)),
	}
}

// RougeLines tokenizes text one line at a time, skipping empty lines, as
// ROUGE-Lsum wants its sentences.
func RougeLines(text string, stem bool) [][]string {
	var out [][]string
	for line := range strings.SplitSeq(text, "\n") {
		if line == "" {
			continue
		}
		out = append(out, RougeTokens(line, stem))
	}
	return out
}

// rougeF is the harmonic mean, 0 when both are 0.
func rougeF(p, r float64) float64 {
	if p+r > 0 {
		return 2 * p * r / (p + r)
	}
	return 0
}

// RougeN is ROUGE-N over n-grams of the two token lists.
func RougeN(target, prediction []string, n int) RougeScore {
	if n <= 0 {
		return RougeScore{}
	}
	tc, tn := rougeNgrams(target, n)
	pc, pn := rougeNgrams(prediction, n)
	inter := 0
	for g, c := range tc {
		inter += min(c, pc[g])
	}
	p := float64(inter) / float64(max(pn, 1))
	r := float64(inter) / float64(max(tn, 1))
	return RougeScore{Precision: p, Recall: r, F: rougeF(p, r)}
}

// rougeNgrams counts the n-grams of toks, keyed by the tokens joined with a
// byte that no token holds, and returns their total.
func rougeNgrams(toks []string, n int) (map[string]int, int) {
	total := len(toks) - n + 1
	if total <= 0 {
		return nil, 0
	}
	counts := make(map[string]int, total)
	var key []byte
	for i := 0; i < total; i++ {
		key = key[:0]
		for j, t := range toks[i : i+n] {
			if j > 0 {
				key = append(key, ' ')
			}
			key = append(key, t...)
		}
		counts[string(key)]++
	}
	return counts, total
}

// RougeL is sentence-level ROUGE-L: the longest common subsequence of the
// two token lists.
func RougeL(target, prediction []string) RougeScore {
	if len(target) == 0 || len(prediction) == 0 {
		return RougeScore{}
	}
	ids := rougeInterner{}
	t, p := ids.ids(target), ids.ids(prediction)
	lcs := rougeLCSTable(t, p)[len(t)*(len(p)+1)+len(p)]
	prec := float64(lcs) / float64(len(p))
	rec := float64(lcs) / float64(len(t))
	return RougeScore{Precision: prec, Recall: rec, F: rougeF(prec, rec)}
}

// RougeLsum is summary-level ROUGE-L: for each target sentence, the union
// of its LCS with every predicted sentence, each token counted at most as
// often as it occurs on both sides (as ROUGE-1.5.5 does).
func RougeLsum(target, prediction [][]string) RougeScore {
	m, n := 0, 0
	for _, s := range target {
		m += len(s)
	}
	for _, s := range prediction {
		n += len(s)
	}
	if m == 0 || n == 0 {
		return RougeScore{}
	}
	ids := rougeInterner{}
	tgt := make([][]int32, len(target))
	pred := make([][]int32, len(prediction))
	cntT := map[int32]int{}
	cntP := map[int32]int{}
	for i, s := range target {
		tgt[i] = ids.ids(s)
		for _, id := range tgt[i] {
			cntT[id]++
		}
	}
	for i, s := range prediction {
		pred[i] = ids.ids(s)
		for _, id := range pred[i] {
			cntP[id]++
		}
	}
	hits := 0
	for _, r := range tgt {
		in := make([]bool, len(r))
		for _, c := range pred {
			rougeMarkLCS(r, c, in)
		}
		for i, ok := range in {
			if !ok {
				continue
			}
			if id := r[i]; cntT[id] > 0 && cntP[id] > 0 {
				hits++
				cntT[id]--
				cntP[id]--
			}
		}
	}
	prec := float64(hits) / float64(n)
	rec := float64(hits) / float64(m)
	return RougeScore{Precision: prec, Recall: rec, F: rougeF(prec, rec)}
}

// rougeInterner maps tokens to small integers so that the LCS compares
// numbers, not strings.
type rougeInterner map[string]int32

func (in rougeInterner) ids(toks []string) []int32 {
	out := make([]int32, len(toks))
	for i, t := range toks {
		id, ok := in[t]
		if !ok {
			id = int32(len(in))
			in[t] = id
		}
		out[i] = id
	}
	return out
}

// rougeLCSTable is the dynamic-programming table of LCS lengths, row-major
// with len(b)+1 columns.
func rougeLCSTable(a, b []int32) []int32 {
	cols := len(b) + 1
	t := make([]int32, (len(a)+1)*cols)
	for i := 1; i <= len(a); i++ {
		row, prev := t[i*cols:], t[(i-1)*cols:]
		for j := 1; j <= len(b); j++ {
			if a[i-1] == b[j-1] {
				row[j] = prev[j-1] + 1
			} else {
				row[j] = max(prev[j], row[j-1])
			}
		}
	}
	return t
}

// rougeMarkLCS marks in ref the positions of one LCS of ref and can, the
// one rouge_score's backtracking reads out (ties go up, not left), since
// which one is chosen changes the union.
func rougeMarkLCS(ref, can []int32, in []bool) {
	t := rougeLCSTable(ref, can)
	cols := len(can) + 1
	i, j := len(ref), len(can)
	for i > 0 && j > 0 {
		switch {
		case ref[i-1] == can[j-1]:
			in[i-1] = true
			i--
			j--
		case t[i*cols+j-1] > t[(i-1)*cols+j]:
			j--
		default:
			i--
		}
	}
}
