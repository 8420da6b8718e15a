package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/newsdigest/newsdigest/store"
)

// migratePage is how many articles, analyses or slots one transaction of
// a migration writes.
const migratePage = 500

func runMigrate(ctx context.Context, a *app, args []string) error {
	fs := newFlagSet(a, "migrate", "", `Copy a whole store to another database, losing nothing: sources with their
fetch state, articles, channels with their settings and what they were
delivered, analyses and scheduled slots, all under the same ids. Typically
from SQLite to PostgreSQL, to run several replicas:

  newsdigest migrate --from ~/.local/share/newsdigest/newsdigest.db \
      --to 'postgres://newsdigest@db.example.com/newsdigest'

Stop the bot first. The destination must be empty, unless --resume: then an
interrupted migration from the same source is run again, overwriting what it
copied already. At the end the number of records of each kind is compared.`)
	from := fs.String("from", "", "the store to copy: a SQLite file (or a postgres:// URL)")
	to := fs.String("to", "", "the store to copy into: a postgres:// URL (or a SQLite file)")
	resume := fs.Bool("resume", false, "the destination holds an interrupted migration from --from: copy again over it")
	rest, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return usagef("unexpected argument %q", rest[0])
	}
	if *from == "" || *to == "" {
		return usagef("--from and --to are both needed")
	}
	if *from == *to {
		return usagef("--from and --to are the same database")
	}
	if !isPostgresDSN(*from) {
		// Opening a missing SQLite file would create an empty store and
		// "copy" nothing.
		if _, err := os.Stat(*from); err != nil {
			return fmt.Errorf("source: %w", err)
		}
	}
	src, err := openStore(ctx, *from)
	if err != nil {
		return fmt.Errorf("open source: %w", err)
	}
	defer src.Close()
	dst, err := openStore(ctx, *to)
	if err != nil {
		return fmt.Errorf("open destination: %w", err)
	}
	defer dst.Close()

	want, err := src.Counts(ctx)
	if err != nil {
		return fmt.Errorf("%w", err)
	}
	had, err := dst.Counts(ctx)
	if err != nil {
		return fmt.Errorf("%w", err)
	}
	if had.Total() > 0 {
		if !*resume {
			return fmt.Errorf("the destination is not empty (%s); copy into an empty database, "+
				"or pass --resume to finish an interrupted migration from this source", describeCounts(had))
		}
		if err := sameOrigin(ctx, src, dst, want, had); err != nil {
			return fmt.Errorf("--resume: %w", err)
		}
	}
	fmt.Fprintf(a.stderr, "Copying %s\n   from %s\n   to   %s\n", describeCounts(want), redactDSN(*from), redactDSN(*to))

	start := time.Now()
	var lastPrint time.Time
	progress := func(kind string, n int) {
		// The small kinds when copied, the paged ones at most every two
		// seconds; the table at the end has every total.
		if time.Since(lastPrint) >= 2*time.Second || kind == "sources" || kind == "channels" || kind == "delivered" {
			fmt.Fprintf(a.stderr, "  %s: %d\n", kind, n)
			lastPrint = time.Now()
		}
	}
	if err := store.Copy(ctx, src, dst, migratePage, progress); err != nil {
		return fmt.Errorf("%w (run it again with --resume to finish)", err)
	}

	got, err := dst.Counts(ctx)
	if err != nil {
		return fmt.Errorf("verify: %w", err)
	}
	fmt.Fprintf(a.stdout, "%-10s %10s %10s\n", "records", "source", "copied")
	wantKinds, gotKinds := want.Kinds(), got.Kinds()
	var bad []string
	for i, k := range wantKinds {
		mark := ""
		if gotKinds[i].N != k.N {
			mark = "  MISMATCH"
			bad = append(bad, k.Name)
		}
		fmt.Fprintf(a.stdout, "%-10s %10d %10d%s\n", k.Name, k.N, gotKinds[i].N, mark)
	}
	if len(bad) > 0 {
		return fmt.Errorf("verify: the destination's counts of %s differ from the source's "+
			"(was the source written to during the copy, or did the destination hold other records?)", strings.Join(bad, ", "))
	}
	fmt.Fprintf(a.stdout, "Copied %d records in %v; counts verified.\n", got.Total(), time.Since(start).Round(time.Millisecond))
	return nil
}

func isPostgresDSN(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

func describeCounts(c store.Counts) string {
	var parts []string
	for _, k := range c.Kinds() {
		parts = append(parts, fmt.Sprintf("%d %s", k.N, k.Name))
	}
	return strings.Join(parts, ", ")
}

// sameOrigin checks, before a resumed migration overwrites records by id,
// that what the destination holds came from this source: no more records
// of any kind than the source has, and its sources, channels and first
// articles are the source's under the same ids.
func sameOrigin(ctx context.Context, src, dst store.Store, want, had store.Counts) error {
	wk, hk := want.Kinds(), had.Kinds()
	for i := range wk {
		if hk[i].N > wk[i].N {
			return fmt.Errorf("the destination holds %d %s, the source only %d: it is not an interrupted copy of this source",
				hk[i].N, hk[i].Name, wk[i].N)
		}
	}
	origin := errors.New("the destination holds records that are not from this source")
	ss, err := src.Sources(ctx)
	if err != nil {
		return err
	}
	ds, err := dst.Sources(ctx)
	if err != nil {
		return err
	}
	urls := map[int64]string{}
	for _, s := range ss {
		urls[s.ID] = s.URL
	}
	for _, d := range ds {
		if urls[d.ID] != d.URL {
			return fmt.Errorf("%w: source %d is %s there", origin, d.ID, d.URL)
		}
	}
	sc, err := src.Channels(ctx, "")
	if err != nil {
		return err
	}
	dc, err := dst.Channels(ctx, "")
	if err != nil {
		return err
	}
	chats := map[int64]string{}
	for _, c := range sc {
		chats[c.ID] = c.Platform + "/" + c.ChatID
	}
	for _, c := range dc {
		if chats[c.ID] != c.Platform+"/"+c.ChatID {
			return fmt.Errorf("%w: channel %d is %s/%s there", origin, c.ID, c.Platform, c.ChatID)
		}
	}
	// The first articles, which an interrupted copy wrote first.
	as, err := dst.DumpArticles(ctx, 0, 100)
	if err != nil {
		return err
	}
	for _, d := range as {
		s, err := src.Article(ctx, d.ID)
		if errors.Is(err, store.ErrNotFound) || err == nil && (s.URL != d.URL || s.URL == "" && s.Title != d.Title) {
			return fmt.Errorf("%w: article %d is %q there", origin, d.ID, d.Title)
		}
		if err != nil {
			return err
		}
	}
	return nil
}
