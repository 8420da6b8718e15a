package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/newsdigest/newsdigest/sources"
	"github.com/newsdigest/newsdigest/store"
)

func runSources(ctx context.Context, a *app, args []string) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprint(a.stdout, `Usage: newsdigest sources COMMAND

Commands:
  add URL [--name N] [--interval 30m] [--full-text off|auto|always]   add a feed
  list [--json]                         every feed with its health
  remove ID|URL                         remove a feed (its articles stay)
  import-opml FILE                      add every feed of an OPML file
  export-opml [FILE]                    write the feed list as OPML (default: standard output)
`)
		if len(args) == 0 {
			return usagef("missing sources command")
		}
		return errHelp
	}
	switch args[0] {
	case "add":
		return runSourcesAdd(ctx, a, args[1:])
	case "list", "ls":
		return runSourcesList(ctx, a, args[1:])
	case "remove", "rm":
		return runSourcesRemove(ctx, a, args[1:])
	case "import-opml":
		return runSourcesImportOPML(ctx, a, args[1:])
	case "export-opml":
		return runSourcesExportOPML(ctx, a, args[1:])
	}
	return usagef("unknown sources command %q: use add, list, remove, import-opml or export-opml", args[0])
}

func runSourcesAdd(ctx context.Context, a *app, args []string) error {
	fs := newFlagSet(a, "sources add", "URL", "Add a feed (RSS, Atom or JSON Feed).")
	name := fs.String("name", "", "display name (default: the feed's own title)")
	interval := fs.String("interval", "", "how often to poll it, like 30m or 2h (default: NEWSDIGEST_POLL_INTERVAL)")
	fullText := fs.String("full-text", "auto", "fetch each item's web page: off, auto (when the item is a teaser) or always")
	noCheck := fs.Bool("no-check", false, "add without fetching the feed first")
	rest, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(rest) != 1 {
		return usagef("want exactly one feed URL")
	}
	src := &store.Source{Name: *name, URL: rest[0], FullText: store.FullTextMode(*fullText)}
	if !src.FullText.Valid() {
		return usagef("--full-text must be off, auto or always, not %q", *fullText)
	}
	if *interval != "" {
		d, err := parseAge(*interval)
		if err != nil || d < time.Minute {
			return usagef("--interval: want at least 1m, like 30m or 2h")
		}
		src.Interval = d
	}
	if err := checkFeedURL(src.URL); err != nil {
		return usagef("%v", err)
	}
	if !*noCheck {
		f, err := a.fetcher()
		if err != nil {
			return err
		}
		res, err := f.FetchFeed(ctx, src)
		if err != nil {
			return fmt.Errorf("%w\n(use --no-check to add it anyway)", err)
		}
		if src.Name == "" {
			src.Name = strings.TrimSpace(res.Title)
		}
		fmt.Fprintf(a.stderr, "Feed OK: %d items.\n", len(res.Articles))
	}
	if src.Name == "" {
		if u, err := url.Parse(src.URL); err == nil {
			src.Name = u.Host
		}
	}
	st, err := a.store(ctx)
	if err != nil {
		return err
	}
	src.State.NextPoll = time.Now()
	if err := st.AddSource(ctx, src); err != nil {
		if errors.Is(err, store.ErrExists) {
			return fmt.Errorf("%s is already a source", src.URL)
		}
		return err
	}
	fmt.Fprintf(a.stdout, "Added source %d: %s (%s)\n", src.ID, src.Name, src.URL)
	return nil
}

func checkFeedURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("%q is not an http or https URL", raw)
	}
	return nil
}

func runSourcesList(ctx context.Context, a *app, args []string) error {
	fs := newFlagSet(a, "sources list", "", "List every feed with its health.")
	asJSON := fs.Bool("json", false, "one JSON object per line")
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
	srcs, err := st.Sources(ctx)
	if err != nil {
		return err
	}
	if *asJSON {
		return writeJSONLines(a.stdout, srcs)
	}
	if len(srcs) == 0 {
		fmt.Fprintln(a.stdout, "No sources. Add one with: newsdigest sources add URL")
		return nil
	}
	tw := tabwriter.NewWriter(a.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tNAME\tLAST FETCH\tNEXT POLL\tSTATUS\tURL")
	now := time.Now()
	for _, s := range srcs {
		status := "ok"
		switch {
		case s.State.Failures > 0:
			status = fmt.Sprintf("failing x%d: %s", s.State.Failures, clip(s.State.LastError, 60))
		case s.State.LastFetch.IsZero():
			status = "new"
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\n", s.ID, clip(s.Name, 30), relTime(now, s.State.LastFetch), relTime(now, s.State.NextPoll), status, s.URL)
	}
	return tw.Flush()
}

func relTime(now, t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	d := t.Sub(now).Round(time.Minute)
	switch {
	case d > 0:
		return "in " + d.String()
	case d > -time.Minute:
		return "now"
	}
	return (-d).String() + " ago"
}

func runSourcesRemove(ctx context.Context, a *app, args []string) error {
	fs := newFlagSet(a, "sources remove", "ID|URL", "Remove a feed; its articles stay in the store.")
	rest, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(rest) != 1 {
		return usagef("want one source id or URL")
	}
	st, err := a.store(ctx)
	if err != nil {
		return err
	}
	srcs, err := st.Sources(ctx)
	if err != nil {
		return err
	}
	s, err := findSource(srcs, rest[0])
	if err != nil {
		return err
	}
	if err := st.RemoveSource(ctx, s.ID); err != nil {
		return err
	}
	fmt.Fprintf(a.stdout, "Removed source %d: %s\n", s.ID, s.Name)
	return nil
}

// findSource finds a source by id, URL or name (case-insensitive).
func findSource(srcs []*store.Source, key string) (*store.Source, error) {
	if id, err := strconv.ParseInt(key, 10, 64); err == nil {
		for _, s := range srcs {
			if s.ID == id {
				return s, nil
			}
		}
		return nil, fmt.Errorf("no source with id %d (newsdigest sources list shows them)", id)
	}
	var byName []*store.Source
	for _, s := range srcs {
		if s.URL == key {
			return s, nil
		}
		if strings.EqualFold(s.Name, key) {
			byName = append(byName, s)
		}
	}
	switch len(byName) {
	case 1:
		return byName[0], nil
	case 0:
		return nil, fmt.Errorf("no source %q (newsdigest sources list shows them)", key)
	}
	return nil, fmt.Errorf("%d sources are called %q: use the id", len(byName), key)
}

func runSourcesImportOPML(ctx context.Context, a *app, args []string) error {
	fs := newFlagSet(a, "sources import-opml", "FILE", "Add every feed of an OPML file (- reads standard input).")
	rest, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(rest) != 1 {
		return usagef("want one OPML file")
	}
	var r io.Reader = a.stdin
	if rest[0] != "-" {
		f, err := os.Open(rest[0])
		if err != nil {
			return err
		}
		defer f.Close()
		r = f
	}
	feeds, err := sources.ParseOPML(r)
	if err != nil {
		return err
	}
	st, err := a.store(ctx)
	if err != nil {
		return err
	}
	added, existing, bad := 0, 0, 0
	for _, f := range feeds {
		src := &store.Source{Name: f.Title, URL: f.URL, FullText: store.FullTextAuto}
		src.State.NextPoll = time.Now()
		switch err := st.AddSource(ctx, src); {
		case err == nil:
			added++
		case errors.Is(err, store.ErrExists):
			existing++
		case errors.Is(err, store.ErrInvalid):
			bad++
			fmt.Fprintf(a.stderr, "skipped %s: %v\n", f.URL, err)
		default:
			return err
		}
	}
	fmt.Fprintf(a.stdout, "Imported %d feeds: %d added, %d already there, %d skipped.\n", len(feeds), added, existing, bad)
	return nil
}

func runSourcesExportOPML(ctx context.Context, a *app, args []string) error {
	fs := newFlagSet(a, "sources export-opml", "[FILE]", "Write the feed list as OPML.")
	rest, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(rest) > 1 {
		return usagef("want at most one output file")
	}
	st, err := a.store(ctx)
	if err != nil {
		return err
	}
	srcs, err := st.Sources(ctx)
	if err != nil {
		return err
	}
	if len(rest) == 0 || rest[0] == "-" {
		return sources.WriteOPML(a.stdout, srcs)
	}
	f, err := os.Create(rest[0])
	if err != nil {
		return err
	}
	if err := sources.WriteOPML(f, srcs); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
