package story

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"
)

// synth makes deterministic synthetic news: a Zipf-distributed common
// vocabulary shared by everything, plus a handful of names and figures
// specific to each story, which its articles repeat.
type synth struct {
	rng   *rand.Rand
	zipf  *rand.Zipf
	vocab []string
}

func newSynth(seed uint64) *synth {
	rng := rand.New(rand.NewPCG(seed, 1))
	s := &synth{rng: rng, zipf: rand.NewZipf(rng, 1.2, 2, 29999)}
	s.vocab = make([]string, 30000)
	for i := range s.vocab {
		s.vocab[i] = synthWord(uint64(i), "")
	}
	return s
}

var synthFunctionWords = strings.Fields("the of and to a in that is was he for it with as his on be at by had not are but from or have an they which one were her all she there would their we him been has when who will more no if out so said what up its about into than them can only other new some could time these two may then do first any my now such like our over man me even most made after also did many before must through back years where much your way well down should because each just those people how too little state good very make world still own see men work long get here between both life being under never day same another know while last might us great old year off come since against go came right used take three")

// synthWord spells n with letters, so each number is one word.
func synthWord(n uint64, prefix string) string {
	const letters = "bcdfghjklmnprstvz"
	var b strings.Builder
	b.WriteString(prefix)
	for {
		b.WriteByte(letters[n%uint64(len(letters))])
		b.WriteByte("aeiou"[n%5])
		n /= uint64(len(letters))
		if n == 0 {
			return b.String()
		}
	}
}

// article returns article id of story st: a title, and a body of words
// words. Articles of one story share a wire lede of about a fifth of the
// body (as rewritten agency copy does) and their story's 24 specific
// words, which recur in the rest.
func (s *synth) article(id int64, st int, words int, at time.Time) Article {
	specific := make([]string, 24)
	for i := range specific {
		specific[i] = synthWord(uint64(st*24+i), "q")
	}
	pickWith := func(rng *rand.Rand) string {
		switch r := rng.IntN(20); {
		case r < 3:
			return specific[rng.IntN(len(specific))]
		case r < 11: // function words make up about 45 % of English text
			return synthFunctionWords[rng.IntN(len(synthFunctionWords))]
		}
		return s.vocab[s.zipf.Uint64()%uint64(len(s.vocab))]
	}
	wire := rand.New(rand.NewPCG(uint64(st), 7)) // the same for every article of the story
	title := make([]string, 8)
	for i := range title {
		title[i] = pickWith(s.rng)
	}
	title[0], title[3] = specific[0], specific[1]
	var body strings.Builder
	for i := range words {
		w := pickWith(s.rng)
		if i < words/5 {
			w = wireWord(wire, specific)
		}
		body.WriteString(w)
		if i%18 == 17 {
			body.WriteString(". ")
		} else {
			body.WriteByte(' ')
		}
	}
	return Article{
		ID: id, Source: fmt.Sprintf("outlet%d", s.rng.IntN(40)), URL: fmt.Sprintf("https://example.com/%d", id),
		Title: strings.Join(title, " "), Body: body.String(), Time: at, Language: "en",
	}
}

// wireWord draws a word of a story's shared lede from the story's own
// generator, so every article of the story has the same lede.
func wireWord(rng *rand.Rand, specific []string) string {
	switch r := rng.IntN(20); {
	case r < 5:
		return specific[rng.IntN(len(specific))]
	case r < 13:
		return synthFunctionWords[rng.IntN(len(synthFunctionWords))]
	}
	return synthWord(uint64(rng.IntN(30000)), "")
}

// BenchmarkAdd measures adding one article to a Clusterer that holds
// 10,000 open stories; half the added articles belong to an existing
// story. It reports the median and 99th percentile of single Adds.
func BenchmarkAdd(b *testing.B) {
	const open = 10000
	s := newSynth(1)
	start := time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)
	c := NewClusterer(Options{})
	for i := range open {
		c.Add(s.article(int64(i+1), i, 300, start.Add(time.Duration(i)*time.Second)))
	}
	if c.Len() < open*97/100 {
		b.Fatalf("setup made %d stories of %d articles", c.Len(), open)
	}
	next := int64(open + 1)
	const batch = 512
	pending := make([]Article, 0, batch)
	durs := make([]time.Duration, 0, 1<<16)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if len(pending) == 0 {
			b.StopTimer()
			for range batch {
				st := s.rng.IntN(2 * open) // >= open: a new story
				pending = append(pending, s.article(next, st, 300, start.Add(3*time.Hour)))
				next++
			}
			b.StartTimer()
		}
		a := pending[len(pending)-1]
		pending = pending[:len(pending)-1]
		t0 := time.Now()
		c.Add(a)
		durs = append(durs, time.Since(t0))
	}
	b.StopTimer()
	slices.Sort(durs)
	b.ReportMetric(float64(durs[len(durs)/2].Nanoseconds()), "p50-ns/op")
	b.ReportMetric(float64(durs[len(durs)*99/100].Nanoseconds()), "p99-ns/op")
	b.ReportMetric(float64(c.Len()), "stories")
}

// BenchmarkClusterWindow clusters a 5,000-article window from scratch:
// 2,500 stories of one to three articles, spread over 48 hours.
func BenchmarkClusterWindow(b *testing.B) {
	const n = 5000
	s := newSynth(2)
	start := time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)
	arts := make([]Article, n)
	for i := range arts {
		arts[i] = s.article(int64(i+1), s.rng.IntN(n/2), 300, start.Add(time.Duration(i)*48*time.Hour/n))
	}
	b.ReportAllocs()
	var stories int
	for b.Loop() {
		c := NewClusterer(Options{})
		for _, a := range arts {
			c.Add(a)
		}
		stories = c.Len()
	}
	b.ReportMetric(float64(stories), "stories")
}

// BenchmarkRankWindow measures what a digest pays when the bot keeps one
// Clusterer and adds articles as they arrive: expire, snapshot the open
// stories of a 5,000-article window, rank them for a channel with topics
// and a delivery history, and build the top ten's headlines and links.
func BenchmarkRankWindow(b *testing.B) {
	const n = 5000
	s := newSynth(2)
	start := time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)
	c := NewClusterer(Options{})
	for i := range n {
		c.Add(s.article(int64(i+1), s.rng.IntN(n/2), 300, start.Add(time.Duration(i)*47*time.Hour/n)))
	}
	now := start.Add(47 * time.Hour)
	delivered := make(map[string]DeliveredInfo)
	for _, st := range c.Stories()[:200] {
		delivered[st.Key] = DeliveredInfo{At: now, ArticleIDs: st.ArticleIDs()[:1]}
	}
	opt := RankOptions{Now: now, Topics: []string{synthWord(3, ""), synthWord(17, ""), "qbana"}, Delivered: delivered, Limit: 10}
	b.ReportAllocs()
	for b.Loop() {
		c.Expire(now)
		ranked := Rank(c.Stories(), opt)
		for _, r := range ranked {
			_ = r.Headline()
			_ = r.Links()
		}
	}
}
