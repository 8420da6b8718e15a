package discord

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"

	"github.com/bwmarrin/discordgo"

	"github.com/newsdigest/newsdigest/bot"
	"github.com/newsdigest/newsdigest/digest"
	"github.com/newsdigest/newsdigest/digest/render"
	"github.com/newsdigest/newsdigest/store"
)

// nonceLen is Discord's limit on a message nonce.
const nonceLen = 25

// PostDigest posts a digest to a channel as the renderer's messages with
// embeds, one request each, waiting on rate limits. Each message carries
// a nonce derived from key and its part number with enforce_nonce, so
// that posting the same delivery again within a few minutes (a retry
// after a crash or a timeout) returns the messages already posted instead
// of posting twice. It returns the ids of the messages sent, also those
// sent before an error.
//
// An error wraps bot.ErrChatUnavailable when Discord refuses the channel
// (missing access or permissions, unknown channel).
func (a *Adapter) PostDigest(ctx context.Context, channelID string, d *digest.Digest, key string) ([]string, error) {
	if d == nil {
		return nil, errors.New("discord: post digest: no digest")
	}
	if !isSnowflake(channelID) {
		return nil, fmt.Errorf("discord: post digest: %q is not a Discord channel id: %w", clip(channelID, 40), bot.ErrChatUnavailable)
	}
	msgs := render.Discord(*d)
	ep := discordgo.EndpointChannelMessages(channelID)
	ids := make([]string, 0, len(msgs))
	for n, m := range msgs {
		body := messageBody{Content: m.Content, Embeds: m.Embeds}
		if body.Embeds == nil {
			body.Embeds = noEmbeds()
		}
		if key != "" {
			body.Nonce, body.EnforceNonce = nonce(key, n), true
		}
		raw, err := a.s.RequestWithBucketID("POST", ep, body, ep, discordgo.WithContext(ctx))
		if err != nil {
			a.delivered("error")
			return ids, a.redact.wrap(fmt.Sprintf("post digest part %d of %d to channel %s", n+1, len(msgs), channelID), err)
		}
		var sent struct {
			ID string `json:"id"`
		}
		if err := json.Unmarshal(raw, &sent); err != nil || sent.ID == "" {
			a.delivered("error")
			return ids, fmt.Errorf("discord: post digest part %d to channel %s: no message id in the answer", n+1, channelID)
		}
		a.delivered("ok")
		ids = append(ids, sent.ID)
	}
	return ids, nil
}

// nonce is the nonce of one part of a delivery: the same for the same key
// and part, different otherwise, at most 25 characters.
func nonce(key string, part int) string {
	sum := sha256.Sum256([]byte(key + "\x00" + strconv.Itoa(part)))
	return hex.EncodeToString(sum[:])[:nonceLen]
}

func (a *Adapter) delivered(outcome string) {
	if a.metrics != nil {
		a.metrics.Deliveries.WithLabelValues(store.Discord, outcome).Inc()
	}
}
