package store

import (
	"context"
	"fmt"
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
//
// Times read back in UTC, truncated to the millisecond, as articles' do.
type ChannelStore interface {
	// SaveChannel inserts or updates the channel keyed by (Platform, ChatID)
	// and sets c.ID and c.Created. c.ID is ignored on input. An update
	// writes every other field and keeps the stored id and creation time;
	// an insert keeps a non-zero Created (a channel carried over from
	// elsewhere keeps its age, which decides its first scheduled slot) and
	// otherwise sets it to the time of the write. An
	// empty Platform or ChatID, or a negative MaxStories, gives ErrInvalid.
	// Empty Topics and Filters read back as nil.
	SaveChannel(ctx context.Context, c *Channel) error
	// Channel returns the channel with the platform's chat id, or
	// ErrNotFound.
	Channel(ctx context.Context, platform, chatID string) (*Channel, error)
	// Channels returns every channel of the platform ("" for all), by id.
	Channels(ctx context.Context, platform string) ([]*Channel, error)
	// MoveChannel gives a channel a new chat id, keeping its id, settings
	// and history (what it was delivered, its slots): a Telegram group
	// upgraded to a supergroup. It gives ErrNotFound when no channel has
	// fromChatID and ErrExists when the platform already has a channel for
	// toChatID (then nothing changes; the caller decides which to keep).
	// Moving a channel to its own chat id does nothing.
	MoveChannel(ctx context.Context, platform, fromChatID, toChatID string) error
	// DeleteChannel forgets a channel and its history (deliveries and
	// slots), or gives ErrNotFound.
	DeleteChannel(ctx context.Context, id int64) error
	// MarkDelivered records, in one transaction, that the channel received
	// these stories. A story key recorded before keeps only its latest
	// delivery (the one with the latest At), ArticleIDs included (an empty
	// ArticleIDs reads back as nil). An empty StoryKey, a zero At
	// or negative Articles gives ErrInvalid, an unknown channel ErrNotFound;
	// then nothing is recorded.
	MarkDelivered(ctx context.Context, channelID int64, ds []Delivered) error
	// DeliveredSince returns what the channel received at or after since,
	// keyed by story key (empty, not nil, when nothing; an unknown channel
	// has received nothing).
	DeliveredSince(ctx context.Context, channelID int64, since time.Time) (map[string]Delivered, error)
}

// Delivered is one story a channel received.
type Delivered struct {
	StoryKey   string    // stable key of the story (see digest/story)
	Articles   int       // how many articles the story had when sent
	ArticleIDs []int64   // the story's articles when sent, to tell an update from a repeat
	At         time.Time // when it was sent
}

// Validate reports, with an error wrapping ErrInvalid, why c cannot be
// saved: nil, no platform or chat id, or a negative MaxStories.
func (c *Channel) Validate() error {
	if c == nil {
		return fmt.Errorf("store: channel: nil: %w", ErrInvalid)
	}
	if c.Platform == "" || c.ChatID == "" {
		return fmt.Errorf("store: channel %q/%q: empty platform or chat id: %w", c.Platform, c.ChatID, ErrInvalid)
	}
	if c.MaxStories < 0 {
		return fmt.Errorf("store: channel %s/%s: negative max stories: %w", c.Platform, c.ChatID, ErrInvalid)
	}
	return nil
}

// Validate reports, with an error wrapping ErrInvalid, why d cannot be
// recorded: no story key, no time or a negative article count.
func (d Delivered) Validate() error {
	if d.StoryKey == "" || d.At.IsZero() || d.Articles < 0 {
		return fmt.Errorf("store: delivered %q at %v (%d articles): want a story key, a time and articles >= 0: %w",
			d.StoryKey, d.At, d.Articles, ErrInvalid)
	}
	return nil
}
