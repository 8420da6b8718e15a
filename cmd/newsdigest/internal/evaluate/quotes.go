package evaluate

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/newsdigest/newsdigest/digest"
)

// QuoteReport is how quotation finding and speaker attribution score on
// PolNeAR and on the project's seed article.
type QuoteReport struct {
	Split     string // the PolNeAR split scored ("dev")
	Articles  int
	Gold      int // gold direct quotations
	Predicted int // quotations digest.Quotes found

	// Scores at the overlap thresholds in QuoteOverlaps. Lenient leaves
	// out predictions that fall inside a Content PolNeAR does not count as
	// a direct quote (a partial quote inside paraphrase); Strict counts
	// every unmatched prediction as wrong.
	Lenient []QuoteScore
	Strict  []QuoteScore

	// Speakers, judged on the quotations matched at the first threshold
	// (lenient): right when the predicted speaker mention overlaps the gold
	// Source span.
	SpeakerJudged int
	SpeakerRight  int
	SpeakerNoGold int // matched gold quotations without a Source span (judged right when none is predicted)

	TASS QuoteSeedReport
}

// QuoteOverlaps are the thresholds a predicted and a gold quotation must
// overlap by (shared characters over the longer span) to match.
var QuoteOverlaps = [...]float64{0.3, 0.8}

// QuoteScore is precision, recall and F1 at one overlap threshold.
type QuoteScore struct {
	Overlap    float64
	TP, FP, FN int
	Ignored    int // predictions neither right nor wrong (lenient only)
}

// Precision, Recall and F1 of a score; 0 when undefined.
func (s QuoteScore) Precision() float64 { return quoteRatio(s.TP, s.TP+s.FP) }
func (s QuoteScore) Recall() float64    { return quoteRatio(s.TP, s.TP+s.FN) }
func (s QuoteScore) F1() float64 {
	p, r := s.Precision(), s.Recall()
	if p+r == 0 {
		return 0
	}
	return 2 * p * r / (p + r)
}

// SpeakerAccuracy is the share of matched quotations with the right speaker.
func (r QuoteReport) SpeakerAccuracy() float64 { return quoteRatio(r.SpeakerRight, r.SpeakerJudged) }

func quoteRatio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// QuoteSeedReport checks the seed article against its hand-made gold.
type QuoteSeedReport struct {
	Gold         int      // gold quotations
	Found        int      // found with the right span (overlap >= 0.8)
	SpeakerRight int      // of those, with an acceptable speaker
	NotQuotes    int      // gold non-quotes (titles, nested words) wrongly reported as quotes
	Extra        int      // predictions matching no gold quotation
	KeyQuotes    []string // the key quotes chosen
	KeyFromGold  int      // how many of them the gold marks as key
	NotProse     int      // gold non-sentences recognised as furniture
	NotProseGold int
	Errors       []string // what went wrong, one line each
}

// EvalQuotes scores digest.Parse and digest.Quotes on PolNeAR's split
// (brat standoff under corpusDir/polnear/<split>) and checks the seed
// article corpusDir/seed against seed/quotes.json.
func EvalQuotes(corpusDir, split string) (QuoteReport, error) {
	r := QuoteReport{Split: split}
	arts, err := quoteLoadPolNeAR(filepath.Join(corpusDir, "polnear", split))
	if err != nil {
		return r, err
	}
	r.Articles = len(arts)
	r.Lenient = make([]QuoteScore, len(QuoteOverlaps))
	r.Strict = make([]QuoteScore, len(QuoteOverlaps))
	for i, o := range QuoteOverlaps {
		r.Lenient[i].Overlap, r.Strict[i].Overlap = o, o
	}
	for _, a := range arts {
		preds := quotePredict(a.text)
		r.Gold += len(a.gold)
		r.Predicted += len(preds)
		for i, o := range QuoteOverlaps {
			m := quoteMatch(preds, a.gold, o)
			sc := quoteScoreArticle(preds, a, m)
			r.Strict[i].TP += sc.TP
			r.Strict[i].FN += sc.FN
			r.Strict[i].FP += sc.FP + sc.Ignored
			r.Lenient[i].TP += sc.TP
			r.Lenient[i].FN += sc.FN
			r.Lenient[i].FP += sc.FP
			r.Lenient[i].Ignored += sc.Ignored
			if i != 0 {
				continue
			}
			for pi, gi := range m {
				if gi < 0 {
					continue
				}
				g := a.gold[gi]
				r.SpeakerJudged++
				p := preds[pi]
				if len(g.source) == 0 {
					r.SpeakerNoGold++
					if p.speakerStart < 0 {
						r.SpeakerRight++
					}
					continue
				}
				if p.speakerStart >= 0 && quoteSpansOverlap(p.speakerStart, p.speakerEnd, g.source) {
					r.SpeakerRight++
				}
			}
		}
	}
	seed, err := quoteEvalSeed(filepath.Join(corpusDir, "seed"))
	if err != nil {
		return r, err
	}
	r.TASS = seed
	return r, nil
}

// quotePred is a predicted quotation in code-point offsets.
type quotePred struct {
	start, end               int
	speakerStart, speakerEnd int // -1 none
}

// quotePredict runs the engine on an article and converts its offsets.
func quotePredict(text string) []quotePred {
	d := digest.Parse("", text)
	qs := digest.Quotes(d)
	offs := make([]int, 0, 4*len(qs))
	for _, q := range qs {
		offs = append(offs, q.Start, q.End, max(q.SpeakerStart, 0), max(q.SpeakerEnd, 0))
	}
	ro := digest.RuneOffsets(text, offs...)
	out := make([]quotePred, len(qs))
	for i, q := range qs {
		out[i] = quotePred{start: ro[4*i], end: ro[4*i+1], speakerStart: -1, speakerEnd: -1}
		if q.SpeakerStart >= 0 {
			out[i].speakerStart, out[i].speakerEnd = ro[4*i+2], ro[4*i+3]
		}
	}
	return out
}

// quoteMatch pairs predictions with gold quotations one to one, best
// overlaps first; m[i] is the gold index matched to prediction i, or -1.
func quoteMatch(preds []quotePred, gold []quoteGold, threshold float64) []int {
	type pair struct {
		p, g int
		o    float64
	}
	var pairs []pair
	for pi, p := range preds {
		for gi, g := range gold {
			shared := min(p.end, g.end) - max(p.start, g.start)
			if shared <= 0 {
				continue
			}
			o := float64(shared) / float64(max(p.end-p.start, g.end-g.start))
			if o >= threshold {
				pairs = append(pairs, pair{pi, gi, o})
			}
		}
	}
	sort.SliceStable(pairs, func(i, j int) bool { return pairs[i].o > pairs[j].o })
	m := make([]int, len(preds))
	for i := range m {
		m[i] = -1
	}
	used := make([]bool, len(gold))
	for _, pr := range pairs {
		if m[pr.p] < 0 && !used[pr.g] {
			m[pr.p] = pr.g
			used[pr.g] = true
		}
	}
	return m
}

// quoteScoreArticle counts one article's matches. A prediction matching
// nothing is Ignored when at least half of it lies inside a Content that
// PolNeAR does not count as a direct quotation.
func quoteScoreArticle(preds []quotePred, a quoteArticle, m []int) QuoteScore {
	var s QuoteScore
	for pi, gi := range m {
		if gi >= 0 {
			s.TP++
			continue
		}
		p := preds[pi]
		inside := 0
		for _, c := range a.otherContent {
			inside += max(0, min(p.end, c[1])-max(p.start, c[0]))
		}
		if 2*inside >= p.end-p.start {
			s.Ignored++
		} else {
			s.FP++
		}
	}
	s.FN = len(a.gold) - s.TP
	return s
}

func quoteSpansOverlap(s, e int, spans [][2]int) bool {
	for _, sp := range spans {
		if s < sp[1] && sp[0] < e {
			return true
		}
	}
	return false
}

// quoteArticle is a PolNeAR article with its gold direct quotations.
type quoteArticle struct {
	name         string
	text         string
	gold         []quoteGold
	otherContent [][2]int // Content fragments that are not direct quotations
}

// quoteGold is a gold direct quotation: the fragment's words without its
// marks, and the Source spans of its attribution, in code points.
type quoteGold struct {
	start, end int
	source     [][2]int
}

// quoteMaxFile bounds what the evaluator reads from one corpus file.
const quoteMaxFile = 16 << 20

func quoteReadFile(path string) (string, error) {
	st, err := os.Stat(path)
	if err != nil {
		return "", err
	}
	if st.Size() > quoteMaxFile {
		return "", fmt.Errorf("%s: %d bytes, more than %d", path, st.Size(), quoteMaxFile)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return "", err
	}
	return strings.ToValidUTF8(string(b), "\uFFFD"), nil
}

// quoteLoadPolNeAR reads a PolNeAR split: text/<name>.txt and, for each,
// the first of attributions/<name>_<annotator>.ann in name order.
func quoteLoadPolNeAR(dir string) ([]quoteArticle, error) {
	texts, err := filepath.Glob(filepath.Join(dir, "text", "*.txt"))
	if err != nil {
		return nil, fmt.Errorf("evaluate: polnear: %w", err)
	}
	if len(texts) == 0 {
		return nil, fmt.Errorf("evaluate: polnear: no articles under %s", dir)
	}
	anns, err := filepath.Glob(filepath.Join(dir, "attributions", "*.ann"))
	if err != nil {
		return nil, fmt.Errorf("evaluate: polnear: %w", err)
	}
	sort.Strings(anns)
	annFor := make(map[string]string)
	for _, a := range anns {
		base := strings.TrimSuffix(filepath.Base(a), ".ann")
		i := strings.LastIndexByte(base, '_')
		if i < 0 {
			continue
		}
		if _, ok := annFor[base[:i]]; !ok {
			annFor[base[:i]] = a
		}
	}
	sort.Strings(texts)
	var arts []quoteArticle
	for _, t := range texts {
		name := strings.TrimSuffix(filepath.Base(t), ".txt")
		ann, ok := annFor[name]
		if !ok {
			continue
		}
		text, err := quoteReadFile(t)
		if err != nil {
			return nil, fmt.Errorf("evaluate: polnear: %w", err)
		}
		a, err := quoteParseAnn(ann, text)
		if err != nil {
			return nil, fmt.Errorf("evaluate: polnear: %s: %w", filepath.Base(ann), err)
		}
		a.name = name
		arts = append(arts, a)
	}
	if len(arts) == 0 {
		return nil, fmt.Errorf("evaluate: polnear: no annotated articles under %s", dir)
	}
	return arts, nil
}

// quoteParseAnn reads a brat standoff file: text-bound annotations
// ("T3\tContent 115 290;300 310\t…") and events ("E1\tAttribution:T4
// Content:T3 Cue:T2 Source:T1"). Offsets are code points into text.
func quoteParseAnn(path, text string) (quoteArticle, error) {
	a := quoteArticle{text: text}
	f, err := os.Open(path)
	if err != nil {
		return a, err
	}
	defer f.Close()
	type tb struct {
		typ   string
		spans [][2]int
		text  string
	}
	tbs := make(map[string]tb)
	var events [][]string
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 64<<10), 4<<20)
	for sc.Scan() {
		line := sc.Text()
		fields := strings.Split(line, "\t")
		if len(fields) < 2 {
			continue
		}
		switch {
		case strings.HasPrefix(fields[0], "T"):
			typ, rest, ok := strings.Cut(fields[1], " ")
			if !ok {
				return a, fmt.Errorf("bad text-bound line %q", line)
			}
			var spans [][2]int
			for _, part := range strings.Split(rest, ";") {
				s, e, ok := strings.Cut(strings.TrimSpace(part), " ")
				if !ok {
					return a, fmt.Errorf("bad span %q", part)
				}
				si, err1 := strconv.Atoi(s)
				ei, err2 := strconv.Atoi(e)
				if err := errors.Join(err1, err2); err != nil || si > ei {
					return a, fmt.Errorf("bad span %q", part)
				}
				spans = append(spans, [2]int{si, ei})
			}
			t := tb{typ: typ, spans: spans}
			if len(fields) > 2 {
				t.text = fields[2]
			}
			tbs[fields[0]] = t
		case strings.HasPrefix(fields[0], "E"):
			events = append(events, strings.Fields(fields[1]))
		}
	}
	if err := sc.Err(); err != nil {
		return a, err
	}
	runes := []rune(text)
	frag := func(sp [2]int) string {
		s, e := min(max(sp[0], 0), len(runes)), min(max(sp[1], 0), len(runes))
		return string(runes[s:e])
	}
	for _, ev := range events {
		var contents []tb
		var source [][2]int
		for _, arg := range ev {
			role, id, ok := strings.Cut(arg, ":")
			if !ok {
				continue
			}
			t, ok := tbs[id]
			if !ok {
				continue
			}
			switch {
			case strings.HasPrefix(role, "Content"):
				contents = append(contents, t)
			case strings.HasPrefix(role, "Source"):
				source = append(source, t.spans...)
			}
		}
		for _, c := range contents {
			direct := strings.HasPrefix(c.text, "\"") || strings.HasPrefix(c.text, "“")
			for _, sp := range c.spans {
				ft := frag(sp)
				if !direct || !(strings.HasPrefix(ft, "\"") || strings.HasPrefix(ft, "“")) {
					a.otherContent = append(a.otherContent, sp)
					continue
				}
				s, e := quoteStripMarks(ft, sp[0], sp[1])
				if s < e {
					a.gold = append(a.gold, quoteGold{start: s, end: e, source: source})
				}
			}
		}
	}
	return a, nil
}

// quoteStripMarks narrows a gold fragment [s,e) (code points) whose text is
// ft to the words inside its quotation marks.
func quoteStripMarks(ft string, s, e int) (int, int) {
	trim := func(r rune) bool { return r == ' ' || r == '\n' || r == '\t' || r == '\u00a0' }
	for ft != "" {
		r, n := utf8.DecodeRuneInString(ft)
		if !trim(r) && r != '"' && r != '“' {
			break
		}
		ft = ft[n:]
		s++
	}
	for ft != "" {
		r, n := utf8.DecodeLastRuneInString(ft)
		if !trim(r) && r != '"' && r != '”' {
			break
		}
		ft = ft[:len(ft)-n]
		e--
	}
	return s, e
}

// quoteSeedGold is seed/quotes.json.
type quoteSeedGold struct {
	Article  string              `json:"article"`
	Speakers map[string][]string `json:"speakers"`
	NotQuote []struct {
		Text string `json:"text"`
	} `json:"not_quotes"`
	NotSentences []struct {
		Text string `json:"text"`
	} `json:"not_sentences"`
	Quotes []struct {
		Text       string   `json:"text"`
		StartRune  int      `json:"start_rune"`
		EndRune    int      `json:"end_rune"`
		Speaker    string   `json:"speaker"`
		Cue        string   `json:"cue"`
		Kind       string   `json:"kind"`
		Key        bool     `json:"key"`
		Acceptable []string `json:"also_acceptable_speakers"`
	} `json:"quotes"`
}

// quoteEvalSeed checks the seed article: every gold quotation found with an
// acceptable speaker, no title or nested phrase taken for a quotation, key
// quotes only from the gold's key set, furniture recognised.
func quoteEvalSeed(dir string) (QuoteSeedReport, error) {
	var r QuoteSeedReport
	raw, err := quoteReadFile(filepath.Join(dir, "quotes.json"))
	if err != nil {
		return r, fmt.Errorf("evaluate: seed: %w", err)
	}
	var g quoteSeedGold
	if err := json.Unmarshal([]byte(raw), &g); err != nil {
		return r, fmt.Errorf("evaluate: seed: quotes.json: %w", err)
	}
	text, err := quoteReadFile(filepath.Join(dir, filepath.Base(g.Article)))
	if err != nil {
		return r, fmt.Errorf("evaluate: seed: %w", err)
	}
	d := digest.Parse("", text)
	qs := digest.Quotes(d)
	offs := make([]int, 0, 2*len(qs))
	for _, q := range qs {
		offs = append(offs, q.Start, q.End)
	}
	ro := digest.RuneOffsets(text, offs...)
	preds := make([]quotePred, len(qs))
	for i := range qs {
		preds[i] = quotePred{start: ro[2*i], end: ro[2*i+1], speakerStart: -1, speakerEnd: -1}
	}
	gold := make([]quoteGold, len(g.Quotes))
	for i, q := range g.Quotes {
		gold[i] = quoteGold{start: q.StartRune, end: q.EndRune}
	}
	r.Gold = len(gold)
	m := quoteMatch(preds, gold, 0.8)
	found := make([]bool, len(gold))
	for pi, gi := range m {
		if gi < 0 {
			r.Extra++
			r.Errors = append(r.Errors, fmt.Sprintf("not a gold quote: %q", qs[pi].Text))
			for _, nq := range g.NotQuote {
				if strings.Contains(qs[pi].Text, nq.Text) || strings.Contains(nq.Text, qs[pi].Text) {
					r.NotQuotes++
				}
			}
			continue
		}
		found[gi] = true
		r.Found++
		gq := g.Quotes[gi]
		if quoteSpeakerOK(qs[pi].Speaker, gq.Speaker, gq.Acceptable, g.Speakers) {
			r.SpeakerRight++
		} else {
			r.Errors = append(r.Errors, fmt.Sprintf("speaker of %q: got %q, want %q", gq.Text, qs[pi].Speaker, gq.Speaker))
		}
	}
	for gi, ok := range found {
		if !ok {
			r.Errors = append(r.Errors, fmt.Sprintf("missed %q", g.Quotes[gi].Text))
		}
	}
	for _, k := range digest.KeyQuotes(d, qs, 2) {
		r.KeyQuotes = append(r.KeyQuotes, k.Text)
		ks := digest.RuneOffsets(text, k.Quote.Start, k.Quote.End)
		ok := false
		for _, gq := range g.Quotes {
			if gq.Key && gq.StartRune == ks[0] && gq.EndRune == ks[1] {
				ok = true
			}
		}
		if ok {
			r.KeyFromGold++
		} else {
			r.Errors = append(r.Errors, fmt.Sprintf("key quote not in the gold key set: %q", k.Text))
		}
	}
	r.NotProseGold = len(g.NotSentences)
	for _, ns := range g.NotSentences {
		ok := false
		for i, s := range d.Sentences {
			if s.Kind != digest.Prose && strings.TrimSpace(d.SentenceText(i)) == ns.Text {
				ok = true
			}
		}
		if ok {
			r.NotProse++
		} else {
			r.Errors = append(r.Errors, fmt.Sprintf("not recognised as furniture: %q", ns.Text))
		}
	}
	return r, nil
}

// quoteSpeakerOK accepts the gold speaker, one of its aliases, or one of the
// alternatives the gold allows, compared without regard to case.
func quoteSpeakerOK(got, want string, acceptable []string, aliases map[string][]string) bool {
	if strings.EqualFold(got, want) {
		return true
	}
	for _, a := range acceptable {
		if strings.EqualFold(got, a) {
			return true
		}
	}
	for _, a := range aliases[want] {
		if strings.EqualFold(got, a) && got != "" && !strings.EqualFold(a, "he") && !strings.EqualFold(a, "she") {
			return true
		}
	}
	return false
}

// Table prints the report for a terminal.
func (r QuoteReport) Table() string {
	var b strings.Builder
	fmt.Fprintf(&b, "PolNeAR %s: %d articles, %d gold direct quotes, %d predicted\n", r.Split, r.Articles, r.Gold, r.Predicted)
	fmt.Fprintf(&b, "  %-8s %-8s %6s %6s %6s %6s %6s %6s %7s\n", "rule", "overlap", "P", "R", "F1", "TP", "FP", "FN", "ignored")
	for i := range r.Lenient {
		for _, row := range []struct {
			name string
			s    QuoteScore
		}{{"lenient", r.Lenient[i]}, {"strict", r.Strict[i]}} {
			fmt.Fprintf(&b, "  %-8s %-8.1f %6.3f %6.3f %6.3f %6d %6d %6d %7d\n", row.name, row.s.Overlap,
				row.s.Precision(), row.s.Recall(), row.s.F1(), row.s.TP, row.s.FP, row.s.FN, row.s.Ignored)
		}
	}
	fmt.Fprintf(&b, "  speaker accuracy %.3f (%d of %d matched at overlap %.1f; %d gold quotes have no Source)\n",
		r.SpeakerAccuracy(), r.SpeakerRight, r.SpeakerJudged, QuoteOverlaps[0], r.SpeakerNoGold)
	t := r.TASS
	fmt.Fprintf(&b, "Seed article: %d/%d quotes found, %d/%d speakers right, %d non-quotes taken as quotes, %d extra\n",
		t.Found, t.Gold, t.SpeakerRight, t.Found, t.NotQuotes, t.Extra)
	fmt.Fprintf(&b, "  key quotes: %d chosen, %d from the gold key set; furniture recognised: %d/%d\n",
		len(t.KeyQuotes), t.KeyFromGold, t.NotProse, t.NotProseGold)
	for _, e := range t.Errors {
		fmt.Fprintf(&b, "  - %s\n", e)
	}
	return b.String()
}
