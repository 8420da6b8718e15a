package discordtest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Interaction callback types.
const (
	CallbackMessage         = 4 // CHANNEL_MESSAGE_WITH_SOURCE
	CallbackDeferredMessage = 5 // DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE
	CallbackDeferredUpdate  = 6 // components only
	CallbackUpdateMessage   = 7 // components only
	CallbackAutocomplete    = 8 // APPLICATION_COMMAND_AUTOCOMPLETE_RESULT
	CallbackModal           = 9
)

// Choice is one autocomplete suggestion.
type Choice struct {
	Name  string `json:"name"`
	Value any    `json:"value"`
}

// Callback is an accepted interaction callback.
type Callback struct {
	InteractionID string
	Type          int
	Flags         int
	// Message is the original response a type 4 or 5 callback created.
	Message *Message
	// Choices are a type 8 callback's suggestions.
	Choices []Choice
	// Data is the callback's data as sent.
	Data json.RawMessage
	At   time.Time
}

// allowedCallbacks are the callback types Discord accepts per interaction type.
var allowedCallbacks = map[int][]int{
	InteractionApplicationCommand: {CallbackMessage, CallbackDeferredMessage, CallbackModal},
	InteractionAutocomplete:       {CallbackAutocomplete},
}

// interactionCallback answers POST /interactions/{id}/{token}/callback.
// A second callback is 40060 even after the deadline (the interaction stays
// acknowledged); an unknown interaction, a wrong token or a first callback
// after the deadline is 10062. A rejected body does not acknowledge.
func (s *Server) interactionCallback(c *call) {
	it := s.interactions[c.params["interaction_id"]]
	if it == nil || it.pub.Token != c.params["interaction_token"] {
		c.fail(http.StatusNotFound, 10062, "Unknown interaction")
		return
	}
	if it.acked {
		c.fail(http.StatusBadRequest, 40060, "Interaction has already been acknowledged.")
		return
	}
	if c.now.Sub(it.pub.Created) > s.opts.InteractionDeadline {
		c.fail(http.StatusNotFound, 10062, "Unknown interaction")
		return
	}
	raw, files, ok := c.payload()
	if !ok {
		return
	}
	var body struct {
		Type *int            `json:"type"`
		Data json.RawMessage `json:"data"`
	}
	if !c.decode(raw, &body) {
		return
	}
	fe := &formErrors{}
	if body.Type == nil {
		fe.add("type", "BASE_TYPE_REQUIRED", "This field is required")
		c.invalid(fe)
		return
	}
	allowed := allowedCallbacks[it.pub.Type]
	if !slices.Contains(allowed, *body.Type) {
		fe.add("type", "BASE_TYPE_CHOICES", fmt.Sprintf("Value must be one of %s.", intSet(allowed)))
		c.invalid(fe)
		return
	}
	cb := Callback{InteractionID: it.pub.ID, Type: *body.Type, Data: body.Data, At: c.now}
	switch *body.Type {
	case CallbackMessage:
		b, ok := c.messageBody(body.Data, files)
		if !ok {
			return
		}
		validateMessage(b, fe)
		if !fe.empty() {
			c.invalid(prefixed(fe, "data"))
			return
		}
		if b.empty() {
			c.fail(http.StatusBadRequest, 50006, "Cannot send an empty message")
			return
		}
		m := s.interactionMessageLocked(it, b, c.now, false)
		m.Flags = b.flags() & (FlagEphemeral | FlagSuppressEmbeds | FlagSuppressNotify | FlagComponentsV2)
		it.original = m
		cb.Flags = m.Flags
	case CallbackDeferredMessage:
		b, ok := c.messageBody(body.Data, nil)
		if !ok {
			return
		}
		m := s.interactionMessageLocked(it, &messageBody{}, c.now, false)
		m.Flags = FlagLoading | b.flags()&FlagEphemeral
		it.original = m
		cb.Flags = m.Flags
	case CallbackAutocomplete:
		var d struct {
			Choices []Choice `json:"choices"`
		}
		if len(body.Data) > 0 && !c.decode(body.Data, &d) {
			return
		}
		validateAutocomplete(d.Choices, fe)
		if !fe.empty() {
			c.invalid(fe)
			return
		}
		cb.Choices = d.Choices
	case CallbackModal:
		var d struct {
			CustomID   string          `json:"custom_id"`
			Title      string          `json:"title"`
			Components json.RawMessage `json:"components"`
		}
		if !c.decode(body.Data, &d) {
			return
		}
		fe.between("data.custom_id", d.CustomID, 1, 100)
		fe.between("data.title", d.Title, 1, 45)
		if !hasJSON(d.Components) {
			fe.add("data.components", "BASE_TYPE_REQUIRED", "This field is required")
		}
		if !fe.empty() {
			c.invalid(fe)
			return
		}
	}
	if cb.Message == nil && it.original != nil {
		m := copyMessage(it.original)
		cb.Message = &m
	}
	it.acked = true
	it.callbacks = append(it.callbacks, cb)
	s.notifyLocked()
	if c.r.URL.Query().Get("with_response") == "true" {
		res := map[string]any{"interaction": map[string]any{
			"id": it.pub.ID, "type": it.pub.Type,
			"response_message_id":        nil,
			"response_message_loading":   *body.Type == CallbackDeferredMessage,
			"response_message_ephemeral": it.original != nil && it.original.Flags&FlagEphemeral != 0,
		}}
		if it.original != nil {
			res["interaction"].(map[string]any)["response_message_id"] = it.original.ID
			res["resource"] = map[string]any{"type": *body.Type, "message": it.original}
		}
		c.ok(res)
		return
	}
	c.noContent()
}

// interactionMessageLocked stores a message made for an interaction: its
// original response or a followup.
func (s *Server) interactionMessageLocked(it *interaction, b *messageBody, now time.Time, followup bool) *Message {
	m := s.newMessageLocked(it.pub.ChannelID, it.pub.GuildID, b, now)
	m.Type = MessageTypeChatInputCommand
	if followup {
		m.Type = MessageTypeDefault
	}
	m.WebhookID = s.opts.ApplicationID
	m.ApplicationID = s.opts.ApplicationID
	m.InteractionID = it.pub.ID
	m.Followup = followup
	owners := map[string]string{"0": it.pub.GuildID}
	if it.pub.GuildID == "" {
		owners = map[string]string{"0": "0"}
	}
	m.InteractionMetadata = &InteractionMetadata{
		ID: it.pub.ID, Type: it.pub.Type, Name: it.pub.CommandName, User: it.pub.User,
		AuthorizingIntegrationOwners: owners,
	}
	return m
}

// validateAutocomplete checks a type 8 callback's choices: at most 25, names
// of 1-100 characters, string values of 1-100 or numbers.
func validateAutocomplete(choices []Choice, fe *formErrors) {
	if len(choices) > maxCommandChoices {
		fe.add("data.choices", "BASE_TYPE_MAX_LENGTH", fmt.Sprintf("Must be %d or fewer in length.", maxCommandChoices))
	}
	for i, ch := range choices {
		p := join("data", "choices", i)
		fe.between(join(p, "name"), ch.Name, 1, 100)
		switch v := ch.Value.(type) {
		case string:
			fe.between(join(p, "value"), v, 1, 100)
		case float64:
		default:
			fe.add(join(p, "value"), "BASE_TYPE_REQUIRED", "This field is required")
		}
	}
}

// prefixed moves every error under a top-level key, as Discord reports
// callback data errors under "data".
func prefixed(fe *formErrors, key string) *formErrors {
	return &formErrors{tree: map[string]any{key: fe.tree}}
}

// intSet formats a set as Discord's "Value must be one of {4, 5, 9}." does.
func intSet(xs []int) string {
	parts := make([]string, len(xs))
	for i, x := range xs {
		parts[i] = strconv.Itoa(x)
	}
	return "{" + strings.Join(parts, ", ") + "}"
}

// webhookInteraction finds the interaction of a webhook-token route.
func (s *Server) webhookInteraction(c *call) (*interaction, bool) {
	it := s.byToken[c.params["webhook_token"]]
	if it == nil || c.now.Sub(it.pub.Created) > s.opts.InteractionTokenTTL {
		c.fail(http.StatusUnauthorized, 50027, "Invalid Webhook Token")
		return nil, false
	}
	if c.params["webhook_id"] != s.opts.ApplicationID || !it.acked {
		c.fail(http.StatusNotFound, 10015, "Unknown Webhook")
		return nil, false
	}
	return it, true
}

// webhookMessage finds @original or a followup of the interaction.
func (s *Server) webhookMessage(c *call, it *interaction) (*Message, bool) {
	id := c.params["message_id"]
	var m *Message
	if id == "@original" {
		m = it.original
	} else if it.original != nil && it.original.ID == id {
		m = it.original
	} else if i := slices.IndexFunc(it.followups, func(f *Message) bool { return f.ID == id }); i >= 0 {
		m = it.followups[i]
	}
	if m == nil || m.Deleted {
		c.fail(http.StatusNotFound, 10008, "Unknown Message")
		return nil, false
	}
	return m, true
}

// followupCreate answers POST /webhooks/{app}/{token}: a new message, also
// after a deferred response (whose loading original only PATCH @original
// resolves). Followups always return the message, as if ?wait=true.
func (s *Server) followupCreate(c *call) {
	it, ok := s.webhookInteraction(c)
	if !ok {
		return
	}
	raw, files, ok := c.payload()
	if !ok {
		return
	}
	b, ok := c.messageBody(raw, files)
	if !ok {
		return
	}
	fe := &formErrors{}
	validateMessage(b, fe)
	if !fe.empty() {
		c.invalid(fe)
		return
	}
	if b.empty() {
		c.fail(http.StatusBadRequest, 50006, "Cannot send an empty message")
		return
	}
	m := s.interactionMessageLocked(it, b, c.now, true)
	m.Flags = b.flags() & (FlagEphemeral | FlagSuppressEmbeds | FlagSuppressNotify | FlagComponentsV2)
	it.followups = append(it.followups, m)
	c.ok(m)
}

func (s *Server) webhookMessageGet(c *call) {
	it, ok := s.webhookInteraction(c)
	if !ok {
		return
	}
	if m, ok := s.webhookMessage(c, it); ok {
		c.ok(m)
	}
}

func (s *Server) webhookMessageEdit(c *call) {
	it, ok := s.webhookInteraction(c)
	if !ok {
		return
	}
	if m, ok := s.webhookMessage(c, it); ok {
		s.editLocked(c, m)
	}
}

func (s *Server) webhookMessageDelete(c *call) {
	it, ok := s.webhookInteraction(c)
	if !ok {
		return
	}
	m, ok := s.webhookMessage(c, it)
	if !ok {
		return
	}
	m.Deleted = true
	s.notifyLocked()
	c.noContent()
}
