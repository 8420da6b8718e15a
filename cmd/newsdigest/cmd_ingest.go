package main

import (
	"context"
	"fmt"
)

func runIngest(ctx context.Context, a *app, args []string) error {
	fs := newFlagSet(a, "ingest", "", "Poll every due source once, store new articles, then exit.")
	all := fs.Bool("all", false, "poll every source, due or not")
	rest, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return usagef("unexpected argument %q", rest[0])
	}
	st, err := a.store(ctx)
	if err != nil {
		return err
	}
	p, err := a.poller()
	if err != nil {
		return err
	}
	p.Store = st
	stats, err := p.RunOnce(ctx, *all)
	if err != nil {
		return err
	}
	fmt.Fprintf(a.stdout, "Polled %d sources: %d fetched, %d not modified, %d failed; articles: %d new, %d updated, %d unchanged.\n",
		stats.Sources, stats.Fetched, stats.NotModified, stats.Failed, stats.Inserted, stats.Updated, stats.Unchanged)
	if stats.Failed > 0 {
		srcs, err := st.Sources(ctx)
		if err == nil {
			for _, s := range srcs {
				if s.State.Failures > 0 && !s.State.LastErrorAt.Before(s.State.LastFetch) {
					fmt.Fprintf(a.stderr, "source %d (%s): %s\n", s.ID, s.Name, s.State.LastError)
				}
			}
		}
	}
	return nil
}
