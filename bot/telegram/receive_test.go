package telegram

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/newsdigest/newsdigest/bot/telegram/telegramtest"
	"github.com/newsdigest/newsdigest/store"
)

func TestLongPollingConfirmsOffsets(t *testing.T) {
	t.Parallel()
	e := start(t, envOptions{})
	var updates []telegramtest.Update
	for i := 0; i < 30; i++ {
		user := telegramtest.User{ID: int64(7000 + i%5), FirstName: "Reader"}
		updates = append(updates, e.srv.SendMessage(telegramtest.Chat{}, user, fmt.Sprintf("/help %s", []string{"digest", "add", "story"}[i%3])))
		if i%7 == 0 {
			time.Sleep(5 * time.Millisecond) // spread them over several polls
		}
	}
	e.waitHandled(t, updates...)
	e.stop(t) // confirms the last batch

	for id, n := range e.handledIDs() {
		if n != 1 {
			t.Errorf("update %d handled %d times", id, n)
		}
	}
	seen := map[int]bool{}
	for _, id := range e.srv.Delivered() {
		if seen[id] {
			t.Errorf("update %d delivered twice: offsets not confirmed", id)
		}
		seen[id] = true
	}
	if n := e.srv.PendingUpdates(); n != 0 {
		t.Errorf("%d updates left unconfirmed at shutdown", n)
	}
	replies := len(e.srv.AllMessages())
	if replies != 30 {
		t.Errorf("%d replies, want 30", replies)
	}

	// A new instance on the same bot handles nothing again.
	a2, err := New(Config{Token: e.srv.Token(), APIBase: e.srv.URL(), HTTPClient: e.srv.Client(), PollTimeout: time.Second, Log: e.a.log}, e.bot)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- a2.Run(ctx) }()
	polls := e.srv.Calls("getUpdates")
	e.srv.WaitFor(5*time.Second, func() bool { return e.srv.Calls("getUpdates") > polls })
	late := e.srv.SendMessage(telegramtest.Chat{}, ann, "/help")
	e.srv.WaitFor(5*time.Second, func() bool { return len(e.srv.Messages(ann.ID)) > 0 })
	cancel()
	if err := <-done; err != nil {
		t.Errorf("second Run: %v", err)
	}
	if got := len(e.srv.AllMessages()); got != replies+1 {
		t.Errorf("after a restart and one more /help (update %d): %d replies, want %d", late.ID, got, replies+1)
	}
}

func TestPollingSurvivesErrors(t *testing.T) {
	t.Parallel()
	// A webhook set elsewhere makes getUpdates fail with 409 until
	// deleteWebhook; a malformed update must not stop the queue.
	e := start(t, envOptions{noRun: true, adapter: func(a *Adapter) {
		a.sleep = func(ctx context.Context, d time.Duration) error { return sleepCtx(ctx, time.Millisecond) }
	}})
	if _, err := e.a.callParams(context.Background(), "setWebhook", map[string]string{"url": "https://elsewhere.example.com/hook"}); err != nil {
		t.Fatal(err)
	}
	bad, err := e.srv.InjectUpdate([]byte(`{"message": {"message_id": "not a number", "chat": {"id": 5}}}`))
	if err != nil {
		t.Fatal(err)
	}
	good := e.srv.SendMessage(telegramtest.Chat{}, ann, "/help")
	e.run(t)
	e.waitHandled(t, good)
	if msgs := e.messages(t, ann.ID, 1); !strings.Contains(msgs[0].Text, "/digest") {
		t.Errorf("reply %q", msgs[0].Text)
	}
	if e.handledIDs()[bad.ID] != 0 {
		t.Error("the malformed update was handled")
	}
}

func TestWebhook(t *testing.T) {
	t.Parallel()
	const secret = "s3cret-Token_42"
	e := start(t, envOptions{config: func(c *Config) {
		c.WebhookURL = "https://bot.example.com/telegram/webhook"
		c.WebhookSecret = secret
	}})
	if w := e.srv.WebhookInfo(); w.URL != "https://bot.example.com/telegram/webhook" || w.SecretToken != secret {
		t.Fatalf("webhook set to %q with secret %q", w.URL, w.SecretToken)
	}
	if e.srv.Calls("getUpdates") != 0 {
		t.Error("webhook mode polled")
	}
	h := e.a.WebhookHandler()
	post := func(secretHeader string, body []byte) int {
		req := httptest.NewRequest(http.MethodPost, "/telegram/webhook", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		if secretHeader != "" {
			req.Header.Set("X-Telegram-Bot-Api-Secret-Token", secretHeader)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec.Code
	}

	u := e.srv.SendMessage(telegramtest.Chat{}, ann, "/help subscribe")
	for _, bad := range []string{"", "wrong", secret + "x", strings.ToUpper(secret)} {
		if code := post(bad, u.JSON); code != http.StatusUnauthorized {
			t.Errorf("secret %q: status %d, want 401", bad, code)
		}
	}
	time.Sleep(50 * time.Millisecond)
	if n := len(e.srv.Messages(ann.ID)); n != 0 {
		t.Fatalf("an update with a wrong secret was handled (%d replies)", n)
	}
	if code := post(secret, u.JSON); code != http.StatusOK {
		t.Fatalf("right secret: status %d", code)
	}
	if code := post(secret, u.JSON); code != http.StatusOK { // Telegram retrying
		t.Errorf("repeated update: status %d", code)
	}
	e.waitHandled(t, u)
	msgs := e.messages(t, ann.ID, 1)
	if !strings.Contains(msgs[0].Text, "/subscribe [schedule]") || msgs[0].ReplyToMessageID != u.MessageID {
		t.Errorf("reply %q to %d", msgs[0].Text, msgs[0].ReplyToMessageID)
	}
	time.Sleep(50 * time.Millisecond)
	if n := e.handledIDs()[u.ID]; n != 1 || len(e.srv.Messages(ann.ID)) != 1 {
		t.Errorf("update handled %d times, %d replies; want once", n, len(e.srv.Messages(ann.ID)))
	}

	if code := post(secret, []byte(`{"update_id": 1, "message": `)); code != http.StatusBadRequest {
		t.Errorf("truncated JSON: status %d, want 400", code)
	}
	huge := append([]byte(`{"update_id": 2, "message": {"text": "`), bytes.Repeat([]byte("a"), 2<<20)...)
	if code := post(secret, append(huge, `"}}`...)); code != http.StatusRequestEntityTooLarge {
		t.Errorf("2 MiB update: status %d, want 413", code)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/telegram/webhook", nil))
	if rec.Code != http.StatusMethodNotAllowed {
		t.Errorf("GET: status %d, want 405", rec.Code)
	}
}

func TestWebhookBeforeRun(t *testing.T) {
	t.Parallel()
	e := start(t, envOptions{noRun: true, config: func(c *Config) {
		c.WebhookURL = "https://bot.example.com/hook"
		c.WebhookSecret = "abc"
	}})
	u := e.srv.SendMessage(telegramtest.Chat{}, ann, "/help")
	req := httptest.NewRequest(http.MethodPost, "/hook", bytes.NewReader(u.JSON))
	req.Header.Set("X-Telegram-Bot-Api-Secret-Token", "abc")
	rec := httptest.NewRecorder()
	e.a.WebhookHandler().ServeHTTP(rec, req)
	if rec.Code != http.StatusServiceUnavailable {
		t.Errorf("before Run: status %d, want 503 so that Telegram retries", rec.Code)
	}
}

func TestGroupUpgradeMovesSettings(t *testing.T) {
	t.Parallel()
	e := start(t, envOptions{})
	ctx := context.Background()
	const group, super = -7001, -1007001
	g := telegramtest.Chat{ID: group, Type: telegramtest.Group, Title: "Team"}
	e.srv.SetMember(group, telegramtest.Member{User: ann, Status: "creator"})
	e.say(t, g, ann, "/subscribe weekdays 07:30")
	if _, err := e.store.Channel(ctx, store.Telegram, fmt.Sprint(group)); err != nil {
		t.Fatalf("subscription not saved: %v", err)
	}
	e.srv.Migrate(group, super)
	// Telegram's service messages: one in the old group, one in the new.
	to, err := e.srv.InjectUpdate(mustJSON(t, map[string]any{"message": map[string]any{
		"message_id": 50, "date": time.Now().Unix(), "from": ann, "chat": g, "migrate_to_chat_id": super}}))
	if err != nil {
		t.Fatal(err)
	}
	from, err := e.srv.InjectUpdate(mustJSON(t, map[string]any{"message": map[string]any{
		"message_id": 1, "date": time.Now().Unix(), "from": ann,
		"chat": telegramtest.Chat{ID: super, Type: telegramtest.Supergroup, Title: "Team"}, "migrate_from_chat_id": group}}))
	if err != nil {
		t.Fatal(err)
	}
	e.waitHandled(t, to, from)
	c, err := e.store.Channel(ctx, store.Telegram, fmt.Sprint(super))
	if err != nil || c.Schedule != "weekdays 07:30" {
		t.Errorf("settings under the supergroup: %+v, %v", c, err)
	}
	if _, err := e.store.Channel(ctx, store.Telegram, fmt.Sprint(group)); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("settings still under the old group: %v", err)
	}
	if strings.Contains(e.logs.String(), "level=ERROR") {
		t.Error("an error was logged; the second service message must find nothing to move")
	}
}

func TestReplyFollowsUpgradedGroup(t *testing.T) {
	t.Parallel()
	e := start(t, envOptions{noRun: true})
	const group, super = -7101, -1007101
	u := e.srv.SendMessage(telegramtest.Chat{ID: group, Type: telegramtest.Group}, ann, "/help")
	e.srv.Migrate(group, super) // before the bot answers
	e.run(t)
	e.waitHandled(t, u)
	msgs := e.messages(t, super, 1)
	if !strings.Contains(msgs[0].Text, "/digest") {
		t.Errorf("reply in the supergroup: %q", msgs[0].Text)
	}
	if n := len(e.srv.Messages(group)); n != 0 {
		t.Errorf("%d messages in the old group", n)
	}
}

func TestBlockedReplyIsLogged(t *testing.T) {
	t.Parallel()
	e := start(t, envOptions{})
	e.srv.AddChat(telegramtest.Chat{ID: bob.ID})
	e.srv.SetBlocked(bob.ID, true)
	e.say(t, telegramtest.Chat{}, bob, "/help")
	if !strings.Contains(e.logs.String(), "chat unavailable") {
		t.Errorf("a reply refused with 403 was not logged as chat unavailable:\n%s", e.logs.String())
	}
}

func TestRunRefusedToken(t *testing.T) {
	t.Parallel()
	e := start(t, envOptions{noRun: true})
	a, err := New(Config{Token: "123456789:AAwrongTokenForTheFake", APIBase: e.srv.URL(), HTTPClient: e.srv.Client(), Log: e.a.log}, e.bot)
	if err != nil {
		t.Fatal(err)
	}
	err = a.Run(context.Background())
	if err == nil || !strings.Contains(err.Error(), "Unauthorized") || !strings.Contains(err.Error(), "TELEGRAM_BOT_TOKEN") {
		t.Errorf("Run with a refused token: %v", err)
	}
	if leaks(fmt.Sprint(err), "123456789:AAwrongTokenForTheFake") {
		t.Errorf("the error shows the token: %v", err)
	}
	if err := a.Run(context.Background()); err == nil {
		t.Error("second Run accepted")
	}
}

func TestLongPollEndsWithContext(t *testing.T) {
	t.Parallel()
	e := start(t, envOptions{config: func(c *Config) { c.PollTimeout = 40 * time.Second }})
	time.Sleep(50 * time.Millisecond) // well into a long poll
	began := time.Now()
	e.stop(t)
	if took := time.Since(began); took > 3*time.Second {
		t.Errorf("Run took %s to stop during a 40s long poll", took)
	}
}
