package store

import (
	"context"
	"time"
)

// Platform names a chat platform.
const (
	Telegram = "telegram"
	Discord  = "discord"
)

// Channel is a Discord channel or Telegram chat that uses newsdigest: its
// settings, its subscription and the state of its deliveries.
type Channel struct {
	ID          int64
	Platform    string // Telegram or Discord
	ChatID      string // the platform's id of the chat or channel
	GuildID     string // Discord guild; empty on Telegram
	Title       string
	TimeZone    string   // IANA name; empty means the operator's default
	Schedule    string   // as the user wrote it ("daily 08:00"); empty: not subscribed
	Topics      []string // boost stories about these words
	Filters     []string // filter rules as the user typed them ("exclude:football")
	MaxStories  int      // 0 means the operator's default
	Paused      bool     // deliveries stopped because the platform refused them
	PauseReason string   // "bot was blocked by the user", "Missing Access"
	PausedAt    time.Time
	LastDigest  time.Time // when the last digest was delivered
	Created     time.Time
}

// Subscribed reports whether the channel gets scheduled digests.
func (c *Channel) Subscribed() bool { return c.Schedule != "" }

// ChannelStore keeps channels and what they were sent.
type ChannelStore interface {
	// SaveChannel inserts or updates the channel keyed by (Platform, ChatID)
	// and sets c.ID and c.Created.
	SaveChannel(ctx context.Context, c *Channel) error
	// Channel returns the channel with the platform's chat id.
	Channel(ctx context.Context, platform, chatID string) (*Channel, error)
	// Channels returns every channel of the platform ("" for all), by id.
	Channels(ctx context.Context, platform string) ([]*Channel, error)
	// MoveChannel gives a channel a new chat id, keeping its settings and
	// history (a Telegram group upgraded to a supergroup).
	MoveChannel(ctx context.Context, platform, fromChatID, toChatID string) error
	// DeleteChannel forgets a channel and its history.
	DeleteChannel(ctx context.Context, id int64) error
	// MarkDelivered records that the channel received these stories.
	MarkDelivered(ctx context.Context, channelID int64, ds []Delivered) error
	// DeliveredSince returns what the channel received at or after since,
	// keyed by story key.
	DeliveredSince(ctx context.Context, channelID int64, since time.Time) (map[string]Delivered, error)
}

// Delivered is one story a channel received.
type Delivered struct {
	StoryKey string    // stable key of the story (see digest/story)
	Articles int       // how many articles the story had when sent
	At       time.Time // when it was sent
}
