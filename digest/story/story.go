package story

import (
	"math"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Link is one outlet's article about a story. It has the fields of
// digest.Link, so digest.Link(l) converts it; story does not import digest
// so that it builds on its own.
type Link struct {
	Outlet string
	Title  string
	URL    string
}

// Story is a snapshot of one story: the articles about one event.
type Story struct {
	ID int64 // the Clusterer's sequence number; not stable across runs
	// Key identifies the story across runs, for the bot to persist with
	// what it delivered: the smallest article ID that has been a member,
	// in decimal. Store IDs grow with insertion, so this is normally the
	// story's first article, and a Clusterer rebuilt from the same window
	// finds the same key. A long-lived Clusterer keeps the key when that
	// article expires; a rebuilt one cannot, and an article stored late
	// with a smaller ID changes it too. Rank therefore also recognises a
	// delivered story by the article IDs it shares with the record.
	Key        string
	Members    []Member // oldest first (ties: smaller ID first)
	Centrality float64  // mean similarity of the members to the story's centroid, 0..1
}

// Member is one article of a story, without its body.
type Member struct {
	ID       int64
	Source   string
	URL      string
	Title    string
	Lede     string // as given, or derived from the body; at most 1,000 bytes
	Time     time.Time
	Language string

	Similarity    float64 // cosine of its keyword vector with the story's centroid
	TitleScore    float64 // cosine of its title's terms (IDF-weighted) with the centroid
	NearDuplicate bool    // it joined the story as a near-duplicate of a member
}

// Stories returns a snapshot of the open stories, by ascending ID.
func (c *Clusterer) Stories() []Story {
	ids := make([]int64, 0, len(c.stories))
	for id := range c.stories {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	out := make([]Story, len(ids))
	for i, id := range ids {
		out[i] = c.snapshot(c.stories[id])
	}
	return out
}

// StoriesWith returns a snapshot of the open stories that have a member
// among the given article IDs, by ascending ID: what Stories returns less
// the stories of other articles, without the cost of their snapshots.
func (c *Clusterer) StoriesWith(articleIDs []int64) []Story {
	c.gen++
	g := c.gen
	ids := make([]int64, 0, len(articleIDs))
	for _, a := range articleIDs {
		if m, ok := c.articles[a]; ok && m.st.listGen != g {
			m.st.listGen = g
			ids = append(ids, m.st.id)
		}
	}
	slices.Sort(ids)
	out := make([]Story, len(ids))
	for i, id := range ids {
		out[i] = c.snapshot(c.stories[id])
	}
	return out
}

// Story returns a snapshot of the open story with the given ID.
func (c *Clusterer) Story(id int64) (Story, bool) {
	s, ok := c.stories[id]
	if !ok {
		return Story{}, false
	}
	return c.snapshot(s), true
}

// snapshot copies s out, with each member's similarity to the story's
// centroid: the sum of the members' keyword weights.
func (c *Clusterer) snapshot(s *story) Story {
	c.gen++
	g := c.gen
	cw := func(t *term) float64 {
		if t.snapGen != g {
			return 0
		}
		return t.snapW
	}
	for _, m := range s.members {
		for _, k := range m.keys {
			if k.t.snapGen != g {
				k.t.snapGen, k.t.snapW = g, 0
			}
			k.t.snapW += k.w
		}
	}
	var sq float64
	for _, m := range s.members {
		for _, k := range m.keys {
			if k.t.snapGen == g { // count each term once
				sq += k.t.snapW * k.t.snapW
				k.t.snapGen = g + 1
			}
		}
	}
	c.gen++
	g = c.gen // the weights now sit under g (was g+1)
	norm := math.Sqrt(sq)
	out := Story{ID: s.id, Key: strconv.FormatInt(s.key, 10), Members: make([]Member, len(s.members))}
	var sum float64
	for i, m := range s.members {
		mm := m.Member
		mm.NearDuplicate = m.dup
		if norm > 0 {
			var dot, msq float64
			for _, k := range m.keys {
				dot += k.w * cw(k.t)
				msq += k.w * k.w
			}
			if msq > 0 {
				mm.Similarity = dot / math.Sqrt(msq) / norm
			}
			var tdot, tsq float64
			for _, t := range m.titleTerms {
				w := c.idf(t)
				tsq += w * w
				tdot += w * cw(t)
			}
			if tsq > 0 {
				mm.TitleScore = tdot / math.Sqrt(tsq) / norm
			}
		}
		sum += mm.Similarity
		out.Members[i] = mm
	}
	if len(out.Members) > 0 {
		out.Centrality = sum / float64(len(out.Members))
	}
	slices.SortStableFunc(out.Members, func(a, b Member) int {
		if c := a.Time.Compare(b.Time); c != 0 {
			return c
		}
		return cmpInt64(a.ID, b.ID)
	})
	return out
}

func cmpInt64(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// First returns the time of the story's oldest article.
func (s Story) First() time.Time {
	if len(s.Members) == 0 {
		return time.Time{}
	}
	return s.Members[0].Time
}

// Last returns the time of the story's newest article.
func (s Story) Last() time.Time {
	var t time.Time
	for _, m := range s.Members {
		if m.Time.After(t) {
			t = m.Time
		}
	}
	return t
}

// ArticleIDs returns the members' article IDs, ascending.
func (s Story) ArticleIDs() []int64 {
	ids := make([]int64, len(s.Members))
	for i, m := range s.Members {
		ids[i] = m.ID
	}
	slices.Sort(ids)
	return ids
}

// Outlets returns how many distinct outlets cover the story (sources
// compared case-insensitively; an empty source counts as its URL's host).
func (s Story) Outlets() int {
	if len(s.Members) <= 8 { // most stories: no map
		var keys [8]string
		n := 0
		for _, m := range s.Members {
			if k := outletKey(m); !slices.Contains(keys[:n], k) {
				keys[n] = k
				n++
			}
		}
		return n
	}
	seen := make(map[string]bool, len(s.Members))
	for _, m := range s.Members {
		seen[outletKey(m)] = true
	}
	return len(seen)
}

func outletKey(m Member) string {
	if m.Source != "" {
		return strings.ToLower(strings.TrimSpace(m.Source))
	}
	if u, err := url.Parse(m.URL); err == nil && u.Host != "" {
		return strings.TrimPrefix(strings.ToLower(u.Host), "www.")
	}
	return "#" + strconv.FormatInt(m.ID, 10)
}

// best returns the index of the member whose title best represents the
// story: the highest TitleScore; ties go to the earlier article, then to
// the smaller ID. Members without a title are passed over. It returns -1
// when no member has a title.
func (s Story) best() int {
	bi := -1
	for i, m := range s.Members {
		if strings.TrimSpace(m.Title) == "" {
			continue
		}
		if bi < 0 || better(m, s.Members[bi]) {
			bi = i
		}
	}
	return bi
}

func better(a, b Member) bool {
	if a.TitleScore != b.TitleScore {
		return a.TitleScore > b.TitleScore
	}
	if !a.Time.Equal(b.Time) {
		return a.Time.Before(b.Time)
	}
	return a.ID < b.ID
}

// Headline returns the title of the member whose title is closest to the
// story's centroid (ties: earliest, then smallest ID), or "" when no member
// has a title.
func (s Story) Headline() string {
	if i := s.best(); i >= 0 {
		return strings.TrimSpace(s.Members[i].Title)
	}
	return ""
}

// Links returns one link per outlet, best first: the headline's article,
// then the others by similarity to the centroid (ties: earlier, smaller
// ID). Each outlet appears once, with its best article, and no URL appears
// twice (URLs compared without fragment, tracking parameters, "www." or a
// trailing slash). Members without a URL give no link.
func (s Story) Links() []Link {
	order := make([]int, len(s.Members))
	for i := range order {
		order[i] = i
	}
	head := s.best()
	slices.SortStableFunc(order, func(i, j int) int {
		a, b := s.Members[i], s.Members[j]
		switch {
		case i == head:
			return -1
		case j == head:
			return 1
		case a.Similarity != b.Similarity:
			if a.Similarity > b.Similarity {
				return -1
			}
			return 1
		case !a.Time.Equal(b.Time):
			return a.Time.Compare(b.Time)
		}
		return cmpInt64(a.ID, b.ID)
	})
	var links []Link
	outlets := make(map[string]bool)
	urls := make(map[string]bool)
	for _, i := range order {
		m := s.Members[i]
		if strings.TrimSpace(m.URL) == "" {
			continue
		}
		o, u := outletKey(m), normalizeURL(m.URL)
		if outlets[o] || urls[u] {
			continue
		}
		outlets[o], urls[u] = true, true
		name := strings.TrimSpace(m.Source)
		if name == "" {
			name = o
		}
		links = append(links, Link{Outlet: name, Title: strings.TrimSpace(m.Title), URL: strings.TrimSpace(m.URL)})
	}
	return links
}

// normalizeURL returns a comparison key for a URL: scheme and host in
// lower case without "www.", no fragment, no utm_* parameters, no
// trailing slash.
func normalizeURL(raw string) string {
	raw = strings.TrimSpace(raw)
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return raw
	}
	u.Scheme = strings.ToLower(u.Scheme)
	if u.Scheme == "http" {
		u.Scheme = "https"
	}
	u.Host = strings.TrimPrefix(strings.ToLower(u.Host), "www.")
	u.Fragment, u.RawFragment = "", ""
	if u.RawQuery != "" {
		q := u.Query()
		for k := range q {
			if strings.HasPrefix(strings.ToLower(k), "utm_") {
				q.Del(k)
			}
		}
		u.RawQuery = q.Encode()
	}
	u.Path = strings.TrimSuffix(u.Path, "/")
	u.RawPath = ""
	return u.String()
}
