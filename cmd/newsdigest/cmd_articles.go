package main

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/newsdigest/newsdigest/store"
)

func runArticles(ctx context.Context, a *app, args []string) error {
	fs := newFlagSet(a, "articles", "", "List stored articles, newest first, or search them.")
	since := fs.String("since", "", "only articles of this period, like 24h or 7d")
	source := fs.String("source", "", "only articles from this source (id, name or feed URL)")
	search := fs.String("search", "", "full-text search over title and body")
	limit := fs.Int("limit", 50, "most articles to list")
	asJSON := fs.Bool("json", false, "one JSON object per line")
	rest, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return usagef("unexpected argument %q (to search, use --search %q)", rest[0], strings.Join(rest, " "))
	}
	if *limit < 1 || *limit > store.MaxLimit {
		return usagef("--limit must be from 1 to %d", store.MaxLimit)
	}
	q := store.ArticleQuery{Search: *search, Limit: *limit}
	if *since != "" {
		d, err := parseAge(*since)
		if err != nil {
			return usagef("--since: %v", err)
		}
		q.Since = time.Now().Add(-d)
	}
	st, err := a.store(ctx)
	if err != nil {
		return err
	}
	names := map[int64]string{}
	srcs, err := st.Sources(ctx)
	if err != nil {
		return err
	}
	for _, s := range srcs {
		names[s.ID] = s.Name
	}
	if *source != "" {
		s, err := findSource(srcs, *source)
		if err != nil {
			return err
		}
		q.SourceID = s.ID
	}
	list, err := st.Articles(ctx, q)
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(a.stdout)
		for _, ar := range list {
			src := names[ar.SourceID]
			if src == "" {
				src = ar.Outlet
			}
			if err := enc.Encode(articleJSON(ar, src)); err != nil {
				return err
			}
		}
		return nil
	}
	if len(list) == 0 {
		fmt.Fprintln(a.stdout, "No articles match.")
		return nil
	}
	for _, ar := range list {
		when := "          "
		if t := ar.EffectiveTime(); !t.IsZero() {
			when = t.Local().Format("2006-01-02 15:04")
		}
		src := names[ar.SourceID]
		if src == "" {
			src = ar.Outlet
		}
		if src == "" {
			src = "-"
		}
		fmt.Fprintf(a.stdout, "%6d  %s  %-16s  %s\n", ar.ID, when, clip(src, 16), clip(ar.Title, 80))
		if ar.URL != "" {
			fmt.Fprintf(a.stdout, "        %s\n", ar.URL)
		}
	}
	return nil
}

type articleOut struct {
	ID        int64      `json:"id"`
	Source    string     `json:"source,omitempty"`
	URL       string     `json:"url,omitempty"`
	Title     string     `json:"title"`
	Byline    string     `json:"byline,omitempty"`
	Published *time.Time `json:"published,omitempty"`
	Fetched   time.Time  `json:"fetched"`
	Language  string     `json:"language,omitempty"`
	Body      string     `json:"body"`
	Hash      string     `json:"hash"`
}

func articleJSON(ar *store.Article, source string) articleOut {
	out := articleOut{ID: ar.ID, Source: source, URL: ar.URL, Title: ar.Title, Byline: ar.Byline,
		Fetched: ar.Fetched, Language: ar.Language, Body: ar.Body, Hash: ar.Hash}
	if !ar.Published.IsZero() {
		p := ar.Published
		out.Published = &p
	}
	return out
}
