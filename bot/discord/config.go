package discord

import (
	"crypto/ed25519"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"

	"github.com/newsdigest/newsdigest/bot"
)

// DefaultAPIBase is Discord's REST API in the version discordgo v0.29
// speaks (discordgo.APIVersion).
const DefaultAPIBase = "https://discord.com/api/v9"

// Config configures an Adapter.
type Config struct {
	// Token is the bot token (DISCORD_BOT_TOKEN), with or without the
	// "Bot " prefix.
	Token string
	// AppID is the application's id. Empty: asked from Discord at start
	// (GET /oauth2/applications/@me).
	AppID string
	// GuildID registers the commands in that guild only, where changes
	// show at once (for development). Empty: global commands.
	GuildID string
	// APIBase is the REST API's base URL, like
	// "http://discord-proxy:8080/api/v9" for a REST proxy. Empty:
	// DefaultAPIBase. The gateway URL is what GET {APIBase}/gateway says.
	APIBase string
	// PublicKey is the application's public key (hex), which signs the
	// requests to the HTTP interactions endpoint. Required for
	// InteractionsHandler and HTTPOnly.
	PublicKey string
	// HTTPOnly receives interactions only at InteractionsHandler (the
	// application's Interactions Endpoint URL is set): Run opens no
	// gateway connection.
	HTTPOnly bool
	// HTTPClient makes the REST requests; its Transport is wrapped, not
	// changed. Nil: a client with a 20-second timeout.
	HTTPClient *http.Client
	// ShardID and ShardCount split the guilds over several gateway
	// connections (replicas). ShardCount 0 or 1: one shard.
	ShardID, ShardCount int
	Log                 *slog.Logger
	Metrics             *bot.Metrics // nil: none
}

// checked is a validated Config with its parsed parts.
type checked struct {
	Config
	token     string // without "Bot "
	apiBase   *url.URL
	publicKey ed25519.PublicKey
}

func (c Config) check() (*checked, error) {
	out := &checked{Config: c}
	out.token = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(c.Token), "Bot "))
	switch {
	case out.token == "":
		return nil, errors.New("discord: config: no bot token (set DISCORD_BOT_TOKEN)")
	case strings.ContainsAny(out.token, " \t\r\n"):
		return nil, errors.New("discord: config: the bot token contains white space")
	}
	if c.AppID != "" && !isSnowflake(c.AppID) {
		return nil, fmt.Errorf("discord: config: application id %q is not a Discord id", c.AppID)
	}
	if c.GuildID != "" && !isSnowflake(c.GuildID) {
		return nil, fmt.Errorf("discord: config: guild id %q is not a Discord id", c.GuildID)
	}
	base := c.APIBase
	if base == "" {
		base = DefaultAPIBase
	}
	u, err := url.Parse(strings.TrimRight(base, "/"))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return nil, fmt.Errorf("discord: config: API base %q is not an http(s) URL like %s", base, DefaultAPIBase)
	}
	out.apiBase = u
	if c.PublicKey != "" {
		k, err := hex.DecodeString(strings.TrimSpace(c.PublicKey))
		if err != nil || len(k) != ed25519.PublicKeySize {
			return nil, errors.New("discord: config: the public key is not 64 hex digits (see the application's General Information page)")
		}
		out.publicKey = ed25519.PublicKey(k)
	}
	if c.HTTPOnly && out.publicKey == nil {
		return nil, errors.New("discord: config: HTTP interactions need the application's public key")
	}
	if c.ShardCount < 0 || c.ShardID < 0 || (c.ShardCount > 1 && c.ShardID >= c.ShardCount) || (c.ShardCount <= 1 && c.ShardID != 0) {
		return nil, fmt.Errorf("discord: config: shard %d of %d is out of range", c.ShardID, c.ShardCount)
	}
	return out, nil
}

// isSnowflake reports whether s looks like a Discord id: 1 to 20 digits.
// Ids go into URL paths, so nothing else may pass.
func isSnowflake(s string) bool {
	if len(s) == 0 || len(s) > 20 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
