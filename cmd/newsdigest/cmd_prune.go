package main

import (
	"context"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"github.com/newsdigest/newsdigest/bot"
	"github.com/newsdigest/newsdigest/store"
)

// Retention: serve deletes, once a day, the articles, delivered-story
// records and sent slots older than NEWSDIGEST_RETENTION; 'newsdigest
// prune' does it at once.
const (
	defaultRetention = 90 * 24 * time.Hour
	// schedulerCap is the most a scheduled digest covers (bot.Scheduler's
	// Cap, which serve leaves at its default).
	schedulerCap = 48 * time.Hour
	// pruneEvery is how often serve prunes; pruneFirst, how long after
	// starting it first does (not at once: a start has other work).
	pruneEvery = 24 * time.Hour
	pruneFirst = 10 * time.Minute
)

// minRetention is the shortest retention that keeps what a digest may
// still read, in whole days (10 by default): a digest looks back up to
// bot.MaxWindow (at its delivered stories too), a scheduled one covers up
// to schedulerCap, and a slot may be sent up to grace late.
func minRetention(grace time.Duration) time.Duration {
	const day = 24 * time.Hour
	d := bot.MaxWindow + schedulerCap + max(grace, 0)
	return (d + day - 1) / day * day
}

// parseRetention reads NEWSDIGEST_RETENTION: "off" or "0" keep everything
// (0); otherwise an age as parseAge reads it ("90d", "12w", "2160h").
func parseRetention(s string) (time.Duration, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "off", "0":
		return 0, nil
	}
	return parseAge(s)
}

// formatDays writes a retention as people set it: whole days as "90d".
func formatDays(d time.Duration) string {
	if d%(24*time.Hour) == 0 {
		return strconv.FormatInt(int64(d/(24*time.Hour)), 10) + "d"
	}
	return d.String()
}

// pruneRequest is what a prune at now with this retention deletes: the
// records older than the retention, never less than minRetention(grace).
func pruneRequest(now time.Time, retention, grace time.Duration) store.PruneRequest {
	before := now.Add(-max(retention, minRetention(grace)))
	return store.PruneRequest{Articles: before, Delivered: before, Slots: before}
}

func runPrune(ctx context.Context, a *app, args []string) error {
	fs := newFlagSet(a, "prune", "", `Delete what is older than NEWSDIGEST_RETENTION (default 90d): articles with
their analyses (those both published and stored before then), the record of
stories delivered to each chat, and sent scheduled digests (each chat's last
one stays: the next digest starts from it). Digests in flight or to come are
never touched. 'serve' does this once a day; this does it now, in short
transactions, so the bot may keep running. For another period once, set
NEWSDIGEST_RETENTION for this command (at least 10d: a digest looks back 7
days, and a scheduled one may be sent late).`)
	dryRun := fs.Bool("dry-run", false, "count what would be deleted; delete nothing")
	rest, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return usagef("unexpected argument %q", rest[0])
	}
	cfg, err := a.config()
	if err != nil {
		return err
	}
	if cfg.Retention == 0 {
		fmt.Fprintln(a.stdout, "NEWSDIGEST_RETENTION is off: everything is kept, nothing to prune.")
		return nil
	}
	st, err := a.store(ctx)
	if err != nil {
		return err
	}
	req := pruneRequest(time.Now(), cfg.Retention, cfg.ScheduleGrace)
	req.DryRun = *dryRun
	start := time.Now()
	got, err := st.Prune(ctx, req)
	verb := "Deleted"
	if *dryRun {
		verb = "Would delete"
	}
	// What was deleted before an error is reported too.
	fmt.Fprintf(a.stdout, "%s what is older than %s (NEWSDIGEST_RETENTION=%s):\n", verb,
		req.Articles.UTC().Format("2006-01-02 15:04 MST"), formatDays(cfg.Retention))
	for _, k := range []struct {
		name string
		n    int
	}{
		{"articles", got.Articles}, {"analyses", got.Analyses},
		{"delivered", got.Delivered}, {"slots", got.Slots},
	} {
		fmt.Fprintf(a.stdout, "  %-10s %10d\n", k.name, k.n)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(a.stdout, "%d records in %v.\n", got.Total(), time.Since(start).Round(time.Millisecond))
	return nil
}

// pruneDaily prunes st with this retention first after first and then
// every every, until ctx ends. A failed prune is logged and tried again at
// the next; it never stops serve.
func pruneDaily(ctx context.Context, st store.Store, retention, grace, first, every time.Duration, log *slog.Logger) error {
	t := time.NewTimer(first)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
		pruneOnce(ctx, st, retention, grace, log)
		t.Reset(every)
	}
}

// replicaLocker is a store whose replicas can take a named lock
// (store/postgres: an advisory lock).
type replicaLocker interface {
	TryLock(ctx context.Context, name string) (release func(), ok bool, err error)
}

// pruneOnce prunes st once. Of several replicas on one PostgreSQL
// database one prunes and the others skip the round: the work is the same
// rows.
func pruneOnce(ctx context.Context, st store.Store, retention, grace time.Duration, log *slog.Logger) {
	if l, ok := st.(replicaLocker); ok {
		release, held, err := l.TryLock(ctx, "prune")
		if err != nil && ctx.Err() == nil {
			log.Warn("serve: prune: take the replicas' lock", "error", err)
		}
		if err != nil || !held {
			return
		}
		defer release()
	}
	req := pruneRequest(time.Now(), retention, grace)
	got, err := st.Prune(ctx, req)
	if err != nil && ctx.Err() == nil {
		log.Error("serve: prune old records", "error", err, "before", req.Articles,
			"articles", got.Articles, "delivered", got.Delivered, "slots", got.Slots)
	} else if err == nil {
		log.Info("serve: pruned old records", "before", req.Articles, "articles", got.Articles,
			"analyses", got.Analyses, "delivered", got.Delivered, "slots", got.Slots)
	}
}
