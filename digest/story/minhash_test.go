package story

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"
	"time"
)

// sketchOf returns the MinHash sketch of text the way Clusterer makes it.
func sketchOf(text string) (sketch, bool) {
	var hs []uint64
	scanWords(text, nil, func(w []byte) { hs = append(hs, hashWord(stemPlural(w))) })
	return newSketch(hs)
}

func TestSketchSimilarity(t *testing.T) {
	s := newSynth(7)
	base := s.article(1, 1, 300, time.Time{}).Body
	other := s.article(2, 2, 300, time.Time{}).Body
	w := strings.Fields(base)
	oneWord := strings.Join(w[:150], " ") + " zzzz " + strings.Join(w[151:], " ")
	tests := []struct {
		name     string
		a, b     string
		min, max float64
	}{
		{"identical", base, base, 1, 1},
		{"case and spacing", base, strings.ToUpper(strings.ReplaceAll(base, " ", "  ")), 1, 1},
		{"one word changed", base, oneWord, 0.85, 1},
		{"credit line added", strikeBody, strikeBody + "\n\nReporting by the Coastal Press Agency.", 0.8, 1},
		{"different text", base, other, 0, 0.2},
		{"same subject, different event", strikeBody, busBody, 0, 0.2},
	}
	for _, tt := range tests {
		a, okA := sketchOf(tt.a)
		b, okB := sketchOf(tt.b)
		if !okA || !okB {
			t.Fatalf("%s: no sketch", tt.name)
		}
		if sim := a.similarity(&b); sim < tt.min || sim > tt.max {
			t.Errorf("%s: similarity %.3f, want %.2f..%.2f", tt.name, sim, tt.min, tt.max)
		}
	}
	if _, ok := sketchOf("too short to sketch"); ok {
		t.Error("a four-word text got a sketch")
	}
}

// TestSketchEstimate checks that the estimate tracks the true Jaccard
// similarity of shingle sets, including for short texts with empty bins.
func TestSketchEstimate(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, n := range []int{40, 200, 2000} {
		for _, keep := range []float64{0.2, 0.5, 0.9} {
			// Two word sequences that share a prefix of keep*n words.
			a := make([]uint64, n)
			b := make([]uint64, n)
			shared := int(keep * float64(n))
			for i := range a {
				a[i] = rng.Uint64()
				b[i] = a[i]
				if i >= shared {
					b[i] = rng.Uint64()
				}
			}
			sa, _ := newSketch(a)
			sb, _ := newSketch(b)
			common := max(shared-shingleWords+1, 0)
			total := n - shingleWords + 1
			want := float64(common) / float64(2*total-common)
			if got := sa.similarity(&sb); math.Abs(got-want) > 0.2 {
				t.Errorf("n=%d: estimate %.3f, true Jaccard %.3f", n, got, want)
			}
		}
	}
}

// TestSketchBands checks that near-duplicates share an LSH band.
func TestSketchBands(t *testing.T) {
	a, _ := sketchOf(strikeBody)
	b, _ := sketchOf(strikeBody + "\n\nReporting by the Coastal Press Agency.")
	shared := false
	for i := range sketchBands {
		shared = shared || a.bandKey(i) == b.bandKey(i)
	}
	if !shared {
		t.Error("near-duplicates share no band")
	}
	if a.bandKey(0) == a.bandKey(1) && a[0] == a[4] && a[1] == a[5] {
		t.Error("band number is not part of the key")
	}
}
