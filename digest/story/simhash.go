package story

import "math/bits"

// SimHash near-duplicate detection. Each article's body is cut into
// overlapping shingles of three words; the fingerprint's bit b is set when
// more shingle hashes have bit b set than not. Texts that share most
// shingles get fingerprints a few bits apart.
//
// The banded index splits a fingerprint into four 16-bit bands. Two
// fingerprints at most three bits apart agree exactly on at least one band
// (pigeonhole), so looking up the four bands of a new fingerprint finds
// every such neighbour while touching only a sliver of the open articles.

const (
	shingleWords    = 3
	minSimhashWords = 24 // shorter texts give noisy fingerprints: leave them to the cosine
	simhashBands    = 4
	maxHamming      = simhashBands - 1 // the largest distance the banded index guarantees to find
)

// spreadTable maps a byte to a word with bit i of the byte at bit 8i, so
// that eight bit counters advance with one addition.
type spreadTable [256]uint64

func newSpreadTable() *spreadTable {
	var t spreadTable
	for b := range t {
		for i := range 8 {
			if b&(1<<i) != 0 {
				t[b] |= 1 << (8 * i)
			}
		}
	}
	return &t
}

// simhash returns the fingerprint of a text given the hashes of its words
// in order, or false when it has too few words for a stable fingerprint.
func (sp *spreadTable) simhash(hs []uint64) (uint64, bool) {
	if len(hs) < minSimhashWords {
		return 0, false
	}
	n := len(hs) - shingleWords + 1
	var counts [64]int32
	var lanes [8]uint64 // byte lanes: lanes[j] byte i counts bit 8j+i
	pending := 0
	flush := func() {
		for j, l := range lanes {
			for i := range 8 {
				counts[8*j+i] += int32(l >> (8 * i) & 0xFF)
			}
			lanes[j] = 0
		}
		pending = 0
	}
	for i := range n {
		h := mix64(hs[i]*0x9E3779B97F4A7C15 ^ bits.RotateLeft64(hs[i+1], 21) ^ bits.RotateLeft64(hs[i+2], 42))
		for j := range lanes {
			lanes[j] += sp[byte(h>>(8*j))]
		}
		pending++
		if pending == 255 {
			flush()
		}
	}
	flush()
	var fp uint64
	for b, c := range counts {
		if 2*int(c) > n {
			fp |= 1 << b
		}
	}
	return fp, true
}

// mix64 is the SplitMix64 finaliser: it spreads every input bit over the
// whole word, which SimHash needs of its shingle hashes.
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
	for i := 0; i < len(w); i++ {
		h ^= uint64(w[i])
		h *= 1099511628211
	}
	return h
}

func band(fp uint64, i int) uint16 { return uint16(fp >> (16 * i)) }

func hamming(a, b uint64) int { return bits.OnesCount64(a ^ b) }
