package telegramtest_test

import (
	"errors"
	"io"
	stdlog "log"
	"testing"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/newsdigest/newsdigest/bot/telegram/telegramtest"
)

func init() {
	// tgbotapi logs poll failures on its package logger; keep test output
	// to the tests.
	_ = tgbotapi.SetLogger(stdlog.New(io.Discard, "", 0))
}

// start starts a fake and closes it when the test ends.
func start(t *testing.T, opts telegramtest.Options) *telegramtest.Server {
	t.Helper()
	srv := telegramtest.New(opts)
	t.Cleanup(srv.Close)
	return srv
}

// connect is a real tgbotapi client pointed at the fake; only the endpoint
// and HTTP client differ from production.
func connect(t *testing.T, srv *telegramtest.Server) *tgbotapi.BotAPI {
	t.Helper()
	bot, err := tgbotapi.NewBotAPIWithClient(srv.Token(), srv.Endpoint(), srv.Client())
	if err != nil {
		t.Fatalf("NewBotAPIWithClient: %v", err)
	}
	return bot
}

// apiError unwraps the *tgbotapi.Error a request failed with.
func apiError(t *testing.T, err error) *tgbotapi.Error {
	t.Helper()
	var tgErr *tgbotapi.Error
	if !errors.As(err, &tgErr) {
		t.Fatalf("error = %v (%T), want *tgbotapi.Error", err, err)
	}
	return tgErr
}

// wantError checks a failed request's code and description.
func wantError(t *testing.T, err error, code int, description string) *tgbotapi.Error {
	t.Helper()
	if err == nil {
		t.Fatalf("request succeeded, want %d %q", code, description)
	}
	tgErr := apiError(t, err)
	if tgErr.Code != code || tgErr.Message != description {
		t.Fatalf("error = %d %q, want %d %q", tgErr.Code, tgErr.Message, code, description)
	}
	return tgErr
}

func receive(t *testing.T, ch tgbotapi.UpdatesChannel) tgbotapi.Update {
	t.Helper()
	select {
	case u := <-ch:
		return u
	case <-time.After(3 * time.Second):
		t.Fatal("no update within 3s")
		return tgbotapi.Update{}
	}
}

var (
	alice   = telegramtest.User{ID: 1001, FirstName: "Alice", Username: "alice", LanguageCode: "en"}
	bob     = telegramtest.User{ID: 1002, FirstName: "Bob"}
	group   = telegramtest.Chat{ID: -4001, Type: telegramtest.Group, Title: "Newsroom"}
	super   = telegramtest.Chat{ID: -1001234567890, Type: telegramtest.Supergroup, Title: "World desk", Username: "worlddesk"}
	channel = telegramtest.Chat{ID: -1009876543210, Type: telegramtest.Channel, Title: "Digest", Username: "digestchan"}
)
