package discordtest

import (
	"crypto/rand"
	"encoding/hex"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"
)

// discordEpoch is the first millisecond of 2015, the origin of snowflake
// timestamps.
const discordEpoch = 1420070400000

// Limit is a rate limit: Requests per Window. Requests < 0 means no limit.
type Limit struct {
	Requests int
	Window   time.Duration
}

// Options configures a Server. The zero value gives a working fake with one
// guild and one text channel and limits scaled down so tests stay fast.
type Options struct {
	// Token is the bot token without the "Bot " prefix.
	// Default "discordtest-bot-token".
	Token string
	// ApplicationID is the application's (and the bot user's) snowflake.
	// Default: a generated one.
	ApplicationID string
	// BotName is the bot user's username. Default "newsdigest".
	BotName string
	// Guilds the bot is in. Empty IDs are generated. Default: one guild
	// "discordtest" with one text channel "digest".
	Guilds []Guild

	// HeartbeatInterval is sent in Hello. Default 250ms (Discord: 41.25s).
	HeartbeatInterval time.Duration
	// PrivilegedIntents are the privileged intents the application was
	// granted (GUILD_MEMBERS 1<<1, GUILD_PRESENCES 1<<8, MESSAGE_CONTENT
	// 1<<15); Identify asking for others is closed with 4014. Default none.
	PrivilegedIntents int

	// InteractionDeadline is how long after creation an interaction accepts
	// its initial callback. Default 3s, as on Discord.
	InteractionDeadline time.Duration
	// InteractionTokenTTL is how long the interaction token works for
	// webhook edits and followups. Default 15m, as on Discord.
	InteractionTokenTTL time.Duration
	// NonceWindow is how long an enforced nonce returns the earlier message.
	// Default 2m ("a few minutes" on Discord).
	NonceWindow time.Duration

	// RouteLimit is every route's bucket unless RouteLimits names the route.
	// Default 5 requests per 250ms (Discord's message route: 5 per 5s).
	RouteLimit Limit
	// RouteLimits overrides RouteLimit per route, keyed like
	// "POST /channels/{channel_id}/messages".
	RouteLimits map[string]Limit
	// GlobalLimit is the per-token limit across routes, except interaction
	// and webhook-token routes. Default 50 per second, as on Discord.
	GlobalLimit Limit

	// Logger receives one debug line per request and gateway event.
	// Default: discarded. Tokens are never logged.
	Logger *slog.Logger
}

// Guild is a guild the bot is a member of.
type Guild struct {
	ID       string
	Name     string
	Channels []Channel
}

// Channel is a guild text channel.
type Channel struct {
	ID   string
	Name string
	// Type is Discord's channel type: 0 text (default), 5 announcement.
	Type int
	// NoAccess makes the channel invisible to the bot: 403 code 50001.
	NoAccess bool
	// NoSend lets the bot see but not post: 403 code 50013.
	NoSend bool
}

// User is a Discord user as the API shows it.
type User struct {
	ID            string  `json:"id"`
	Username      string  `json:"username"`
	Discriminator string  `json:"discriminator"`
	GlobalName    string  `json:"global_name,omitempty"`
	Avatar        *string `json:"avatar"`
	Bot           bool    `json:"bot,omitempty"`
}

type guild struct {
	Guild
	joined time.Time
}

type channel struct {
	Channel
	GuildID string
}

// Server is the fake Discord. Its methods are safe for concurrent use.
type Server struct {
	opts       Options
	http       *httptest.Server
	transport  *http.Transport
	upgrader   websocket.Upgrader
	routeTable []route
	log        *slog.Logger
	idSeq      atomic.Uint64

	mu           sync.Mutex
	changed      chan struct{}
	closed       bool
	bot          User
	defaultUser  User
	users        map[string]User
	guilds       []*guild
	guildByID    map[string]*guild
	channels     map[string]*channel
	dms          map[string]*channel  // DM channel by user ID
	commands     map[string][]Command // by guild ID, "" for global
	overwrites   []Overwrite
	messages     map[string][]*Message // by channel ID, in creation order
	messageByID  map[string]*Message
	nonces       map[string]nonceEntry
	interactions map[string]*interaction
	byToken      map[string]*interaction
	requests     []Request
	limits       limiter

	sessions      map[string]*gwSession
	conns         map[*gwConn]struct{}
	identifies    []Identify
	resumes       []Resume
	heartbeats    []Heartbeat
	sessionStarts int
}

// New starts a fake Discord on a loopback port. Close it when done.
func New(opts Options) *Server {
	s := &Server{
		changed:      make(chan struct{}),
		users:        map[string]User{},
		guildByID:    map[string]*guild{},
		channels:     map[string]*channel{},
		dms:          map[string]*channel{},
		commands:     map[string][]Command{},
		messages:     map[string][]*Message{},
		messageByID:  map[string]*Message{},
		nonces:       map[string]nonceEntry{},
		interactions: map[string]*interaction{},
		byToken:      map[string]*interaction{},
		sessions:     map[string]*gwSession{},
		conns:        map[*gwConn]struct{}{},
	}
	s.opts = withDefaults(opts, s)
	s.log = s.opts.Logger
	if s.log == nil {
		s.log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	s.limits = newLimiter(s.opts)
	s.upgrader = websocket.Upgrader{CheckOrigin: func(*http.Request) bool { return true }}
	s.routeTable = s.routes()

	now := time.Now()
	s.bot = User{ID: s.opts.ApplicationID, Username: s.opts.BotName, Discriminator: "0", Bot: true}
	s.defaultUser = User{ID: s.newID(now), Username: "reader", Discriminator: "0", GlobalName: "Test Reader"}
	s.users[s.bot.ID] = s.bot
	s.users[s.defaultUser.ID] = s.defaultUser
	for _, g := range s.opts.Guilds {
		s.addGuildLocked(g, now)
	}

	s.http = httptest.NewServer(http.HandlerFunc(s.serveHTTP))
	s.transport = &http.Transport{MaxIdleConnsPerHost: 16}
	return s
}

func withDefaults(o Options, s *Server) Options {
	now := time.Now()
	if o.Token == "" {
		o.Token = "discordtest-bot-token"
	}
	o.Token = strings.TrimPrefix(o.Token, "Bot ")
	if o.ApplicationID == "" {
		o.ApplicationID = s.newID(now)
	}
	if o.BotName == "" {
		o.BotName = "newsdigest"
	}
	if len(o.Guilds) == 0 {
		o.Guilds = []Guild{{Name: "discordtest", Channels: []Channel{{Name: "digest"}}}}
	}
	if o.HeartbeatInterval <= 0 {
		o.HeartbeatInterval = 250 * time.Millisecond
	}
	if o.InteractionDeadline <= 0 {
		o.InteractionDeadline = 3 * time.Second
	}
	if o.InteractionTokenTTL <= 0 {
		o.InteractionTokenTTL = 15 * time.Minute
	}
	if o.NonceWindow <= 0 {
		o.NonceWindow = 2 * time.Minute
	}
	if o.RouteLimit == (Limit{}) {
		o.RouteLimit = Limit{Requests: 5, Window: 250 * time.Millisecond}
	}
	if o.GlobalLimit == (Limit{}) {
		o.GlobalLimit = Limit{Requests: 50, Window: time.Second}
	}
	return o
}

func (s *Server) addGuildLocked(g Guild, now time.Time) Guild {
	if g.ID == "" {
		g.ID = s.newID(now)
	}
	if g.Name == "" {
		g.Name = "guild-" + g.ID
	}
	chans := make([]Channel, len(g.Channels))
	for i, c := range g.Channels {
		if c.ID == "" {
			c.ID = s.newID(now)
		}
		if c.Name == "" {
			c.Name = "channel-" + c.ID
		}
		chans[i] = c
		s.channels[c.ID] = &channel{Channel: c, GuildID: g.ID}
	}
	g.Channels = chans
	gg := &guild{Guild: g, joined: now}
	s.guilds = append(s.guilds, gg)
	s.guildByID[g.ID] = gg
	return g
}

// AddGuild adds a guild (and its channels) the bot is a member of and, to
// connected sessions with the GUILDS intent, dispatches GUILD_CREATE.
// It returns the guild with generated IDs filled in.
func (s *Server) AddGuild(g Guild) Guild {
	s.mu.Lock()
	defer s.mu.Unlock()
	g = s.addGuildLocked(g, time.Now())
	for _, sess := range s.sessions {
		if sess.intents&intentGuilds != 0 {
			s.dispatchLocked(sess, "GUILD_CREATE", s.guildCreateLocked(s.guildByID[g.ID]))
		}
	}
	s.notifyLocked()
	return g
}

// Close stops the fake, dropping gateway connections. Close discordgo
// sessions first, or they will keep trying to reconnect.
func (s *Server) Close() {
	s.mu.Lock()
	s.closed = true
	for c := range s.conns {
		c.terminate()
	}
	s.mu.Unlock()
	s.http.Close()
	s.transport.CloseIdleConnections()
}

// URL is the fake's base URL, like http://127.0.0.1:1234.
func (s *Server) URL() string { return s.http.URL }

// GatewayURL is the websocket URL GET /gateway answers with.
func (s *Server) GatewayURL() string { return "ws" + strings.TrimPrefix(s.http.URL, "http") }

// Token is the bot token without the "Bot " prefix.
func (s *Server) Token() string { return s.opts.Token }

// BotToken is the value for discordgo.New and the Authorization header:
// "Bot <token>".
func (s *Server) BotToken() string { return "Bot " + s.opts.Token }

// AppID is the application ID, which is also the bot user's ID.
func (s *Server) AppID() string { return s.opts.ApplicationID }

// BotUser is the bot's user.
func (s *Server) BotUser() User { return s.bot }

// DefaultUser is the user that Interact uses when the spec names none.
func (s *Server) DefaultUser() User { return s.defaultUser }

// GuildID is the first guild's ID.
func (s *Server) GuildID() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.guilds[0].ID
}

// ChannelID is the first channel of the first guild.
func (s *Server) ChannelID() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, g := range s.guilds {
		if len(g.Channels) > 0 {
			return g.Channels[0].ID
		}
	}
	return ""
}

// Guilds are the guilds the bot is in, with generated IDs filled in.
func (s *Server) Guilds() []Guild {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Guild, len(s.guilds))
	for i, g := range s.guilds {
		out[i] = g.Guild
	}
	return out
}

// AddUser registers a user (for instance one to pass in InteractionSpec.User)
// so that mentions of it resolve and GET /users/{id} finds it.
func (s *Server) AddUser(u User) User {
	s.mu.Lock()
	defer s.mu.Unlock()
	if u.ID == "" {
		u.ID = s.newID(time.Now())
	}
	if u.Discriminator == "" {
		u.Discriminator = "0"
	}
	s.users[u.ID] = u
	return u
}

// WaitFor polls cond after every change to the fake's state until it holds
// or timeout passes, and reports whether it held. cond may call the fake's
// accessors.
func (s *Server) WaitFor(timeout time.Duration, cond func() bool) bool {
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	for {
		s.mu.Lock()
		ch := s.changed
		s.mu.Unlock()
		if cond() {
			return true
		}
		select {
		case <-ch:
		case <-deadline.C:
			return cond()
		}
	}
}

// notifyLocked wakes WaitFor callers. s.mu must be held.
func (s *Server) notifyLocked() {
	close(s.changed)
	s.changed = make(chan struct{})
}

// newID returns a snowflake for now. The low 22 bits (worker, process,
// increment on Discord) hold a counter, so IDs never repeat.
func (s *Server) newID(now time.Time) string {
	n := s.idSeq.Add(1)
	ms := uint64(now.UnixMilli() - discordEpoch)
	return strconv.FormatUint(ms<<22|n&(1<<22-1), 10)
}

// secret returns a random token-like string with the given prefix.
func secret(prefix string) string {
	b := make([]byte, 24)
	if _, err := rand.Read(b); err != nil {
		panic("discordtest: random token: " + err.Error())
	}
	return prefix + hex.EncodeToString(b)
}
