package bot

import (
	"sort"
	"sync"
	"time"

	"github.com/newsdigest/newsdigest/digest/story"
	"github.com/newsdigest/newsdigest/store"
)

// liveClusters keeps one Clusterer alive across digests: articles join
// their stories once, as they first appear in a window, so that a digest
// costs a snapshot and a ranking instead of clustering thousands of
// articles from scratch.
type liveClusters struct {
	mu     sync.Mutex
	c      *story.Clusterer
	added  map[int64]time.Time // article id -> its time, for pruning
	window time.Duration
	pruned time.Time
}

func newLiveClusters() *liveClusters {
	return &liveClusters{c: story.NewClusterer(story.Options{}), added: map[int64]time.Time{}, window: story.DefaultWindow}
}

// covers says whether a request for articles since since can use the
// live clusters: older articles have expired from them.
func (l *liveClusters) covers(since, now time.Time) bool {
	return !since.Before(now.Add(-l.window))
}

// stories adds the articles not yet clustered and returns the open stories
// restricted to the given articles (members outside them dropped, stories
// left empty dropped).
func (l *liveClusters) stories(now time.Time, arts []*store.Article, ans map[int64]*store.Analysis, names map[int64]string) []story.Story {
	l.mu.Lock()
	defer l.mu.Unlock()
	if now.Sub(l.pruned) > time.Hour {
		l.c.Expire(now)
		for id, t := range l.added {
			if now.Sub(t) > l.window+time.Hour {
				delete(l.added, id)
			}
		}
		l.pruned = now
	}
	sorted := make([]*store.Article, 0, len(arts))
	for _, a := range arts {
		if _, ok := l.added[a.ID]; !ok {
			sorted = append(sorted, a)
		}
	}
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].ID < sorted[j].ID })
	for _, a := range sorted {
		l.c.Add(storyArticle(a, ans[a.ID], names))
		l.added[a.ID] = a.EffectiveTime()
	}
	return restrictStories(l.c.Stories(), arts)
}

// restrictStories keeps only the members among arts.
func restrictStories(all []story.Story, arts []*store.Article) []story.Story {
	in := make(map[int64]bool, len(arts))
	for _, a := range arts {
		in[a.ID] = true
	}
	var out []story.Story
	for _, s := range all {
		var ms []story.Member
		for _, m := range s.Members {
			if in[m.ID] {
				ms = append(ms, m)
			}
		}
		if len(ms) == 0 {
			continue
		}
		s.Members = ms
		out = append(out, s)
	}
	return out
}
