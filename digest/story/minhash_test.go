package story

import (
	"math/rand/v2"
	"strings"
	"testing"
	"time"
)

// fingerprint returns the SimHash of text the way Clusterer computes it.
func fingerprint(sp *spreadTable, text string) (uint64, bool) {
	var hs []uint64
	scanWords(text, nil, func(w []byte) { hs = append(hs, hashWord(stemPlural(w))) })
	return sp.simhash(hs)
}

func TestSimhash(t *testing.T) {
	sp := newSpreadTable()
	s := newSynth(7)
	base := s.article(1, 1, 400, time.Time{}).Body
	other := s.article(2, 2, 400, time.Time{}).Body
	w := strings.Fields(base)
	oneWord := strings.Join(append(append([]string{}, w[:200]...), append([]string{"zzzz"}, w[201:]...)...), " ")
	tests := []struct {
		name    string
		a, b    string
		maxDist int // -1: want more than 3
	}{
		{"identical", base, base, 0},
		{"case and spacing", base, strings.ToUpper(strings.ReplaceAll(base, " ", "  ")), 0},
		{"one word changed", base, oneWord, 3},
		{"appended sentence", base, base + " Reporting by the wire service.", 3},
		{"different text", base, other, -1},
	}
	for _, tt := range tests {
		fa, okA := fingerprint(sp, tt.a)
		fb, okB := fingerprint(sp, tt.b)
		if !okA || !okB {
			t.Fatalf("%s: no fingerprint", tt.name)
		}
		d := hamming(fa, fb)
		if tt.maxDist >= 0 && d > tt.maxDist || tt.maxDist < 0 && d <= maxHamming {
			t.Errorf("%s: distance %d; want at most %d (-1: more than %d)", tt.name, d, tt.maxDist, maxHamming)
		}
	}
	if _, ok := fingerprint(sp, "too short to fingerprint"); ok {
		t.Error("a five-word text got a fingerprint")
	}
}

// TestBandsFindNeighbours checks the banded index's guarantee: any two
// fingerprints within maxHamming bits agree on at least one band.
func TestBandsFindNeighbours(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for range 10000 {
		a := rng.Uint64()
		b := a
		for range rng.IntN(maxHamming + 1) {
			b ^= 1 << rng.IntN(64)
		}
		shared := false
		for i := range simhashBands {
			shared = shared || band(a, i) == band(b, i)
		}
		if !shared {
			t.Fatalf("%016x and %016x are %d bits apart but share no band", a, b, hamming(a, b))
		}
	}
}

// TestSpreadCounts checks the byte-lane bit counting against a plain
// count over more than 255 shingles, where the lanes must flush.
func TestSpreadCounts(t *testing.T) {
	sp := newSpreadTable()
	rng := rand.New(rand.NewPCG(3, 4))
	hs := make([]uint64, 1000)
	for i := range hs {
		hs[i] = rng.Uint64()
	}
	got, _ := sp.simhash(hs)
	var counts [64]int
	n := len(hs) - shingleWords + 1
	for i := range n {
		h := mix64(hs[i]*0x9E3779B97F4A7C15 ^ rotl(hs[i+1], 21) ^ rotl(hs[i+2], 42))
		for b := range 64 {
			counts[b] += int(h >> b & 1)
		}
	}
	var want uint64
	for b, c := range counts {
		if 2*c > n {
			want |= 1 << b
		}
	}
	if got != want {
		t.Errorf("simhash = %016x, plain count gives %016x", got, want)
	}
}

func rotl(x uint64, k int) uint64 { return x<<k | x>>(64-k) }
