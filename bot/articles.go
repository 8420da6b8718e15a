package bot

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/newsdigest/newsdigest/store"
)

const (
	maxSearchWords = 20
	searchResults  = 8
)

func (b *Bot) handleSearch(ctx context.Context, req Request) Reply {
	words := strings.TrimSpace(strings.Join(req.Args, " "))
	if words == "" {
		return errorReply("What should I look for? For example: /search interest rates")
	}
	if len(strings.Fields(words)) > maxSearchWords || len(words) > 500 {
		return errorReply("That search is too long: use at most %d words.", maxSearchWords)
	}
	list, err := b.Store.Articles(ctx, store.ArticleQuery{Search: words, Limit: searchResults})
	if err != nil {
		return b.internalError(req, "search the articles", err)
	}
	if len(list) == 0 {
		return textReply("Nothing found for %q.", clipRunes(words, 80))
	}
	names := b.sourceNames(ctx)
	var sb strings.Builder
	fmt.Fprintf(&sb, "Newest articles with %q:\n", clipRunes(words, 80))
	for _, a := range list {
		fmt.Fprintf(&sb, "\n%s (%s", clipRunes(a.Title, 200), outlet(a, names))
		if t := a.EffectiveTime(); !t.IsZero() {
			fmt.Fprintf(&sb, ", %s", ago(b.now(), t))
		}
		sb.WriteString(")")
		if a.URL != "" {
			fmt.Fprintf(&sb, "\n%s", a.URL)
		}
		sb.WriteString("\n")
	}
	return Reply{Text: strings.TrimSpace(sb.String())}
}

// sourceNames maps source ids to names; a failure only loses the names.
func (b *Bot) sourceNames(ctx context.Context) map[int64]string {
	names := map[int64]string{}
	srcs, err := b.Store.Sources(ctx)
	if err != nil {
		b.log().Warn("bot: list sources", "error", err)
		return names
	}
	for _, s := range srcs {
		names[s.ID] = s.Name
	}
	return names
}

// handleAdd stores one page and answers with its summary and key quotes.
func (b *Bot) handleAdd(ctx context.Context, req Request) Reply {
	if len(req.Args) != 1 {
		return errorReply("Usage: /add URL, for example /add https://example.com/news/story")
	}
	raw := strings.Trim(req.Args[0], "<>")
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || len(raw) > 2048 {
		return errorReply("%q is not a link I can fetch: give an http or https URL.", clipRunes(raw, 80))
	}
	if b.Pages == nil {
		return errorReply("Adding pages is turned off on this bot.")
	}
	a, err := b.Pages.FetchPage(ctx, u.String())
	if err != nil {
		b.log().Info("bot: add page failed", "url", u.String(), "error", err)
		return errorReply("I could not get an article from that page: %s", shortError(err))
	}
	if _, err := b.Store.PutArticle(ctx, a); err != nil {
		if errors.Is(err, store.ErrInvalid) {
			return errorReply("That page has no article text I can use.")
		}
		return b.internalError(req, "store the article", err)
	}
	an, err := b.Pipeline.Analysis(ctx, a)
	if err != nil {
		return b.internalError(req, "summarise the article", err)
	}
	var sb strings.Builder
	fmt.Fprintf(&sb, "Added: %s\n", clipRunes(a.Title, 200))
	if len(an.Summary) > 0 {
		fmt.Fprintf(&sb, "\n%s\n", strings.Join(an.Summary, " "))
	}
	for _, q := range an.Quotes {
		if !q.Key {
			continue
		}
		speaker := q.Speaker
		if speaker == "" {
			speaker = "unattributed"
		}
		fmt.Fprintf(&sb, "\n“%s” — %s\n", q.Text, speaker)
	}
	if a.URL != "" {
		fmt.Fprintf(&sb, "\n%s", a.URL)
	}
	return Reply{Text: strings.TrimSpace(sb.String())}
}
