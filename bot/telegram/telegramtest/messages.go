package telegramtest

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"unicode/utf8"
)

// MaxMessageLength is Telegram's limit on message text after entity
// parsing, in UTF-16 code units.
const MaxMessageLength = 4096

// wireMessage is the Bot API's Message object, for text messages.
type wireMessage struct {
	MessageID      int             `json:"message_id"`
	From           *User           `json:"from,omitempty"`
	SenderChat     *Chat           `json:"sender_chat,omitempty"`
	Date           int64           `json:"date"`
	Chat           Chat            `json:"chat"`
	EditDate       int64           `json:"edit_date,omitempty"`
	ReplyToMessage *wireMessage    `json:"reply_to_message,omitempty"`
	Text           string          `json:"text,omitempty"`
	Entities       []Entity        `json:"entities,omitempty"`
	ReplyMarkup    json.RawMessage `json:"reply_markup,omitempty"`
}

func (s *Server) getMe(context.Context, params) (result, *apiError) {
	return result{Value: map[string]any{
		"id": s.bot.ID, "is_bot": true, "first_name": s.bot.FirstName, "username": s.bot.Username,
		"can_join_groups": true, "can_read_all_group_messages": false, "supports_inline_queries": false,
		"can_connect_to_business": false, "has_main_web_app": false,
	}}, nil
}

// formatted is a message text as Telegram keeps it.
type formatted struct {
	source   string
	mode     string
	text     string
	entities []Entity
}

// formatText reads text, parse_mode and entities the way sendMessage and
// editMessageText do: explicit entities win over parse_mode; the result is
// trimmed and must be 1-4096 UTF-16 code units long.
func formatText(p params) (formatted, *apiError) {
	f := formatted{source: p.str("text"), mode: p.str("parse_mode")}
	if f.source == "" {
		return f, badRequest("message text is empty")
	}
	if !utf8.ValidString(f.source) {
		return f, badRequest("text must be encoded in UTF-8")
	}
	if raw := p.json("entities"); raw != "" && raw != "[]" {
		if err := json.Unmarshal([]byte(raw), &f.entities); err != nil {
			return f, badRequest("can't parse entities JSON object")
		}
		for _, e := range f.entities {
			if !entityTypes[e.Type] {
				return f, badRequest("can't parse MessageEntity: Unsupported type specified")
			}
			if e.Type == "text_link" && e.URL == "" {
				return f, badRequest("can't parse MessageEntity: Field \"url\" must be of type String")
			}
		}
		f.text = f.source
		f.mode = ""
	} else {
		switch strings.ToLower(f.mode) {
		case "":
			f.text = f.source
		case "html":
			text, entities, err := parseHTML(f.source)
			if err != nil {
				return f, badRequest("can't parse entities: " + err.Error())
			}
			f.text, f.entities = text, entities
		case "markdown", "markdownv2":
			return f, badRequest("telegramtest: parse_mode " + f.mode + " is not implemented by the fake; use HTML or entities")
		default:
			return f, badRequest("unsupported parse_mode")
		}
	}
	f.text, f.entities = trimText(f.text, f.entities)
	if f.text == "" {
		return f, badRequest("message must be non-empty")
	}
	if utf16Len(f.text) > MaxMessageLength {
		return f, badRequest("message is too long")
	}
	return f, nil
}

var entityTypes = map[string]bool{
	"mention": true, "hashtag": true, "cashtag": true, "bot_command": true, "url": true, "email": true,
	"phone_number": true, "bold": true, "italic": true, "underline": true, "strikethrough": true,
	"spoiler": true, "blockquote": true, "expandable_blockquote": true, "code": true, "pre": true,
	"text_link": true, "text_mention": true, "custom_emoji": true,
}

// trimText strips the whitespace Telegram strips from both ends of a
// message and clips the entities to what is left; empty ones go.
func trimText(text string, entities []Entity) (string, []Entity) {
	const space = " \t\n\r\v\f"
	trimmed := strings.TrimLeft(text, space)
	lead := utf16Len(text[:len(text)-len(trimmed)])
	trimmed = strings.TrimRight(trimmed, space)
	n := utf16Len(trimmed)
	out := entities[:0:0]
	for _, e := range entities {
		start, end := max(e.Offset-lead, 0), min(e.Offset+e.Length-lead, n)
		if end > start {
			e.Offset, e.Length = start, end-start
			out = append(out, e)
		}
	}
	return trimmed, out
}

// checkReplyMarkup validates reply_markup. Telegram echoes only inline
// keyboards in the sent Message, so only those are returned.
func checkReplyMarkup(raw string, inlineOnly bool) (json.RawMessage, *apiError) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return nil, nil
	}
	var markup map[string]json.RawMessage
	if err := json.Unmarshal([]byte(raw), &markup); err != nil {
		return nil, badRequest("can't parse reply keyboard markup JSON object")
	}
	rows, ok := markup["inline_keyboard"]
	if !ok {
		_, kb := markup["keyboard"]
		_, rm := markup["remove_keyboard"]
		_, fr := markup["force_reply"]
		if inlineOnly || !(kb || rm || fr) {
			return nil, badRequest("can't parse inline keyboard markup JSON object")
		}
		return nil, nil
	}
	var keyboard [][]map[string]json.RawMessage
	if err := json.Unmarshal(rows, &keyboard); err != nil {
		return nil, badRequest("field \"inline_keyboard\" of the InlineKeyboardMarkup must be an Array of Arrays")
	}
	for _, row := range keyboard {
		for _, button := range row {
			if err := checkInlineButton(button); err != nil {
				return nil, err
			}
		}
	}
	return json.RawMessage(raw), nil
}

var buttonActions = []string{"url", "callback_data", "web_app", "login_url", "switch_inline_query",
	"switch_inline_query_current_chat", "switch_inline_query_chosen_chat", "copy_text", "callback_game", "pay"}

func checkInlineButton(b map[string]json.RawMessage) *apiError {
	var text string
	if json.Unmarshal(b["text"], &text) != nil {
		return badRequest("can't parse inline keyboard button: Field \"text\" must be of type String")
	}
	actions := 0
	for _, k := range buttonActions {
		if _, ok := b[k]; ok {
			actions++
		}
	}
	if actions == 0 {
		return badRequest("can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard")
	}
	if raw, ok := b["callback_data"]; ok {
		var data string
		if json.Unmarshal(raw, &data) != nil || data == "" || len(data) > 64 {
			return badRequest("BUTTON_DATA_INVALID")
		}
	}
	if raw, ok := b["url"]; ok {
		var link string
		_ = json.Unmarshal(raw, &link)
		u, err := url.Parse(link)
		valid := err == nil && ((u.Scheme == "http" || u.Scheme == "https") && u.Host != "" || u.Scheme == "tg")
		if !valid {
			return badRequest(fmt.Sprintf("inline keyboard button URL '%s' is invalid: Wrong HTTP URL", link))
		}
	}
	return nil
}

func (s *Server) sendMessage(_ context.Context, p params) (result, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	cs, apiErr := s.chatLocked(p, false)
	if apiErr != nil {
		return result{}, apiErr
	}
	now := s.now()
	s.attempts = append(s.attempts, attempt{chatID: cs.ID, at: now})
	f, apiErr := formatText(p)
	if apiErr != nil {
		return result{}, apiErr
	}
	markup, apiErr := checkReplyMarkup(p.json("reply_markup"), false)
	if apiErr != nil {
		return result{}, apiErr
	}
	noPreview := p.bool("disable_web_page_preview")
	if raw := p.json("link_preview_options"); raw != "" {
		var lpo struct {
			IsDisabled bool `json:"is_disabled"`
		}
		if json.Unmarshal([]byte(raw), &lpo) != nil {
			return result{}, badRequest("can't parse link preview options JSON object")
		}
		noPreview = noPreview || lpo.IsDisabled
	}
	if _, apiErr = s.chatLocked(p, true); apiErr != nil {
		return result{}, apiErr
	}
	reply, apiErr := replyTarget(cs, p)
	if apiErr != nil {
		return result{}, apiErr
	}

	if wait, scope := s.limiter.admit(cs.ID, now); wait > 0 {
		retry := retryAfterSeconds(wait)
		s.floodErrors = append(s.floodErrors, floodRecord{
			FloodError: FloodError{ChatID: cs.ID, Text: f.source, Scope: scope, RetryAfter: retry, At: now},
			attempt:    len(s.attempts) - 1,
			sent:       len(s.sent),
		})
		s.notifyLocked()
		return result{}, &apiError{
			Code:        http.StatusTooManyRequests,
			Description: fmt.Sprintf("Too Many Requests: retry after %d", retry),
			RetryAfter:  retry,
		}
	}

	cs.lastMessageID++
	bot := s.bot
	wire := wireMessage{
		MessageID: cs.lastMessageID, From: &bot, Date: now.Unix(), Chat: cs.Chat,
		Text: f.text, Entities: f.entities, ReplyMarkup: markup,
	}
	if cs.Type == Channel {
		wire.From, wire.SenderChat = nil, &wire.Chat
	}
	sent := &SentMessage{
		ChatID: cs.ID, MessageID: wire.MessageID, Text: f.text, Source: f.source, ParseMode: f.mode,
		Entities: f.entities, ReplyMarkup: rawOrNil(p.json("reply_markup")), LinkPreviewDisabled: noPreview, Sent: now,
	}
	if reply != nil {
		r := reply.wire
		r.ReplyToMessage = nil
		wire.ReplyToMessage = &r
		sent.ReplyToMessageID = r.MessageID
	}
	cs.messages[wire.MessageID] = &storedMessage{wire: wire, fromBot: true, sent: sent}
	s.sent = append(s.sent, sent)
	s.notifyLocked()
	return result{Value: wire}, nil
}

// replyTarget is the message named by reply_to_message_id or
// reply_parameters, nil when there is none or it is gone and the bot
// allowed sending without it.
func replyTarget(cs *chatState, p params) (*storedMessage, *apiError) {
	id := p.int("reply_to_message_id")
	allow := p.bool("allow_sending_without_reply")
	if raw := p.json("reply_parameters"); raw != "" {
		var rp struct {
			MessageID                int  `json:"message_id"`
			AllowSendingWithoutReply bool `json:"allow_sending_without_reply"`
		}
		if json.Unmarshal([]byte(raw), &rp) != nil {
			return nil, badRequest("can't parse reply parameters JSON object")
		}
		id, allow = int64(rp.MessageID), rp.AllowSendingWithoutReply
	}
	if id <= 0 {
		return nil, nil
	}
	if m := cs.messages[int(id)]; m != nil {
		return m, nil
	}
	if allow {
		return nil, nil
	}
	return nil, badRequest("message to be replied not found")
}

func sameEntities(a, b []Entity) bool {
	return slices.EqualFunc(a, b, func(x, y Entity) bool {
		return x.Type == y.Type && x.Offset == y.Offset && x.Length == y.Length && x.URL == y.URL &&
			x.Language == y.Language && x.CustomEmojiID == y.CustomEmojiID && (x.User == nil) == (y.User == nil) &&
			(x.User == nil || x.User.ID == y.User.ID)
	})
}

func rawOrNil(s string) json.RawMessage {
	if strings.TrimSpace(s) == "" {
		return nil
	}
	return json.RawMessage(s)
}

func (s *Server) editMessageText(_ context.Context, p params) (result, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if p.has("inline_message_id") && !p.has("chat_id") {
		return result{}, badRequest("telegramtest: inline_message_id is not implemented by the fake")
	}
	cs, apiErr := s.chatLocked(p, true)
	if apiErr != nil {
		return result{}, apiErr
	}
	id := int(p.int("message_id"))
	if id <= 0 {
		return result{}, badRequest("message identifier is not specified")
	}
	f, apiErr := formatText(p)
	if apiErr != nil {
		return result{}, apiErr
	}
	markup, apiErr := checkReplyMarkup(p.json("reply_markup"), true)
	if apiErr != nil {
		return result{}, apiErr
	}
	m := cs.messages[id]
	if m == nil {
		return result{}, badRequest("message to edit not found")
	}
	if !m.fromBot {
		return result{}, badRequest("message can't be edited")
	}
	if m.wire.Text == f.text && sameEntities(m.wire.Entities, f.entities) &&
		string(m.wire.ReplyMarkup) == string(markup) {
		return result{}, badRequest("message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message")
	}
	now := s.now()
	m.wire.Text, m.wire.Entities, m.wire.ReplyMarkup, m.wire.EditDate = f.text, f.entities, markup, now.Unix()
	m.sent.Text, m.sent.Source, m.sent.ParseMode, m.sent.Entities = f.text, f.source, f.mode, f.entities
	m.sent.ReplyMarkup, m.sent.Edited = rawOrNil(p.json("reply_markup")), now
	m.sent.Edits++
	s.notifyLocked()
	return result{Value: m.wire}, nil
}

func (s *Server) deleteMessage(_ context.Context, p params) (result, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	cs, apiErr := s.chatLocked(p, true)
	if apiErr != nil {
		return result{}, apiErr
	}
	id := int(p.int("message_id"))
	if id <= 0 {
		return result{}, badRequest("message identifier is not specified")
	}
	m := cs.messages[id]
	if m == nil {
		return result{}, badRequest("message to delete not found")
	}
	if !m.fromBot && cs.Type != Private {
		if bm, _ := s.memberLocked(cs, s.bot.ID); bm.Status != "administrator" && bm.Status != "creator" {
			return result{}, badRequest("message can't be deleted")
		}
	}
	delete(cs.messages, id)
	if m.sent != nil {
		m.sent.Deleted = true
	}
	s.notifyLocked()
	return result{Value: true}, nil
}

var chatActions = map[string]bool{
	"typing": true, "upload_photo": true, "record_video": true, "upload_video": true, "record_voice": true,
	"upload_voice": true, "upload_document": true, "choose_sticker": true, "find_location": true,
	"record_video_note": true, "upload_video_note": true,
}

func (s *Server) sendChatAction(_ context.Context, p params) (result, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	cs, apiErr := s.chatLocked(p, true)
	if apiErr != nil {
		return result{}, apiErr
	}
	action := p.str("action")
	if !chatActions[action] {
		return result{}, badRequest("wrong parameter action in request")
	}
	cs.actions = append(cs.actions, action)
	s.notifyLocked()
	return result{Value: true}, nil
}

// Messages are the messages the bot sent to a chat and Telegram accepted,
// in order; deleted ones are kept with Deleted set.
func (s *Server) Messages(chatID int64) []SentMessage {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []SentMessage
	for _, m := range s.sent {
		if m.ChatID == chatID {
			out = append(out, copySent(m))
		}
	}
	return out
}

// AllMessages are all accepted messages of the bot, in the order sent.
func (s *Server) AllMessages() []SentMessage {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]SentMessage, 0, len(s.sent))
	for _, m := range s.sent {
		out = append(out, copySent(m))
	}
	return out
}

func copySent(m *SentMessage) SentMessage {
	c := *m
	c.Entities = append([]Entity(nil), m.Entities...)
	c.ReplyMarkup = append(json.RawMessage(nil), m.ReplyMarkup...)
	if len(c.ReplyMarkup) == 0 {
		c.ReplyMarkup = nil
	}
	return c
}
