package bot

import (
	"context"
	"fmt"
	"log/slog"
	"net/url"
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
	ans, err := p.Analyses(ctx, kept)
	if err != nil {
		return nil, err
	}
	var stories []story.Story
	if p.liveOnce.Do(func() { p.live = newLiveClusters() }); p.live.covers(req.Since, req.Now) {
		stories = p.live.stories(req.Now, kept, ans, names)
	} else {
		stories = clusterArticles(kept, ans, names)
	}
	max := req.Max
	if max <= 0 {
		max = 8
	}
	if l := filter.Limit(); l > 0 && l < max {
		max = l
	}
	ranked := story.Rank(stories, story.RankOptions{Now: req.Now, Topics: req.Topics, Delivered: deliveredForRank(req.Delivered), Limit: max})
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

// storyArticle maps a stored article onto what clustering and filters use.
func storyArticle(a *store.Article, an *store.Analysis, names map[int64]string) story.Article {
	sa := story.Article{ID: a.ID, Source: outlet(a, names), URL: a.URL, Title: a.Title, Body: a.Body,
		Time: a.EffectiveTime(), Language: a.Language}
	if an != nil {
		sa.Lede = an.Lede
	}
	return sa
}

// clusterArticles groups articles into stories, oldest first so that a
// story's key is its first article.
func clusterArticles(arts []*store.Article, ans map[int64]*store.Analysis, names map[int64]string) []story.Story {
	sorted := make([]*store.Article, len(arts))
	copy(sorted, arts)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].ID < sorted[j].ID })
	c := story.NewClusterer(story.Options{})
	for _, a := range sorted {
		c.Add(storyArticle(a, ans[a.ID], names))
	}
	return c.Stories()
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
