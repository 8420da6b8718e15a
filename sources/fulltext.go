package sources

import (
	"context"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/newsdigest/newsdigest/store"
)

// teaserEndings are how feeds end an excerpt that stands for a longer
// story, compared lower-cased after trailing arrows and spaces.
var teaserEndings = []string{
	"…", "...", "[…]", "[...]", "(…)", "(...)",
	"read more", "continue reading", "read the full story", "read the full article",
	"read full article", "read full story", "keep reading",
	"читать далее", "подробнее", "weiterlesen", "lire la suite", "leer más",
}

// IsTeaser reports whether feed text looks like an excerpt rather than a
// whole story: shorter than minChars characters, or ending with an
// ellipsis or a "Read more" link.
func IsTeaser(body string, minChars int) bool {
	if utf8.RuneCountInString(body) < minChars {
		return true
	}
	end := strings.ToLower(strings.TrimRight(body, " \t\n»›→>\u00a0"))
	for _, e := range teaserEndings {
		if strings.HasSuffix(end, e) {
			return true
		}
	}
	return false
}

// NeedsFullText reports whether, under mode, a's page should be fetched
// for the whole story.
func (f *Fetcher) NeedsFullText(mode store.FullTextMode, a *store.Article) bool {
	if a.URL == "" {
		return false
	}
	switch mode {
	case store.FullTextAlways:
		return true
	case store.FullTextAuto:
		return IsTeaser(a.Body, orDefault(f.TeaserChars, 500))
	}
	return false
}

// ExpandFullText fetches the pages of the articles that need it under mode
// (see NeedsFullText), at most MaxFullText of them, and replaces an
// article's body with the page's text when that is longer. A page that
// fails to fetch or to extract leaves the feed's text in place: full text
// is an improvement, never a reason to lose an item. It returns how many
// articles got their page's text.
func (f *Fetcher) ExpandFullText(ctx context.Context, mode store.FullTextMode, arts []*store.Article) int {
	var todo []*store.Article
	for _, a := range arts {
		if f.NeedsFullText(mode, a) {
			todo = append(todo, a)
		}
	}
	if max := orDefault(f.MaxFullText, 20); len(todo) > max {
		todo = todo[:max]
	}
	var (
		wg       sync.WaitGroup
		mu       sync.Mutex
		replaced int
		next     = make(chan *store.Article)
	)
	for range min(orDefault(f.FullTextConcurrency, 2), len(todo)) {
		wg.Go(func() {
			for a := range next {
				if f.expand(ctx, a) {
					mu.Lock()
					replaced++
					mu.Unlock()
				}
			}
		})
	}
	for _, a := range todo {
		if ctx.Err() != nil {
			break
		}
		next <- a
	}
	close(next)
	wg.Wait()
	return replaced
}

// expand fetches a's page and merges what it finds into a.
func (f *Fetcher) expand(ctx context.Context, a *store.Article) bool {
	page, err := f.FetchPage(ctx, a.URL)
	if err != nil {
		f.logger().Debug("full text unavailable, keeping feed text", "url", a.URL, "err", err)
		return false
	}
	if utf8.RuneCountInString(page.Body) <= utf8.RuneCountInString(a.Body) {
		return false
	}
	a.Body = page.Body
	if a.Title == "" {
		a.Title = page.Title
	}
	if a.Byline == "" {
		a.Byline = page.Byline
	}
	if a.Language == "" {
		a.Language = page.Language
	}
	if a.Published.IsZero() {
		a.Published = page.Published
	}
	return true
}
