package evaluate

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestQuoteDbg(t *testing.T) {
	mode := os.Getenv("QDBG")
	if mode == "" {
		t.Skip()
	}
	arts, _ := quoteLoadPolNeAR(filepath.Join("/work/shared/corpus/polnear", "dev"))
	for _, a := range arts {
		rs := []rune(a.text)
		ctx := func(s, e int) string {
			s0, e0 := max(s-120, 0), min(e+120, len(rs))
			return strings.ReplaceAll(string(rs[s0:s])+"【"+string(rs[s:e])+"】"+string(rs[e:e0]), "\n", "¶")
		}
		preds := quotePredict(a.text)
		m := quoteMatch(preds, a.gold, 0.3)
		sc := quoteScoreArticle(preds, a, m)
		_ = sc
		used := map[int]bool{}
		for pi, gi := range m {
			p := preds[pi]
			if gi < 0 {
				inside := 0
				for _, c := range a.otherContent {
					inside += max(0, min(p.end, c[1])-max(p.start, c[0]))
				}
				if 2*inside < p.end-p.start && mode == "fp" {
					fmt.Printf("FP %s\n   %s\n", a.name, ctx(p.start, p.end))
				}
				continue
			}
			used[gi] = true
			g := a.gold[gi]
			if mode == "spk" {
				ok := len(g.source) == 0 && p.speakerStart < 0 || p.speakerStart >= 0 && quoteSpansOverlap(p.speakerStart, p.speakerEnd, g.source)
				if !ok {
					ps := "-"
					if p.speakerStart >= 0 {
						ps = string(rs[p.speakerStart:p.speakerEnd])
					}
					gs := ""
					for _, s := range g.source {
						gs += string(rs[s[0]:s[1]]) + "|"
					}
					fmt.Printf("SPK %s pred=%q gold=%q\n   %s\n", a.name, ps, gs, ctx(p.start, p.end))
				}
			}
		}
		if mode == "fn" {
			for gi, g := range a.gold {
				if !used[gi] {
					fmt.Printf("FN %s\n   %s\n", a.name, ctx(g.start, g.end))
				}
			}
		}
	}
}
