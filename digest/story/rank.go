package story

import (
	"math"
	"slices"
	"strings"
	"time"
)

// DefaultHalfLife is how fast a story's recency score halves when
// RankOptions.HalfLife is zero.
const DefaultHalfLife = 12 * time.Hour

// RankOptions describe the channel a ranking is for.
type RankOptions struct {
	Now      time.Time
	HalfLife time.Duration // recency halves every HalfLife since the newest article; default 12 h
	// Topics are the channel's topic keywords or phrases; a story whose
	// titles or ledes mention them (whole words, any case) ranks higher.
	// Topics boost, they never exclude: that is Filter's job.
	Topics []string
	// Delivered holds what the channel has already received, by story
	// key (Story.Key).
	Delivered map[string]DeliveredInfo
	// Limit caps the number of stories returned; 0 means no cap.
	Limit int
}

// DeliveredInfo records one story sent to a channel.
type DeliveredInfo struct {
	At         time.Time // when it was sent
	ArticleIDs []int64   // the story's articles at the time
}

// Ranked is a story in a channel's ranking, with the parts of its score.
type Ranked struct {
	Story
	Score float64
	// Update marks a story the channel received before that has new
	// articles since; NewArticles lists them (ascending IDs).
	Update      bool
	NewArticles []int64
	// DeliveredKey is the key under which the channel's delivery of this
	// story is recorded, when it is an update. It differs from Story.Key
	// when the story's key has changed since (its first article left the
	// window); the caller should then re-record it under Story.Key.
	DeliveredKey string

	Outlets     int     // distinct outlets
	Recency     float64 // 1 for a story whose newest article is now, halving every HalfLife
	Centrality  float64 // as Story.Centrality
	TopicBoost  float64 // 1, or more when the story matches the channel's topics
	TopicsFound []string
}

// Rank orders stories for a channel, best first:
//
//	score = (1 + ln outlets) × recency × (0.5 + 0.5 × centrality) × topic boost
//
// More outlets mean a bigger story; recency decays exponentially with the
// age of the newest article; a story whose members agree with each other
// (high centrality) is a cleaner story than a loose one; the topic boost
// is 1 + 0.75 per matched topic, up to 2.5. Ties go to the newer story,
// then the smaller key.
//
// A story the channel has received (found in Delivered by its key, or
// else by sharing an article with a delivered story) is left out unless it
// has articles that the delivery did not include; then it is kept and
// marked as an update.
func Rank(stories []Story, o RankOptions) []Ranked {
	half := o.HalfLife
	if half <= 0 {
		half = DefaultHalfLife
	}
	topics := make([]topicMatcher, 0, len(o.Topics))
	for _, t := range o.Topics {
		if m, ok := newTopicMatcher(t); ok {
			topics = append(topics, m)
		}
	}
	byArticle := make(map[int64]string)
	for key, d := range o.Delivered {
		for _, id := range d.ArticleIDs {
			if prev, ok := byArticle[id]; !ok || key < prev {
				byArticle[id] = key
			}
		}
	}

	out := make([]Ranked, 0, len(stories))
	var last []time.Time // of out's stories, for the order
	for _, s := range stories {
		if len(s.Members) == 0 {
			continue
		}
		r := Ranked{Story: s}
		if key, d, ok := delivered(s, o.Delivered, byArticle); ok {
			r.NewArticles = newSince(s, d)
			if len(r.NewArticles) == 0 {
				continue
			}
			r.Update, r.DeliveredKey = true, key
		}
		r.Outlets = s.Outlets()
		t := s.Last()
		age := o.Now.Sub(t)
		r.Recency = math.Exp2(-max(age, 0).Hours() / half.Hours())
		r.Centrality = s.Centrality
		r.TopicBoost = 1
		if len(topics) > 0 {
			r.TopicsFound = matchTopics(s, topics)
			r.TopicBoost = min(1+0.75*float64(len(r.TopicsFound)), 2.5)
		}
		r.Score = (1 + math.Log(float64(r.Outlets))) * r.Recency * (0.5 + 0.5*r.Centrality) * r.TopicBoost
		out = append(out, r)
		last = append(last, t)
	}
	// Order positions rather than the stories themselves, which are large,
	// and copy out only the first Limit; position breaks the last ties, as
	// a stable sort would.
	order := make([]int, len(out))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(i, j int) int {
		a, b := &out[i], &out[j]
		switch {
		case a.Score > b.Score:
			return -1
		case a.Score < b.Score:
			return 1
		}
		if c := last[j].Compare(last[i]); c != 0 {
			return c
		}
		if c := strings.Compare(a.Key, b.Key); c != 0 {
			return c
		}
		return i - j
	})
	if o.Limit > 0 && len(order) > o.Limit {
		order = order[:o.Limit]
	}
	ranked := make([]Ranked, len(order))
	for k, i := range order {
		ranked[k] = out[i]
	}
	return ranked
}

// delivered finds the channel's record of s: under its key, else the
// record that shares the most articles with it (ties: smaller key).
func delivered(s Story, recs map[string]DeliveredInfo, byArticle map[int64]string) (string, DeliveredInfo, bool) {
	if d, ok := recs[s.Key]; ok {
		return s.Key, d, true
	}
	if len(byArticle) == 0 {
		return "", DeliveredInfo{}, false
	}
	shared := make(map[string]int)
	for _, m := range s.Members {
		if key, ok := byArticle[m.ID]; ok {
			shared[key]++
		}
	}
	best, n := "", 0
	for key, c := range shared {
		if c > n || c == n && key < best {
			best, n = key, c
		}
	}
	if n == 0 {
		return "", DeliveredInfo{}, false
	}
	return best, recs[best], true
}

// newSince returns the IDs of s's articles that the delivery d did not
// include, ascending.
func newSince(s Story, d DeliveredInfo) []int64 {
	sent := make(map[int64]bool, len(d.ArticleIDs))
	for _, id := range d.ArticleIDs {
		sent[id] = true
	}
	var ids []int64
	for _, m := range s.Members {
		if !sent[m.ID] {
			ids = append(ids, m.ID)
		}
	}
	slices.Sort(ids)
	return ids
}

// topicMatcher finds one topic, as a sequence of whole words.
type topicMatcher struct {
	topic  string
	phrase string // " w1 w2 " for matching against normalised text
}

func newTopicMatcher(topic string) (topicMatcher, bool) {
	w := words(topic)
	if len(w) == 0 {
		return topicMatcher{}, false
	}
	return topicMatcher{topic: strings.TrimSpace(topic), phrase: " " + strings.Join(w, " ") + " "}, true
}

// matchTopics returns the topics found in the title or lede of one of
// s's members, in the order given.
func matchTopics(s Story, topics []topicMatcher) []string {
	texts := make([]string, 0, 2*len(s.Members))
	for _, m := range s.Members {
		texts = append(texts, normalizeWords(m.Title), normalizeWords(m.Lede))
	}
	var found []string
	for _, t := range topics {
		for _, text := range texts {
			if strings.Contains(text, t.phrase) {
				found = append(found, t.topic)
				break
			}
		}
	}
	return found
}

// normalizeWords returns the words of s (see scanWords) joined by single
// spaces, with a space at each end, so that a phrase " a b " is found by
// strings.Contains exactly when its words occur in s in a row.
func normalizeWords(s string) string {
	var b strings.Builder
	b.Grow(len(s) + 2)
	b.WriteByte(' ')
	scanWords(s, nil, func(w []byte) {
		b.Write(w)
		b.WriteByte(' ')
	})
	return b.String()
}
