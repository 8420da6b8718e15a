package evaluate

import (
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/newsdigest/newsdigest/digest/story"
)

// ClusterReport is how story clustering scores on a labelled set built from
// the corpus: BBC News Summary articles that appear twice (the same story
// under two numbers) and each CNN/DailyMail article paired with its own
// reference highlights standing in for a second outlet's coverage, mixed
// with every other article as a story of its own.
type ClusterReport struct {
	Articles    int // articles clustered
	BBC, CNN    int // of which from BBC News Summary, from CNN/DailyMail (articles + highlights)
	GoldStories int // gold stories with two or more articles
	Stories     int // stories the Clusterer made

	// Pairwise scores: a pair of articles is a positive when both are in
	// one story. Two BBC articles that are not one story by the gold
	// rule but share a verbatim passage of clusPassageWords words (a
	// follow-up that reuses the first report's paragraphs, which may or
	// may not be the same story) are left out of these scores: neither
	// merging nor separating them counts. Strict counts them as different
	// stories.
	GoldPairs, PredictedPairs, TruePairs int
	Precision, Recall, F1                float64
	Unjudged                             int // pairs left out as above
	StrictPrecision, StrictF1            float64

	BBCRecall, CNNRecall float64 // recall over the gold pairs of each part
	NearDuplicates       int     // articles that joined a story as a SimHash near-duplicate

	Missed, Merged []string // up to clusMaxExamples gold pairs split, and wrong pairs made, by corpus file name
}

// clusMaxExamples bounds the error examples a report carries.
const clusMaxExamples = 20

// clusJaccardSame is the word-3-shingle Jaccard similarity from which two
// BBC bodies count as the same story in the gold labels. Identical bodies
// score 1; the set's re-written versions of one story (a corrected figure,
// a paragraph added) score 0.6 to 0.95; different stories on one subject
// stay below 0.45.
const clusJaccardSame = 0.5

// clusPassageWords is the length of a shared verbatim word sequence that
// makes a pair of BBC articles a possible follow-up, left unjudged.
const clusPassageWords = 25

// clusItem is one article of the labelled set.
type clusItem struct {
	name string // corpus file name, for reports
	part string // "bbc" or "cnn"
	gold int    // gold story
	seq  int    // position in load order, the key of clusSet.unjudged
	a    story.Article
}

// EvalClusters builds the labelled set from the corpus under corpusDir,
// clusters it with the default options and scores the result.
func EvalClusters(corpusDir string) (ClusterReport, error) {
	set, err := clusLoad(corpusDir)
	if err != nil {
		return ClusterReport{}, err
	}
	return clusScore(set, story.Options{}), nil
}

// clusSet is the labelled set: articles in arrival order and the pairs
// (by seq, smaller first) whose gold label is unknown.
type clusSet struct {
	items    []clusItem
	unjudged map[[2]int]bool
}

// clusLoad reads the corpus and returns the labelled articles in arrival
// order: a fixed shuffle, IDs ascending with arrival, times spread evenly
// over one day, so every article is inside every other's window.
func clusLoad(dir string) (clusSet, error) {
	bbc, err := clusLoadBBC(filepath.Join(dir, "bbc-news-summary", "articles"))
	if err != nil {
		return clusSet{}, err
	}
	cnn, err := clusLoadCNN(filepath.Join(dir, "realsumm-cnndm"), len(bbc))
	if err != nil {
		return clusSet{}, err
	}
	items := append(bbc, cnn...)
	for i := range items {
		items[i].seq = i
	}
	return clusSet{items, clusSharedPassages(items)}.reorder(20240601), nil
}

// reorder returns the set in another arrival order, a shuffle fixed by
// seed: IDs ascend with arrival and times are spread evenly over one day,
// so every article is inside every other's window. Clustering is
// incremental, so its result depends on the order.
func (s clusSet) reorder(seed uint64) clusSet {
	items := slices.Clone(s.items)
	slices.SortFunc(items, func(a, b clusItem) int { return a.seq - b.seq })
	rng := rand.New(rand.NewPCG(seed, 7))
	rng.Shuffle(len(items), func(i, j int) { items[i], items[j] = items[j], items[i] })
	start := time.Date(2025, 3, 1, 6, 0, 0, 0, time.UTC)
	step := 24 * time.Hour / time.Duration(len(items))
	for i := range items {
		items[i].a.ID = int64(i + 1)
		items[i].a.Time = start.Add(time.Duration(i) * step)
	}
	return clusSet{items, s.unjudged}
}

// clusSharedPassages returns the pairs of BBC articles of different gold
// stories that share a run of clusPassageWords words.
func clusSharedPassages(items []clusItem) map[[2]int]bool {
	at := make(map[string][]int)
	for _, it := range items {
		if it.part != "bbc" {
			continue
		}
		w := clusWords(it.a.Body)
		seen := make(map[string]bool)
		for i := 0; i+clusPassageWords <= len(w); i++ {
			k := strings.Join(w[i:i+clusPassageWords], " ")
			if !seen[k] {
				seen[k] = true
				at[k] = append(at[k], it.seq)
			}
		}
	}
	out := make(map[[2]int]bool)
	for _, seqs := range at {
		for x := range seqs {
			for y := x + 1; y < len(seqs); y++ {
				a, b := seqs[x], seqs[y]
				if items[a].gold != items[b].gold {
					out[[2]int{min(a, b), max(a, b)}] = true
				}
			}
		}
	}
	return out
}

// clusMaxFile bounds one corpus file; the largest real one is a few
// hundred kilobytes.
const clusMaxFile = 8 << 20

func clusReadFile(path string) (string, error) {
	info, err := os.Stat(path)
	if err != nil {
		return "", fmt.Errorf("evaluate: cluster corpus: %w", err)
	}
	if info.Size() > clusMaxFile {
		return "", fmt.Errorf("evaluate: cluster corpus: %s is %d bytes, more than %d", path, info.Size(), clusMaxFile)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return "", fmt.Errorf("evaluate: cluster corpus: %w", err)
	}
	if !utf8.Valid(b) { // one file of the full BBC set is Latin-1
		rs := make([]rune, len(b))
		for i, c := range b {
			rs[i] = rune(c)
		}
		return string(rs), nil
	}
	return strings.ReplaceAll(string(b), "\r\n", "\n"), nil
}

// clusLoadBBC reads articles/<topic>/NNN.txt (title line, blank line,
// body) and labels as one story the articles whose titles are the same or
// whose bodies share at least clusJaccardSame of their word 3-shingles.
func clusLoadBBC(dir string) ([]clusItem, error) {
	var paths []string
	err := filepath.WalkDir(dir, func(path string, e fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !e.IsDir() && strings.HasSuffix(path, ".txt") {
			paths = append(paths, path)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("evaluate: cluster corpus: bbc: %w", err)
	}
	if len(paths) == 0 {
		return nil, fmt.Errorf("evaluate: cluster corpus: no articles under %s", dir)
	}
	slices.Sort(paths)
	items := make([]clusItem, 0, len(paths))
	shingles := make([]map[string]bool, 0, len(paths))
	for _, p := range paths {
		text, err := clusReadFile(p)
		if err != nil {
			return nil, err
		}
		title, body, _ := strings.Cut(text, "\n")
		rel, _ := filepath.Rel(dir, p)
		items = append(items, clusItem{
			name: "bbc/" + strings.TrimSuffix(filepath.ToSlash(rel), ".txt"),
			part: "bbc",
			a:    story.Article{Source: "bbc.co.uk", URL: "https://bbc.co.uk/news/" + filepath.ToSlash(rel), Title: strings.TrimSpace(title), Body: strings.TrimSpace(body), Language: "en"},
		})
		shingles = append(shingles, clusShingles(body))
	}

	// Union the articles that are one story: by title, then by shingle
	// overlap found through an inverted index.
	parent := make([]int, len(items))
	for i := range parent {
		parent[i] = i
	}
	var find func(int) int
	find = func(i int) int {
		for parent[i] != i {
			parent[i] = parent[parent[i]]
			i = parent[i]
		}
		return i
	}
	union := func(i, j int) { parent[find(i)] = find(j) }
	byTitle := make(map[string]int)
	for i, it := range items {
		k := strings.Join(strings.Fields(strings.ToLower(it.a.Title)), " ")
		if j, ok := byTitle[k]; ok {
			union(i, j)
		} else {
			byTitle[k] = i
		}
	}
	index := make(map[string][]int)
	for i, sh := range shingles {
		shared := make(map[int]int)
		for s := range sh {
			for _, j := range index[s] {
				shared[j]++
			}
			index[s] = append(index[s], i)
		}
		for j, n := range shared {
			if float64(n)/float64(len(sh)+len(shingles[j])-n) >= clusJaccardSame {
				union(i, j)
			}
		}
	}
	for i := range items {
		items[i].gold = find(i)
	}
	return items, nil
}

// clusShingles returns the set of lower-cased word 3-shingles of text.
func clusShingles(text string) map[string]bool {
	w := clusWords(text)
	out := make(map[string]bool, len(w))
	for i := 0; i+3 <= len(w); i++ {
		out[w[i]+" "+w[i+1]+" "+w[i+2]] = true
	}
	return out
}

// clusWords returns the lower-cased words of text.
func clusWords(text string) []string {
	return strings.FieldsFunc(strings.ToLower(text), func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r > 127)
	})
}

// clusLoadCNN reads src.txt and ref.txt: line i of each is one story,
// told by the article (outlet cnn.com) and by its highlights (outlet
// "highlights"). Gold story numbers start at base, after the BBC ones.
func clusLoadCNN(dir string, base int) ([]clusItem, error) {
	src, err := clusReadFile(filepath.Join(dir, "src.txt"))
	if err != nil {
		return nil, err
	}
	ref, err := clusReadFile(filepath.Join(dir, "ref.txt"))
	if err != nil {
		return nil, err
	}
	srcLines := clusLines(src)
	refLines := clusLines(ref)
	if len(srcLines) != len(refLines) || len(srcLines) == 0 {
		return nil, fmt.Errorf("evaluate: cluster corpus: cnndm: %d articles but %d references", len(srcLines), len(refLines))
	}
	var items []clusItem
	for i := range srcLines {
		n := fmt.Sprintf("%03d", i+1)
		items = append(items,
			clusItem{name: "cnn/src/" + n, part: "cnn", gold: base + i, a: story.Article{
				Source: "cnn.com", URL: "https://cnn.com/" + n, Body: clusStripTags(srcLines[i]), Language: "en"}},
			clusItem{name: "cnn/ref/" + n, part: "cnn", gold: base + i, a: story.Article{
				Source: "highlights", URL: "https://highlights.example/" + n, Body: clusStripTags(refLines[i]), Language: "en"}},
		)
	}
	return items, nil
}

func clusLines(s string) []string {
	var out []string
	for l := range strings.Lines(s) {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// clusStripTags removes the <t> and </t> sentence marks and puts a space
// after each sentence's final full stop, which the highlights lack.
func clusStripTags(s string) string {
	s = strings.ReplaceAll(s, "</t>", " ")
	s = strings.ReplaceAll(s, "<t>", " ")
	s = strings.ReplaceAll(s, " .", " . ")
	return strings.Join(strings.Fields(s), " ")
}

// clusScore clusters items in order and scores the stories against the
// gold labels.
func clusScore(set clusSet, opt story.Options) ClusterReport {
	items := set.items
	c := story.NewClusterer(opt)
	pred := make([]int64, len(items))
	for i, it := range items {
		pred[i], _ = c.Add(it.a)
	}
	r := ClusterReport{Articles: len(items), Stories: c.Len()}
	for _, st := range c.Stories() {
		for _, m := range st.Members {
			if m.NearDuplicate {
				r.NearDuplicates++
			}
		}
	}
	goldSize := make(map[int]int)
	for _, it := range items {
		switch it.part {
		case "bbc":
			r.BBC++
		case "cnn":
			r.CNN++
		}
		goldSize[it.gold]++
	}
	for _, n := range goldSize {
		if n > 1 {
			r.GoldStories++
		}
	}
	// Pairs, counted exactly over all i < j; the set is small enough.
	var goldPart, truePart = map[string]int{}, map[string]int{}
	falseUnjudged := 0 // unjudged pairs put in one story
	for i := range items {
		for j := i + 1; j < len(items); j++ {
			g := items[i].gold == items[j].gold
			p := pred[i] == pred[j]
			a, b := items[i].seq, items[j].seq
			if set.unjudged[[2]int{min(a, b), max(a, b)}] {
				r.Unjudged++
				if p {
					falseUnjudged++
				}
				continue
			}
			if g {
				r.GoldPairs++
				goldPart[items[i].part]++
			}
			if p {
				r.PredictedPairs++
			}
			switch {
			case g && p:
				r.TruePairs++
				truePart[items[i].part]++
			case g && len(r.Missed) < clusMaxExamples:
				r.Missed = append(r.Missed, items[i].name+" ~ "+items[j].name)
			case p && len(r.Merged) < clusMaxExamples:
				r.Merged = append(r.Merged, items[i].name+" ~ "+items[j].name)
			}
		}
	}
	r.Precision = clusRatio(r.TruePairs, r.PredictedPairs)
	r.Recall = clusRatio(r.TruePairs, r.GoldPairs)
	if r.Precision+r.Recall > 0 {
		r.F1 = 2 * r.Precision * r.Recall / (r.Precision + r.Recall)
	}
	r.StrictPrecision = clusRatio(r.TruePairs, r.PredictedPairs+falseUnjudged)
	if r.StrictPrecision+r.Recall > 0 {
		r.StrictF1 = 2 * r.StrictPrecision * r.Recall / (r.StrictPrecision + r.Recall)
	}
	r.BBCRecall = clusRatio(truePart["bbc"], goldPart["bbc"])
	r.CNNRecall = clusRatio(truePart["cnn"], goldPart["cnn"])
	return r
}

func clusRatio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// Table renders the report as a fixed-width table.
func (r ClusterReport) Table() string {
	var b strings.Builder
	fmt.Fprintf(&b, "story clustering: %d articles (%d BBC, %d CNN/DM), %d gold stories of 2+, %d stories made, %d near-duplicates\n",
		r.Articles, r.BBC, r.CNN, r.GoldStories, r.Stories, r.NearDuplicates)
	fmt.Fprintf(&b, "%-10s %9s %9s %9s %9s\n", "pairs", "gold", "predicted", "true", "unjudged")
	fmt.Fprintf(&b, "%-10s %9d %9d %9d %9d\n", "", r.GoldPairs, r.PredictedPairs, r.TruePairs, r.Unjudged)
	fmt.Fprintf(&b, "%-10s %9s %9s %9s %9s %9s\n", "", "precision", "recall", "F1", "recall-bbc", "recall-cnn")
	fmt.Fprintf(&b, "%-10s %9.4f %9.4f %9.4f %9.4f %9.4f\n", "pairwise", r.Precision, r.Recall, r.F1, r.BBCRecall, r.CNNRecall)
	fmt.Fprintf(&b, "%-10s %9.4f %9.4f %9.4f   (unjudged pairs counted as different stories)\n", "strict", r.StrictPrecision, r.Recall, r.StrictF1)
	for _, m := range r.Missed {
		fmt.Fprintf(&b, "missed  %s\n", m)
	}
	for _, m := range r.Merged {
		fmt.Fprintf(&b, "merged  %s\n", m)
	}
	return b.String()
}
