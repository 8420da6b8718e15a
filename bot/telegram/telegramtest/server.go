package telegramtest

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Options configures a Server. The zero value is a working fake: bot
// @newsdigest_bot, no chats, Telegram's flood limits on the real clock.
type Options struct {
	// Token is the bot token. Default "123456789:AAFakeTelegramTestToken_0123456789ab".
	// The bot's user ID is the part before the colon.
	Token string
	// BotUsername is getMe's username. Default "newsdigest_bot".
	BotUsername string
	// BotName is getMe's first_name. Default "News Digest".
	BotName string
	// Chats the bot knows from the start. More come with AddChat and with
	// every injected message.
	Chats []Chat
	// Limits are the flood limits. Zero fields take Telegram's values.
	Limits Limits
	// Now is the clock for flood limits, message dates and records.
	// Default time.Now; a ManualClock's Now lets a test skip waits.
	// Long polling always waits in real time.
	Now func() time.Time
	// FirstUpdateID is the first update_id handed out. Default 100000001.
	FirstUpdateID int
	// Logger gets one debug line per request. Default: discarded. The
	// token is never logged.
	Logger *slog.Logger
}

// Server is a fake Telegram Bot API server. Its methods are safe for
// concurrent use.
type Server struct {
	opts  Options
	http  *httptest.Server
	bot   User
	now   func() time.Time
	log   *slog.Logger
	close sync.Once
	// closing wakes long polls so httptest.Server.Close does not wait on
	// them.
	closing  chan struct{}
	handlers map[string]handler // by lower-case method name

	mu      sync.Mutex
	changed chan struct{} // closed and replaced on every change
	calls   map[string]int
	chats   map[int64]*chatState
	users   map[int64]User
	sent    []*SentMessage

	// updates
	queue          []queuedUpdate
	nextUpdateID   int
	delivered      []int
	allowedUpdates []string
	poll           *poll
	webhook        Webhook

	commands map[string][]Command

	// flood control
	limiter     *limiter
	attempts    []attempt
	floodErrors []floodRecord
}

// New starts a fake. Close it when done.
func New(opts Options) *Server {
	if opts.Token == "" {
		opts.Token = "123456789:AAFakeTelegramTestToken_0123456789ab"
	}
	if opts.BotUsername == "" {
		opts.BotUsername = "newsdigest_bot"
	}
	if opts.BotName == "" {
		opts.BotName = "News Digest"
	}
	if opts.FirstUpdateID <= 0 {
		opts.FirstUpdateID = 100000001
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	botID, _ := strconv.ParseInt(opts.Token[:max(strings.IndexByte(opts.Token, ':'), 0)], 10, 64)
	if botID <= 0 {
		panic("telegramtest: Options.Token must look like <bot id>:<secret>")
	}
	s := &Server{
		opts:         opts,
		bot:          User{ID: botID, IsBot: true, FirstName: opts.BotName, Username: opts.BotUsername},
		now:          opts.Now,
		log:          opts.Logger,
		closing:      make(chan struct{}),
		changed:      make(chan struct{}),
		calls:        map[string]int{},
		chats:        map[int64]*chatState{},
		users:        map[int64]User{},
		nextUpdateID: opts.FirstUpdateID,
		commands:     map[string][]Command{},
		limiter:      newLimiter(opts.Limits),
	}
	if s.now == nil {
		s.now = time.Now
	}
	s.handlers = s.methods()
	for _, c := range opts.Chats {
		s.addChatLocked(c)
	}
	s.http = httptest.NewServer(http.HandlerFunc(s.serveHTTP))
	return s
}

// Close wakes pending long polls and shuts the server down.
func (s *Server) Close() {
	s.close.Do(func() {
		close(s.closing)
		s.http.Close()
	})
}

// URL is the server's base URL, like "http://127.0.0.1:1234".
func (s *Server) URL() string { return s.http.URL }

// Endpoint is the API endpoint format for tgbotapi.NewBotAPIWithClient:
// URL()+"/bot%s/%s", token then method, like tgbotapi.APIEndpoint.
func (s *Server) Endpoint() string { return s.http.URL + "/bot%s/%s" }

// Token is the bot token the fake accepts.
func (s *Server) Token() string { return s.opts.Token }

// Client is an HTTP client for the fake.
func (s *Server) Client() *http.Client { return s.http.Client() }

// Bot is the bot's own user, as getMe returns it.
func (s *Server) Bot() User { return s.bot }

// Calls counts the requests for a method with the right token, failed ones
// included. Method names are case-insensitive, as on Telegram.
func (s *Server) Calls(method string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.calls[strings.ToLower(method)]
}

// WaitFor waits until cond returns true or timeout passes, re-checking it
// after every change to the fake's state; it reports whether cond held.
// cond runs without the fake's lock, so it may call the fake's accessors.
func (s *Server) WaitFor(timeout time.Duration, cond func() bool) bool {
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	for {
		s.mu.Lock()
		changed := s.changed
		s.mu.Unlock()
		if cond() {
			return true
		}
		select {
		case <-changed:
		case <-deadline.C:
			return cond()
		}
	}
}

// notifyLocked wakes WaitFor and long polls.
func (s *Server) notifyLocked() {
	close(s.changed)
	s.changed = make(chan struct{})
}
