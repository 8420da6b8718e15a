package bot

import (
	"cmp"
	"context"
	"fmt"
	"log/slog"
	"maps"
	"net/url"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/newsdigest/newsdigest/digest"
	"github.com/newsdigest/newsdigest/digest/story"
	"github.com/newsdigest/newsdigest/store"
)

// Pipeline turns stored articles into digests: it reads a window of
// articles, makes sure each has its analysis (computed once and kept in the
// store), applies the channel's filters, groups articles into stories, ranks
// them and builds the platform-neutral digest.
type Pipeline struct {
	Store Store
	Log   *slog.Logger
	// MaxArticles caps the articles one digest considers (newest first).
	MaxArticles int

	liveOnce sync.Once
	live     *liveClusters
}

// DefaultWindow is the period a digest covers when nothing else says.
const DefaultWindow = 24 * time.Hour

// MaxWindow caps the period of any digest.
const MaxWindow = 7 * 24 * time.Hour

const defaultMaxArticles = 5000

// BuildRequest says what digest to build.
type BuildRequest struct {
	Name      string
	Now       time.Time
	Location  *time.Location
	Since     time.Time
	Until     time.Time // zero: Now
	Topic     string    // only stories about this (full-text match)
	Topics    []string  // the channel's topics: rank these higher
	Filters   []string  // the channel's filter rules
	Max       int
	Delivered map[string]store.Delivered // what the channel already received
	StoryKey  string                     // only the story with this key (/story)
	Late      bool
}

// Built is a digest and the stories it holds, for recording delivery.
type Built struct {
	Digest    *digest.Digest
	Delivered []store.Delivered
}

func (p *Pipeline) log() *slog.Logger {
	if p.Log != nil {
		return p.Log
	}
	return slog.Default()
}

// Analysis returns the analysis of one article, computing and storing it
// when the store has none from this engine version.
func (p *Pipeline) Analysis(ctx context.Context, a *store.Article) (*store.Analysis, error) {
	m, err := p.Analyses(ctx, []*store.Article{a})
	if err != nil {
		return nil, err
	}
	return m[a.ID], nil
}

// Analyses returns the analyses of arts, computing and storing the missing.
func (p *Pipeline) Analyses(ctx context.Context, arts []*store.Article) (map[int64]*store.Analysis, error) {
	ids := make([]int64, len(arts))
	for i, a := range arts {
		ids[i] = a.ID
	}
	have, err := p.Store.Analyses(ctx, ids, digest.Version)
	if err != nil {
		return nil, fmt.Errorf("bot: load analyses: %w", err)
	}
	var missing []*store.Analysis
	for _, a := range arts {
		if _, ok := have[a.ID]; ok {
			continue
		}
		an := Analyse(a)
		have[a.ID] = an
		missing = append(missing, an)
	}
	if len(missing) > 0 {
		if err := p.Store.PutAnalyses(ctx, missing); err != nil {
			// The digest can still be made; the next one computes them again.
			p.log().Warn("bot: store analyses", "count", len(missing), "error", err)
		}
	}
	return have, nil
}

// Warm clusters the articles a default digest at now reads into the live
// clusters, so that the first digest after a start costs what later ones
// do instead of clustering thousands of articles (see BenchmarkDigest:
// hundreds of milliseconds against tens). Run it in the background when
// the bot starts; a digest asked for meanwhile waits for the clustering
// rather than repeating it.
func (p *Pipeline) Warm(ctx context.Context, now time.Time) error {
	req := BuildRequest{Now: now, Since: now.Add(-DefaultWindow)}
	arts, err := p.window(ctx, req)
	if err != nil {
		return err
	}
	p.liveOnce.Do(func() { p.live = newLiveClusters() })
	if !p.live.covers(oldest(arts, req.Since), now) {
		return nil
	}
	names, _ := p.outletNames(ctx)
	return p.live.add(now, arts, p.reader(ctx, map[int64]*store.Analysis{}, names, analysisChunk))
}

// readFunc hands the articles to cluster, sorted by ID, to add as story
// articles, a chunk at a time, oldest first.
type readFunc func(arts []*store.Article, add func([]story.Article)) error

// analysisChunk is how many articles' analyses a reader reads at once.
const analysisChunk = 1000

// reader returns a readFunc that reads the articles' analyses (see
// Analyses) into ans, size articles at a time, reading the next chunk's
// while add clusters this one's: on more than one core the store's work
// hides behind clustering.
func (p *Pipeline) reader(ctx context.Context, ans map[int64]*store.Analysis, names map[int64]string, size int) readFunc {
	return func(arts []*store.Article, add func([]story.Article)) error {
		type chunk struct {
			arts []*store.Article
			ans  map[int64]*store.Analysis
			err  error
		}
		chunks := make(chan chunk, 1)
		ctx, cancel := context.WithCancel(ctx)
		defer cancel()
		go func() {
			defer close(chunks)
			for len(arts) > 0 {
				n := min(len(arts), size)
				m, err := p.Analyses(ctx, arts[:n])
				select {
				case chunks <- chunk{arts[:n], m, err}:
				case <-ctx.Done():
					return
				}
				if err != nil {
					return
				}
				arts = arts[n:]
			}
		}()
		for c := range chunks {
			if c.err != nil {
				return c.err
			}
			maps.Copy(ans, c.ans)
			add(storyArticles(c.arts, ans, names))
		}
		return nil
	}
}

// window loads the articles of the request's period.
func (p *Pipeline) window(ctx context.Context, req BuildRequest) ([]*store.Article, error) {
	limit := p.MaxArticles
	if limit <= 0 {
		limit = defaultMaxArticles
	}
	until := req.Until
	if until.IsZero() {
		until = req.Now
	}
	q := store.ArticleQuery{Since: req.Since, Until: until.Add(time.Second), Search: req.Topic, Limit: limit}
	arts, err := p.Store.Articles(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("bot: load articles: %w", err)
	}
	return arts, nil
}

// outletNames maps source ids to names.
func (p *Pipeline) outletNames(ctx context.Context) (map[int64]string, []*store.Source) {
	names := map[int64]string{}
	srcs, err := p.Store.Sources(ctx)
	if err != nil {
		p.log().Warn("bot: list sources", "error", err)
		return names, nil
	}
	for _, s := range srcs {
		names[s.ID] = s.Name
	}
	return names, srcs
}

// outlet names the publication of an article.
func outlet(a *store.Article, names map[int64]string) string {
	switch {
	case names[a.SourceID] != "":
		return names[a.SourceID] // the operator's name for the feed
	case a.Outlet != "":
		return a.Outlet
	}
	if u, err := url.Parse(a.URL); err == nil && u.Host != "" {
		return strings.TrimPrefix(u.Hostname(), "www.")
	}
	return "unknown outlet"
}

// Build makes the digest req asks for.
func (p *Pipeline) Build(ctx context.Context, req BuildRequest) (*Built, error) {
	if req.Location == nil {
		req.Location = time.UTC
	}
	filter, err := story.ParseFilter(req.Filters...)
	if err != nil {
		return nil, fmt.Errorf("bot: this chat's filters: %w", err)
	}
	arts, err := p.window(ctx, req)
	if err != nil {
		return nil, err
	}
	names, srcs := p.outletNames(ctx)
	byID := make(map[int64]*store.Article, len(arts))
	var kept []*store.Article
	for _, a := range arts {
		if ok, _ := filter.Keep(storyArticle(a, nil, names)); ok {
			kept = append(kept, a)
			byID[a.ID] = a
		}
	}
	// Clustering needs the analyses (their ledes) of the articles it has
	// not seen; the digest, those of the stories it shows. A running bot's
	// live clusters have seen most of the window, so most analyses are
	// never read.
	ans := map[int64]*store.Analysis{}
	read := p.reader(ctx, ans, names, analysisChunk)
	var stories []story.Story
	if p.liveOnce.Do(func() { p.live = newLiveClusters() }); p.live.covers(oldest(kept, req.Since), req.Now) {
		stories, err = p.live.stories(req.Now, kept, read)
	} else {
		stories, err = clusterArticles(kept, read)
	}
	if err != nil {
		return nil, err
	}
	if req.StoryKey != "" {
		// One story asked for by its key: rank and read that one only.
		stories = slices.DeleteFunc(stories, func(s story.Story) bool { return s.Key != req.StoryKey })
	}
	max := req.Max
	if max <= 0 {
		max = 8
	}
	if l := filter.Limit(); l > 0 && l < max {
		max = l
	}
	ranked := story.Rank(stories, story.RankOptions{Now: req.Now, Topics: req.Topics, Delivered: deliveredForRank(req.Delivered), Limit: max})
	if err := p.addAnalyses(ctx, ans, ranked, byID); err != nil {
		return nil, err
	}
	until := req.Until
	if until.IsZero() {
		until = req.Now
	}
	d := &digest.Digest{Name: req.Name, At: req.Now.In(req.Location), Since: req.Since.In(req.Location),
		Until: until.In(req.Location), Late: req.Late}
	out := &Built{Digest: d}
	for _, r := range ranked {
		if len(d.Stories) == max {
			break
		}
		item := storyItem(r.Story, byID, ans)
		item.Update = r.Update
		d.Stories = append(d.Stories, item)
		out.Delivered = append(out.Delivered, store.Delivered{StoryKey: r.Story.Key, Articles: len(r.Story.Members),
			ArticleIDs: r.Story.ArticleIDs(), At: req.Now})
	}
	d.Failing = failingSources(srcs)
	return out, nil
}

// oldest returns the time of the oldest of arts, or since if that is later:
// the start of the period the articles really cover when the window was
// cut at MaxArticles.
func oldest(arts []*store.Article, since time.Time) time.Time {
	from := time.Time{}
	for i, a := range arts {
		if t := a.EffectiveTime(); i == 0 || t.Before(from) {
			from = t
		}
	}
	if len(arts) == 0 || from.Before(since) {
		return since
	}
	return from
}

// addAnalyses adds to ans those of the ranked stories' members it lacks.
func (p *Pipeline) addAnalyses(ctx context.Context, ans map[int64]*store.Analysis, ranked []story.Ranked, byID map[int64]*store.Article) error {
	var need []*store.Article
	for _, r := range ranked {
		for _, m := range r.Members {
			if _, ok := ans[m.ID]; !ok && byID[m.ID] != nil {
				need = append(need, byID[m.ID])
			}
		}
	}
	if len(need) == 0 {
		return nil
	}
	more, err := p.Analyses(ctx, need)
	if err != nil {
		return err
	}
	maps.Copy(ans, more)
	return nil
}

// storyArticle maps a stored article onto what clustering and filters use.
func storyArticle(a *store.Article, an *store.Analysis, names map[int64]string) story.Article {
	sa := story.Article{ID: a.ID, Source: outlet(a, names), URL: a.URL, Title: a.Title, Body: a.Body,
		Time: a.EffectiveTime(), Language: a.Language}
	if an != nil {
		sa.Lede = an.Lede
	}
	return sa
}

// storyArticles maps stored articles onto what clustering uses.
func storyArticles(arts []*store.Article, ans map[int64]*store.Analysis, names map[int64]string) []story.Article {
	out := make([]story.Article, len(arts))
	for i, a := range arts {
		out[i] = storyArticle(a, ans[a.ID], names)
	}
	return out
}

// clusterArticles groups articles into stories, oldest first so that a
// story's key is its first article.
func clusterArticles(arts []*store.Article, read readFunc) ([]story.Story, error) {
	c := story.NewClusterer(story.Options{})
	err := read(sortedByID(arts), func(sa []story.Article) { c.AddAll(sa, runtime.GOMAXPROCS(0)) })
	return c.Stories(), err
}

// sortedByID returns arts sorted by ID, in a new slice.
func sortedByID(arts []*store.Article) []*store.Article {
	sorted := slices.Clone(arts)
	slices.SortFunc(sorted, func(a, b *store.Article) int { return cmp.Compare(a.ID, b.ID) })
	return sorted
}

// storyItem builds what a digest shows of one story: the headline, the
// summary of its most central article, up to two key quotes from its
// articles (verbatim, with speaker and outlet), and every link.
func storyItem(s story.Story, byID map[int64]*store.Article, ans map[int64]*store.Analysis) digest.StoryItem {
	item := digest.StoryItem{ID: s.Key, Headline: s.Headline(), Time: s.Last()}
	members := make([]story.Member, len(s.Members))
	copy(members, s.Members)
	sort.SliceStable(members, func(i, j int) bool { return members[i].Similarity > members[j].Similarity })
	for _, m := range members {
		if an := ans[m.ID]; an != nil && len(an.Summary) > 0 {
			item.Summary = strings.Join(an.Summary, " ")
			break
		}
	}
	seen := newQuoteSet(item.Summary)
	for rank := 1; rank <= keyQuotesPerItem && len(item.Quotes) < keyQuotesPerItem; rank++ {
		for _, m := range members {
			an := ans[m.ID]
			if an == nil || len(item.Quotes) == keyQuotesPerItem {
				continue
			}
			for _, q := range an.Quotes {
				if !q.Key || q.Rank != rank || q.Speaker == "" || !seen.add(q.Text) {
					continue
				}
				item.Quotes = append(item.Quotes, digest.KeyQuote{Text: q.Text, Speaker: q.Speaker, Outlet: m.Source, URL: m.URL})
				break
			}
		}
	}
	for _, l := range s.Links() {
		item.Links = append(item.Links, digest.Link(l))
	}
	return item
}

// failingSources lists the sources whose last fetch failed, for the footer.
func failingSources(srcs []*store.Source) []digest.FailingSource {
	var out []digest.FailingSource
	for _, s := range srcs {
		if !s.Failing() {
			continue
		}
		out = append(out, digest.FailingSource{Name: s.Name, Since: failingSince(s), Error: s.State.LastError})
	}
	return out
}

func deliveredForRank(ds map[string]store.Delivered) map[string]story.DeliveredInfo {
	out := make(map[string]story.DeliveredInfo, len(ds))
	for k, d := range ds {
		out[k] = story.DeliveredInfo{At: d.At, ArticleIDs: d.ArticleIDs}
	}
	return out
}
