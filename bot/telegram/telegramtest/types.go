package telegramtest

import (
	"encoding/json"
	"time"
)

// User is a Telegram user or bot. Its JSON is the Bot API's User object.
type User struct {
	ID           int64  `json:"id"`
	IsBot        bool   `json:"is_bot"`
	FirstName    string `json:"first_name"`
	LastName     string `json:"last_name,omitempty"`
	Username     string `json:"username,omitempty"`
	LanguageCode string `json:"language_code,omitempty"`
}

// Chat types, as Telegram names them.
const (
	Private    = "private"
	Group      = "group"
	Supergroup = "supergroup"
	Channel    = "channel"
)

// Chat is a chat the bot can talk to. Its JSON is the Bot API's Chat object;
// Blocked and MigratedTo are the fake's settings and are not sent.
type Chat struct {
	ID int64 `json:"id"`
	// Type is private, group, supergroup or channel. Empty: private for a
	// positive ID, supergroup for an ID of the -100xxxxxxxxxx form, group for
	// other negative IDs.
	Type      string `json:"type"`
	Title     string `json:"title,omitempty"`
	Username  string `json:"username,omitempty"`
	FirstName string `json:"first_name,omitempty"`
	LastName  string `json:"last_name,omitempty"`

	// Blocked makes the chat refuse the bot with 403: the user blocked the
	// bot (private) or the bot was kicked (group, supergroup, channel).
	Blocked bool `json:"-"`
	// MigratedTo, when set on a group, makes sends answer 400 "group chat
	// was upgraded to a supergroup chat" with parameters.migrate_to_chat_id.
	MigratedTo int64 `json:"-"`
}

// Entity is a MessageEntity: a span of text in UTF-16 code units.
type Entity struct {
	Type          string `json:"type"`
	Offset        int    `json:"offset"`
	Length        int    `json:"length"`
	URL           string `json:"url,omitempty"`
	User          *User  `json:"user,omitempty"`
	Language      string `json:"language,omitempty"`
	CustomEmojiID string `json:"custom_emoji_id,omitempty"`
}

// SentMessage is a message the bot sent and Telegram accepted.
type SentMessage struct {
	ChatID    int64
	MessageID int
	// Text is the text as users see it: after HTML parsing, entities
	// decoded and surrounding whitespace trimmed.
	Text string
	// Source is the text parameter exactly as the bot sent it; a resend
	// after a 429 is matched on it.
	Source    string
	ParseMode string
	Entities  []Entity
	// ReplyMarkup is the reply_markup parameter as sent (JSON), or nil.
	ReplyMarkup         json.RawMessage
	ReplyToMessageID    int
	LinkPreviewDisabled bool
	Sent                time.Time
	// Edited is the time of the last editMessageText; zero if never edited.
	Edited  time.Time
	Edits   int
	Deleted bool
}

// Command is a bot command set with setMyCommands.
type Command struct {
	Command     string `json:"command"`
	Description string `json:"description"`
}

// Scope is a BotCommandScope. The zero value is the default scope.
type Scope struct {
	Type string `json:"type"`
	// ChatID is the chat_id as sent: a number or an @username.
	ChatID string `json:"-"`
	UserID int64  `json:"-"`
}

// Webhook is what setWebhook recorded.
type Webhook struct {
	URL                  string
	SecretToken          string
	MaxConnections       int
	AllowedUpdates       []string
	IPAddress            string
	HasCustomCertificate bool
}

// Member is a user's membership of a chat.
type Member struct {
	User User
	// Status is creator, administrator, member, restricted, left or kicked.
	Status      string
	CustomTitle string
}

// Update is an update queued for the bot by SendMessage or InjectUpdate.
type Update struct {
	ID int
	// Type is the update's field: message, channel_post, callback_query, ...
	Type string
	// ChatID and MessageID name the message, for message updates.
	ChatID    int64
	MessageID int
	JSON      json.RawMessage
}

// FloodError is a 429 the fake answered to sendMessage.
type FloodError struct {
	ChatID int64
	// Text is the text parameter of the refused request.
	Text string
	// Scope is the limit that was hit: "chat", "group" or "global".
	Scope string
	// RetryAfter is parameters.retry_after, in seconds.
	RetryAfter int
	At         time.Time
	// EarlyRetries counts sendMessage requests to the same chat that came
	// before RetryAfter had passed.
	EarlyRetries int
	// ResentAt is when the same text was later accepted in the same chat;
	// zero if it never was, which means the 429 was not handled.
	ResentAt time.Time
}
