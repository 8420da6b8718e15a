// Package evaluate scores the engine against the evaluation corpora in
// shared/corpus: summaries against reference summaries with ROUGE,
// quotations and their speakers against gold attributions, stories
// against labelled clusters. It reads files; the scoring itself lives in
// package digest.
package evaluate

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/newsdigest/newsdigest/digest"
)

// SummaryReport is how the summariser and its baselines score on the
// summarisation corpora.
type SummaryReport struct {
	Corpora []SummaryCorpus
}

// SummaryCorpus is one corpus's results at each summary length.
type SummaryCorpus struct {
	Name      string
	Documents int
	Settings  []SummarySetting
}

// SummarySetting is one summary length: the systems' mean scores and the
// engine's difference from each baseline.
type SummarySetting struct {
	Name    string // "3 sentences", "reference length"
	Systems []SummarySystem
	Diffs   []SummaryDiff
}

// SummarySystem is one system's mean F1 (×100) with stemming.
type SummarySystem struct {
	Name          string
	R1, R2, RLsum float64
	// per-document F1 (×100), for the bootstrap
	perR1, perR2, perRLsum []float64
}

// SummaryDiff is the engine's score minus a baseline's, per measure, with
// a 95 % paired bootstrap confidence interval (×100).
type SummaryDiff struct {
	Name          string // "Engine − TextRank"
	R1, R2, RLsum digest.BootstrapCI
}

// SummaryOption changes how EvalSummaries runs.
type SummaryOption func(*summConfig)

type summConfig struct {
	limit     int    // at most this many articles per corpus; 0 is all
	resamples int    // bootstrap resamples
	seed      uint64 // bootstrap seed
}

// WithSummaryLimit evaluates at most n articles of each corpus, taken
// evenly across it (every k-th), so a subset is the same every run.
func WithSummaryLimit(n int) SummaryOption { return func(c *summConfig) { c.limit = n } }

// WithBootstrap sets the number of bootstrap resamples and the seed.
func WithBootstrap(resamples int, seed uint64) SummaryOption {
	return func(c *summConfig) { c.resamples, c.seed = resamples, seed }
}

// summCorpusSpec names a corpus, where it lives and how to read it.
type summCorpusSpec struct {
	name string
	dir  string
	load func(string) ([]summPair, error)
}

// EvalSummaries scores Lead-N, TextRank and the engine (digest.Summarize)
// against the reference summaries of BBC News Summary and the REALSumm
// CNN/DailyMail sample under corpusDir, each at 3 sentences and at the
// reference's own sentence count, with ROUGE-1, -2 and -Lsum F1 with
// stemming. A corpus that is absent is left out; none at all is an error.
func EvalSummaries(corpusDir string, opts ...SummaryOption) (SummaryReport, error) {
	cfg := summConfig{resamples: 1000, seed: 1}
	for _, o := range opts {
		o(&cfg)
	}
	specs := []summCorpusSpec{
		{"BBC News Summary", "bbc-news-summary", summLoadBBC},
		{"CNN/DailyMail (REALSumm sample)", "realsumm-cnndm", summLoadCNNDM},
	}
	var rep SummaryReport
	for _, s := range specs {
		dir := filepath.Join(corpusDir, s.dir)
		if _, err := os.Stat(dir); errors.Is(err, os.ErrNotExist) {
			continue
		}
		pairs, err := s.load(dir)
		if err != nil {
			return SummaryReport{}, err
		}
		pairs = summSubset(pairs, cfg.limit)
		if len(pairs) == 0 {
			return SummaryReport{}, fmt.Errorf("evaluate: %s: no article with a reference summary", s.name)
		}
		rep.Corpora = append(rep.Corpora, summEvalCorpus(s.name, pairs, cfg))
	}
	if len(rep.Corpora) == 0 {
		return SummaryReport{}, fmt.Errorf("evaluate: no summarisation corpus under %s", corpusDir)
	}
	return rep, nil
}

// summSubset keeps n pairs spread evenly over the list.
func summSubset(pairs []summPair, n int) []summPair {
	if n <= 0 || n >= len(pairs) {
		return pairs
	}
	out := make([]summPair, 0, n)
	for i := range n {
		out = append(out, pairs[i*len(pairs)/n])
	}
	return out
}

// summSystem picks k sentence indexes of a document.
type summSystem struct {
	name string
	pick func(d *digest.Document, k int) []int
}

func summSystems(leadName string) []summSystem {
	return []summSystem{
		{leadName, digest.Lead},
		{"TextRank", digest.TextRank},
		{"Engine", func(d *digest.Document, k int) []int {
			return digest.Summarize(d, digest.SummaryOptions{Sentences: k})
		}},
	}
}

func summEvalCorpus(name string, pairs []summPair, cfg summConfig) SummaryCorpus {
	c := SummaryCorpus{Name: name, Documents: len(pairs)}
	refLen := 0
	for _, p := range pairs {
		refLen += len(p.ref)
	}
	lengths := []struct {
		name string
		lead string
		k    func(p summPair) int
	}{
		{"3 sentences", "Lead-3", func(summPair) int { return 3 }},
		{fmt.Sprintf("reference length (%.1f sentences on average)", float64(refLen)/float64(len(pairs))),
			"Lead-N", func(p summPair) int { return len(p.ref) }},
	}
	for _, l := range lengths {
		set := SummarySetting{Name: l.name}
		for _, sys := range summSystems(l.lead) {
			res := SummarySystem{Name: sys.name}
			for _, p := range pairs {
				idx := sys.pick(p.doc, l.k(p))
				pred := strings.Join(digest.SummaryText(p.doc, idx), "\n")
				r := digest.Rouge(strings.Join(p.ref, "\n"), pred, true)
				res.perR1 = append(res.perR1, 100*r.R1.F)
				res.perR2 = append(res.perR2, 100*r.R2.F)
				res.perRLsum = append(res.perRLsum, 100*r.Lsum.F)
			}
			res.R1, res.R2, res.RLsum = summMean(res.perR1), summMean(res.perR2), summMean(res.perRLsum)
			set.Systems = append(set.Systems, res)
		}
		engine := set.Systems[len(set.Systems)-1]
		for _, base := range set.Systems[:len(set.Systems)-1] {
			ci := func(a, b []float64) digest.BootstrapCI {
				return digest.BootstrapDiff(a, b, cfg.resamples, 0.95, cfg.seed)
			}
			set.Diffs = append(set.Diffs, SummaryDiff{
				Name:  "Engine - " + base.Name,
				R1:    ci(engine.perR1, base.perR1),
				R2:    ci(engine.perR2, base.perR2),
				RLsum: ci(engine.perRLsum, base.perRLsum),
			})
		}
		c.Settings = append(c.Settings, set)
	}
	return c
}

func summMean(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := 0.0
	for _, x := range xs {
		s += x
	}
	return s / float64(len(xs))
}

// System returns the named system's scores at the named setting of the
// named corpus, and false when there is none.
func (r SummaryReport) System(corpus, setting, system string) (SummarySystem, bool) {
	for _, c := range r.Corpora {
		if !strings.HasPrefix(c.Name, corpus) {
			continue
		}
		for _, s := range c.Settings {
			if !strings.HasPrefix(s.Name, setting) {
				continue
			}
			for _, sys := range s.Systems {
				if sys.Name == system {
					return sys, true
				}
			}
		}
	}
	return SummarySystem{}, false
}

// Table renders the report as a plain-text table: mean ROUGE F1 ×100 and,
// for the engine against each baseline, the difference with its 95 %
// bootstrap interval.
func (r SummaryReport) Table() string {
	var b strings.Builder
	for i, c := range r.Corpora {
		if i > 0 {
			b.WriteByte('\n')
		}
		fmt.Fprintf(&b, "%s: %d articles; ROUGE F1 x100, stemmed\n", c.Name, c.Documents)
		fmt.Fprintf(&b, "  %-22s %-24s %-24s %-24s\n", "", "ROUGE-1", "ROUGE-2", "ROUGE-Lsum")
		for _, s := range c.Settings {
			fmt.Fprintf(&b, "  %s\n", s.Name)
			for _, sys := range s.Systems {
				fmt.Fprintf(&b, "    %-20s %-24s %-24s %-24s\n", sys.Name,
					fmt.Sprintf("%.2f", sys.R1), fmt.Sprintf("%.2f", sys.R2), fmt.Sprintf("%.2f", sys.RLsum))
			}
			for _, d := range s.Diffs {
				fmt.Fprintf(&b, "    %-20s %-24s %-24s %-24s\n", d.Name, summCI(d.R1), summCI(d.R2), summCI(d.RLsum))
			}
		}
	}
	return b.String()
}

func summCI(c digest.BootstrapCI) string {
	return fmt.Sprintf("%+.2f [%+.2f, %+.2f]", c.Mean, c.Lo, c.Hi)
}
