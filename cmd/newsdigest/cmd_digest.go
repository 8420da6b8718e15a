package main

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/newsdigest/newsdigest/bot"
	"github.com/newsdigest/newsdigest/digest/render"
)

func runDigest(ctx context.Context, a *app, args []string) error {
	fs := newFlagSet(a, "digest", "", "Print a digest of the stored articles: stories, summaries, key quotes and links.")
	since := fs.String("since", "24h", "period covered, like 6h, 24h or 3d")
	topic := fs.String("topic", "", "only stories about this")
	max := fs.Int("max", 0, "most stories (default NEWSDIGEST_DIGEST_STORIES)")
	format := fs.String("format", "text", "text, markdown, discord (JSON messages) or telegram (HTML messages)")
	zone := fs.String("tz", "", "time zone of the header (default NEWSDIGEST_TIME_ZONE)")
	color := fs.String("color", "auto", "colour the text format: auto, always or never")
	var filters stringList
	fs.Var(&filters, "filter", "a filter rule, like exclude:football or lang:en (repeatable)")
	rest, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return usagef("unexpected argument %q (a topic goes in --topic)", rest[0])
	}
	cfg, err := a.config()
	if err != nil {
		return err
	}
	period, err := parseAge(*since)
	if err != nil {
		return usagef("--since: %v", err)
	}
	if period > bot.MaxWindow {
		return usagef("--since: at most 7 days")
	}
	if *max < 0 || *max > 100 {
		return usagef("--max must be from 1 to 100")
	}
	if *max == 0 {
		*max = cfg.DigestMaxStories
	}
	tzName := *zone
	if tzName == "" {
		tzName = cfg.DefaultTimeZone
	}
	loc, err := bot.LoadZone(tzName)
	if err != nil {
		return usagef("--tz: %v", err)
	}
	switch *format {
	case "text", "markdown", "discord", "telegram":
	default:
		return usagef("--format must be text, markdown, discord or telegram")
	}
	st, err := a.store(ctx)
	if err != nil {
		return err
	}
	bs := st
	p := &bot.Pipeline{Store: bs, Log: a.log()}
	now := time.Now()
	name := "News digest"
	if *topic != "" {
		name = "News digest: " + *topic
	}
	built, err := p.Build(ctx, bot.BuildRequest{Name: name, Now: now, Location: loc, Since: now.Add(-period),
		Topic: *topic, Filters: filters, Max: *max})
	if err != nil {
		return err
	}
	d := *built.Digest
	switch *format {
	case "text":
		useColor := *color == "always" || (*color == "auto" && isTerminal(a.stdout) && a.getenv("NO_COLOR") == "")
		fmt.Fprint(a.stdout, render.Text(d, render.TextOptions{Color: useColor, Width: 100}))
	case "markdown":
		fmt.Fprint(a.stdout, render.Markdown(d))
	case "discord":
		enc := json.NewEncoder(a.stdout)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		return enc.Encode(render.Discord(d))
	case "telegram":
		for i, m := range render.Telegram(d) {
			if i > 0 {
				fmt.Fprintln(a.stdout, "\n----- next message -----")
			}
			fmt.Fprintln(a.stdout, m)
		}
	}
	return nil
}

// stringList is a repeatable string flag.
type stringList []string

func (l *stringList) String() string     { return strings.Join(*l, ", ") }
func (l *stringList) Set(s string) error { *l = append(*l, s); return nil }
