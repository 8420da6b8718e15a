package main

import (
	"context"
	"fmt"

	"github.com/newsdigest/newsdigest/store"
)

func runAdd(ctx context.Context, a *app, args []string) error {
	fs := newFlagSet(a, "add", "URL", "Fetch one web page, extract its article and store it.")
	rest, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(rest) != 1 {
		return usagef("want exactly one URL")
	}
	if err := checkFeedURL(rest[0]); err != nil {
		return usagef("%v", err)
	}
	f, err := a.fetcher()
	if err != nil {
		return err
	}
	ar, err := f.FetchPage(ctx, rest[0])
	if err != nil {
		return err
	}
	st, err := a.store(ctx)
	if err != nil {
		return err
	}
	out, err := st.PutArticle(ctx, ar)
	if err != nil {
		return err
	}
	fmt.Fprintf(a.stdout, "%s article %d: %s\n", outcomeVerb(out), ar.ID, ar.Title)
	return nil
}

func outcomeVerb(o store.PutOutcome) string {
	switch o {
	case store.Updated:
		return "Updated"
	case store.Unchanged:
		return "Already stored:"
	}
	return "Stored"
}
