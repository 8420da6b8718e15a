package telegram

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/newsdigest/newsdigest/bot"
	"github.com/newsdigest/newsdigest/bot/telegram/telegramtest"
	"github.com/newsdigest/newsdigest/digest"
	"github.com/newsdigest/newsdigest/digest/render"
	"github.com/newsdigest/newsdigest/store"
)

// bigDigest is a digest too long for one Telegram message, whose text
// tries to format and to mention people.
func bigDigest() *digest.Digest {
	now := time.Now()
	d := &digest.Digest{Name: "Morning digest", At: now, Since: now.Add(-24 * time.Hour), Until: now}
	for i := 0; i < 14; i++ {
		d.Stories = append(d.Stories, digest.StoryItem{
			ID:       fmt.Sprint(1000 + i),
			Headline: fmt.Sprintf("Story %d: <b>harbour</b> works continue & @everyone", i),
			Summary:  strings.Repeat(fmt.Sprintf("The harbour authority said on Monday that work on pier %d would go on through the winter. ", i), 5),
			Quotes: []digest.KeyQuote{{
				Text:    fmt.Sprintf("We will finish pier %d on time, whatever the weather does", i),
				Speaker: "Ana Ruiz", Outlet: "Example Times", URL: fmt.Sprintf("https://news.example.com/pier-%d", i),
			}},
			Links: []digest.Link{
				{Outlet: "Example Times", Title: "Pier works", URL: fmt.Sprintf("https://news.example.com/pier-%d", i)},
				{Outlet: "Harbour Post", Title: "Pier works go on", URL: fmt.Sprintf("https://post.example.org/pier-%d", i)},
			},
			Time: now.Add(-time.Duration(i) * time.Hour),
		})
	}
	return d
}

func TestPostDigest(t *testing.T) {
	t.Parallel()
	e := start(t, envOptions{noRun: true})
	ctx := context.Background()
	group := e.srv.AddChat(telegramtest.Chat{ID: -4100, Type: telegramtest.Group})
	d := bigDigest()
	want := render.Telegram(*d)
	if len(want) < 2 {
		t.Fatalf("the test digest renders as %d message; make it longer", len(want))
	}
	ids, err := e.a.PostDigest(ctx, fmt.Sprint(group.ID), d, "key-1")
	if err != nil {
		t.Fatalf("PostDigest: %v", err)
	}
	msgs := e.srv.Messages(group.ID)
	if len(ids) != len(want) || len(msgs) != len(want) {
		t.Fatalf("%d ids, %d messages; want %d", len(ids), len(msgs), len(want))
	}
	for i, m := range msgs {
		if m.Source != want[i] || fmt.Sprint(m.MessageID) != ids[i] {
			t.Errorf("message %d (id %d, returned %s) differs from the rendered one", i, m.MessageID, ids[i])
		}
		if err := render.CheckTelegramHTML(m.Source); err != nil {
			t.Errorf("message %d: %v", i, err)
		}
		if !m.LinkPreviewDisabled || m.ParseMode != "HTML" || m.ReplyToMessageID != 0 {
			t.Errorf("message %d: previews disabled %v, parse mode %q, reply to %d", i, m.LinkPreviewDisabled, m.ParseMode, m.ReplyToMessageID)
		}
	}
	if got := counterValue(t, e.metrics.Deliveries.WithLabelValues(store.Telegram, "ok")); got != float64(len(want)) {
		t.Errorf("deliveries ok = %v, want %d", got, len(want))
	}

	if _, err := e.a.PostDigest(ctx, "not-a-chat", d, "k"); !errors.Is(err, bot.ErrChatUnavailable) {
		t.Errorf("bad chat id: %v, want ErrChatUnavailable", err)
	}
	if _, err := e.a.PostDigest(ctx, "1", nil, "k"); err == nil {
		t.Error("nil digest posted")
	}
}

func TestPostDigestRefused(t *testing.T) {
	t.Parallel()
	e := start(t, envOptions{noRun: true})
	ctx := context.Background()
	d := bigDigest()
	blockedUser := e.srv.AddChat(telegramtest.Chat{ID: 3001})
	e.srv.SetBlocked(blockedUser.ID, true)
	kicked := e.srv.AddChat(telegramtest.Chat{ID: -3002, Type: telegramtest.Group})
	e.srv.SetBlocked(kicked.ID, true)

	cases := []struct {
		chat int64
		want string
	}{
		{blockedUser.ID, "Forbidden: bot was blocked by the user"},
		{kicked.ID, "Forbidden: bot was kicked from the group chat"},
		{-3003, "chat not found"}, // never known: deleted, or the bot never joined
	}
	for _, c := range cases {
		ids, err := e.a.PostDigest(ctx, fmt.Sprint(c.chat), d, "k")
		if !errors.Is(err, bot.ErrChatUnavailable) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("chat %d: %v, want ErrChatUnavailable saying %q", c.chat, err, c.want)
		}
		if len(ids) != 0 {
			t.Errorf("chat %d: ids %v", c.chat, ids)
		}
	}
	if got := counterValue(t, e.metrics.Deliveries.WithLabelValues(store.Telegram, "unavailable")); got != 3 {
		t.Errorf("deliveries unavailable = %v, want 3", got)
	}
}

func TestPostDigestMigrated(t *testing.T) {
	t.Parallel()
	e := start(t, envOptions{noRun: true})
	ctx := context.Background()
	const group, super = -3101, -1003101
	e.srv.AddChat(telegramtest.Chat{ID: group, Type: telegramtest.Group, Title: "Team"})
	e.srv.Migrate(group, super)

	_, err := e.a.PostDigest(ctx, fmt.Sprint(group), bigDigest(), "k")
	var moved *bot.ChatMovedError
	if !errors.As(err, &moved) || moved.From != fmt.Sprint(group) || moved.To != fmt.Sprint(super) {
		t.Fatalf("PostDigest to an upgraded group: %v, want ChatMovedError %d -> %d", err, group, super)
	}
	if _, err := e.a.PostDigest(ctx, moved.To, bigDigest(), "k"); err != nil {
		t.Fatalf("PostDigest to the supergroup: %v", err)
	}
	if len(e.srv.Messages(super)) < 2 || len(e.srv.Messages(group)) != 0 {
		t.Errorf("messages: group %d, supergroup %d", len(e.srv.Messages(group)), len(e.srv.Messages(super)))
	}
}

// TestFloodLimits sends 200 messages to 20 chats at once, against a fake
// that answers 429 to anything over its limits: none may be lost, and
// the adapter's own limiter should make Telegram refuse none.
func TestFloodLimits(t *testing.T) {
	t.Parallel()
	limits := Limits{
		Chat:   Limit{Messages: 1, Per: 10 * time.Millisecond},
		Group:  Limit{Messages: 5, Per: 100 * time.Millisecond},
		Global: Limit{Messages: 10, Per: 10 * time.Millisecond},
	}
	e := start(t, envOptions{noRun: true,
		fake:   telegramtest.Options{Limits: telegramtest.Limits{Chat: telegramtest.Limit(limits.Chat), Group: telegramtest.Limit(limits.Group), Global: telegramtest.Limit(limits.Global)}},
		config: func(c *Config) { c.Limits = limits },
	})
	var chats []int64
	for i := int64(1); i <= 10; i++ {
		chats = append(chats, 2000+i, -5000-i)
	}
	for _, c := range chats {
		e.srv.AddChat(telegramtest.Chat{ID: c})
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	const perChat = 10
	var wg sync.WaitGroup
	errs := make(chan error, len(chats)*perChat)
	start := time.Now()
	for _, c := range chats {
		for i := 0; i < perChat; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				text := fmt.Sprintf("message %d to %d", i, c)
				if _, err := e.a.send(ctx, c, []outMessage{{html: text}}, 0); err != nil {
					errs <- fmt.Errorf("%s: %w", text, err)
				}
			}()
		}
	}
	wg.Wait()
	took := time.Since(start)
	close(errs)
	for err := range errs {
		t.Error(err)
	}

	for _, c := range chats {
		msgs := e.srv.Messages(c)
		seen := map[string]bool{}
		for _, m := range msgs {
			seen[m.Text] = true
		}
		for i := 0; i < perChat; i++ {
			if text := fmt.Sprintf("message %d to %d", i, c); !seen[text] {
				t.Errorf("lost %q", text)
			}
		}
		if len(msgs) != perChat {
			t.Errorf("chat %d got %d messages, want %d", c, len(msgs), perChat)
		}
	}
	if fe := e.srv.UnresolvedFloodErrors(); len(fe) != 0 {
		t.Errorf("messages lost to flood control: %+v", fe)
	}
	if fe := e.srv.FloodErrors(); len(fe) != 0 {
		t.Errorf("the limiter let through sends Telegram refused: %+v", fe)
	}
	// 200 messages at 10 per 10ms take at least 190ms; 10 to one group at
	// 5 per 100ms at least 100ms.
	if took < 190*time.Millisecond {
		t.Errorf("200 messages went out in %s: faster than the limits allow", took)
	}
}

// TestRetryAfter sends with the adapter's limiter off, so that the fake
// (on a manual clock, with Telegram's own limits) answers 429: each must
// be waited out for retry_after and the message sent again.
func TestRetryAfter(t *testing.T) {
	t.Parallel()
	clock := telegramtest.NewManualClock(time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC))
	var slept time.Duration
	var mu sync.Mutex
	e := start(t, envOptions{noRun: true,
		fake:   telegramtest.Options{Now: clock.Now, Limits: telegramtest.Limits{Global: telegramtest.Limit{Messages: -1}}},
		config: func(c *Config) { c.Limits = NoLimits },
		adapter: func(a *Adapter) {
			a.now = clock.Now
			a.sleep = func(ctx context.Context, d time.Duration) error {
				mu.Lock()
				slept += d
				mu.Unlock()
				clock.Advance(d)
				return ctx.Err()
			}
		},
	})
	ctx := context.Background()
	group := e.srv.AddChat(telegramtest.Chat{ID: -6001, Type: telegramtest.Group})
	user := e.srv.AddChat(telegramtest.Chat{ID: 6002})
	var msgs []outMessage
	for i := 0; i < 25; i++ { // over the group's 20 a minute
		msgs = append(msgs, outMessage{html: fmt.Sprintf("part <b>%d</b>", i)})
	}
	if ids, err := e.a.send(ctx, group.ID, msgs, 0); err != nil || len(ids) != 25 {
		t.Fatalf("send to group: %d ids, %v", len(ids), err)
	}
	if ids, err := e.a.send(ctx, user.ID, msgs[:3], 0); err != nil || len(ids) != 3 {
		t.Fatalf("send to user: %d ids, %v", len(ids), err)
	}
	fe := e.srv.FloodErrors()
	if len(fe) == 0 {
		t.Fatal("the fake answered no 429: the test tests nothing")
	}
	scopes := map[string]bool{}
	for _, f := range fe {
		scopes[f.Scope] = true
		if f.EarlyRetries != 0 || f.ResentAt.IsZero() {
			t.Errorf("429 in chat %d (%s, retry after %ds): %d early retries, resent at %v", f.ChatID, f.Scope, f.RetryAfter, f.EarlyRetries, f.ResentAt)
		}
	}
	if !scopes["chat"] || !scopes["group"] {
		t.Errorf("429 scopes %v, want chat and group", scopes)
	}
	if got := len(e.srv.Messages(group.ID)) + len(e.srv.Messages(user.ID)); got != 28 {
		t.Errorf("%d messages accepted, want 28", got)
	}
	if got := counterValue(t, e.metrics.RateLimits.WithLabelValues(store.Telegram)); got != float64(len(fe)) {
		t.Errorf("rate-limit metric %v, want %d", got, len(fe))
	}
	if slept < 40*time.Second {
		t.Errorf("waited %s in all; 25 messages in a group need more than 40s of waiting", slept)
	}
}
