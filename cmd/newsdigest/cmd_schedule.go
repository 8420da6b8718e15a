package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sort"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/newsdigest/newsdigest/bot"
	"github.com/newsdigest/newsdigest/bot/discord"
	"github.com/newsdigest/newsdigest/bot/telegram"
	"github.com/newsdigest/newsdigest/store"
)

func runSchedule(ctx context.Context, a *app, args []string) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprint(a.stdout, `Usage: newsdigest schedule COMMAND

Commands:
  list [--json]                   every subscribed chat: schedule, time zone, next digest, paused or not
  next [N]                        the next N digests across all chats (default 10)
  run-now PLATFORM:CHAT           send that chat its digest now (telegram:-1001234, discord:987654321)
  run-now --all-due               send every digest that is due now and not yet sent

run-now sends, so it needs the platform's bot token (TELEGRAM_BOT_TOKEN, DISCORD_BOT_TOKEN).
It claims the digest in the store as the scheduler does, so a running 'newsdigest serve'
does not send the same one again.
`)
		if len(args) == 0 {
			return usagef("missing schedule command")
		}
		return errHelp
	}
	switch args[0] {
	case "list", "ls":
		return runScheduleList(ctx, a, args[1:])
	case "next":
		return runScheduleNext(ctx, a, args[1:])
	case "run-now":
		return runScheduleRunNow(ctx, a, args[1:])
	}
	return usagef("unknown schedule command %q: use list, next or run-now", args[0])
}

// scheduleBot is the bot and scheduler as serve makes them, with the
// posters given (none for list and next).
// scheduleChannels is the scheduler without posters (list and next only
// read) and every channel in the store.
func scheduleChannels(ctx context.Context, a *app) (*bot.Scheduler, []*store.Channel, error) {
	s, err := scheduleBot(ctx, a, nil)
	if err != nil {
		return nil, nil, err
	}
	chans, err := s.Bot.Store.Channels(ctx, "")
	if err != nil {
		return nil, nil, fmt.Errorf("schedule: list channels: %w", err)
	}
	return s, chans, nil
}

func scheduleBot(ctx context.Context, a *app, posters map[string]bot.Poster) (*bot.Scheduler, error) {
	cfg, err := a.config()
	if err != nil {
		return nil, err
	}
	st, err := a.store(ctx)
	if err != nil {
		return nil, err
	}
	b := &bot.Bot{Store: st, Pipeline: &bot.Pipeline{Store: st, Log: a.log()}, TimeZone: cfg.DefaultTimeZone,
		MaxStories: cfg.DigestMaxStories, Log: a.log()}
	host, _ := os.Hostname()
	return &bot.Scheduler{Bot: b, Posters: posters, Owner: fmt.Sprintf("%s/%d/run-now", host, os.Getpid()),
		Grace: cfg.ScheduleGrace, Lease: cfg.ScheduleLease, Log: a.log()}, nil
}

// scheduleRow is one subscribed chat in 'schedule list'.
type scheduleRow struct {
	Chat        string    `json:"chat"` // platform:chat id
	Title       string    `json:"title,omitempty"`
	Schedule    string    `json:"schedule"`
	TimeZone    string    `json:"time_zone"`
	Next        time.Time `json:"next,omitzero"`
	NextLocal   string    `json:"next_local"`
	Due         bool      `json:"due"` // a digest is due now and not yet sent
	Paused      bool      `json:"paused"`
	PauseReason string    `json:"pause_reason,omitempty"`
	Error       string    `json:"error,omitempty"`
}

func runScheduleList(ctx context.Context, a *app, args []string) error {
	fs := newFlagSet(a, "schedule list", "", "Every subscribed chat: its schedule and time zone, the next digest in its local time, and whether it is paused.")
	asJSON := fs.Bool("json", false, "one JSON object a line")
	rest, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return usagef("unexpected argument %q", rest[0])
	}
	s, chans, err := scheduleChannels(ctx, a)
	if err != nil {
		return err
	}
	var rows []scheduleRow
	for _, ch := range chans {
		if !ch.Subscribed() {
			continue
		}
		loc := chanLocation(s.Bot, ch)
		r := scheduleRow{Chat: ch.Platform + ":" + ch.ChatID, Title: ch.Title, Schedule: ch.Schedule, TimeZone: loc.String(),
			Paused: ch.Paused, PauseReason: ch.PauseReason}
		at, due, err := s.NextRun(ctx, ch)
		switch {
		case err != nil:
			r.Error = err.Error()
			r.NextLocal = "-"
		case at.IsZero():
			r.NextLocal = "never"
		default:
			r.Next, r.Due = at.UTC(), due
			r.NextLocal = at.In(loc).Format("Mon 2 Jan 2006 15:04 MST")
		}
		rows = append(rows, r)
	}
	if *asJSON {
		return writeJSONLines(a.stdout, rows)
	}
	if len(rows) == 0 {
		fmt.Fprintln(a.stdout, "No chat is subscribed. In a chat, /subscribe starts scheduled digests.")
		return nil
	}
	tw := tabwriter.NewWriter(a.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "CHAT\tSCHEDULE\tTIME ZONE\tNEXT DIGEST (LOCAL)\tSTATE")
	for _, r := range rows {
		state := "active"
		switch {
		case r.Paused:
			state = "paused: " + r.PauseReason
		case r.Error != "":
			state = "error: " + r.Error
		}
		next := r.NextLocal
		if r.Due {
			next += " (due now, not sent yet)"
		}
		chat := r.Chat
		if r.Title != "" {
			chat += " (" + clip(r.Title, 30) + ")"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", chat, r.Schedule, r.TimeZone, next, state)
	}
	return tw.Flush()
}

// upcoming is one digest to come, for 'schedule next'.
type upcoming struct {
	at   time.Time
	due  bool
	ch   *store.Channel
	loc  *time.Location
	sche string
}

func runScheduleNext(ctx context.Context, a *app, args []string) error {
	fs := newFlagSet(a, "schedule next", "[N]", "The next N digests across all subscribed chats (default 10), soonest first, in each chat's local time.")
	rest, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	n := 10
	switch len(rest) {
	case 0:
	case 1:
		n, err = strconv.Atoi(rest[0])
		if err != nil || n < 1 || n > 10000 {
			return usagef("N must be a number from 1 to 10000, not %q", rest[0])
		}
	default:
		return usagef("want at most one argument, N")
	}
	s, chans, err := scheduleChannels(ctx, a)
	if err != nil {
		return err
	}
	var all []upcoming
	for _, ch := range chans {
		if !ch.Subscribed() || ch.Paused {
			continue
		}
		sched, err := bot.ParseSchedule(ch.Schedule)
		if err != nil {
			fmt.Fprintf(a.stderr, "newsdigest schedule next: %s:%s: bad schedule %q: %v\n", ch.Platform, ch.ChatID, ch.Schedule, err)
			continue
		}
		loc := chanLocation(s.Bot, ch)
		at, due, err := s.NextRun(ctx, ch)
		if err != nil {
			return err
		}
		// Each chat's first n runs: enough for the n soonest overall.
		for i := 0; i < n && !at.IsZero(); i++ {
			all = append(all, upcoming{at: at, due: due, ch: ch, loc: loc, sche: sched.String()})
			at, due = sched.Next(maxTime(at, s.Now()), loc), false
		}
	}
	sort.SliceStable(all, func(i, j int) bool { return all[i].at.Before(all[j].at) })
	if len(all) > n {
		all = all[:n]
	}
	if len(all) == 0 {
		fmt.Fprintln(a.stdout, "No digest to come: no chat is subscribed, or all are paused.")
		return nil
	}
	tw := tabwriter.NewWriter(a.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "WHEN (UTC)\tLOCAL TIME\tCHAT\tSCHEDULE")
	for _, u := range all {
		when := u.at.UTC().Format("2006-01-02 15:04")
		if u.due {
			when += " (due now)"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s:%s\t%s\n", when, u.at.In(u.loc).Format("Mon 2 Jan 15:04 MST"), u.ch.Platform, u.ch.ChatID, u.sche)
	}
	return tw.Flush()
}

func runScheduleRunNow(ctx context.Context, a *app, args []string) error {
	fs := newFlagSet(a, "schedule run-now", "PLATFORM:CHAT | --all-due",
		"Send a chat its digest now (the one due, if any, else an extra one), or every digest that is due and not yet sent. Needs the platform's bot token.")
	allDue := fs.Bool("all-due", false, "send every digest due now (late ones within NEWSDIGEST_SCHEDULE_GRACE too)")
	rest, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	var platform, chatID string
	switch {
	case *allDue && len(rest) > 0:
		return usagef("give PLATFORM:CHAT or --all-due, not both")
	case *allDue:
	case len(rest) != 1:
		return usagef("want one chat, as PLATFORM:CHAT (like telegram:-1001234567890), or --all-due")
	default:
		var ok bool
		platform, chatID, ok = strings.Cut(rest[0], ":")
		if !ok || chatID == "" || (platform != store.Telegram && platform != store.Discord) {
			return usagef("%q: want PLATFORM:CHAT with PLATFORM telegram or discord, like telegram:-1001234567890", rest[0])
		}
	}
	cfg, err := a.config()
	if err != nil {
		return err
	}
	s, err := scheduleBot(ctx, a, map[string]bot.Poster{})
	if err != nil {
		return err
	}
	if err := addPosters(s, cfg, a); err != nil {
		return err
	}
	if *allDue {
		return runAllDue(ctx, a, s)
	}
	if s.Posters[platform] == nil {
		return errors.New(noTokenMessage(platform))
	}
	ch, err := s.Bot.Store.Channel(ctx, platform, chatID)
	if errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("no chat %s:%s in the store: newsdigest knows a chat once someone uses a command there ('newsdigest schedule list' shows the subscribed ones)", platform, chatID)
	}
	if err != nil {
		return err
	}
	if ch.Paused {
		return fmt.Errorf("%s:%s is paused since %s (%s): fix that in the chat, then /subscribe there again",
			platform, chatID, ch.PausedAt.Format(time.RFC3339), ch.PauseReason)
	}
	d := s.RunNow(ctx, ch)
	switch d.Outcome {
	case "sent":
		fmt.Fprintf(a.stdout, "sent %s:%s: slot %s, %d message(s)\n", platform, chatID, d.Slot.Local, len(d.MessageIDs))
		return nil
	case "taken":
		fmt.Fprintf(a.stdout, "not sent: the digest of %s:%s for %s is sent already or being sent by another process\n", platform, chatID, d.Slot.Local)
		return nil
	case "paused":
		return fmt.Errorf("%s:%s refuses the bot, so its subscription is now paused: %w", platform, chatID, d.Err)
	}
	return fmt.Errorf("send to %s:%s: %w", platform, chatID, d.Err)
}

func runAllDue(ctx context.Context, a *app, s *bot.Scheduler) error {
	if len(s.Posters) == 0 {
		return errors.New("no chat platform configured: run-now sends, so it needs TELEGRAM_BOT_TOKEN or DISCORD_BOT_TOKEN (or their _FILE variants)")
	}
	chans, err := s.Bot.Store.Channels(ctx, "")
	if err != nil {
		return err
	}
	left := map[string]int{}
	for _, ch := range chans {
		if ch.Subscribed() && !ch.Paused && s.Posters[ch.Platform] == nil {
			if _, due, err := s.NextRun(ctx, ch); err == nil && due {
				left[ch.Platform]++
			}
		}
	}
	stats, err := s.RunDue(ctx)
	fmt.Fprintf(a.stdout, "due %d: sent %d (%d late), failed %d, paused %d\n", stats.Due, stats.Sent, stats.Late, stats.Failed, stats.Paused)
	for platform, n := range left {
		fmt.Fprintf(a.stdout, "left %d due on %s: %s\n", n, platform, noTokenMessage(platform))
	}
	if err != nil {
		return err
	}
	if stats.Failed > 0 {
		return fmt.Errorf("%d digest(s) failed; the log says why, and the scheduler retries them", stats.Failed)
	}
	return nil
}

func noTokenMessage(platform string) string {
	switch platform {
	case store.Telegram:
		return "no Telegram bot token configured: set TELEGRAM_BOT_TOKEN (or TELEGRAM_BOT_TOKEN_FILE) to send to Telegram"
	case store.Discord:
		return "no Discord bot token configured: set DISCORD_BOT_TOKEN (or DISCORD_BOT_TOKEN_FILE) to send to Discord"
	}
	return "no token configured for " + platform
}

// addPosters makes a poster for each platform whose token is set, as
// serve does, without receiving anything.
func addPosters(s *bot.Scheduler, cfg *Config, a *app) error {
	if cfg.TelegramToken != "" {
		tg, err := telegram.New(telegram.Config{
			Token: cfg.TelegramToken, APIBase: cfg.TelegramAPI,
			Limits: telegram.Limits{Global: telegram.Limit{Messages: cfg.TelegramRate, Per: time.Second}},
			Log:    a.log(),
		}, s.Bot)
		if err != nil {
			return fmt.Errorf("telegram: %w", err)
		}
		s.Posters[tg.Platform()] = tg
	}
	if cfg.DiscordToken != "" {
		dc, err := discord.New(discord.Config{Token: cfg.DiscordToken, APIBase: cfg.DiscordAPI, Log: a.log()}, s.Bot)
		if err != nil {
			return err
		}
		s.Posters[dc.Platform()] = dc
	}
	return nil
}

// chanLocation is the channel's time zone, or the default one.
func chanLocation(b *bot.Bot, ch *store.Channel) *time.Location {
	name := ch.TimeZone
	if name == "" {
		name = b.TimeZone
	}
	if loc, err := bot.LoadZone(name); err == nil {
		return loc
	}
	return time.UTC
}

func maxTime(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}
