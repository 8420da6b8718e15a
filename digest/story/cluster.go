package story

import (
	"math"
	"slices"
	"time"
)

// Defaults for Options.
const (
	DefaultWindow        = 48 * time.Hour
	DefaultThreshold     = 0.65
	DefaultHeadThreshold = 0.80
	DefaultKeywords      = 40
	DefaultNameThreshold = 0.45
)

// Options tune a Clusterer. The zero value means the defaults.
type Options struct {
	// Window is how far apart in time two articles of one story may be,
	// measured from the story's newest article; Expire drops articles
	// older than now minus Window.
	Window time.Duration
	// Threshold is the least keyword overlap (see Clusterer) between an
	// article and a member of a story for the article to join the story.
	Threshold float64
	// HeadThreshold is the least TF-IDF cosine between two articles'
	// title-and-lede vectors for one to join the other's story.
	HeadThreshold float64
	// NearDuplicate is the least estimated Jaccard similarity of word
	// 3-shingles (MinHash) at which an article is a near-duplicate of an
	// open one and joins its story; negative turns the check off.
	NearDuplicate float64
	// Keywords is how many terms make an article's keyword set.
	Keywords int
	// NameThreshold is the least keyword overlap for an article to join
	// a member's story when the two also share at least minSharedNames
	// rare names and figures (see scanNames) and come from different
	// outlets: the same event written up by two outlets in their own
	// words. Negative turns the rule off.
	NameThreshold float64
}

func (o Options) withDefaults() Options {
	if o.Window <= 0 {
		o.Window = DefaultWindow
	}
	if o.Threshold <= 0 {
		o.Threshold = DefaultThreshold
	}
	if o.HeadThreshold <= 0 {
		o.HeadThreshold = DefaultHeadThreshold
	}
	if o.NearDuplicate == 0 {
		o.NearDuplicate = DefaultNearDuplicate
	}
	if o.Keywords <= 0 {
		o.Keywords = DefaultKeywords
	}
	if o.NameThreshold == 0 {
		o.NameThreshold = DefaultNameThreshold
	}
	return o
}

// Field weights of a term's count: a word in the title says more about
// what the story is than one in the lede, and that more than one deep in
// the body.
const (
	titleWeight = 3
	ledeWeight  = 2
	bodyWeight  = 1
)

// tfPower damps term frequency when keywords are chosen: rarity (IDF)
// decides, frequency only breaks near-ties, so an article's keywords are
// its most specific words (names, places, figures) rather than its most
// repeated ones. Measured on the corpus evaluation, choosing by plain
// TF-IDF let articles on one subject but different events overlap.
const tfPower = 0.25

// Clustering reads at most this much of an article's title, lede and
// body: enough to say what it is about (measured: reading whole bodies
// changed the corpus F1 by under 0.01), and a bound on the work a huge
// article can cause.
const (
	titleBytes = 500
	ledeBytes  = 1000
	bodyBytes  = 3000
)

// term is one word of the vocabulary. Its layout is for the cache: the
// struct is 192 bytes, a size class whose objects start on 64-byte lines,
// and the first line holds everything an article's scan and the keyword
// postings walk touch for most words.
type term struct {
	df int32  // articles in the window that contain it
	id uint32 // order of first appearance; breaks ties deterministically
	// Members that have the term among their keywords, with its weight
	// there. Like the lists below it is cleaned lazily (see dead).
	inKeys []keyRef
	// The word's length (up to 255) and first bytes, so that checking a
	// hash hit reads the word itself only when it is longer.
	short  uint8
	prefix [15]byte

	word string
	hash uint64 // of word; the vocabulary's key unless overflow
	// dead counts entries of expired members in the posting lists, which
	// are compacted once half of them is dead.
	dead int32
	// overflow: another word with the same hash was in the vocabulary
	// first (FNV is not collision-free), so this one is kept by word.
	overflow bool

	inText []*member // members that contain the term
	inHead []keyRef  // members that have it in their title or lede

	// Scratch for a story snapshot: the term's weight in the centroid
	// when snapGen is the snapshot's generation.
	snapGen uint64
	snapW   float64
	// nameGen is the generation of the last article that has the term
	// among its names and figures (see scanNames).
	nameGen uint64
	_       [40]byte // pad to 192 bytes
}

// keyRef is a posting of a member that has the term among its keywords
// (or in its title and lede), with the term's weight there.
type keyRef struct {
	m *member
	w float64
}

// tw is a term with its weight.
type tw struct {
	t *term
	w float64
}

// member is one article inside the Clusterer. The body is not kept. The
// fields scoring reads come first, to share a cache line.
type member struct {
	gone bool
	st   *story

	// Scratch for scoring the article being added.
	accGen   uint64
	inA, inM float64 // share of the new article's keywords found in m; of m's keywords found in the article
	headDot  float64 // cosine of the two title-and-lede vectors

	Member
	keys       []tw    // keywords, weights summing to 1, heaviest first
	head       []tw    // title and lede terms, TF-IDF weights of unit length
	terms      []*term // distinct non-stop terms
	titleTerms []*term
	names      []*term // distinct names (see scanNames), in order of appearance
	figures    []*term // distinct figures
	sk         sketch
	hasSketch  bool
	dup        bool // joined as a near-duplicate
}

// story is an open story inside the Clusterer.
type story struct {
	id          int64
	key         int64 // smallest article ID ever a member
	members     []*member
	first, last time.Time
	closed      bool
	listGen     uint64 // scratch for StoriesWith
}

// Clusterer groups articles into stories as they arrive. It is not safe for
// concurrent use. Its results depend only on the articles given and their
// order.
//
// An article joins a story when one of the story's members is a
// near-duplicate of it (MinHash), or when the two share their specific
// words, or when their titles and ledes agree (TF-IDF cosine at least
// Options.HeadThreshold).
//
// Specific words: each article's keywords are its rarest terms in the
// window (by IDF, frequency breaking near-ties), weighted by IDF to sum
// to 1, and the overlap of article a with member m is the larger of the
// keyword weight of a found anywhere in m and that of m found anywhere in
// a. Taking the larger makes a short text (a brief, a summary, a
// rewritten wire item) match the long article it retells, while two
// articles on one subject but different events share too few specific
// words. (Cosine over title and lede alone, or over TF-IDF vectors of
// whole texts, could not tell those apart on the corpus evaluation: at
// any threshold that found the retellings it also merged dozens of
// different events.)
//
// Same event, other words: two outlets rarely share 65 % of their
// specific words even about one event, so an article also joins when
// its overlap reaches Options.NameThreshold, the member is from another
// outlet, and the two share at least three rare names and two rare
// figures (see sameEvent). Only when no member passes the other
// thresholds.
//
// Posting lists from term to members keep the work per article
// proportional to the members that share a rare word with it, not to the
// number of open stories. When several stories qualify, the article joins
// the one whose member is furthest past its threshold.
type Clusterer struct {
	opt       Options
	vocab     vocabTable       // by the word's hash
	overflow  map[string]*term // words whose hash another word took first
	tfPow     [64]float64      // (1+ln tf)^tfPower for small tf
	logs      []float64        // ln n for small n
	logNFor   int              // the docs that logNVal is for
	logNVal   float64
	nextTerm  uint32
	docs      int // articles in the window
	stories   map[int64]*story
	nextStory int64
	articles  map[int64]*member
	bands     map[uint64][]*member // MinHash LSH: band key to members
	stop      *stopSet

	// Scratch reused by Add.
	gen   uint64
	tok   tokens
	cands []*member
	keys  []keyCand
}

// NewClusterer returns an empty Clusterer.
func NewClusterer(opt Options) *Clusterer {
	c := &Clusterer{
		opt:      opt.withDefaults(),
		overflow: make(map[string]*term),
		stories:  make(map[int64]*story),
		articles: make(map[int64]*member),
		bands:    make(map[uint64][]*member),
		stop:     newStopSet(),
	}
	c.logNFor = -1
	c.logs = make([]float64, 1024)
	for n := 1; n < len(c.logs); n++ {
		c.logs[n] = math.Log(float64(n))
	}
	for tf := 1; tf < len(c.tfPow); tf++ {
		c.tfPow[tf] = math.Pow(1+math.Log(float64(tf)), tfPower)
	}
	return c
}

// lookup returns the term for w, adding it to the vocabulary when new.
func (c *Clusterer) lookup(w []byte, h uint64) *term {
	t := c.vocab.get(h)
	if t != nil && t.is(w) {
		return t
	}
	if t != nil || len(c.overflow) > 0 {
		if o := c.overflow[string(w)]; o != nil {
			return o
		}
	}
	k := string(w)
	n := &term{word: k, id: c.nextTerm, hash: h, overflow: t != nil}
	copy(n.prefix[:], k)
	n.short = uint8(min(len(k), 255))
	c.nextTerm++
	if n.overflow {
		c.overflow[k] = n
	} else {
		c.vocab.put(h, n)
	}
	return n
}

// is reports whether t is the word w.
func (t *term) is(w []byte) bool {
	if len(w) <= len(t.prefix) {
		return int(t.short) == len(w) && string(t.prefix[:len(w)]) == string(w)
	}
	return t.word == string(w)
}

// forget removes t from the vocabulary.
func (c *Clusterer) forget(t *term) {
	if t.overflow {
		delete(c.overflow, t.word)
	} else if c.vocab.get(t.hash) == t {
		c.vocab.del(t.hash)
	}
}

// Len returns the number of open stories.
func (c *Clusterer) Len() int { return len(c.stories) }

// Add files a into an open story, or opens a new one, and returns the
// story's ID (the Clusterer's own sequence number, not stable across runs:
// see Story.Key) and whether the story is new. Article IDs must be unique:
// adding an ID that is already in the Clusterer changes nothing and
// returns its story. Only
// stories with an article within the window of a.Time are candidates.
func (c *Clusterer) Add(a Article) (storyID int64, isNew bool) {
	if m, ok := c.articles[a.ID]; ok {
		return m.st.id, false
	}
	return c.file(c.analyse(a))
}

// file puts the analysed article m into the best open story, or a new one.
func (c *Clusterer) file(m *member) (storyID int64, isNew bool) {
	c.articles[m.ID] = m
	var best *story
	if m.hasSketch && c.opt.NearDuplicate >= 0 {
		best = c.nearDuplicate(m)
		m.dup = best != nil
	}
	if best == nil {
		best = c.mostSimilar(m)
	}
	isNew = best == nil
	if isNew {
		c.nextStory++
		best = &story{id: c.nextStory, key: m.ID, first: m.Time, last: m.Time}
		c.stories[best.id] = best
	}
	best.add(m)
	for _, t := range m.terms {
		t.inText = append(t.inText, m)
	}
	for _, k := range m.keys {
		k.t.inKeys = append(k.t.inKeys, keyRef{m, k.w})
	}
	for _, k := range m.head {
		k.t.inHead = append(k.t.inHead, keyRef{m, k.w})
	}
	if m.hasSketch {
		for i := range sketchBands {
			k := m.sk.bandKey(i)
			c.bands[k] = append(c.bands[k], m)
		}
	}
	return best.id, isNew
}

// analyse tokenises a, updates document frequencies and picks its keywords
// and fingerprint.
func (c *Clusterer) analyse(a Article) *member {
	lede := clip(a.lede(), ledeBytes)
	c.tok.read(c.stop, clip(a.Title, titleBytes), lede, clip(a.Body, bodyBytes))
	return c.analyseTokens(a, lede, &c.tok)
}

// analyseTokens is analyse with the article's text already read into tk.
func (c *Clusterer) analyseTokens(a Article, lede string, tk *tokens) *member {
	c.gen++
	gen := c.gen
	m := &member{Member: Member{
		ID: a.ID, Source: a.Source, URL: a.URL, Title: a.Title, Lede: lede,
		Time: a.Time, Language: a.Language,
	}}
	// Look the distinct words up in one pass, then check the hits and add
	// the new words in another: the lookups do not depend on each other,
	// so the processor overlaps their reads of memory.
	m.terms = make([]*term, len(tk.dist))
	for i := range tk.dist {
		m.terms[i] = c.vocab.get(tk.dist[i].hash)
	}
	for i, t := range m.terms {
		if w := tk.dist[i].word(tk); t == nil || !t.is(w) {
			m.terms[i] = c.lookup(w, tk.dist[i].hash)
		}
	}
	titleEnd, ledeEnd := tk.titleEnd, tk.ledeEnd
	m.titleTerms = m.terms[:titleEnd:titleEnd]
	c.docs++
	for _, t := range m.terms {
		t.df++
	}
	m.names, m.figures = c.nameTerms(m.terms, tk.names, gen), c.nameTerms(m.terms, tk.figures, gen)
	m.sk, m.hasSketch = tk.sk, tk.hasSketch

	cands := c.keys[:0]
	for i, t := range m.terms {
		n := &tk.dist[i].tf
		tf := int(titleWeight*n[fieldTitle] + ledeWeight*n[fieldLede] + bodyWeight*n[fieldBody])
		tp := 0.0
		if tf < len(c.tfPow) {
			tp = c.tfPow[tf]
		} else {
			tp = math.Pow(1+math.Log(float64(tf)), tfPower)
		}
		idf := c.idf(t)
		cands = append(cands, keyCand{t, tp * idf, idf})
	}
	// The title and lede are scanned first, so their terms open m.terms.
	m.head = make([]tw, ledeEnd)
	var sq float64
	for i, t := range m.terms[:ledeEnd] {
		n := &tk.dist[i].tf
		w := float64(2*n[fieldTitle]+n[fieldLede]) * c.idf(t)
		m.head[i] = tw{t, w}
		sq += w * w
	}
	if sq > 0 {
		for i := range m.head {
			m.head[i].w /= math.Sqrt(sq)
		}
	}
	cands = topKeys(cands, c.opt.Keywords)
	c.keys = cands
	var sum float64
	for _, x := range cands {
		sum += x.idf
	}
	m.keys = make([]tw, len(cands))
	for i, x := range cands {
		m.keys[i] = tw{x.t, x.idf / sum}
	}
	return m
}

// keyCand is a term considered for an article's keywords.
type keyCand struct {
	t         *term
	rank, idf float64
}

// before orders keyword candidates: higher rank first, then the older term.
func (x keyCand) before(y keyCand) bool {
	return x.rank > y.rank || x.rank == y.rank && x.t.id < y.t.id
}

// topKeys returns the k best candidates, best first, reusing cands.
func topKeys(cands []keyCand, k int) []keyCand {
	if len(cands) > k {
		// Keep the k best in a heap whose root is the worst of them.
		h := cands[:k]
		for i := k/2 - 1; i >= 0; i-- {
			siftDown(h, i)
		}
		for _, x := range cands[k:] {
			if x.before(h[0]) {
				h[0] = x
				siftDown(h, 0)
			}
		}
		cands = h
	}
	slices.SortFunc(cands, func(x, y keyCand) int {
		if x.before(y) {
			return -1
		}
		return 1
	})
	return cands
}

// siftDown restores the heap property below i in a heap ordered worst
// first.
func siftDown(h []keyCand, i int) {
	for {
		w := i
		if l := 2*i + 1; l < len(h) && h[w].before(h[l]) {
			w = l
		}
		if r := 2*i + 2; r < len(h) && h[w].before(h[r]) {
			w = r
		}
		if w == i {
			return
		}
		h[i], h[w] = h[w], h[i]
		i = w
	}
}

// idfPrior is a number of imagined articles, containing none of the
// words, added to the window's count. Without it the first articles of a
// fresh Clusterer get their IDF from a handful of texts, in which a word
// two articles share looks common; with it, IDF starts out flat and
// sharpens as articles arrive. (Measured on the corpus evaluation: a
// prior of 200 changes F1 by under 0.005.)
const idfPrior = 200

// idf is the smoothed inverse document frequency over the window.
func (c *Clusterer) idf(t *term) float64 {
	return c.logN() - c.log(int(t.df)+1) + 1
}

// logN returns ln(docs + idfPrior + 1), computed once per window size.
func (c *Clusterer) logN() float64 {
	if c.logNFor != c.docs {
		c.logNFor, c.logNVal = c.docs, math.Log(float64(c.docs+idfPrior+1))
	}
	return c.logNVal
}

// log returns ln n, from a table for the small n that most document
// frequencies are.
func (c *Clusterer) log(n int) float64 {
	if n < len(c.logs) {
		return c.logs[n]
	}
	return math.Log(float64(n))
}

// inWindow reports whether an article at time at may join s.
func (c *Clusterer) inWindow(s *story, at time.Time) bool {
	return !at.After(s.last.Add(c.opt.Window)) && !at.Before(s.first.Add(-c.opt.Window))
}

// nearDuplicate returns the story of the open article most similar to m
// by MinHash, if the similarity reaches Options.NearDuplicate, or nil.
func (c *Clusterer) nearDuplicate(m *member) *story {
	var best *story
	bestSim := c.opt.NearDuplicate
	for i := range sketchBands {
		for _, o := range c.bands[m.sk.bandKey(i)] {
			sim := o.sk.similarity(&m.sk)
			if sim < bestSim || sim == bestSim && best != nil && best.id < o.st.id || !c.inWindow(o.st, m.Time) {
				continue
			}
			best, bestSim = o.st, sim
		}
	}
	return best
}

// mostSimilar returns the story of the open member most similar to m by
// keyword overlap or by title-and-lede cosine, if one reaches its
// threshold, or nil.
func (c *Clusterer) mostSimilar(m *member) *story {
	gen := c.gen
	c.cands = c.cands[:0]
	touch := func(o *member) {
		if o.accGen != gen {
			o.accGen = gen
			o.inA, o.inM, o.headDot = 0, 0, 0
			c.cands = append(c.cands, o)
		}
	}
	for _, k := range m.keys {
		for _, o := range k.t.inText {
			if !o.gone {
				touch(o)
				o.inA += k.w
			}
		}
	}
	for _, t := range m.terms {
		for _, r := range t.inKeys {
			if !r.m.gone {
				touch(r.m)
				r.m.inM += r.w
			}
		}
	}
	common := c.docs/50 + 50
	for _, k := range m.head {
		if int(k.t.df) > common {
			// A word in more than 2 % of the window adds little to the
			// cosine and would cost a walk over a long list.
			continue
		}
		for _, r := range k.t.inHead {
			if !r.m.gone {
				touch(r.m)
				r.m.headDot += k.w * r.w
			}
		}
	}
	// A member qualifies when either measure reaches its threshold; the
	// best is the one furthest past its threshold.
	var best, byNames *story
	bestSim, namesSim := 1.0, c.opt.NameThreshold
	for _, o := range c.cands {
		ov := max(o.inA, o.inM)
		sim := max(ov/c.opt.Threshold, o.headDot/c.opt.HeadThreshold)
		s := o.st
		if sim < 1 {
			// Not past either threshold: it may still qualify by the
			// names and figures it shares, if no member passes one.
			if c.opt.NameThreshold < 0 || best != nil || ov < namesSim ||
				ov == namesSim && byNames != nil && byNames.id < s.id ||
				!c.inWindow(s, m.Time) || !c.sameEvent(m, o, gen) {
				continue
			}
			byNames, namesSim = s, ov
			continue
		}
		if sim < bestSim || sim == bestSim && best != nil && best.id < s.id || !c.inWindow(s, m.Time) {
			continue
		}
		best, bestSim = s, sim
	}
	if best == nil {
		return byNames
	}
	return best
}

// add makes m a member of s.
func (s *story) add(m *member) {
	m.st = s
	s.members = append(s.members, m)
	s.key = min(s.key, m.ID)
	if m.Time.Before(s.first) {
		s.first = m.Time
	}
	if m.Time.After(s.last) {
		s.last = m.Time
	}
}

// Expire drops the articles older than now minus the window, closes the
// stories left without articles and returns the IDs of the closed stories
// in ascending order. A story that keeps receiving articles stays open;
// its key (Story.Key) survives the loss of its first article.
func (c *Clusterer) Expire(now time.Time) []int64 {
	cutoff := now.Add(-c.opt.Window)
	ids := make([]int64, 0, len(c.stories))
	for id := range c.stories {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	var closed []int64
	for _, id := range ids {
		s := c.stories[id]
		if !s.first.Before(cutoff) {
			continue
		}
		kept := s.members[:0]
		for _, m := range s.members {
			if !m.Time.Before(cutoff) {
				kept = append(kept, m)
				continue
			}
			c.remove(m)
		}
		clear(s.members[len(kept):])
		s.members = kept
		if len(kept) == 0 {
			s.closed = true
			delete(c.stories, id)
			closed = append(closed, id)
			continue
		}
		s.first, s.last = kept[0].Time, kept[0].Time
		for _, m := range kept[1:] {
			if m.Time.Before(s.first) {
				s.first = m.Time
			}
			if m.Time.After(s.last) {
				s.last = m.Time
			}
		}
	}
	return closed
}

// remove takes m out of the document frequencies and marks it gone, so
// the posting lists drop it. Terms no article in the window uses leave the
// vocabulary, so memory follows the window, not the Clusterer's age.
func (c *Clusterer) remove(m *member) {
	m.gone = true
	delete(c.articles, m.ID)
	if m.hasSketch {
		for i := range sketchBands {
			k := m.sk.bandKey(i)
			list := c.bands[k]
			if j := slices.Index(list, m); j >= 0 {
				list = slices.Delete(list, j, j+1)
			}
			if len(list) == 0 {
				delete(c.bands, k)
			} else {
				c.bands[k] = list
			}
		}
	}
	c.docs--
	for _, t := range m.terms {
		t.df--
		t.dead++
		if t.df == 0 {
			c.forget(t)
			t.inText, t.inKeys, t.inHead = nil, nil, nil
			continue
		}
		if int(t.dead)*2 > len(t.inText) {
			t.inText = compact(t.inText)
			t.inKeys = compactRefs(t.inKeys)
			t.inHead = compactRefs(t.inHead)
			t.dead = 0
		}
	}
}

// compact drops gone members from a posting list, in place.
func compact(list []*member) []*member {
	j := 0
	for _, m := range list {
		if !m.gone {
			list[j] = m
			j++
		}
	}
	clear(list[j:])
	return list[:j]
}

// compactRefs drops gone members from a posting list, in place.
func compactRefs(list []keyRef) []keyRef {
	j := 0
	for _, r := range list {
		if !r.m.gone {
			list[j] = r
			j++
		}
	}
	clear(list[j:])
	return list[:j]
}
