package story

import (
	"math/rand/v2"
	"testing"
)

// TestVocabTable runs random puts and deletes against a Go map, with
// hashes from a small range so that probe runs collide and wrap.
func TestVocabTable(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	var v vocabTable
	want := make(map[uint64]*term)
	for step := range 200000 {
		h := rng.Uint64N(5000)
		if _, ok := want[h]; ok && rng.IntN(3) > 0 {
			v.del(h)
			delete(want, h)
		} else if !ok {
			tm := &term{hash: h}
			v.put(h, tm)
			want[h] = tm
		}
		if step%997 == 0 {
			for k, tm := range want {
				if got := v.get(k); got != tm {
					t.Fatalf("step %d: get(%d) = %p, want %p", step, k, got, tm)
				}
			}
			if v.n != len(want) {
				t.Fatalf("step %d: %d entries, want %d", step, v.n, len(want))
			}
		}
		if got := v.get(h); got != want[h] {
			t.Fatalf("step %d: get(%d) = %p, want %p", step, h, got, want[h])
		}
	}
	for k := range want {
		v.del(k)
	}
	if v.n != 0 || len(v.slots) != minVocabSlots {
		t.Errorf("emptied table: %d entries in %d slots", v.n, len(v.slots))
	}
	v.del(42) // absent: no effect
}
