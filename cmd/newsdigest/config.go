package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// Config is newsdigest's configuration. It comes from one file of KEY=VALUE
// lines and from environment variables of the same names, which win.
// Secrets (bot tokens) come only from the environment or from a file named
// by KEY_FILE, never from flags or the config file itself, so that they do
// not end up in shell history or in a file committed by mistake.
type Config struct {
	Database          string        // NEWSDIGEST_DATABASE: SQLite file path or postgres:// URL
	PollInterval      time.Duration // NEWSDIGEST_POLL_INTERVAL
	FetchTimeout      time.Duration // NEWSDIGEST_FETCH_TIMEOUT
	MaxBodyBytes      int64         // NEWSDIGEST_MAX_BODY_BYTES
	MaxConcurrent     int           // NEWSDIGEST_MAX_CONCURRENT_FETCHES
	PerHostConcurrent int           // NEWSDIGEST_PER_HOST_FETCHES
	AllowPrivate      bool          // NEWSDIGEST_ALLOW_PRIVATE_ADDRESSES
	Listen            string        // NEWSDIGEST_LISTEN: /healthz and /metrics
	LogLevel          slog.Level    // NEWSDIGEST_LOG_LEVEL
	LogFormat         string        // NEWSDIGEST_LOG_FORMAT: text or json
	TelegramToken     string        // TELEGRAM_BOT_TOKEN or TELEGRAM_BOT_TOKEN_FILE
	TelegramAPI       string        // NEWSDIGEST_TELEGRAM_API: Bot API base URL
	TelegramWebhook   string        // NEWSDIGEST_TELEGRAM_WEBHOOK_URL: empty means long polling
	TelegramSecret    string        // TELEGRAM_WEBHOOK_SECRET or _FILE
	DiscordToken      string        // DISCORD_BOT_TOKEN or DISCORD_BOT_TOKEN_FILE
	DiscordAPI        string        // NEWSDIGEST_DISCORD_API: REST base URL (a proxy for large bots)
	DiscordPublicKey  string        // NEWSDIGEST_DISCORD_PUBLIC_KEY: for the HTTP interactions endpoint
	DiscordGuild      string        // NEWSDIGEST_DISCORD_GUILD: register commands in one guild (development)
	DiscordHTTPOnly   bool          // NEWSDIGEST_DISCORD_HTTP_ONLY: interactions only over HTTP, no gateway
	DiscordShardID    int           // NEWSDIGEST_DISCORD_SHARD_ID
	DiscordShardCount int           // NEWSDIGEST_DISCORD_SHARD_COUNT
	DefaultTimeZone   string        // NEWSDIGEST_TIME_ZONE
	DigestMaxStories  int           // NEWSDIGEST_DIGEST_STORIES
	TelegramRate      int           // NEWSDIGEST_TELEGRAM_RATE: messages per second across all chats
	ScheduleTick      time.Duration // NEWSDIGEST_SCHEDULE_TICK: how often the scheduler looks for due slots
	ScheduleGrace     time.Duration // NEWSDIGEST_SCHEDULE_GRACE: missed slots newer than this are sent late
	ScheduleLease     time.Duration // NEWSDIGEST_SCHEDULE_LEASE: how long a replica's claim on a slot holds
	Retention         time.Duration // NEWSDIGEST_RETENTION: serve deletes older records daily; 0 keeps everything
	source            map[string]string
}

// configKeys documents every key; the README lists the same.
var configKeys = map[string]string{
	"NEWSDIGEST_DATABASE":                "SQLite file path or postgres:// URL",
	"NEWSDIGEST_POLL_INTERVAL":           "default interval between fetches of a feed",
	"NEWSDIGEST_FETCH_TIMEOUT":           "time limit for one fetch",
	"NEWSDIGEST_MAX_BODY_BYTES":          "largest response accepted, after decompression",
	"NEWSDIGEST_MAX_CONCURRENT_FETCHES":  "fetches at once",
	"NEWSDIGEST_PER_HOST_FETCHES":        "fetches at once per host",
	"NEWSDIGEST_ALLOW_PRIVATE_ADDRESSES": "allow fetching from loopback and private networks",
	"NEWSDIGEST_LISTEN":                  "address of /healthz and /metrics",
	"NEWSDIGEST_LOG_LEVEL":               "debug, info, warn or error",
	"NEWSDIGEST_LOG_FORMAT":              "text or json",
	"NEWSDIGEST_TELEGRAM_API":            "Telegram Bot API base URL",
	"NEWSDIGEST_TELEGRAM_WEBHOOK_URL":    "public webhook URL; empty means long polling",
	"NEWSDIGEST_DISCORD_API":             "Discord REST base URL",
	"NEWSDIGEST_DISCORD_PUBLIC_KEY":      "application public key for HTTP interactions",
	"NEWSDIGEST_DISCORD_GUILD":           "register slash commands in this guild only",
	"NEWSDIGEST_DISCORD_HTTP_ONLY":       "receive interactions only at the HTTP endpoint",
	"NEWSDIGEST_DISCORD_SHARD_ID":        "this replica's gateway shard",
	"NEWSDIGEST_DISCORD_SHARD_COUNT":     "number of gateway shards",
	"NEWSDIGEST_TIME_ZONE":               "default IANA time zone of new subscriptions",
	"NEWSDIGEST_DIGEST_STORIES":          "stories in a digest",
	"NEWSDIGEST_TELEGRAM_RATE":           "Telegram messages per second across all chats (30 unless Telegram raised it)",
	"NEWSDIGEST_SCHEDULE_TICK":           "how often the scheduler looks for due digests",
	"NEWSDIGEST_SCHEDULE_GRACE":          "missed digests newer than this are sent late; older ones fold into the next",
	"NEWSDIGEST_SCHEDULE_LEASE":          "how long a replica's claim on a digest holds before another takes it over",
	"NEWSDIGEST_RETENTION":               "delete articles, delivered-story records and sent digests older than this daily; off keeps everything",
	"TELEGRAM_BOT_TOKEN_FILE":            "file holding the Telegram bot token",
	"TELEGRAM_WEBHOOK_SECRET_FILE":       "file holding the webhook secret token",
	"DISCORD_BOT_TOKEN_FILE":             "file holding the Discord bot token",
}

// secretKeys may be set only in the environment (or through KEY_FILE).
var secretKeys = []string{"TELEGRAM_BOT_TOKEN", "TELEGRAM_WEBHOOK_SECRET", "DISCORD_BOT_TOKEN"}

func defaultConfig(getenv func(string) string) Config {
	return Config{
		Database:          defaultDatabasePath(getenv),
		PollInterval:      30 * time.Minute,
		FetchTimeout:      30 * time.Second,
		MaxBodyBytes:      10 << 20,
		MaxConcurrent:     16,
		PerHostConcurrent: 2,
		Listen:            "127.0.0.1:9090",
		LogLevel:          slog.LevelInfo,
		LogFormat:         "text",
		TelegramAPI:       "https://api.telegram.org",
		DiscordAPI:        "https://discord.com/api/v9",
		DefaultTimeZone:   "UTC",
		DigestMaxStories:  8,
		TelegramRate:      30,
		ScheduleTick:      20 * time.Second,
		ScheduleGrace:     6 * time.Hour,
		ScheduleLease:     2 * time.Minute,
		Retention:         defaultRetention,
	}
}

// defaultDatabasePath follows the XDG base directory rules:
// $XDG_DATA_HOME/newsdigest/newsdigest.db, else ~/.local/share/...
func defaultDatabasePath(getenv func(string) string) string {
	dir := getenv("XDG_DATA_HOME")
	if dir == "" {
		home := getenv("HOME")
		if home == "" {
			return "newsdigest.db"
		}
		dir = filepath.Join(home, ".local", "share")
	}
	return filepath.Join(dir, "newsdigest", "newsdigest.db")
}

func defaultConfigPath(getenv func(string) string) string {
	dir := getenv("XDG_CONFIG_HOME")
	if dir == "" {
		home := getenv("HOME")
		if home == "" {
			return ""
		}
		dir = filepath.Join(home, ".config")
	}
	return filepath.Join(dir, "newsdigest", "config")
}

// loadConfig reads the config file (path, or $NEWSDIGEST_CONFIG, or the
// default location if it exists) and then the environment.
func loadConfig(path string, getenv func(string) string) (Config, error) {
	cfg := defaultConfig(getenv)
	values := map[string]string{}
	explicit := path != ""
	if path == "" {
		path = getenv("NEWSDIGEST_CONFIG")
		explicit = path != ""
	}
	if path == "" {
		path = defaultConfigPath(getenv)
	}
	if path != "" {
		f, err := os.Open(path)
		switch {
		case err == nil:
			err = readConfigFile(f, path, values)
			f.Close()
			if err != nil {
				return cfg, err
			}
		case errors.Is(err, os.ErrNotExist) && !explicit:
			// No file at the default place: defaults and environment only.
		default:
			return cfg, fmt.Errorf("config: %w", err)
		}
	}
	for k := range configKeys {
		if v := getenv(k); v != "" {
			values[k] = v
		}
	}
	if err := cfg.apply(values); err != nil {
		return cfg, err
	}
	if err := cfg.loadSecrets(getenv, values); err != nil {
		return cfg, err
	}
	return cfg, nil
}

// readConfigFile parses KEY=VALUE lines; '#' starts a comment line.
func readConfigFile(r io.Reader, name string, values map[string]string) error {
	sc := bufio.NewScanner(io.LimitReader(r, 1<<20))
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		if !ok {
			return fmt.Errorf("config: %s:%d: want KEY=VALUE, got %q", name, n, clip(line, 60))
		}
		k, v = strings.TrimSpace(k), strings.Trim(strings.TrimSpace(v), `"'`)
		for _, s := range secretKeys {
			if k == s {
				return fmt.Errorf("config: %s:%d: %s is a secret: set it in the environment or point %s_FILE at a file holding it", name, n, k, k)
			}
		}
		if _, known := configKeys[k]; !known {
			return fmt.Errorf("config: %s:%d: unknown key %s", name, n, k)
		}
		values[k] = v
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("config: read %s: %w", name, err)
	}
	return nil
}

func (c *Config) apply(v map[string]string) error {
	var errs []error
	str := func(key string, dst *string) {
		if s, ok := v[key]; ok {
			*dst = s
		}
	}
	dur := func(key string, dst *time.Duration, min time.Duration) {
		s, ok := v[key]
		if !ok {
			return
		}
		d, err := time.ParseDuration(s)
		if err != nil || d < min {
			errs = append(errs, fmt.Errorf("%s=%q: want a duration of at least %v, like 30m or 1h", key, s, min))
			return
		}
		*dst = d
	}
	num := func(key string, dst *int, min, max int) {
		s, ok := v[key]
		if !ok {
			return
		}
		n, err := strconv.Atoi(s)
		if err != nil || n < min || n > max {
			errs = append(errs, fmt.Errorf("%s=%q: want a whole number from %d to %d", key, s, min, max))
			return
		}
		*dst = n
	}
	str("NEWSDIGEST_DATABASE", &c.Database)
	dur("NEWSDIGEST_POLL_INTERVAL", &c.PollInterval, time.Minute)
	dur("NEWSDIGEST_FETCH_TIMEOUT", &c.FetchTimeout, time.Second)
	if s, ok := v["NEWSDIGEST_MAX_BODY_BYTES"]; ok {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil || n < 1024 || n > 1<<30 {
			errs = append(errs, fmt.Errorf("NEWSDIGEST_MAX_BODY_BYTES=%q: want a number of bytes from 1024 to 1073741824", s))
		} else {
			c.MaxBodyBytes = n
		}
	}
	num("NEWSDIGEST_MAX_CONCURRENT_FETCHES", &c.MaxConcurrent, 1, 256)
	num("NEWSDIGEST_PER_HOST_FETCHES", &c.PerHostConcurrent, 1, 64)
	num("NEWSDIGEST_DIGEST_STORIES", &c.DigestMaxStories, 1, 25)
	num("NEWSDIGEST_TELEGRAM_RATE", &c.TelegramRate, 1, 1000)
	dur("NEWSDIGEST_SCHEDULE_TICK", &c.ScheduleTick, 10*time.Millisecond)
	dur("NEWSDIGEST_SCHEDULE_GRACE", &c.ScheduleGrace, 0)
	dur("NEWSDIGEST_SCHEDULE_LEASE", &c.ScheduleLease, time.Second)
	if s, ok := v["NEWSDIGEST_RETENTION"]; ok {
		d, err := parseRetention(s)
		if floor := minRetention(c.ScheduleGrace); err != nil || (d != 0 && d < floor) {
			errs = append(errs, fmt.Errorf("NEWSDIGEST_RETENTION=%q: want off, or a period of at least %s (what a digest may still read), like 90d",
				s, formatDays(floor)))
		} else {
			c.Retention = d
		}
	}
	num("NEWSDIGEST_DISCORD_SHARD_ID", &c.DiscordShardID, 0, 1<<16)
	num("NEWSDIGEST_DISCORD_SHARD_COUNT", &c.DiscordShardCount, 0, 1<<16)
	if c.DiscordShardCount > 0 && c.DiscordShardID >= c.DiscordShardCount {
		errs = append(errs, fmt.Errorf("NEWSDIGEST_DISCORD_SHARD_ID=%d must be less than NEWSDIGEST_DISCORD_SHARD_COUNT=%d", c.DiscordShardID, c.DiscordShardCount))
	}
	boolean := func(key string, dst *bool) {
		if s, ok := v[key]; ok {
			b, err := strconv.ParseBool(s)
			if err != nil {
				errs = append(errs, fmt.Errorf("%s=%q: want true or false", key, s))
			}
			*dst = b
		}
	}
	boolean("NEWSDIGEST_ALLOW_PRIVATE_ADDRESSES", &c.AllowPrivate)
	boolean("NEWSDIGEST_DISCORD_HTTP_ONLY", &c.DiscordHTTPOnly)
	str("NEWSDIGEST_LISTEN", &c.Listen)
	if s, ok := v["NEWSDIGEST_LOG_LEVEL"]; ok {
		if err := c.LogLevel.UnmarshalText([]byte(s)); err != nil {
			errs = append(errs, fmt.Errorf("NEWSDIGEST_LOG_LEVEL=%q: want debug, info, warn or error", s))
		}
	}
	if s, ok := v["NEWSDIGEST_LOG_FORMAT"]; ok {
		if s != "text" && s != "json" {
			errs = append(errs, fmt.Errorf("NEWSDIGEST_LOG_FORMAT=%q: want text or json", s))
		}
		c.LogFormat = s
	}
	str("NEWSDIGEST_TELEGRAM_API", &c.TelegramAPI)
	str("NEWSDIGEST_TELEGRAM_WEBHOOK_URL", &c.TelegramWebhook)
	str("NEWSDIGEST_DISCORD_API", &c.DiscordAPI)
	str("NEWSDIGEST_DISCORD_PUBLIC_KEY", &c.DiscordPublicKey)
	str("NEWSDIGEST_DISCORD_GUILD", &c.DiscordGuild)
	if s, ok := v["NEWSDIGEST_TIME_ZONE"]; ok {
		if _, err := time.LoadLocation(s); err != nil || s == "" {
			errs = append(errs, fmt.Errorf("NEWSDIGEST_TIME_ZONE=%q: not a known IANA time zone (like Europe/Berlin)", s))
		}
		c.DefaultTimeZone = s
	}
	if c.Database == "" {
		errs = append(errs, errors.New("NEWSDIGEST_DATABASE is empty"))
	}
	if len(errs) > 0 {
		return fmt.Errorf("config: %w", errors.Join(errs...))
	}
	return nil
}

// loadSecrets reads each secret from KEY or from the file KEY_FILE names.
func (c *Config) loadSecrets(getenv func(string) string, values map[string]string) error {
	dst := map[string]*string{
		"TELEGRAM_BOT_TOKEN":      &c.TelegramToken,
		"TELEGRAM_WEBHOOK_SECRET": &c.TelegramSecret,
		"DISCORD_BOT_TOKEN":       &c.DiscordToken,
	}
	for _, k := range secretKeys {
		if v := getenv(k); v != "" {
			*dst[k] = strings.TrimSpace(v)
			continue
		}
		file := values[k+"_FILE"]
		if file == "" {
			continue
		}
		b, err := os.ReadFile(file)
		if err != nil {
			return fmt.Errorf("config: %s_FILE: %w", k, err)
		}
		if len(b) > 4096 {
			return fmt.Errorf("config: %s_FILE: %s is too large to hold a token", k, file)
		}
		*dst[k] = strings.TrimSpace(string(b))
	}
	return nil
}

func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}

// secrets lists the values no log line or error may show.
func (c *Config) secrets() []string {
	return []string{c.TelegramToken, c.TelegramSecret, c.DiscordToken}
}
