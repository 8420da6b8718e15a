package telegram

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"

	"github.com/newsdigest/newsdigest/bot"
	"github.com/newsdigest/newsdigest/bot/telegram/telegramtest"
	"github.com/newsdigest/newsdigest/sources"
	"github.com/newsdigest/newsdigest/store"
	"github.com/newsdigest/newsdigest/store/sqlite"
)

// The bot runs on the real SQLite store.
var _ bot.Store = (*sqlite.Store)(nil)

// syncBuffer collects log output from many goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// envOptions shape a test environment.
type envOptions struct {
	fake telegramtest.Options
	// config adjusts the adapter's configuration.
	config func(*Config)
	// adapter adjusts the adapter before Run (hooks, clocks).
	adapter func(*Adapter)
	// noRun leaves Run to the test.
	noRun bool
}

// testEnv is an adapter on the fake Telegram, with a real bot on a real
// SQLite store.
type testEnv struct {
	srv     *telegramtest.Server
	store   *sqlite.Store
	bot     *bot.Bot
	a       *Adapter
	logs    *syncBuffer
	metrics *bot.Metrics

	mu      sync.Mutex
	handled map[int]int // update id -> times handled
	changed chan struct{}

	cancel   context.CancelFunc
	finished chan struct{}
	runErr   error
}

// start makes an adapter and, unless noRun, runs it until the test ends;
// at the end it checks that the token reached no log line.
func start(t *testing.T, o envOptions) *testEnv {
	t.Helper()
	st, err := sqlite.Open(filepath.Join(t.TempDir(), "db"))
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { st.Close() })
	if o.fake.Limits == (telegramtest.Limits{}) {
		o.fake.Limits = fastFakeLimits
	}
	srv := telegramtest.New(o.fake)
	t.Cleanup(srv.Close)

	logs := &syncBuffer{}
	log := slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	m := bot.NewMetrics(prometheus.NewRegistry())
	b := &bot.Bot{
		Store: st, Pipeline: &bot.Pipeline{Store: st, Log: log}, Log: log, Metrics: m,
		Pages: sources.NewFetcher(sources.NewClient(sources.ClientOptions{AllowPrivate: true})),
	}
	cfg := Config{Token: srv.Token(), APIBase: srv.URL(), HTTPClient: srv.Client(), PollTimeout: time.Second,
		Limits: fastLimits, Log: log, Metrics: m}
	if o.config != nil {
		o.config(&cfg)
	}
	a, err := New(cfg, b)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	a.typingDelay, a.typingEvery = 20*time.Millisecond, 50*time.Millisecond
	e := &testEnv{srv: srv, store: st, bot: b, a: a, logs: logs, metrics: m, handled: map[int]int{}, changed: make(chan struct{})}
	a.afterUpdate = func(u tgbotapi.Update) {
		e.mu.Lock()
		e.handled[u.UpdateID]++
		close(e.changed)
		e.changed = make(chan struct{})
		e.mu.Unlock()
	}
	if o.adapter != nil {
		o.adapter(a)
	}
	t.Cleanup(func() {
		e.stop(t)
		out := logs.String()
		if leaks(out, srv.Token()) {
			t.Errorf("the token reached the logs:\n%s", out)
		}
		if t.Failed() {
			t.Logf("adapter logs:\n%s", out)
		}
	})
	if !o.noRun {
		e.run(t)
	}
	return e
}

// leaks reports whether s shows the token or its secret part.
func leaks(s, token string) bool {
	_, secret, _ := strings.Cut(token, ":")
	return strings.Contains(s, token) || strings.Contains(s, secret)
}

// run starts Run and waits until the adapter polls (or set its webhook).
func (e *testEnv) run(t *testing.T) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	e.cancel, e.finished = cancel, make(chan struct{})
	go func() { e.runErr = e.a.Run(ctx); close(e.finished) }()
	ready := func() bool {
		return len(e.srv.Commands()) > 0 && (e.srv.Calls("getUpdates") > 0 || e.srv.WebhookInfo().URL != "")
	}
	if !e.srv.WaitFor(5*time.Second, ready) {
		t.Fatalf("adapter not ready: getMe %d, setMyCommands %d, getUpdates %d",
			e.srv.Calls("getMe"), e.srv.Calls("setMyCommands"), e.srv.Calls("getUpdates"))
	}
}

// stop ends Run and checks that it returns cleanly.
func (e *testEnv) stop(t *testing.T) {
	t.Helper()
	if e.cancel == nil {
		return
	}
	e.cancel()
	e.cancel = nil
	select {
	case <-e.finished:
		if e.runErr != nil && !t.Failed() {
			t.Errorf("Run: %v", e.runErr)
		}
	case <-time.After(15 * time.Second):
		t.Error("Run did not return after cancel")
	}
}

// waitHandled waits until the updates have been handled.
func (e *testEnv) waitHandled(t *testing.T, updates ...telegramtest.Update) {
	t.Helper()
	deadline := time.After(10 * time.Second)
	for {
		e.mu.Lock()
		done := true
		for _, u := range updates {
			if e.handled[u.ID] == 0 {
				done = false
			}
		}
		changed := e.changed
		e.mu.Unlock()
		if done {
			return
		}
		select {
		case <-changed:
		case <-deadline:
			t.Fatalf("updates not handled in time (handled: %v)", e.handledIDs())
		}
	}
}

func (e *testEnv) handledIDs() map[int]int {
	e.mu.Lock()
	defer e.mu.Unlock()
	out := map[int]int{}
	for k, v := range e.handled {
		out[k] = v
	}
	return out
}

// messages waits for at least n messages from the bot in the chat.
func (e *testEnv) messages(t *testing.T, chatID int64, n int) []telegramtest.SentMessage {
	t.Helper()
	var got []telegramtest.SentMessage
	e.srv.WaitFor(20*time.Second, func() bool {
		got = e.srv.Messages(chatID)
		return len(got) >= n
	})
	if len(got) < n {
		t.Fatalf("chat %d: %d messages from the bot, want at least %d", chatID, len(got), n)
	}
	return got
}

// say injects a message and waits until the adapter has handled it.
func (e *testEnv) say(t *testing.T, chat telegramtest.Chat, from telegramtest.User, text string) telegramtest.Update {
	t.Helper()
	u := e.srv.SendMessage(chat, from, text)
	e.waitHandled(t, u)
	return u
}

// putArticles stores a few articles published in the last hours.
func putArticles(t *testing.T, st store.Store, n int) {
	t.Helper()
	now := time.Now()
	var as []*store.Article
	for i := 0; i < n; i++ {
		as = append(as, &store.Article{
			URL:       fmt.Sprintf("https://news.example.com/2025/harbour-tram-%d", i),
			Title:     fmt.Sprintf("Council approves <harbour> tram line %d & more @everyone", i),
			Outlet:    fmt.Sprintf("Example Times %d", i),
			Published: now.Add(-time.Duration(i+1) * time.Hour),
			Language:  "en",
			Body: fmt.Sprintf("The city council on Tuesday approved tram line %d, a 12-kilometre route linking the harbour to the airport.\n\n"+
				"\"This line will change how people move through the whole city,\" said Maria Lopez, the council's transport chief.\n\n"+
				"Construction of line %d is expected to start next spring and take three years, the council said in a statement.", i, i),
		})
	}
	if _, err := st.PutArticles(context.Background(), as); err != nil {
		t.Fatalf("put articles: %v", err)
	}
}

// counterValue reads a counter of the metrics.
func counterValue(t *testing.T, c prometheus.Counter) float64 {
	t.Helper()
	var m dto.Metric
	if err := c.Write(&m); err != nil {
		t.Fatal(err)
	}
	return m.GetCounter().GetValue()
}

// fastLimits are Telegram's flood limits sped up, so that tests that send
// many messages to a chat are quick; fastFakeLimits make the fake enforce
// the same.
var (
	fastLimits = Limits{
		Chat:   Limit{Messages: 1, Per: 10 * time.Millisecond},
		Group:  Limit{Messages: 20, Per: 600 * time.Millisecond},
		Global: Limit{Messages: 30, Per: 10 * time.Millisecond},
	}
	fastFakeLimits = telegramtest.Limits{
		Chat:   telegramtest.Limit(fastLimits.Chat),
		Group:  telegramtest.Limit(fastLimits.Group),
		Global: telegramtest.Limit(fastLimits.Global),
	}
)

// Users and chats of the tests.
var (
	ann   = telegramtest.User{ID: 1001, FirstName: "Ann", Username: "ann"}
	bob   = telegramtest.User{ID: 1002, FirstName: "Bob"}
	carol = telegramtest.User{ID: 1003, FirstName: "Carol"}
	// anonymousBot is the sender Telegram shows for anonymous group admins.
	anonymousBot = telegramtest.User{ID: 1087968824, IsBot: true, FirstName: "Group", Username: "GroupAnonymousBot"}

	newsroom = telegramtest.Chat{ID: -1001234567890, Type: telegramtest.Supergroup, Title: "Newsroom"}
	channel  = telegramtest.Chat{ID: -1009876543210, Type: telegramtest.Channel, Title: "Morning News"}
)
