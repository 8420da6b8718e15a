package bot

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/newsdigest/newsdigest/store"
)

func (b *Bot) handleSources(ctx context.Context, req Request) Reply {
	action := "list"
	if len(req.Args) > 0 {
		action = strings.ToLower(req.Args[0])
	}
	switch action {
	case "list":
		return b.listSources(ctx, req)
	case "add":
		if len(req.Args) != 2 {
			return errorReply("Usage: /sources add FEED-URL, for example /sources add https://example.com/feed.xml")
		}
		return b.addSource(ctx, req, req.Args[1])
	case "remove":
		if len(req.Args) != 2 {
			return errorReply("Usage: /sources remove ID (/sources shows the ids)")
		}
		return b.removeSource(ctx, req, req.Args[1])
	}
	return errorReply("Unknown action %q. Use /sources, /sources add URL or /sources remove ID.", clipRunes(action, 32))
}

func (b *Bot) listSources(ctx context.Context, req Request) Reply {
	srcs, err := b.Store.Sources(ctx)
	if err != nil {
		return b.internalError(req, "list the sources", err)
	}
	if len(srcs) == 0 {
		return textReply("No sources yet. Administrators add feeds with /sources add URL.")
	}
	var sb strings.Builder
	fmt.Fprintf(&sb, "%d sources:\n", len(srcs))
	for i, s := range srcs {
		if i == 50 {
			fmt.Fprintf(&sb, "… and %d more.\n", len(srcs)-50)
			break
		}
		fmt.Fprintf(&sb, "%d. %s: %s\n", s.ID, clipRunes(s.Name, 60), sourceHealth(s, b.now()))
	}
	return Reply{Text: strings.TrimSpace(sb.String()), Ephemeral: true}
}

// sourceHealth is one source's state in a few words.
func sourceHealth(s *store.Source, now time.Time) string {
	st := s.State
	switch {
	case st.Failures > 0:
		return fmt.Sprintf("failing since %s (%d tries): %s", ago(now, failingSince(s)), st.Failures, clipRunes(st.LastError, 120))
	case st.LastSuccess.IsZero():
		return "not fetched yet"
	}
	return "ok, fetched " + ago(now, st.LastSuccess)
}

// failingSince estimates when the current run of failures began: the last
// success, else when the source was added.
func failingSince(s *store.Source) time.Time {
	if !s.State.LastSuccess.IsZero() {
		return s.State.LastSuccess
	}
	return s.Created
}

func ago(now, t time.Time) string {
	if t.IsZero() {
		return "never"
	}
	d := now.Sub(t)
	switch {
	case d < time.Minute:
		return "just now"
	case d < time.Hour:
		return fmt.Sprintf("%d min ago", int(d.Minutes()))
	case d < 48*time.Hour:
		return fmt.Sprintf("%d h ago", int(d.Hours()))
	}
	return fmt.Sprintf("%d days ago", int(d.Hours()/24))
}

func (b *Bot) addSource(ctx context.Context, req Request, raw string) Reply {
	u, err := url.Parse(strings.Trim(raw, "<>"))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || len(raw) > 2048 {
		return errorReply("%q is not a feed link: give an http or https URL, like https://example.com/feed.xml", clipRunes(raw, 80))
	}
	src := &store.Source{Name: u.Host, URL: u.String(), FullText: store.FullTextAuto}
	src.State.NextPoll = b.now()
	switch err := b.Store.AddSource(ctx, src); {
	case errors.Is(err, store.ErrExists):
		return errorReply("That feed is already a source.")
	case errors.Is(err, store.ErrInvalid):
		return errorReply("That feed link is not valid: %s", shortError(err))
	case err != nil:
		return b.internalError(req, "add the source", err)
	}
	b.log().Info("bot: source added", "platform", req.Platform, "chat", req.ChatID, "user", req.UserID, "url", src.URL)
	return Reply{Text: fmt.Sprintf("Added source %d: %s. It will be fetched within a minute; /sources shows its health.", src.ID, src.URL)}
}

func (b *Bot) removeSource(ctx context.Context, req Request, arg string) Reply {
	id, err := strconv.ParseInt(strings.TrimPrefix(arg, "#"), 10, 64)
	if err != nil || id <= 0 {
		return errorReply("%q is not a source id: /sources shows them.", clipRunes(arg, 32))
	}
	src, err := b.Store.Source(ctx, id)
	if isNotFound(err) {
		return errorReply("There is no source %d: /sources shows them.", id)
	} else if err != nil {
		return b.internalError(req, "find the source", err)
	}
	if err := b.Store.RemoveSource(ctx, id); err != nil {
		return b.internalError(req, "remove the source", err)
	}
	b.log().Info("bot: source removed", "platform", req.Platform, "chat", req.ChatID, "user", req.UserID, "url", src.URL)
	return Reply{Text: fmt.Sprintf("Removed source %d (%s). Its articles stay in the store.", id, src.Name)}
}

func (b *Bot) handleStatus(ctx context.Context, req Request) Reply {
	c, err := b.channel(ctx, req)
	if err != nil {
		return b.internalError(req, "load this chat's settings", err)
	}
	srcs, err := b.Store.Sources(ctx)
	if err != nil {
		return b.internalError(req, "list the sources", err)
	}
	now := b.now()
	loc := b.location(c)
	var sb strings.Builder
	switch {
	case !c.Subscribed():
		sb.WriteString("Subscription: none (/subscribe starts one).\n")
	case c.Paused:
		fmt.Fprintf(&sb, "Subscription: %s, PAUSED since %s: %s. Fix it, then /subscribe again.\n", c.Schedule, formatLocal(c.PausedAt, loc), c.PauseReason)
	default:
		next := "unknown"
		if s, err := ParseSchedule(c.Schedule); err == nil {
			next = formatLocal(s.Next(now, loc), loc)
		}
		fmt.Fprintf(&sb, "Subscription: %s (%s), next digest %s.\n", c.Schedule, loc, next)
	}
	if !c.LastDigest.IsZero() {
		fmt.Fprintf(&sb, "Last digest: %s.\n", formatLocal(c.LastDigest, loc))
	}
	if len(c.Filters) > 0 {
		fmt.Fprintf(&sb, "Filters: %d (/filter list).\n", len(c.Filters))
	}
	failing := 0
	for _, s := range srcs {
		if s.Failing() {
			failing++
		}
	}
	fmt.Fprintf(&sb, "Sources: %d, %d failing.\n", len(srcs), failing)
	shown := 0
	for _, s := range srcs {
		if s.Failing() && shown < 10 {
			fmt.Fprintf(&sb, "- %s: %s\n", clipRunes(s.Name, 60), sourceHealth(s, now))
			shown++
		}
	}
	if n, err := b.Store.CountArticles(ctx); err == nil {
		fmt.Fprintf(&sb, "Articles stored: %d.", n)
	}
	return Reply{Text: strings.TrimSpace(sb.String()), Ephemeral: true}
}
