package story

// tokens is what Add reads from an article's text: its distinct non-stop
// words in order of first appearance (title, then lede, then body) with
// their counts in each field, its names and figures, and the MinHash
// sketch of its body. Reading them needs only the text and the stopword
// list, nothing the Clusterer changes, so several articles can be read at
// once (see AddAll); and Add then looks the distinct words up in the
// vocabulary in one tight loop, whose memory reads overlap, rather than
// one at a time between the scanning of words.
type tokens struct {
	words             []byte // the distinct words, back to back
	dist              []distinctWord
	titleEnd, ledeEnd int     // dist[:titleEnd] are in the title, dist[:ledeEnd] in the title or lede
	names, figures    []int32 // indexes into dist, in order of appearance
	sk                sketch
	hasSketch         bool

	// Scratch.
	table    []int32 // open addressing by hash: 1 + index into dist, 0 empty
	hashes   []uint64
	buf      []byte
	nameBuf  []byte
	nameWord []byte
	named    []bool // by index into dist: among names or figures already
}

// distinctWord is one distinct word of an article.
type distinctWord struct {
	hash   uint64
	off, n uint32 // its bytes in tokens.words
	tf     [3]int32
}

func (d *distinctWord) word(tk *tokens) []byte { return tk.words[d.off : d.off+d.n] }

// Fields of an article, indexes into distinctWord.tf.
const (
	fieldTitle = iota
	fieldLede
	fieldBody
)

// read fills tk from an article's title, lede and body, already clipped
// to what Add reads of them.
func (tk *tokens) read(stop *stopSet, title, lede, body string) {
	tk.words, tk.dist = tk.words[:0], tk.dist[:0]
	tk.names, tk.figures = tk.names[:0], tk.figures[:0]
	tk.hashes = tk.hashes[:0]
	if len(tk.table) == 0 {
		tk.table = make([]int32, 1024)
	} else {
		clear(tk.table)
	}
	field := fieldTitle
	visit := func(w []byte) {
		w = stemPlural(w)
		h := hashWord(w)
		if field == fieldBody {
			tk.hashes = append(tk.hashes, h)
		}
		if stop.has(w, h) {
			return
		}
		tk.dist[tk.index(w, h, true)].tf[field]++
	}
	tk.buf = scanWords(title, tk.buf, visit)
	tk.titleEnd = len(tk.dist)
	field = fieldLede
	tk.buf = scanWords(lede, tk.buf, visit)
	tk.ledeEnd = len(tk.dist)
	field = fieldBody
	tk.buf = scanWords(body, tk.buf, visit)
	tk.sk, tk.hasSketch = newSketch(tk.hashes)
	tk.findNames(stop, lede, body)
}

// index returns the index in dist of w, whose hashWord is h, adding it if
// add is set, or -1.
func (tk *tokens) index(w []byte, h uint64, add bool) int {
	mask := uint64(len(tk.table) - 1)
	i := h & mask
	for ; tk.table[i] != 0; i = (i + 1) & mask {
		if d := &tk.dist[tk.table[i]-1]; d.hash == h && string(d.word(tk)) == string(w) {
			return int(tk.table[i] - 1)
		}
	}
	if !add {
		return -1
	}
	tk.dist = append(tk.dist, distinctWord{hash: h, off: uint32(len(tk.words)), n: uint32(len(w))})
	tk.words = append(tk.words, w...)
	tk.table[i] = int32(len(tk.dist))
	if 2*len(tk.dist) > len(tk.table) { // a hostile number of distinct words
		tk.grow()
	}
	return len(tk.dist) - 1
}

// grow doubles the table.
func (tk *tokens) grow() {
	tk.table = make([]int32, 2*len(tk.table))
	mask := uint64(len(tk.table) - 1)
	for j := range tk.dist {
		i := tk.dist[j].hash & mask
		for tk.table[i] != 0 {
			i = (i + 1) & mask
		}
		tk.table[i] = int32(j + 1)
	}
}

// findNames collects the distinct names and figures (see scanNames) of
// the lede and body that are words of the article, up to maxNames.
func (tk *tokens) findNames(stop *stopSet, lede, body string) {
	tk.named = tk.named[:0]
	tk.named = append(tk.named, make([]bool, len(tk.dist))...)
	visit := func(w []byte, figure bool) {
		if len(tk.names)+len(tk.figures) >= maxNames {
			return
		}
		h := hashWord(w)
		if stop.has(w, h) {
			return
		}
		i := tk.index(w, h, false)
		if i < 0 || tk.named[i] {
			return
		}
		tk.named[i] = true
		if figure {
			tk.figures = append(tk.figures, int32(i))
		} else {
			tk.names = append(tk.names, int32(i))
		}
	}
	tk.nameBuf, tk.nameWord = scanNames(lede, tk.nameBuf, tk.nameWord, visit)
	tk.nameBuf, tk.nameWord = scanNames(body, tk.nameBuf, tk.nameWord, visit)
}
