package telegram

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/newsdigest/newsdigest/bot"
)

const testToken = "987654321:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw-x"

// checkClean fails if err, anything it wraps, or its formatting shows the
// token.
func checkClean(t *testing.T, err error) {
	t.Helper()
	if err == nil {
		t.Fatal("no error")
	}
	for _, s := range []string{err.Error(), fmt.Sprintf("%v", err), fmt.Sprintf("%+v", err), fmt.Sprintf("%q", err)} {
		if leaks(s, testToken) {
			t.Errorf("the token shows in %q", s)
		}
	}
	var walk func(error)
	walk = func(e error) {
		if e == nil {
			return
		}
		if leaks(e.Error(), testToken) {
			t.Errorf("a wrapped error (%T) shows the token: %q", e, e.Error())
		}
		switch u := e.(type) {
		case interface{ Unwrap() error }:
			walk(u.Unwrap())
		case interface{ Unwrap() []error }:
			for _, inner := range u.Unwrap() {
				walk(inner)
			}
		}
	}
	walk(err)
}

func TestTokenNeverInErrorsOrLogs(t *testing.T) {
	t.Parallel()
	// An address where nothing listens: every request fails in net/http,
	// whose *url.Error quotes the URL with the token in it.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	dead := "http://" + ln.Addr().String()
	ln.Close()

	logs := &syncBuffer{}
	log := slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	a, err := New(Config{Token: testToken, APIBase: dead, PollTimeout: time.Second, Limits: NoLimits, Log: log}, &bot.Bot{Log: log})
	if err != nil {
		t.Fatal(err)
	}
	retries := 0
	a.sleep = func(ctx context.Context, d time.Duration) error { retries++; return ctx.Err() }

	_, err = a.PostDigest(context.Background(), "42", bigDigest(), "k")
	checkClean(t, err)
	var ue *url.Error
	if !errors.As(err, &ue) || !strings.Contains(ue.URL, redactedMark) {
		t.Errorf("error %v: want a *url.Error with the token in its URL redacted", err)
	}
	if !strings.Contains(err.Error(), "connection refused") || !strings.Contains(err.Error(), "sendMessage") {
		t.Errorf("the redacted error lost what failed: %v", err)
	}
	if retries != maxSendRetries {
		t.Errorf("%d retries after transport errors, want %d", retries, maxSendRetries)
	}

	// A request cut by its context keeps its cause.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err = a.PostDigest(ctx, "42", bigDigest(), "k")
	checkClean(t, err)
	if !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v, want context.Canceled", err)
	}

	// Run keeps retrying getMe, logging each failure, until ctx ends.
	ctx, cancel = context.WithCancel(context.Background())
	a.sleep = func(ctx context.Context, d time.Duration) error {
		if retries++; retries > 6 {
			cancel()
		}
		return ctx.Err()
	}
	if err := a.Run(ctx); err != nil {
		t.Errorf("Run after cancel: %v", err)
	}
	log.Info("config", "config", Config{Token: testToken, WebhookSecret: "hook-secret"})

	out := logs.String()
	if !strings.Contains(out, "getMe failed") || !strings.Contains(out, redactedMark) {
		t.Errorf("the failures were not logged (redacted):\n%s", out)
	}
	if leaks(out, testToken) || strings.Contains(out, "hook-secret") {
		t.Errorf("a secret reached the logs:\n%s", out)
	}
}

func TestTokenNotInTimeoutsOrPanics(t *testing.T) {
	t.Parallel()
	hang := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body) // so that the server notices the client leave
		select {
		case <-r.Context().Done():
		case <-time.After(5 * time.Second):
		}
	}))
	t.Cleanup(hang.Close)
	logs := &syncBuffer{}
	log := slog.New(slog.NewTextHandler(logs, nil))
	a, err := New(Config{Token: testToken, APIBase: hang.URL, PollTimeout: time.Second, Log: log}, &bot.Bot{Log: log})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	_, err = a.PostDigest(ctx, "42", bigDigest(), "k")
	checkClean(t, err)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("timeout: %v, want context.DeadlineExceeded", err)
	}

	// A panic while handling an update is logged, redacted.
	a.self.Store(&tgbotapi.User{ID: 1, UserName: "newsdigest_bot"})
	a.afterUpdate = func(tgbotapi.Update) { panic("boom with " + testToken) }
	if !a.dispatch(context.Background(), tgbotapi.Update{UpdateID: 1}) {
		t.Fatal("dispatch refused")
	}
	a.wg.Wait()
	out := logs.String()
	if !strings.Contains(out, "panicked") || leaks(out, testToken) {
		t.Errorf("panic log:\n%s", out)
	}
}

func TestRedactor(t *testing.T) {
	r := newRedactor(testToken)
	_, secret, _ := strings.Cut(testToken, ":")
	inner := fmt.Errorf("dial: %w", context.DeadlineExceeded)
	cases := []error{
		errors.New("plain " + testToken),
		fmt.Errorf("wrapped: %w", errors.New("inner "+secret)),
		&url.Error{Op: "Post", URL: "https://api.telegram.org/bot" + testToken + "/getMe", Err: inner},
		errors.Join(errors.New("a "+url.PathEscape(testToken)), inner),
	}
	for _, c := range cases {
		got := r.error(c)
		checkClean(t, got)
		if !strings.Contains(got.Error(), redactedMark) {
			t.Errorf("%q: no mark in %q", c, got)
		}
	}
	if got := r.error(cases[2]); !errors.Is(got, context.DeadlineExceeded) {
		t.Error("redaction lost the cause")
	}
	if clean := errors.New("nothing secret"); r.error(clean) != clean {
		t.Error("a clean error was rewritten")
	}
}
