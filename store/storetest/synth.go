package storetest

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"time"

	"github.com/newsdigest/newsdigest/store"
)

// The backends' benchmarks share this synthetic news, so that their numbers
// compare: made-up words from made-up syllables, drawn with a Zipf
// distribution so that word frequencies look like real text (a few very
// common words, a long tail of rare ones). No real text is used.

// Synth makes deterministic synthetic articles.
type Synth struct {
	rng   *rand.Rand
	zipf  *rand.Zipf
	Vocab []string // the 20,000 words, most frequent first
}

// NewSynth returns a generator; the same seed gives the same articles.
func NewSynth(seed uint64) *Synth {
	rng := rand.New(rand.NewPCG(seed, 0x6e657773))
	syllables := strings.Fields("ka ri to mu ne sa lo vi de an par os tel mir gor zen bra lu chi fen dor ist ul ver mak ton pe ru sha")
	vocab := make([]string, 0, 20000)
	seen := map[string]bool{}
	// Vocabulary generated from a fixed seed independent of the article seed,
	// so that every generator shares it and searches find the same words.
	vr := rand.New(rand.NewPCG(1, 2))
	for len(vocab) < cap(vocab) {
		n := 1 + vr.IntN(4)
		var w strings.Builder
		for range n {
			w.WriteString(syllables[vr.IntN(len(syllables))])
		}
		if !seen[w.String()] {
			seen[w.String()] = true
			vocab = append(vocab, w.String())
		}
	}
	return &Synth{rng: rng, zipf: rand.NewZipf(rng, 1.07, 2, uint64(len(vocab)-1)), Vocab: vocab}
}

// IntN returns a pseudo-random number in [0, n) from the generator's source.
func (g *Synth) IntN(n int) int { return g.rng.IntN(n) }

// Word returns a word drawn by frequency.
func (g *Synth) Word() string { return g.Vocab[g.zipf.Uint64()] }

func (g *Synth) sentence(b *strings.Builder) {
	n := 8 + g.rng.IntN(18)
	for i := range n {
		w := g.Word()
		if i == 0 {
			w = strings.ToUpper(w[:1]) + w[1:]
		} else {
			b.WriteByte(' ')
			if g.rng.IntN(12) == 0 { // a name
				w = strings.ToUpper(w[:1]) + w[1:]
			}
		}
		b.WriteString(w)
		if i < n-1 && g.rng.IntN(10) == 0 {
			b.WriteByte(',')
		}
	}
	b.WriteByte('.')
}

// Article returns article number n with about size bytes of body text.
func (g *Synth) Article(n int, size int) *store.Article {
	var title strings.Builder
	g.sentence(&title)
	var body strings.Builder
	for body.Len() < size {
		if body.Len() > 0 {
			body.WriteString("\n\n")
		}
		for range 2 + g.rng.IntN(4) {
			if body.Len() > 0 && !strings.HasSuffix(body.String(), "\n\n") {
				body.WriteByte(' ')
			}
			g.sentence(&body)
		}
	}
	return &store.Article{
		URL:      fmt.Sprintf("https://outlet%d.example.com/news/2026/%d-%s?utm_source=rss&utm_medium=feed", n%40, n, g.Word()),
		Title:    strings.TrimSuffix(title.String(), "."),
		Byline:   "By " + g.Word() + " " + g.Word(),
		Language: "en",
		Body:     body.String(),
	}
}

// Articles500 is the ingest benchmarks' feed: 500 articles of about 3 KB,
// a minute apart back from the first call. Callers must not change them
// (see Copies).
var Articles500 = sync.OnceValue(func() []*store.Article {
	g := NewSynth(500)
	now := time.Now()
	as := make([]*store.Article, 500)
	for i := range as {
		as[i] = g.Article(i, 3000)
		as[i].Published = now.Add(-time.Duration(i) * time.Minute)
	}
	return as
})

// Copies returns fresh copies of as, since PutArticles writes to them.
func Copies(as []*store.Article) []*store.Article {
	out := make([]*store.Article, len(as))
	for i, a := range as {
		c := *a
		out[i] = &c
	}
	return out
}

// The big store of the query benchmarks: BigArticles articles, BigRecent of
// them in the 24 hours before BigAnchor and the rest in the year before
// that, 2 to 4 KB of body each, generated in time order (as a poller would
// store them) in batches of 5,000. BigGenerator changes whenever the
// articles do, so that stores cached by benchmarks are rebuilt.
const (
	BigArticles  = 100000
	BigRecent    = 5000
	BigGenerator = "g1"
)

// BigAnchor is the end of the big store's last day.
var BigAnchor = time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)

// BigBatches generates the big store, calling put with each batch of
// 5,000 articles in order; it stops at put's first error.
func BigBatches(put func([]*store.Article) error) error {
	g := NewSynth(100000)
	old := BigArticles - BigRecent
	oldSpan := 365 * 24 * time.Hour
	const batchSize = 5000
	batch := make([]*store.Article, 0, batchSize)
	for i := range BigArticles {
		a := g.Article(i, 2000+g.rng.IntN(2000))
		if i < old {
			a.Published = BigAnchor.Add(-24*time.Hour - oldSpan + time.Duration(i)*oldSpan/time.Duration(old))
		} else {
			a.Published = BigAnchor.Add(-24*time.Hour + time.Duration(i-old)*24*time.Hour/BigRecent)
		}
		a.Fetched = a.Published.Add(time.Duration(g.rng.IntN(600)) * time.Second)
		batch = append(batch, a)
		if len(batch) == batchSize || i == BigArticles-1 {
			if err := put(batch); err != nil {
				return err
			}
			batch = batch[:0]
		}
	}
	return nil
}
