package bot

import (
	"context"
	"errors"
	"fmt"

	"github.com/newsdigest/newsdigest/digest"
)

// Poster posts digests to one platform's chats. Each adapter implements
// it; the scheduler uses it for scheduled digests.
type Poster interface {
	// Platform is store.Telegram or store.Discord.
	Platform() string
	// PostDigest renders d for the platform and sends it to the chat,
	// splitting it over several messages as needed, respecting the
	// platform's rate limits (waiting on 429s, never dropping). key
	// identifies this delivery: an adapter whose platform supports
	// idempotent sends (Discord's nonce with enforce_nonce) derives the
	// nonces from it, so that a retry after a crash does not post twice.
	// It returns the ids of the messages sent.
	//
	// Errors: ErrChatUnavailable (wrapped) when the platform refuses the
	// chat for good (blocked, kicked, missing access, deleted channel);
	// *ChatMovedError when the chat has a new id.
	PostDigest(ctx context.Context, chatID string, d *digest.Digest, key string) ([]string, error)
}

// ErrChatUnavailable means the platform will not take messages for the
// chat until a person there fixes it: the subscription is paused.
var ErrChatUnavailable = errors.New("chat unavailable")

// ChatMovedError means the chat continues under a new id (a Telegram group
// upgraded to a supergroup); its settings move there.
type ChatMovedError struct {
	From, To string
}

func (e *ChatMovedError) Error() string {
	return fmt.Sprintf("chat %s moved to %s", e.From, e.To)
}
