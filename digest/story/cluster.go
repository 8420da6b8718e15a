package story

import (
	"math"
	"slices"
	"time"
)

// Defaults for Options.
const (
	DefaultWindow    = 48 * time.Hour
	DefaultThreshold = 0.30
	DefaultKeywords  = 40
)

// Options tune a Clusterer. The zero value means the defaults.
type Options struct {
	// Window is how far apart in time two articles of one story may be,
	// measured from the story's newest article; Expire drops articles
	// older than now minus Window.
	Window time.Duration
	// Threshold is the least cosine similarity between an article's
	// keyword vector and a story's centroid for the article to join it.
	Threshold float64
	// MaxDistance is the largest Hamming distance between SimHash
	// fingerprints that counts as a near-duplicate, 0 to 3 (default 3);
	// negative turns near-duplicate detection off.
	MaxDistance int
	// Keywords is how many of an article's highest-weighted terms make its
	// vector.
	Keywords int
}

func (o Options) withDefaults() Options {
	if o.Window <= 0 {
		o.Window = DefaultWindow
	}
	if o.Threshold <= 0 {
		o.Threshold = DefaultThreshold
	}
	if o.MaxDistance == 0 {
		o.MaxDistance = maxHamming
	}
	o.MaxDistance = min(o.MaxDistance, maxHamming)
	if o.Keywords <= 0 {
		o.Keywords = DefaultKeywords
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

// term is one word of the vocabulary.
type term struct {
	word string
	id   uint32 // order of first appearance; breaks ties deterministically
	df   int32  // articles in the window that contain it
	stop bool   // a stopword: used for shingles, never for vectors
	hash uint64
	post []*cent // centroid entries of stories that contain it; dead entries are dropped lazily

	// Scratch for the article being added.
	gen                    uint64
	tfTitle, tfLede, tfAll int32
}

// cent is one term's entry in a story's centroid.
type cent struct {
	st *story
	w  float64 // sum of the members' weights for the term
	n  int32   // members contributing; 0 once removed
}

// tw is a term with its weight in a vector.
type tw struct {
	t *term
	w float64
}

// member is one article inside the Clusterer. The body is not kept.
type member struct {
	Member
	vec        []tw    // unit-length keyword vector, heaviest first
	terms      []*term // distinct non-stop terms, for document frequencies
	titleTerms []*term
	fp         uint64
	hasFP      bool
	dup        bool // joined as a near-duplicate
	st         *story
	gone       bool
}

// story is an open story inside the Clusterer.
type story struct {
	id          int64
	key         int64 // smallest article ID ever a member
	members     []*member
	cent        map[*term]*cent
	normSq      float64
	first, last time.Time
	closed      bool

	// Scratch for scoring the article being added.
	acc    float64
	accGen uint64
}

// Clusterer groups articles into stories as they arrive. It is not safe for
// concurrent use. Its results depend only on the articles given and their
// order.
type Clusterer struct {
	opt       Options
	vocab     map[string]*term
	nextTerm  uint32
	docs      int // articles in the window
	stories   map[int64]*story
	nextStory int64
	articles  map[int64]*member
	bands     [simhashBands]map[uint16][]*member
	spread    *spreadTable

	// Scratch reused by Add.
	gen    uint64
	buf    []byte
	uniq   []*term
	hashes []uint64
	cands  []*story
}

// NewClusterer returns an empty Clusterer.
func NewClusterer(opt Options) *Clusterer {
	c := &Clusterer{
		opt:      opt.withDefaults(),
		vocab:    make(map[string]*term),
		stories:  make(map[int64]*story),
		articles: make(map[int64]*member),
		spread:   newSpreadTable(),
	}
	for i := range c.bands {
		c.bands[i] = make(map[uint16][]*member)
	}
	return c
}

// Len returns the number of open stories.
func (c *Clusterer) Len() int { return len(c.stories) }

// Add files a into an open story, or opens a new one, and returns the
// story's ID (the Clusterer's own sequence number, not stable across runs:
// see Story.Key) and whether the story is new. Adding an article ID that
// is already in the Clusterer changes nothing and returns its story.
//
// An article joins the story holding a near-duplicate of it (SimHash), or
// else the story whose centroid is most similar to it, if that similarity
// reaches Options.Threshold. Only stories whose articles lie within the
// window of a.Time are candidates.
func (c *Clusterer) Add(a Article) (storyID int64, isNew bool) {
	if m, ok := c.articles[a.ID]; ok {
		return m.st.id, false
	}
	m := c.analyse(a)
	c.articles[a.ID] = m

	var best *story
	if m.hasFP && c.opt.MaxDistance >= 0 {
		best = c.nearDuplicate(m)
		m.dup = best != nil
	}
	if best == nil {
		best = c.mostSimilar(m)
	}
	isNew = best == nil
	if isNew {
		c.nextStory++
		best = &story{id: c.nextStory, key: a.ID, cent: make(map[*term]*cent), first: a.Time, last: a.Time}
		c.stories[best.id] = best
	}
	best.add(m)
	if m.hasFP {
		for i := range c.bands {
			b := band(m.fp, i)
			c.bands[i][b] = append(c.bands[i][b], m)
		}
	}
	return best.id, isNew
}

// analyse tokenises a, updates document frequencies and builds its vector
// and fingerprint.
func (c *Clusterer) analyse(a Article) *member {
	c.gen++
	gen := c.gen
	c.uniq = c.uniq[:0]
	c.hashes = c.hashes[:0]
	lede := a.lede()
	m := &member{Member: Member{
		ID: a.ID, Source: a.Source, URL: a.URL, Title: a.Title, Lede: lede,
		Time: a.Time, Language: a.Language,
	}}

	visit := func(field int) func(w []byte) {
		return func(w []byte) {
			w = stemPlural(w)
			t := c.vocab[string(w)]
			if t == nil {
				k := string(w)
				t = &term{word: k, id: c.nextTerm, stop: isStopword(k), hash: hashWord(k)}
				c.nextTerm++
				c.vocab[k] = t
			}
			if field == 2 {
				c.hashes = append(c.hashes, t.hash)
			}
			if t.stop {
				return
			}
			if t.gen != gen {
				t.gen = gen
				t.tfTitle, t.tfLede, t.tfAll = 0, 0, 0
				c.uniq = append(c.uniq, t)
			}
			switch field {
			case 0:
				t.tfTitle++
			case 1:
				t.tfLede++
			default:
				t.tfAll++
			}
		}
	}
	c.buf = scanWords(a.Title, c.buf, visit(0))
	titleEnd := len(c.uniq)
	c.buf = scanWords(lede, c.buf, visit(1))
	c.buf = scanWords(a.Body, c.buf, visit(2))

	m.titleTerms = slices.Clone(c.uniq[:titleEnd])
	m.terms = slices.Clone(c.uniq)
	c.docs++
	for _, t := range m.terms {
		t.df++
	}
	m.fp, m.hasFP = c.spread.simhash(c.hashes)

	vec := make([]tw, 0, len(m.terms))
	for _, t := range m.terms {
		tf := float64(titleWeight*t.tfTitle + ledeWeight*t.tfLede + bodyWeight*t.tfAll)
		vec = append(vec, tw{t, (1 + math.Log(tf)) * c.idf(t)})
	}
	slices.SortFunc(vec, func(x, y tw) int {
		switch {
		case x.w > y.w:
			return -1
		case x.w < y.w:
			return 1
		}
		return int(x.t.id) - int(y.t.id)
	})
	vec = vec[:min(len(vec), c.opt.Keywords)]
	var sq float64
	for _, x := range vec {
		sq += x.w * x.w
	}
	if sq > 0 {
		n := math.Sqrt(sq)
		for i := range vec {
			vec[i].w /= n
		}
	}
	m.vec = slices.Clip(vec)
	return m
}

// idf is the smoothed inverse document frequency over the window.
func (c *Clusterer) idf(t *term) float64 {
	return math.Log(float64(c.docs+1)/float64(t.df+1)) + 1
}

// inWindow reports whether an article at time at may join s.
func (c *Clusterer) inWindow(s *story, at time.Time) bool {
	return !at.After(s.last.Add(c.opt.Window)) && !at.Before(s.first.Add(-c.opt.Window))
}

// nearDuplicate returns the story of the closest open article whose
// fingerprint is within MaxDistance of m's, or nil.
func (c *Clusterer) nearDuplicate(m *member) *story {
	var best *story
	bestDist := c.opt.MaxDistance + 1
	for i := range c.bands {
		b := band(m.fp, i)
		list := c.bands[i][b]
		j := 0
		for _, o := range list {
			if o.gone {
				continue
			}
			list[j] = o
			j++
			d := hamming(o.fp, m.fp)
			if d > c.opt.MaxDistance || !c.inWindow(o.st, m.Time) {
				continue
			}
			if d < bestDist || d == bestDist && o.st.id < best.id {
				best, bestDist = o.st, d
			}
		}
		clear(list[j:])
		if j == 0 {
			delete(c.bands[i], b)
		} else {
			c.bands[i][b] = list[:j]
		}
	}
	return best
}

// mostSimilar returns the open story whose centroid is most similar to m,
// if that similarity reaches the threshold, or nil. It visits only stories
// that share a keyword with m, through the terms' posting lists.
func (c *Clusterer) mostSimilar(m *member) *story {
	gen := c.gen
	c.cands = c.cands[:0]
	for _, x := range m.vec {
		post := x.t.post
		j := 0
		for _, e := range post {
			s := e.st
			if e.n == 0 || s.closed {
				continue
			}
			post[j] = e
			j++
			if s.accGen != gen {
				s.accGen = gen
				s.acc = 0
				c.cands = append(c.cands, s)
			}
			s.acc += x.w * e.w
		}
		clear(post[j:])
		x.t.post = post[:j]
	}
	var best *story
	bestSim := c.opt.Threshold
	for _, s := range c.cands {
		if s.normSq <= 0 {
			continue
		}
		sim := s.acc / math.Sqrt(s.normSq)
		if sim < bestSim || sim == bestSim && best != nil && best.id < s.id || !c.inWindow(s, m.Time) {
			continue
		}
		best, bestSim = s, sim
	}
	return best
}

// add makes m a member of s and folds its vector into the centroid.
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
	for _, x := range m.vec {
		e := s.cent[x.t]
		if e == nil {
			e = &cent{st: s}
			s.cent[x.t] = e
			x.t.post = append(x.t.post, e)
		}
		s.normSq += 2*e.w*x.w + x.w*x.w
		e.w += x.w
		e.n++
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
		changed := false
		for _, m := range s.members {
			if !m.Time.Before(cutoff) {
				kept = append(kept, m)
				continue
			}
			c.remove(s, m)
			changed = true
		}
		clear(s.members[len(kept):])
		s.members = kept
		if len(kept) == 0 {
			s.closed = true
			delete(c.stories, id)
			closed = append(closed, id)
			continue
		}
		if changed {
			s.normSq = 0
			for _, e := range s.cent {
				s.normSq += e.w * e.w
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
	}
	return closed
}

// remove takes m out of s's centroid and out of the document frequencies.
func (c *Clusterer) remove(s *story, m *member) {
	m.gone = true
	delete(c.articles, m.ID)
	for _, x := range m.vec {
		e := s.cent[x.t]
		if e == nil {
			continue
		}
		e.w -= x.w
		e.n--
		if e.n == 0 {
			e.w = 0
			delete(s.cent, x.t)
		}
	}
	c.docs--
	for _, t := range m.terms {
		t.df--
	}
	// Terms that no article in the window uses leave the vocabulary, so
	// memory follows the window, not the Clusterer's age. Their postings
	// hold only dead entries by now.
	for _, t := range m.terms {
		if t.df == 0 {
			delete(c.vocab, t.word)
		}
	}
}
