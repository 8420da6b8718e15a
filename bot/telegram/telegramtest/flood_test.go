package telegramtest

import (
	"net/url"
	"strconv"
	"testing"
	"time"
)

var epoch = time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)

func send(t *testing.T, s *Server, chatID int64, text string) answer {
	t.Helper()
	return call(t, s, "sendMessage", url.Values{"chat_id": {strconv.FormatInt(chatID, 10)}, "text": {text}})
}

func TestFloodLimits(t *testing.T) {
	type step struct {
		advance    time.Duration
		chatID     int64
		retryAfter int // 0: accepted
		scope      string
	}
	tests := []struct {
		name   string
		limits Limits
		chats  int // private chats 1..n and groups -1..-n
		steps  []step
	}{
		{"one per second per chat", Limits{}, 2, []step{
			{0, 1, 0, ""},
			{0, 2, 0, ""}, // another chat is not limited by the first
			{500 * time.Millisecond, 1, 1, "chat"},
			{499 * time.Millisecond, 1, 1, "chat"}, // 1ms left still reads "retry after 1"
			{time.Millisecond, 1, 0, ""},
		}},
		{"burst allowance", Limits{Chat: Limit{Messages: 3, Per: 3 * time.Second}}, 1, []step{
			{0, 1, 0, ""}, {0, 1, 0, ""}, {0, 1, 0, ""}, {0, 1, 3, "chat"},
			{2 * time.Second, 1, 1, "chat"}, {time.Second, 1, 0, ""},
		}},
		{"no limits", NoLimits, 1, []step{{0, 1, 0, ""}, {0, 1, 0, ""}, {0, 1, 0, ""}}},
	}
	// 20 per minute in a group: one a second passes the chat limit, the 21st
	// waits until the first leaves the minute.
	group := []step{}
	for i := 0; i < 20; i++ {
		group = append(group, step{time.Second, -1, 0, ""})
	}
	group = append(group, step{time.Second, -1, 40, "group"}, step{39 * time.Second, -1, 1, "group"},
		step{time.Second, -1, 0, ""}, step{0, 1, 0, ""})
	tests = append(tests, struct {
		name   string
		limits Limits
		chats  int
		steps  []step
	}{"20 per minute per group", Limits{}, 1, group})
	// 30 per second overall.
	global := []step{}
	for i := 1; i <= 30; i++ {
		global = append(global, step{0, int64(i), 0, ""})
	}
	global = append(global, step{0, 31, 1, "global"}, step{time.Second, 31, 0, ""})
	tests = append(tests, struct {
		name   string
		limits Limits
		chats  int
		steps  []step
	}{"30 per second overall", Limits{}, 31, global})

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clock := NewManualClock(epoch)
			s := newServer(t, Options{Limits: tt.limits, Now: clock.Now})
			for i := 1; i <= tt.chats; i++ {
				s.AddChat(Chat{ID: int64(i)})
				s.AddChat(Chat{ID: -int64(i)})
			}
			for i, st := range tt.steps {
				clock.Advance(st.advance)
				a := send(t, s, st.chatID, "m"+strconv.Itoa(i))
				switch {
				case st.retryAfter == 0 && !a.Ok:
					t.Fatalf("step %d: %d %s, want accepted", i, a.status, a.Description)
				case st.retryAfter > 0 && (a.status != 429 || a.Parameters == nil || a.Parameters.RetryAfter != st.retryAfter ||
					a.Description != "Too Many Requests: retry after "+strconv.Itoa(st.retryAfter) ||
					a.header.Get("Retry-After") != strconv.Itoa(st.retryAfter)):
					t.Fatalf("step %d: %d %q %+v Retry-After %q, want retry after %d", i, a.status, a.Description,
						a.Parameters, a.header.Get("Retry-After"), st.retryAfter)
				case st.retryAfter > 0:
					fe := s.FloodErrors()
					if got := fe[len(fe)-1]; got.Scope != st.scope || got.ChatID != st.chatID || !got.At.Equal(clock.Now()) {
						t.Fatalf("step %d: recorded %+v, want scope %s", i, got, st.scope)
					}
				}
			}
		})
	}
}

func TestFloodErrorRecords(t *testing.T) {
	clock := NewManualClock(epoch)
	s := newServer(t, Options{Now: clock.Now})
	s.AddChat(Chat{ID: 7})

	send(t, s, 7, "a")
	if a := send(t, s, 7, "b"); a.status != 429 {
		t.Fatalf("b: %d", a.status)
	}
	clock.Advance(200 * time.Millisecond)
	send(t, s, 7, "b") // too early: a second 429
	clock.Advance(800 * time.Millisecond)
	if a := send(t, s, 7, "b"); !a.Ok {
		t.Fatalf("b after the wait: %+v", a)
	}
	clock.Advance(time.Second)
	send(t, s, 7, "c")
	if a := send(t, s, 7, "d"); a.status != 429 {
		t.Fatalf("d: %d", a.status) // never resent
	}

	fe := s.FloodErrors()
	if len(fe) != 3 {
		t.Fatalf("FloodErrors = %+v, want 3", fe)
	}
	if fe[0].Text != "b" || fe[0].EarlyRetries != 1 || !fe[0].ResentAt.Equal(epoch.Add(time.Second)) {
		t.Errorf("first 429 = %+v, want one early retry and the resend at +1s", fe[0])
	}
	// Told at +0.2s to wait 1s, the bot came back at +1s: early, though
	// Telegram's rounding let it through.
	if fe[1].EarlyRetries != 1 || fe[1].RetryAfter != 1 {
		t.Errorf("second 429 = %+v", fe[1])
	}
	un := s.UnresolvedFloodErrors()
	if len(un) != 1 || un[0].Text != "d" {
		t.Errorf("UnresolvedFloodErrors = %+v, want d", un)
	}
	// Accepted messages carry their times, so rates can be checked.
	msgs := s.Messages(7)
	for i := 1; i < len(msgs); i++ {
		if gap := msgs[i].Sent.Sub(msgs[i-1].Sent); gap < time.Second {
			t.Errorf("messages %d and %d accepted %v apart", i-1, i, gap)
		}
	}
}

func TestRetryAfterSeconds(t *testing.T) {
	tests := []struct {
		wait time.Duration
		want int
	}{
		{time.Nanosecond, 1}, {time.Second, 1}, {time.Second + time.Millisecond, 2}, {40 * time.Second, 40},
	}
	for _, tt := range tests {
		if got := retryAfterSeconds(tt.wait); got != tt.want {
			t.Errorf("retryAfterSeconds(%v) = %d, want %d", tt.wait, got, tt.want)
		}
	}
}
