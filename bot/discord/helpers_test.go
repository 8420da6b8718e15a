package discord

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

	"github.com/bwmarrin/discordgo"
	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"

	"github.com/newsdigest/newsdigest/bot"
	"github.com/newsdigest/newsdigest/bot/discord/discordtest"
	"github.com/newsdigest/newsdigest/store"
	"github.com/newsdigest/newsdigest/store/sqlite"
)

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
	fake discordtest.Options
	// global registers global commands (no GuildID), as DMs need.
	global bool
	// config adjusts the adapter's configuration.
	config func(*Config, *discordtest.Server)
	// wrap wraps the store the bot uses.
	wrap func(bot.Store) bot.Store
	// beforeAnswer is the adapter's test hook.
	beforeAnswer func(bot.Request)
}

// testEnv is a running adapter on the fake Discord, with a real bot on a
// real SQLite store.
type testEnv struct {
	srv     *discordtest.Server
	store   *sqlite.Store
	bot     *bot.Bot
	a       *Adapter
	cfg     Config
	logs    *syncBuffer
	metrics *bot.Metrics
}

// start runs an adapter until the test ends, then checks that no token
// reached its logs.
func start(t *testing.T, o envOptions) *testEnv {
	t.Helper()
	st, err := sqlite.Open(filepath.Join(t.TempDir(), "db"))
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { st.Close() })
	if o.fake.HeartbeatInterval == 0 {
		// discordgo's heartbeat goroutine can pick its ticker over the
		// closed "listening" channel while Close sleeps its second, then
		// write to the closed connection and close the next one: with the
		// fake's 250ms default that happens on most closes (op 7, shutdown).
		// Discord's 41s interval makes it rare; so does this one.
		o.fake.HeartbeatInterval = time.Minute
	}
	srv := discordtest.New(o.fake)
	t.Cleanup(srv.Close)

	var bs bot.Store = st
	if o.wrap != nil {
		bs = o.wrap(st)
	}
	logs := &syncBuffer{}
	log := slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	m := bot.NewMetrics(prometheus.NewRegistry())
	b := &bot.Bot{Store: bs, Pipeline: &bot.Pipeline{Store: bs, Log: log}, Log: log, Metrics: m}
	cfg := Config{Token: srv.Token(), GuildID: srv.GuildID(), HTTPClient: srv.Client(), Log: log, Metrics: m}
	if o.global {
		cfg.GuildID = ""
	}
	if o.config != nil {
		o.config(&cfg, srv)
	}
	a, err := New(cfg, b)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	a.beforeAnswer = o.beforeAnswer

	ctx, cancel := context.WithCancel(context.Background())
	var runErr error
	finished := make(chan struct{})
	go func() { runErr = a.Run(ctx); close(finished) }()
	t.Cleanup(func() {
		cancel()
		select {
		case <-finished:
			if runErr != nil && !t.Failed() {
				t.Errorf("Run: %v", runErr)
			}
		case <-time.After(15 * time.Second):
			t.Error("Run did not return after cancel")
		}
		out := logs.String()
		if strings.Contains(out, srv.Token()) || strings.Contains(out, "aW50ZXJhY3Rpb246") {
			t.Errorf("a token reached the logs:\n%s", out)
		}
		if t.Failed() {
			t.Logf("adapter logs:\n%s", out)
		}
	})

	ready := func() bool {
		return len(srv.Overwrites()) > 0 && (cfg.HTTPOnly || srv.Connections() == 1)
	}
	if !srv.WaitFor(5*time.Second, ready) {
		select {
		case <-finished:
			t.Fatalf("Run ended early: %v", runErr)
		default:
			t.Fatalf("adapter not ready: overwrites %d, connections %d", len(srv.Overwrites()), srv.Connections())
		}
	}
	return &testEnv{srv: srv, store: st, bot: b, a: a, cfg: cfg, logs: logs, metrics: m}
}

// interact dispatches a slash command and fails the test if the fake
// refuses it.
func (e *testEnv) interact(t *testing.T, spec discordtest.InteractionSpec) *discordtest.Interaction {
	t.Helper()
	it, err := e.srv.Interact(spec)
	if err != nil {
		t.Fatalf("Interact /%s: %v", spec.Name, err)
	}
	return it
}

// answered waits for the deferred response and for its edit.
func answered(t *testing.T, it *discordtest.Interaction, timeout time.Duration) (discordtest.Callback, discordtest.Message) {
	t.Helper()
	cb, err := it.WaitCallback(timeout)
	if err != nil {
		t.Fatal(err)
	}
	if cb.Type != discordtest.CallbackDeferredMessage {
		t.Fatalf("callback type %d, want deferred (5)", cb.Type)
	}
	m, err := it.WaitOriginal(timeout, func(m discordtest.Message) bool { return m.Flags&discordtest.FlagLoading == 0 })
	if err != nil {
		t.Fatal(err)
	}
	return cb, m
}

// checkNoMentions fails when a message could ping anyone.
func checkNoMentions(t *testing.T, m discordtest.Message) {
	t.Helper()
	if m.AllowedMentions == nil || len(m.AllowedMentions.Parse) != 0 || len(m.AllowedMentions.Users) != 0 || len(m.AllowedMentions.Roles) != 0 {
		t.Errorf("message %s allowed_mentions = %+v, want {parse: []}", m.ID, m.AllowedMentions)
	}
	if m.MentionEveryone || len(m.Mentions) != 0 || len(m.MentionRoles) != 0 {
		t.Errorf("message %s mentions: everyone %v, users %v, roles %v", m.ID, m.MentionEveryone, m.Mentions, m.MentionRoles)
	}
}

// putArticles stores a few articles published in the last hours.
func putArticles(t *testing.T, st store.Store, n int) {
	t.Helper()
	now := time.Now()
	var as []*store.Article
	for i := 0; i < n; i++ {
		as = append(as, &store.Article{
			URL:       fmt.Sprintf("https://news.example.com/2025/harbour-tram-%d", i),
			Title:     fmt.Sprintf("Council approves harbour tram line %d @everyone", i),
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

// listener opens a plain discordgo session on the fake that ignores
// interactions: the fake dispatches interactions only while a gateway
// session is connected, also when the adapter serves them over HTTP.
func listener(t *testing.T, srv *discordtest.Server) {
	t.Helper()
	dg, err := discordgo.New(srv.BotToken())
	if err != nil {
		t.Fatal(err)
	}
	dg.Client = srv.Client()
	if err := dg.Open(); err != nil {
		t.Fatalf("open listener: %v", err)
	}
	t.Cleanup(func() {
		dg.Lock()
		dg.ShouldReconnectOnError = false
		dg.Unlock()
		dg.Close()
	})
}
