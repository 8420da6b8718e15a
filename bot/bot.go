package bot

import (
	"context"
	"fmt"
	"log/slog"
	"runtime/debug"
	"strings"
	"time"

	"github.com/newsdigest/newsdigest/store"
)

// Store is what the bot needs from the article store: all of it.
type Store = store.Store

// PageFetcher fetches one web page's article (sources.Fetcher does).
type PageFetcher interface {
	FetchPage(ctx context.Context, url string) (*store.Article, error)
}

// Bot answers commands. It is safe for concurrent use: adapters call Handle
// from many goroutines.
type Bot struct {
	Store    Store
	Pages    PageFetcher // nil: /add and links are refused
	Pipeline *Pipeline
	// Defaults for channels that have not set their own.
	TimeZone   string // IANA name; "" means UTC
	MaxStories int
	Now        func() time.Time // nil means time.Now
	Log        *slog.Logger
	Metrics    *Metrics // nil: none
}

func (b *Bot) now() time.Time {
	if b.Now != nil {
		return b.Now()
	}
	return time.Now()
}

func (b *Bot) log() *slog.Logger {
	if b.Log != nil {
		return b.Log
	}
	return slog.Default()
}

// Handle answers one command. It never panics: a panic in a handler is
// logged with its stack and the user gets an apology.
func (b *Bot) Handle(ctx context.Context, req Request) (reply Reply) {
	start := b.now()
	defer func() {
		if r := recover(); r != nil {
			b.log().Error("bot: command panicked", "command", req.Command, "platform", req.Platform,
				"chat", req.ChatID, "panic", fmt.Sprint(r), "stack", string(debug.Stack()))
			reply = errorReply("Something went wrong on our side while running /%s. It has been logged; please try again later.", req.Command)
		}
		took := b.now().Sub(start)
		b.log().Debug("bot: command", "command", req.Command, "platform", req.Platform, "chat", req.ChatID,
			"error", reply.Error, "took", took)
		if b.Metrics != nil {
			outcome := "ok"
			if reply.Error {
				outcome = "error"
			}
			cmd := req.Command
			if _, known := lookupSpec(cmd); !known {
				cmd = "unknown" // bounded label values
			}
			b.Metrics.Commands.WithLabelValues(req.Platform, cmd, outcome).Inc()
			b.Metrics.Latency.WithLabelValues(req.Platform).Observe(took.Seconds())
		}
	}()
	spec, ok := lookupSpec(req.Command)
	if !ok {
		return errorReply("I don't know /%s. /help lists what I can do.", req.Command)
	}
	if b.needsAdmin(spec, req) {
		if err := b.checkAdmin(ctx, req); err != nil {
			return errorReply("%v", err)
		}
	}
	switch spec.Name {
	case "help":
		return Reply{Text: helpText(strings.Join(req.Args, " ")), Ephemeral: true}
	case "digest":
		return b.handleDigest(ctx, req)
	case "search":
		return b.handleSearch(ctx, req)
	case "quotes":
		return b.handleQuotes(ctx, req)
	case "story":
		return b.handleStory(ctx, req)
	case "subscribe":
		return b.handleSubscribe(ctx, req)
	case "unsubscribe":
		return b.handleUnsubscribe(ctx, req)
	case "schedule":
		return b.handleSchedule(ctx, req)
	case "filter":
		return b.handleFilter(ctx, req)
	case "sources":
		return b.handleSources(ctx, req)
	case "status":
		return b.handleStatus(ctx, req)
	case "add":
		return b.handleAdd(ctx, req)
	}
	return errorReply("I don't know /%s. /help lists what I can do.", req.Command)
}

// needsAdmin says whether this use of a command changes settings. Reading
// commands are open to everyone; /filter list and test, /sources list too.
func (b *Bot) needsAdmin(spec Spec, req Request) bool {
	if !spec.Admin && spec.Name != "sources" {
		return false
	}
	action := ""
	if len(req.Args) > 0 {
		action = strings.ToLower(req.Args[0])
	}
	switch spec.Name {
	case "filter":
		return action == "add" || action == "remove"
	case "sources":
		return action == "add" || action == "remove"
	}
	return true
}

// checkAdmin lets administrators through. In a private chat the user owns
// the chat; in a Telegram channel only administrators can post at all.
func (b *Bot) checkAdmin(ctx context.Context, req Request) error {
	if req.Kind == Private || req.Kind == Broadcast {
		return nil
	}
	if req.IsAdmin == nil {
		return fmt.Errorf("only administrators of this chat can use /%s, and I cannot check who is one here", req.Command)
	}
	ok, err := req.IsAdmin(ctx)
	if err != nil {
		b.log().Warn("bot: admin check failed", "platform", req.Platform, "chat", req.ChatID, "error", err)
		return fmt.Errorf("I could not check whether you are an administrator (%s); please try again", shortError(err))
	}
	if !ok {
		return fmt.Errorf("only administrators of this chat can change its settings with /%s", req.Command)
	}
	return nil
}

// channel loads the chat's settings, or makes default ones (not yet saved).
func (b *Bot) channel(ctx context.Context, req Request) (*store.Channel, error) {
	c, err := b.Store.Channel(ctx, req.Platform, req.ChatID)
	if err == nil {
		if req.ChatName != "" && c.Title != req.ChatName {
			c.Title = req.ChatName
		}
		return c, nil
	}
	if !isNotFound(err) {
		return nil, err
	}
	return &store.Channel{Platform: req.Platform, ChatID: req.ChatID, GuildID: req.GuildID, Title: req.ChatName}, nil
}

func (b *Bot) location(c *store.Channel) *time.Location {
	name := c.TimeZone
	if name == "" {
		name = b.TimeZone
	}
	if loc, err := time.LoadLocation(name); err == nil && name != "" {
		return loc
	}
	return time.UTC
}

func (b *Bot) maxStories(c *store.Channel) int {
	switch {
	case c.MaxStories > 0:
		return c.MaxStories
	case b.MaxStories > 0:
		return b.MaxStories
	}
	return 8
}

// internalError logs err and gives the user a reply that does not leak it.
func (b *Bot) internalError(req Request, what string, err error) Reply {
	b.log().Error("bot: "+what, "command", req.Command, "platform", req.Platform, "chat", req.ChatID, "error", err)
	return errorReply("Sorry, I could not %s just now. Please try again in a minute.", what)
}

// shortError is an error's message clipped for a chat reply.
func shortError(err error) string {
	s := err.Error()
	if r := []rune(s); len(r) > 160 {
		s = string(r[:160]) + "…"
	}
	return s
}
