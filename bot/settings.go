package bot

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// handleSubscribe sets the chat's schedule and, optionally, its time zone.
func (b *Bot) handleSubscribe(ctx context.Context, req Request) Reply {
	args := req.Args
	zone := ""
	if n := len(args); n > 0 && looksLikeZone(args[n-1]) {
		zone, args = args[n-1], args[:n-1]
	}
	text := strings.Join(args, " ")
	if text == "" {
		text = DefaultSchedule
	}
	sched, err := ParseSchedule(text)
	if err != nil {
		return errorReply("%v.\nExamples: /subscribe daily 08:00, /subscribe weekdays 07:30 Europe/Berlin, /subscribe every 2h quiet 22:00-07:00.", err)
	}
	c, err := b.channel(ctx, req)
	if err != nil {
		return b.internalError(req, "load this chat's settings", err)
	}
	if zone != "" {
		loc, err := LoadZone(zone)
		if err != nil {
			return errorReply("%v", err)
		}
		c.TimeZone = loc.String()
	}
	c.Schedule = sched.String()
	wasPaused := c.Paused
	c.Paused, c.PauseReason, c.PausedAt = false, "", time.Time{}
	if err := b.Store.SaveChannel(ctx, c); err != nil {
		return b.internalError(req, "save the subscription", err)
	}
	loc := b.location(c)
	next := sched.Next(b.now(), loc)
	msg := fmt.Sprintf("Subscribed: %s (%s). Next digest: %s.", sched, loc, formatLocal(next, loc))
	msg += quietLine(sched)
	if wasPaused {
		msg += "\nDeliveries were paused; they are on again."
	}
	return Reply{Text: msg}
}

func (b *Bot) handleUnsubscribe(ctx context.Context, req Request) Reply {
	c, err := b.channel(ctx, req)
	if err != nil {
		return b.internalError(req, "load this chat's settings", err)
	}
	if !c.Subscribed() {
		return textReply("This chat has no scheduled digests. /subscribe starts them.")
	}
	c.Schedule = ""
	if err := b.Store.SaveChannel(ctx, c); err != nil {
		return b.internalError(req, "save the subscription", err)
	}
	return Reply{Text: "Unsubscribed: no more scheduled digests here. /digest still works any time."}
}

func (b *Bot) handleSchedule(ctx context.Context, req Request) Reply {
	c, err := b.channel(ctx, req)
	if err != nil {
		return b.internalError(req, "load this chat's settings", err)
	}
	if !c.Subscribed() {
		return textReply("No scheduled digests here. /subscribe gets one daily at 08:00; /help subscribe shows more.")
	}
	sched, err := ParseSchedule(c.Schedule)
	if err != nil {
		return errorReply("This chat's schedule %q is no longer valid (%v). Set it again with /subscribe.", c.Schedule, err)
	}
	loc := b.location(c)
	next := sched.Next(b.now(), loc)
	msg := fmt.Sprintf("Schedule: %s, time zone %s.\nNext digest: %s.", sched, loc, formatLocal(next, loc))
	msg += quietLine(sched)
	if c.Paused {
		msg += fmt.Sprintf("\nPaused since %s: %s. /subscribe again once that is fixed.", formatLocal(c.PausedAt, loc), c.PauseReason)
	}
	return Reply{Text: msg, Ephemeral: true}
}

// quietLine explains a schedule's quiet hours, if it has any.
func quietLine(s Schedule) string {
	q, ok := s.Quiet()
	if !ok {
		return ""
	}
	return fmt.Sprintf("\nQuiet hours: %s to %s, no digest then; what comes in meanwhile is in the first digest after them.", q.From, q.To)
}

// looksLikeZone tells a time-zone argument from schedule words: zones are
// "Area/City" or a few bare names.
func looksLikeZone(s string) bool {
	if strings.Contains(s, "/") {
		return true
	}
	switch strings.ToUpper(s) {
	case "UTC", "GMT", "Z":
		return true
	}
	return false
}

// LoadZone resolves an IANA time-zone name, case-insensitively for the
// common spellings, with a message that helps when it is wrong.
func LoadZone(name string) (*time.Location, error) {
	if len(name) > 64 || strings.Contains(name, "..") || strings.HasPrefix(name, "/") || name == "Local" || name == "" {
		return nil, fmt.Errorf("unknown time zone %q: use an IANA name like Europe/Berlin or America/New_York", clipRunes(name, 64))
	}
	if strings.EqualFold(name, "utc") || strings.EqualFold(name, "z") || strings.EqualFold(name, "gmt") {
		return time.UTC, nil
	}
	if loc, err := time.LoadLocation(name); err == nil {
		return loc, nil
	}
	// "europe/berlin" -> "Europe/Berlin", "america/new_york" -> "America/New_York".
	parts := strings.Split(strings.ToLower(name), "/")
	for i, p := range parts {
		words := strings.Split(p, "_")
		for j, w := range words {
			if w != "" {
				words[j] = strings.ToUpper(w[:1]) + w[1:]
			}
		}
		parts[i] = strings.Join(words, "_")
	}
	if loc, err := time.LoadLocation(strings.Join(parts, "/")); err == nil {
		return loc, nil
	}
	return nil, fmt.Errorf("unknown time zone %q: use an IANA name like Europe/Berlin or America/New_York", clipRunes(name, 64))
}

// formatLocal shows a time as people in loc read it.
func formatLocal(t time.Time, loc *time.Location) string {
	if t.IsZero() {
		return "never"
	}
	return t.In(loc).Format("Mon 2 Jan 2006 15:04 MST")
}

func clipRunes(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}
