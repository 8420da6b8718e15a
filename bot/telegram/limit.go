package telegram

import (
	"context"
	"sync"
	"time"

	"github.com/newsdigest/newsdigest/bot"
)

// The flood limiter keeps the bot inside Telegram's limits: a message a
// second in a chat, 20 a minute in a group, 30 a second overall. Each is a
// sliding window of the last sends, as Telegram counts them. A token
// bucket (golang.org/x/time/rate) does not fit: with a burst above one it
// lets through more than a window allows, and with a burst of one it
// spaces a group's messages three seconds apart.
//
// A send counts from the moment its answer arrives, not from when it
// started: Telegram saw it at some moment in between, so counting late is
// always on the safe side, however long requests take. Sends still in
// flight count as in the window until they complete.

// window is one limit's record of recent sends.
type window struct {
	lim      Limit
	done     []time.Time // completion times, oldest first
	inflight int
}

// blocked is window.wait's answer when only the completion of a send in
// flight can make room.
const blocked = time.Duration(-1)

// wait is 0 when a send may start at now, the time until the window has
// room, or blocked.
func (w *window) wait(now time.Time) time.Duration {
	if w.lim.Messages < 0 {
		return 0
	}
	w.prune(now)
	used := len(w.done) + w.inflight
	if used < w.lim.Messages {
		return 0
	}
	need := used - w.lim.Messages + 1 // completed sends that must leave the window
	if need > len(w.done) {
		return blocked
	}
	return w.done[need-1].Add(w.lim.Per).Sub(now)
}

// prune forgets the sends that left the window.
func (w *window) prune(now time.Time) {
	cut := now.Add(-w.lim.Per)
	i := 0
	for i < len(w.done) && !w.done[i].After(cut) {
		i++
	}
	if i > 0 {
		w.done = append(w.done[:0], w.done[i:]...)
	}
}

func (w *window) start() {
	if w.lim.Messages >= 0 {
		w.inflight++
	}
}

func (w *window) finish(now time.Time) {
	if w.lim.Messages >= 0 {
		w.inflight--
		w.done = append(w.done, now)
	}
}

func (w *window) idle(now time.Time) bool {
	w.prune(now)
	return w.inflight == 0 && len(w.done) == 0
}

// chatState is one chat's windows and its penalty after a 429.
type chatState struct {
	chat, group window
	until       time.Time // no sends before this (retry_after)
}

// limiter is the flood limiter for all chats. Waiting happens in the
// caller's goroutine: a chat over its limit never holds up another.
type limiter struct {
	limits Limits
	now    func() time.Time
	sleep  func(context.Context, time.Duration) error

	mu        sync.Mutex
	chats     map[int64]*chatState
	global    window
	changed   chan struct{} // closed and replaced when a send completes
	lastSweep time.Time
}

func newLimiter(l Limits, now func() time.Time, sleep func(context.Context, time.Duration) error) *limiter {
	return &limiter{limits: l, now: now, sleep: sleep, chats: map[int64]*chatState{},
		global: window{lim: l.Global}, changed: make(chan struct{})}
}

func (l *limiter) chatLocked(id int64) *chatState {
	c := l.chats[id]
	if c == nil {
		c = &chatState{chat: window{lim: l.limits.Chat}, group: window{lim: l.limits.Group}}
		if id > 0 {
			c.group.lim = Limit{Messages: -1}
		}
		l.chats[id] = c
	}
	return c
}

// acquire waits until a message may go to the chat and counts it as in
// flight; the caller must call the returned release once Telegram has
// answered (or the request failed).
func (l *limiter) acquire(ctx context.Context, chatID int64) (release func(), err error) {
	for {
		l.mu.Lock()
		now := l.now()
		l.sweepLocked(now)
		c := l.chatLocked(chatID)
		wait := max(c.until.Sub(now), 0)
		for _, w := range []*window{&c.chat, &c.group, &l.global} {
			d := w.wait(now)
			if d == blocked || wait == blocked {
				wait = blocked
			} else {
				wait = max(wait, d)
			}
		}
		if wait == 0 {
			c.chat.start()
			c.group.start()
			l.global.start()
			l.mu.Unlock()
			return l.releaser(c), nil
		}
		changed := l.changed
		l.mu.Unlock()
		if wait == blocked {
			select {
			case <-changed:
			case <-ctx.Done():
				return nil, ctx.Err()
			}
			continue
		}
		if err := l.sleep(ctx, wait); err != nil {
			return nil, err
		}
	}
}

func (l *limiter) releaser(c *chatState) func() {
	var once sync.Once
	return func() {
		once.Do(func() {
			l.mu.Lock()
			defer l.mu.Unlock()
			now := l.now()
			c.chat.finish(now)
			c.group.finish(now)
			l.global.finish(now)
			close(l.changed)
			l.changed = make(chan struct{})
		})
	}
}

// hold keeps the chat's sends back for d, after Telegram answered 429
// with retry_after.
func (l *limiter) hold(chatID int64, d time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	c := l.chatLocked(chatID)
	if until := l.now().Add(d); until.After(c.until) {
		c.until = until
	}
}

// sweepLocked forgets idle chats now and then, so that the map does not
// grow with every chat the bot ever wrote to.
func (l *limiter) sweepLocked(now time.Time) {
	if len(l.chats) < 1024 || now.Sub(l.lastSweep) < time.Minute {
		return
	}
	l.lastSweep = now
	for id, c := range l.chats {
		if c.chat.idle(now) && c.group.idle(now) && !c.until.After(now) {
			delete(l.chats, id)
		}
	}
}

// Rate implements bot.RatedPoster: the messages a second the adapter
// sends across all chats at most (its global limit).
func (a *Adapter) Rate() float64 {
	g := a.cfg.Limits.withDefaults().Global
	if g.Messages < 0 || g.Per <= 0 {
		return 0
	}
	return float64(g.Messages) / g.Per.Seconds()
}

var (
	_ bot.RatedPoster    = (*Adapter)(nil)
	_ bot.ResumingPoster = (*Adapter)(nil)
)

// chatLocks keep the messages of one reply or digest together: a second
// reply to the same chat waits until the first is out.
type chatLocks struct {
	mu    sync.Mutex
	locks map[int64]*chatLock
}

type chatLock struct {
	ch   chan struct{}
	refs int
}

func (cl *chatLocks) lock(ctx context.Context, id int64) (unlock func(), err error) {
	cl.mu.Lock()
	if cl.locks == nil {
		cl.locks = map[int64]*chatLock{}
	}
	l := cl.locks[id]
	if l == nil {
		l = &chatLock{ch: make(chan struct{}, 1)}
		cl.locks[id] = l
	}
	l.refs++
	cl.mu.Unlock()
	drop := func() {
		cl.mu.Lock()
		l.refs--
		if l.refs == 0 {
			delete(cl.locks, id)
		}
		cl.mu.Unlock()
	}
	select {
	case l.ch <- struct{}{}:
	case <-ctx.Done():
		drop()
		return nil, ctx.Err()
	}
	return func() { <-l.ch; drop() }, nil
}
