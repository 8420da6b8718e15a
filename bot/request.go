package bot

import (
	"context"

	"github.com/newsdigest/newsdigest/digest"
)

// ChatKind says where a command was written.
type ChatKind int

const (
	Private   ChatKind = iota // a one-to-one chat with the bot
	Group                     // a group, supergroup or Discord guild channel
	Broadcast                 // a Telegram channel: everyone posting is an administrator
)

// Request is one command from a user, as every adapter hands it over.
type Request struct {
	Platform string // store.Telegram or store.Discord
	ChatID   string
	GuildID  string
	ChatName string
	Kind     ChatKind
	UserID   string
	UserName string
	Command  string   // without the slash and any @botname, lower case
	Args     []string // the words after the command
	// IsAdmin tells whether the user may change the chat's settings. The
	// adapter asks the platform (getChatMember, the member's permissions);
	// the command layer calls it only for management commands.
	IsAdmin func(ctx context.Context) (bool, error)
}

// Reply is the answer to a Request. An adapter renders Digest with its
// platform's renderer and Text as plain text, escaped for the platform.
type Reply struct {
	Text      string
	Digest    *digest.Digest
	Ephemeral bool // only the user sees it, where the platform can (Discord)
	Error     bool // the request failed; Text says why and what to do
}

func textReply(format string, args ...any) Reply {
	return Reply{Text: sprintf(format, args...), Ephemeral: true}
}

func errorReply(format string, args ...any) Reply {
	return Reply{Text: sprintf(format, args...), Ephemeral: true, Error: true}
}
