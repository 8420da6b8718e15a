package discord

import (
	"context"
	"hash/fnv"
	"strconv"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/newsdigest/newsdigest/bot"
	"github.com/newsdigest/newsdigest/digest/render"
)

// maxReplyMessages caps the messages one answer may take (Discord allows
// only a few followups to some interactions; digests need two or three).
const maxReplyMessages = 10

// messageBody is a message as the adapter sends it: the renderer's
// content and embeds, mentions off, and for channel posts a nonce that
// makes a retried send return the first message instead of a second.
type messageBody struct {
	Content         string                `json:"content"`
	Embeds          []render.DiscordEmbed `json:"embeds"`
	AllowedMentions noMentions            `json:"allowed_mentions"`
	Flags           int                   `json:"flags,omitempty"`
	Nonce           string                `json:"nonce,omitempty"`
	EnforceNonce    bool                  `json:"enforce_nonce,omitempty"`
}

// noMentions is allowed_mentions {"parse": []}: nothing in the message,
// whatever an article says, can ping a user, a role, @everyone or @here.
type noMentions struct{}

func (noMentions) MarshalJSON() ([]byte, error) { return []byte(`{"parse":[]}`), nil }

// noEmbeds is an empty embed list, sent as [] so that an edit clears the
// embeds rather than leaving them.
func noEmbeds() []render.DiscordEmbed { return []render.DiscordEmbed{} }

// replyMessages renders a command's reply: text escaped and split into
// messages of at most 2000 characters, a digest as the renderer's
// messages with embeds.
func replyMessages(reply bot.Reply) []messageBody {
	var out []messageBody
	if strings.TrimSpace(reply.Text) != "" {
		for _, part := range splitContent(escapeText(reply.Text), render.DiscordContentMax) {
			out = append(out, messageBody{Content: part, Embeds: noEmbeds()})
		}
	}
	if reply.Digest != nil {
		for _, m := range render.Discord(*reply.Digest) {
			embeds := m.Embeds
			if embeds == nil {
				embeds = noEmbeds()
			}
			out = append(out, messageBody{Content: m.Content, Embeds: embeds})
		}
	}
	if len(out) == 0 {
		out = append(out, messageBody{Content: "Done.", Embeds: noEmbeds()})
	}
	if len(out) > maxReplyMessages {
		out = out[:maxReplyMessages]
	}
	return out
}

// bucket is the discordgo rate-limit bucket for interaction and webhook
// requests. discordgo keeps a bucket per key forever, so one per
// interaction would grow without bound; a fixed set of shards keeps
// interactions apart from each other (one slow request does not hold up
// the rest) and memory bounded.
func bucket(kind, key string) string {
	h := fnv.New32a()
	h.Write([]byte(key))
	return "newsdigest/" + kind + "/" + strconv.Itoa(int(h.Sum32()%32))
}

// callback sends the initial response to a gateway interaction.
func (a *Adapter) callback(ctx context.Context, i *discordgo.Interaction, resp interactionResponse) error {
	ep := discordgo.EndpointInteractionResponse(i.ID, i.Token)
	_, err := a.s.RequestWithBucketID("POST", ep, resp, bucket("callback", i.ID), discordgo.WithContext(ctx))
	return a.redact.wrap("acknowledge interaction", err)
}

func (a *Adapter) interactionAppID(i *discordgo.Interaction) string {
	if i.AppID != "" {
		return i.AppID
	}
	a.appMu.Lock()
	defer a.appMu.Unlock()
	return a.appID
}

// editOriginal replaces the interaction's original response. Unknown
// Webhook right after an HTTP interaction means Discord has not read the
// HTTP response yet: that is retried a few times.
func (a *Adapter) editOriginal(ctx context.Context, i *discordgo.Interaction, m messageBody) error {
	ep := discordgo.EndpointWebhookMessage(a.interactionAppID(i), i.Token, "@original")
	delay := 200 * time.Millisecond
	for attempt := 1; ; attempt++ {
		_, err := a.s.RequestWithBucketID("PATCH", ep, m, bucket("webhook", i.Token), discordgo.WithContext(ctx))
		if err == nil || apiCode(err) != codeUnknownWebhook || attempt == 5 {
			return a.redact.wrap("edit the interaction response", err)
		}
		select {
		case <-ctx.Done():
			return a.redact.wrap("edit the interaction response", err)
		case <-time.After(delay):
		}
		delay *= 2
	}
}

// followup sends another message in answer to the interaction.
func (a *Adapter) followup(ctx context.Context, i *discordgo.Interaction, m messageBody) error {
	ep := discordgo.EndpointWebhookToken(a.interactionAppID(i), i.Token) + "?wait=true"
	_, err := a.s.RequestWithBucketID("POST", ep, m, bucket("webhook", i.Token), discordgo.WithContext(ctx))
	return a.redact.wrap("send a followup", err)
}

// deleteOriginal deletes the interaction's original response.
func (a *Adapter) deleteOriginal(ctx context.Context, i *discordgo.Interaction) error {
	ep := discordgo.EndpointWebhookMessage(a.interactionAppID(i), i.Token, "@original")
	_, err := a.s.RequestWithBucketID("DELETE", ep, nil, bucket("webhook", i.Token), discordgo.WithContext(ctx))
	return a.redact.wrap("delete the interaction response", err)
}
