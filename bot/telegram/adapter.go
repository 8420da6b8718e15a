package telegram

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/newsdigest/newsdigest/bot"
	"github.com/newsdigest/newsdigest/store"
)

const (
	// commandTimeout bounds one command's work and its reply.
	commandTimeout = 5 * time.Minute
	// shutdownGrace is how long Run waits for commands in flight before
	// cancelling them.
	shutdownGrace = 15 * time.Second
	// maxDescription is Telegram's limit on a command's description.
	maxDescription = 256
)

// allowedUpdates are the update types the adapter asks for: messages in
// private chats and groups, and posts in channels.
var allowedUpdates = []string{"message", "channel_post"}

// Adapter is newsdigest on Telegram. Make one with New; it is safe for
// concurrent use.
type Adapter struct {
	cfg     *checked
	bot     *bot.Bot
	client  *http.Client
	log     *slog.Logger
	redact  redactor
	metrics *bot.Metrics
	limiter *limiter
	order   chatLocks

	self    atomic.Pointer[tgbotapi.User] // set by Run after getMe
	running atomic.Bool
	leader  Leader // nil: this process alone long-polls

	// base is the parent of every command's context; cancel ends them
	// after the shutdown grace.
	base   context.Context
	cancel context.CancelFunc
	slots  chan struct{} // one per update being handled
	mu     sync.Mutex
	closed bool
	wg     sync.WaitGroup

	seen recentIDs // webhook updates already taken

	// Clock and timing hooks, replaced by tests.
	now         func() time.Time
	sleep       func(context.Context, time.Duration) error
	typingDelay time.Duration // before the first "typing"
	typingEvery time.Duration
	// afterUpdate, when set (by tests), runs after each update is handled.
	afterUpdate func(tgbotapi.Update)
}

var _ bot.Poster = (*Adapter)(nil)

// New makes an Adapter for the bot. It checks the configuration and
// connects to nothing until Run.
func New(cfg Config, b *bot.Bot) (*Adapter, error) {
	if b == nil {
		return nil, errors.New("telegram: no bot")
	}
	c, err := cfg.check()
	if err != nil {
		return nil, err
	}
	a := &Adapter{
		cfg: c, bot: b, log: c.Log, redact: newRedactor(c.Token), metrics: c.Metrics,
		slots: make(chan struct{}, c.MaxConcurrent),
		now:   time.Now, sleep: sleepCtx,
		typingDelay: time.Second, typingEvery: 4 * time.Second,
	}
	a.client = c.HTTPClient
	if a.client == nil {
		a.client = &http.Client{
			Timeout: c.PollTimeout + clientSlack,
			// A redirect would carry the token to another URL.
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		}
	}
	a.limiter = newLimiter(c.Limits, func() time.Time { return a.now() },
		func(ctx context.Context, d time.Duration) error { return a.sleep(ctx, d) })
	a.base, a.cancel = context.WithCancel(context.Background())
	return a, nil
}

// Platform is store.Telegram.
func (a *Adapter) Platform() string { return store.Telegram }

// Leader elects the one process, of several replicas of the bot, that
// receives updates by long polling: Telegram answers one getUpdates per
// token at a time, and a second one cuts the first off.
type Leader interface {
	// Lead waits until this process leads, and returns a context that
	// ends when it stops leading (or ctx ends) and release, which gives
	// the lead up. It returns an error when it cannot wait any longer
	// (ctx ended).
	Lead(ctx context.Context) (lead context.Context, release func(), err error)
}

// SetLeader makes Run receive updates by long polling only while l says
// this process leads; the rest of the time it only posts (PostDigest needs
// no update loop). Webhooks need no leader: every replica serves the
// webhook, and the leader is not used. Call it before Run.
func (a *Adapter) SetLeader(l Leader) { a.leader = l }

// Run asks Telegram who the bot is, registers its commands and receives
// updates until ctx is done: by long polling (while it leads, with a
// Leader), or at WebhookHandler when Config.WebhookURL is set. Then it
// waits a little for the commands in flight. It returns nil after a normal
// shutdown and an error when Telegram refuses the token.
func (a *Adapter) Run(ctx context.Context) error {
	if !a.running.CompareAndSwap(false, true) {
		return errors.New("telegram: Run called twice")
	}
	defer a.shutdown()
	var me tgbotapi.User
	err := a.retry(ctx, "getMe", func(ctx context.Context) error {
		var err error
		me, err = a.getMe(ctx)
		return err
	})
	if err != nil {
		if ctx.Err() != nil {
			return nil
		}
		return fmt.Errorf("%w (is TELEGRAM_BOT_TOKEN right?)", err)
	}
	a.self.Store(&me)
	a.setCommands(ctx)
	a.log.Info("telegram: running", "bot", "@"+me.UserName, "webhook", a.cfg.WebhookURL != "", "api", a.cfg.APIBase)
	if a.cfg.WebhookURL != "" {
		err = a.runWebhook(ctx)
	} else {
		err = a.receive(ctx)
	}
	if ctx.Err() != nil {
		return nil
	}
	return err
}

// retry calls f until it succeeds, fails for good (a refused token) or
// ctx ends, backing off on transient failures.
func (a *Adapter) retry(ctx context.Context, what string, f func(context.Context) error) error {
	var b backoff
	for {
		err := f(ctx)
		if err == nil {
			return nil
		}
		if e, ok := asAPIError(err); ok && e.permanent() || ctx.Err() != nil {
			return err
		}
		d := b.next()
		a.log.Warn("telegram: "+what+" failed; retrying", "error", err, "in", d)
		if err := a.sleep(ctx, d); err != nil {
			return err
		}
	}
}

// setCommands registers the commands for Telegram's command menu. A
// failure only loses the menu.
func (a *Adapter) setCommands(ctx context.Context) {
	var cmds []tgbotapi.BotCommand
	for _, s := range bot.Specs() {
		if !validCommandName(s.Name) {
			a.log.Warn("telegram: command name not allowed by Telegram; not in the menu", "command", s.Name)
			continue
		}
		desc := clipRunes(s.Summary, maxDescription)
		if desc == "" {
			desc = s.Name
		}
		cmds = append(cmds, tgbotapi.BotCommand{Command: s.Name, Description: desc})
	}
	if _, err := a.call(ctx, "setMyCommands", tgbotapi.NewSetMyCommands(cmds...)); err != nil {
		a.log.Warn("telegram: register commands", "error", err)
		return
	}
	a.log.Info("telegram: commands registered", "commands", len(cmds))
}

// validCommandName is what setMyCommands takes: 1-32 of a-z, 0-9 and _.
func validCommandName(s string) bool {
	if len(s) < 1 || len(s) > 32 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_') {
			return false
		}
	}
	return true
}

// dispatch handles an update in its own goroutine, waiting while
// MaxConcurrent updates are being handled. It returns false, handling
// nothing, when ctx ends first or the adapter has shut down.
func (a *Adapter) dispatch(ctx context.Context, u tgbotapi.Update) bool {
	select {
	case a.slots <- struct{}{}:
	case <-ctx.Done():
		return false
	}
	a.mu.Lock()
	if a.closed {
		a.mu.Unlock()
		<-a.slots
		return false
	}
	a.wg.Add(1)
	a.mu.Unlock()
	go func() {
		defer a.wg.Done()
		defer func() { <-a.slots }()
		defer a.recoverPanic(u.UpdateID)
		ctx, cancel := context.WithTimeout(a.base, commandTimeout)
		defer cancel()
		a.handleUpdate(ctx, u)
		if a.afterUpdate != nil {
			a.afterUpdate(u)
		}
	}()
	return true
}

func (a *Adapter) recoverPanic(updateID int) {
	if r := recover(); r != nil {
		a.log.Error("telegram: update handler panicked", "update", updateID,
			"panic", a.redact.string(fmt.Sprint(r)), "stack", a.redact.string(string(debug.Stack())))
	}
}

// shutdown stops taking updates, waits up to shutdownGrace for those in
// flight, then cancels them.
func (a *Adapter) shutdown() {
	a.mu.Lock()
	a.closed = true
	a.mu.Unlock()
	done := make(chan struct{})
	go func() { a.wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(shutdownGrace):
		a.log.Warn("telegram: commands still running at shutdown; cancelling them")
		a.cancel()
		<-done
	}
	a.cancel()
}

// backoff grows from 1 to 60 seconds with jitter.
type backoff struct{ n int }

func (b *backoff) next() time.Duration {
	d := time.Second << min(b.n, 6)
	b.n++
	d = min(d, time.Minute)
	return d/2 + rand.N(d/2+1)
}

func (b *backoff) reset() { b.n = 0 }

func sleepCtx(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// clipRunes shortens s to at most n runes, marking a cut with "…".
func clipRunes(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}
