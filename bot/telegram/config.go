package telegram

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/newsdigest/newsdigest/bot"
)

const (
	// DefaultAPIBase is Telegram's Bot API server.
	DefaultAPIBase = "https://api.telegram.org"
	// DefaultPollTimeout is how long one getUpdates waits for updates.
	DefaultPollTimeout = 50 * time.Second
	// clientSlack is how much longer than a long poll the HTTP client
	// waits before it gives up on a request.
	clientSlack = 20 * time.Second
	// maxSecret is Telegram's limit on a webhook's secret token.
	maxSecret = 256
)

// Config configures an Adapter.
type Config struct {
	// Token is the bot token from @BotFather (TELEGRAM_BOT_TOKEN), like
	// "123456789:AA...". It is never logged.
	Token string
	// APIBase is the Bot API server's base URL, for a local Bot API server
	// or a test fake. Empty: DefaultAPIBase.
	APIBase string
	// WebhookURL, when set, makes Run register this https URL with
	// setWebhook instead of long polling; the URL must route to
	// WebhookHandler.
	WebhookURL string
	// WebhookSecret is the secret token Telegram sends with every webhook
	// request (X-Telegram-Bot-Api-Secret-Token): 1-256 characters of
	// A-Z, a-z, 0-9, _ and -. Required with WebhookURL.
	WebhookSecret string
	// PollTimeout is how long one getUpdates long poll waits, in whole
	// seconds. Zero: DefaultPollTimeout.
	PollTimeout time.Duration
	// HTTPClient makes the requests to the Bot API. Its Timeout, if set,
	// must exceed PollTimeout. Nil: a client with a timeout of PollTimeout
	// plus 20 seconds that follows no redirects.
	HTTPClient *http.Client
	// Limits are the flood limits the adapter keeps to. Zero fields take
	// Telegram's values.
	Limits Limits
	// MaxConcurrent bounds the updates handled at once. Zero: 32.
	MaxConcurrent int
	Log           *slog.Logger
	Metrics       *bot.Metrics // nil: none
}

// LogValue keeps the token and the webhook secret out of logs.
func (c Config) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("api", c.APIBase),
		slog.String("webhook", c.WebhookURL),
		slog.Bool("token_set", c.Token != ""),
		slog.Bool("secret_set", c.WebhookSecret != ""),
		slog.Duration("poll_timeout", c.PollTimeout),
	)
}

// Limit allows Messages messages in any window of length Per. Messages < 0
// means no limit; the zero Limit takes Telegram's value.
type Limit struct {
	Messages int
	Per      time.Duration
}

// Limits are Telegram's flood limits on sending messages.
type Limits struct {
	// Chat is per chat. Default 1 per second.
	Chat Limit
	// Group is per chat with a negative id (groups, supergroups and
	// channels). Default 20 per minute.
	Group Limit
	// Global is across all chats. Default 30 per second.
	Global Limit
}

// NoLimits turns the adapter's own flood control off; Telegram's 429s are
// still waited out.
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

func (l Limit) check(name string) error {
	if l.Messages == 0 || (l.Messages > 0 && l.Per <= 0) {
		return fmt.Errorf("telegram: config: %s limit %d per %s: want at least 1 message per positive duration, or a negative count for none", name, l.Messages, l.Per)
	}
	return nil
}

// checked is a validated Config with its derived parts.
type checked struct {
	Config
	endpoint    string // tgbotapi's format: base + "/bot%s/%s"
	pollSeconds int
}

func (c Config) check() (*checked, error) {
	out := &checked{Config: c}
	out.Token = strings.TrimSpace(c.Token)
	if err := checkToken(out.Token); err != nil {
		return nil, err
	}
	base := strings.TrimSpace(c.APIBase)
	if base == "" {
		base = DefaultAPIBase
	}
	u, err := url.Parse(base)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return nil, fmt.Errorf("telegram: config: API base %q is not an http(s) URL like %s", base, DefaultAPIBase)
	}
	out.APIBase = strings.TrimRight(u.String(), "/")
	// The endpoint is a fmt format: a % in the base must stay literal.
	out.endpoint = strings.ReplaceAll(out.APIBase, "%", "%%") + "/bot%s/%s"

	if c.WebhookURL != "" {
		w, err := url.Parse(c.WebhookURL)
		if err != nil || w.Scheme != "https" || w.Host == "" {
			return nil, fmt.Errorf("telegram: config: webhook URL %q is not an https URL (Telegram sends webhooks over HTTPS only)", c.WebhookURL)
		}
		if c.WebhookSecret == "" {
			return nil, errors.New("telegram: config: webhook mode needs a secret token (1-256 characters of A-Z, a-z, 0-9, _ and -)")
		}
	}
	if c.WebhookSecret != "" && !validSecret(c.WebhookSecret) {
		return nil, errors.New("telegram: config: the webhook secret must be 1-256 characters of A-Z, a-z, 0-9, _ and -")
	}

	if out.PollTimeout == 0 {
		out.PollTimeout = DefaultPollTimeout
	}
	if out.PollTimeout < time.Second || out.PollTimeout > 10*time.Minute {
		return nil, fmt.Errorf("telegram: config: poll timeout %s is outside 1s to 10m", out.PollTimeout)
	}
	out.pollSeconds = int(out.PollTimeout / time.Second)
	if c.HTTPClient != nil && c.HTTPClient.Timeout != 0 && c.HTTPClient.Timeout <= out.PollTimeout {
		return nil, fmt.Errorf("telegram: config: the HTTP client's timeout %s must exceed the poll timeout %s", c.HTTPClient.Timeout, out.PollTimeout)
	}
	out.Limits = c.Limits.withDefaults()
	for _, l := range []struct {
		name string
		l    Limit
	}{{"chat", out.Limits.Chat}, {"group", out.Limits.Group}, {"global", out.Limits.Global}} {
		if err := l.l.check(l.name); err != nil {
			return nil, err
		}
	}
	if out.MaxConcurrent == 0 {
		out.MaxConcurrent = 32
	}
	if out.MaxConcurrent < 0 {
		return nil, fmt.Errorf("telegram: config: MaxConcurrent %d is negative", out.MaxConcurrent)
	}
	if out.Log == nil {
		out.Log = slog.Default()
	}
	return out, nil
}

// checkToken accepts "<bot id>:<secret>", the form @BotFather hands out.
// The token goes into request paths, so nothing else may pass; errors
// never quote it.
func checkToken(t string) error {
	id, secret, ok := strings.Cut(t, ":")
	switch {
	case t == "":
		return errors.New("telegram: config: no bot token (set TELEGRAM_BOT_TOKEN to the token from @BotFather)")
	case !ok || id == "" || secret == "" || !allDigits(id):
		return errors.New("telegram: config: the bot token does not look like <digits>:<secret>, the form @BotFather gives")
	}
	for i := 0; i < len(secret); i++ {
		if !isTokenByte(secret[i]) {
			return errors.New("telegram: config: the bot token contains a character other than A-Z, a-z, 0-9, _ and -")
		}
	}
	return nil
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

func isTokenByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-'
}

// validSecret is what Telegram accepts as a webhook secret token.
func validSecret(s string) bool {
	if len(s) < 1 || len(s) > maxSecret {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isTokenByte(s[i]) {
			return false
		}
	}
	return true
}
