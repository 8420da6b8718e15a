package story

import (
	"math"
	"math/bits"
)

// Near-duplicate detection by MinHash. Each article's body is cut into
// overlapping shingles of three words; the sketch keeps, for each of 64
// bins, the smallest shingle hash that falls in it (one-permutation
// hashing, with empty bins filled from their neighbours). The share of
// bins two sketches agree on estimates the Jaccard similarity of their
// shingle sets, whatever the texts' lengths.
//
// An LSH index cuts a sketch into 16 bands of 4 bins. Two texts with
// Jaccard similarity J share at least one band with probability
// 1-(1-J⁴)¹⁶: 0.9998 at J = 0.8, 0.64 at J = 0.5, 0.0002 at J = 0.1; so
// looking up a sketch's 16 bands finds its near-duplicates among all open
// articles while touching few others. (SimHash was tried first: on texts
// of a few hundred words one added credit line moved fingerprints 8 bits
// apart, past any distance that stays precise.)

const (
	shingleWords   = 3
	minSketchWords = 32 // shorter texts give noisy sketches: leave them to the keyword overlap
	sketchBins     = 64
	sketchBands    = 16
	sketchRows     = sketchBins / sketchBands
)

// DefaultNearDuplicate is the estimated Jaccard similarity of word
// 3-shingles from which two bodies are near-duplicates.
const DefaultNearDuplicate = 0.8

type sketch [sketchBins]uint32

// newSketch returns the MinHash sketch of a text given the hashes of its
// words in order, or false when it has too few words.
func newSketch(hs []uint64) (sketch, bool) {
	var sk sketch
	if len(hs) < minSketchWords {
		return sk, false
	}
	var mins [sketchBins]uint64
	for i := range mins {
		mins[i] = math.MaxUint64
	}
	for i := 0; i+shingleWords <= len(hs); i++ {
		h := shingleHash(hs[i], hs[i+1], hs[i+2])
		b := h >> (64 - 6) // the top six bits pick the bin
		if v := h & (1<<58 - 1); v < mins[b] {
			mins[b] = v
		}
	}
	for i := range mins {
		if mins[i] != math.MaxUint64 {
			sk[i] = uint32(mins[i])
			continue
		}
		// Densify: borrow the next non-empty bin's value, mixed with the
		// distance, so that equal sets still give equal sketches.
		for d := 1; d < sketchBins; d++ {
			if v := mins[(i+d)%sketchBins]; v != math.MaxUint64 {
				sk[i] = uint32(mix64(v + uint64(d)*0x9E3779B97F4A7C15))
				break
			}
		}
	}
	return sk, true
}

// similarity estimates the Jaccard similarity of the texts behind a and b.
func (a *sketch) similarity(b *sketch) float64 {
	n := 0
	for i := range a {
		if a[i] == b[i] {
			n++
		}
	}
	return float64(n) / sketchBins
}

// bandKey returns the LSH key of band i of the sketch; the band number is
// part of the key, so one map holds all bands.
func (a *sketch) bandKey(i int) uint64 {
	r := a[i*sketchRows : (i+1)*sketchRows]
	return mix64(uint64(r[0])<<32|uint64(r[1])) ^ bits.RotateLeft64(mix64(uint64(r[2])<<32|uint64(r[3])^uint64(i)), 17)
}

// shingleHash combines the hashes of three consecutive words.
func shingleHash(a, b, c uint64) uint64 {
	return mix64(a*0x9E3779B97F4A7C15 ^ bits.RotateLeft64(b, 21) ^ bits.RotateLeft64(c, 42))
}

// mix64 is the SplitMix64 finaliser: it spreads every input bit over the
// whole word.
func mix64(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xBF58476D1CE4E5B9
	x ^= x >> 27
	x *= 0x94D049BB133111EB
	x ^= x >> 31
	return x
}

// hashWord is 64-bit FNV-1a.
func hashWord(w []byte) uint64 {
	h := uint64(14695981039346656037)
	for _, c := range w {
		h ^= uint64(c)
		h *= 1099511628211
	}
	return h
}
