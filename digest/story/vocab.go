package story

// vocabTable maps a word's hash to its term. It is open addressing with
// linear probing over 16-byte slots, so that a lookup usually reads one
// cache line where a Go map reads two: looking words up is most of the
// cost of adding an article. It grows at half full and shrinks when the
// window's vocabulary does.
type vocabTable struct {
	slots []vslot // a power of two long; t == nil marks an empty slot
	n     int
}

type vslot struct {
	hash uint64
	t    *term
}

const minVocabSlots = 1024

func (v *vocabTable) home(h uint64) uint64 { return mix64(h) & uint64(len(v.slots)-1) }

// get returns the term stored under h, or nil.
func (v *vocabTable) get(h uint64) *term {
	if len(v.slots) == 0 {
		return nil
	}
	mask := uint64(len(v.slots) - 1)
	for i := v.home(h); v.slots[i].t != nil; i = (i + 1) & mask {
		if v.slots[i].hash == h {
			return v.slots[i].t
		}
	}
	return nil
}

// put stores t under h, which must not be present.
func (v *vocabTable) put(h uint64, t *term) {
	if 2*(v.n+1) > len(v.slots) {
		v.resize(max(2*len(v.slots), minVocabSlots))
	}
	mask := uint64(len(v.slots) - 1)
	i := v.home(h)
	for v.slots[i].t != nil {
		i = (i + 1) & mask
	}
	v.slots[i] = vslot{h, t}
	v.n++
}

// del removes the entry under h, if any, shifting later entries of its
// probe run back so that no tombstones are needed.
func (v *vocabTable) del(h uint64) {
	if len(v.slots) == 0 {
		return
	}
	mask := uint64(len(v.slots) - 1)
	i := v.home(h)
	for ; v.slots[i].hash != h || v.slots[i].t == nil; i = (i + 1) & mask {
		if v.slots[i].t == nil {
			return
		}
	}
	for j := (i + 1) & mask; v.slots[j].t != nil; j = (j + 1) & mask {
		k := v.home(v.slots[j].hash)
		// The entry at j may move to i unless its home lies cyclically
		// in (i, j].
		if i <= j && i < k && k <= j || i > j && (i < k || k <= j) {
			continue
		}
		v.slots[i] = v.slots[j]
		i = j
	}
	v.slots[i] = vslot{}
	v.n--
	if len(v.slots) > minVocabSlots && 8*v.n < len(v.slots) {
		v.resize(len(v.slots) / 2)
	}
}

func (v *vocabTable) resize(n int) {
	old := v.slots
	v.slots = make([]vslot, n)
	v.n = 0
	for _, s := range old {
		if s.t != nil {
			v.put(s.hash, s.t)
		}
	}
}
