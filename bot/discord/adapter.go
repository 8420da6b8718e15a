package discord

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/newsdigest/newsdigest/bot"
	"github.com/newsdigest/newsdigest/store"
)

const (
	// ackTimeout bounds the initial response to an interaction: Discord
	// drops it after three seconds anyway.
	ackTimeout = 3 * time.Second
	// answerTimeout bounds a command's work and its answer; an
	// interaction token works for 15 minutes.
	answerTimeout = 10 * time.Minute
	// shutdownGrace is how long Run waits for commands in flight before
	// cancelling them.
	shutdownGrace = 10 * time.Second
)

// Adapter is newsdigest on Discord. Make one with New; it is safe for
// concurrent use.
type Adapter struct {
	cfg     *checked
	bot     *bot.Bot
	s       *discordgo.Session
	log     *slog.Logger
	redact  redactor
	metrics *bot.Metrics

	// ctx is the parent of every command's context; cancel ends them.
	ctx      context.Context
	cancel   context.CancelFunc
	inflight inflight
	running  atomic.Bool

	appMu sync.Mutex
	appID string

	gw gatewayGuard

	// beforeAnswer, when set (by tests), runs before a command is handed
	// to the bot.
	beforeAnswer func(bot.Request)
}

var _ bot.Poster = (*Adapter)(nil)

// New makes an Adapter for the bot. It connects to nothing until Run.
func New(cfg Config, b *bot.Bot) (*Adapter, error) {
	if b == nil {
		return nil, errors.New("discord: no bot")
	}
	c, err := cfg.check()
	if err != nil {
		return nil, err
	}
	s, err := discordgo.New("Bot " + c.token)
	if err != nil {
		return nil, errors.New("discord: make session") // discordgo.New cannot fail today
	}
	a := &Adapter{cfg: c, bot: b, s: s, log: c.Log, redact: redactor{token: c.token}, metrics: c.Metrics, appID: c.AppID}
	if a.log == nil {
		a.log = slog.Default()
	}
	a.ctx, a.cancel = context.WithCancel(context.Background())

	client := &http.Client{Timeout: 20 * time.Second}
	if c.HTTPClient != nil {
		cp := *c.HTTPClient
		client = &cp
	}
	client.Transport = newAPITransport(c.apiBase, client.Transport, a.rateLimited)
	s.Client = client

	// Interactions need no intent; GUILDS keeps channel names in the
	// state. Nothing privileged: no message content, members or presences.
	s.Identify.Intents = discordgo.IntentsGuilds
	s.ShardID, s.ShardCount = c.ShardID, max(c.ShardCount, 1)
	s.ShouldReconnectOnError = true
	s.ShouldRetryOnRateLimit = true
	s.MaxRestRetries = 3
	s.StateEnabled = true
	s.State.TrackMembers, s.State.TrackRoles, s.State.TrackVoice = false, false, false
	s.State.TrackEmojis, s.State.TrackStickers, s.State.TrackPresences = false, false, false
	s.State.TrackThreads, s.State.TrackThreadMembers = false, false
	s.State.MaxMessageCount = 0

	s.AddHandler(a.onInteractionCreate)
	s.AddHandler(a.onReady)
	s.AddHandler(a.onResumed)
	s.AddHandler(a.onDisconnect)
	return a, nil
}

// Platform is store.Discord.
func (a *Adapter) Platform() string { return store.Discord }

// Run registers the commands, opens the gateway (unless HTTPOnly) and
// serves interactions until ctx is done; then it closes the connection
// and waits a little for the commands in flight. It returns nil after a
// normal shutdown.
func (a *Adapter) Run(ctx context.Context) error {
	if !a.running.CompareAndSwap(false, true) {
		return errors.New("discord: Run called twice")
	}
	defer a.cancel()
	if err := a.RegisterCommands(ctx); err != nil {
		return err
	}
	if !a.cfg.HTTPOnly {
		if err := a.s.Open(); err != nil {
			return a.redact.wrap("open the gateway", err)
		}
	}
	a.log.Info("discord: running", "gateway", !a.cfg.HTTPOnly, "guild", a.cfg.GuildID,
		"shard", a.s.ShardID, "shards", a.s.ShardCount, "api", a.cfg.apiBase.Redacted())
	<-ctx.Done()
	a.shutdown()
	return nil
}

// shutdown closes the gateway without letting discordgo reconnect, then
// waits for the commands in flight.
func (a *Adapter) shutdown() {
	if !a.cfg.HTTPOnly {
		a.gw.mu.Lock()
		a.gw.stopped = true
		a.setReconnect(false)
		a.gw.mu.Unlock()
		if err := a.s.Close(); err != nil {
			a.log.Warn("discord: close gateway", "error", a.redact.redact(err.Error()))
		}
	}
	if !a.inflight.close(shutdownGrace) {
		a.log.Warn("discord: commands still running at shutdown; cancelling them")
	}
	a.cancel()
}

// RegisterCommands overwrites the application's slash commands with
// bot.Specs(): in Config.GuildID, or globally.
func (a *Adapter) RegisterCommands(ctx context.Context) error {
	appID, err := a.applicationID(ctx)
	if err != nil {
		return err
	}
	cmds := applicationCommands(bot.Specs())
	if _, err := a.s.ApplicationCommandBulkOverwrite(appID, a.cfg.GuildID, cmds, discordgo.WithContext(ctx)); err != nil {
		return a.redact.wrap("register slash commands", err)
	}
	a.log.Info("discord: slash commands registered", "commands", len(cmds), "guild", a.cfg.GuildID)
	return nil
}

// applicationID is Config.AppID or, when unset, the id Discord reports
// for the token's application.
func (a *Adapter) applicationID(ctx context.Context) (string, error) {
	a.appMu.Lock()
	defer a.appMu.Unlock()
	if a.appID != "" {
		return a.appID, nil
	}
	if err := ctx.Err(); err != nil {
		return "", err
	}
	app, err := a.s.Application("@me")
	if err != nil {
		return "", a.redact.wrap("get the application (is the bot token right?)", err)
	}
	if app == nil || !isSnowflake(app.ID) {
		return "", errors.New("discord: get the application: no id in Discord's answer")
	}
	a.appID = app.ID
	return a.appID, nil
}

func (a *Adapter) rateLimited() {
	if a.metrics != nil {
		a.metrics.RateLimits.WithLabelValues(store.Discord).Inc()
	}
}

func (a *Adapter) onReady(_ *discordgo.Session, r *discordgo.Ready) {
	defer a.recoverPanic("READY")
	guilds := 0
	if r != nil {
		guilds = len(r.Guilds)
	}
	a.log.Info("discord: gateway ready", "guilds", guilds, "shard", a.s.ShardID, "shards", a.s.ShardCount)
}

func (a *Adapter) onResumed(*discordgo.Session, *discordgo.Resumed) {
	a.log.Info("discord: gateway session resumed")
}

// recoverPanic, deferred at the top of every handler and goroutine, logs
// a panic instead of letting it end the process: discordgo runs handlers
// in goroutines without recovering.
func (a *Adapter) recoverPanic(where string) {
	if r := recover(); r != nil {
		a.recoverPanicValue(where, r)
	}
}

func stack() string { return string(debug.Stack()) }

// inflight counts the commands being answered, so that shutdown can wait
// for them; after close it admits no more.
type inflight struct {
	mu     sync.Mutex
	wg     sync.WaitGroup
	closed bool
}

func (f *inflight) add() bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.closed {
		return false
	}
	f.wg.Add(1)
	return true
}

func (f *inflight) done() { f.wg.Done() }

// close stops admitting work and waits up to d for the work in flight;
// it reports whether all of it finished.
func (f *inflight) close(d time.Duration) bool {
	f.mu.Lock()
	f.closed = true
	f.mu.Unlock()
	finished := make(chan struct{})
	go func() { f.wg.Wait(); close(finished) }()
	select {
	case <-finished:
		return true
	case <-time.After(d):
		return false
	}
}
