package telegramtest

import (
	"math"
	"sync"
	"time"
)

// Limit allows Messages messages per sliding window Per. Messages < 0
// means no limit; the zero Limit takes Telegram's value.
type Limit struct {
	Messages int
	Per      time.Duration
}

// Limits are the flood limits on sendMessage. Telegram's FAQ: about one
// message per second in a chat, 20 per minute in a group, 30 per second
// overall; a bot over them gets 429 with retry_after.
type Limits struct {
	// Chat is per chat. Default 1 per second, no burst: a bot that passes
	// it passes Telegram, which tolerates short bursts.
	Chat Limit
	// Group is per chat with a negative ID (groups, supergroups, channels).
	// Default 20 per minute.
	Group Limit
	// Global is across all chats. Default 30 per second.
	Global Limit
}

// NoLimits turns flood control off.
var NoLimits = Limits{Chat: Limit{Messages: -1}, Group: Limit{Messages: -1}, Global: Limit{Messages: -1}}

func (l Limits) withDefaults() Limits {
	if l.Chat == (Limit{}) {
		l.Chat = Limit{Messages: 1, Per: time.Second}
	}
	if l.Group == (Limit{}) {
		l.Group = Limit{Messages: 20, Per: time.Minute}
	}
	if l.Global == (Limit{}) {
		l.Global = Limit{Messages: 30, Per: time.Second}
	}
	return l
}

// limiter keeps the accepted sends inside each window.
type limiter struct {
	limits Limits
	chat   map[int64][]time.Time
	group  map[int64][]time.Time
	global []time.Time
}

func newLimiter(l Limits) *limiter {
	return &limiter{limits: l.withDefaults(), chat: map[int64][]time.Time{}, group: map[int64][]time.Time{}}
}

// admit records a send at now and returns 0, or refuses it and returns how
// long until it would pass every limit and the tightest limit's name.
func (l *limiter) admit(chatID int64, now time.Time) (time.Duration, string) {
	var wait time.Duration
	scope := ""
	check := func(name string, lim Limit, sent []time.Time) []time.Time {
		if lim.Messages < 0 {
			return sent
		}
		// Forget sends that left the window.
		keep := 0
		for keep < len(sent) && !sent[keep].After(now.Add(-lim.Per)) {
			keep++
		}
		sent = sent[keep:]
		if len(sent) >= lim.Messages {
			// Free enough room for one more: the oldest surplus must leave.
			w := lim.Per
			if lim.Messages > 0 {
				w = sent[len(sent)-lim.Messages].Add(lim.Per).Sub(now)
			}
			if w > wait {
				wait, scope = w, name
			}
		}
		return sent
	}
	l.chat[chatID] = check("chat", l.limits.Chat, l.chat[chatID])
	if chatID < 0 {
		l.group[chatID] = check("group", l.limits.Group, l.group[chatID])
	}
	l.global = check("global", l.limits.Global, l.global)
	if wait > 0 {
		return wait, scope
	}
	l.chat[chatID] = append(l.chat[chatID], now)
	if chatID < 0 {
		l.group[chatID] = append(l.group[chatID], now)
	}
	l.global = append(l.global, now)
	return 0, ""
}

// retryAfterSeconds is the whole seconds Telegram reports: rounded up, so
// waiting that long always suffices, and at least 1.
func retryAfterSeconds(wait time.Duration) int {
	return max(1, int(math.Ceil(wait.Seconds())))
}

// attempt is a sendMessage to a known chat, accepted or not.
type attempt struct {
	chatID int64
	at     time.Time
}

type floodRecord struct {
	FloodError
	attempt int // index in Server.attempts of the refused request
	sent    int // len(Server.sent) when refused: resends come after
}

// FloodErrors are the 429s answered to sendMessage, oldest first, with
// what the bot did next: EarlyRetries and ResentAt.
func (s *Server) FloodErrors() []FloodError {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]FloodError, 0, len(s.floodErrors))
	for _, r := range s.floodErrors {
		fe := r.FloodError
		deadline := fe.At.Add(time.Duration(fe.RetryAfter) * time.Second)
		for _, a := range s.attempts[r.attempt+1:] {
			if a.chatID == fe.ChatID && a.at.Before(deadline) {
				fe.EarlyRetries++
			}
		}
		for _, m := range s.sent[r.sent:] {
			if m.ChatID == fe.ChatID && m.Source == fe.Text {
				fe.ResentAt = m.Sent
				break
			}
		}
		out = append(out, fe)
	}
	return out
}

// UnresolvedFloodErrors are the 429s whose text was never accepted in that
// chat afterwards: messages the bot lost to flood control.
func (s *Server) UnresolvedFloodErrors() []FloodError {
	var out []FloodError
	for _, fe := range s.FloodErrors() {
		if fe.ResentAt.IsZero() {
			out = append(out, fe)
		}
	}
	return out
}

// ManualClock is a clock that moves only when told, for Options.Now. A
// test (or the bot under test, through an injected sleep) calls Advance
// instead of sleeping through a retry_after.
type ManualClock struct {
	mu  sync.Mutex
	now time.Time
}

// NewManualClock starts a clock at start.
func NewManualClock(start time.Time) *ManualClock { return &ManualClock{now: start} }

// Now is the clock's time.
func (c *ManualClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Advance moves the clock forward by d.
func (c *ManualClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}
