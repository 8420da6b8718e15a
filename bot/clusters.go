package bot

import (
	"runtime"
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

// covers says whether articles from since on can use the live clusters:
// older ones have expired from them. Build passes the time of the oldest
// article it read, so a longer period whose window was cut at MaxArticles
// still qualifies.
func (l *liveClusters) covers(since, now time.Time) bool {
	return !since.Before(now.Add(-l.window))
}

// stories adds the articles not yet clustered, oldest first, their
// analyses from read, and returns the open stories restricted to the
// given articles (members outside them dropped, stories left empty
// dropped).
func (l *liveClusters) stories(now time.Time, arts []*store.Article, read readFunc) ([]story.Story, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if err := l.addLocked(now, arts, read); err != nil {
		return nil, err
	}
	ids := make([]int64, len(arts))
	for i, a := range arts {
		ids[i] = a.ID
	}
	return restrictStories(l.c.StoriesWith(ids), arts), nil
}

// add adds the articles not yet clustered, as stories does.
func (l *liveClusters) add(now time.Time, arts []*store.Article, read readFunc) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.addLocked(now, arts, read)
}

// unseenLocked returns the articles of arts not yet clustered; l.mu is
// held.
func (l *liveClusters) unseenLocked(arts []*store.Article) []*store.Article {
	var out []*store.Article
	for _, a := range arts {
		if _, ok := l.added[a.ID]; !ok {
			out = append(out, a)
		}
	}
	return out
}

// addLocked adds the articles not yet clustered, oldest first, after
// expiring the old ones at most once an hour; l.mu is held. The lock is
// held while their analyses are read, so that a digest asked for
// meanwhile waits rather than reading and clustering them too.
func (l *liveClusters) addLocked(now time.Time, arts []*store.Article, read readFunc) error {
	if now.Sub(l.pruned) > time.Hour {
		l.c.Expire(now)
		for id, t := range l.added {
			if now.Sub(t) > l.window+time.Hour {
				delete(l.added, id)
			}
		}
		l.pruned = now
	}
	return read(sortedByID(l.unseenLocked(arts)), func(sa []story.Article) {
		l.c.AddAll(sa, runtime.GOMAXPROCS(0))
		for _, a := range sa {
			l.added[a.ID] = a.Time
		}
	})
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
